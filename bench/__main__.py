"""`python -m bench [section ...]`: run the benchmarks, print one table, exit 1 on a miss.

Sections run one after another, never together, so none loads the machine under another.
"""

from __future__ import annotations

import argparse
import importlib
import platform
import sys
import time

from bench.report import Figure, missed, table

# section name -> module with `run(args) -> list[Figure]`, in the order they run.
SECTIONS = {
    "pages": "bench.page_bytes",
    "ussd": "bench.ussd_load",
    "relay": "bench.relay_throughput",
    "scale": "bench.scale",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "sections",
        nargs="*",
        metavar="section",
        help=f"which to run (default: all of {', '.join(SECTIONS)})",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smaller loads, to check the benchmarks work (targets still apply)",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.sections) - set(SECTIONS))
    if unknown:
        parser.error(f"no section {', '.join(unknown)}; choose from {', '.join(SECTIONS)}")
    chosen = args.sections or list(SECTIONS)
    figures: list[Figure] = []
    started = time.monotonic()
    for name in chosen:
        print(f"== {name}", file=sys.stderr, flush=True)
        module = importlib.import_module(SECTIONS[name])
        figures.extend(module.run(args))
    print(
        f"\nthusa benchmarks on {platform.node()}: {_machine()}, "
        f"{time.monotonic() - started:.0f} s\n"
    )
    print(table(figures))
    failed = missed(figures)
    if failed:
        print(
            f"\n{len(failed)} target(s) missed: "
            + "; ".join(f"{f.section} {f.name}" for f in failed)
        )
        return 1
    print("\nevery target met")
    return 0


def _machine() -> str:
    import os

    return f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}"


if __name__ == "__main__":
    sys.exit(main())
