"""`wasip2ld run --engine core`: a module build target on wasip2ld's own Canonical ABI host
(``wasip2ld.host``, over wasmtime's *core* API), with WASI 0.2 granted exactly as the component path grants
it: the arguments, the --env variables, the --dir preopens and the terminal's stdio."""

from __future__ import annotations

import sys

from ..errors import UsageError
from . import interrupt
from .execute import GuestTrapped, _engine, _import_wasmtime, _trapped, wasm_kind
from .spec import RunSpec


def run_core(spec: RunSpec) -> int:
    from ..host import LinkError, Trap
    from ..host.command import run_command
    from ..host.wasi import Wasi

    if wasm_kind(spec.wasm) != "module":
        raise UsageError(f"{spec.wasm}: is a component; --engine core runs core module build targets",
                         hint="build it with `--module`, or run it with --engine component")
    wasi = Wasi(args=spec.argv, env=spec.env, dirs=[(p.host, p.guest) for p in spec.dirs])
    wasmtime = _import_wasmtime()
    engine = _engine(wasmtime)
    store = wasmtime.Store(engine)
    interrupt.arm(store)
    sys.stdout.flush()
    sys.stderr.flush()
    try:
        with interrupt.watch(engine) as interrupted:
            try:
                return run_command(spec.wasm, wasi, store=store)
            except Trap:
                if interrupted.is_set():
                    raise KeyboardInterrupt from None
                raise
    except Trap as trap:
        if trap.details is not None:
            raise _trapped(spec.wasm, trap.details) from None
        raise GuestTrapped(f"{spec.wasm}: the program trapped: {trap.message}") from None
    except LinkError as err:
        raise UsageError(err.message, hint="--engine core provides the WASI 0.2 interfaces of wasi:cli/command; "
                         "call a library's other imports from Python (wasip2ld.host.instantiate, "
                         "docs/python-api.md)") from None
