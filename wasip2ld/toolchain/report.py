"""What `wasip2ld doctor` reports: each part's path, version and origin, and whether the default wasip2 C
pipeline (compile, link, componentize) can run."""
from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
from dataclasses import dataclass

from ..leftovers import scratch_dir
from .discover import Part, Toolchain, install_hint
from .sysrootscan import scan_sysroot

# What `wasip2-clang hello.c -o hello.wasm` needs.
PIPELINE_PARTS = ("clang", "wasm-ld", "compiler-rt", "sysroot-wasip2", "wasm-tools", "adapter-command", "adapter-reactor")
# Reported too, but their absence only disables a feature.
OPTIONAL_PARTS = {
    "clang++": "C++ (wasip2ld c++)",
    "libc++": "C++ standard library (wasip2-clang++)",
    "llvm-ar": "static libraries (AR)",
    "llvm-ranlib": "static libraries (RANLIB)",
    "llvm-nm": "symbol listing of wasm objects (NM, libtool's configure checks)",
    "sysroot-wasip1": "--wasip1 builds",
    "wasm-component-ld": "delegating links to the upstream wasm-component-ld",
    "adapter-proxy": "--wasi-adapter proxy",
    "wasi-wit": "the bundled WASI WIT packages",
    "go": "wasip2ld go build",
    "wasmtime": "wasip2ld run",
}


@dataclass(frozen=True)
class PartReport:
    name: str
    found: bool
    path: str | None
    version: str | None
    source: str
    required: bool
    problem: str | None  # found but unusable (e.g. an impostor wasm-tools)
    install: str | None
    needed_for: str


def report(tc: Toolchain) -> list[PartReport]:
    rows = []
    for name in (*PIPELINE_PARTS, *OPTIONAL_PARTS):
        part = tc.parts.get(name) or Part(name, None, "not found")
        version, problem = (_version(part) if part.found else (None, None))
        problem = problem or _verified(part)
        usable = part.found and problem is None
        rows.append(
            PartReport(
                name=name,
                found=usable,
                path=str(part.path) if part.path else None,
                version=version,
                source=part.source,
                required=name in PIPELINE_PARTS,
                problem=problem,
                install=None if usable else install_hint(name),
                needed_for="the default wasip2 C pipeline" if name in PIPELINE_PARTS else OPTIONAL_PARTS[name],
            )
        )
    return rows


@dataclass(frozen=True)
class LibcReport:
    """The wasm32-wasip2 wasi-libc: its version and the WASI p1 functions it still imports."""

    path: str
    version: str | None
    p1_imports: tuple[str, ...]

    @property
    def p1_free(self) -> bool:
        return not self.p1_imports

    @property
    def summary(self) -> str:
        if self.p1_free:
            return "p1-free: components need no WASI p1 adapter; --module builds can use stdio, files and exit"
        return (f"imports {len(self.p1_imports)} WASI p1 functions: components carry the WASI p1 adapter and "
                "--module builds cannot use stdio/files; `wasip2ld toolchain install` upgrades it")


def libc_report(tc: Toolchain) -> LibcReport | None:
    part = tc.get("sysroot-wasip2")
    if part is None or part.path is None or not (part.path / "lib/wasm32-wasip2/libc.a").is_file():
        return None
    return LibcReport(str(part.path), _file_version(part), scan_sysroot(part.path).p1_imports)


def pipeline_ok(rows: list[PartReport]) -> bool:
    return all(r.found for r in rows if r.required)


def as_json(tc: Toolchain, rows: list[PartReport]) -> str:
    libc = libc_report(tc)
    doc = {
        "schema": 1,
        "ok": pipeline_ok(rows),
        "toolchain": None
        if tc.c_family is None
        else {"name": tc.c_family.name, "root": str(tc.c_root) if tc.c_root else None,
              "source": tc.settings.toolchain.source if tc.settings.toolchain else "auto"},
        "data_dir": str(tc.settings.data_dir),
        "config_files": [str(p) for p in tc.settings.config_files],
        "parts": {
            r.name: {
                "found": r.found,
                "path": r.path,
                "version": r.version,
                "source": r.source,
                "required": r.required,
                "problem": r.problem,
                "install": r.install,
            }
            for r in rows
        },
        "missing": [{"part": r.name, "install": r.install} for r in rows if r.required and not r.found],
        "wasi_libc": None if libc is None else {
            "path": libc.path, "version": libc.version, "p1_free": libc.p1_free, "p1_imports": list(libc.p1_imports),
        },
    }
    return json.dumps(doc, indent=2)


