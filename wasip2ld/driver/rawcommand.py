"""A click command that hands its whole argument list, untouched, to the callback as ``args`` (for
commands whose arguments belong to another tool: compilers, linkers)."""

from __future__ import annotations

import click


class RawCommand(click.Command):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.params["args"] = tuple(args)
        return []

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[ARGUMENTS]…")


def group_overrides(ctx: click.Context) -> dict[str, object]:
    """The group's --toolchain/--wasi-sdk/--tool flags, in the form the drivers take."""
    obj = ctx.find_root().obj or {}
    return {key: obj.get(key) for key in ("toolchain", "roots", "tools") if obj.get(key)}
