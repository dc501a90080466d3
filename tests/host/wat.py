"""WAT pieces shared by the hand-written test modules."""

# A bump allocator as `cabi_realloc` (heap from 4096 up; a grown block keeps its old bytes).
BUMP_REALLOC = r"""
  (global $heap (mut i32) (i32.const 4096))
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (local $p i32)
    (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                           (i32.sub (i32.const 0) (local.get 2))))
    (global.set $heap (i32.add (local.get $p) (local.get 3)))
    (memory.copy (local.get $p) (local.get 0)                  ;; wasmtime shrinks transcoded strings
                 (select (local.get 1) (local.get 3) (i32.lt_u (local.get 1) (local.get 3))))
    (local.get $p))
"""
