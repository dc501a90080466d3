"""CoreModule on modules built from WAT with `wasm-tools parse`: every section kind, the type zoo, index
spaces, custom sections, and the errors for malformed framing and section contents."""

from __future__ import annotations

import re

import pytest

from wasip2ld.errors import UsageError, WasmParseError
from wasip2ld.proc import run_checked
from wasip2ld.wasm.encode import uleb
from wasip2ld.wasm import (
    FuncType,
    GlobalType,
    MemoryType,
    TableType,
    TagType,
    read_module,
    read_module_file,
    sniff,
)

HEADER = b"\0asm\x01\0\0\0"


def section(section_id: int, payload: bytes) -> bytes:
    return bytes([section_id]) + uleb(len(payload)) + payload


def parse_error(data: bytes, path: str | None = "t.wasm") -> WasmParseError:
    with pytest.raises(WasmParseError) as info:
        m = read_module(data, path)
        for prop in ("types", "imports", "functions", "exports", "tables", "memories", "globals", "tags"):
            getattr(m, prop)
    return info.value


def test_function_types_multi_value_and_the_func_index_space(wat):
    m = read_module(
        wat("""(module
      (import "env" "add" (func $add (param i32 i32) (result i32)))
      (import "env" "nothing" (func))
      (func (export "pair") (param i64 f32) (result f64 i32) (f64.const 1) (i32.const 2))
      (func (export "v") (param v128) (result v128) local.get 0)
      (export "add-again" (func $add)))""")
    )
    assert [(i.module, i.name, i.kind, str(i.type)) for i in m.imports] == [
        ("env", "add", "func", "(func (param i32 i32) (result i32))"),
        ("env", "nothing", "func", "(func)"),
    ]
    assert [(e.name, e.kind, e.index, str(e.type)) for e in m.exports] == [
        ("pair", "func", 2, "(func (param i64 f32) (result f64 i32))"),
        ("v", "func", 3, "(func (param v128) (result v128))"),
        ("add-again", "func", 0, "(func (param i32 i32) (result i32))"),
    ]
    assert m.imported_func_count == 2 and m.func_count == 4
    assert m.func_type(2) == FuncType(("i64", "f32"), ("f64", "i32"))
    with pytest.raises(
        WasmParseError, match=r"unknown function 4: function index out of bounds \(the module has 4"
    ):
        m.func_type(4)


def test_gc_rec_groups_sub_types_structs_arrays_and_ref_types(wat):
    m = read_module(
        wat("""(module
      (rec
        (type $node (sub (struct (field i32) (field (mut i8)) (field (ref null $node)))))
        (type $leaf (sub final $node
          (struct (field i32) (field (mut i8)) (field (ref null $node)) (field i16)))))
      (type $bytes (array (mut i8)))
      (type $f (func (param (ref $bytes) (ref null $node) anyref eqref i31ref structref arrayref nullref)
                     (result (ref func) (ref extern) (ref null none) (ref null noextern) (ref null cont))))
      (type $k (cont $f))
      (type $s (shared (func (param (ref null (shared any)) (ref (shared eq))))))
      (func (export "f") (type $f) unreachable))""")
    )
    assert [str(t) for t in m.types] == [
        "(sub (struct (field i32) (field (mut i8)) (field (ref null $0))))",
        "(sub final $0 (struct (field i32) (field (mut i8)) (field (ref null $0)) (field i16)))",
        "(array (mut i8))",
        "(func (param (ref $2) (ref null $0) anyref eqref i31ref structref arrayref nullref)"
        " (result (ref func) (ref extern) nullref nullexternref (ref null cont)))",
        "(cont $3)",
        "(shared (func (param (ref null (shared any)) (ref (shared eq)))))",
    ]
    assert [t.rec_group for t in m.types] == [0, 0, 1, 2, 3, 4]
    assert [(t.kind, t.final, t.supertype) for t in m.types[:3]] == [
        ("struct", False, None),
        ("struct", True, 0),
        ("array", True, None),
    ]
    assert m.types[5].shared and m.types[5].func is not None
    assert m.exports[0].type == m.types[3].func
    assert m.types[0].func is None


