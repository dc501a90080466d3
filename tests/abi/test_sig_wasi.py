"""`wasip2ld sig` outputs for every WASI world jco ships: the WAT skeleton (all expected imports and
exports) is a module `wasm-tools component new` turns into a component, and the C header compiles with
clang-22 as C and as C++."""

from __future__ import annotations

import subprocess

from dummy import has_async

from wasip2ld.abi import expected_interface
from wasip2ld.abi.formats import render
from wasip2ld.wit import load_packages


def wasi_worlds(wasi_releases, toolchain):
    for release in wasi_releases:
        for tree in release.packages:
            for world in load_packages(tree, toolchain=toolchain).main.worlds:
                yield tree, world


def run(argv: list[str]) -> str:
    proc = subprocess.run(argv, check=False, capture_output=True, text=True)
    return "" if proc.returncode == 0 else f"{' '.join(argv)}:\n{proc.stderr}"


def test_wat_skeletons_componentize(wasi_releases, wasm_tools, toolchain, tmp_path):
    problems, count = [], 0
    for tree, world in wasi_worlds(wasi_releases, toolchain):
        variants = [("legacy", "sync"), ("standard32", "sync")]
        if has_async(world):
            variants += [("legacy", "async-callback"), ("legacy", "async-stackful")]
        for mangling, abi in variants:
            wat, core, embedded = tmp_path / "m.wat", tmp_path / "m.wasm", tmp_path / "e.wasm"
            wat.write_text(render(expected_interface(world, mangling, abi), "wat"))
            problem = (
                run([wasm_tools, "parse", str(wat), "-o", str(core)])
                or run(
                    [
                        wasm_tools,
                        "component",
                        "embed",
                        str(tree),
                        "-w",
                        world.id,
                        str(core),
                        "-o",
                        str(embedded),
                    ]
                )
                or run([wasm_tools, "component", "new", str(embedded), "-o", str(tmp_path / "c.wasm")])
            )
            if problem:
                problems.append(f"{world.id} {mangling} {abi}: {problem}")
            count += 1
    assert not problems, "\n".join(problems)
    assert count >= 30


def test_c_headers_compile(wasi_releases, toolchain, tmp_path):
    clang = toolchain.require("clang").argv
    sysroot = toolchain.path("sysroot-wasip2")
    problems, count = [], 0
    for tree, world in wasi_worlds(wasi_releases, toolchain):
        for mangling in ("legacy", "standard32"):
            header = tmp_path / f"{world.name}-{mangling}.h"
            header.write_text(render(expected_interface(world, mangling), "c"))
            source = tmp_path / "use.c"
            source.write_text(
                f'#include "{header.name}"\n#include "{header.name}"\n'
            )  # the include guard works
            for language in ("c", "c++"):
                problem = run(
                    [
                        *clang,
                        "--target=wasm32-wasip2",
                        f"--sysroot={sysroot}",
                        "-fsyntax-only",
                        "-Wall",
                        "-Wextra",
                        "-Werror",
                        "-x",
                        language,
                        str(source),
                    ]
                )
                if problem:
                    problems.append(f"{world.id} {mangling} ({language}): {problem}")
            count += 1
    assert not problems, "\n".join(problems[:5])
    assert count >= 30
