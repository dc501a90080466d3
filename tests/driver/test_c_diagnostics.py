"""A C module that does not match its world: each diagnostic shows the C declaration the world expects (the
`sig --format c` prototype, under the C name the code uses) and, built with -g, the source line of the
function involved (an export's definition, an import's call), for the linker and for `wasip2ld check`."""

from __future__ import annotations

import re

WIT = """package t:cm;
interface host { log: func(msg: string); }
world w {
  import host;
  export add: func(a: s32, b: s64) -> s64;
}
"""

BROKEN = """#include <stdint.h>
__attribute__((import_module("t:cm/host"), import_name("log"))) void host_log(int32_t p);

__attribute__((export_name("add"))) int32_t add(int32_t a, int32_t b) {
    host_log(a);
    return a + b;
}
"""

IMPORT_C = ('__attribute__((import_module("t:cm/host"), import_name("log"))) '
            'void host_log(int32_t msg_ptr, int32_t msg_len);')
EXPORT_C = '__attribute__((export_name("add"))) int64_t add(int32_t a, int64_t b);'
MODULE = ["-mexec-model=reactor", "--module", "--wit", "w.wit", "--world", "w"]


def _write(tmp_path, source: str = BROKEN) -> None:
    (tmp_path / "w.wit").write_text(WIT)
    (tmp_path / "lib.c").write_text(source)


def test_link_shows_the_c_declarations_at_the_source_lines(sh, clang_cmd, tmp_path):
    _write(tmp_path)
    result = sh([*clang_cmd, "-g", *MODULE, "lib.c", "-o", "lib.wasm"], ok=False)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0].startswith("wasip2ld ld: error: lib.wasm: does not match its world `t:cm/w`")
    # the import is reported where it is called, the export where it is defined
    assert "lib.c:5:5: error: import `t:cm/host::log` has the wrong type for function `log` of interface " \
           "`t:cm/host` [signature-mismatch]" in lines
    assert "lib.c:4: error: export `add` has the wrong type for function `add` exported by the world " \
           "[signature-mismatch]" in lines
    assert f"  expected C: {IMPORT_C}" in lines and f"  expected C: {EXPORT_C}" in lines
    assert not (tmp_path / "lib.wasm").exists()


def test_the_declarations_shown_are_the_fix(sh, clang_cmd, tmp_path):
    """Pasting the `expected C:` lines and defining the function with that prototype gives a valid module."""
    _write(tmp_path)
    result = sh([*clang_cmd, *MODULE, "lib.c", "-o", "lib.wasm"], ok=False)
    declarations = re.findall(r"^  expected C: (.*)$", result.stderr, re.MULTILINE)
    assert declarations == [IMPORT_C, EXPORT_C]
    assert "lib.wasm: error: export `add`" in result.stderr, "without -g the module is the position"
    fixed = "\n".join(["#include <stdint.h>", *declarations,
                       "int64_t add(int32_t a, int64_t b) { host_log(0, 0); return a + b; }", ""])
    _write(tmp_path, fixed)
    sh([*clang_cmd, "-Werror", *MODULE, "lib.c", "-o", "lib.wasm"])
    assert (tmp_path / "lib.wasm").is_file()


def test_check_shows_them_too(sh, clang_cmd, wasip2ld_cmd, tmp_path):
    _write(tmp_path)
    sh([*clang_cmd, "-g", "-mexec-model=reactor", "lib.c", "-o", "lib.core.wasm", "-Wl,--skip-wit-component",
        "-Wl,--export=add"])
    result = sh([*wasip2ld_cmd, "check", "lib.core.wasm", "--wit", "w.wit", "--world", "w"], ok=False)
    assert result.returncode == 1
    assert "lib.c:4: error: export `add` has the wrong type" in result.stdout
    assert f"  expected C: {EXPORT_C}" in result.stdout