def _version(part: Part) -> tuple[str | None, str | None]:
    spec = part.spec
    if spec is not None and spec.python:
        try:
            return importlib.metadata.version(spec.python), None
        except importlib.metadata.PackageNotFoundError:
            return None, None
    if spec is not None and spec.version:
        try:
            out = _probe([*part.argv, *spec.version])
        except (OSError, subprocess.TimeoutExpired) as exc:
            return None, f"cannot run {part.path}: {exc}"
        text = (out.stdout or out.stderr).decode("utf-8", "replace").strip()
        first = text.splitlines()[0] if text else ""
        if spec.version_pattern and not re.search(spec.version_pattern, first):
            return first or None, f"{part.path} is not the expected {part.name} (its version line: {first!r})"
        return first or None, None
    return _file_version(part), None


def _verified(part: Part) -> str | None:
    """A found part whose files are not what they should be (see ``verify``)."""
    from .verify import problem

    return problem(part.name, part.path) if part.found and part.path is not None else None


def _probe(argv: list[str]) -> subprocess.CompletedProcess:
    """Run a version probe without side effects: in an empty directory with a private, throw-away HOME
    (`go version` would otherwise write telemetry counters under ~/.config/go, and a go.mod nearby could
    make it download a toolchain), stdin closed, and a time limit."""
    with scratch_dir("probe") as home:
        env = {**os.environ, "HOME": home, "XDG_CONFIG_HOME": home, "XDG_CACHE_HOME": home}
        env.update(GOTELEMETRY="off", GOTOOLCHAIN="local", GOFLAGS="")
        return subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL, timeout=20, check=False,
                              cwd=home, env=env)


def _file_version(part: Part) -> str | None:
    """Versions of data parts: the provisioned VERSION file, or the npm package.json beside the adapters."""
    assert part.path is not None
    for parent in [part.path, *part.path.parents][:5]:
        if (parent / "VERSION").is_file():
            return (parent / "VERSION").read_text(encoding="utf-8", errors="replace").strip()
        pkg = parent / "package.json"
        if pkg.is_file():
            try:
                return f"{json.loads(pkg.read_text(encoding='utf-8'))['version']} (npm)"
            except (OSError, ValueError, KeyError, TypeError):
                return None
    return None


def as_text(tc: Toolchain, rows: list[PartReport]) -> str:
    lines = []
    if tc.c_family is not None:
        lines.append(f"toolchain: {tc.c_family.name} ({tc.c_root})")
    else:
        lines.append("toolchain: none found (no C toolchain family has its required parts)")
    lines.append(f"data dir:  {tc.settings.data_dir}")
    for path in tc.settings.config_files:
        lines.append(f"config:    {path}")
    width = max(len(r.name) for r in rows)
    for r in rows:
        mark = "ok" if r.found else ("MISSING" if r.required else "--")
        if r.found:
            detail = f"{r.path}  [{r.version or 'version unknown'}]  from {r.source}"
        elif r.problem:
            detail = f"unusable: {r.problem}"
        else:
            detail = f"not found (needed for {r.needed_for}): {r.install}"
        lines.append(f"{mark:8} {r.name:{width}}  {detail}")
    libc = libc_report(tc)
    if libc is not None:
        lines.append(f"wasi-libc: {libc.version or 'version unknown'}, {libc.summary}")
    if pipeline_ok(rows):
        lines.append("wasip2 C pipeline: ready")
    else:
        missing = ", ".join(r.name for r in rows if r.required and not r.found)
        lines.append(f"wasip2 C pipeline: NOT ready, missing {missing}")
    return "\n".join(lines)
