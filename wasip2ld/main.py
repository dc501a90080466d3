"""The ``wasip2ld`` command's entry point. ``wasip2ld run`` with the options it knows starts without
importing click (``wasip2ld.runner.cmdline``), so does ``wasip2ld check MODULE`` against the world the module
carries (``wasip2ld.check.cmdline``), and so does `wasip2ld go build` (``wasip2ld.gobuild.cmdline``);
everything else is the click CLI (``wasip2ld.cli``)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["run"]:
        from .runner.cmdline import main as run_main

        code = run_main(args[1:])
        if code is not None:
            return code
    if args[:1] == ["check"]:
        from .check.cmdline import main as check_main

        code = check_main(args[1:])
        if code is not None:
            return code
    if args[:2] == ["go", "build"]:
        from .driver.entry import guarded
        from .gobuild.cmdline import main as go_build_main

        return guarded(lambda: go_build_main(args[2:]), "wasip2ld")
    from .cli import main as cli_main

    return cli_main(args)
