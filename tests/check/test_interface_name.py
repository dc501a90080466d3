"""The string parsers that let `wasip2ld check` run without importing ``re`` agree with the regular
expressions they replaced, on real names, edge cases and random strings built from the names' pieces:
``InterfaceName.parse`` (catalog) and ``semver_parts`` (abi.mangling)."""

from __future__ import annotations

import random
import re

from wasip2ld.abi.mangling import semver_parts
from wasip2ld.check.catalog import InterfaceName

NAME = r"^(?P<ns>[a-zA-Z0-9-]+):(?P<pkg>[a-zA-Z0-9-]+)/(?P<iface>[a-zA-Z0-9-]+)(?:@(?P<ver>.+))?$"
SEMVER = (r"^(?P<major>0|[1-9]\d*)\.(?P<minor>0|[1-9]\d*)\.(?P<patch>0|[1-9]\d*)"
          r"(?:-(?P<pre>[0-9A-Za-z.-]+))?(?:\+(?P<build>[0-9A-Za-z.-]+))?$")  # fmt: skip
# Each string is one choice per slot: mostly well-formed, often not.
NAME_SLOTS = [["wasi", "a-1", "B", "", "x_", "a:b"], [":", ":", "/", ""], ["io", "cli", "", "c/d", "é"],
              ["/", "/", ":", ""], ["streams", "run", "", "x y", "a@"], ["", "@", "@", "\n"],
              ["0.2.0", "", "1@2", "x\ny", "v"], ["", "", "\n", "\n\n", "/x"]]  # fmt: skip
SEMVER_SLOTS = [["0", "1", "12", "01", "", "٣"], [".", ".", "-", ""], ["0", "2", "10", "00", "x"], [".", ".", ""],
                ["0", "3", "٣", "01", ""], ["", "-rc.1", "-a-b", "-", "-x_"], ["", "+b.7", "+", "+a+b"],
                ["", "", "\n", "\n\n"]]  # fmt: skip


def _strings(slots: list[list[str]], seed: int, count: int = 40_000) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(slot) for slot in slots) for _ in range(count)]


def test_interface_names_parse_as_the_regex_does():
    def regex(text: str) -> tuple | None:
        m = re.match(NAME, text)
        return None if m is None else (m["ns"], m["pkg"], m["iface"], m["ver"])

    def parsed(text: str) -> tuple | None:
        name = InterfaceName.parse(text)
        return None if name is None else (name.namespace, name.package, name.interface, name.version)

    texts = ["wasi:io/streams@0.2.0", "a:b/c\n", "a:b/c@1\n", "a:b/c@1\n\n", "a:b/c@", "a:b/c/d", "a:b:c/d",
             *_strings(NAME_SLOTS, 7)]  # fmt: skip
    assert [t for t in texts if parsed(t) != regex(t)] == []
    assert sum(regex(t) is not None for t in texts) > 200


def test_versions_parse_as_the_regex_does():
    def regex(text: str) -> tuple | None:
        m = re.match(SEMVER, text)
        return None if m is None else (m["major"], m["minor"], m["patch"], m["pre"])

    texts = ["1.2.3", "0.2.1", "0.3.0-rc-2025-09-16", "0.1.0+build.7", "01.2.3", "1.2.3\n", "1.2.3\n\n",
             "1.2.3-a+b+c", "1٣.0.0", "١.0.0", *_strings(SEMVER_SLOTS, 3)]  # fmt: skip
    assert [t for t in texts if semver_parts(t) != regex(t)] == []
    assert sum(regex(t) is not None for t in texts) > 200
