"""`wasip2ld conformance export|run`: the exported suite is deterministic and self-contained, `wasm-tools
component new` and `wasip2ld check` score 100 % on it, and deliberately wrong checkers (accept-all,
reject-all, one that ignores result types) score low, with first disagreements that say what went wrong.

The whole suite runs under `component new` and (in process) `check_module`; the `wasip2ld check` command
line, slow per module, runs on an evenly spread sample."""

from __future__ import annotations

import filecmp
import json
import re
import shlex
import sys
import time
from pathlib import Path

import pytest

from wasip2ld.check import check_module
from wasip2ld.cli import main
from wasip2ld.wit import load_world

HERE = Path(__file__).resolve().parent
DOCS = HERE.parents[1] / "docs" / "conformance.md"
LAST_LINE = re.compile(r"^(\d+)/(\d+) agree \((\d+\.\d) %\)$")


def wasip2ld(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return int(code or 0), out, err


def score(out: str) -> tuple[int, int, float]:
    m = LAST_LINE.match(out.rstrip("\n").splitlines()[-1])
    assert m, out
    return int(m[1]), int(m[2]), float(m[3])


@pytest.fixture(scope="module")
def suite(tmp_path_factory, need) -> Path:
    need("wasm-tools"), need("wasi-wit")
    directory = tmp_path_factory.mktemp("conformance") / "suite"
    assert main(["conformance", "export", str(directory)]) in (0, None)
    return directory


@pytest.fixture(scope="module")
def index(suite) -> dict:
    return json.loads((suite / "index.json").read_text())


def test_layout_and_size(suite, index):
    cases = index["cases"]
    assert len(cases) >= 1000
    assert {c["verdict"] for c in cases} == {"accept", "reject"}
    for case in cases:
        assert case["module"].startswith(case["verdict"] + "/") and (suite / case["module"]).is_file()
        assert (case["verdict"] == "reject") == bool(case["codes"])
    sources = {w["source"] for w in index["worlds"]}
    assert {"generated"} < sources and any(s.startswith("wasi-0.2.") for s in sources)
    assert any(s.startswith("wasi-0.3.") for s in sources)
    for world in index["worlds"]:
        assert (suite / world["wit"]).is_dir()
        for sig in world["sig"].values():
            assert json.loads((suite / sig).read_text())["imports"] is not None
    categories = {c["category"].split("/")[0] for c in cases}
    assert categories == {"canonical", "mutant", "shape", "feature-gate"}
    readme = (suite / "README.md").read_text()
    assert "## Layout" in readme and "## Scoring a checker" in readme and f"{len(cases)} modules" in readme


def test_expected_interfaces_are_the_sig_documents(suite, index, capsys):
    world = next(w for w in index["worlds"] if w["world"].startswith("wasi:http/service@0.3"))
    for variant, path in world["sig"].items():
        mangling, _, abi = variant.partition("-")
        argv = ["sig", "--wit", str(suite / world["wit"]), "--world", world["world"], "--format", "json",
                "--mangling", mangling, "--async-abi", abi or "sync"]  # fmt: skip
        code, out, err = wasip2ld(argv, capsys)
        assert (code, err) == (0, "") and out == (suite / path).read_text(), variant
    assert len(world["sig"]) == 4


def test_export_is_deterministic(suite, tmp_path, capsys):
    again = tmp_path / "again"
    code, out, _ = wasip2ld(["conformance", "export", str(again)], capsys)
    assert code == 0 and out.strip().endswith("worlds")
    files = sorted(p.relative_to(suite) for p in suite.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(again) for p in again.rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(suite, again, [str(f) for f in files], shallow=False)
    assert not mismatch and not errors and len(match) == len(files)


def test_component_new_scores_100_percent(suite, index, wasm_tools, capsys):
    checker = f"{shlex.quote(wasm_tools)} component new {{module}} -o /dev/null"
    code, out, err = wasip2ld(["conformance", "run", str(suite), "--checker", checker], capsys)
    assert (code, err) == (0, ""), out[-3000:]
    assert score(out) == (len(index["cases"]), len(index["cases"]), 100.0)
    assert "first disagreements" not in out


def test_check_module_agrees_on_every_case(suite, index, toolchain):
    """In process, from the exported files alone: the world from the suite's WIT, the module from disk."""
    worlds = {
        w["slug"]: load_world(suite / w["wit"], w["world"], toolchain=toolchain) for w in index["worlds"]
    }
    wrong = []
    for case in index["cases"]:
        result = check_module(suite / case["module"], worlds[case["world"]])
        codes = list(dict.fromkeys(d.code for d in result.errors))
        if ("accept" if result.ok else "reject") != case["verdict"] or codes != case["codes"]:
            wrong.append(f"{case['module']}: {codes}")
    assert not wrong, wrong[:10]


def test_wasip2ld_check_command_scores_100_percent(suite, capsys):
    wasip2ld_exe = shlex.quote(str(Path(sys.executable).with_name("wasip2ld")))
    checker = f"{wasip2ld_exe} check {{module}} --wit {{wit}} --world {{world}}"
    code, out, _ = wasip2ld(["conformance", "run", str(suite), "--checker", checker, "--sample", "24", "--json"],
                            capsys)  # fmt: skip
    report = json.loads(out)
    assert code == 0 and (report["agree"], report["total"], report["percent"]) == (24, 24, 100.0)
    assert len(report["categories"]) >= 8 and report["disagreements"] == []


def test_accept_all_and_reject_all_score_low(suite, capsys):
    for program in ("true", "false"):
        code, out, _ = wasip2ld(["conformance", "run", str(suite), "--checker", f"{program} {{module}}",
                                 "--sample", "400", "--first", "3"], capsys)  # fmt: skip
        agreed, total, percent = score(out)
        table = out.split("\n\n")[0].splitlines()[1:]
        accepts = sum(int(line.split()[2]) for line in table if line.startswith("accept/"))
        assert code == 1 and total == 400 and agreed == (accepts if program == "true" else total - accepts)
        assert 25 < percent < 75
        assert "first disagreements (3 of " in out
        wrong = "accept" if program == "false" else "reject"
        listed = [line for line in out.splitlines() if line.startswith(f"  {wrong}/")]
        assert len(listed) == 3
        if program == "true":
            assert all(
                re.search(r"expected reject \[[a-z-]+(, [a-z-]+)*\], checker accepted", line)
                for line in listed
            )
        else:
            assert all("expected accept, checker rejected" in line for line in listed)
        assert all(re.match(rf"{wrong}/\S+ +0 +\d+ +0\.0$", line) for line in table if line.startswith(wrong))


def test_a_checker_that_ignores_result_types(suite, capsys):
    checker = f"{shlex.quote(sys.executable)} {HERE / 'ignore_results.py'} {{module}} {{wit}} {{world}}"
    for category in ("reject/mutant/export-result-retyped", "reject/mutant/import-result-retyped"):
        code, out, _ = wasip2ld(["conformance", "run", str(suite), "--checker", checker, "--category", category,
                                 "--sample", "8", "--first", "2"], capsys)  # fmt: skip
        assert code == 1 and score(out) == (0, 8, 0.0), out
        assert "result of " in out and "expected reject [signature-mismatch], checker accepted" in out
    code, out, _ = wasip2ld(["conformance", "run", str(suite), "--checker", checker, "--category",
                             "reject/mutant/import-param-retyped", "--sample", "6"], capsys)  # fmt: skip
    assert code == 0 and score(out) == (6, 6, 100.0)


def test_slow_checkers_time_out(suite, capsys):
    start = time.monotonic()
    sleeper = f"{shlex.quote(sys.executable)} -c 'import time; time.sleep(30)' {{module}}"
    code, out, _ = wasip2ld(["conformance", "run", str(suite), "--checker", sleeper, "--sample", "2",
                             "--timeout", "0.5", "--category", "accept/"], capsys)  # fmt: skip
    assert time.monotonic() - start < 10
    assert code == 1 and score(out) == (0, 2, 0.0) and "checker rejected: timed out after 0.5 s" in out


def test_bad_input(suite, tmp_path, capsys):
    cases = [
        (["conformance", "run", str(tmp_path), "--checker", "true {module}"], "no index.json"),
        (["conformance", "run", str(suite), "--checker", "true"], "has no `{module}`"),
        (["conformance", "run", str(suite), "--checker", "'unterminated {module}"], "cannot split"),
        (
            [
                "conformance",
                "run",
                str(suite),
                "--checker",
                str(tmp_path / "nope") + " {module}",
                "--sample",
                "1",
            ],
            "cannot run",
        ),
    ]
    for argv, message in cases:
        code, _out, err = wasip2ld(argv, capsys)
        assert code == 2 and err.startswith("wasip2ld: error: ") and message in err, (argv, err)
        assert "Traceback" not in err
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "keep.txt").write_text("mine")
    code, _, err = wasip2ld(["conformance", "export", str(occupied)], capsys)
    assert code == 2 and "is not a conformance suite" in err
    assert [p.name for p in occupied.iterdir()] == ["keep.txt"] and not list(tmp_path.glob(".occupied.*"))


def test_documented_commands(suite, wasm_tools, capsys):
    """The checker templates docs/conformance.md shows are the ones that score 100 %."""
    templates = re.findall(r"--checker '([^']+)'", DOCS.read_text())
    assert len(templates) >= 2
    for template in templates:
        if not template.startswith(("wasm-tools ", "wasip2ld ")):
            continue
        program, _, rest = template.partition(" ")
        exe = wasm_tools if program == "wasm-tools" else str(Path(sys.executable).with_name("wasip2ld"))
        code, out, _ = wasip2ld(["conformance", "run", str(suite), "--checker", f"{shlex.quote(exe)} {rest}",
                                 "--sample", "10"], capsys)  # fmt: skip
        assert code == 0 and score(out)[2] == 100.0, (template, out)
