"""docs/core-engines.md stays true: its import list is what `wasip2ld sig` prints for wasi:cli/command, and
the layouts its walkthrough states are the host's."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from wasip2ld.host.builder import CodecBuilder
from wasip2ld.wit import load_world

from .test_wasi_world import wasi_trees

DOC = Path(__file__).resolve().parents[2] / "docs" / "core-engines.md"


def _versionless(line: str) -> str:
    return re.sub(r"@0\.2\.\d+", "@0.2", line.strip())


def test_the_documented_imports_are_what_sig_prints(need, tmp_path):
    tree = wasi_trees(need("wasi-wit"), tmp_path)[-1]
    sig = subprocess.run([sys.executable, "-m", "wasip2ld", "sig", "--wit", tree, "--world", "wasi:cli/command",
                          "--format", "wat"], capture_output=True, text=True, check=True).stdout
    printed = {_versionless(line) for line in sig.splitlines() if line.strip().startswith("(import")}
    documented = re.search(r"```wat\n(.*?)```", DOC.read_text(), re.S).group(1).splitlines()
    assert len(documented) > 50
    missing = [line for line in documented if _versionless(line) not in printed]
    assert not missing, missing


def test_the_walkthrough_layouts_are_the_hosts(need, tmp_path):
    world = load_world(wasi_trees(need("wasi-wit"), tmp_path)[-1], world="wasi:cli/command")
    functions = {f.name: f for item in world.imports if hasattr(item, "interface")
                 for f in item.interface.functions}
    codecs = CodecBuilder(lambda resource: None)
    write = codecs.codec(functions["[method]output-stream.write"].result)
    assert (write.size, write.align, write.payload_offset) == (12, 4, 4)
    stream_error = write.cases[1]
    assert (stream_error.payload_offset, stream_error.names) == (4, ["last-operation-failed", "closed"])
    directories = codecs.codec(functions["get-directories"].result)
    assert (directories.element.size, directories.element.align) == (12, 4)
