"""The C/C++ compiler driver (``wasip2-clang``, ``wasip2ld cc``), the wasm-component-ld-compatible linker
(``wasip2ld ld``) and the build pipeline both use (``pipeline``). See docs/driver.md.

Kept empty on purpose: ``entry`` must import quickly for the compile fast path.
"""
