"""Dockerfile rules: pinned base images, a non-root final stage, a HEALTHCHECK.

Every Dockerfile in the repository is checked (``Dockerfile``, ``Dockerfile.*``, ``*.dockerfile``,
``Containerfile``); a repository without one has nothing to violate here.
"""

from __future__ import annotations

from collections.abc import Iterator

from agentic_policy.logic.dockerfile import Dockerfile, parse_dockerfile
from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules.base import Finding, Rule

ROOT_USERS = frozenset({"root", "0"})


def is_dockerfile(name: str) -> bool:
    lowered = name.lower()
    return (
        lowered in {"dockerfile", "containerfile"}
        or lowered.startswith("dockerfile.")
        or (lowered.endswith(".dockerfile"))
    )


def _dockerfiles(repo: Repo) -> Iterator[tuple[str, Dockerfile]]:
    for path in repo.paths(is_dockerfile):
        yield path, parse_dockerfile(repo.text(path))


def image_pin_problem(image: str) -> str | None:
    """Why ``image`` is not pinned to an explicit tag or digest, or None when it is."""
    if "$" in image:
        return f"base image {image!r} uses a build argument without a default, so its tag cannot be verified"
    if image.lower() == "scratch" or "@sha256:" in image:
        return None
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return f"base image {image!r} has no tag, which means 'latest'"
    tag = last.split(":", 1)[1]
    if not tag or tag == "latest":
        return f"base image {image!r} is not pinned: it uses the 'latest' tag"
    return None


def _unpinned_base_images(repo: Repo) -> Iterator[Finding]:
    for path, dockerfile in _dockerfiles(repo):
        if not dockerfile.stages:
            yield Finding(
                "the Dockerfile has no FROM instruction, so its base image cannot be verified", path
            )
        for stage in dockerfile.stages:
            problem = None if dockerfile.parent(stage) else image_pin_problem(stage.image)
            if problem:
                yield Finding(problem, path, stage.line)


def _root_final_stage(repo: Repo) -> Iterator[Finding]:
    for path, dockerfile in _dockerfiles(repo):
        final = dockerfile.final_stage
        if final is None:
            continue
        user = dockerfile.effective(final, "USER")
        if user is None:
            yield Finding("the final stage sets no USER, so the container runs as root", path, final.line)
            continue
        name = user.args.split(" ", 1)[0].split(":", 1)[0]
        if name.lower() in ROOT_USERS:
            yield Finding(f"the final stage runs as USER {name!r}, which is root", path, user.line)


def _missing_healthcheck(repo: Repo) -> Iterator[Finding]:
    for path, dockerfile in _dockerfiles(repo):
        final = dockerfile.final_stage
        if final is None:
            continue
        healthcheck = dockerfile.effective(final, "HEALTHCHECK")
        if healthcheck is None:
            yield Finding("the final stage declares no HEALTHCHECK", path, final.line)
        elif healthcheck.args.split(" ", 1)[0].upper() == "NONE":
            yield Finding("HEALTHCHECK NONE disables the container health check", path, healthcheck.line)


BASE_IMAGE_PINNED = Rule(
    id="DOCKER-001",
    name="base-image-pinned",
    severity="high",
    category="supply-chain",
    description="Every FROM names its base image with an explicit tag (not 'latest') or a digest.",
    remediation="pin the base image to a version tag or digest, e.g. 'FROM python:3.11.10-slim'",
    check=_unpinned_base_images,
)

NON_ROOT_USER = Rule(
    id="DOCKER-002",
    name="non-root-user",
    severity="high",
    category="security",
    description="The final stage of every Dockerfile switches to a non-root USER.",
    remediation="create an unprivileged user and add 'USER app' (any user but root/0) to the final stage",
    check=_root_final_stage,
)

HEALTHCHECK_PRESENT = Rule(
    id="DOCKER-003",
    name="healthcheck-present",
    severity="medium",
    category="reliability",
    description="The final stage of every Dockerfile declares a HEALTHCHECK.",
    remediation=(
        "add a HEALTHCHECK to the final stage that probes the service's health endpoint "
        "(slim images have no curl: use e.g. python -c with urllib.request)"
    ),
    check=_missing_healthcheck,
)

RULES = (BASE_IMAGE_PINNED, NON_ROOT_USER, HEALTHCHECK_PRESENT)
