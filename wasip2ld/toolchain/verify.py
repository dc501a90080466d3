"""Is a part that was found what it claims to be? Discovery only looks for names; a truncated download, a
shell script where an adapter should be or a sysroot without headers would otherwise pass `doctor` and
`toolchain install` and fail later, deep inside a build.

Checks are cheap (magic numbers, sizes, expected files); ``problem`` returns what is wrong, or None.
"""

from __future__ import annotations

from pathlib import Path

WASM_MODULE_HEADER = b"\0asm\x01\x00\x00\x00"
AR_MAGIC = b"!<arch>\n"
MIN_ADAPTER_BYTES = 4096  # the WASI p1 adapters are ~50 KB; anything this small is a stub or truncated


def problem(name: str, path: Path) -> str | None:
    """What is wrong with part ``name`` found at ``path`` (None when it looks right)."""
    if name.startswith("adapter-"):
        return adapter_problem(path)
    if name.startswith("sysroot-"):
        return sysroot_problem(path, "wasm32-" + name.removeprefix("sysroot-"))
    if name == "compiler-rt":
        return _magic_problem(path, AR_MAGIC, "a static library (ar archive)")
    if name == "wasi-wit":
        return None if path.is_dir() else f"{path} is not a directory of WIT packages"
    return None


def adapter_problem(path: Path, *, deep: bool = True) -> str | None:
    """A WASI adapter is a core wasm module of some size; ``deep`` also frames all its sections."""
    wrong = _magic_problem(path, WASM_MODULE_HEADER, "a WebAssembly core module")
    if wrong:
        return wrong
    size = path.stat().st_size
    if size < MIN_ADAPTER_BYTES:
        return f"{path} is truncated ({size} bytes)"
    if deep:
        from ..errors import WasmParseError
        from ..wasm import read_module

        try:
            read_module(path.read_bytes(), str(path))
        except WasmParseError as err:
            return f"{path} is damaged: {err.reason}"
    return None


def sysroot_problem(path: Path, triple: str) -> str | None:
    """A sysroot is a directory with headers and the target's libc archive."""
    if not path.is_dir():
        return f"{path} is not a directory"
    if not (path / "include").is_dir():
        return f"{path} has no include/ directory"
    libc = next((p for p in (path / "lib" / triple / "libc.a", path / "lib" / "libc.a") if p.exists()), None)
    if libc is None:
        return f"{path} has no lib/{triple}/libc.a"
    return _magic_problem(libc, AR_MAGIC, "a static library (ar archive)")


def _magic_problem(path: Path, magic: bytes, what: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(magic))
    except IsADirectoryError:
        return f"{path} is a directory, not {what}"
    except OSError as exc:
        return f"{path} cannot be read: {exc.strerror}"
    if head != magic:
        return f"{path} is not {what}" + (" (it is a script)" if head.startswith(b"#!") else "")
    return None
