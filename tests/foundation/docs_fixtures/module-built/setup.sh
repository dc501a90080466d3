# lib.wasm: a core module build target of world `shapes` (everyday/wit). $1 is the repository root.
cp -r "$1/tests/foundation/docs_fixtures/everyday/wit" "$1/tests/foundation/docs_fixtures/everyday/lib.c" .
wasip2-clang -mexec-model=reactor --module --wit wit --world shapes lib.c -o lib.wasm
