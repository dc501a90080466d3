#!/bin/sh
# A test harness that runs the program it is given directly, as many `make check` scripts do.
set -e
"$1" words.txt 3
"$1" "$(pwd)/words.txt" 3
! "$1" words.txt 4
echo "by_path: ok"
