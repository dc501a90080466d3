"""The remembered wasm-ld command (driver/linkline.py): the same bytes as a link through clang, whatever the
inputs and output are called; a changed toolchain directory or a corrupt entry is a miss; a failing or
impossible link shows clang's own diagnostics."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wasip2ld.driver import linkline

from .conftest import HELLO_C

FUNCTION_NAME = b"__wasm_call_ctors"  # in the core module's name section, unless it is stripped
BROKEN_C = "int missing_function(void);\nint main(void) { return missing_function(); }\n"


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("link-*"))


@pytest.fixture
def objects(sh, clang_cmd, clangxx_cmd, tmp_path) -> Path:
    sh([*clang_cmd, "-c", HELLO_C, "-o", "hello.o"])
    (tmp_path / "hello.cpp").write_text('#include <iostream>\nint main() { std::cout << "hi\\n"; }\n')
    sh([*clangxx_cmd, "-c", "hello.cpp", "-o", "hellocxx.o"])
    (tmp_path / "broken.c").write_text(BROKEN_C)
    sh([*clang_cmd, "-c", "broken.c", "-o", "broken.o"])
    return tmp_path


@pytest.mark.parametrize("case", ["command", "cxx", "module-target"])
def test_remembered_line_links_the_same_bytes_under_other_names(case, sh, clang_cmd, clangxx_cmd, objects,
                                                               libcxx, driver_env):  # fmt: skip
    compiler = clangxx_cmd if case == "cxx" else clang_cmd
    obj = "hellocxx.o" if case == "cxx" else "hello.o"
    extra = ["--module"] if case == "module-target" else []
    cache = Path(driver_env["WASIP2LD_CACHE_DIR"])
    for stale in _entries(cache):
        stale.unlink()
    (objects / "ref").mkdir()
    sh([*compiler, obj, *extra, "-o", "ref/app.wasm", "-v"])  # -v: clang runs wasip2ld's linker
    assert _entries(cache) == []
    (objects / "first").mkdir()
    sh([*compiler, obj, *extra, "-o", "first/app.wasm"])  # a miss: clang -###, then wasm-ld
    assert len(_entries(cache)) == 1
    (objects / "probe-1234" / "sub").mkdir(parents=True)
    shutil.copy(objects / obj, objects / "probe-1234" / "sub" / "renamed.o")
    sh([*compiler, "sub/renamed.o", *extra, "-o", "app.wasm"], cwd=objects / "probe-1234")  # a hit
    assert len(_entries(cache)) == 1
    reference = (objects / "ref" / "app.wasm").read_bytes()
    assert (objects / "first" / "app.wasm").read_bytes() == reference
    assert (objects / "probe-1234" / "app.wasm").read_bytes() == reference


def test_entry_is_used_until_a_stamped_directory_changes(sh, clang_cmd, objects, driver_env, tmp_path):
    watched = tmp_path / "on-path"
    watched.mkdir()
    env = {"PATH": f"{driver_env['PATH']}:{watched}", "WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    sh([*clang_cmd, "hello.o", "-o", "named.wasm"], env=env)
    [entry] = _entries(tmp_path / "cache")
    # Fault injection: an entry whose command strips the name section; trusted while every stamp holds.
    data = entry.read_bytes()
    entry.write_bytes(data.replace(b"2:-m6:wasm32", b"2:-m6:wasm3211:--strip-all", 1))
    sh([*clang_cmd, "hello.o", "-o", "stripped.wasm"], env=env)
    assert FUNCTION_NAME in (objects / "named.wasm").read_bytes()
    assert FUNCTION_NAME not in (objects / "stripped.wasm").read_bytes()
    (watched / "wasm32-wasip2-wasm-ld").write_text("")  # clang would look for this linker on PATH
    sh([*clang_cmd, "hello.o", "-o", "again.wasm"], env=env)
    assert FUNCTION_NAME in (objects / "again.wasm").read_bytes()
    assert b"--strip-all" not in entry.read_bytes()


@pytest.mark.parametrize("garbage", [b"", b"wasip2ld-link-line 1\n99999:short", b"\0" * 64])
def test_corrupt_entry_is_ignored_and_replaced(garbage, sh, clang_cmd, objects, driver_env, tmp_path):
    env = {"WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    sh([*clang_cmd, "hello.o", "-o", "ref.wasm"], env=env)
    [entry] = _entries(tmp_path / "cache")
    entry.write_bytes(garbage)
    sh([*clang_cmd, "hello.o", "-o", "out.wasm"], env=env)
    assert (objects / "out.wasm").read_bytes().replace(b"out.wasm", b"ref.wasm") == (
        objects / "ref.wasm"
    ).read_bytes()
    assert entry.read_bytes().startswith(linkline.FORMAT)


def test_failing_link_shows_clangs_diagnostics_once(sh, clang_cmd, objects, tmp_path):
    env = {"WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    sh([*clang_cmd, "hello.o", "-o", "app.wasm"], env=env)  # the entry a link of one object uses
    (objects / "app.wasm").write_bytes(b"old")
    result = sh([*clang_cmd, "broken.o", "-o", "app.wasm"], env=env, ok=False)
    assert result.returncode == 1
    assert result.stderr.count("undefined symbol: missing_function") == 1, result.stderr
    assert "linker command failed with exit code 1" in result.stderr
    assert (objects / "app.wasm").read_bytes() == b"old"


def test_missing_input_is_reported_by_clang(sh, clang_cmd, objects, tmp_path):
    env = {"WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    sh([*clang_cmd, "hello.o", "-o", "app.wasm"], env=env)
    result = sh([*clang_cmd, "gone.o", "-o", "app.wasm"], env=env, ok=False)
    assert result.returncode != 0
    assert "no such file or directory: 'gone.o'" in result.stderr


@pytest.mark.parametrize(
    "extra",
    [["-B", "/somewhere"], ["--config=x.cfg"], ["@args.rsp"], ["-resource-dir", "/r"], ["-"]],
)
def test_lines_that_depend_on_more_than_the_command_are_not_remembered(extra):
    argv = ["/usr/bin/clang", "--target=wasm32-wasip2", "x.o", *extra, "-o", "/tmp/s/x.wasm"]
    assert linkline._template(argv, {}, "x.wasm", "/tmp/s/x.wasm") is None
    assert linkline._template(argv[:3] + argv[-2:], {}, "x.wasm", "/tmp/s/x.wasm") is not None


def test_quoted_command_lines():
    assert linkline._unquote(' "/bin/wasm-ld" "a b" "q\\"x" "d\\$" "s\\\\"') == [
        "/bin/wasm-ld", "a b", 'q"x', "d$", "s\\"
    ]  # fmt: skip
    assert linkline._unquote(' "unterminated') is None
    assert linkline._unquote(" bare") is None


def test_link_that_clang_warns_about_keeps_clang_and_its_warning(sh, clang_cmd, objects, tmp_path):
    env = {"WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    for out in ("one.wasm", "two.wasm"):  # the second run finds the remembered refusal
        result = sh([*clang_cmd, "hello.o", "-Wa,--noexecstack", "-o", out], env=env)
        assert "argument unused during compilation: '-Wa,--noexecstack'" in result.stderr
    [entry] = _entries(tmp_path / "cache")
    assert b"wasm-ld" not in entry.read_bytes()
    assert (objects / "two.wasm").read_bytes().replace(b"two.wasm", b"one.wasm") == (
        objects / "one.wasm"
    ).read_bytes()


def test_compile_and_link_in_one_command_is_not_templated():
    argv = ["/usr/bin/clang", "--target=wasm32-wasip2", "x.c", "-o", "/tmp/s/x.wasm"]
    assert linkline._template(argv, {}, "x.wasm", "/tmp/s/x.wasm") is None


def test_concurrent_links_share_one_entry(sh, clang_cmd, objects, tmp_path):
    """`make -j`: links racing to write the same entry all get clang's line and the same bytes."""
    import subprocess

    env = {**sh.env, "WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    procs = []
    for n in range(6):
        (objects / f"job{n}").mkdir()
        argv = [*clang_cmd, "hello.o", "-o", f"job{n}/app.wasm"]
        procs.append(subprocess.Popen(argv, cwd=objects, env=env, stderr=subprocess.PIPE))
    assert [p.wait(timeout=300) for p in procs] == [0] * 6, [p.stderr.read() for p in procs]
    outputs = {(objects / f"job{n}" / "app.wasm").read_bytes() for n in range(6)}
    assert len(outputs) == 1
    assert len(_entries(tmp_path / "cache")) == 1
    assert list((tmp_path / "cache").glob("*.tmp")) == []


def test_a_refused_command_line_is_not_remembered(sh, clang_cmd, objects, tmp_path):
    env = {"WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}
    missing = sh([*clang_cmd, "gone.o", "-o", "app.wasm"], env=env, ok=False)
    assert "no such file or directory: 'gone.o'" in missing.stderr
    twice = sh([*clang_cmd, "hello.o", "hello.o", "-o", "app.wasm"], env=env, ok=False)
    assert "duplicate symbol" in twice.stderr
    assert _entries(tmp_path / "cache") == []
    sh([*clang_cmd, "hello.o", "-o", "app.wasm"], env=env)
    [entry] = _entries(tmp_path / "cache")
    assert b"wasm-ld" in entry.read_bytes()
