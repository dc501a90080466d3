"""Which world a module implements and which string encoding it uses: from its ``component-type`` custom
sections (the encoding is the ``wit-component-encoding`` byte inside them), or from ``--wit``/``--world``.

Decoding a section runs `wasm-tools component wit --json`; its JSON is kept in the cache directory under the
section's hash, so running the same module again (a test binary under ctest) starts without a sub-process.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from ..wasm import read_module
from ..wasm.reader import Reader
from ..wit.model import World

ENCODINGS = {0: "utf8", 1: "utf16", 2: "latin1+utf16"}
_ENCODING_SECTION = "wit-component-encoding"


def module_world(data: bytes, path: str | None, wit: str | os.PathLike | None, world: str | None) -> World:
    if wit is not None:
        from ..wit import load_world

        return load_world(wit, world=world)
    sections = read_module(data, path).custom_sections("component-type")
    if len(sections) == 1:
        cached = _cached_world(bytes(sections[0].data))
        if cached is not None:
            return cached
    from ..wit import world_from_module

    return world_from_module(data, path=path)  # several sections, or errors worded for the user


def _cached_world(payload: bytes) -> World | None:
    from ..errors import Wasip2ldError
    from ..wit.load import model_from_json, read_wit_json

    cache = _cache_dir() / f"world-{hashlib.sha256(payload).hexdigest()[:32]}.json"
    try:
        doc = json.loads(cache.read_text())
    except (OSError, ValueError):
        with tempfile.TemporaryDirectory(prefix="wasip2ld-wit-") as tmp:
            source = Path(tmp) / "component-type.wasm"
            source.write_bytes(payload)
            try:
                doc = read_wit_json(source)
            except Wasip2ldError:
                return None
        _store(cache, json.dumps(doc))
    try:
        worlds = model_from_json(doc, 0, None, None).worlds
    except Wasip2ldError:
        return None
    return worlds[0] if len(worlds) == 1 else None


def _cache_dir() -> Path:
    explicit = os.environ.get("WASIP2LD_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wasip2ld"


def _store(path: Path, text: str) -> None:
    """Best effort: a cache that cannot be written only costs the next run a sub-process."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text)
        os.replace(tmp, path)
    except OSError:
        pass


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
