"""DOCKER-001 (pinned base images), DOCKER-002 (non-root final stage), DOCKER-003 (HEALTHCHECK)."""

from __future__ import annotations

from agentic_common.events.policy import Violation
from agentic_policy.logic.repo import Repo
from agentic_policy.logic.rules.base import Rule
from agentic_policy.logic.rules.docker import BASE_IMAGE_PINNED, HEALTHCHECK_PRESENT, NON_ROOT_USER

PINNED_FINAL = "FROM python:3.11.10-slim\nUSER app\nHEALTHCHECK CMD true\n"


def violations(rule: Rule, dockerfile: str, path: str = "Dockerfile") -> list[Violation]:
    return rule.evaluate(Repo({path: dockerfile.encode()}))


def test_a_base_image_with_an_explicit_tag_passes_docker_001() -> None:
    # Given a Dockerfile FROM a tagged image / When DOCKER-001 runs / Then nothing is reported
    assert violations(BASE_IMAGE_PINNED, PINNED_FINAL) == []


def test_a_latest_base_image_fails_docker_001_on_its_from_line() -> None:
    # Given a Dockerfile whose FROM (line 2) uses 'latest'
    dockerfile = "# base\nFROM python:latest\nUSER app\n"

    # When DOCKER-001 runs
    found = violations(BASE_IMAGE_PINNED, dockerfile)

    # Then one high violation points at line 2 and names the image
    assert [(v.rule, v.severity, v.file, v.line) for v in found] == [
        ("DOCKER-001 base-image-pinned", "high", "Dockerfile", 2)
    ]
    assert "'python:latest'" in found[0].message
    assert found[0].remediation


def test_a_base_image_without_a_tag_fails_docker_001() -> None:
    # Given an untagged image behind a registry with a port / When checked / Then it counts as 'latest'
    found = violations(BASE_IMAGE_PINNED, "FROM registry.local:5000/team/python\n")
    assert [v.line for v in found] == [1]
    assert "no tag" in found[0].message


def test_a_base_image_pinned_by_digest_passes_docker_001() -> None:
    # Given an image pinned by digest only / When checked / Then it passes
    dockerfile = f"FROM python@sha256:{'ab' * 32}\n"
    assert violations(BASE_IMAGE_PINNED, dockerfile) == []


def test_every_from_of_a_multi_stage_build_is_checked_by_docker_001() -> None:
    # Given a pinned final stage but an unpinned build stage on line 1
    dockerfile = "FROM node AS assets\nRUN build\nFROM python:3.11.10-slim\nUSER app\n"

    # When checked / Then the build stage is reported
    assert [v.line for v in violations(BASE_IMAGE_PINNED, dockerfile)] == [1]


def test_a_stage_built_from_an_earlier_stage_is_not_an_image_for_docker_001() -> None:
    # Given 'FROM base' where base is an earlier (pinned) stage / When checked / Then nothing is reported
    dockerfile = "FROM python:3.11.10-slim AS base\nFROM base AS final\nUSER app\n"
    assert violations(BASE_IMAGE_PINNED, dockerfile) == []


def test_a_global_arg_default_is_substituted_before_docker_001_checks_the_image() -> None:
    # Given FROM ${BASE_IMAGE} whose default is 'latest', and another whose default is pinned
    unpinned = "ARG BASE_IMAGE=python:latest\nFROM ${BASE_IMAGE}\n"
    pinned = "ARG BASE_IMAGE=python:3.11.10-slim\nFROM $BASE_IMAGE\n"

    # When checked / Then only the 'latest' default is reported, naming the resolved image
    found = violations(BASE_IMAGE_PINNED, unpinned)
    assert [v.line for v in found] == [2]
    assert "'python:latest'" in found[0].message
    assert violations(BASE_IMAGE_PINNED, pinned) == []


def test_dockerfiles_with_other_names_are_checked_too() -> None:
    # Given a second Dockerfile under docker/ / When checked / Then its path is reported
    found = violations(BASE_IMAGE_PINNED, "FROM ubuntu\n", path="docker/worker.Dockerfile")
    assert [v.file for v in found] == ["docker/worker.Dockerfile"]


def test_a_final_stage_with_a_non_root_user_passes_docker_002() -> None:
    assert violations(NON_ROOT_USER, PINNED_FINAL) == []


def test_only_the_final_stage_user_counts_for_docker_002() -> None:
    # Given a build stage that sets USER app and a final stage (line 3) that sets none
    dockerfile = "FROM python:3.11.10-slim AS build\nUSER app\nFROM python:3.11.10-slim\nCMD run\n"

    # When DOCKER-002 runs / Then the final stage is reported at its FROM line
    found = violations(NON_ROOT_USER, dockerfile)
    assert [(v.severity, v.line) for v in found] == [("high", 3)]
    assert "no USER" in found[0].message


def test_a_final_stage_that_switches_back_to_root_fails_docker_002() -> None:
    # Given a final stage whose last USER (line 4) is 0:0 / When checked / Then that line is reported
    dockerfile = "FROM python:3.11.10-slim\nUSER app\nRUN true\nUSER 0:0\n"
    assert [v.line for v in violations(NON_ROOT_USER, dockerfile)] == [4]


def test_a_final_stage_inherits_the_user_of_the_stage_it_is_built_from() -> None:
    # Given 'FROM base' where the base stage sets USER app / When checked / Then it passes
    dockerfile = "FROM python:3.11.10-slim AS base\nUSER app\nFROM base\nCMD run\n"
    assert violations(NON_ROOT_USER, dockerfile) == []


def test_a_final_stage_with_a_healthcheck_passes_docker_003() -> None:
    assert violations(HEALTHCHECK_PRESENT, PINNED_FINAL) == []


def test_a_final_stage_without_a_healthcheck_fails_docker_003() -> None:
    # Given only the build stage has a HEALTHCHECK
    dockerfile = "FROM python:3.11.10-slim AS b\nHEALTHCHECK CMD true\nFROM python:3.11.10-slim\nUSER app\n"

    # When DOCKER-003 runs / Then the final stage (line 3) is reported as medium
    found = violations(HEALTHCHECK_PRESENT, dockerfile)
    assert [(v.rule, v.severity, v.line) for v in found] == [("DOCKER-003 healthcheck-present", "medium", 3)]


def test_healthcheck_none_fails_docker_003() -> None:
    dockerfile = "FROM python:3.11.10-slim\nUSER app\nHEALTHCHECK NONE\n"
    found = violations(HEALTHCHECK_PRESENT, dockerfile)
    assert [v.line for v in found] == [3]
    assert "NONE" in found[0].message
