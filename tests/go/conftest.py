"""Fixtures for the Go tests: one GOCACHE for the whole session (under pytest's cache directory, so later
runs reuse it), a `wasip2ld` runner that shows the output of a command that fails unexpectedly, the Go
projects under data/ copied into a scratch directory, and wasmtime hosts for the components built."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def go_cache(request, need, tmp_path_factory) -> Path:
    need("go")
    cache = getattr(request.config, "cache", None)  # None with -p no:cacheprovider
    return Path(cache.mkdir("wasip2ld-go-build")) if cache is not None else tmp_path_factory.mktemp("go-build")


@pytest.fixture(scope="session")
def go_env(go_cache, tmp_path_factory) -> dict[str, str]:
    """The environment of every Go build in the tests: the shared Go cache, wasip2ld's cache (the records
    of `go build`s, in every test's own project directory) in a scratch directory, no toolchain downloads."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("WASIP2LD_", "GOFLAGS", "GOOS", "GOARCH"))
    }
    env["GOCACHE"] = str(go_cache)
    env["WASIP2LD_CACHE_DIR"] = str(tmp_path_factory.mktemp("wasip2ld-cache"))
    env["GOTOOLCHAIN"] = "local"
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


@dataclass(frozen=True)
class Wasip2ld:
    env: Mapping[str, str]

    def __call__(self, args: Sequence[str | os.PathLike], cwd: Path, *, ok: bool = True,
                 env: Mapping[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:  # fmt: skip
        argv = [sys.executable, "-m", "wasip2ld", *(os.fspath(a) for a in args)]
        result = subprocess.run(argv, cwd=cwd, env={**self.env, **(env or {})}, capture_output=True, text=True, check=False,
                                input=stdin)  # fmt: skip
        if ok and result.returncode != 0:
            pytest.fail(f"`wasip2ld {' '.join(map(str, args))}` exited {result.returncode} in {cwd}:\n"
                        f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}", pytrace=False)  # fmt: skip
        return result


@pytest.fixture(scope="session")
def wasip2ld(go_env) -> Wasip2ld:
    return Wasip2ld(go_env)


@pytest.fixture
def go_project(tmp_path) -> Callable[[str], Path]:
    """``go_project("calc")``: a fresh copy of data/calc to build in."""

    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(DATA / name, target)
        return target

    return copy


@pytest.fixture
def with_wasi_deps(wasi_wit) -> Callable[[Path], Path]:
    """Put the WASI 0.2 packages a world includes into ``wit/deps`` of a project."""

    def add(wit_dir: Path) -> Path:
        for package in (
            "wasi-cli",
            "wasi-io",
            "wasi-clocks",
            "wasi-filesystem",
            "wasi-random",
            "wasi-sockets",
        ):
            shutil.copytree(wasi_wit / package, wit_dir / "deps" / package)
        return wit_dir

    return add


@pytest.fixture(scope="session")
def line_of() -> Callable[[Path, str], int]:
    """``line_of(path, text)``: the 1-based number of the first line of ``path`` containing ``text``."""

    def find(path: Path, text: str) -> int:
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if text in line:
                return number
        raise AssertionError(f"{text!r} not in {path}")

    return find
