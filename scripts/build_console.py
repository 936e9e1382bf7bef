"""``make console``: build the web console (console/dist) when its sources are newer than the build.

Installs the console's npm packages from its lock first (``npm ci``, idempotent, through
``tests.tools.ensure_node_packages``), then runs ``npm run build`` (TypeScript check + Vite) offline from
node_modules. A second run with nothing changed prints nothing. Standard library only.
"""

from __future__ import annotations

import fcntl
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.tools import ToolNotFoundError, ensure_node_packages, locate  # noqa: E402

CONSOLE = REPO_ROOT / "console"
BUILT = CONSOLE / "dist" / "index.html"
SOURCES = ("src", "index.html", "package-lock.json", "vite.config.ts", "tsconfig.json")


def newest_source(console: Path = CONSOLE) -> float:
    files = [p for name in SOURCES for p in ([console / name] if (console / name).is_file() else [])]
    files += [p for p in (console / "src").rglob("*") if p.is_file()]
    return max(p.stat().st_mtime for p in files)


def is_stale(console: Path = CONSOLE) -> bool:
    built = console / "dist" / "index.html"
    return not built.is_file() or built.stat().st_mtime < newest_source(console)


@contextmanager
def one_at_a_time(console: Path = CONSOLE) -> Iterator[None]:
    """Test workers (pytest-xdist) and `make` may build at once: one installs and builds, the others wait."""
    with (console / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def install(console: Path = CONSOLE) -> str | None:
    """`npm ci` from the lock unless node_modules already holds it (under the build lock)."""
    with one_at_a_time(console):
        return ensure_node_packages(console)


def build(console: Path = CONSOLE) -> str | None:
    """None when the build is current; else builds and says so. RuntimeError with npm's output on failure."""
    with one_at_a_time(console):
        return _build(console)


def _build(console: Path) -> str | None:
    installed = ensure_node_packages(console)
    if not is_stale(console) and installed is None:
        return None
    started = time.monotonic()
    done = subprocess.run(
        [str(locate("npm")), "run", "build", "--silent"],
        cwd=console,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`npm run build` in console failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return f"built the console into {console.name}/dist in {time.monotonic() - started:.1f} s"


def main() -> int:
    try:
        line = build()
    except (RuntimeError, ToolNotFoundError) as exc:
        print(f"make console: {exc}", file=sys.stderr)
        return 1
    if line:
        print(f"make console: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
