"""`agentic policy test` runs the Rego bundle's fixtures; `agentic policy validate PATH` evaluates a local
directory with every engine, offline (no stack, no waivers), exactly as the policy service would.

In a Git work tree it judges what ships: the files of the commit (``--commit``, default HEAD), never
untracked or gitignored ones (caches, virtualenvs, local .env). Elsewhere it reads the directory."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from agentic_cli.config import CliError
from agentic_cli.output import add_output_option, wants_json

SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", ".terraform", "vendor"})
MAX_FILE_BYTES = 5 * 1024 * 1024


def read_directory(root: Path) -> dict[str, bytes]:
    """Regular files under ``root`` (relative POSIX paths), skipping VCS, dependency and cache folders."""
    if not root.is_dir():
        raise CliError(f"{root} is not a directory")
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if any(part in SKIPPED_DIRS for part in relative.parts) or not path.is_file() or path.is_symlink():
            continue
        if path.stat().st_size <= MAX_FILE_BYTES:
            files[relative.as_posix()] = path.read_bytes()
    return files


def _read(root: Path, commit: str) -> dict[str, bytes]:
    from agentic_policy.adapters.git_files import GitReadError, in_work_tree, tracked_files  # noqa: PLC0415

    if not root.is_dir():
        raise CliError(f"{root} is not a directory")
    if not in_work_tree(root):
        return read_directory(root)
    try:
        return dict(tracked_files(root, commit))
    except GitReadError as exc:
        raise CliError(str(exc)) from None


def cmd_test(args: argparse.Namespace) -> int:
    from agentic_policy.bootstrap import build_offline  # noqa: PLC0415 - heavy, only for this command

    policy = build_offline(Path(args.bundle) if args.bundle else None)
    results = policy.fixtures()
    for result in results:
        mark = "ok  " if result.ok else "FAIL"
        print(f"{mark} {result.rule:<12} {result.case:<4} {result.detail}")
    failed = sum(not r.ok for r in results)
    print(f"{policy.engine.bundle.version}: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def cmd_validate(args: argparse.Namespace) -> int:
    from agentic_policy.bootstrap import build_offline  # noqa: PLC0415 - heavy, only for this command

    files = _read(Path(args.path), args.commit)
    subject = args.subject or Path(args.path).resolve().name
    policy = build_offline()
    try:
        evaluation = policy.engine.evaluate(files, args.environment, repository=subject)
    except policy.input_errors as exc:
        raise CliError(str(exc)) from None
    if wants_json(args):
        print(json.dumps(_as_json(evaluation), indent=2))
    else:
        _print(evaluation)
    return 1 if evaluation.blocking else 0


def _as_json(evaluation: Any) -> dict[str, Any]:
    return {
        "valid": evaluation.valid,
        "environment": evaluation.environment,
        "mode": evaluation.mode,
        "bundle": evaluation.bundle_version,
        "digest": evaluation.digest,
        "violations": [v.model_dump(mode="json") for v in evaluation.violations],
        "blocking": [v.rule for v in evaluation.blocking],
    }


def _print(evaluation: Any) -> None:
    blocking = set(evaluation.blocking)
    for v in evaluation.violations:
        where = f"{v.file}:{v.line}" if v.file and v.line else (v.file or "repository")
        status = "BLOCKS" if v in blocking else "      "
        print(f"{status} {v.severity:<8} {v.rule:<14} {where}  {v.message}")
    verdict = "passes" if evaluation.valid else f"is blocked by {len(evaluation.blocking)} violation(s)"
    print(
        f"{evaluation.files_scanned} files {verdict} in {evaluation.environment} ({evaluation.mode}); "
        f"{len(evaluation.violations)} violation(s); bundle {evaluation.bundle_version}",
        file=sys.stderr,
    )


def register(sub: Any) -> None:
    policy = sub.add_parser("policy", help="policy bundle: run its fixtures, validate a local directory")
    actions = policy.add_subparsers(dest="action", required=True)
    test = actions.add_parser("test", help="run every rule's pass/fail fixtures")
    test.add_argument("--bundle", default=None, help="bundle directory (default: the installed bundle)")
    test.set_defaults(func=cmd_test)
    validate = actions.add_parser("validate", help="evaluate a local directory with every engine")
    validate.add_argument("path")
    validate.add_argument("--environment", default="prod", help="dev, staging or prod (default: prod)")
    validate.add_argument("--subject", default=None, help="repository name (default: the directory name)")
    validate.add_argument("--commit", default="HEAD", help="in a Git work tree: the commit to judge")
    add_output_option(validate)
    validate.set_defaults(func=cmd_validate)
