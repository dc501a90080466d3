"""Differential: C programs (tests/host/corpus, examples/hello, the programs and unit tests of the
build-system examples in integration/examples, and cJSON's demo and unit tests from its Debian source
package) built as module targets run under
`wasip2ld run --engine core` (wasip2ld's Canonical ABI host over wasmtime's core API), and built as
components under wasmtime's component host (`wasip2ld run`): stdout, stderr, exit code and the files left
in the preopened directory must be identical."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from driver.conftest import BIN, EXAMPLES
from integration.debsrc import fetch_source

CORPUS = Path(__file__).resolve().parent / "corpus"
INTEGRATION = Path(__file__).resolve().parents[2] / "integration" / "examples"
MAKE, MESON, CMAKE = INTEGRATION / "make", INTEGRATION / "meson", INTEGRATION / "cmake"
PROGRAMS: dict[str, list[Path | str]] = {
    **{p.stem: [p] for p in CORPUS.glob("*.c")},
    "hello": [EXAMPLES / "hello" / "hello.c"],
    "rpn": [MAKE / "main.c", MAKE / "rpn.c", MAKE / "stack.c"],
    "caesar": [MESON / "src" / "main.c", MESON / "src" / "caesar.c"],
    "test_caesar": [MESON / "tests" / "test_caesar.c", MESON / "src" / "caesar.c", f"-I{MESON / 'src'}"],
    "wordcount": [CMAKE / "src" / "main.c", CMAKE / "src" / "wordstat.c"],
    "test_wordstat": [CMAKE / "tests" / "test_wordstat.c", CMAKE / "src" / "wordstat.c", f"-I{CMAKE / 'src'}"],
}


CJSON_TESTS = ("parse_examples", "misc_tests", "print_number", "parse_string", "cjson_add", "minify_tests")


@pytest.fixture(scope="module")
def cjson(debian_sources) -> Path:
    return fetch_source("cjson", debian_sources)


@pytest.fixture(scope="module")
def built(tmp_path_factory, driver_env, cjson) -> dict[str, dict[str, Path]]:
    """name -> {"component": …, "module": …}: each program built both ways by wasip2-clang."""
    out = tmp_path_factory.mktemp("corpus")
    programs = {}
    unity = cjson / "tests" / "unity" / "src" / "unity.c"
    sources_of = {**PROGRAMS, "cjson_test": [cjson / "test.c", cjson / "cJSON.c"],
                  **{f"cjson_{t}": [cjson / "tests" / f"{t}.c", unity] for t in CJSON_TESTS}}
    for name, sources in sources_of.items():
        component, module = out / f"{name}.wasm", out / f"{name}.module.wasm"
        for flags, target in (([], component), (["--module"], module)):
            proc = subprocess.run([BIN / "wasip2-clang", "-O1", *flags, *sources, "-o", target], cwd=out,
                                  env=driver_env, capture_output=True, text=True)
            assert proc.returncode == 0, proc.stderr
        programs[name] = {"component": component, "module": module}
    return programs


@dataclass(frozen=True)
class Case:
    program: str
    args: tuple[str, ...] = ()
    env: tuple[str, ...] = ()
    stdin: str = ""
    tree: str | Path | None = None  # a layout (see make_tree) or a file to copy in, preopened as /d and .


@dataclass
class Outcome:
    stdout: str
    stderr: str
    code: int
    files: dict = field(default_factory=dict)


CASES = [
    Case("hello"),
    Case("stdio", stdin="one\ntwo\nthree"),
    Case("stdio"),
    Case("args_env", ("a", "b c", "--flag"), ("WHO=me", "X=1")),
    Case("args_env", ("x",), ("EMPTY=",)),
    *(Case("exit_code", (how,)) for how in ("0", "1", "42", "return", "abort", "trap", "oob")),
    Case("files", tree="empty"),
    Case("escape", tree="links"),
    Case("clocks_random"),
    Case("rpn", ("3", "4", "+", "2", "*")),
    Case("rpn", stdin="1 2 3 + +\n"),
    Case("rpn", ("1", "+")),
    Case("caesar", ("3",), stdin="Hello, World!\n"),
    Case("caesar", ("13", "/d/plain.txt"), tree=MESON / "tests" / "plain.txt"),
    Case("caesar", ("x",)),
    Case("caesar", ("1", "/d/missing.txt"), tree="empty"),
    Case("test_caesar"),
    Case("wordcount", ("/d/sample.txt",), tree=CMAKE / "data" / "sample.txt"),
    Case("wordcount", ("no-such-file.txt",)),
    Case("test_wordstat"),
    Case("cjson_test"),
    *(Case(f"cjson_{t}", tree="cjson-inputs") for t in CJSON_TESTS),
]


def make_tree(kind: str | Path, base: Path, cjson: Path) -> Path:
    """``base/root`` (the preopen): empty, holding a copy of a file or of cJSON's test inputs, or
    (``links``) with a secret beside it and links pointing in and out."""
    root = base / "root"
    root.mkdir(parents=True)
    if isinstance(kind, Path):
        shutil.copy(kind, root / kind.name)
    elif kind == "cjson-inputs":
        shutil.copytree(cjson / "tests" / "inputs", root / "inputs")
    elif kind == "links":
        (base / "secret.txt").write_text("secret")
        (root / "inner").mkdir()
        (root / "inner" / "file.txt").write_text("inside")
        os.symlink(base / "secret.txt", root / "abs-link")
        os.symlink("../secret.txt", root / "rel-link")
        os.symlink("..", root / "dir-link")
        os.symlink("../inner", root / "inner" / "back")
    return root


def snapshot(base: Path) -> dict:
    """Every entry under ``base`` (the preopen and what is beside it): type and content or link target."""
    found = {}
    for path in sorted(base.rglob("*")):
        rel = str(path.relative_to(base))
        if path.is_symlink():
            found[rel] = ("link", os.readlink(path).replace(str(base), "BASE"))
        elif path.is_dir():
            found[rel] = ("dir",)
        else:
            st = path.stat()
            found[rel] = ("file", path.read_bytes(), st.st_nlink, int(st.st_mtime) if st.st_mtime < 1.5e9 else None)
    return found


def run(engine: str, wasm: Path, case: Case, work: Path, driver_env: dict, cjson: Path) -> Outcome:
    argv = [BIN / "wasip2ld", "run", "--engine", engine]
    env_args = [a for e in case.env for a in ("--env", e)]
    if case.tree is not None:
        root = make_tree(case.tree, work, cjson)
        env_args += ["--dir", f"{root}::/d", "--dir", f"{root}::.", "--env", "ROOT=/d",
                     "--env", f"SECRET={work / 'secret.txt'}"]
    proc = subprocess.run([*argv, *env_args, wasm, *case.args], input=case.stdin, capture_output=True, text=True,
                          env=driver_env, cwd=work)
    stderr = proc.stderr.replace(str(wasm), "PROGRAM")
    return Outcome(proc.stdout, stderr, proc.returncode, snapshot(work) if case.tree else {})


@pytest.mark.parametrize("case", CASES, ids=lambda c: "-".join((c.program, *c.args[:1])).replace("/", "_"))
def test_core_engine_matches_the_component_host(case, built, driver_env, cjson, tmp_path):
    secret = str(tmp_path / "SECRET")
    outcomes = []
    for engine in ("component", "core"):
        work = tmp_path / engine
        work.mkdir()
        outcome = run(engine, built[case.program]["component" if engine == "component" else "module"], case,
                      work, driver_env, cjson)
        outcome.stdout = outcome.stdout.replace(str(work), secret)
        outcomes.append(outcome)
    component, core = outcomes
    assert core.code == component.code, (core.stderr, component.stderr)
    assert core.stdout == component.stdout
    assert core.stderr == component.stderr
    assert core.files == component.files
    if case.program == "escape":
        assert "SUCCEEDED" in core.stdout and core.stdout.count("SUCCEEDED") == 2  # the two links that stay inside
        assert core.files["secret.txt"][1] == b"secret"


def test_ctrl_c_stops_a_guest_on_the_core_engine(tmp_path, driver_env):
    source = tmp_path / "loop.c"
    source.write_text('#include <stdio.h>\nint main(void) { volatile unsigned long x = 0; puts("started");\n'
                      "  fflush(stdout); for (;;) x++; }\n")
    subprocess.run([BIN / "wasip2-clang", "--module", source, "-o", tmp_path / "loop.wasm"], cwd=tmp_path,
                   env=driver_env, check=True, capture_output=True)
    proc = subprocess.Popen([BIN / "wasip2ld", "run", "--engine", "core", tmp_path / "loop.wasm"], env=driver_env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline() == "started\n"
    time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr
