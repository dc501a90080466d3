"""`wasip2ld toolchain install` against the real registries (Debian's wasi-libc, npm's jco): it installs the
newest p1-free wasi-libc, an older suite beside it on request, upgrades an older install, a second run does
nothing, and failures leave nothing half-installed."""
from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from wasip2ld.errors import ToolFailed, ToolchainError
from wasip2ld.proc import Runner
from wasip2ld.toolchain import apt
from wasip2ld.toolchain.provision import Provisioner
from wasip2ld.toolchain.sysrootscan import scan_sysroot
from wasip2ld.toolchain.wasilibc import WasiLibcFetcher


def install(data: Path, *extra: str) -> subprocess.CompletedProcess:
    return wasip2ld(data, "toolchain", "install", *extra)


def wasip2ld(data: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wasip2ld", *args], capture_output=True, text=True,
                          env={**os.environ, "WASIP2LD_DATA_DIR": str(data), **env})


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
    assert scan_sysroot(usr).p1_free and "(p1-free)" in first.stderr
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


@pytest.fixture(scope="module")
def with_old_suite(provisioned) -> tuple[Path, subprocess.CompletedProcess]:
    data, _ = provisioned
    return data, install(data, "--suite", "trixie")


def test_suite_installs_beside_the_default(with_old_suite):
    data, result = with_old_suite
    assert result.returncode == 0, result.stderr
    old = data / "wasi-libc-trixie"
    assert (old / "VERSION").read_text().startswith("0.0~git2024")
    assert not scan_sysroot(old / "usr").p1_free
    assert scan_sysroot(data / "wasi-libc/usr").p1_free, "the default sysroot is left alone"
    assert "imports 47 WASI p1 functions" in result.stderr or "WASI p1 functions)" in result.stderr
    path = wasip2ld(data, "toolchain", "path", "--suite", "trixie", "sysroot-wasip2")
    assert path.returncode == 0 and path.stdout.strip() == str(old / "usr")
    missing = wasip2ld(data, "toolchain", "path", "--suite", "bookworm", "sysroot-wasip2")
    assert missing.returncode == 2
    assert missing.stderr.splitlines()[-1] == "wasip2ld: hint: install it: wasip2ld toolchain install --suite bookworm"


def test_doctor_says_which_libc_and_whether_it_is_p1_free(with_old_suite):
    data, _ = with_old_suite
    new = json.loads(wasip2ld(data, "doctor", "--json").stdout)["wasi_libc"]
    assert new["p1_free"] is True and new["p1_imports"] == [] and new["version"].startswith("0.0~git2026")
    old_usr = str(data / "wasi-libc-trixie/usr")
    old = json.loads(wasip2ld(data, "doctor", "--json", WASIP2LD_SYSROOT_WASIP2=old_usr).stdout)["wasi_libc"]
    assert old["path"] == old_usr and old["p1_free"] is False and "fd_write" in old["p1_imports"]
    text = wasip2ld(data, "doctor", WASIP2LD_SYSROOT_WASIP2=old_usr).stdout
    assert "wasi-libc: 0.0~git2024" in text and "`wasip2ld toolchain install` upgrades it" in text


def test_an_older_install_is_upgraded(with_old_suite, tmp_path):
    data, _ = with_old_suite
    stale = tmp_path / "data"
    shutil.copytree(data / "wasi-libc-trixie", stale / "wasi-libc", symlinks=True)
    shutil.copytree(data / "jco", stale / "jco", symlinks=True)
    result = install(stale)
    assert result.returncode == 0, result.stderr
    assert "imports 47 WASI p1 functions: upgrading it" in result.stderr
    assert scan_sysroot(stale / "wasi-libc/usr").p1_free
    assert (stale / "wasi-libc/VERSION").read_text().startswith("0.0~git2026")


def test_a_package_without_a_p2_sysroot_is_refused(tmp_path, monkeypatch):
    # Fault injection: the registry replaced by a package that only has the wasm32-wasi (p1) sysroot.
    tree = tmp_path / "pkg"
    (tree / "DEBIAN").mkdir(parents=True)
    (tree / "DEBIAN/control").write_text("Package: wasi-libc\nVersion: 1\nArchitecture: all\n"
                                         "Maintainer: t <t@t>\nDescription: t\n")
    (tree / "usr/lib/wasm32-wasi").mkdir(parents=True)
    (tree / "usr/lib/wasm32-wasi/libc.a").write_bytes(b"!<arch>\n")
    deb = tmp_path / "wasi-libc_1_all.deb"
    subprocess.run(["dpkg-deb", "-b", str(tree), str(deb)], check=True, capture_output=True)
    monkeypatch.setattr(WasiLibcFetcher, "_apt", lambda self, argv, what, cwd=None: None)
    monkeypatch.setattr(WasiLibcFetcher, "_versions", lambda self, options: ["1"])
    monkeypatch.setattr(WasiLibcFetcher, "_download", lambda self, options, version: deb)
    for suite, message in ((None, "no wasi-libc package in Debian unstable/testing/stable has a wasm32-wasip2 "
                                  "sysroot"),
                           ("bookworm", "wasi-libc_1_all.deb (Debian bookworm) has no wasm32-wasip2 sysroot")):
        prov = Provisioner(tmp_path / "data", Runner(), io.StringIO().write, suite=suite)
        with pytest.raises(ToolchainError) as err:
            prov.install_sysroots()
        assert message in err.value.message
        assert list((tmp_path / "data").iterdir()) == [], "nothing half-installed"


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
    assert "cannot fetch wasi-libc from Debian unstable/testing/stable (is the registry reachable?)" in err.value.message
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
