"""The Go driver's parts on their own: argument splitting, the directive scanner, and the module edits
(run under wasmtime and checked with `wasm-tools validate`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from wasmtime import Engine, Func, FuncType, Linker, Module, Store, Trap, ValType, WasmtimeError

from wasip2ld.errors import UsageError
from wasip2ld.gobuild import adapterfix
from wasip2ld.gobuild.args import parse_build_args
from wasip2ld.gobuild.directives import GoParam, core_values, scan_text
from wasip2ld.gobuild.golist import GoPackage, default_output_name, parse_list_output
from wasip2ld.gobuild.reallocguard import guard_realloc, redirect_calls
from wasip2ld.wasm.edit import ModuleEditor
from wasip2ld.wasm.encode import sleb, uleb


@pytest.mark.parametrize("argv, output, go_words, packages", [
    (["-o", "x.wasm", "-tags", "a,b", "./cmd"], "x.wasm", ["-tags", "a,b"], ["./cmd"]),
    (["-o=y.wasm", "-ldflags", "-s -w", "."], "y.wasm", ["-ldflags", "-s -w"], ["."]),
    (["--output", "z.wasm", "--trimpath", "-gcflags=all=-N", "main.go"], "z.wasm", ["--trimpath", "-gcflags=all=-N"], ["main.go"]),
    (["-v", "-C", "sub", "."], None, ["-C", "sub", "-v"], ["."]),
    ([".", "--wit", "wit", "-race"], None, ["-race"], ["."]),
])  # fmt: skip
def test_build_arguments_split(argv, output, go_words, packages):
    args = parse_build_args(argv)
    assert (args.output, args.go_words(), list(args.packages)) == (output, go_words, packages)


def test_own_flags_and_list_flags():
    args = parse_build_args(["--wit=w", "--world", "p", "--module", "--mangling", "legacy", "--wasi-adapter=none",
                             "--wit-features", "a,b", "--dry-run", "-v", "-x", "-json", "-buildmode=exe", "."])  # fmt: skip
    assert (args.wit, args.world, args.mode, args.mangling, args.wasi_adapter) == (
        "w",
        "p",
        "module",
        "legacy",
        "none",
    )
    assert args.wit_features == ("a", "b") and args.dry_run and args.verbose
    assert args.go_flag("buildmode") == "exe"
    assert args.go_words(for_list=True) == ["-buildmode=exe"]
    assert args.go_words(without=("buildmode",)) == ["-v", "-x", "-json"]


@pytest.mark.parametrize("argv, message", [
    (["--module", "--component"], "--module and --component both given"),
    (["--mangling", "odd"], "--mangling=odd: unknown name mangling"),
    (["--wit"], "--wit: missing value"),
    (["-tags"], "-tags: missing value"),
])  # fmt: skip
def test_bad_build_arguments(argv, message):
    with pytest.raises(UsageError) as err:
        parse_build_args(argv)
    assert str(err.value) == message


GO_SOURCE = """\
package bindings

type (
\tHandle uint32
\tRatio = float64
)

type Count Handle

// The host's view.
//
//go:wasmimport my:pkg/host@1.0.0 weird-name
//go:noescape
func hostWeird(
\ta, b int32, // two
\tratio Ratio,
\th Count,
) (n uint64)

//go:wasmexport my:pkg/api@1.0.0#do-it
func doIt(p unsafe.Pointer, s string) bool { return true }

//go:wasmexport not enough room here
func broken() {}

//go:wasmimport only-module
func alsoBroken()

