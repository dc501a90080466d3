"""String encodings: a module whose world was embedded with `--encoding utf16` or `compact-utf16` gets and
returns strings in that encoding (latin1+utf16: latin-1 when every character fits, else utf-16 with the
high bit of the length set), under this host exactly as under wasmtime's component host for the same
module componentized."""

from __future__ import annotations

import subprocess

import pytest
import wasmtime
from wasmtime import component as cm

from wasip2ld.host import instantiate

from .wat import BUMP_REALLOC

WIT = """
package t:str;
world w {
  export echo: func(s: string) -> string;
  export raw-length: func(s: string) -> u32;
}
"""

WAT = r"""
(module
  (memory (export "memory") 1)
""" + BUMP_REALLOC + r"""
  (func (export "echo") (param i32 i32) (result i32)
    (i32.store (i32.const 16) (local.get 0))
    (i32.store (i32.const 20) (local.get 1))
    (i32.const 16))
  (func (export "raw-length") (param i32 i32) (result i32) (local.get 1))
)
"""

TEXTS = ["", "plain", "héllo wörld", "snow ☃", "clef 𝄞 and ÿ", "ÿ" * 40]


def expected_length(encoding: str, text: str) -> int:
    if encoding == "utf8":
        return len(text.encode())
    units = len(text.encode("utf-16-le")) // 2
    if encoding == "utf16":
        return units
    return len(text) if all(ord(c) < 256 for c in text) else units | 1 << 31


@pytest.mark.parametrize("encoding,name", [("utf8", "utf8"), ("utf16", "utf16"), ("compact-utf16", "latin1+utf16")])
def test_string_encodings_match_wasmtime(encoding, name, wasm_tools, tmp_path):
    (tmp_path / "w.wit").write_text(WIT)
    (tmp_path / "m.wat").write_text(WAT)
    module = tmp_path / "m.wasm"
    subprocess.run([wasm_tools, "component", "embed", "--encoding", encoding, tmp_path / "w.wit",
                    tmp_path / "m.wat", "-o", module], check=True)
    subprocess.run([wasm_tools, "component", "new", module, "-o", tmp_path / "c.wasm"], check=True)
    inst = instantiate(module)
    assert inst.encoding == name
    engine = wasmtime.Engine()
    store = wasmtime.Store(engine)
    comp = cm.Linker(engine).instantiate(store, cm.Component.from_file(engine, str(tmp_path / "c.wasm")))

    def reference(export, text):
        func = comp.get_func(store, comp.get_export_index(store, export))
        result = func(store, text)
        func.post_return(store)
        return result

    for text in TEXTS:
        assert inst.exports["echo"](text) == reference("echo", text) == text
        assert inst.exports["raw-length"](text) == reference("raw-length", text) == expected_length(name, text)
