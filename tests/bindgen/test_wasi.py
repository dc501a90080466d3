"""Bindings for the WASI 0.2 `wasi:cli/command` world (28 interfaces, resources everywhere): generated twice
with identical bytes, compiled with -Werror into a command component that runs under wasmtime."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import BIN, DATA, run


@pytest.fixture(scope="module")
def wasi_cli(wasi_wit, tmp_path_factory) -> Path:
    """jco keeps each WASI package as <package>/package.wit: give wasi-cli a deps/ of its siblings."""
    tree = tmp_path_factory.mktemp("wasi") / "wasi-cli"
    (tree / "deps").mkdir(parents=True)
    (tree / "package.wit").symlink_to(wasi_wit / "wasi-cli" / "package.wit")
    for other in wasi_wit.iterdir():
        if other.name != "wasi-cli" and (other / "package.wit").is_file():
            (tree / "deps" / other.name).symlink_to(other, target_is_directory=True)
    return tree


def test_command_world_bindings_are_deterministic_and_build_a_running_command(builder, wasi_cli, tmp_path):
    first = builder.bindgen(wasi_cli, tmp_path / "first", "--world", "command")
    second = builder.bindgen(wasi_cli, tmp_path / "second", "--world", "command")
    for name in ("command.h", "command.c"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    header = (first / "command.h").read_text()
    assert "extern wasi_cli_stdout_own_output_stream_t wasi_cli_stdout_get_stdout(void);" in header
    assert "bool exports_wasi_cli_run_run(void);" in header
    sources = [DATA / "wasi" / "hello.c", first / "command.c", f"-I{first}"]
    component = builder.build(wasi_cli, "command", sources, tmp_path / "hello.wasm")
    assert run([BIN / "wasip2ld", "run", component], builder.env, tmp_path) == "hello via bindings\n"
    assert run([BIN / "wasip2ld", "run", component, "x"], builder.env, tmp_path) == "hello with arguments\n"
