"""Time loading and validating the five shipped frameworks, against a bare yaml.safe_load.

Each repetition reads and parses every file in frameworks/data/ from scratch (no cache):
once with frameworks.load_framework (parse, locate lines, validate, build the model) and once
with yaml.safe_load of the same files, in alternating order within the same run.

    .venv/bin/python benchmarks/load_frameworks.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from frameworks import clear_cache, load_framework
from frameworks.loader import DATA_DIR


def _time_ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30, help="repetitions (default 30)")
    args = parser.parse_args()
    paths = sorted(DATA_DIR.glob("*.yaml"))
    if not paths:
        raise SystemExit(f"no framework files in {DATA_DIR}")

    def ours() -> None:
        clear_cache()
        for path in paths:
            load_framework(path)

    def bare() -> None:
        for path in paths:
            yaml.safe_load(Path(path).read_text(encoding="utf-8"))

    def bare_c() -> None:
        for path in paths:
            yaml.load(Path(path).read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

    ours()  # import-time and first-call costs are not what we measure
    runs: dict[str, list[float]] = {"frameworks.load_framework": [], "yaml.safe_load": []}
    if yaml.__with_libyaml__:
        runs["yaml.load(CSafeLoader)"] = []
    fns = {
        "frameworks.load_framework": ours,
        "yaml.safe_load": bare,
        "yaml.load(CSafeLoader)": bare_c,
    }
    for i in range(args.repeat):
        order = list(runs) if i % 2 == 0 else list(reversed(runs))
        for name in order:
            runs[name].append(_time_ms(fns[name]))

    size = sum(p.stat().st_size for p in paths)
    print(
        f"{len(paths)} files, {size / 1024:.0f} KiB, {args.repeat} repetitions, "
        f"libyaml {'yes' if yaml.__with_libyaml__ else 'no'}"
    )
    print(f"{'':28} {'median ms':>10} {'p95 ms':>10}")
    for name, samples in runs.items():
        print(f"{name:28} {statistics.median(samples):10.1f} {_p95(samples):10.1f}")
    base = statistics.median(runs["frameworks.load_framework"])
    for name in list(runs)[1:]:
        print(f"ratio load_framework / {name}: {base / statistics.median(runs[name]):.2f}")


if __name__ == "__main__":
    main()
