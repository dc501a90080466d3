"""Call the drawing example from Python: the component through wasmtime's component API, the module build
target through wasip2ld's core-engine host (wasip2ld.host). Usage: python call.py drawing.wasm drawing.core.wasm"""

import sys

import wasmtime
from wasmtime import component as cm

import wasip2ld.host


def with_component(path: str) -> None:
    engine = wasmtime.Engine()
    linker = cm.Linker(engine)
    linker.add_wasip2()
    with linker.root() as root:
        root.add_func("log", lambda store, message: print("guest says:", message))
    store = wasmtime.Store(engine)
    store.set_wasi(wasmtime.WasiConfig())
    instance = linker.instantiate(store, cm.Component.from_file(engine, path))
    shapes = instance.get_export_index(store, "demo:drawing/shapes@0.1.0")

    def call(name, *args):
        func = instance.get_func(store, instance.get_export_index(store, name, shapes))
        result = func(store, *args)
        func.post_return(store)
        return result

    def point(x, y):
        p = cm.Record()
        p.x, p.y = x, y
        return p

    canvas = call("[constructor]canvas", "sketch")
    call("[method]canvas.add", canvas, 1.0)  # circle(1.0): the payload types tell the cases apart
    call("[method]canvas.add", canvas, [point(0.0, 0.0), point(4.0, 0.0), point(4.0, 3.0)])  # polygon
    print(
        "component:", call("[method]canvas.describe", canvas), round(call("[method]canvas.area", canvas), 3)
    )
    low, high = call("bounding-box", [point(1.0, 5.0), point(-2.0, 3.0)])
    print("component: bounding box", (low.x, low.y), (high.x, high.y))
    canvas.drop(store)


def with_module(path: str) -> None:
    from wasip2ld.host import Variant

    instance = wasip2ld.host.instantiate(path, {"log": lambda message: print("guest says:", message)})
    shapes = instance.exports["demo:drawing/shapes@0.1.0"]
    canvas = shapes["[constructor]canvas"]("sketch")
    shapes["[method]canvas.add"](canvas, Variant("circle", 1.0))
    shapes["[method]canvas.add"](
        canvas, Variant("polygon", [{"x": 0.0, "y": 0.0}, {"x": 4.0, "y": 0.0}, {"x": 4.0, "y": 3.0}])
    )
    print(
        "module:", shapes["[method]canvas.describe"](canvas), round(shapes["[method]canvas.area"](canvas), 3)
    )
    low, high = shapes["bounding-box"]([{"x": 1.0, "y": 5.0}, {"x": -2.0, "y": 3.0}])
    print("module: bounding box", (low.x, low.y), (high.x, high.y))
    canvas.drop()


if __name__ == "__main__":
    with_component(sys.argv[1])
    with_module(sys.argv[2])
