"""Bare git repositories holding tiny FastAPI services, made with real git, for the deployment tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

REQUIREMENTS = "fastapi==0.115.6\nuvicorn==0.32.1\n"

HEALTHY_APP = """import os

from fastapi import FastAPI

app = FastAPI()


@app.get("/health")
def health() -> dict[str, str]:
    return {
        "release": "{release}",
        "version": os.environ.get("SERVICE_VERSION", ""),
        "environment": os.environ.get("ENVIRONMENT", ""),
    }
"""

CRASHING_APP = 'raise RuntimeError("orders-api cannot start: DATABASE_URL is not set")\n'


def healthy_app(release: str) -> dict[str, str]:
    return {
        "app/__init__.py": "",
        "app/main.py": HEALTHY_APP.replace("{release}", release),
        "requirements.txt": REQUIREMENTS,
    }


def crashing_app() -> dict[str, str]:
    return {"app/__init__.py": "", "app/main.py": CRASHING_APP, "requirements.txt": REQUIREMENTS}


def _git(*args: str, cwd: Path) -> str:
    identity = ["-c", "user.name=Test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"]
    done = subprocess.run(["git", *identity, *args], cwd=cwd, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def make_repo(root: Path, *commits: dict[str, str]) -> tuple[str, list[str]]:
    """A bare repo, one commit per file set (each on top of the last); returns its file:// URL and shas."""
    work, bare = root / "work", root / "repo.git"
    work.mkdir(parents=True)
    _git("init", "--quiet", "--initial-branch=main", cwd=work)
    shas = []
    for number, files in enumerate(commits, start=1):
        for name, text in files.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_text(text)
        _git("add", "--all", cwd=work)
        _git("commit", "--quiet", "-m", f"commit {number}", cwd=work)
        shas.append(_git("rev-parse", "HEAD", cwd=work))
    _git("clone", "--quiet", "--bare", str(work), str(bare), cwd=root)
    return bare.as_uri(), shas


def pids_running_from(path: Path) -> list[int]:
    """Live processes whose command line mentions ``path`` (zombies excluded)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if str(path) in cmdline and state != "Z":
            found.append(int(proc.name))
    return found


STOP_AWARE_APP = """import os
import signal
import time
from pathlib import Path

from fastapi import FastAPI

MARKERS = Path("{markers}")
app = FastAPI()


def _on_sigterm(signum, frame):
    # Asked to stop: leave a mark, then wait (up to 30 s) to see every sibling asked too
    (MARKERS / "{release}.asked").touch()
    deadline = time.monotonic() + 30
    while len(list(MARKERS.glob("*.asked"))) < {siblings} and time.monotonic() < deadline:
        time.sleep(0.05)
    if len(list(MARKERS.glob("*.asked"))) >= {siblings}:
        (MARKERS / "{release}.saw-all").touch()
    os._exit(0)


@app.on_event("startup")
def _take_sigterm() -> None:
    signal.signal(signal.SIGTERM, _on_sigterm)  # after uvicorn installed its own handlers


@app.get("/health")
def health() -> dict[str, str]:
    return {"release": "{release}"}
"""


def stop_aware_app(release: str, markers: Path, siblings: int) -> dict[str, str]:
    """A service that, asked to stop, records it and exits only once all ``siblings`` were asked too
    (or after 30 s): stopped one after another, each is killed after its grace period instead."""
    code = STOP_AWARE_APP.replace("{markers}", str(markers)).replace("{release}", release)
    return {
        "app/__init__.py": "",
        "app/main.py": code.replace("{siblings}", str(siblings)),
        "requirements.txt": REQUIREMENTS,
    }
