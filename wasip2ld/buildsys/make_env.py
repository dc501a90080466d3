"""The environment `wasip2ld make` gives make (and what `wasip2ld make --print-env` prints): the compilers,
archiver and linker for wasm32-wasip2, as emmake does for Emscripten."""
from __future__ import annotations

import shlex

from .tools import BuildTools, LinkMode, integration_file


def make_environment(tools: BuildTools, mode: LinkMode, *, binfmt: bool = False) -> dict[str, str]:
    """``binfmt``: wasm programs run directly (`wasip2ld binfmt`), so they need no `.wasm` suffix."""
    mode_flags = mode.flags()
    cc = shlex.join([str(tools.cc), *mode_flags])
    cxx = shlex.join([str(tools.cxx), *mode_flags])
    nm = {"NM": str(tools.nm), "WASIP2_NM": str(tools.nm)} if tools.nm else {}
    return {
        "CC": cc,
        "CXX": cxx,
        "LD": cc,  # link through the driver: wasm-ld, then the component (or the embedded world)
        "AR": str(tools.ar),
        "RANLIB": str(tools.ranlib),
        **nm,  # wasm objects need an nm that reads them (libtool's "command to parse nm output" check)
        # Read by integration/make/wasip2.mk, so an `include $(WASIP2_MK)` costs no extra lookups.
        "WASIP2_MK": str(integration_file("make/wasip2.mk")),
        "WASIP2_CC": str(tools.cc),
        "WASIP2_CXX": str(tools.cxx),
        "WASIP2_AR": str(tools.ar),
        "WASIP2_RANLIB": str(tools.ranlib),
        "WASIP2_MODE": "module" if mode.module else "component",
        "WASIP2_MODE_FLAGS": shlex.join(mode_flags),
        "WASIP2_EXEEXT": "" if binfmt else ".wasm",
        "WASIP2_RUN": shlex.join([*tools.wasip2ld, "run", "--dir=."]),
    }


def as_shell(env: dict[str, str]) -> str:
    return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in env.items())
