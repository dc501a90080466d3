"""Distributed compiles: `CC="distcc wasip2-clang"` against a distccd on the loopback interface, running as
the unprivileged `distccd` user with wasip2-clang allowed. Compiles go to the daemon, the link stays local,
and the result runs. The daemon's wasip2ld is the released wheel (a venv it can read) with a copy of the
provisioned toolchain data, as a separate build host would have it."""
from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from wasip2ld.config import load_settings

from .conftest import EXAMPLES, copy_tree, wasm_layer

WHITELIST = Path("/usr/lib/distcc")  # distccd runs only compilers named here (Debian's masquerade directory)
SOURCES = ("main.c", "rpn.c", "stack.c")


@pytest.fixture
def distccd(wheel_venv):
    """A distccd on 127.0.0.1, as user distccd, allowed to run wasip2-clang; yields (port, log path)."""
    daemon = shutil.which("distccd")
    if daemon is None or not (WHITELIST / "gcc").exists():
        pytest.fail("distcc is missing (apt-get install distcc; `make test-deps` installs it)", pytrace=False)
    if os.geteuid() != 0:
        pytest.fail("the distcc test starts distccd as user distccd and allows wasip2-clang: run it as root",
                    pytrace=False)
    user = pwd.getpwnam("distccd")
    allowed = WHITELIST / "wasip2-clang"
    created = not allowed.exists()
    if created:
        allowed.symlink_to("../../bin/distcc")
    home = Path(tempfile.mkdtemp(prefix="wasip2ld-distccd-"))
    home.chmod(0o755)
    shutil.copytree(load_settings().data_dir, home / "data", symlinks=True)
    (home / "cache").mkdir()
    os.chown(home / "cache", user.pw_uid, user.pw_gid)
    port = _free_port()
    log = home / "distccd.log"
    env = {"DISTCCD_PATH": f"{wheel_venv / 'bin'}:/usr/bin:/bin", "PATH": "/usr/bin:/bin",
           "WASIP2LD_DATA_DIR": str(home / "data"), "WASIP2LD_CACHE_DIR": str(home / "cache"),
           "HOME": str(home / "cache")}
    with open(log, "w") as log_file:
        proc = subprocess.Popen(
            [daemon, "--daemon", "--no-detach", "--listen", "127.0.0.1", "--port", str(port), "--allow",
             "127.0.0.1", "--user", "distccd", "--jobs", "2", "--log-stderr", "--log-level", "info"],
            env=env, stdout=log_file, stderr=log_file, start_new_session=True)
    try:
        _wait_for(port, proc, log)
        yield port, log
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(home, ignore_errors=True)
        if created:
            allowed.unlink()


def test_compiles_go_to_distccd_and_links_stay_local(programs, sh, wasip2ld_argv, distccd, tmp_path):
    port, log = distccd
    tree = copy_tree(EXAMPLES / "make", tmp_path / "make")
    (tmp_path / "dcc").mkdir()  # the client's state and locks
    client = {"DISTCC_HOSTS": f"127.0.0.1:{port}/2", "DISTCC_FALLBACK": "0", "DISTCC_DIR": str(tmp_path / "dcc"),
              "DISTCC_SKIP_LOCAL_RETRY": "1"}
    build = subprocess.run([*wasip2ld_argv, "make", "-j2", "CC=distcc wasip2-clang"], cwd=tree,
                           env={**sh.env, **client}, capture_output=True, text=True, timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr + log.read_text()
    assert wasm_layer(tree / "rpn") == "component"
    assert sh([*wasip2ld_argv, "run", tree / "rpn", "3", "4", "+", "2", "*"]).stdout.strip() == "14"
    served = [line for line in log.read_text().splitlines() if "COMPILE_OK" in line]
    assert sorted(next(s for s in SOURCES if line.endswith(s)) for line in served) == list(SOURCES), served
    assert all("wasip2-clang" in line for line in served)  # and nothing else: the link ran here


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(port: int, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"distccd exited {proc.returncode}:\n{log.read_text()}", pytrace=False)
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    pytest.fail(f"distccd did not listen on 127.0.0.1:{port} within 20 s:\n{log.read_text()}", pytrace=False)
