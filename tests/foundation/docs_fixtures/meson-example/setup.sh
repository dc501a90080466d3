# The Meson example shipped in integration/examples/meson. $1 is the repository root.
cp -a "$1/integration/examples/meson/." .
