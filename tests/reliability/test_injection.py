"""User paths never reach a sub-tool as options: a file named like a flag (`-s.wit`, `--output=/abs/x`) is
passed as `./-s.wit`, so wasm-tools reads it instead of obeying it."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from wasip2ld.proc import path_arg

from .conftest import HELLO_C

WORLD = "package a:b;\nworld w {\n  export f: func();\n}\n"
EMPTY_WORLD = "package a:b;\nworld w {}\n"


def _flag_named_wit(tmp_path: Path, text: str) -> tuple[str, Path]:
    """A relative WIT path that reads as `--output=<victim>`; the victim must never be written."""
    victim = tmp_path / "victim.txt"
    victim.write_text("victim\n")
    name = f"--output={victim}"
    (tmp_path / name).parent.mkdir(parents=True)
    (tmp_path / name).write_text(text)
    return name, victim


def test_sig_reads_a_wit_file_named_like_a_flag(sh, wasip2ld_cmd, tmp_path):
    (tmp_path / "-s.wit").write_text(WORLD)
    result = sh([*wasip2ld_cmd, "sig", "--wit", "./-s.wit", "--format", "c"])
    assert "f(void)" in result.stdout
    name, victim = _flag_named_wit(tmp_path, WORLD)
    result = sh([*wasip2ld_cmd, "sig", "-v", "--wit", name])
    assert f" ./{name}" in result.stderr  # what wasm-tools was given
    assert victim.read_text() == "victim\n"


def test_link_and_check_read_a_wit_file_named_like_a_flag(sh, clang_cmd, wasip2ld_cmd, tmp_path):
    name, victim = _flag_named_wit(tmp_path, EMPTY_WORLD)
    sh([*clang_cmd, HELLO_C, "--wit", name, "-o", "c.wasm"])
    sh([*clang_cmd, "-c", HELLO_C, "-o", "hello.o"])
    sh([*clang_cmd, "-Wl,--skip-wit-component", "hello.o", "-o", "core.wasm"])
    result = sh([*wasip2ld_cmd, "check", "--wit", name, "core.wasm"], ok=False)
    assert result.returncode == 1 and "does not match world `a:b/w`" in result.stdout  # the file was read
    assert victim.read_text() == "victim\n"


def test_run_with_a_flag_as_the_file(sh, wasip2ld_cmd):
    result = sh([*wasip2ld_cmd, "run", "--", "--help"], ok=False)
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["wasip2ld: error: --help: no such file"]


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_characters="\0"), min_size=1, max_size=40))
def test_path_arg_is_never_an_option_and_names_the_same_file(name):
    arg = path_arg(Path(name))
    assert not arg.startswith(("-", "@"))
    assert os.path.normpath(arg) == os.path.normpath(os.fspath(Path(name)))