def test_exn_and_func_references_and_exact_imports(wat):
    m = read_module(
        wat("""(module
      (type $t (func (param exnref nullexnref nullfuncref funcref externref)))
      (import "a" "exact" (func (exact (type $t))))
      (import "a" "plain" (func (type $t))))""")
    )
    assert str(m.types[0]) == "(func (param exnref nullexnref nullfuncref funcref externref))"
    assert [(i.name, i.exact, i.type_index) for i in m.imports] == [("exact", True, 0), ("plain", False, 0)]


def test_tables_memories_globals_and_tags_in_index_space_order(wat):
    m = read_module(
        wat("""(module
      (type (func (param i32 i64)))
      (import "m" "table" (table 1 2 funcref))
      (import "m" "mem64" (memory i64 1 65536 shared))
      (import "m" "g" (global (mut i64)))
      (import "m" "tag" (tag (param i32 i64)))
      (table i64 0 externref)
      (table 3 (ref null func) (ref.null func))
      (memory 2 (pagesize 1))
      (global $a i32 (i32.add (i32.const 1) (global.get 0)))
      (global (mut f64) (f64.const 0x1.0bp+11))
      (global v128 (v128.const i64x2 11 11))
      (global (ref null func) (ref.null func))
      (tag (param i32 i64))
      (export "mem" (memory 1)) (export "table" (table 2)) (export "g" (global 3)) (export "tag" (tag 1)))""")
    )
    assert m.tables == (
        TableType("funcref", 1, 2),
        TableType("externref", 0, None, table64=True),
        TableType("funcref", 3, None),
    )
    assert m.memories == (
        MemoryType(1, 65536, memory64=True, shared=True),
        MemoryType(2, None, page_size_log2=0),
    )
    assert m.memories[1].page_size == 1 and m.memories[0].page_size == 65536
    assert m.globals == (
        GlobalType("i64", mutable=True),
        GlobalType("i32"),
        GlobalType("f64", mutable=True),
        GlobalType("v128"),
        GlobalType("funcref"),
    )
    assert m.tags == (TagType(0), TagType(0))
    assert [str(i.entity) for i in m.imports[:3]] == [
        "(table 1 2 funcref)",
        "(memory i64 1 65536 shared)",
        "(global (mut i64))",
    ]
    assert m.imports[3].kind == "tag" and str(m.imports[3].type) == "(func (param i32 i64))"
    assert [(e.name, e.kind, e.index, e.type) for e in m.exports] == [
        ("mem", "memory", 1, None),
        ("table", "table", 2, None),
        ("g", "global", 3, None),
        ("tag", "tag", 1, None),
    ]


def test_hundreds_of_imports_and_exports(wat):
    n = 400
    imports = "\n".join(
        f'(import "mod{i % 7}" "f{i}" (func (param {" ".join(["i32"] * (i % 5))}) (result i64)))'
        for i in range(n)
    )
    exports = "\n".join(f'(export "e{i}" (func {i}))' for i in range(n))
    m = read_module(wat(f"(module {imports} {exports})"))
    assert len(m.imports) == n and len(m.exports) == n
    assert all(i.name == f"f{k}" and i.module == f"mod{k % 7}" for k, i in enumerate(m.imports))
    assert all(e.type == FuncType(("i32",) * (k % 5), ("i64",)) for k, e in enumerate(m.exports))


def test_compact_import_encodings(wat, wasm_tools):
    data = wat("""(module
      (type $t (func (param i32)))
      (import "m" (item "a" (func (type $t))) (item "b" (global i32)) (item "c" (memory 1)))
      (import "n" (item "x") (item "y") (item "z") (func (type $t)))
      (import "o" "single" (func)))""")
    m = read_module(data)
    assert [(i.module, i.name, i.kind) for i in m.imports] == [
        ("m", "a", "func"),
        ("m", "b", "global"),
        ("m", "c", "memory"),
        ("n", "x", "func"),
        ("n", "y", "func"),
        ("n", "z", "func"),
        ("o", "single", "func"),
    ]
    assert m.func_type(3) == FuncType(("i32",)) and m.func_type(4) == FuncType()
    # every import's offset is the one `wasm-tools dump` shows for it
    dump = run_checked([wasm_tools, "dump"], tool="wasm-tools", capture=True, input=data).stdout.decode()
    shown = [int(x, 16) for x in re.findall(r"^\s*0x([0-9a-f]+) \|[^|]*\| import \[", dump, re.M)]
    assert [i.offset for i in m.imports] == shown


