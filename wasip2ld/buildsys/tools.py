"""The programs a build system is pointed at, as absolute paths: wasip2ld's own commands (console scripts
installed beside this interpreter) and the archiver/ranlib/sysroot of the discovered toolchain."""
from __future__ import annotations

import shutil
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

from ..errors import ToolchainError, UsageError
from ..toolchain.discover import Toolchain

_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class LinkMode:
    """What executables become: ``--module`` build targets or components, for which WIT world."""

    module: bool = False
    wit: Path | None = None
    world: str | None = None

    def flags(self) -> list[str]:
        flags = ["--module"] if self.module else []
        if self.wit is not None:
            flags.append(f"--wit={self.wit}")
        if self.world:
            flags.append(f"--world={self.world}")
        return flags

    @classmethod
    def checked(cls, module: bool, wit: str | None, world: str | None) -> "LinkMode":
        wit_path = None
        if wit is not None:
            wit_path = Path(wit).resolve()
            if not wit_path.exists():
                raise UsageError(f"--wit {wit}: no such file or directory")
        return cls(module, wit_path, world)


@dataclass(frozen=True)
class BuildTools:
    wasip2ld: tuple[str, ...]  # argv prefix that runs wasip2ld
    cc: Path
    cxx: Path
    ar: Path
    ranlib: Path
    sysroot: Path
    nm: Path | None  # for NM (libtool's symbol checks); the zig family has none

    def run_argv(self) -> list[str]:
        """The runner a build system puts in front of a built program (Meson exe_wrapper): the program sees
        the environment and the file system (relative and absolute paths) as a native one would."""
        return [*self.wasip2ld, *RUN_ARGS]


RUN_ARGS = ("run", "--inherit-env", "--host-fs", "--")


def find_build_tools(tc: Toolchain) -> BuildTools:
    purpose = "by the build-system integration"
    return BuildTools(
        wasip2ld=_wasip2ld_argv(),
        cc=console_script("wasip2-clang"),
        cxx=console_script("wasip2-clang++"),
        ar=tc.path("llvm-ar", purpose),
        ranlib=tc.path("llvm-ranlib", purpose),
        sysroot=tc.path("sysroot-wasip2", purpose),
        nm=tc.get("llvm-nm").path if tc.get("llvm-nm") else None,
    )


def _scripts_dirs() -> list[Path]:
    dirs = [Path(sysconfig.get_path("scripts")), Path(sys.executable).parent]
    return list(dict.fromkeys(d for d in dirs if d.is_dir()))


def console_script(name: str) -> Path:
    """One of wasip2ld's installed commands (beside this interpreter, else on PATH)."""
    for directory in _scripts_dirs():
        candidate = directory / name
        if candidate.is_file():
            return candidate
    found = shutil.which(name)
    if found:
        return Path(found)
    raise ToolchainError(f"{name} not found beside {sys.executable} or on PATH",
                         hint="reinstall wasip2ld (`pip install -e .` in a checkout) so its commands are installed")


def _wasip2ld_argv() -> tuple[str, ...]:
    try:
        return (str(console_script("wasip2ld")),)
    except ToolchainError:
        return (sys.executable, "-m", "wasip2ld")


def integration_file(relative: str) -> Path:
    """A file of ``integration/`` — installed inside the package, or at the top of a source checkout."""
    for root in (_PACKAGE / "integration", _PACKAGE.parent / "integration"):
        candidate = root / relative
        if candidate.is_file():
            return candidate
    raise ToolchainError(f"wasip2ld's integration file {relative} is missing from {_PACKAGE}",
                         hint="reinstall wasip2ld; the wheel ships integration/ inside the package")
