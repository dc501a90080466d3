"""The Meson cross file for wasm32-wasip2: compilers, archiver, the exe_wrapper that runs tests under
wasmtime, static libraries only, and the link mode."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .tools import RUN_ARGS, BuildTools


@dataclass(frozen=True)
class CrossBinaries:
    c: str
    cpp: str
    ar: str
    ranlib: str
    exe_wrapper: tuple[str, ...]

    @classmethod
    def from_tools(cls, tools: BuildTools) -> "CrossBinaries":
        return cls(str(tools.cc), str(tools.cxx), str(tools.ar), str(tools.ranlib), tuple(tools.run_argv()))

    @classmethod
    def on_path(cls) -> "CrossBinaries":
        """Bare command names, for the checked-in integration/meson/wasip2-cross.ini."""
        return cls("wasip2-clang", "wasip2-clang++", "llvm-ar", "llvm-ranlib", ("wasip2ld", *RUN_ARGS))


def render(binaries: CrossBinaries, header: str) -> str:
    # No link mode here: Meson links its compiler sanity check and has_function() probes with the cross
    # file's link arguments, and those programs use libc's WASI p1 parts, which --module refuses. Module
    # build targets take `link_args : ['--module', '--wit=…']` on the target instead.
    lines = [
        *(f"# {line}" if line else "#" for line in header.splitlines()),
        "",
        "[binaries]",
        f"c = {_array([binaries.c])}",
        f"cpp = {_array([binaries.cpp])}",
        f"ar = {_string(binaries.ar)}",
        f"ranlib = {_string(binaries.ranlib)}",
        f"exe_wrapper = {_array(binaries.exe_wrapper)}",
        "",
        "[built-in options]",
        "default_library = 'static'",
        "",
        "[host_machine]",
        "system = 'wasi'",
        "cpu_family = 'wasm32'",
        "cpu = 'wasm32'",
        "endian = 'little'",
        "",
    ]
    return "\n".join(lines)


def _string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _array(values: Sequence[str]) -> str:
    return "[" + ", ".join(_string(v) for v in values) + "]"


ON_PATH_HEADER = (
    "Meson cross file for wasm32-wasip2 with wasip2ld, using the commands on PATH.\n"
    "Prefer `wasip2ld meson-cross -o FILE`, which writes this with absolute paths (and llvm-ar from the\n"
    "discovered toolchain, which need not be on PATH as `llvm-ar`). See docs/integration-meson.md."
)


def on_path_text() -> str:
    """The content of the checked-in integration/meson/wasip2-cross.ini."""
    return render(CrossBinaries.on_path(), ON_PATH_HEADER)
