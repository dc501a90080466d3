"""``run_suite``: score a checker against an exported suite. A checker is a command template (split like a
shell splits words, never run by one; ``{module}``, ``{wit}`` and ``{world}`` replaced in every word) that
exits 0 to accept a module. Cases run ``jobs`` at a time, each within ``timeout`` seconds (a checker that
takes longer rejects the module)."""

from __future__ import annotations

import json
import shlex
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..errors import ToolchainError, UsageError
from ..proc import start, stop
from .export import FORMAT

PLACEHOLDERS = ("{module}", "{wit}", "{world}")


@dataclass(frozen=True)
class Outcome:
    case: dict
    accepted: bool
    message: str  # the checker's last line of output (stderr, else stdout), for rejections and timeouts

    @property
    def agrees(self) -> bool:
        return self.accepted == (self.case["verdict"] == "accept")


@dataclass
class Report:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def agreed(self) -> int:
        return sum(o.agrees for o in self.outcomes)

    @property
    def percent(self) -> float:
        return 100.0 * self.agreed / len(self.outcomes) if self.outcomes else 100.0

    def categories(self) -> dict[str, tuple[int, int]]:
        """``verdict/category`` -> (agreeing, total), sorted."""
        out: dict[str, list[int]] = {}
        for o in self.outcomes:
            counts = out.setdefault(f"{o.case['verdict']}/{o.case['category']}", [0, 0])
            counts[0] += o.agrees
            counts[1] += 1
        return {k: (v[0], v[1]) for k, v in sorted(out.items())}

    def disagreements(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.agrees]


def load_index(directory: Path) -> dict:
    path = Path(directory) / "index.json"
    try:
        index = json.loads(path.read_text())
    except FileNotFoundError:
        raise UsageError(f"{directory}: no index.json: not a conformance suite",
                         hint="write one with `wasip2ld conformance export DIR`") from None  # fmt: skip
    except (OSError, ValueError) as exc:
        raise UsageError(f"{path}: cannot read the suite's index: {exc}") from None
    if (
        not isinstance(index, dict)
        or index.get("format") != FORMAT
        or not isinstance(index.get("cases"), list)
    ):
        raise UsageError(f"{path}: not a `{FORMAT}` index",
                         hint="export the suite again with this wasip2ld (`wasip2ld conformance export DIR`)")  # fmt: skip
    return index


def select(cases: list[dict], sample: int | None, category: str | None = None) -> list[dict]:
    """The cases to run: those of ``category`` (a prefix, e.g. ``mutant/``), then ``sample`` of them spread
    evenly over the index (every category keeps its share); deterministic."""
    if category:
        cases = [
            c
            for c in cases
            if c["category"].startswith(category) or f"{c['verdict']}/{c['category']}".startswith(category)
        ]
    if sample is None or sample >= len(cases):
        return cases
    step = len(cases) / sample
    return [cases[int(i * step)] for i in range(sample)]


def command_checker(template: str) -> list[str]:
    """The checker's argv template; at least ``{module}`` must appear."""
    try:
        words = shlex.split(template)
    except ValueError as exc:
        raise UsageError(f"--checker: cannot split `{template}`: {exc}") from None
    if not words:
        raise UsageError("--checker: empty command")
    if not any("{module}" in w for w in words):
        raise UsageError("--checker: the command has no `{module}`",
                         hint="e.g. --checker 'wasm-tools component new {module} -o /dev/null'")  # fmt: skip
    return words


