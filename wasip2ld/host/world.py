"""Which world a module implements and which string encoding it uses: from its ``component-type`` custom
sections (the world as ``wasip2ld.wit.world_from_module`` gives it to every other command; the encoding is the
``wit-component-encoding`` byte inside them), or from ``--wit``/``--world``.
"""

from __future__ import annotations

import os

from ..wasm import read_module
from ..wasm.reader import Reader
from ..wit.model import World

ENCODINGS = {0: "utf8", 1: "utf16", 2: "latin1+utf16"}
_ENCODING_SECTION = "wit-component-encoding"


def module_world(data: bytes, path: str | None, wit: str | os.PathLike | None, world: str | None) -> World:
    if wit is not None:
        from ..wit import load_world

        return load_world(wit, world=world)
    from ..wit import world_from_module

    return world_from_module(data, path=path)


def string_encoding(data: bytes, path: str | None) -> str:
    """The encoding recorded by `component embed --encoding` (utf8 when nothing says otherwise)."""
    for section in read_module(data, path).custom_sections("component-type"):
        payload = bytes(section.data)
        r = Reader(payload, pos=8, path=path, region="component-type section")
        while not r.at_end():
            section_id = r.read_u8("section id")
            size = r.read_u32("section size")
            end = r.pos + size
            if section_id == 0 and r.read_name("custom section name") == _ENCODING_SECTION and end - r.pos >= 2:
                return ENCODINGS.get(payload[r.pos + 1], "utf8")
            r.pos = end
    return "utf8"
