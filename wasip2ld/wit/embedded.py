"""The world a core module carries in its ``component-type*`` custom sections (`wasm-tools component embed`,
wit-bindgen, ``wasip2ld --module``).

Each section's payload is a small component that encodes one WIT world (spec §4). A single section is
decoded in-process (``binary``); what that decoder does not take — and a module with several sections (one
per wit-bindgen object file), which wasm-tools merges the way wit-component does into a world named
``root:root/root`` — goes to `wasm-tools component wit --json`.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing`: `wasip2ld check` imports this module on its fast path
if TYPE_CHECKING:
    from ..proc import Runner
    from .model import World

SECTION_PREFIX = "component-type"


def world_from_module(
    data: bytes, *, path: str | None = None, toolchain: object | None = None, runner: Runner | None = None
) -> World:
    from ..wasm import read_module

    where = path or "module"
    sections = read_module(data, path).custom_sections(SECTION_PREFIX)
    if len(sections) == 1:
        from .binary import Unsupported, decode_world

        try:
            return decode_world(sections[0].data)
        except Unsupported:
            pass
    if not sections:
        from ..errors import WitError

        raise WitError(
            f"{where}: has no `component-type` custom section, so it does not say which WIT world it "
            "implements",
            hint="build it with `wasip2ld --module --wit … --world …`, or add one with "
            "`wasm-tools component embed WIT MODULE`",
        )
    return wasm_tools_world(data, sections, where, toolchain, runner)


def wasm_tools_world(
    data: bytes, sections: list, where: str, toolchain: object | None, runner: Runner | None
) -> World:
    """The world as `wasm-tools component wit --json` decodes it (the reference the in-process decoder is
    tested against)."""
    from pathlib import Path

    from ..errors import WitError
    from ..leftovers import scratch_dir
    from .load import model_from_json, read_wit_json

    with scratch_dir("wit") as tmp:
        source = Path(tmp) / ("component-type.wasm" if len(sections) == 1 else "module.wasm")
        source.write_bytes(sections[0].data if len(sections) == 1 else bytes(data))
        try:
            doc = read_wit_json(source, toolchain=toolchain, runner=runner)
        except WitError as err:
            what = (
                f"section `{sections[0].name}`"
                if len(sections) == 1
                else f"{len(sections)} component-type sections"
            )
            raise WitError(
                f"{where}: cannot decode the WIT world in its {what}: {_strip_temp(err.message, tmp)}",
                hint="rebuild the module, or re-embed its world with `wasm-tools component embed`",
            ) from None
    packages = model_from_json(doc, 0, toolchain, runner)
    if len(sections) > 1:
        merged = next((w for w in packages.worlds if w.id == "root:root/root"), None)
        if merged is None:
            raise WitError(
                f"{where}: wasm-tools did not merge its {len(sections)} component-type sections into one world"
            )
        return merged
    worlds = packages.worlds
    if len(worlds) != 1:
        raise WitError(f"{where}: section `{sections[0].name}` encodes {len(worlds)} worlds, expected one")
    return worlds[0]


def redundant_sections(
    data: bytes, *, path: str | None = None, toolchain: object | None = None, runner: Runner | None = None
) -> tuple[str, ...]:
    """The names of the ``component-type`` sections whose world another section's world contains.

    wasi-libc's wasm32-wasip2 ``crt1-command.o`` carries ``wasi:cli/command`` and its ``libc.a`` carries
    ``wasi:cli/imports``: dropping the second leaves the module carrying one named world instead of a
    merged ``root:root/root``. Nothing is dropped unless one section's world contains all the others. Each
    section is decoded in-process where ``binary`` can (else by `wasm-tools component wit`)."""
    from pathlib import Path

    from ..leftovers import scratch_dir
    from ..wasm import read_module
    from .load import model_from_json, read_wit_json

    sections = read_module(data, path).custom_sections(SECTION_PREFIX)
    if len(sections) < 2:
        return ()
    from .binary import Unsupported, decode_world

    worlds = []
    with scratch_dir("wit") as tmp:
        for index, section in enumerate(sections):
            try:
                worlds.append(decode_world(section.data))
                continue
            except Unsupported:
                pass
            source = Path(tmp) / f"section-{index}.wasm"
            source.write_bytes(section.data)
            packages = model_from_json(read_wit_json(source, toolchain=toolchain, runner=runner), 0, toolchain, runner)
            if len(packages.worlds) != 1:
                return ()
            worlds.append(packages.worlds[0])
    for keep, world in enumerate(worlds):
        if all(_contains(world, other) for other in worlds):
            return tuple(s.name for i, s in enumerate(sections) if i != keep)
    return ()


def _contains(world: World, other: World) -> bool:
    def keys(items) -> set[str]:
        return {str(item.key) for item in items}

    return keys(other.imports) <= keys(world.imports) and keys(other.exports) <= keys(world.exports)


def _strip_temp(message: str, tmp: str) -> str:
    return message.replace(f"{tmp}/", "")
