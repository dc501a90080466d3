"""Differential testing of ``check_module`` against `wasm-tools component new`: wit-component's dummy module
for a world (`component embed --dummy-names …`) and mutations of it (exports removed, types changed,
modules renamed or re-versioned, memory/realloc removed), each judged by both. ``component new`` runs once
per mutant, two at a time."""

from __future__ import annotations

import sys
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from wasip2ld.conformance.mutants import mutants
from wasip2ld.wasm.synth import encode, spec_from_module

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "abi"))  # the WIT/ABI tests' helpers
from dummy import dummy_bytes as dummy_module  # noqa: E402,F401  (re-exported for the tests)

from wasip2ld.check import check_module
from wasip2ld.wit.model import World

MANGLINGS = ("legacy", "standard32")


def component_new_verdicts(
    wasm_tools: str, modules: list[bytes], extra: tuple[str, ...] = ()
) -> list[tuple[bool, str]]:
    """(accepted, last line of the error) from `wasm-tools component new [extra…]` for each module."""
    with tempfile.TemporaryDirectory(prefix="wasip2ld-mutants-") as tmp:
        paths = []
        for index, data in enumerate(modules):
            path = Path(tmp) / f"m{index}.wasm"
            path.write_bytes(data)
            paths.append(path)

        def verdict(path: Path) -> tuple[bool, str]:
            argv = [
                wasm_tools,
                "component",
                "new",
                str(path),
                "-o",
                str(path.with_suffix(".component")),
                *extra,
            ]
            proc = subprocess.run(argv, capture_output=True, text=True, check=False)
            lines = [line.strip() for line in proc.stderr.splitlines() if line.strip()]
            if proc.returncode == 101:  # a panic is a rejection too, but note it
                return False, "panic: " + next(
                    (line for line in lines if "panicked" in line), lines[0] if lines else ""
                )
            return proc.returncode == 0, lines[-1] if lines else ""

        with ThreadPoolExecutor(max_workers=2) as pool:
            return list(pool.map(verdict, paths))


# --- the comparison ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Disagreement:
    label: str
    ours: bool
    theirs: bool
    their_error: str
    our_errors: tuple[str, ...]

    def __str__(self) -> str:
        ours = "accepts" if self.ours else "rejects"
        theirs = "accepts" if self.theirs else f"rejects ({self.their_error})"
        return f"{self.label}: check {ours} {list(self.our_errors)}, component new {theirs}"


# `check --mangling standard32` is `component new --reject-legacy-names`; auto is the default of both.
REJECT_LEGACY = {"auto": (), "standard32": ("--reject-legacy-names",)}


def compare(wasm_tools: str, world: World, base: bytes, *, limit: int, seed: str,
            mangling: str = "auto") -> tuple[int, list[Disagreement]]:  # fmt: skip
    """Check the dummy module itself and its mutants with both tools; return (cases, disagreements). With
    ``mangling="auto"`` the dummy module must be accepted by both."""
    spec = spec_from_module(base)
    cases = [("dummy module as generated", base), ("dummy module re-encoded", encode(spec))]
    cases += [(m.label, encode(m.spec)) for m in mutants(spec, limit=limit, seed=seed)]
    theirs = component_new_verdicts(wasm_tools, [data for _, data in cases], REJECT_LEGACY[mangling])
    disagreements = []
    for (label, data), (accepted, error) in zip(cases, theirs):
        result = check_module(data, world, mangling=mangling)
        if result.ok != accepted:
            disagreements.append(
                Disagreement(
                    label, result.ok, accepted, error, tuple(f"{d.code}: {d.message}" for d in result.errors)
                )
            )
    if mangling == "auto":
        assert theirs[0][0] and theirs[1][0], (
            f"component new rejects the dummy module: {theirs[0][1] or theirs[1][1]}"
        )
    return len(cases), disagreements
