"""Shared fixtures. Tests use the real toolchain; a missing part FAILS the test (never skips), so a machine
that lacks a tool cannot pass CI by accident. Run `make test` (or `wasip2ld toolchain install`) first."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from wasip2ld.toolchain.discover import Toolchain, discover

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config):
    """The integrations choose executable names by the binfmt entry they are told about: point them at one
    that does not exist, so a `wasip2ld binfmt install` on this machine cannot change what the tests build.
    Tests that want binfmt register a private entry and pass its name (tests/integration/conftest.py)."""
    os.environ["WASIP2LD_BINFMT_NAME"] = f"wasip2ld-suite-{os.getpid()}-absent"


def pytest_collection_modifyitems(config, items):
    """Skips would hide missing tools; turn any skip marker into a failure."""
    for item in items:
        if item.get_closest_marker("skip") or item.get_closest_marker("skipif"):
            item.add_marker(pytest.mark.xfail(reason="skips are not allowed in this suite", strict=True, run=False))


@pytest.fixture(scope="session")
def toolchain() -> Toolchain:
    return discover()


@pytest.fixture(scope="session")
def need(toolchain):
    """`need("clang")` -> the part's path, or a test failure naming the install command."""

    def _need(part: str) -> Path:
        found = toolchain.get(part)
        if found is None:
            from wasip2ld.toolchain.discover import install_hint

            pytest.fail(f"required tool `{part}` is missing: {install_hint(part)}", pytrace=False)
        return found.path

    return _need


OLD_WASI_LIBC_SUITE = "trixie"  # the Makefile's test-deps installs it beside the default wasi-libc


@pytest.fixture(scope="session")
def p1_free_sysroot(need) -> Path:
    """The default wasm32-wasip2 sysroot, which must be free of WASI p1 imports."""
    from wasip2ld.toolchain.sysrootscan import scan_sysroot

    usr = need("sysroot-wasip2")
    facts = scan_sysroot(usr)
    if not facts.p1_free:
        pytest.fail(f"the wasi-libc in {usr} still imports {len(facts.p1_imports)} WASI p1 functions: "
                    "run `wasip2ld toolchain install` to upgrade it", pytrace=False)
    return usr


@pytest.fixture(scope="session")
def old_sysroot(toolchain) -> Path:
    """The older wasi-libc whose wasm32-wasip2 libc still imports WASI p1 (needs the adapter)."""
    from wasip2ld.toolchain.sysrootscan import scan_sysroot

    usr = toolchain.settings.data_dir / f"wasi-libc-{OLD_WASI_LIBC_SUITE}" / "usr"
    if not (usr / "lib/wasm32-wasip2/libc.a").is_file():
        pytest.fail(f"the old wasi-libc is missing: run `wasip2ld toolchain install --suite {OLD_WASI_LIBC_SUITE}`",
                    pytrace=False)
    if scan_sysroot(usr).p1_free:
        pytest.fail(f"{usr} was expected to import WASI p1 (the adapter path is tested with it)", pytrace=False)
    return usr


@pytest.fixture(scope="session")
def wasm_tools(need) -> str:
    return str(need("wasm-tools"))


@pytest.fixture(scope="session")
def wasi_wit(need) -> Path:
    """The newest WASI 0.2.x WIT directory shipped by jco (wasi-cli, wasi-io, … packages)."""
    root = need("wasi-wit")
    versions = sorted(
        (p for p in root.iterdir() if p.name.startswith("0.2.")),
        key=lambda p: tuple(int(x) for x in p.name.split(".")),
    )
    if not versions:
        pytest.fail(f"no WASI 0.2.x WIT under {root}", pytrace=False)
    return versions[-1]


def which_or_fail(name: str) -> str:
    found = shutil.which(name)
    if not found:
        pytest.fail(f"required program `{name}` is not on PATH", pytrace=False)
    return found


@pytest.fixture
def isolated_env(tmp_path, monkeypatch):
    """An environment with no WASIP2LD_* overrides and a private config/data location."""
    for key in list(os.environ):
        if key.startswith("WASIP2LD_") or key == "WASI_SDK_PATH":
            monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.chdir(tmp_path)
    return tmp_path
