"""Resolving the compiler driver's toolchain: the slow path behind ``fastcache`` (it imports the discovery
machinery, reads config files and searches the disk)."""

from __future__ import annotations

import os
import shutil
import sys
import sysconfig
from pathlib import Path

from ..config import load_settings, user_config_file
from ..errors import ToolchainError
from ..toolchain.descriptors import descriptor_dirs, load_all, python_paths
from ..toolchain.discover import Part, Toolchain, discover
from .fastcache import ResolvedCc, cache_dir

LD_ENTRY_NAME = "wasip2ld-wasm-component-ld"  # clang passes --wasm-ld-path only to a *wasm-component-ld
_CXX_TRIPLES = ("wasm32-wasip2", "wasm32-wasi", "wasm32-wasip1")
# What the in-process link (``fastlink``) runs or reads besides clang.
LINK_PARTS = ("wasm-ld", "wasm-tools", "adapter-command", "adapter-reactor", "adapter-proxy")
_STAMPED_PARTS = ("clang", "clang++", "sysroot-wasip1", "sysroot-wasip2")


def resolve_cc_toolchain(overrides: dict[str, object] | None = None) -> tuple[ResolvedCc, list[str]]:
    """The parts the compiler driver uses, and the paths whose mtimes decide when to look again."""
    overrides = overrides or {}
    settings = load_settings(
        toolchain=overrides.get("toolchain"),  # type: ignore[arg-type]
        roots=overrides.get("roots"),  # type: ignore[arg-type]
        tools=overrides.get("tools"),  # type: ignore[arg-type]
    )
    tc = discover(settings)
    clang = tc.require("clang", "to compile C/C++")
    refuse_self(clang)
    clangxx_part = tc.get("clang++")
    if clangxx_part is not None:
        refuse_self(clangxx_part)
        clangxx = clangxx_part.argv
    else:
        clangxx = [*clang.argv, "--driver-mode=g++"]
    p2, p1 = tc.get("sysroot-wasip2"), tc.get("sysroot-wasip1")
    cxx_include, cxx_libdir = find_libcxx(tc.c_root, p2.path if p2 else None)
    link_parts = {name: _found_path(tc, name) for name in LINK_PARTS}
    resolved = ResolvedCc(
        clang=tuple(clang.argv),
        clangxx=tuple(clangxx),
        sysroot_wasip2=str(p2.path) if p2 else None,
        sysroot_wasip1=str(p1.path) if p1 else None,
        ld=ld_entry_path(),
        cxx_include=cxx_include,
        cxx_libdir=cxx_libdir,
        family=tc.c_family.name if tc.c_family else None,
        targets=tuple(tc.c_family.targets) if tc.c_family else (),
        wasm_ld=link_parts["wasm-ld"],
        wasm_tools=link_parts["wasm-tools"],
        adapter_command=link_parts["adapter-command"],
        adapter_reactor=link_parts["adapter-reactor"],
        adapter_proxy=link_parts["adapter-proxy"],
        build_defaults="1" if settings.build or os.environ.get("WASIP2LD_DELEGATE") else None,
    )
    return resolved, discovery_stamps(tc, resolved)


def _found_path(tc: Toolchain, name: str) -> str | None:
    part = tc.get(name)
    return str(part.path) if part is not None and part.path is not None else None


def refuse_self(part: Part) -> None:
    """A compiler that is wasip2ld's own driver would exec itself forever."""
    if part.path is not None and is_wasip2ld_program(part.path):
        raise ToolchainError(
            f"{part.name} resolves to {part.path} ({part.source}), which is wasip2ld's own driver",
            hint=f"point `--tool {part.name}=PATH` or the environment variable for {part.name} at a real "
            "clang "
            "(`wasip2ld doctor` lists the candidates)",
        )


def is_wasip2ld_program(path: str | os.PathLike) -> bool:
    try:
        with open(path, "rb") as f:
            head = f.read(512)
    except OSError:
        return False
    return head.startswith(b"#!") and b"wasip2ld" in head


