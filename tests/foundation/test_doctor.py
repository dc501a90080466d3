"""`wasip2ld doctor` on this (provisioned) machine and with the C toolchain taken away."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_wasip2ld(*args: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "wasip2ld", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, cwd=cwd)


def test_doctor_json_reports_everything_found(need):
    for part in ("clang", "wasm-tools", "go", "wasmtime"):
        need(part)
    out = run_wasip2ld("doctor", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["schema"] == 1 and doc["ok"] is True and doc["missing"] == []
    for part in ("clang", "wasm-ld", "compiler-rt", "sysroot-wasip1", "sysroot-wasip2", "wasm-tools",
                 "adapter-command", "adapter-reactor", "go", "wasmtime"):
        entry = doc["parts"][part]
        assert entry["found"] is True, (part, entry)
        assert Path(entry["path"]).exists()
        assert set(entry) == {"found", "path", "version", "source", "required", "problem", "install"}
    assert doc["parts"]["wasm-tools"]["version"].startswith("wasm-tools 1.")
    assert doc["parts"]["clang"]["version"] and "clang version" in doc["parts"]["clang"]["version"]
    assert doc["toolchain"]["name"] in ("debian-llvm", "wasi-sdk")


def test_doctor_text(need):
    need("clang")
    out = run_wasip2ld("doctor")
    assert out.returncode == 0, out.stderr
    assert "wasip2 C pipeline: ready" in out.stdout
    assert any(line.startswith("ok") and " clang " in line for line in out.stdout.splitlines())


def _without_c_toolchains(tmp_path: Path) -> dict:
    """Descriptors of the same names whose roots do not exist, and a PATH with no clang/wasm-ld on it."""
    descs = tmp_path / "descs"
    descs.mkdir()
    for name in ("debian-llvm", "zig", "wasi-sdk"):
        (descs / f"{name}.toml").write_text(
            f'name = "{name}"\nkind = "c"\nroots = ["{tmp_path}/absent-{name}-{{N}}"]\nrequired = ["clang"]\n'
            '[parts.clang]\nfiles = ["{root}/bin/clang"]\ncommands = ["clang-{N}"]\n'
        )
    bindir = Path(sys.executable).parent
    return {"WASIP2LD_TOOLCHAINS_DIR": str(descs), "PATH": f"{bindir}:/usr/bin/none"}


def test_doctor_without_clang_exits_1_with_install_command(tmp_path):
    out = run_wasip2ld("doctor", env=_without_c_toolchains(tmp_path))
    assert out.returncode == 1
    assert "MISSING  clang" in out.stdout
    assert "wasip2ld: error: clang is missing; to fix: run `wasip2ld toolchain install --system`" in out.stderr
    assert "apt-get install clang-22" in out.stderr


def test_doctor_json_without_clang(tmp_path):
    out = run_wasip2ld("doctor", "--json", env=_without_c_toolchains(tmp_path))
    assert out.returncode == 1
    doc = json.loads(out.stdout)
    assert doc["ok"] is False and doc["toolchain"] is None
    assert {"part": "clang", "install": doc["parts"]["clang"]["install"]} in doc["missing"]
    assert "toolchain install --system" in doc["parts"]["clang"]["install"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("[tools\n", "{file}:1: invalid TOML"),
        ("[tools]\nsysroot-wasip2 = \"../no/sysroot\"\n", "sysroot-wasip2: {parent}/no/sysroot (config {file}) does not exist"),
    ],
    ids=["malformed", "missing-path"],
)
def test_doctor_diagnoses_a_bad_config_file(tmp_path, text, problem):
    """doctor reports on the toolchain without the broken file and names the problem (exit 1); every other
    command refuses to run with it (exit 2, one line)."""
    work = tmp_path / "project"
    work.mkdir()
    config = work / "wasip2ld.toml"
    config.write_text(text)
    expected = problem.format(file=config, parent=tmp_path)
    out = run_wasip2ld("doctor", cwd=work)
    assert out.returncode == 1
    assert "ok       wasm-ld" in out.stdout
    assert out.stderr.splitlines()[0].startswith(f"wasip2ld: error: config: {expected}")
    assert "the report above ignores config files" in out.stderr and "Traceback" not in out.stderr
    other = run_wasip2ld("toolchain", "path", "wasm-ld", cwd=work)
    assert other.returncode == 2 and other.stderr.startswith(f"wasip2ld: error: {expected}")


def test_unknown_toolchain_flag(tmp_path):
    out = run_wasip2ld("--toolchain", "nope", "doctor", cwd=tmp_path)
    assert out.returncode == 2
    assert "unknown toolchain `nope` (known toolchains:" in out.stderr and "debian-llvm" in out.stderr


def test_unknown_flag_is_usage_error(tmp_path):
    out = run_wasip2ld("doctor", "--frobnicate", cwd=tmp_path)
    assert out.returncode == 2
    assert out.stderr.strip() == "wasip2ld: error: no such option '--frobnicate' (see `wasip2ld doctor --help`)"
    assert "Traceback" not in out.stderr


def test_toolchain_path_and_list():
    out = run_wasip2ld("toolchain", "path", "wasm-ld")
    assert out.returncode == 0 and Path(out.stdout.strip()).name.startswith("wasm-ld")
    bad = run_wasip2ld("toolchain", "path", "klang")
    assert bad.returncode == 2 and "unknown part `klang`" in bad.stderr
    listing = run_wasip2ld("toolchain", "list")
    assert "debian-llvm" in listing.stdout and "wasi-sdk" in listing.stdout
