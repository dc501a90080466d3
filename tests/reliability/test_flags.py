"""Flags: conflicting or incomplete flags are refused with one line (exit 2), never dropped silently; a
Hypothesis campaign over wasip2ld's own flags mixed with clang's checks that every combination either plans a
clang command or is one UsageError, and that a sample of them behaves the same through the real driver."""

from __future__ import annotations

import subprocess

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wasip2ld.driver import cc, ccargs
from wasip2ld.driver.fastcache import resolve
from wasip2ld.errors import UsageError, Wasip2ldError

from .conftest import HELLO_C


@pytest.mark.parametrize(
    "args, message",
    [
        (["-o"], "argument to '-o' is missing (expected 1 value)"),
        (["-c", "-MF"], "argument to '-MF' is missing (expected 1 value)"),
        (["--wasip1", "--wasip2"], "--wasip1 conflicts with --wasip2"),
        (["--wasip2", "--wasip1"], "--wasip2 conflicts with --wasip1"),
        (["--module", "--component"], "--module conflicts with --component"),
        (["--module", "-shared", "-o", "x.wasm"], "--module conflicts with -shared"),
        (["--module", "-r", "-o", "x.o"], "--module conflicts with -r"),
        (["--component", "-Wl,--skip-wit-component", "-o", "x.wasm"], "--component conflicts with --skip-wit"),
        (["--wit"], "--wit: missing value"),
    ],
)
def test_conflicting_and_incomplete_flags(sh, clang_cmd, tmp_path, args, message):
    result = sh([*clang_cmd, HELLO_C, *args], ok=False, timeout=120)
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert message in errors[0]
    assert "Traceback" not in result.stderr and "posix_spawn" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_empty_world_is_refused_by_sig_and_check(sh, wasip2ld_cmd, tmp_path):
    (tmp_path / "w.wit").write_text("package a:b;\nworld w {}\n")
    (tmp_path / "m.wasm").write_bytes(b"\0asm\1\0\0\0")
    for argv in (["sig", "--wit", "w.wit", "--world", ""], ["check", "--wit", "w.wit", "--world", "", "m.wasm"]):
        result = sh([*wasip2ld_cmd, *argv], ok=False)
        assert result.returncode == 2
        assert result.stderr.splitlines()[0] == "wasip2ld: error: w.wit: the world name given with --world is empty"


OWN = ["--wasip1", "--wasip2", "--module", "--component", "--dry-run", "--wit-all-features"]
VALUED = ["--wit", "--world", "--mangling", "--wasi-adapter", "--string-encoding", "--wit-features"]
CLANG = ["-c", "-o", "-shared", "-r", "-MD", "-MT", "-x", "-v", "-O2", "-g", "--target=wasm32-wasip1", "hello.c",
         "a.o", "@rsp", "-Wl,--module", "-Xlinker", "--", "-"]
VALUES = ["", "w", "legacy", "standard32", "utf8", "none", "x.wit", "-o", "a,b", "@x"]
ARGS = st.lists(
    st.one_of(
        st.sampled_from(OWN + CLANG),
        st.tuples(st.sampled_from(VALUED), st.sampled_from(VALUES), st.booleans()).map(
            lambda t: [f"{t[0]}={t[1]}"] if t[2] else [t[0], t[1]]
        ),
    ),
    max_size=8,
).map(lambda items: [a for item in items for a in (item if isinstance(item, list) else [item])])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ARGS)
def test_any_flag_mix_plans_or_is_one_usage_error(driver_env, monkeypatch, tmp_path, args):
    for name, value in driver_env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(tmp_path)
    try:
        line = ccargs.scan(args)
        invocation = cc.plan(line, resolve(None), cxx=False, default_target=ccargs.TARGET_P2)
    except Wasip2ldError as err:
        assert isinstance(err, UsageError) or err.exit_code == 2
        assert "\n" not in err.message
        return
    assert invocation.argv[0].endswith("clang")


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ARGS)
def test_flag_mixes_through_the_real_driver(sh, clang_cmd, args):
    """A sample, through wasip2-clang itself: no traceback, no hang, a wasip2ld error is one line + hint."""
    try:
        result = sh([*clang_cmd, "--dry-run", *args], ok=False, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"wasip2-clang {' '.join(args)} hung", pytrace=False)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    ours = [line for line in result.stderr.splitlines() if line.startswith("wasip2-clang: error:")]
    if ours:
        assert result.returncode == 2
