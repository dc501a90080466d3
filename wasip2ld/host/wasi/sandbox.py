"""Path resolution confined to a preopened directory (what cap-std does for wasmtime).

Every path is walked one component at a time from the directory's file descriptor with ``O_NOFOLLOW``;
symbolic links are read and spliced into the walk by the host, never followed by the kernel, so ``..``,
an absolute path or a link (absolute, or relative with enough ``..``) can never leave the preopen:
stepping above its root is ``not-permitted``, like wasmtime. Hard links cannot be made to files outside,
because both paths of ``link-at`` resolve here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterator

MAX_SYMLINKS = 40
_WALK_FLAGS = os.O_PATH | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC

ERRNO_CODES = {
    errno.EACCES: "access", errno.EAGAIN: "would-block", errno.EALREADY: "already", errno.EBADF: "bad-descriptor",
    errno.EBUSY: "busy", errno.EDEADLK: "deadlock", errno.EDQUOT: "quota", errno.EEXIST: "exist",
    errno.EFBIG: "file-too-large", errno.EILSEQ: "illegal-byte-sequence", errno.EINPROGRESS: "in-progress",
    errno.EINTR: "interrupted", errno.EINVAL: "invalid", errno.EIO: "io", errno.EISDIR: "is-directory",
    errno.ELOOP: "loop", errno.EMLINK: "too-many-links", errno.EMSGSIZE: "message-size",
    errno.ENAMETOOLONG: "name-too-long", errno.ENODEV: "no-device", errno.ENOENT: "no-entry",
    errno.ENOLCK: "no-lock", errno.ENOMEM: "insufficient-memory", errno.ENOSPC: "insufficient-space",
    errno.ENOTDIR: "not-directory", errno.ENOTEMPTY: "not-empty", errno.ENOTRECOVERABLE: "not-recoverable",
    errno.EOPNOTSUPP: "unsupported", errno.ENOTTY: "no-tty", errno.ENXIO: "no-such-device",
    errno.EOVERFLOW: "overflow", errno.EPERM: "not-permitted", errno.EPIPE: "pipe", errno.EROFS: "read-only",
    errno.ESPIPE: "invalid-seek", errno.ETXTBSY: "text-file-busy", errno.EXDEV: "cross-device",
}  # fmt: skip


class FsError(Exception):
    """A `wasi:filesystem` `error-code` (its enum case name)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    @classmethod
    def of(cls, err: OSError) -> FsError:
        return cls(ERRNO_CODES.get(err.errno or 0, "io"))


@contextlib.contextmanager
def resolved(base: int, path: str, follow: bool) -> Iterator[tuple[int, str]]:
    """``(dir_fd, name)`` for ``path`` under the directory ``base``: ``name`` is one component (``.`` for
    the directory itself) to use with ``dir_fd`` and ``O_NOFOLLOW``/``follow_symlinks=False``. The final
    component's symlinks are resolved too when ``follow``."""
    if path.startswith("/"):
        raise FsError("not-permitted")
    if not path:
        raise FsError("no-entry")
    if "\0" in path:
        raise FsError("illegal-byte-sequence")
    stack = [base]
    try:
        yield _walk(stack, path, follow)
    finally:
        for fd in stack[1:]:
            os.close(fd)


def _walk(stack: list[int], path: str, follow: bool) -> tuple[int, str]:
    todo = _components(path)
    links = 0
    while todo:
        name = todo.pop()
        if name == ".":
            continue
        if name == "..":
            if len(stack) == 1:
                raise FsError("not-permitted")
            os.close(stack.pop())
            continue
        last = not todo
        link = _link_target(stack[-1], name) if (not last or follow) else None
        if link is not None:
            links += 1
            if links > MAX_SYMLINKS:
                raise FsError("loop")
            if link.startswith("/"):
                raise FsError("not-permitted")
            todo.extend(_components(link))
            continue
        if last:
            return stack[-1], name
        try:
            stack.append(os.open(name, _WALK_FLAGS, dir_fd=stack[-1]))
        except OSError as err:
            raise FsError.of(err) from None
    return stack[-1], "."


def _components(path: str) -> list[str]:
    """The components of ``path``, last first (a stack); empty components (``a//b``, ``a/``) are ``.``."""
    return [part or "." for part in reversed(path.split("/"))] if path else ["."]


def _link_target(dir_fd: int, name: str) -> str | None:
    try:
        st = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise FsError.of(err) from None
    if not stat.S_ISLNK(st.st_mode):
        return None
    return os.readlink(name, dir_fd=dir_fd)
