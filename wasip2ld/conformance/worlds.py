"""The worlds of the conformance suite: the WASI 0.2.x and 0.3.x worlds of jco's WIT (the newest release of
each), and packages written here to cover every type, resource pattern, feature gate and async form."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

_RELEASE = re.compile(r"^0\.([23])\.(\d+)$")


@dataclass(frozen=True)
class SuiteWorld:
    slug: str  # directory name in the suite
    source: str  # "wasi-0.2.12", "generated"
    files: tuple[tuple[str, str], ...]  # (relative path under wit/, text): the WIT package and its deps
    world: str  # the world's name within the package (`name`), as `--world` takes it


def _flags(count: int) -> str:
    return ", ".join(f"f{i}" for i in range(count))


_TYPES = f"""package conformance:types@0.1.0;

interface types {{
  record point {{ x: s32, y: s32 }}
  record big {{ a: u64, b: f64, c: string, d: list<u8>, e: option<point> }}
  variant shape {{ circle(f32), rect(point), text(string), none }}
  variant wide {{ small(u8), large(u64), real(f64), pair(tuple<f32, u32>) }}
  enum color {{ red, green, blue }}
  flags perms {{ read, write, exec }}
  flags many {{ {_flags(32)} }}
  flags some {{ {_flags(9)} }}
  type alias = point;

  prims: func(a: bool, b: s8, c: u8, d: s16, e: u16, f: s32, g: u32, h: s64, i: u64, j: f32, k: f64, l: char) -> u64;
  text: func(s: string) -> string;
  lists: func(a: list<u32>, b: list<string>) -> list<list<u8>>;
  options: func(a: option<u32>, b: option<string>) -> option<point>;
  results: func(a: result<u32, string>, b: result, c: result<_, u8>) -> result<big, color>;
  tuples: func(a: tuple<u8, string, f64>) -> tuple<u32, u64>;
  records: func(p: point, b: big) -> big;
  variants: func(s: shape, w: wide, c: color, p: perms, m: many, o: some) -> shape;
  spill: func(a1: u32, a2: u32, a3: u32, a4: u32, a5: u32, a6: u32, a7: u32, a8: u32, a9: u32, a10: u32,
              a11: u32, a12: u32, a13: u32, a14: u32, a15: u32, a16: u32, a17: u32) -> u32;
  fixed: func(a: list<u8, 4>) -> list<u32, 2>;
  maps: func(m: map<string, u32>) -> map<u32, list<string>>;
  nothing: func();
  aliased: func(a: alias) -> alias;
}}

world types-world {{
  import types;
  export types;
  export run: func(args: list<string>) -> result<u32, string>;
}}
"""

_RESOURCES = """package conformance:resources@1.2.3;

interface handles {
  resource blob {
    constructor(init: list<u8>);
    size: func() -> u32;
    merge: static func(a: borrow<blob>, b: own<blob>) -> blob;
    pair: func(other: borrow<blob>) -> tuple<blob, blob>;
  }
  resource empty;
  record holder { b: blob, n: u32 }
  make: func(n: u32) -> result<blob, string>;
  take: func(h: holder) -> option<blob>;
}

interface users {
  use handles.{blob};
  consume: func(b: blob) -> u64;
  peek: func(b: borrow<blob>) -> u64;
}

world resources-world {
  import handles;
  import users;
  resource local { constructor(); get: func() -> string; }
  import use-local: func(l: borrow<local>) -> local;
  export handles;
  export make-blob: func() -> u32;
}
"""

_ASYNC = """package conformance:concurrency@0.3.0;

interface streams {
  record item { id: u32, name: string }
  read-all: async func(s: stream<u8>) -> list<u8>;
  items: func() -> stream<item>;
  later: func(f: future<result<string, u32>>) -> future;
  ticks: func() -> stream;
  nested: async func(a: list<future<u32>>, b: option<stream<string>>) -> tuple<future<item>, stream<u64>>;
  wait: async func();
}

world async-world {
  import streams;
  import sleep: async func(ns: u64);
  import spawn: func(f: future<string>) -> u32;
  export streams;
  export run: async func(args: list<string>) -> result<string, u32>;
  export poll: func() -> stream<u8>;
}
"""

_GATES = """package conformance:gates@0.2.0;

@since(version = 0.2.0)
interface stable {
  @since(version = 0.2.0)
  old: func(x: u32) -> u32;
  @since(version = 0.2.0)
  @deprecated(version = 0.2.0)
  going: func() -> string;
  @unstable(feature = fancy)
  fancy-fn: func(s: string) -> string;
}

@unstable(feature = fancy)
interface experimental {
  try-it: func() -> u32;
}

world gates-world {
  @since(version = 0.2.0)
  import stable;
  @unstable(feature = fancy)
  import experimental;
  @since(version = 0.2.0)
  export stable;
  @unstable(feature = fancy)
  export extra: func() -> bool;
  export run: func();
}
"""

_FLAT = """package conformance:flat;

world flat-world {
  type id = u64;
  record entry { key: string, value: list<u8> }
  import get: func(key: string) -> option<entry>;
  import put: func(e: entry) -> result<id, string>;
  import tick: func();
  export handle: func(e: entry, n: id) -> list<entry>;
  export ping: func() -> u8;
}
"""

_EMPTY = """package conformance:empty;

world empty-world {}
"""

GENERATED = (
    ("types", _TYPES, "types-world"),
    ("resources", _RESOURCES, "resources-world"),
    ("async", _ASYNC, "async-world"),
    ("gates", _GATES, "gates-world"),
    ("flat", _FLAT, "flat-world"),
    ("empty", _EMPTY, "empty-world"),
)


def generated_worlds() -> list[SuiteWorld]:
    return [SuiteWorld(f"generated-{slug}", "generated", ((f"{slug}.wit", text),), world)
            for slug, text, world in GENERATED]  # fmt: skip


def newest_releases(wasi_wit: Path) -> list[Path]:
    """The newest 0.2.x and the newest 0.3.x release directory of jco's WIT."""
    releases = [p for p in wasi_wit.iterdir() if p.is_dir() and _RELEASE.match(p.name)]
    out = []
    for minor in ("2", "3"):
        found = [p for p in releases if _RELEASE.match(p.name)[1] == minor]  # type: ignore[index]
        if found:
            out.append(max(found, key=lambda p: int(_RELEASE.match(p.name)[2])))  # type: ignore[index]
    return out


def wasi_release_worlds(release: Path) -> list[SuiteWorld]:
    """Each world of each package of one release: the package, every sibling package under deps/."""
    packages = sorted(p for p in release.iterdir() if (p / "package.wit").is_file())
    out = []
    for package in packages:
        text = (package / "package.wit").read_text()
        files = [("package.wit", text)]
        files += [(f"deps/{other.name}/package.wit", (other / "package.wit").read_text())
                  for other in packages if other != package]  # fmt: skip
        for world in re.findall(r"^\s*world\s+([a-z0-9-]+)\s*\{", text, re.MULTILINE):
            slug = f"wasi-{release.name}-{package.name.removeprefix('wasi-')}-{world}"
            out.append(SuiteWorld(slug, f"wasi-{release.name}", tuple(files), world))
    return out


def write_wit(world: SuiteWorld, into: Path) -> Path:
    """The world's WIT files under ``into`` (created); returns ``into``."""
    if into.exists():
        shutil.rmtree(into)
    for relative, text in world.files:
        path = into / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return into
