"""`wasi:io`: errors, pollables and the input/output streams behind stdio and files."""

from __future__ import annotations

import os
import time
from typing import Any, BinaryIO

from ..errors import Trap
from ..values import Err, Ok, Variant

CHUNK = 1 << 20  # the most a stream reads, and accepts per write, at once (wasmtime allows the same order)


class IoError:
    """`wasi:io/error` `error`: a message, and the filesystem error code when there is one."""

    def __init__(self, message: str, code: str | None = None) -> None:
        self.message, self.code = message, code

    def to_debug_string(self) -> str:
        return self.message


def failed(message: str, code: str | None = None) -> Err:
    return Err(Variant("last-operation-failed", IoError(message, code)))


CLOSED = Err(Variant("closed"))


class Pollable:
    """Ready now (streams: reads and writes never wait on this host) or at a monotonic deadline (ns)."""

    def __init__(self, deadline: int | None = None) -> None:
        self.deadline = deadline

    def ready(self) -> bool:
        return self.deadline is None or time.monotonic_ns() >= self.deadline

    def block(self) -> None:
        if self.deadline is not None:
            remaining = self.deadline - time.monotonic_ns()
            if remaining > 0:
                time.sleep(remaining / 1e9)


def poll(pollables: list[Pollable]) -> list[int]:
    """The indices of the ready pollables, waiting for the earliest one when none is."""
    if not pollables:
        raise Trap("poll: the list of pollables is empty")  # wasmtime traps the same way
    ready = [i for i, p in enumerate(pollables) if p.ready()]
    if not ready:
        min(pollables, key=lambda p: p.deadline or 0).block()
        ready = [i for i, p in enumerate(pollables) if p.ready()]
    return ready


class InputStream:
    """Reads from a host binary file object (stdin) or from a file descriptor at an offset."""

    def __init__(self, source: BinaryIO | None = None, fd: int | None = None, offset: int = 0) -> None:
        self.source, self.fd, self.offset = source, fd, offset
        self.closed = False

    def drop(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # a file stream owns a duplicate of its descriptor's fd
            self.fd = None

    def _read(self, length: int) -> bytes:
        length = min(length, CHUNK)
        if self.fd is not None:
            data = os.pread(self.fd, length, self.offset)
            self.offset += len(data)
            return data
        assert self.source is not None
        reader = getattr(self.source, "read1", self.source.read)
        return reader(length)

    def read(self, length: int) -> Any:
        if self.closed:
            return CLOSED
        if length == 0:
            return Ok(b"")
        try:
            data = self._read(length)
        except OSError as err:
            return failed(str(err))
        if not data:
            self.closed = True
            return CLOSED
        return Ok(data)

    blocking_read = read

    def skip(self, length: int) -> Any:
        result = self.read(length)
        return Ok(len(result.value)) if isinstance(result, Ok) else result

    blocking_skip = skip

    def subscribe(self) -> Pollable:
        return Pollable()


class OutputStream:
    """Writes to a host binary file object (stdout/stderr, flushed on every write so the two interleave as
    they would natively) or to a file descriptor at an offset (``append``: always at its end)."""

    def __init__(self, sink: BinaryIO | None = None, fd: int | None = None, offset: int = 0,
                 append: bool = False) -> None:
        self.sink, self.fd, self.offset, self.append = sink, fd, offset, append

    def drop(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def check_write(self) -> Any:
        return Ok(CHUNK)

    def write(self, contents: bytes) -> Any:
        try:
            if self.fd is None:
                assert self.sink is not None
                self.sink.write(contents)
                self.sink.flush()
            else:
                if self.append:
                    self.offset = os.fstat(self.fd).st_size
                view = memoryview(contents)
                while view:
                    written = os.pwrite(self.fd, view, self.offset)
                    self.offset += written
                    view = view[written:]
        except BrokenPipeError:
            return CLOSED
        except OSError as err:
            return failed(str(err), None)
        return Ok(None)

    blocking_write_and_flush = write

    def flush(self) -> Any:
        return Ok(None)

    blocking_flush = flush

    def write_zeroes(self, length: int) -> Any:
        return self.write(bytes(length))

    blocking_write_zeroes_and_flush = write_zeroes

    def splice(self, src: InputStream, length: int) -> Any:
        data = src.read(length)
        if not isinstance(data, Ok):
            return data
        written = self.write(data.value)
        return Ok(len(data.value)) if isinstance(written, Ok) else written

    blocking_splice = splice

    def subscribe(self) -> Pollable:
        return Pollable()


IO_FUNCTIONS = {
    "wasi:io/poll": {"poll": poll},
    "wasi:io/error": {},
    "wasi:io/streams": {},
}
IO_RESOURCES = {"error": IoError, "pollable": Pollable, "input-stream": InputStream,
                "output-stream": OutputStream}
