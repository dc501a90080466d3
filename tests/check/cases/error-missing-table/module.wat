(module
  (import "$root" "[thread-new-indirect-v0]" (func (param i32 i32) (result i32)))
  (table 1 funcref)
  (func (export "run"))
)
