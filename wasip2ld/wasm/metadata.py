"""What a toolchain recorded about a module: function names (the `name` section) and source languages (the
`producers` section). Both are advisory: a malformed section yields nothing rather than an error."""

from __future__ import annotations

from ..errors import WasmParseError
from .module import CoreModule
from .reader import Reader

_FUNCTION_NAMES = 1  # `name` subsection id
_LIMIT = 1 << 20


def function_names(module: CoreModule) -> dict[int, str]:
    """Function index -> name, from the `name` section's function-name map."""
    names: dict[int, str] = {}
    for section in module.custom_sections("name"):
        if section.name != "name":
            continue
        reader = _reader(module, section)
        try:
            while not reader.at_end():
                sub_id = reader.read_u8("name subsection id")
                sub = reader.sub_reader(reader.read_u32("name subsection size"), "name subsection")
                if sub_id != _FUNCTION_NAMES:
                    continue
                for _ in range(sub.read_count(_LIMIT, "function name")):
                    index = sub.read_u32("function index")
                    names[index] = sub.read_name("function name")
        except WasmParseError:
            pass
    return names


def languages(module: CoreModule) -> tuple[str, ...]:
    """The `language` entries of the `producers` section (``C11``, ``C_plus_plus_17``, …)."""
    found: list[str] = []
    for section in module.custom_sections("producers"):
        if section.name != "producers":
            continue
        reader = _reader(module, section)
        try:
            for _ in range(reader.read_count(_LIMIT, "producers field")):
                field = reader.read_name("field name")
                for _ in range(reader.read_count(_LIMIT, "producers value")):
                    value = reader.read_name("value name")
                    reader.read_name("value version")
                    if field == "language":
                        found.append(value)
        except WasmParseError:
            pass
    return tuple(found)


def _reader(module: CoreModule, section) -> Reader:
    return Reader(section.data, base=section.data_offset, path=module.path, region=f"{section.name} section")
