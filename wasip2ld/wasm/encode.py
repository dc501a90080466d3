"""The few binary encoders wasip2ld needs to write wasm (module edits, test fixtures): LEB128 and names."""
from __future__ import annotations


def uleb(value: int, min_bytes: int = 1) -> bytes:
    """Unsigned LEB128; ``min_bytes`` pads with continuation bytes (valid, if not canonical)."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value or len(out) + 1 < min_bytes:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def sleb(value: int) -> bytes:
    """Signed LEB128."""
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if (value == 0 and not byte & 0x40) or (value == -1 and byte & 0x40):
            out.append(byte)
            return bytes(out)
        out.append(byte | 0x80)


def name(text: str) -> bytes:
    """A wasm name: its UTF-8 length, then the bytes."""
    raw = text.encode("utf-8")
    return uleb(len(raw)) + raw
