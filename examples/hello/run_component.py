"""Run a wasi:cli/command component with wasmtime (interim helper until `wasip2ld run` lands)."""
import sys

import wasmtime
import wasmtime.component as component

engine = wasmtime.Engine()
linker = component.Linker(engine)
linker.add_wasip2()
store = wasmtime.Store(engine)
config = wasmtime.WasiConfig()
config.inherit_stdout()
config.inherit_stderr()
store.set_wasi(config)
instance = linker.instantiate(store, component.Component.from_file(engine, sys.argv[1]))
run_interface = instance.get_export_index(store, "wasi:cli/run@0.2.0")
run = instance.get_func(store, instance.get_export_index(store, "run", run_interface))
result = run(store)
sys.exit(0 if getattr(result, "tag", "ok") == "ok" else 1)