def run_suite(directory: Path, words: list[str], *, jobs: int = 2, timeout: float = 60.0,
              sample: int | None = None, category: str | None = None) -> Report:  # fmt: skip
    """Run the checker over the (selected) cases of the suite in ``directory``."""
    directory = Path(directory).resolve()
    index = load_index(directory)
    worlds = {w["slug"]: w for w in index.get("worlds", [])}
    cases = select(index["cases"], sample, category)
    argvs = []
    for case in cases:
        world = worlds.get(case["world"])
        if world is None:
            raise UsageError(
                f"{directory}/index.json: case `{case['module']}` names an unknown world `{case['world']}`"
            )
        values = {"{module}": str(directory / case["module"]), "{wit}": str(directory / world["wit"]),
                  "{world}": world["world"]}  # fmt: skip
        argvs.append([_substitute(w, values) for w in words])
    try:
        verdicts = _run_all(argvs, max(1, jobs), timeout)
    except ToolchainError as exc:
        raise UsageError(f"--checker: {exc.message}", hint="give the checker's full path, or put it on PATH") from None
    return Report([Outcome(case, accepted, message) for case, (accepted, message) in zip(cases, verdicts)])


def _substitute(word: str, values: dict[str, str]) -> str:
    for key, value in values.items():
        word = word.replace(key, value)
    return word


def _run_all(argvs: list[list[str]], jobs: int, timeout: float) -> list[tuple[bool, str]]:
    """Each command's (exit status 0, last output line); ``jobs`` at a time, all stopped on an interrupt."""
    results: list[tuple[bool, str] | None] = [None] * len(argvs)
    running: dict[int, tuple[subprocess.Popen, IO[bytes], float]] = {}
    pending = list(range(len(argvs)))
    pending.reverse()
    try:
        while pending or running:
            while pending and len(running) < jobs:
                i = pending.pop()
                out = tempfile.TemporaryFile()  # noqa: SIM115 (closed once the child is reaped)
                try:
                    proc = start(argvs[i], tool=Path(argvs[i][0]).name, stdout=out, stderr=out)
                except BaseException:
                    out.close()
                    raise
                running[i] = (proc, out, time.monotonic())
            finished = [i for i, (proc, _, began) in running.items()
                        if proc.poll() is not None or time.monotonic() - began > timeout]  # fmt: skip
            if not finished:
                time.sleep(0.002)
                continue
            for i in finished:
                proc, out, _began = running.pop(i)
                if proc.poll() is None:
                    stop(proc)
                    results[i] = (False, f"timed out after {timeout:g} s")
                else:
                    results[i] = (proc.returncode == 0, _last_line(out))
                out.close()
    finally:
        for proc, out, _ in running.values():
            stop(proc)
            out.close()
    return [r for r in results if r is not None]


def _last_line(out: IO[bytes]) -> str:
    out.seek(0)
    text = out.read().decode("utf-8", "replace")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def render_text(report: Report, first: int = 10) -> str:
    lines = []
    categories = report.categories()
    width = max((len(k) for k in categories), default=8)
    lines.append(f"{'category':<{width}}  agree  total       %")
    for name, (agreed, total) in categories.items():
        lines.append(f"{name:<{width}}  {agreed:>5}  {total:>5}  {100.0 * agreed / total:>6.1f}")
    wrong = report.disagreements()
    if wrong:
        lines.append("")
        lines.append(f"first disagreements ({min(first, len(wrong))} of {len(wrong)}):")
        for o in wrong[:first]:
            lines.append("  " + _describe(o))
    lines.append("")
    lines.append(f"{report.agreed}/{len(report.outcomes)} agree ({report.percent:.1f} %)")
    return "\n".join(lines) + "\n"


def _describe(o: Outcome) -> str:
    c = o.case
    expected = "accept" if c["verdict"] == "accept" else f"reject [{', '.join(c['codes'])}]"
    got = "accepted" if o.accepted else "rejected" + (f": {o.message}" if o.message else "")
    return f"{c['module']} ({c['category']}: {c['label']}): expected {expected}, checker {got}"


def render_json(report: Report, first: int = 10) -> str:
    data = {
        "agree": report.agreed,
        "total": len(report.outcomes),
        "percent": round(report.percent, 2),
        "categories": {k: {"agree": a, "total": t} for k, (a, t) in report.categories().items()},
        "disagreements": [
            {**o.case, "accepted": o.accepted, "message": o.message} for o in report.disagreements()[:first]
        ],
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"
