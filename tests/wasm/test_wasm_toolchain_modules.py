"""The reader on what the real toolchains produce: a clang-22 + wasm-ld wasm32-wasip2 module and a Go wasip1
module (~2.5 MB), compared with wasm-tools."""

from __future__ import annotations

from wasm_printed import READER_COUNTS, objdump_sections, printed_contents, reader_contents, reader_ranges

from wasip2ld.wasm import FuncType, read_module, read_module_file


def assert_agrees_with_wasm_tools(wasm_tools: str, data: bytes) -> None:
    m = read_module(data)
    assert reader_contents(m) == printed_contents(wasm_tools, data)
    sections = objdump_sections(wasm_tools, data)
    assert reader_ranges(m) == [(start, end) for _, start, end, _ in sections]
    for label, _, _, count in sections:
        if label in READER_COUNTS:
            assert READER_COUNTS[label](m) == count, label
    assert [f'custom "{c.name}"' for c in m.custom_sections()] == [
        s[0] for s in sections if s[0].startswith("custom")
    ]


def test_clang_wasip2_module(c_module, wasm_tools, p1_free_sysroot):
    m = read_module_file(c_module)
    by_name = {i.name: i for i in m.imports}
    assert by_name["host_add"].module == "env"
    assert by_name["host_add"].type == FuncType(("i32", "i32"), ("i32",))
    assert by_name["host_wide"].type == FuncType(("i64", "f32", "f64"), ("i64",))
    assert not any(i.module == "wasi_snapshot_preview1" for i in m.imports)  # a p1-free wasi-libc
    assert any(i.module == "wasi:cli/stdout@0.2.0" for i in m.imports)
    exports = {e.name: e for e in m.exports}
    assert exports["add3"].type == FuncType(("i32", "i32", "i32"), ("i32",))
    assert exports["scale"].type == FuncType(("f64", "i64"), ("f64",))
    assert exports["nothing"].type == FuncType()
    assert exports["wasi:cli/run@0.2.0#run"].type == FuncType((), ("i32",))  # crt1-command's entry
    assert exports["memory"].kind == "memory" and len(m.memories) == 1 and not m.memories[0].memory64
    worlds = m.custom_sections("component-type")  # crt1's wasi:cli/command and libc's wasi:cli/imports
    assert len(worlds) == 2 and all(w.data.startswith(b"\0asm") for w in worlds)
    assert {c.name for c in m.custom_sections(".debug_")} >= {".debug_info", ".debug_line"}
    assert_agrees_with_wasm_tools(wasm_tools, c_module.read_bytes())


def test_go_wasip1_module(go_module, wasm_tools):
    data = go_module.read_bytes()
    assert len(data) > 1_000_000
    m = read_module(data, str(go_module))
    assert {i.module for i in m.imports} == {"wasi_snapshot_preview1"}
    assert {i.name for i in m.imports} >= {"fd_write", "proc_exit", "args_get", "clock_time_get"}
    exports = {e.name: e for e in m.exports}
    assert exports["add"].type == FuncType(("i32", "i32"), ("i32",))
    assert exports["mix"].type == FuncType(("i64", "f64", "f32"), ("f64",))
    assert exports["_start"].type == FuncType()
    assert [c.name for c in m.custom_sections("go:")] == ["go:buildid"]
    assert len(m.functions) > 1000 and all(isinstance(m.func_type(i), FuncType) for i in range(m.func_count))
    assert_agrees_with_wasm_tools(wasm_tools, data)
