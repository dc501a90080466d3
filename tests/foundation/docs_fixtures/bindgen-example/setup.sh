# examples/bindgen (its WIT, C source, Makefile and call.py) under examples/bindgen. $1 is the repository root.
mkdir -p examples
cp -a "$1/examples/bindgen" examples/
