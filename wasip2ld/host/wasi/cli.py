"""`wasi:cli` (environment, exit, stdio, terminals), `wasi:clocks`, `wasi:random` and `wasi:sockets`
(which answers `not-supported`: the sandbox grants no network)."""

from __future__ import annotations

import os
import random as insecure_random
import time
from typing import Any

from ..values import Err, Ok
from .io import Pollable


class Exit(Exception):
    """The guest called `wasi:cli/exit` `exit` (code 0 or 1) or `exit-with-code`."""

    def __init__(self, code: int) -> None:
        super().__init__(f"exit({code})")
        self.code = code


def exit_(status: Any) -> None:
    raise Exit(0 if isinstance(status, Ok) else 1)


def exit_with_code(code: int) -> None:
    raise Exit(code)


class TerminalInput:
    pass


class TerminalOutput:
    pass


def _terminal(kind: type, stream: Any) -> Any:
    try:
        return kind() if os.isatty(stream.fileno()) else None
    except (AttributeError, OSError, ValueError):
        return None  # not a real file (captured output): not a terminal


def monotonic_now() -> int:
    return time.monotonic_ns()


def subscribe_duration(duration: int) -> Pollable:
    return Pollable(time.monotonic_ns() + duration)


def wall_now() -> dict[str, int]:
    ns = time.time_ns()
    return {"seconds": ns // 1_000_000_000, "nanoseconds": ns % 1_000_000_000}


def insecure_seed() -> tuple[int, int]:
    return insecure_random.getrandbits(64), insecure_random.getrandbits(64)


def clocks_and_random() -> dict[str, dict[str, Any]]:
    return {
        "wasi:clocks/monotonic-clock": {
            "now": monotonic_now, "resolution": lambda: 1,
            "subscribe-instant": Pollable, "subscribe-duration": subscribe_duration,
        },
        "wasi:clocks/wall-clock": {"now": wall_now, "resolution": lambda: {"seconds": 0, "nanoseconds": 1}},
        "wasi:clocks/timezone": {  # @unstable: every instant is in UTC here, as in wasmtime
            "display": lambda when: {"utc-offset": 0, "name": "UTC", "in-daylight-saving-time": False},
            "utc-offset": lambda when: 0,
        },
        "wasi:random/random": {
            "get-random-bytes": os.urandom,
            "get-random-u64": lambda: int.from_bytes(os.urandom(8), "little"),
        },
        "wasi:random/insecure": {
            "get-insecure-random-bytes": insecure_random.randbytes,
            "get-insecure-random-u64": lambda: insecure_random.getrandbits(64),
        },
        "wasi:random/insecure-seed": {"insecure-seed": insecure_seed},
    }  # fmt: skip


class Network:
    pass


def not_supported(*_args: Any) -> Err:
    return Err("not-supported")


SOCKETS_FUNCTIONS = {"wasi:sockets/instance-network": {"instance-network": Network}}