def test_custom_sections_by_prefix(wat):
    data = wat("""(module (@custom "component-type:world" "abc") (@custom "producers" "p")
                          (@custom "component-type:other" (after type) "\\00\\01") (type (func)))""")
    m = read_module(data)
    found = m.custom_sections("component-type")
    assert [(c.name, c.data) for c in found] == [
        ("component-type:other", b"\0\1"),
        ("component-type:world", b"abc"),
    ]
    for c in found:
        assert data[c.data_offset : c.data_offset + len(c.data)] == c.data
        assert data[c.offset] == 0 and c.offset < c.data_offset
    assert [c.name for c in m.custom_sections()] == [
        "component-type:other",
        "component-type:world",
        "producers",
    ]
    assert m.custom_sections("nope") == []


def test_component_type_section_written_by_component_embed(wasm_tools, wat, tmp_path):
    (tmp_path / "w.wit").write_text("package a:b;\nworld w { export run: func(x: u32) -> string; }\n")
    core = tmp_path / "core.wasm"
    core.write_bytes(wat('(module (memory (export "memory") 1))'))
    out = tmp_path / "embedded.wasm"
    run_checked(
        [wasm_tools, "component", "embed", str(tmp_path / "w.wit"), "-w", "w", str(core), "-o", str(out)],
        tool="wasm-tools",
        capture=True,
    )
    m = read_module_file(out)
    (section,) = m.custom_sections("component-type")
    assert section.name == "component-type" and sniff(section.data) == "component"
    assert m.exports[0].name == "memory" and m.path == str(out)


def test_start_and_data_count(wat):
    m = read_module(wat('(module (memory 1) (func $s) (start $s) (data "x") (func data.drop 0))'))
    assert m.start == 0 and m.data_count == 1
    empty = read_module(wat("(module)"))
    assert (empty.start, empty.data_count, empty.types, empty.imports, empty.exports) == (
        None,
        None,
        (),
        (),
        (),
    )


# --- header and framing -------------------------------------------------------------------------------------


def test_sniff(wat):
    assert sniff(wat("(module)")) == "module"
    assert sniff(wat("(component)")) == "component"
    assert sniff(b"\x7fELF\x02\x01\x01\x00") is None
    assert sniff(b"\0asm") is None
    assert sniff(b"\0asm\x02\0\0\0") is None


def test_a_component_is_named_as_such(wat):
    err = parse_error(wat("(component)"), "app.wasm")
    assert str(err) == "app.wasm: input is a WebAssembly component, not a core module (at offset 0x4)"
    assert err.hint


def test_header_errors():
    assert "bad magic number [7f 45 4c 46], expected [00 61 73 6d]" in str(parse_error(b"\x7fELF\x02\x01"))
    assert parse_error(b"\0asm\x01").reason == "unexpected end-of-file while reading the binary version"
    assert parse_error(b"\0asm\x02\0\0\0").reason == "unknown binary version and encoding: 0x02000000"


def test_concatenated_binaries(wat):
    one = wat("(module (func))")
    err = parse_error(one + one)
    assert err.reason.startswith("expected section, got wasm magic number")
    assert err.offset == len(one)


def test_section_framing_errors():
    typesec = section(1, b"\x01\x60\x00\x00")
    assert parse_error(HEADER + typesec + typesec).reason == "section out of order: duplicate type section"
    err = parse_error(HEADER + section(7, b"\x00") + section(2, b"\x00"))
    assert err.reason == "section out of order: import section after the export section"
    assert err.offset == 11
    assert parse_error(HEADER + b"\x0e\x00").reason == "malformed section id: 14"
    err = parse_error(HEADER + b"\x0a\x10\x00")
    assert (
        err.reason == "code section size 16 goes past the end of the file (1 bytes left)" and err.offset == 9
    )
    # custom sections may go anywhere, the tag section between memory and global
    ok = read_module(
        HEADER + section(0, b"\x01x") + typesec + section(13, b"\x01\x00\x00") + section(6, b"\x00")
    )
    assert ok.tags == (TagType(0),)


