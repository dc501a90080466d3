"""Command-line reading: the compiler driver's classification, the linker's flag split, response files,
wasm-tools error chains, and the resolution cache's keys and stamps."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wasip2ld.driver import ccargs, fastcache, ldargs, rspfile
from wasip2ld.driver.tooldiag import diagnose
from wasip2ld.errors import UsageError


@pytest.mark.parametrize(
    "args, links",
    [
        (["hello.c", "-o", "hello.wasm"], True),
        (["-c", "hello.c"], False),
        (["-E", "hello.c"], False),
        (["-S", "x.c"], False),
        (["-fsyntax-only", "x.c"], False),
        (["-M", "x.c"], False),
        (
            ["-MD", "-MF", "x.d", "x.c", "-o", "x"],
            True,
        ),  # -MD accompanies a link; -MF's value is not an input
        (["-x", "c", "-", "-o", "a.wasm"], True),
        (["--version"], False),
        (["-print-file-name=libc.a"], False),
        (["-dumpmachine"], False),
        (["-v"], False),  # no inputs
        (["-I", "include", "-D", "X=1"], False),  # values only, no inputs
        (["a.o", "b.o", "-lm"], True),
        (["-Wl,--version"], True),  # clang runs the linker for this
        (["-lc", "-o", "x.wasm"], True),
    ],
)
def test_compiler_line_classification(args, links):
    assert ccargs.scan(args).links is links


def test_own_flags_are_taken_out_and_clangs_kept_in_order():
    line = ccargs.scan(
        [
            "-O2",
            "--module",
            "--wit",
            "w.wit",
            "-Wl,--export=f",
            "x.c",
            "--world=w",
            "-Xlinker",
            "--wit",
            "-o",
            "x.wasm",
        ]
    )
    assert line.clang_args == ["-O2", "-Wl,--export=f", "x.c", "-Xlinker", "--wit", "-o", "x.wasm"]
    assert line.own == {"module": True, "wit": "w.wit", "world": "w"}
    assert line.output == "x.wasm"


def test_own_flag_errors():
    with pytest.raises(UsageError, match="--mangling=foo: unknown name mangling"):
        ccargs.scan(["--mangling=foo", "x.c"])
    with pytest.raises(UsageError, match="--wit: missing value"):
        ccargs.scan(["x.c", "--wit"])
    with pytest.raises(UsageError, match="--module needs the wasm32-wasip2 target"):
        ccargs.scan(["--wasip1", "--module", "x.c"])


def test_own_flags_in_response_files_rewrite_the_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "plain.rsp").write_text("-c x.c\n")
    plain = ccargs.scan(["@plain.rsp"])
    assert not plain.rewritten and plain.clang_args == ["@plain.rsp"] and not plain.links
    (tmp_path / "own.rsp").write_text("--module x.c\n")
    own = ccargs.scan(["@own.rsp", "-o", "x.wasm"])
    assert own.rewritten and own.clang_args == ["x.c", "-o", "x.wasm"] and own.own == {"module": True}


def test_group_flags_reach_the_linker_as_environment():
    from wasip2ld.config import env_name
    from wasip2ld.driver.cc import overrides_as_env

    env = overrides_as_env(
        {
            "toolchain": "wasi-sdk",
            "roots": {"wasi-sdk": "/opt/w"},
            "tools": {"clang++": "/x", "wasm-tools": "/y"},
        }
    )
    assert env == {
        "WASIP2LD_TOOLCHAIN": "wasi-sdk",
        "WASI_SDK_PATH": "/opt/w",
        env_name("clang++"): "/x",
        env_name("wasm-tools"): "/y",
    }


def test_linker_split_keeps_wasm_ld_arguments_verbatim():
    args = ldargs.parse(
        [
            "-flavor",
            "wasm",
            "-m",
            "wasm32",
            "--export",
            "f",
            "-zstack-size=1",
            "--max-memory",
            "65536",
            "--wasi-adapter",
            "reactor",
            "--component-type=a.wit",
            "--component-type",
            "b.wit",
            "-shared",
            "--validate-component",
            "false",
            "--export-memory",
            "o.o",
            "--wit",
            "w.wit",
            "-o",
            "out.wasm",
            "--merge-imports-based-on-semver",
            "--unknown-flag=1",
            "-single-dash-thing",
        ]
    )
    assert args.lld_args == (
        "-m",
        "wasm32",
        "--export",
        "f",
        "-zstack-size=1",
        "--max-memory=65536",
        "-shared",
        "--export-memory",
        "o.o",
        "--unknown-flag=1",
        "-single-dash-thing",
    )
    assert args.output == "out.wasm" and args.wasi_adapter == "reactor" and args.wit == "w.wit"
    assert args.component_types == ("a.wit", "b.wit")
    assert args.validate_component is False and args.merge_imports_based_on_semver is True
    assert args.library_output


def test_linker_usage_errors():
    with pytest.raises(UsageError, match="-o/--output is required"):
        ldargs.parse(["a.o"])
    with pytest.raises(UsageError, match="--string-encoding=latin1"):
        ldargs.parse(["--string-encoding", "latin1", "-o", "x"])
    with pytest.raises(UsageError, match="expected true or false"):
        ldargs.parse(["--validate-component=maybe", "-o", "x"])
    assert ldargs.parse(["--version"]).version


# LLVM's tokenizer drops empty tokens, so a response file cannot carry an empty argument.
_ARGS = st.lists(
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\0"),
        min_size=1,
        max_size=12,
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(_ARGS)
def test_response_file_round_trip(args):
    assert rspfile.tokenize(rspfile.render(args)) == args


def test_response_file_tokenizer_follows_llvm_gnu_rules():
    assert rspfile.tokenize("a 'b c' \"d \\\"e\\\"\" f\\ g\n\th#i '' x'y'z") == [
        "a",
        "b c",
        'd "e"',
        "f g",
        "h#i",
        "xyz",
    ]


def test_nested_response_files_and_missing_ones(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "outer").write_text("x @inner y")
    (tmp_path / "inner").write_text("'in ner'")
    assert rspfile.expand(["@outer", "@does-not-exist"]) == ["x", "in ner", "y", "@does-not-exist"]
    (tmp_path / "loop").write_text("@loop")
    with pytest.raises(UsageError, match="nested more than"):
        rspfile.expand(["@loop"])


def test_wasm_tools_chain_becomes_one_line_with_a_hint():
    stderr = (
        "error: failed to encode a component from module\n\nCaused by:\n"
        "    0: failed to decode world from module\n"
        "    1: module was not valid\n    2: failed to resolve import `env::foo`\n"
        "    3: module requires an import interface named `env`\n"
    )
    diagnosis = diagnose(stderr)
    assert (
        diagnosis.problem
        == "failed to resolve import `env::foo`: module requires an import interface named `env`"
    )
    assert diagnosis.hint and "`env`" in diagnosis.hint


def test_cache_hits_then_notices_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("WASIP2LD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    extra_dir = tmp_path / "on-path"
    extra_dir.mkdir()
    monkeypatch.setenv("PATH", f"{extra_dir}{os.pathsep}{os.environ['PATH']}")
    first = fastcache.resolve()
    key = fastcache.cache_key(None)
    path = fastcache.entry_path(key)
    assert fastcache._load(path, key).as_dict() == first.as_dict()
    # a new program on PATH may change what discovery finds: the entry is stale
    time.sleep(0.01)
    (extra_dir / "clang-99").write_text("")
    assert fastcache._load(path, key) is None
    assert fastcache.resolve().as_dict() == first.as_dict()
    # a project config file changes the key itself
    (tmp_path / "wasip2ld.toml").write_text("[build]\n")
    assert fastcache.cache_key(None) != key