def find_libcxx(c_root: Path | None, sysroot: Path | None) -> tuple[str | None, str | None]:
    """libc++ headers and library directory when they live outside the sysroot (Debian's
    libc++-N-dev-wasm32 installs them under /usr/lib/llvm-N); (None, None) when clang finds them itself."""
    if sysroot is not None:
        for include in (
            sysroot / "include" / "wasm32-wasip2" / "c++" / "v1",
            sysroot / "include" / "c++" / "v1",
        ):
            if include.is_dir():
                return None, None
    if c_root is None:
        return None, None
    for triple in _CXX_TRIPLES:
        include = c_root / "include" / triple / "c++" / "v1"
        libdir = c_root / "lib" / triple
        if include.is_dir() and (libdir / "libc++.a").is_file():
            return str(include), str(libdir)
    return None, None


def ld_entry_path() -> str:
    """An executable for clang's ``-fuse-ld=``: the installed console script, else a generated shim."""
    candidates = []
    if os.sep in sys.argv[0]:
        candidates.append(Path(sys.argv[0]).absolute().parent / LD_ENTRY_NAME)
    candidates.append(Path(sysconfig.get_path("scripts") or Path(sys.executable).parent) / LD_ENTRY_NAME)
    on_path = shutil.which(LD_ENTRY_NAME)
    if on_path:
        candidates.append(Path(on_path))
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return str(write_ld_shim(Path(cache_dir()) / "bin"))


def write_ld_shim(directory: Path) -> Path:
    """A tiny script that runs wasip2ld's linker with this Python (used when the package was not installed
    with its console scripts, e.g. run from a checkout)."""
    from ..atomic import atomic_output

    package_parent = str(Path(__file__).resolve().parent.parent.parent)
    text = (
        f"#!{sys.executable}\n"
        "# wasip2ld's linker entry, written by wasip2-clang because the console script was not installed.\n"
        "import sys\n"
        f"sys.path.insert(0, {package_parent!r})\n"
        "from wasip2ld.driver.entry import ld_main\n"
        "sys.exit(ld_main())\n"
    )
    target = directory / LD_ENTRY_NAME
    if target.is_file() and target.read_text(encoding="utf-8", errors="replace") == text:
        return target
    directory.mkdir(parents=True, exist_ok=True)
    with atomic_output(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
        os.chmod(tmp, 0o755)
    return target


def discovery_stamps(tc: Toolchain, resolved: ResolvedCc) -> list[str]:
    """Every path whose change could change what discovery finds for the compiler driver."""
    stamps = toolchain_stamps(tc, ("c", "sysroot"), (*_STAMPED_PARTS, *LINK_PARTS))
    if tc.c_root is not None:  # libc++ appearing later (apt-get install libc++-N-dev-wasm32)
        stamps += [str(tc.c_root / "include"), str(tc.c_root / "lib")]
    for value in (resolved.ld, resolved.cxx_include, resolved.cxx_libdir):
        if value:
            stamps.append(str(value))
    return stamps


def toolchain_stamps(tc: Toolchain, kinds: tuple[str, ...], parts: tuple[str, ...]) -> list[str]:
    """The paths whose change could change what discovery finds for ``parts``, whose descriptors are of
    ``kinds``: descriptor and config files, PATH, the candidate roots and the parts found."""
    settings = tc.settings
    stamps: list[str] = [str(d) for d in descriptor_dirs()]
    stamps += [str(p) for p in settings.config_files] + [str(user_config_file()), str(settings.data_dir)]
    stamps += [d for d in os.environ.get("PATH", "").split(os.pathsep) if d]
    variables = {
        "data": str(settings.data_dir),
        "home": str(Path.home()),
        "cwd": str(settings.cwd),
        **python_paths(),
    }
    for desc in load_all():
        if desc.kind not in kinds:
            continue
        for template in desc.roots:
            root = template
            for name, value in variables.items():
                root = root.replace("{" + name + "}", value)
            root = os.path.expanduser(root)
            if "{N}" in root:
                stamps.append(os.path.dirname(root.split("{N}", 1)[0]) or "/")
            else:
                stamps += [root, os.path.dirname(root)]
    for part in tc.parts.values():
        if part.path is not None and part.name in parts:
            stamps.append(str(part.path))
            if part.spec is not None and part.spec.marker:
                stamps.append(str(part.path / part.spec.marker))
    return stamps
