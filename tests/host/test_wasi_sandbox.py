"""The preopen sandbox of the core host's WASI (wasip2ld.host.wasi), through `wasi:filesystem` descriptor
methods as the guest calls them: `..`, absolute paths, symbolic links (absolute, relative, to directories,
loops) and hard links pointing out of a preopen are refused, and nothing outside changes."""

from __future__ import annotations

import os

import pytest

from wasip2ld.host import Err, Ok, Variant
from wasip2ld.host.wasi import Wasi

NONE = frozenset()
READ = frozenset({"read"})
FOLLOW = frozenset({"symlink-follow"})


@pytest.fixture
def tree(tmp_path):
    """tmp/secret.txt outside; tmp/root (the preopen) with links in and out of it."""
    (tmp_path / "secret.txt").write_text("secret")
    root = tmp_path / "root"
    (root / "inner").mkdir(parents=True)
    (root / "inner" / "file.txt").write_text("inside")
    os.symlink(tmp_path / "secret.txt", root / "abs-link")
    os.symlink("../secret.txt", root / "rel-link")
    os.symlink("..", root / "dir-link")
    os.symlink("../inner/file.txt", root / "inner" / "ok-link")
    os.symlink("loop-b", root / "loop-a")
    os.symlink("loop-a", root / "loop-b")
    return tmp_path


@pytest.fixture
def root_dir(tree):
    wasi = Wasi(dirs=[(tree / "root", "/sandbox")])
    [(descriptor, guest)] = wasi.preopens.get_directories()
    assert guest == "/sandbox"
    yield descriptor
    descriptor.drop()


def outside(tree) -> list[str]:
    return sorted(p.name for p in tree.iterdir())


@pytest.mark.parametrize("path", ["..", "../secret.txt", "inner/../../secret.txt", "./inner/../..//secret.txt",
                                  "dir-link/secret.txt", "rel-link", "abs-link", "dir-link"])
def test_paths_leaving_the_preopen_are_not_permitted(root_dir, path):
    assert root_dir.open_at(FOLLOW, path, NONE, READ) == Err("not-permitted")
    assert root_dir.stat_at(FOLLOW, path) == Err("not-permitted")


def test_absolute_paths_are_not_permitted(root_dir, tree):
    assert root_dir.open_at(FOLLOW, str(tree / "secret.txt"), NONE, READ) == Err("not-permitted")
    assert root_dir.open_at(NONE, "/", NONE, READ) == Err("not-permitted")


def test_links_inside_the_preopen_work_and_no_follow_stops_at_the_link(root_dir):
    opened = root_dir.open_at(FOLLOW, "inner/ok-link", NONE, READ)
    assert isinstance(opened, Ok)
    assert opened.value.read(100, 0) == Ok((b"inside", False))
    opened.value.drop()
    assert root_dir.open_at(NONE, "rel-link", NONE, READ) == Err("loop")  # O_NOFOLLOW on a link
    stat = root_dir.stat_at(NONE, "abs-link")
    assert isinstance(stat, Ok) and stat.value["type"] == "symbolic-link"
    assert root_dir.readlink_at("rel-link") == Ok("../secret.txt")
    assert root_dir.open_at(FOLLOW, "loop-a", NONE, READ) == Err("loop")


def test_creating_through_links_or_dotdot_is_refused(root_dir, tree):
    before = outside(tree)
    create = frozenset({"create"})
    write = frozenset({"write"})
    assert root_dir.open_at(FOLLOW, "dir-link/new.txt", create, write) == Err("not-permitted")
    assert root_dir.open_at(FOLLOW, "../new.txt", create, write) == Err("not-permitted")
    assert root_dir.create_directory_at("../newdir") == Err("not-permitted")
    assert root_dir.create_directory_at("dir-link/newdir") == Err("not-permitted")
    assert root_dir.rename_at("inner/file.txt", root_dir, "../moved.txt") == Err("not-permitted")
    assert root_dir.rename_at("../secret.txt", root_dir, "stolen.txt") == Err("not-permitted")
    assert root_dir.unlink_file_at("../secret.txt") == Err("not-permitted")
    assert root_dir.unlink_file_at("dir-link/secret.txt") == Err("not-permitted")
    assert root_dir.symlink_at("/etc/passwd", "abs2") == Err("not-permitted")
    assert outside(tree) == before and (tree / "secret.txt").read_text() == "secret"


def test_hard_link_tricks_are_refused(root_dir, tree):
    assert root_dir.link_at(NONE, "../secret.txt", root_dir, "stolen") == Err("not-permitted")
    assert root_dir.link_at(FOLLOW, "abs-link", root_dir, "stolen") == Err("not-permitted")
    assert root_dir.link_at(FOLLOW, "dir-link/secret.txt", root_dir, "stolen") == Err("not-permitted")
    assert root_dir.link_at(NONE, "inner/file.txt", root_dir, "../planted") == Err("not-permitted")
    # Without symlink-follow the new name is a hard link to the link itself, not to its target.
    assert root_dir.link_at(NONE, "abs-link", root_dir, "link-copy") == Ok(None)
    assert os.path.islink(tree / "root" / "link-copy")
    assert os.stat(tree / "secret.txt").st_nlink == 1


def test_a_relative_link_escaping_can_be_made_but_not_followed(root_dir, tree):
    assert root_dir.symlink_at("../../secret.txt", "inner/up") == Ok(None)
    assert root_dir.open_at(FOLLOW, "inner/up", NONE, READ) == Err("not-permitted")
    now = Variant("now")
    assert root_dir.set_times_at(FOLLOW, "inner/up", now, now) == Err("not-permitted")
    assert root_dir.metadata_hash_at(FOLLOW, "rel-link") == Err("not-permitted")

