# hello.wasm, built, for the blocks that take a built program as given. $1 is the repository root.
cp "$1/tests/foundation/docs_fixtures/everyday/hello.c" .
wasip2-clang hello.c -o hello.wasm
