"""Bad input files: FIFOs and devices as modules, WIT, response or config files are refused at once (never a
hang, never an endless read); config values of the wrong type are reported with file:line by every command."""

from __future__ import annotations

import os

import pytest

from .conftest import HELLO_C

TIMEOUT = 60


def _commands(clang_cmd, wasip2ld_cmd, ld_entry, special: str) -> dict[str, list]:
    return {
        "check module": [*wasip2ld_cmd, "check", special],
        "run module": [*wasip2ld_cmd, "run", special],
        "sig wit": [*wasip2ld_cmd, "sig", "--wit", special],
        "link wit": [*clang_cmd, HELLO_C, "--wit", special, "-o", "out.wasm"],
        "clang response file": [*clang_cmd, f"@{special}"],
        "ld response file": [ld_entry, f"@{special}"],
    }


KINDS = ["check module", "run module", "sig wit", "link wit", "clang response file", "ld response file"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_special_files_are_refused(sh, clang_cmd, wasip2ld_cmd, ld_entry, tmp_path, kind, special):
    if special == "fifo":
        os.mkfifo(tmp_path / "fifo")
    argv = _commands(clang_cmd, wasip2ld_cmd, ld_entry, special)[kind]
    result = _bounded(sh, argv)
    assert result.returncode == 2
    label = "FIFO (named pipe)" if special == "fifo" else "character device"
    assert f"error: {special}: is a {label}, not a regular file" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out.wasm").exists()


def test_fifo_config_file(sh, wasip2ld_cmd, tmp_path):
    os.mkfifo(tmp_path / "wasip2ld.toml")
    result = _bounded(sh, [*wasip2ld_cmd, "sig"])
    assert result.returncode == 2
    assert result.stderr.splitlines()[0] == (
        f"wasip2ld: error: {tmp_path / 'wasip2ld.toml'}: is a FIFO (named pipe), not a regular file "
        "(expected a TOML file)"
    )
    doctor = _bounded(sh, [*wasip2ld_cmd, "doctor"])  # reports the toolchain, then the broken file
    assert doctor.returncode == 1 and "is a FIFO (named pipe)" in doctor.stderr


BAD_VALUES = [
    ("wit", "5", "a string"),
    ("world", "true", "a string"),
    ("mode", '""', "a string"),
    ("features", "[1, 2]", "a string or a list of strings"),
    ("all-features", '"yes"', "true or false"),
    ("delegate", "1", "true or false"),
]


@pytest.mark.parametrize("key, value, wanted", BAD_VALUES)
def test_config_values_are_type_checked_by_every_command(sh, clang_cmd, wasip2ld_cmd, tmp_path, key, value, wanted):
    (tmp_path / "wasip2ld.toml").write_text(f'[build]\nmangling = "legacy"\n{key} = {value}\n')
    expected = f"{tmp_path / 'wasip2ld.toml'}:3: [build] {key} must be {wanted}, not "
    for argv in ([*wasip2ld_cmd, "sig"], [*clang_cmd, HELLO_C, "-o", "x.wasm"]):
        result = _bounded(sh, argv)
        assert result.returncode == 2
        assert expected in result.stderr.splitlines()[0], result.stderr
        assert "Traceback" not in result.stderr
    doctor = _bounded(sh, [*wasip2ld_cmd, "doctor"])  # reports the toolchain, then the broken file
    assert doctor.returncode == 1 and expected in doctor.stderr


def _bounded(sh, argv):
    import subprocess

    try:
        return sh(argv, ok=False, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`{' '.join(map(str, argv))}` hung", pytrace=False)
