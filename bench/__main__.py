"""Run every bench module (bench/bench_*.py, each with run() -> list[Figure]) and print one table."""

from __future__ import annotations

import importlib
import logging
import pkgutil
import sys
import time

import bench
from bench.common import print_table


def main(selected: list[str]) -> int:
    logging.disable(logging.WARNING)
    figures = []
    names = sorted(m.name for m in pkgutil.iter_modules(bench.__path__) if m.name.startswith("bench_"))
    if selected:
        names = [n for n in names if any(s in n for s in selected)]
    for name in names:
        start = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        print(f"# {name} ...", file=sys.stderr, flush=True)
        figures.extend(module.run())
        print(f"#   done in {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    print_table(figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
