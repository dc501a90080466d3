"""Renderings of an ``ExpectedInterface`` for `wasip2ld sig --format …`.

``FORMATS`` maps a format name to ``"module:function"``; the function takes the ExpectedInterface and
returns the text. Modules are imported only when their format is used, so adding a format (``go``) is one
entry here plus its module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from ..expected import ExpectedInterface

FORMATS: dict[str, str] = {
    "wat": "wasip2ld.abi.formats.as_wat:render_wat",
    "json": "wasip2ld.abi.formats.as_json:render_json",
    "c": "wasip2ld.abi.formats.as_c:render_c",
    "go": "wasip2ld.abi.formats.go:render_go",
}


def renderer(name: str) -> Callable[[ExpectedInterface], str]:
    module, _, function = FORMATS[name].partition(":")
    return getattr(importlib.import_module(module), function)


def render(expected: ExpectedInterface, fmt: str) -> str:
    return renderer(fmt)(expected)
