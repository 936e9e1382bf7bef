"""Running the real ``git`` executable with a minimal, prompt-free environment."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

from agentic_common.git.port import GitHostError

AUTHOR_NAME = "Agentic CodeGen"
AUTHOR_EMAIL = "codegen@agentic.local"
_PASSED_ENV = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT")


def git_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """No system or user config, no inherited GIT_DIR, never a prompt; a fixed author."""
    env = {key: os.environ[key] for key in _PASSED_ENV if key in os.environ}
    env |= {"GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0"}
    env |= {
        "GIT_AUTHOR_NAME": AUTHOR_NAME,
        "GIT_AUTHOR_EMAIL": AUTHOR_EMAIL,
        "GIT_COMMITTER_NAME": AUTHOR_NAME,
        "GIT_COMMITTER_EMAIL": AUTHOR_EMAIL,
    }
    return env | dict(extra or {})


class GitRunner:
    def __init__(self, timeout_seconds: float = 120) -> None:
        self._timeout = timeout_seconds

    def run(
        self,
        *args: str,
        git_dir: Path | None = None,
        cwd: Path | None = None,
        stdin: bytes | None = None,
        env: Mapping[str, str] | None = None,
        config: Mapping[str, str] | None = None,
        check: bool = True,
    ) -> bytes:
        location = ["--git-dir", str(git_dir)] if git_dir else []
        settings = {"commit.gpgsign": "false", **(config or {})}
        options = [arg for key, value in settings.items() for arg in ("-c", f"{key}={value}")]
        command = ["git", *options, *location, *args]
        try:
            result = subprocess.run(
                command,
                cwd=cwd,
                env=git_env(env),
                input=stdin,
                capture_output=True,
                timeout=self._timeout,
                check=False,
            )
        except FileNotFoundError as exc:
            raise GitHostError("the git executable was not found on PATH", retryable=False) from exc
        except subprocess.TimeoutExpired as exc:
            raise GitHostError(f"git {args[0]} did not finish within {self._timeout:.0f}s") from exc
        if check and result.returncode != 0:
            stderr = result.stderr.decode("utf-8", "replace").strip()[-500:]
            raise GitHostError(f"git {args[0]} failed (exit {result.returncode}): {stderr}")
        return result.stdout if result.returncode == 0 else b""

    def text(self, *args: str, **kwargs: object) -> str:
        return self.run(*args, **kwargs).decode("utf-8").strip()  # type: ignore[arg-type]
