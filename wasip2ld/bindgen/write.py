"""Loading a world and writing its bindings: shared by `wasip2ld bindgen c` and the driver's ``--bindgen``.

Files are written atomically and only when their content changes, so build systems do not recompile
unchanged bindings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from ..errors import UsageError
from ..proc import Runner
from .generate import Bindings, Options, generate_c


def parse_renames(renames: Sequence[str]) -> tuple[tuple[str, str], ...]:
    pairs = []
    for item in renames:
        name, sep, to = item.partition("=")
        if not sep or not name or not to:
            raise UsageError(
                f"--rename: expected IFACE=NAME, got `{item}`",
                hint="e.g. --rename wasi:cli/stdin@0.2.0=stdin",
            )
        pairs.append((name, to))
    return tuple(pairs)


def write_bindings(
    build: Mapping[str, object],
    *,
    wit: Path | None,
    world: str | None,
    out_dir: Path,
    renames: Sequence[str] = (),
    string_encoding: str = "utf8",
    mangling: str | None = None,
    features: str | None = None,
    all_features: bool | None = None,
    toolchain: object | None = None,
    runner: Runner | None = None,
) -> Bindings:
    """Generate the bindings of ``world`` in ``wit`` (defaults from the ``[build]`` settings) into
    ``out_dir``; returns them."""
    from ..wit.load import load_packages, select_world

    wit = wit or (Path(str(build["wit"])) if "wit" in build else None)
    if wit is None:
        raise UsageError(
            "bindgen: no WIT given",
            hint="pass --wit PATH (a .wit file or a WIT package directory), or set `wit` under [build]",
        )
    world = world or (str(build["world"]) if build.get("world") is not None else None)
    mangling = mangling or (
        str(build["mangling"]) if build.get("mangling") not in (None, "auto") else "legacy"
    )
    feature_value = features if features is not None else build.get("features")
    feature_list = _features(feature_value)
    everything = bool(build.get("all-features", False)) if all_features is None else all_features
    options = Options(mangling, string_encoding, parse_renames(renames))
    packages = load_packages(
        wit, features=feature_list, all_features=everything, toolchain=toolchain, runner=runner
    )
    bindings = generate_c(select_world(packages, world, source=str(wit)), packages, options)
    save(bindings, out_dir)
    return bindings


def save(bindings: Bindings, out_dir: Path) -> None:
    from ..atomic import atomic_output

    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out-dir: {out_dir} is not a directory", hint="pass a directory for <world>.h/.c")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"--out-dir: cannot create {out_dir} ({exc.strerror})",
            hint="pass a directory you can write to, or create it first",
        ) from None
    for name, text in ((bindings.header_name, bindings.header), (bindings.source_name, bindings.source)):
        target = out_dir / name
        data = text.encode("utf-8")
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        with atomic_output(target) as tmp:
            tmp.write_bytes(data)


def _features(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else str(value).split(",")
    return tuple(str(item).strip() for item in items if str(item).strip())
