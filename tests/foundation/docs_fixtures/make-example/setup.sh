# The Makefile example shipped in integration/examples/make, plus a reactor library against a WIT world
# for module mode. $1 is the repository root.
cp -a "$1/integration/examples/make/." .
mkdir -p wit
cp "$1/tests/foundation/docs_fixtures/everyday/wit/shapes.wit" wit/
cp "$1/tests/foundation/docs_fixtures/everyday/lib.c" .
cat >> Makefile <<'MAKE'

.PHONY: lib
lib: lib.wasm
lib.wasm: lib.c
	$(CC) $(CFLAGS) -mexec-model=reactor -o $@ lib.c
MAKE
