"""``lazy_exports``: a package's names imported from their submodules on first use (PEP 562), so that
importing the package (or one lean submodule of it) does not import the rest."""

from __future__ import annotations

import sys


def lazy_exports(namespace: dict[str, object], sources: dict[str, str]):  # type: ignore[no-untyped-def]
    """The module ``__getattr__`` for ``namespace`` (a package's ``globals()``): ``sources`` maps each name
    to the submodule defining it."""
    package = namespace["__name__"]

    def __getattr__(name: str) -> object:
        source = sources.get(name)
        if source is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        __import__(f"{package}.{source}")  # not importlib.import_module: importing importlib costs 0.3 ms
        value = getattr(sys.modules[f"{package}.{source}"], name)
        namespace[name] = value
        return value

    return __getattr__
