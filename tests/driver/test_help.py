"""`--help` of the compiler entry points: wasip2ld's own flags first, clang's help one flag away."""

from __future__ import annotations

import pytest

from wasip2ld.driver import ccargs
from wasip2ld.driver.cchelp import OWN_FLAGS

from .conftest import entry

SPELLINGS = {
    "wasip2-clang": ["wasip2-clang"],
    "wasip2-clang++": ["wasip2-clang++"],
    "wasip2ld cc": ["wasip2ld", "cc"],
    "wasip2ld c++": ["wasip2ld", "c++"],
}


@pytest.mark.parametrize("name", SPELLINGS)
@pytest.mark.parametrize("flag", ["--help", "-help"])
def test_help_lists_wasip2ld_flags_first(sh, name, flag):
    argv = [str(entry(SPELLINGS[name][0])), *SPELLINGS[name][1:]]
    result = sh([*argv, flag])
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"usage: {name} [WASIP2LD OPTIONS] [CLANG OPTIONS]")
    assert len(lines) < 60, "a screenful, not clang's 1,700 lines"
    for own in ("--module", "--wit", "--world", "--mangling", "--wasi-adapter", "--dry-run", "--wasip1"):
        assert any(line.lstrip().startswith(own) for line in lines), own
    assert "--help-clang" in result.stdout and "OVERVIEW: clang" not in result.stdout
    assert result.stderr == ""


def test_help_clang_is_clangs_own_help(sh):
    result = sh([str(entry("wasip2-clang")), "--help-clang"])
    assert result.stdout.startswith("OVERVIEW: clang LLVM compiler")
    assert "-fsyntax-only" in result.stdout and len(result.stdout.splitlines()) > 500


def test_every_own_flag_is_documented_in_help_and_driver_md():
    from .conftest import ROOT

    documented = {flag.split()[0] for flag, _ in OWN_FLAGS}
    assert documented == set(ccargs.OWN_SWITCHES | ccargs.OWN_VALUE_FLAGS)
    driver_md = (ROOT / "docs" / "driver.md").read_text()
    assert all(f"`{flag}" in driver_md for flag in documented)


def test_group_help_shows_traceback(sh):
    result = sh([str(entry("wasip2ld")), "--help"])
    assert "--traceback" in result.stdout
