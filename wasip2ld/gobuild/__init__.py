"""`wasip2ld go build`: Go's wasip1 port (GOOS=wasip1 GOARCH=wasm, ``//go:wasmimport``/``//go:wasmexport``)
turned into WASI 0.2 components or core module build targets, with mismatches against the WIT world
reported at the Go directives. See docs/go.md.

    args         the command line: wasip2ld's flags, go's flags, packages
    golist       `go list`: the main package and the sources to scan
    directives   the `//go:wasm*` directives in those sources and the signatures under them
    diagnose     the built module vs the world, as Go diagnostics
    adapterfix   the WASI adapter's memory arena and allocator, the run export of a command world
    build        the phases, on the shared pipeline (``wasip2ld.driver.pipeline``)
    buildrecord  what a successful build leaves for the next identical one
    warm         that next build: `go build` and `component new` only, without the CLI (``main``)
"""

from __future__ import annotations

# Go's wasip1 port; there is no GOOS=wasip2 (golang/go#65333).
WASM_ENV = {"GOOS": "wasip1", "GOARCH": "wasm"}
