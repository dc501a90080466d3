"""Fixtures for the core-module reader tests: modules built at test time by the real tools (wasm-tools parse,
clang-22 + wasm-ld, go)."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest

from wasip2ld.proc import run_checked

C_SOURCE = r"""
#include <stdio.h>
#include <stdlib.h>
__attribute__((import_module("env"), import_name("host_add"))) int host_add(int, int);
__attribute__((import_module("env"), import_name("host_wide"))) long long host_wide(long long, float, double);
__attribute__((export_name("add3"))) int add3(int a, int b, int c) { return host_add(a, b) + c; }
__attribute__((export_name("scale"))) double scale(double x, long long k) {
    return x * (double)k + host_wide(k, 1.0f, x);
}
__attribute__((export_name("nothing"))) void nothing(void) {}
int main(void) { char *p = malloc(10); printf("hi %p\n", (void *)p); return 0; }
"""

GO_SOURCE = """package main

import "fmt"

//go:wasmexport add
func add(a, b int32) int32 { return a + b }

//go:wasmexport mix
func mix(a int64, b float64, c float32) float64 { return float64(a) + b + float64(c) }

func main() { fmt.Println("hello from go") }
"""


@pytest.fixture(scope="session")
def wat(wasm_tools: str, tmp_path_factory) -> Callable[[str], bytes]:
    """`wat(text)` -> the binary `wasm-tools parse` makes of it."""
    workdir = tmp_path_factory.mktemp("wat")
    counter = iter(range(1_000_000))

    def parse(text: str) -> bytes:
        n = next(counter)
        source, output = workdir / f"m{n}.wat", workdir / f"m{n}.wasm"
        source.write_text(text)
        run_checked([wasm_tools, "parse", str(source), "-o", str(output)], tool="wasm-tools", capture=True)
        return output.read_bytes()

    return parse


@pytest.fixture(scope="session")
def c_module(toolchain, need, tmp_path_factory) -> Path:
    """A clang-22 + wasm-ld build of a small C program for wasm32-wasip2 against the wasi-libc sysroot."""
    need("clang"), need("wasm-ld")
    workdir = tmp_path_factory.mktemp("cmod")
    source = workdir / "hello.c"
    source.write_text(C_SOURCE)
    output = workdir / "hello.wasm"
    argv = [
        *toolchain.require("clang").argv,
        "--target=wasm32-wasip2",
        f"--sysroot={need('sysroot-wasip2')}",
        "-fuse-ld=lld",
        f"-B{need('wasm-ld').parent}",
        "-O1",
        "-g",
        str(source),
        "-o",
        str(output),
    ]
    run_checked(argv, tool="clang", capture=True)
    return output


@pytest.fixture(scope="session")
def go_module(toolchain, need, tmp_path_factory) -> Path:
    """A `GOOS=wasip1 GOARCH=wasm go build` of a hello world with two //go:wasmexport functions (~2.5 MB)."""
    need("go")
    workdir = tmp_path_factory.mktemp("gomod")
    (workdir / "main.go").write_text(GO_SOURCE)
    (workdir / "go.mod").write_text("module example.com/hello\n\ngo 1.24\n")
    output = workdir / "hello.wasm"
    env = {"GOOS": "wasip1", "GOARCH": "wasm", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local"}
    run_checked(
        [*toolchain.require("go").argv, "build", "-o", str(output), "."],
        tool="go",
        capture=True,
        env=env,
        cwd=workdir,
    )
    return output
