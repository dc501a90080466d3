"""Dropping wasip2ld into existing build systems: the tools they should call (absolute paths), the
integration files shipped in ``integration/``, the environment for Make and the Meson cross file."""
from __future__ import annotations

from .tools import BuildTools, LinkMode, find_build_tools, integration_file

__all__ = ["BuildTools", "LinkMode", "find_build_tools", "integration_file"]
