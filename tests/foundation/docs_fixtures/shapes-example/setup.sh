# examples/shapes (the C source, its WIT and its Makefile) and hello.c. $1 is the repository root.
cp -a "$1/examples/shapes/." .
cp "$1/tests/foundation/docs_fixtures/everyday/hello.c" .
