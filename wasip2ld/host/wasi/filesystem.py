"""`wasi:filesystem/types` and `preopens` over host directories, every path confined by ``sandbox``."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from typing import Any

from ..values import Err, Ok, Variant
from .io import InputStream, IoError, OutputStream
from .sandbox import FsError, resolved

_TYPES = (
    (stat.S_ISDIR, "directory"), (stat.S_ISREG, "regular-file"), (stat.S_ISLNK, "symbolic-link"),
    (stat.S_ISCHR, "character-device"), (stat.S_ISBLK, "block-device"), (stat.S_ISFIFO, "fifo"),
    (stat.S_ISSOCK, "socket"),
)  # fmt: skip


def _type(mode: int) -> str:
    return next((name for test, name in _TYPES if test(mode)), "unknown")


def _datetime(ns: int) -> dict[str, int]:
    return {"seconds": ns // 1_000_000_000, "nanoseconds": ns % 1_000_000_000}


def _stat(st: os.stat_result) -> dict[str, Any]:
    return {
        "type": _type(st.st_mode), "link-count": st.st_nlink, "size": st.st_size,
        "data-access-timestamp": _datetime(st.st_atime_ns),
        "data-modification-timestamp": _datetime(st.st_mtime_ns),
        "status-change-timestamp": _datetime(st.st_ctime_ns),
    }  # fmt: skip


def _hash(st: os.stat_result) -> dict[str, int]:
    return {"lower": st.st_ino & (2**64 - 1), "upper": st.st_dev & (2**64 - 1)}


def _times(current: os.stat_result, access: Variant, modification: Variant) -> tuple[int, int]:
    def pick(stamp: Variant, now: int, old: int) -> int:
        if stamp.case == "now":
            return now
        if stamp.case == "timestamp":
            return stamp.value.seconds * 1_000_000_000 + stamp.value.nanoseconds
        return old

    now = time.time_ns()
    return pick(access, now, current.st_atime_ns), pick(modification, now, current.st_mtime_ns)


def _fs(method: Callable[..., Any]) -> Callable[..., Any]:
    """Turn FsError/OSError into `Err(error-code)` and a plain return into `Ok(value)`."""

    def wrapped(*args: Any) -> Any:
        try:
            return Ok(method(*args))
        except FsError as err:
            return Err(err.code)
        except OSError as err:
            return Err(FsError.of(err).code)

    wrapped.__name__ = method.__name__
    return wrapped


class Descriptor:
    """An open file or directory. ``flags`` are the `descriptor-flags` it was opened with."""

    def __init__(self, fd: int, flags: frozenset[str], is_dir: bool) -> None:
        self.fd, self.flags, self.is_dir = fd, flags, is_dir

    def drop(self) -> None:
        os.close(self.fd)

    def _dir(self) -> int:
        if not self.is_dir:
            raise FsError("not-directory")
        return self.fd

    def _need(self, flag: str) -> None:
        if flag not in self.flags:
            raise FsError("bad-descriptor")

    @_fs
    def read_via_stream(self, offset: int) -> InputStream:
        self._need("read")
        return InputStream(fd=os.dup(self.fd), offset=offset)

    @_fs
    def write_via_stream(self, offset: int) -> OutputStream:
        self._need("write")
        return OutputStream(fd=os.dup(self.fd), offset=offset)

    @_fs
    def append_via_stream(self) -> OutputStream:
        self._need("write")
        return OutputStream(fd=os.dup(self.fd), append=True)

    @_fs
    def advise(self, offset: int, length: int, advice: str) -> None:
        return None

    @_fs
    def sync_data(self) -> None:
        os.fdatasync(self.fd)

    @_fs
    def sync(self) -> None:
        os.fsync(self.fd)

    @_fs
    def get_flags(self) -> frozenset[str]:
        return self.flags

    @_fs
    def get_type(self) -> str:
        return _type(os.fstat(self.fd).st_mode)

    @_fs
    def set_size(self, size: int) -> None:
        if self.is_dir:
            raise FsError("is-directory")
        self._need("write")
        os.ftruncate(self.fd, size)

    @_fs
    def set_times(self, access: Variant, modification: Variant) -> None:
        os.utime(self.fd, ns=_times(os.fstat(self.fd), access, modification))

    @_fs
    def read(self, length: int, offset: int) -> tuple[bytes, bool]:
        self._need("read")
        data = os.pread(self.fd, min(length, 1 << 20), offset)
        return data, not data and length > 0

    @_fs
    def write(self, buffer: bytes, offset: int) -> int:
        self._need("write")
        return os.pwrite(self.fd, buffer, offset)

    @_fs
    def read_directory(self) -> DirectoryEntries:
        return DirectoryEntries(self._dir())

    @_fs
    def create_directory_at(self, path: str) -> None:
        with resolved(self._dir(), path, False) as (at, name):
            os.mkdir(name, dir_fd=at)

    @_fs
    def stat(self) -> dict[str, Any]:
        return _stat(os.fstat(self.fd))

    @_fs
    def stat_at(self, path_flags: frozenset[str], path: str) -> dict[str, Any]:
        with resolved(self._dir(), path, "symlink-follow" in path_flags) as (at, name):
            return _stat(os.stat(name, dir_fd=at, follow_symlinks=False))

    @_fs
    def set_times_at(self, path_flags: frozenset[str], path: str, access: Variant, modification: Variant) -> None:
        with resolved(self._dir(), path, "symlink-follow" in path_flags) as (at, name):
            current = os.stat(name, dir_fd=at, follow_symlinks=False)
            os.utime(name, ns=_times(current, access, modification), dir_fd=at, follow_symlinks=False)

    @_fs
    def link_at(self, old_flags: frozenset[str], old_path: str, new: Descriptor, new_path: str) -> None:
        with resolved(self._dir(), old_path, "symlink-follow" in old_flags) as (old_at, old_name), \
                resolved(new._dir(), new_path, False) as (new_at, new_name):
            os.link(old_name, new_name, src_dir_fd=old_at, dst_dir_fd=new_at, follow_symlinks=False)

    @_fs
    def open_at(self, path_flags: frozenset[str], path: str, open_flags: frozenset[str],
                flags: frozenset[str]) -> Descriptor:
        mode = os.O_NOFOLLOW | os.O_CLOEXEC
        mode |= os.O_RDWR if {"read", "write"} <= flags else os.O_WRONLY if "write" in flags else os.O_RDONLY
        for flag, bit in (("create", os.O_CREAT), ("directory", os.O_DIRECTORY), ("exclusive", os.O_EXCL),
                          ("truncate", os.O_TRUNC)):
            if flag in open_flags:
                mode |= bit
        for flag, bit in (("file-integrity-sync", os.O_SYNC), ("data-integrity-sync", os.O_DSYNC),
                          ("requested-write-sync", os.O_RSYNC)):
            if flag in flags:
                mode |= bit
        if "write" in flags and "directory" in open_flags:
            raise FsError("is-directory")
        with resolved(self._dir(), path, "symlink-follow" in path_flags) as (at, name):
            fd = os.open(name, mode, 0o666, dir_fd=at)
        is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
        if is_dir and "write" in flags:
            os.close(fd)
            raise FsError("is-directory")
        return Descriptor(fd, flags, is_dir)

    @_fs
    def readlink_at(self, path: str) -> str:
        with resolved(self._dir(), path, False) as (at, name):
            return os.readlink(name, dir_fd=at)

    @_fs
    def remove_directory_at(self, path: str) -> None:
        with resolved(self._dir(), path, False) as (at, name):
            os.rmdir(name, dir_fd=at)

    @_fs
    def rename_at(self, old_path: str, new: Descriptor, new_path: str) -> None:
        with resolved(self._dir(), old_path, False) as (old_at, old_name), \
                resolved(new._dir(), new_path, False) as (new_at, new_name):
            os.rename(old_name, new_name, src_dir_fd=old_at, dst_dir_fd=new_at)

    @_fs
    def symlink_at(self, old_path: str, new_path: str) -> None:
        if old_path.startswith("/"):
            raise FsError("not-permitted")
        with resolved(self._dir(), new_path, False) as (at, name):
            os.symlink(old_path, name, dir_fd=at)

    @_fs
    def unlink_file_at(self, path: str) -> None:
        with resolved(self._dir(), path, False) as (at, name):
            if stat.S_ISDIR(os.stat(name, dir_fd=at, follow_symlinks=False).st_mode):
                raise FsError("is-directory")
            os.unlink(name, dir_fd=at)

    def is_same_object(self, other: Descriptor) -> bool:
        a, b = os.fstat(self.fd), os.fstat(other.fd)
        return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)

    @_fs
    def metadata_hash(self) -> dict[str, int]:
        return _hash(os.fstat(self.fd))

    @_fs
    def metadata_hash_at(self, path_flags: frozenset[str], path: str) -> dict[str, int]:
        with resolved(self._dir(), path, "symlink-follow" in path_flags) as (at, name):
            return _hash(os.stat(name, dir_fd=at, follow_symlinks=False))


class DirectoryEntries:
    """`directory-entry-stream`: the entries (no `.`/`..`) in the order the host's readdir gives them."""

    def __init__(self, dir_fd: int) -> None:
        fd = os.dup(dir_fd)
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            with os.scandir(fd) as entries:
                self.entries = [(e.name, _type(e.stat(follow_symlinks=False).st_mode)) for e in entries]
        finally:
            os.close(fd)

    @_fs
    def read_directory_entry(self) -> dict[str, str] | None:
        if not self.entries:
            return None
        name, kind = self.entries.pop(0)
        return {"type": kind, "name": name}


def filesystem_error_code(err: IoError) -> str | None:
    return err.code


class Preopens:
    """The directories granted to the guest: ``(host path, guest path)`` pairs, opened once."""

    def __init__(self, dirs: list[tuple[str, str]]) -> None:
        self.dirs = dirs

    def get_directories(self) -> list[tuple[Descriptor, str]]:
        flags = frozenset({"read", "mutate-directory"})
        return [(Descriptor(os.open(host, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC), flags, True), guest)
                for host, guest in self.dirs]


FS_RESOURCES = {"descriptor": Descriptor, "directory-entry-stream": DirectoryEntries}