//go:wasmimport m unknown
func unknownTypes(x SomeStruct) [4]byte
"""


def test_directive_scanner():
    found = scan_text(
        GO_SOURCE, Path("b.go"), (("Handle", "uint32"), ("Ratio", "float64"), ("Count", "Handle"))
    )
    assert [(d.kind, d.module, d.name, d.line, d.func) for d in found] == [
        ("wasmimport", "my:pkg/host@1.0.0", "weird-name", 12, "hostWeird"),
        ("wasmexport", None, "my:pkg/api@1.0.0#do-it", 20, "doIt"),
        ("wasmimport", "m", "unknown", 29, "unknownTypes"),
    ]
    weird, do_it, unknown = found
    assert weird.params == (
        GoParam("a", "int32"),
        GoParam("b", "int32"),
        GoParam("ratio", "Ratio"),
        GoParam("h", "Count"),
    )
    assert weird.results == ("uint64",)
    assert weird.signature == "func hostWeird(a int32, b int32, ratio Ratio, h Count) uint64"
    assert str(weird.core_type()) == "(func (param i32 i32 f64 i32) (result i64))"
    assert str(do_it.core_type()) == "(func (param i32 i32 i32) (result i32))"
    assert unknown.core_type() is None
    assert weird.directive_text == "//go:wasmimport my:pkg/host@1.0.0 weird-name"


def test_core_values_follow_cmd_compile():
    assert core_values("rune") == ("i32",) and core_values("*[2]uint32") == ("i32",)
    assert core_values("string") == ("i32", "i32") and core_values("uintptr") == ("i32",)
    assert core_values("int8") is None  # not allowed by value
    assert core_values("A", {"A": "B", "B": "A"}) is None  # a cycle ends


def test_go_list_output_and_default_names():
    text = ('{"ImportPath": "example.com/app/v2", "Name": "main", "Dir": "/src/app", "GoFiles": ["a.go"]}\n'
            '{"ImportPath": "fmt", "Name": "fmt", "Dir": "/go/src/fmt", "Standard": true, "DepOnly": true}\n'
            '{"ImportPath": "command-line-arguments", "Name": "main", "GoFiles": ["tool.go", "b.go"]}')  # fmt: skip
    app, fmt, files = parse_list_output(text)
    assert (app.named, fmt.named, fmt.standard, app.files) == (True, False, True, (Path("/src/app/a.go"),))
    assert default_output_name(app) == "app.wasm"
    assert default_output_name(files) == "tool.wasm"
    assert (
        default_output_name(GoPackage("example.com/x/cmd/tool", "main", None, (), False, True)) == "tool.wasm"
    )
    assert default_output_name(None) == "main.wasm"


def test_leb128_encoders():
    assert [uleb(v) for v in (0, 127, 128, 624485)] == [b"\x00", b"\x7f", b"\x80\x01", b"\xe5\x8e\x26"]
    assert [sleb(v) for v in (0, 63, 64, -1, -65, 1 << 20)] == [
        b"\x00",
        b"\x3f",
        b"\xc0\x00",
        b"\x7f",
        b"\xbf\x7f",
        b"\x80\x80\xc0\x00",
    ]


def _wat_module(wasm_tools: str, tmp_path: Path, wat: str) -> bytes:
    source = tmp_path / "m.wat"
    source.write_text(wat)
    return subprocess.run([wasm_tools, "parse", str(source)], capture_output=True, check=True).stdout


def _validate(wasm_tools: str, tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "edited.wasm"
    path.write_bytes(data)
    subprocess.run([wasm_tools, "validate", str(path)], check=True)


def _header(address: int, trailer: bytes = adapterfix.END_MARKER) -> str:
    raw = adapterfix.MARKER + address.to_bytes(8, "little") + trailer
    return "".join(f"\\{b:02x}" for b in raw)


def test_adapter_realloc_allocates_inside_the_arena(wasm_tools, tmp_path):
    data = _wat_module(
        wasm_tools,
        tmp_path,
        f"""(module
      (memory (export "memory") 8)
      (data (i32.const 100) "other data")
      (data (i32.const 4000) "{_header(8192)}")
      (func (export "_start")))""",
    )
    arena = adapterfix.find_arena(data, "m.wasm")
    assert arena == 8192
    editor = ModuleEditor(data)
    adapterfix.add_adapter_realloc(editor, arena)
    edited = editor.to_bytes()
    _validate(wasm_tools, tmp_path, edited)
    store = Store(Engine())
    instance = Linker(store.engine).instantiate(store, Module(store.engine, edited))
    realloc = instance.exports(store)["cabi_realloc_adapter"]
    memory = instance.exports(store)["memory"]
    first = realloc(store, 0, 0, 8, 100)
    assert first == arena
    second = realloc(store, 0, 0, 1, 10)
    assert second == first + 100
    memory.write(store, b"abcd", second)
    moved = realloc(store, second, 4, 4, 16)
    assert moved % 4 == 0 and moved >= second + 10 and memory.read(store, moved, moved + 4) == b"abcd"
    assert realloc(store, 0, 0, 16, 0) == 16  # size 0: the alignment
    with pytest.raises((Trap, WasmtimeError)):
        realloc(store, 0, 0, 1, adapterfix.ARENA_SIZE)


@pytest.mark.parametrize("segments, problem", [
    ("", "no header"),
    (f'(data (i32.const 0) "{_header(64)}") (data (i32.const 200) "{_header(64)}")', "several headers"),
    (f'(data (i32.const 0) "{_header(64, b"</other>")}")', "a damaged header"),
])  # fmt: skip
def test_arena_header_must_be_found_once_and_whole(wasm_tools, tmp_path, segments, problem):
    from wasip2ld.errors import ToolFailed

    data = _wat_module(wasm_tools, tmp_path, f"(module (memory 1) {segments})")
    with pytest.raises(ToolFailed) as err:
        adapterfix.find_arena(data, "app.wasm")
    assert (
        str(err.value) == f"app.wasm: cannot find wasip2ld's adapter arena in the linked module ({problem})"
    )


GO_LIKE = """(module
  (type $clock (func (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_import (type $clock)))
  (memory (export "memory") 1)
  ;; like cmd/compile's wasmimport thunk: constants whose bytes look like `call 0` must stay
  (func $thunk (param $id i32) (result i32)
    i32.const 16
    drop
    local.get $id
    i64.const 0
    i32.const 64
    call $clock_import)
  (func $read (export "read") (param $id i32) (result i64)
    local.get $id
    call $thunk
    drop
    i32.const 64
    i64.load)
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
    i32.const 0
    call $thunk
    drop
    i32.const 64
    i64.load
    i32.wrap_i64))"""


def test_clock_guard_answers_from_the_cache_inside_realloc(wasm_tools, tmp_path):
    data = _wat_module(wasm_tools, tmp_path, GO_LIKE)
    editor = ModuleEditor(data)
    report = guard_realloc(editor)
    assert report.wrapped_exports == ("cabi_realloc",) and report.guarded_thunks == 1
    edited = editor.to_bytes()
    _validate(wasm_tools, tmp_path, edited)
    calls: list[int] = []
    store = Store(Engine())
    memory_holder = {}

    def clock(clock_id: int, precision: int, ptr: int) -> int:
        calls.append(clock_id)
        memory_holder["memory"].write(store, (1000 + len(calls)).to_bytes(8, "little"), ptr)
        return 0

    linker = Linker(store.engine)
    linker.define(store, "wasi_snapshot_preview1", "clock_time_get",
                  Func(store, FuncType([ValType.i32(), ValType.i64(), ValType.i32()], [ValType.i32()]), clock))  # fmt: skip
    instance = linker.instantiate(store, Module(store.engine, edited))
    exports = instance.exports(store)
    memory_holder["memory"] = exports["memory"]
    assert exports["read"](store, 0) == 1001  # realtime, through the import
    assert exports["read"](store, 1) == 1002  # monotonic, through the import
    assert exports["cabi_realloc"](store, 0, 0, 1, 8) == 1001  # inside realloc: the cached realtime value
    assert calls == [0, 1]
    assert exports["read"](store, 0) == 1003  # the flag is down again


def test_redirect_calls_leaves_lookalike_bytes_and_unknown_code_alone(wasm_tools, tmp_path):
    editor = ModuleEditor(_wat_module(wasm_tools, tmp_path, GO_LIKE))
    start, end = editor.bodies()[0]
    body = bytes(editor.data[start:end])
    rewritten = redirect_calls(body, 0, 300)
    assert rewritten is not None and rewritten.count(b"\x10\xac\x02") == 1
    assert rewritten.replace(b"\x10\xac\x02", b"\x10\x00") == body
    assert redirect_calls(body, 5, 300) is None  # no call to 5
    assert redirect_calls(b"\x00\xfd\x0c" + body[1:], 0, 300) is None  # a SIMD opcode: not decoded
