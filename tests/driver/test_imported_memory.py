"""A library linked with wasm-ld's `--import-memory` imports its linear memory as `env::memory` instead of
exporting it. wit-component defines that memory itself, so `wasip2ld check`, the driver's validation phase
and `wasm-tools component new` all accept the module target, and the component build works too."""

from __future__ import annotations

from .conftest import imports_of, layer

WIT = """package demo:mem;

world lib {
  import log: func(msg: string);
  export greet: func(name: string) -> string;
}
"""

SOURCE = r"""
#include <stdint.h>
#include <stdlib.h>

__attribute__((import_module("$root"), import_name("log"))) void host_log(const char *p, size_t n);

static uint32_t ret[2];

__attribute__((export_name("greet"))) uint32_t *greet(char *p, size_t n) {
    host_log(p, n);
    ret[0] = (uint32_t)(uintptr_t)p;
    ret[1] = n;
    return ret;
}

__attribute__((export_name("cabi_post_greet"))) void greet_post(uint32_t *r) { (void)r; }

__attribute__((export_name("cabi_realloc"))) void *cabi_realloc(void *old, size_t old_size, size_t align,
                                                                size_t new_size) {
    (void)old_size, (void)align;
    return realloc(old, new_size);
}
"""


def test_a_module_that_imports_its_memory(sh, clang_cmd, wasip2ld_cmd, wasm_tools, tmp_path):
    (tmp_path / "w.wit").write_text(WIT)
    (tmp_path / "lib.c").write_text(SOURCE)
    common = ["-mexec-model=reactor", "--wit", "w.wit", "--world", "lib", "lib.c", "-Wl,--import-memory"]
    sh([*clang_cmd, "--module", *common, "-o", "lib.core.wasm"])
    assert ("env", "memory") in imports_of(tmp_path / "lib.core.wasm")
    assert "matches world `demo:mem/lib`" in sh([*wasip2ld_cmd, "check", "lib.core.wasm"]).stdout
    strict = sh([*wasip2ld_cmd, "check", "lib.core.wasm", "--strict"], ok=False)
    assert (
        strict.returncode == 1 and "[missing-memory]" in strict.stdout and "BuildTargets.md" in strict.stdout
    )
    sh([wasm_tools, "component", "new", "lib.core.wasm", "-o", "lib.component.wasm"])
    sh([*clang_cmd, *common, "-o", "lib.wasm"])
    assert layer(tmp_path / "lib.wasm") == "component"
