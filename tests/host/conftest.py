"""Fixtures for the core host tests: example libraries built with the real toolchain (make + wasip2-clang)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from driver.conftest import EXAMPLES, Shell, clang_cmd, driver_env, sh  # noqa: F401  (shared fixtures)
from integration.conftest import debian_sources  # noqa: F401


def make_example(driver_env: dict, out: Path, name: str) -> Path:
    make = shutil.which("make")
    if make is None:
        pytest.fail("`make` is not installed", pytrace=False)
    Shell(driver_env, out)([make, "-s", "-f", EXAMPLES / name / "Makefile", f"OUT={out}"])
    return out


@pytest.fixture(scope="session")
def shapes(tmp_path_factory, driver_env) -> Path:
    """examples/shapes built both ways: shapes.module.wasm (standard32), shapes.component.wasm (legacy)."""
    return make_example(driver_env, tmp_path_factory.mktemp("shapes"), "shapes")


@pytest.fixture(scope="session")
def calc(tmp_path_factory, driver_env) -> Path:
    """examples/calc/calc.wasm: the library of docs/python-api.md (a module target, legacy names)."""
    return make_example(driver_env, tmp_path_factory.mktemp("calc"), "calc") / "calc.wasm"
