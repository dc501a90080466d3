"""The commands the docs show are run, so the docs cannot drift from the tool.

Marker convention (docs/development.md, "Docs that run"): an HTML comment on the line right before a fenced
block says what the test does with it.

    <!-- docs-test: run [fixture=NAME] [expect=N] [fresh] -->  run the block: `sh` with bash -eu -o pipefail,
                                                    `python` with this Python; exit status N (default 0)
    <!-- docs-test: file=PATH [fixture=NAME] -->   write the block to PATH, for the blocks after it
    <!-- docs-test: skip REASON -->                not run, and why (a few words at least)

The blocks of one document run in order in one scratch directory, which starts as a copy of the fixture
(tests/foundation/docs_fixtures/NAME) named by its first marker; a fixture's `setup.sh`, if any, runs there
first with the repository root as its argument (to copy or build what the blocks take as given). A `fresh` block runs in a new copy of the fixture instead.
Every `sh` and `python` block of the documents in DOCUMENTS must carry a marker. The commands run with this
environment's scripts first on PATH and HOME in a scratch directory (the data directory stays the real one).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "docs_fixtures"
MUST_BE_MARKED = {"sh", "python"}
_MARKER = re.compile(r"^<!-- docs-test: (run|skip|file=\S+)(.*?)-->\s*$")
_FENCE = re.compile(r"^```(\S*)\s*$")
TIMEOUT = 900

# Documents whose `sh`/`python` blocks are all classified.
DOCUMENTS = ("README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")))


@dataclass(frozen=True)
class Block:
    doc: str
    line: int
    info: str
    text: str
    action: str | None = None  # run | skip | file
    options: dict[str, str] = field(default_factory=dict)
    reason: str = ""

    @property
    def where(self) -> str:
        return f"{self.doc}:{self.line}"


def blocks(doc: str) -> list[Block]:
    lines = (ROOT / doc).read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    i = 0
    while i < len(lines):
        fence = _FENCE.match(lines[i])
        if fence is None:
            i += 1
            continue
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        marker = _MARKER.match(lines[i - 1]) if i > 0 else None
        action, options, reason = None, {}, ""
        if marker is not None:
            head, rest = marker.group(1), marker.group(2).strip()
            if head == "skip":
                action, reason = "skip", rest
            else:
                action = "file" if head.startswith("file=") else "run"
                if action == "file":
                    options["file"] = head.split("=", 1)[1]
                options.update(item.split("=", 1) if "=" in item else (item, "") for item in rest.split())
        found.append(Block(doc, i + 1, fence.group(1), "\n".join(lines[i + 1 : end]) + "\n", action, options,
                           reason))
        i = end + 1
    return found


def test_every_command_block_is_marked():
    unmarked = [b.where for doc in DOCUMENTS for b in blocks(doc) if b.info in MUST_BE_MARKED and b.action is None]
    assert not unmarked, "blocks without a docs-test marker (see tests/foundation/test_docs_commands.py):\n" + \
        "\n".join(unmarked)
    vague = [b.where for doc in DOCUMENTS for b in blocks(doc) if b.action == "skip" and len(b.reason.split()) < 3]
    assert not vague, "skipped blocks need a reason of a few words:\n" + "\n".join(vague)


RUN_DOCS = [doc for doc in DOCUMENTS if any(b.action in ("run", "file") for b in blocks(doc))]


@pytest.mark.parametrize("doc", RUN_DOCS)
def test_documented_commands_run(doc, tmp_path):
    env = _environment(tmp_path)
    work: Path | None = None
    fixture: str | None = None
    for block in blocks(doc):
        if block.action not in ("run", "file"):
            continue
        if work is None or "fresh" in block.options:
            fixture = block.options.get("fixture", fixture)
            work = _seed(tmp_path / f"work-{block.line}", fixture, env)
        if block.action == "file":
            target = work / block.options["file"]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(block.text, encoding="utf-8")
            continue
        _run(block, work, env, tmp_path)


def _seed(work: Path, fixture: str | None, env: dict[str, str]) -> Path:
    work.mkdir()
    if fixture is None:
        return work
    shutil.copytree(FIXTURES / fixture, work, dirs_exist_ok=True, ignore=shutil.ignore_patterns("setup.sh"))
    setup = FIXTURES / fixture / "setup.sh"
    if setup.is_file():
        subprocess.run(["bash", "-eu", str(setup), str(ROOT)], cwd=work, env=env, check=True, timeout=TIMEOUT)
    return work


def _environment(tmp_path: Path) -> dict[str, str]:
    from wasip2ld.config import load_settings

    scripts = Path(sys.executable).parent
    home = tmp_path / "home"
    (home / ".local" / "bin").mkdir(parents=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("WASIP2LD_CC")}
    env["WASIP2LD_DATA_DIR"] = str(load_settings().data_dir)
    env.setdefault("GOCACHE", str(Path.home() / ".cache" / "go-build"))  # Go's warm cache, not a new HOME's
    env["HOME"] = str(home)
    env.pop("XDG_CONFIG_HOME", None)
    env["PATH"] = os.pathsep.join([str(scripts), str(home / ".local" / "bin"), env.get("PATH", "")])
    env["WASIP2LD_CACHE_DIR"] = str(tmp_path / "cache")
    return env


def _run(block: Block, work: Path, env: dict[str, str], tmp_path: Path) -> None:
    script = tmp_path / f"block-{block.line}.{'py' if block.info == 'python' else 'sh'}"
    script.write_text(block.text, encoding="utf-8")
    if block.info == "python":
        argv = [sys.executable, str(script)]
    elif block.info == "sh":
        argv = ["bash", "-eu", "-o", "pipefail", str(script)]
    else:
        pytest.fail(f"{block.where}: cannot run a `{block.info}` block", pytrace=False)
    proc = subprocess.run(argv, cwd=work, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    expected = int(block.options.get("expect", "0"))
    if proc.returncode != expected:
        pytest.fail(f"{block.where}: exited {proc.returncode}, expected {expected}\n--- block\n{block.text}"
                    f"--- stdout\n{proc.stdout[-4000:]}\n--- stderr\n{proc.stderr[-4000:]}", pytrace=False)
