"""Ctrl-C while a guest runs.

Python runs signal handlers only between bytecodes, never while wasmtime executes guest code, so a guest
in a loop would never see KeyboardInterrupt. Instead the C-level handler's wakeup byte (``set_wakeup_fd``)
wakes a watcher thread, which bumps the engine's epoch: the guest traps at its next epoch check and the
run ends with exit code 130. A guest blocked inside a host call (a long ``sleep``, a read) never reaches an
epoch check; after ``GRACE_SECONDS`` the watcher ends the process itself with exit code 130.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from typing import Iterator

GRACE_SECONDS = 1.0
EXIT_INTERRUPTED = 130


def configure(config) -> None:  # config: wasmtime.Config
    """Engines that run guests check the epoch (a few percent of speed, for a guest that can be stopped)."""
    config.epoch_interruption = True


def arm(store) -> None:  # store: wasmtime.Store
    """The guest traps as soon as the engine's epoch moves (only ``watch`` moves it)."""
    store.set_epoch_deadline(1)


@contextlib.contextmanager
def watch(engine) -> Iterator[threading.Event]:
    """While the block runs, SIGINT interrupts the guest; the yielded event says whether it did."""
    interrupted = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return
    read_end, write_end = os.pipe()
    os.set_blocking(write_end, False)
    done = threading.Event()
    previous = signal.set_wakeup_fd(write_end, warn_on_full_buffer=False)

    def watcher() -> None:
        while not done.is_set():
            data = os.read(read_end, 64)
            if done.is_set() or not data:
                return
            if signal.SIGINT in data:
                interrupted.set()
                engine.increment_epoch()
                if not done.wait(GRACE_SECONDS):  # blocked in a host call: no epoch check will come
                    os.write(2, b"wasip2ld: interrupted\n")
                    os._exit(EXIT_INTERRUPTED)
                return

    thread = threading.Thread(target=watcher, name="wasip2ld-interrupt", daemon=True)
    thread.start()
    try:
        yield interrupted
    finally:
        done.set()
        signal.set_wakeup_fd(previous)
        with contextlib.suppress(OSError):
            os.write(write_end, b"\0")
        thread.join(timeout=GRACE_SECONDS)
        os.close(write_end)
        os.close(read_end)
        sys.stderr.flush()
