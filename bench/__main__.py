"""`python -m bench [--full] [--only NAME ...]`: run the benchmarks, one JSON line per measure.

The quick profile (default, `make bench`) finishes in under 5 minutes on 2 cores; `--full`
uses the sizes of issue 6 (100,000 processes, 1,000,000 deadlines). Progress goes to
stderr; stdout holds only the JSON lines. Exit status 1 when a benchmark failed to run
(goals not met are reported in the lines, not in the status).
"""

import argparse
import importlib
import sys
import time
import traceback

from .harness import (
    FULL,
    QUICK,
    SCRATCH_PREFIX,
    TINY,
    Measure,
    django_setup,
    django_teardown,
    emit,
    log,
    scratch_template,
)

# name → module; each module's `run(profile)` yields Measures.
BENCHMARKS = {
    "flow": "bench.flow",
    "inbox": "bench.inbox",
    "sweep": "bench.sweep",
    "numbering": "bench.numbering",
    "statistics": "bench.statistics",
    "export": "bench.export",
    "search": "bench.search",
}


def parse(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument("--full", action="store_true", help="the issue's full sizes")
    sizes.add_argument(
        "--tiny", action="store_true",
        help="sizes too small to mean anything, for the smoke test (own scratch databases)",
    )
    parser.add_argument(
        "--only", action="append", choices=sorted(BENCHMARKS), metavar="NAME",
        help=f"run only this benchmark (repeatable): {', '.join(BENCHMARKS)}",
    )
    return parser.parse_args(argv)


def run_all(names, profile) -> bool:
    """Run the benchmarks `names`, printing their measures; returns whether one failed."""
    failed = False
    for name in names:
        started = time.perf_counter()
        log(f"{name}: start ({profile.name})")
        try:
            for measure in importlib.import_module(BENCHMARKS[name]).run(profile):
                emit(measure)
        except Exception as exc:
            failed = True
            emit(Measure(f"{name}.error", None, "", params={"profile": profile.name},
                         extra={"error": f"{type(exc).__name__}: {exc}"}))
            traceback.print_exc()
        log(f"{name}: done in {time.perf_counter() - started:.1f} s")
    return failed


def main(argv=None) -> int:
    args = parse(argv)
    profile = FULL if args.full else TINY if args.tiny else QUICK
    if args.tiny:
        # Never the scratch databases of a real run going on at the same time.
        SCRATCH_PREFIX[0] = "benchtiny"
    django_setup()
    try:
        with scratch_template():
            failed = run_all(args.only or list(BENCHMARKS), profile)
    finally:
        django_teardown()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
