"""A repeated `wasip2ld go build` runs from the record the previous one left (``gobuild.warm``): the same
bytes as a build without it, and never a stale result when anything it depends on changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

CALC = ["go", "build", "--wit", "wit", "--world", "plugin", "-o", "calc.wasm", "."]
HELLO = ["go", "build", "-o", "hello.wasm", "."]


@pytest.fixture
def cache_env(tmp_path) -> dict[str, str]:
    """A cache directory of the test's own, so that the first build has no record."""
    return {"WASIP2LD_CACHE_DIR": str(tmp_path / "cache")}


def _warm_build(wasip2ld, args: list[str], project: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """A build that must take the warm path: the interpreter shows that the CLI was never imported."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "wasip2ld", *args], cwd=project,
                            env={**wasip2ld.env, **env}, capture_output=True, text=True, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert "wasip2ld.gobuild.warm" in result.stderr and "wasip2ld.cli" not in result.stderr
    return result


def _records(env: dict[str, str]) -> list[Path]:
    return [p for p in (Path(env["WASIP2LD_CACHE_DIR"]) / "go-build").iterdir() if p.suffix == "" and p.name != "trimmed"]


@pytest.mark.parametrize(("name", "args", "output"), [("hello", HELLO, "hello.wasm"), ("calc", CALC, "calc.wasm"),
                                                      ("hello", ["go", "build", "."], "hello.wasm")])  # fmt: skip
def test_warm_build_is_byte_identical_to_the_full_build(wasip2ld, go_project, cache_env, name, args, output):
    project = go_project(name)
    output = project / output
    wasip2ld(args, cwd=project, env=cache_env)
    full = output.read_bytes()
    output.unlink()
    _warm_build(wasip2ld, args, project, cache_env)
    assert output.read_bytes() == full
    assert output.stat().st_mode & 0o111  # a program's mode, as the full build gives it


def test_standard_output_is_never_answered_from_a_record(wasip2ld, go_project, cache_env):
    project = go_project("hello")
    args = ["go", "build", "-o", "-", "."]
    first = subprocess.run([sys.executable, "-m", "wasip2ld", *args], cwd=project, env={**wasip2ld.env, **cache_env},
                           capture_output=True, check=True)  # fmt: skip
    second = subprocess.run([sys.executable, "-m", "wasip2ld", *args], cwd=project, env={**wasip2ld.env, **cache_env},
                            capture_output=True, check=True)  # fmt: skip
    assert first.stdout[:4] == b"\0asm" and second.stdout == first.stdout
    assert not (project / "-").exists()


def test_a_corrupt_record_is_ignored_and_rewritten(wasip2ld, go_project, cache_env):
    project = go_project("hello")
    wasip2ld(HELLO, cwd=project, env=cache_env)
    full = (project / "hello.wasm").read_bytes()
    (record,) = _records(cache_env)
    for damage in (record.read_bytes()[:200], b"wasip2ld-go-build 1\n99999\nxx", b"\0" * 64):
        record.write_bytes(damage)
        wasip2ld(HELLO, cwd=project, env=cache_env)
        assert (project / "hello.wasm").read_bytes() == full
    _warm_build(wasip2ld, HELLO, project, cache_env)
    assert (project / "hello.wasm").read_bytes() == full


@pytest.mark.parametrize("removed", ["go-link", "go-overlay", "go-build/*.wasm"])
def test_a_partly_removed_cache_is_a_miss(wasip2ld, go_project, cache_env, removed):
    project = go_project("calc")
    wasip2ld(CALC, cwd=project, env=cache_env)
    full = (project / "calc.wasm").read_bytes()
    cache = Path(cache_env["WASIP2LD_CACHE_DIR"])
    for path in cache.glob(removed):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    result = wasip2ld(CALC, cwd=project, env=cache_env)
    assert (project / "calc.wasm").read_bytes() == full
    assert result.stderr == ""
    _warm_build(wasip2ld, CALC, project, cache_env)


def test_a_rejected_recorded_module_takes_the_full_path(wasip2ld, go_project, cache_env):
    """`component new` runs on every warm build: when it rejects what the record holds (here a module
    garbled in the cache), the full build runs and its result is written."""
    project = go_project("calc")
    wasip2ld(CALC, cwd=project, env=cache_env)
    full = (project / "calc.wasm").read_bytes()
    (module,) = (Path(cache_env["WASIP2LD_CACHE_DIR"]) / "go-build").glob("*.wasm")
    module.write_bytes(module.read_bytes()[:1000])
    result = wasip2ld(CALC, cwd=project, env=cache_env)
    assert (project / "calc.wasm").read_bytes() == full
    assert result.stderr == ""


def test_a_changed_world_is_not_answered_from_the_record(wasip2ld, go_project, cache_env):
    project = go_project("calc")
    wasip2ld(CALC, cwd=project, env=cache_env)
    wit = project / "wit" / "calc.wit"
    wit.write_text(wit.read_text().replace("add: func", "sum: func"))
    result = wasip2ld(CALC, cwd=project, env=cache_env, ok=False)
    assert result.returncode == 1
    assert "sum" in result.stderr and "does not match world" in result.stderr


def test_a_changed_module_path_renames_the_default_output(wasip2ld, go_project, cache_env, tmp_path):
    """Without -o the name comes from `go list`, whose answer is recorded with go.mod's stamp."""
    project = go_project("hello")
    wasip2ld(["go", "build", "."], cwd=project, env=cache_env)
    go_mod = project / "go.mod"
    go_mod.write_text(go_mod.read_text().replace("example.com/hello", "example.com/greeter"))
    wasip2ld(["go", "build", "."], cwd=project, env=cache_env)
    renamed = (project / "greeter.wasm").read_bytes()
    wasip2ld(["go", "build", "."], cwd=project, env={"WASIP2LD_CACHE_DIR": str(tmp_path / "fresh-cache")})
    assert (project / "greeter.wasm").read_bytes() == renamed





@pytest.mark.parametrize(("name", "args", "output"), [("hello", HELLO, "hello.wasm"), ("calc", CALC, "calc.wasm")])
def test_changed_go_code_builds_what_a_full_build_gives(wasip2ld, go_project, cache_env, tmp_path, name, args, output):
    """The full path after a warm one that linked a new module (handed over), with the world's section
    from the embed cache, against a build with empty caches."""
    project = go_project(name)
    wasip2ld(args, cwd=project, env=cache_env)
    main = project / "main.go"
    main.write_text(main.read_text() + '\nfunc init() { println("changed") }\n')
    wasip2ld(args, cwd=project, env=cache_env)
    changed = (project / output).read_bytes()
    wasip2ld(args, cwd=project, env={"WASIP2LD_CACHE_DIR": str(tmp_path / "fresh-cache")})
    assert (project / output).read_bytes() == changed
    if name == "hello":
        assert "changed" in wasip2ld(["run", output], cwd=project).stderr


def test_a_go_error_on_the_warm_path_reads_as_on_the_full_path(wasip2ld, go_project, cache_env, tmp_path):
    project = go_project("hello")
    wasip2ld(HELLO, cwd=project, env=cache_env)
    before = (project / "hello.wasm").read_bytes()
    main = project / "main.go"
    main.write_text(main.read_text() + "\nfunc broken( {\n")
    warm = wasip2ld(HELLO, cwd=project, env=cache_env, ok=False)
    full = wasip2ld(HELLO, cwd=project, env={"WASIP2LD_CACHE_DIR": str(tmp_path / "fresh-cache")}, ok=False)
    assert warm.returncode == full.returncode == 1
    assert warm.stderr == full.stderr
    assert "wasip2ld: error: go failed with exit code 1" in warm.stderr
    assert (project / "hello.wasm").read_bytes() == before


def test_concurrent_warm_builds_share_the_record(wasip2ld, go_project, cache_env):
    project = go_project("calc")
    wasip2ld(CALC, cwd=project, env=cache_env)
    full = (project / "calc.wasm").read_bytes()
    argv = [sys.executable, "-m", "wasip2ld", *CALC]
    runs = [subprocess.Popen(argv, cwd=project, env={**wasip2ld.env, **cache_env}, stderr=subprocess.PIPE)
            for _ in range(4)]  # fmt: skip
    assert [run.wait(timeout=300) for run in runs] == [0] * 4
    assert (project / "calc.wasm").read_bytes() == full
    assert not [p for p in project.iterdir() if p.name.endswith(".tmp")]
