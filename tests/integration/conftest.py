"""Fixtures for the build-system integration tests: the programs they drive (missing ones FAIL the test),
a runner for commands that shows their output when they fail, and the cache for Debian sources."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Mapping, Sequence

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "integration" / "examples"
JOBS = "-j4"  # the issue asks for parallel builds; fine on 2 cores too


@dataclass(frozen=True)
class Shell:
    env: Mapping[str, str]

    def __call__(self, argv: Sequence[str | os.PathLike], cwd: Path | None = None, *, ok: bool = True,
                 env: Mapping[str, str] | None = None, stdin: str | bytes | None = None,
                 binary: bool = False) -> subprocess.CompletedProcess:
        """Run argv; output is text, or bytes with ``binary`` (then ``stdin`` is bytes too)."""
        full_env = {**self.env, **(env or {})}
        result = subprocess.run([os.fspath(a) for a in argv], cwd=cwd, env=full_env, capture_output=True,
                                text=not binary, input=stdin)
        if ok and result.returncode != 0:
            out, err = (result.stdout, result.stderr) if not binary else (repr(result.stdout[-2000:]),
                                                                          result.stderr.decode(errors="replace"))
            pytest.fail(f"`{' '.join(map(str, argv))}` exited {result.returncode} in {cwd}:\n"
                        f"{out[-4000:]}\n{err[-4000:]}", pytrace=False)
        return result


@pytest.fixture(scope="session")
def sh() -> Shell:
    # wasip2ld and its compiler drivers come from this interpreter's environment.
    scripts = str(Path(sys.executable).parent)
    return Shell({**os.environ, "PATH": scripts + os.pathsep + os.environ.get("PATH", "")})


@pytest.fixture(scope="session")
def wasip2ld_argv() -> list[str]:
    return [sys.executable, "-m", "wasip2ld"]


@pytest.fixture(scope="session")
def programs(toolchain, need):
    """Build tools the integration needs: cmake, ninja, make, meson, ccache (missing: a failure)."""
    need("clang")
    need("wasm-tools")
    need("adapter-command")
    found = {name: shutil.which(name) for name in ("cmake", "ctest", "ninja", "make", "meson", "ccache")}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        pytest.fail(f"required programs missing: {', '.join(missing)} (apt-get install cmake ninja-build make "
                    "ccache; pip install meson)", pytrace=False)
    return found


@pytest.fixture(scope="session")
def debian_sources(request) -> Path:
    """Where Debian source packages are cached between runs (pytest's cache directory)."""
    for tool in ("apt-get", "dpkg-source"):
        if shutil.which(tool) is None:
            pytest.fail(f"required program `{tool}` is missing (apt-get install dpkg-dev)", pytrace=False)
    return Path(request.config.cache.mkdir("wasip2ld-debian-sources"))


@pytest.fixture(scope="module")
def binfmt(sh, wasip2ld_argv):
    """A private binfmt_misc registration for wasm programs, for one test module (needs root: the suite runs
    as root, like `make test-deps`). Yields the environment under which wasip2ld's integrations see it; the
    `wasip2ld` entry and other processes on the machine are left alone."""
    if os.geteuid() != 0:
        pytest.fail("binfmt_misc registration needs root: run the suite as root", pytrace=False)
    name = f"wasip2ld-test-{os.getpid()}"
    sh([*wasip2ld_argv, "binfmt", "install", "--name", name])
    try:
        yield {"WASIP2LD_BINFMT_NAME": name}
    finally:
        sh([*wasip2ld_argv, "binfmt", "uninstall", "--name", name])


@pytest.fixture(scope="session")
def wheel_venv() -> Iterator[Path]:
    """wasip2ld as a user gets it: the wheel built from this checkout (not editable), installed with its
    `run` and `go` extras into a fresh venv of Debian's python3 (package python3-venv). The directory is
    world-readable, so an unprivileged daemon (distccd) can run its commands too."""
    python = shutil.which("python3", path="/usr/bin")
    if python is None or subprocess.run([python, "-c", "import ensurepip, venv"]).returncode != 0:
        pytest.fail("Debian's python3 with venv is missing (apt-get install python3-venv)", pytrace=False)
    root = Path(tempfile.mkdtemp(prefix="wasip2ld-wheel-"))
    root.chmod(0o755)
    try:
        dist = root / "dist"
        _checked([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(dist), str(ROOT)])
        wheel = next(dist.glob("wasip2ld-*.whl"))
        venv = root / "venv"
        _checked([python, "-m", "venv", str(venv)])
        _checked([str(venv / "bin" / "pip"), "install", "--quiet", f"{wheel}[run,go]"])
        yield venv
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _checked(argv: list[str]) -> None:
    result = subprocess.run(argv, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"`{' '.join(argv)}` exited {result.returncode}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}",
                    pytrace=False)


def copy_tree(source: Path, dest: Path) -> Path:
    """A private copy for in-tree builds; timestamps kept so make does not try to rerun autotools."""
    shutil.copytree(source, dest, symlinks=True, copy_function=shutil.copy2)
    return dest


def wasm_layer(path: Path) -> str:
    head = path.read_bytes()[:8]
    assert head[:4] == b"\0asm", f"{path} is not wasm"
    return {b"\x01\x00\x00\x00": "module", b"\x0d\x00\x01\x00": "component"}[head[4:8]]
