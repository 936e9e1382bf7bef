"""``python -m agentic_gate --matrix [--language python] [--skip-language-checks] [--details]``."""

from __future__ import annotations

import argparse
import sys

from agentic_gate.combinations import combinations
from agentic_gate.go_checks import GO_CHECKS
from agentic_gate.matrix import COMMON_CHECKS, PYTHON_CHECKS, format_matrix, run_matrix


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agentic_gate", description=__doc__)
    parser.add_argument("--matrix", action="store_true", help="print combination x check (the default)")
    parser.add_argument("--language", choices=["python", "node", "go"], help="only this language")
    parser.add_argument("--skip-language-checks", action="store_true", help="common checks only (fast)")
    parser.add_argument("--details", action="store_true", help="print the problems of failed checks")
    args = parser.parse_args(argv)
    selected = [c for c in combinations() if args.language in (None, c.language)]
    rows = run_matrix(selected, with_language=not args.skip_language_checks)
    columns = [*COMMON_CHECKS, *([] if args.skip_language_checks else [*PYTHON_CHECKS, *GO_CHECKS])]
    print(format_matrix(rows, columns))
    failed = [
        (name, check, outcome)
        for name, results in rows.items()
        for check, outcome in results.items()
        if not outcome.passed
    ]
    print(f"\n{sum(len(r) for r in rows.values()) - len(failed)} passed, {len(failed)} failed")
    if args.details:
        for name, check, outcome in failed:
            print(f"\n[{name}] {check}:\n  " + "\n  ".join(outcome.problems))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
