"""Every speed goal of issue 12 in one run, each measured side by side, then one summary.

    python bench/bench_goals.py [--runs 10] [--configure-runs 2] [--go-runs 3]

  compile, cc-link, module-link   bench_driver.py
  cmake, autotools configures     bench_configure.py (Debian sources fetched once)
  check cold                      bench_check.py (a 20+ MB Go module, built once, kept in the cache below)
  go build warm                   bench_go.py
  run start-up                    bench_run.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

CACHE = Path.home() / ".cache" / "wasip2ld-bench"


def main() -> int:
    import bench_check
    import bench_configure
    import bench_driver
    import bench_go
    import bench_run

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--configure-runs", type=int, default=2)
    parser.add_argument("--go-runs", type=int, default=3)
    args = parser.parse_args()
    goals = bench_driver.run(args.runs)
    goals += bench_run.run(args.runs)
    goals += bench_go.run(args.go_runs)
    (CACHE / "check").mkdir(parents=True, exist_ok=True)
    goals.append(bench_check.fresh_process_check(bench_check.big_module(CACHE / "check"), args.runs))
    goals += bench_configure.run(args.configure_runs, CACHE / "debian-sources")
    print("\nsummary:")
    print("\n".join(goals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
