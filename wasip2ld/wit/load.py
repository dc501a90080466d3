"""Resolving WIT sources through the real `wasm-tools component wit --json`, and selecting a world the way
wit-parser does (``--world name`` or ``ns:pkg/name[@version]``)."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from pathlib import Path

from ..errors import WitError
from ..proc import Runner
from .from_json import WitJsonShapeError, packages_from_json
from .model import PackageName, Packages, World

_FEATURE = re.compile(r"^[a-z][a-z0-9-]*$")


def wasm_tools_path(toolchain: object | None = None) -> Path:
    """wasm-tools from the given Toolchain, or from a fresh ``discover()``."""
    if toolchain is None:
        from ..toolchain.discover import discover

        toolchain = discover()
    return toolchain.path("wasm-tools", "to read WIT")  # type: ignore[attr-defined]


def feature_args(features: Sequence[str] = (), all_features: bool = False) -> list[str]:
    """``--features a,b`` / ``--all-features`` for wasm-tools; names are checked here so a typo gets a
    clear message instead of a wasm-tools usage error."""
    for name in features:
        if not _FEATURE.match(name):
            raise WitError(
                f"--features: `{name}` is not a WIT feature name",
                hint="feature names are kebab-case identifiers, separated by commas: --features a,b",
            )
    args = ["--all-features"] if all_features else []
    if features and not all_features:
        args += ["--features", ",".join(features)]
    return args


def read_wit_json(
    source: str | os.PathLike,
    *,
    features: Sequence[str] = (),
    all_features: bool = False,
    toolchain: object | None = None,
    runner: Runner | None = None,
) -> object:
    """Run `wasm-tools component wit --json` on ``source`` (a .wit file, a package directory with an
    optional ``deps/``, or a wasm-encoded package) and return the parsed JSON."""
    path = Path(source)
    require_wit_source(path)
    argv = [str(wasm_tools_path(toolchain)), "component", "wit", "--json", "--color", "never"]
    argv += feature_args(features, all_features)
    argv.append(path)
    proc = (runner or Runner()).run(argv, tool="wasm-tools", capture=True, check=False)
    if proc.returncode != 0:
        raise invalid_wit_error(path, proc.stderr or b"")
    try:
        return json.loads(proc.stdout)
    except ValueError as err:
        raise WitJsonShapeError("$", f"not JSON ({err})") from None


def require_wit_source(path: Path) -> None:
    """A WIT source wasm-tools can read without blocking: a regular file or a directory."""
    from ..errors import UsageError
    from ..inputs import check_input

    try:
        check_input(path, what="a .wit file or a WIT package directory", directory_ok=True)
    except UsageError as err:
        raise WitError(
            err.message,
            hint=err.hint
            or "pass a .wit file, or a directory holding one WIT package (dependencies in its deps/)",
        ) from None


def load_packages(
    source: str | os.PathLike,
    *,
    features: Sequence[str] = (),
    all_features: bool = False,
    toolchain: object | None = None,
    runner: Runner | None = None,
) -> Packages:
    doc = read_wit_json(
        source, features=features, all_features=all_features, toolchain=toolchain, runner=runner
    )
    names = (
        [p.get("name") for p in doc.get("packages", []) if isinstance(p, dict)]
        if isinstance(doc, dict)
        else []
    )
    main = declared_package(Path(source))
    if main is None or main not in names:
        main = _printed_package(Path(source), toolchain, runner)
    return model_from_json(doc, names.index(main) if main in names else None, toolchain, runner)


def model_from_json(
    doc: object, main: int | None, toolchain: object | None, runner: Runner | None
) -> Packages:
    """``packages_from_json``, naming the wasm-tools release when its JSON has an unknown shape."""
    try:
        return packages_from_json(doc, main=main)
    except WitJsonShapeError as err:
        version = _wasm_tools_version(toolchain, runner)
        if version:
            err.message = f"{version} {err.message.removeprefix('wasm-tools ')}"
            err.args = (err.message,)
        raise


def _wasm_tools_version(toolchain: object | None, runner: Runner | None) -> str | None:
    argv = [str(wasm_tools_path(toolchain)), "--version"]
    proc = (runner or Runner()).run(argv, tool="wasm-tools", capture=True, check=False)
    first = (proc.stdout or b"").decode("utf-8", "replace").strip().split("\n")[0]
    m = re.match(r"^wasm-tools \d+\.\d+\.\d+", first)
    return m.group(0) if m else None


_COMMENT = re.compile(r"//[^\n]*|/\*.*?\*/", re.DOTALL)
_PACKAGE_HEADER = re.compile(
    r"\bpackage\s+([a-z0-9][a-z0-9-]*(?::[a-z0-9][a-z0-9-]*)+(?:@[0-9A-Za-z.+-]+)?)\s*;"
)


def declared_package(path: Path) -> str | None:
    """The ``package ns:name@ver;`` header of a WIT file, or of the .wit files of a package directory.

    The JSON lists dependencies and the main package in dependency order, which puts the main package
    last only when no dependency depends on it, so the main package is found by the name it declares.
    """
    files = sorted(path.glob("*.wit")) if path.is_dir() else [path] if path.suffix == ".wit" else []
    for file in files:
        try:
            text = _COMMENT.sub(" ", file.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        if m := _PACKAGE_HEADER.search(text):
            return m.group(1)
    return None


def _printed_package(path: Path, toolchain: object | None, runner: Runner | None) -> str | None:
    """The main package as `wasm-tools component wit` prints it first (for binary WIT packages)."""
    argv = [wasm_tools_path(toolchain), "component", "wit", "--color", "never", path]
    proc = (runner or Runner()).run(argv, tool="wasm-tools", capture=True, check=False)
    m = _PACKAGE_HEADER.search((proc.stdout or b"").decode("utf-8", "replace"))
    return m.group(1) if m else None


def load_world(
    path: str | os.PathLike,
    world: str | None = None,
    features: Sequence[str] = (),
    all_features: bool = False,
    *,
    toolchain: object | None = None,
    runner: Runner | None = None,
) -> World:
    """Resolve ``path`` and select one world (see ``select_world``)."""
    packages = load_packages(
        path, features=features, all_features=all_features, toolchain=toolchain, runner=runner
    )
    return select_world(packages, world, source=str(path))


def select_world(packages: Packages, world: str | None, *, source: str = "WIT") -> World:
    """wit-parser's rules: no name → the single world of the main package; ``name`` → that world of the
    main package; ``ns:pkg/name[@version]`` → that world of that package. Errors list what exists."""
    if world is not None and not world.strip():
        raise WitError(
            f"{source}: the world name given with --world is empty",
            hint=_available_hint(packages) or "pass --world NAME or --world ns:pkg/name",
        )
    if world is None:
        worlds = packages.main.worlds
        if len(worlds) == 1:
            return worlds[0]
        if not worlds:
            raise WitError(
                f"{source}: package `{packages.main.name}` defines no world",
                hint=_available_hint(packages) or "add a `world` to the package, or pass --world ns:pkg/name",
            )
        raise WitError(
            f"{source}: package `{packages.main.name}` has {len(worlds)} worlds; choose one with --world",
            hint=_available_hint(packages),
        )
    if ":" not in world:
        found = packages.main.world(world)
        if found is None:
            raise WitError(
                f"{source}: no world named `{world}` in package `{packages.main.name}`",
                hint=_available_hint(packages),
            )
        return found
    return _select_qualified(packages, world, source)


def _select_qualified(packages: Packages, world: str, source: str) -> World:
    head, sep, name = world.partition("/")
    version = None
    if "@" in name:
        name, version = name.split("@", 1)
    try:
        wanted = PackageName.parse(head)
    except ValueError:
        wanted = None
    if not sep or not name or wanted is None or wanted.version:
        raise WitError(
            f"--world: `{world}` is not a world name",
            hint="use `name` (a world of the main package) or `ns:pkg/name[@version]`",
        )
    candidates = [
        p
        for p in packages.packages
        if (p.name.namespace, p.name.name) == (wanted.namespace, wanted.name)
        and (version is None or p.name.version == version)
    ]
    if len(candidates) > 1:
        versions = ", ".join(str(p.name) for p in candidates)
        raise WitError(
            f"{source}: `{world}` is ambiguous: several versions are present ({versions})",
            hint=f"add the version: --world {head}/{name}@<version>",
        )
    found = candidates[0].world(name) if candidates else None
    if found is None:
        raise WitError(f"{source}: no world `{world}`", hint=_available_hint(packages))
    return found


def _available_hint(packages: Packages) -> str:
    ordered = [packages.main, *(p for p in packages.packages if p is not packages.main)]
    names = [w.id for p in ordered for w in p.worlds]
    if not names:
        return ""
    return "available worlds: " + ", ".join(names)


def invalid_wit_error(path: Path, stderr: bytes) -> WitError:
    """wasm-tools' report as one line: ``file:line:col: message``, with the offending source line as hint."""
    text = stderr.decode("utf-8", "replace")
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    message = next((line[len("error:") :].strip() for line in lines if line.startswith("error:")), None)
    if message is not None:
        message = _with_continuation(message, lines[[line.startswith("error:") for line in lines].index(True) + 1 :])
    location = next((m.group(1) for line in lines if (m := re.match(r"^\s*-->\s*(\S+:\d+:\d+)", line))), None)
    causes = [m.group(1) for line in lines if (m := re.match(r"^\s*\d+:\s*(.*)$", line))]
    if message is None:
        message = lines[0] if lines else "wasm-tools failed without a message"
    if causes:
        message = ": ".join([message, *causes])
    source_line = next(
        (m.group(1) for line in lines if (m := re.match(r"^\s*\d+\s*\|\s?(.*\S.*)$", line))), None
    )
    hint = f"at: {source_line.strip()}" if source_line else f"check the WIT in {path}"
    if location:
        return WitError(f"{location}: {message}", hint=hint)
    return WitError(f"{path}: {message}" if str(path) not in message else message, hint=hint)


_NOT_CONTINUATION = re.compile(r"^\s*(?:-->|\d*\s*\||Caused by:|\d+:)")


def _with_continuation(message: str, following: list[str]) -> str:
    """The message with the indented lines that continue it (wasm-tools lists known packages, or the two
    places a package is defined, on lines of their own), joined into the one line."""
    extra: list[str] = []
    for line in following:
        if not line.startswith(" ") or _NOT_CONTINUATION.match(line):
            break
        extra.append(line.strip().removeprefix("* "))
    if not extra:
        return message
    return f"{message} {', '.join(extra)}"