def test_errors_inside_sections_name_what_was_expected():
    assert parse_error(HEADER + section(1, b"\x01\x40")).reason == "invalid leading byte (0x40) for type"
    assert (
        parse_error(HEADER + section(1, b"\x01\x60\x01\x55\x00")).reason
        == "invalid leading byte (0x55) for value type"
    )
    bad_import = section(2, b"\x01\x01m\x01n\x07")
    assert parse_error(HEADER + bad_import).reason == "invalid leading byte (0x7) for external kind"
    unknown_type = section(2, b"\x01\x01m\x01n\x00\x05")
    assert parse_error(HEADER + unknown_type).reason.startswith("unknown type 5: type index out of bounds")
    struct_type = section(1, b"\x01\x5f\x00")
    err = parse_error(HEADER + struct_type + section(2, b"\x01\x01m\x01n\x00\x00"))
    assert err.reason == "type 0 is a struct type, not a function type"
    trailing = section(7, b"\x00\x00")
    assert (
        parse_error(HEADER + trailing).reason
        == "section size mismatch: unexpected data at the end of the section"
    )
    err = parse_error(HEADER + section(7, b"\x01\x01e\x00\x03"))
    assert err.reason.startswith("unknown function 3: function index out of bounds")
    assert err.offset == 11  # the export entry
    assert (
        "in global initialiser: not allowed in a constant expression"
        in parse_error(HEADER + section(6, b"\x01\x7f\x00\x20\x00\x0b")).reason
    )
    assert parse_error(HEADER + section(5, b"\x01\x10\x00")).reason == "invalid memory limits flags (0x10)"


def test_corrupt_code_and_data_do_not_stop_imports_and_exports(wat):
    data = bytearray(
        wat("""(module (import "env" "f" (func (param i32)))
                                    (memory 1) (func (export "g") nop) (data (i32.const 0) "abc"))""")
    )
    m = read_module(bytes(data))
    code, data_section = m.section("code"), m.section("data")
    assert code is not None and data_section is not None
    data[code.payload_offset : code.end] = b"\xff" * code.size
    data[data_section.payload_offset : data_section.end] = b"\xff" * data_section.size
    broken = read_module(bytes(data))
    assert [i.name for i in broken.imports] == ["f"]
    assert [(e.name, str(e.type)) for e in broken.exports] == [("g", "(func)")]


def test_a_corrupt_section_fails_only_what_needs_it(wat):
    data = bytearray(
        wat('(module (import "env" "f" (func)) (global i32 (i32.const 7)) (export "f" (func 0)))')
    )
    m = read_module(bytes(data))
    globals_ = m.section("global")
    assert globals_ is not None
    data[globals_.payload_offset + 3] = 0x20  # the initialiser's i32.const becomes local.get
    broken = read_module(bytes(data), "x.wasm")
    assert broken.exports[0].name == "f"
    with pytest.raises(WasmParseError, match=r"^x.wasm: invalid instruction \(0x20\) in global initialiser"):
        broken.globals


def test_reading_files(tmp_path, wat):
    with pytest.raises(UsageError, match="no such file"):
        read_module_file(tmp_path / "missing.wasm")
    with pytest.raises(UsageError, match="is a directory"):
        read_module_file(tmp_path)
    (tmp_path / "bad.wasm").write_bytes(b"hello")
    with pytest.raises(WasmParseError, match=r"bad\.wasm: not a WebAssembly binary"):
        read_module_file(tmp_path / "bad.wasm")


def test_bytearray_and_memoryview_inputs(wat):
    data = wat('(module (import "a" "b" (func (param i32))) (@custom "c" "xyz"))')
    for view in (bytearray(data), memoryview(data)):
        m = read_module(view)
        assert [(i.name, str(i.type)) for i in m.imports] == [("b", "(func (param i32))")]
        (custom,) = m.custom_sections("c")
        assert custom.data == b"xyz" and type(custom.data) is bytes
    assert sniff(memoryview(data)) == "module"
