"""Broken toolchains: damaged parts are reported by doctor, refused by builds with one line, and repaired by
`toolchain install`; sub-tools that cannot be executed or a data directory that is a file give one line,
never a traceback. The damaged parts are copies of the machine's provisioned ones, in a private data dir."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from wasip2ld.proc import Runner
from wasip2ld.toolchain.provision import Provisioner

from .conftest import BIN, HELLO_C

ADAPTERS = "jco/package/lib"


@pytest.fixture
def data_copy(toolchain, need, tmp_path) -> Path:
    """A copy of the provisioned data directory (wasi-libc sysroots, jco adapters)."""
    need("adapter-command")
    need("sysroot-wasip2")
    copy = tmp_path / "data"
    shutil.copytree(toolchain.settings.data_dir, copy, symlinks=True)
    return copy


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[:1000])


def _script(path: Path) -> None:
    path.write_text("#!/bin/sh\necho adapter\n")


def _no_include(sysroot: Path) -> None:
    shutil.rmtree(sysroot / "include")


def _file_instead(sysroot: Path) -> None:
    shutil.rmtree(sysroot)
    sysroot.write_text("not a sysroot\n")


DAMAGES = {
    "truncated adapter": (f"{ADAPTERS}/wasi_snapshot_preview1.command.wasm", _truncate, "is truncated (1000 bytes)"),
    "script as adapter": (f"{ADAPTERS}/wasi_snapshot_preview1.reactor.wasm", _script,
                          "is not a WebAssembly core module (it is a script)"),
    "sysroot without include": ("wasi-libc/usr", _no_include, "has no include/ directory"),
    "file as sysroot": ("wasi-libc/usr", _file_instead, None),  # not even found
}


def _wasip2ld(args, data: Path, cwd: Path, **env) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if not k.startswith("WASIP2LD_")}
    full.update(WASIP2LD_DATA_DIR=str(data), **env)
    return subprocess.run([BIN / "wasip2ld", *args], env=full, cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("damage", DAMAGES)
def test_doctor_and_install_see_damaged_parts(data_copy, tmp_path, damage):
    where, spoil, message = DAMAGES[damage]
    spoil(data_copy / where)
    doctor = _wasip2ld(["doctor"], data_copy, tmp_path)
    assert doctor.returncode == 1
    wanted = f"{data_copy / where} {message}" if message else "MISSING  sysroot-wasip2"
    assert wanted in doctor.stdout
    assert "NOT ready" in doctor.stdout
    steps = Provisioner(data_copy, Runner(), lambda line: None).steps(system=False)
    assert [step.name for step in steps if not step.done()] == [
        next(step.name for step in steps if ("jco" in step.name) == where.startswith("jco"))
    ]


def test_link_refuses_a_damaged_adapter_in_one_line(data_copy, old_sysroot, tmp_path):
    _truncate(data_copy / ADAPTERS / "wasi_snapshot_preview1.command.wasm")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WASIP2LD_")}
    # The older wasi-libc still imports WASI p1, so the link needs the (damaged) adapter.
    env.update(WASIP2LD_DATA_DIR=str(data_copy), WASIP2LD_SYSROOT_WASIP2=str(old_sysroot))
    result = subprocess.run([BIN / "wasip2-clang", HELLO_C, "-o", "hello.wasm"], cwd=tmp_path, capture_output=True,
                            text=True, env=env, timeout=300)
    assert result.returncode == 2
    assert "wasip2ld ld: error: the WASI adapter (command) is unusable: " in result.stderr
    assert "toolchain install" in result.stderr and "panicked" not in result.stderr
    assert not (tmp_path / "hello.wasm").exists()


def test_install_repairs_damaged_adapters(data_copy, tmp_path):
    """Runs npm (the adapters' registry) for real; the sysroots are sound, so they are left alone."""
    _truncate(data_copy / ADAPTERS / "wasi_snapshot_preview1.command.wasm")
    _script(data_copy / ADAPTERS / "wasi_snapshot_preview1.reactor.wasm")
    sysroot_before = (data_copy / "wasi-libc/usr/lib/wasm32-wasip2/libc.a").stat().st_mtime_ns
    result = _wasip2ld(["toolchain", "install"], data_copy, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ok     wasi-libc sysroots" in result.stderr and "done   WASI adapters" in result.stderr
    doctor = _wasip2ld(["doctor"], data_copy, tmp_path)
    assert doctor.returncode == 0, doctor.stdout
    assert (data_copy / "wasi-libc/usr/lib/wasm32-wasip2/libc.a").stat().st_mtime_ns == sysroot_before


def test_data_dir_that_is_a_file(tmp_path):
    data = tmp_path / "data"
    data.write_text("a file\n")
    for args in (["toolchain", "install"], ["toolchain", "install", "--dry-run"]):
        result = _wasip2ld(args, data, tmp_path)
        assert "Traceback" not in result.stderr
        assert data.read_text() == "a file\n"
    result = _wasip2ld(["toolchain", "install"], data, tmp_path)
    assert result.returncode == 2
    assert f"wasip2ld: error: the wasip2ld data directory {data} is a file" in result.stderr


def test_dry_run_writes_nothing(tmp_path):
    data = tmp_path / "data"
    result = _wasip2ld(["toolchain", "install", "--dry-run"], data, tmp_path)
    assert result.returncode == 0, result.stderr
    assert not data.exists()


def test_sub_tool_that_cannot_be_executed(sh, wasip2ld_cmd, tmp_path):
    """A script without `#!` (ENOEXEC) as wasm-tools: one line naming the tool and the reason."""
    tool = tmp_path / "wasm-tools"
    tool.write_text("echo no shebang\n")
    tool.chmod(0o755)
    (tmp_path / "w.wit").write_text("package a:b;\nworld w {}\n")
    result = sh([*wasip2ld_cmd, "sig", "--wit", "w.wit"], ok=False, env={"WASIP2LD_WASM_TOOLS": str(tool)})
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"wasip2ld: error: wasm-tools: cannot run {tool}: Exec format error"
    )


def test_doctor_has_no_side_effects(tmp_path):
    """`go version` writes telemetry under ~/.config/go; doctor's probes run with a throw-away HOME."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "GO"))}
    result = subprocess.run([BIN / "wasip2ld", "doctor"], env={**env, "HOME": str(home)}, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert "go version go" in result.stdout
    assert list(home.rglob("*")) == []


def test_version_file_that_is_not_utf8(data_copy, tmp_path):
    (data_copy / "wasi-libc" / "VERSION").write_bytes(b"\xff\xfe 1.0\n")
    doctor = _wasip2ld(["doctor"], data_copy, tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "Traceback" not in doctor.stderr


def _without_dac_override() -> None:
    """For root: drop CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH before exec, so permissions apply."""
    import ctypes

    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):  # PR_CAPBSET_DROP of CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.mark.parametrize("argv", [["wasip2ld", "doctor"], ["wasip2ld", "sig", "--wit", "w.wit"],
                                  ["wasip2-clang", HELLO_C, "-o", "out.wasm"]])
def test_unreadable_data_dir(data_copy, tmp_path, argv):
    (tmp_path / "w.wit").write_text("package a:b;\nworld w {}\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("WASIP2LD_")}
    data_copy.chmod(0)
    try:
        result = subprocess.run([BIN / argv[0], *argv[1:]], cwd=tmp_path, capture_output=True, text=True,
                                env={**env, "WASIP2LD_DATA_DIR": str(data_copy)}, timeout=300,
                                preexec_fn=_without_dac_override)
    finally:
        data_copy.chmod(0o755)
    assert result.returncode in (1, 2)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert "Permission denied" in result.stderr
