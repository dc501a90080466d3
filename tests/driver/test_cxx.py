"""C++ on the p1-free wasi-libc with Debian's libc++: strings, containers and iostream as a component and as a
module build target; and where C++ exceptions bite (Debian's libc++abi for wasm32 cannot throw), the driver
says so."""

from __future__ import annotations

import pytest

from .conftest import layer

CXX = r"""
#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
int main(int argc, char **argv) {
    std::vector<std::string> words(argv + 1, argv + argc);
    std::sort(words.begin(), words.end());
    std::map<char, int> initials;
    for (const auto &w : words) initials[w[0]] += static_cast<int>(w.size());
    std::ostringstream out;
    for (const auto &[c, n] : initials) out << c << '=' << n << ' ';
    std::cout << out.str() << std::endl;
    return 0;
}
"""
THROWS = r"""
#include <iostream>
#include <stdexcept>
int main() {
    try { throw std::runtime_error("boom"); } catch (const std::exception &e) { std::cout << e.what() << "\n"; }
    return 0;
}
"""


@pytest.mark.parametrize("mode", [[], ["--module"]], ids=["component", "module"])
def test_strings_containers_and_iostream_run(sh, clangxx_cmd, wasip2ld_cmd, libcxx, p1_free_sysroot, tmp_path,
                                             mode):
    (tmp_path / "words.cpp").write_text(CXX)
    sh([*clangxx_cmd, *mode, "-O1", "words.cpp", "-o", "words.wasm"])
    assert layer(tmp_path / "words.wasm") == ("module" if mode else "component")
    assert b"wasi_snapshot_preview1" not in (tmp_path / "words.wasm").read_bytes()
    if mode:
        assert sh([*wasip2ld_cmd, "check", "words.wasm"]).stdout.rstrip().endswith(
            "matches world `wasi:cli/command@0.2.0`, legacy names, target module")
    run = sh([*wasip2ld_cmd, "run", "words.wasm", "banana", "apple", "avocado"])
    assert run.stdout == "a=12 b=6 \n"


def test_exceptions_say_why_they_do_not_link(sh, clangxx_cmd, libcxx, tmp_path):
    (tmp_path / "throws.cpp").write_text(THROWS)
    default = sh([*clangxx_cmd, "throws.cpp", "-o", "throws.wasm"], ok=False)
    assert default.returncode != 0 and "cannot use 'throw' with exceptions disabled" in default.stderr
    enabled = sh([*clangxx_cmd, "-fexceptions", "throws.cpp", "-o", "throws.wasm"], ok=False)
    assert enabled.returncode != 0
    note = enabled.stderr.splitlines()[0]
    assert note.startswith("wasip2ld: note: Debian's libc++abi for wasm32 is built without C++ exception support")
    assert "undefined symbol: __cxa_throw" in enabled.stderr
    assert not (tmp_path / "throws.wasm").exists()
    quiet = sh([*clangxx_cmd, "-fexceptions", "-fno-exceptions", "-c", "-x", "c++", "/dev/null", "-o", "x.o"])
    assert "wasip2ld: note" not in quiet.stderr
