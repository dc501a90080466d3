"""Differential test: for hundreds of random valid modules from `wasm-tools smith`, the reader's types,
imports, exports, section ranges and section item counts must equal what `wasm-tools print` and `objdump`
say."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest
from wasm_printed import READER_COUNTS, objdump_sections, printed_contents, reader_contents, reader_ranges

from wasip2ld.proc import run_checked
from wasip2ld.wasm import read_module

SEEDS_PER_CONFIG = 100
ON = "true"
PROPOSALS = {
    option: ON
    for option in (
        "gc-enabled",
        "exceptions-enabled",
        "memory64-enabled",
        "custom-page-sizes-enabled",
        "threads-enabled",
        "shared-everything-threads-enabled",
        "compact-imports-enabled",
        "custom-descriptors-enabled",
        "extended-const-enabled",
        "simd-enabled",
        "tail-call-enabled",
        "wide-arithmetic-enabled",
        "generate-custom-sections",
    )
}
# smith options (without the leading --) per configuration; "{imports}" is the available-imports module
CONFIGS: dict[str, dict[str, str]] = {
    "defaults": {},
    "every-proposal": PROPOSALS,
    "many-imports-exports": {
        "min-imports": "3",
        "min-exports": "3",
        "max-imports": "300",
        "max-exports": "300",
        "export-everything": ON,
        "compact-imports-enabled": ON,
    },
    "available-imports": {"available-imports": "{imports}", "compact-imports-enabled": ON, "gc-enabled": ON},
    "mvp-like": {
        "gc-enabled": "false",
        "reference-types-enabled": "false",
        "simd-enabled": "false",
        "exceptions-enabled": "false",
        "max-memories": "1",
        "max-tables": "1",
    },
}


VALUE_TYPES = ["i32", "i64", "f32", "f64", "v128", "funcref", "externref"]


def available_imports_wat() -> str:
    """A module whose many imports `smith --available-imports` picks from."""
    rnd = random.Random("imports")
    lines = []
    for n in range(80):
        params = " ".join(rnd.choices(VALUE_TYPES, k=rnd.randrange(0, 6)))
        results = " ".join(rnd.choices(VALUE_TYPES, k=rnd.randrange(0, 3)))
        lines.append(
            f'(import "wasi:io/streams@0.2.{n % 3}" "f{n}" (func (param {params}) (result {results})))'
        )
    lines += [f'(import "env" "g{n}" (global (mut {t})))' for n, t in enumerate(VALUE_TYPES)]
    lines += [
        '(import "env" "memory" (memory 1 10))',
        '(import "env" "table" (table 2 funcref))',
        '(import "env" "tag" (tag (param i32 f64)))',
    ]
    return "(module " + "\n".join(lines) + ")"


def seed_bytes(config: str, n: int) -> bytes:
    rnd = random.Random(f"{config}/{n}")
    return rnd.randbytes(rnd.randrange(16, 4000))


def smith(wasm_tools: str, flags: list[str], seed: bytes) -> bytes | None:
    """A module from ``seed``, or None when smith cannot build one from these bytes (its exit code 2)."""
    proc = run_checked(
        [wasm_tools, "smith", *flags], tool="wasm-tools smith", capture=True, input=seed, check=False
    )
    if proc.returncode == 2:
        return None
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def mismatches(wasm_tools: str, wasm: bytes) -> list[str]:
    m = read_module(wasm)
    problems = []
    sections = objdump_sections(wasm_tools, wasm)
    has_custom = any(label.startswith("custom") for label, *_ in sections)
    mine, theirs = reader_contents(m), printed_contents(wasm_tools, wasm, strip=has_custom)
    for field in ("types", "imports", "exports"):
        ours, expected = getattr(mine, field), getattr(theirs, field)
        if ours != expected:
            first = next(
                (f"{a!r} != {b!r}" for a, b in zip(ours, expected) if a != b),
                f"{len(ours)} != {len(expected)}",
            )
            problems.append(f"{field}: {first}")
    if reader_ranges(m) != [(start, end) for _, start, end, _ in sections]:
        problems.append(f"section ranges: {reader_ranges(m)} != {sections}")
    for label, _, _, count in sections:
        if label in READER_COUNTS and READER_COUNTS[label](m) != count:
            problems.append(f"{label}: {READER_COUNTS[label](m)} items, objdump says {count}")
    for i in m.imports:
        if i.kind in ("func", "tag") and i.type != m.types[i.type_index or 0].func:
            problems.append(f"import {i.name!r}: type {i.type} is not type {i.type_index}")
    for e in m.exports:
        if e.kind == "func" and e.type != m.func_type(e.index):
            problems.append(f"export {e.name!r}: {e.type} != func_type({e.index})")
    m.tables, m.memories, m.globals, m.start, m.data_count  # must decode without error
    return problems


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_reader_agrees_with_wasm_tools_on_smith_modules(config, wasm_tools, wat, tmp_path):
    imports = tmp_path / "imports.wasm"
    imports.write_bytes(wat(available_imports_wat()))
    flags = [word for option, value in CONFIGS[config].items() for word in (f"--{option}", value)]
    flags = [flag.replace("{imports}", str(imports)) for flag in flags]

    def check(n: int) -> tuple[int, list[str]]:
        wasm = smith(wasm_tools, flags, seed_bytes(config, n))
        return (
            (0, [])
            if wasm is None
            else (1, [f"seed {config}/{n}: {p}" for p in mismatches(wasm_tools, wasm)])
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(check, range(SEEDS_PER_CONFIG)))
    generated = sum(r[0] for r in results)
    problems = [p for r in results for p in r[1]]
    assert generated >= SEEDS_PER_CONFIG * 0.6, f"smith built only {generated} modules"
    assert not problems, "\n".join(problems[:10])
