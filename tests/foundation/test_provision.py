"""`wasip2ld toolchain install` against the real registries (Debian's wasi-libc, npm's jco): it installs,
a second run does nothing, and failures leave nothing half-installed."""
from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from wasip2ld.errors import ToolFailed, ToolchainError
from wasip2ld.proc import Runner
from wasip2ld.toolchain import apt
from wasip2ld.toolchain.provision import Provisioner


def install(data: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wasip2ld", "toolchain", "install", *extra], capture_output=True,
                          text=True, env={**os.environ, "WASIP2LD_DATA_DIR": str(data)})


@pytest.fixture(scope="module")
def provisioned(tmp_path_factory) -> tuple[Path, subprocess.CompletedProcess]:
    data = tmp_path_factory.mktemp("prov") / "data"
    return data, install(data)


def test_install_provides_sysroots_and_adapters(provisioned):
    data, first = provisioned
    assert first.returncode == 0, first.stderr
    usr = data / "wasi-libc" / "usr"
    assert (usr / "lib/wasm32-wasip2/libc.a").is_file()
    assert (usr / "lib/wasm32-wasip1/libc.a").exists()
    assert (usr / "include/wasm32-wasip2/stdio.h").is_file()
    assert (data / "wasi-libc/VERSION").read_text().strip()
    lib = data / "jco/package/lib"
    for kind in ("command", "reactor"):
        assert (lib / f"wasi_snapshot_preview1.{kind}.wasm").read_bytes()[:4] == b"\0asm"
    assert any((lib / "wit/builtin").glob("0.2.*/wasi-cli"))
    assert "done   wasi-libc sysroots" in first.stderr
    assert not [p for p in data.iterdir() if p.name.startswith(".")], "no staging directory left behind"


def test_second_run_does_nothing(provisioned):
    data, _ = provisioned
    before = {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file()}
    again = install(data)
    assert again.returncode == 0
    assert "nothing to do: everything is already installed" in again.stderr
    assert {p: p.stat().st_mtime_ns for p in data.rglob("*") if p.is_file()} == before


def test_provisioned_parts_are_discovered(provisioned):
    data, _ = provisioned
    out = subprocess.run([sys.executable, "-m", "wasip2ld", "toolchain", "path", "sysroot-wasip2"],
                         capture_output=True, text=True, env={**os.environ, "WASIP2LD_DATA_DIR": str(data)})
    assert out.stdout.strip() == str(data / "wasi-libc" / "usr")


def test_dry_run_prints_commands_and_installs_nothing(tmp_path):
    data = tmp_path / "data"
    out = install(data, "--dry-run")
    assert out.returncode == 0, out.stderr
    assert "apt-get -o Dir::Etc::SourceList=/dev/null" in out.stderr
    assert "npm pack --silent @bytecodealliance/jco@" in out.stderr
    assert not (data / "wasi-libc").exists() and not (data / "jco").exists()


def test_unreachable_registry_fails_cleanly(tmp_path, monkeypatch):
    # Fault injection: the machine's Debian archive replaced by a closed local port.
    monkeypatch.setattr(apt, "system_debian_source", lambda: apt.AptSource("http://127.0.0.1:9/debian", None))
    prov = Provisioner(tmp_path / "data", Runner(), io.StringIO().write)
    with pytest.raises(ToolFailed) as err:
        prov.install_sysroots()
    assert "cannot fetch wasi-libc from Debian trixie (is the registry reachable?)" in err.value.message
    assert list((tmp_path / "data").iterdir()) == [], "nothing half-installed"


def test_failing_npm_leaves_nothing(tmp_path, monkeypatch):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    npm = fake_bin / "npm"
    npm.write_text("#!/bin/sh\necho 'npm error code E404' >&2\nexit 1\n")
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}:{os.environ['PATH']}")
    prov = Provisioner(tmp_path / "data", Runner(), io.StringIO().write)
    with pytest.raises(ToolFailed) as err:
        prov.install_jco()
    assert "npm pack failed (exit code 1): npm error code E404" in err.value.message
    assert list((tmp_path / "data").iterdir()) == []


def test_missing_npm(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    prov = Provisioner(tmp_path / "data", Runner(), io.StringIO().write)
    with pytest.raises(ToolchainError, match="npm not found"):
        prov.install_jco()


def test_system_install_needs_root_message(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    prov = Provisioner(tmp_path / "data", Runner(), io.StringIO().write)
    with pytest.raises(ToolchainError, match="needs root"):
        prov.install_llvm()


def test_system_source_parsing(tmp_path):
    etc = tmp_path / "etc"
    (etc / "sources.list.d").mkdir(parents=True)
    (etc / "sources.list.d" / "debian.sources").write_text(
        "Types: deb\nURIs: http://mirror.invalid/debian-security\nSuites: bookworm-security\nComponents: main\n\n"
        "Types: deb deb-src\nURIs: http://mirror.invalid/debian\nSuites: bookworm bookworm-updates\n"
        "Components: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n"
    )
    source = apt.system_debian_source(etc)
    assert source == apt.AptSource("http://mirror.invalid/debian", "/usr/share/keyrings/debian-archive-keyring.gpg")
    legacy = tmp_path / "etc2"
    (legacy / "sources.list.d").mkdir(parents=True)
    (legacy / "sources.list").write_text("deb [signed-by=/k.gpg] http://m.invalid/debian bookworm main\n")
    assert apt.system_debian_source(legacy) == apt.AptSource("http://m.invalid/debian", "/k.gpg")
