"""The Dockerfile parser: continuations, comments, heredocs, the escape directive, stages."""

from __future__ import annotations

from agentic_policy.logic.dockerfile import parse_dockerfile


def test_continuation_lines_form_one_instruction_that_starts_on_its_first_line() -> None:
    # Given a RUN continued over three lines with a comment inside, then a USER
    text = (
        "FROM python:3.11.10-slim\n"
        "RUN apt-get update \\\n"
        "  # refresh\n"
        "  && apt-get install -y curl\n"
        "USER app\n"
    )

    # When parsed
    stage = parse_dockerfile(text).stages[0]

    # Then RUN starts on line 2 with the joined arguments, and USER is on line 5
    assert [(i.keyword, i.line) for i in stage.instructions] == [("RUN", 2), ("USER", 5)]
    assert stage.instructions[0].args == "apt-get update && apt-get install -y curl"


def test_a_continued_from_line_is_parsed_as_one_stage() -> None:
    # Given a FROM split over two lines / When parsed / Then the image and alias are read
    stage = parse_dockerfile("FROM --platform=linux/amd64 \\\n  python:3.11.10-slim AS app\n").stages[0]
    assert (stage.image, stage.name, stage.line) == ("python:3.11.10-slim", "app", 1)


def test_heredoc_bodies_are_not_read_as_instructions() -> None:
    # Given a RUN heredoc whose body contains 'USER root'
    text = "FROM python:3.11.10-slim\nRUN <<EOT\nUSER root\nEOT\nUSER app\n"

    # When parsed / Then the only USER is the one after the heredoc
    stage = parse_dockerfile(text).stages[0]
    assert [(i.keyword, i.args) for i in stage.instructions if i.keyword == "USER"] == [("USER", "app")]


def test_the_escape_directive_changes_the_continuation_character() -> None:
    # Given a Windows-style Dockerfile using a backtick for continuations
    text = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN a `\n  b\nUSER app\n"

    # When parsed / Then the continued RUN is one instruction
    stage = parse_dockerfile(text).stages[0]
    assert [(i.keyword, i.args, i.line) for i in stage.instructions] == [
        ("RUN", "a b", 3),
        ("USER", "app", 5),
    ]


def test_each_from_starts_a_new_stage_and_the_last_is_final() -> None:
    # Given two stages / When parsed / Then the final stage is the second with its own instructions
    dockerfile = parse_dockerfile("FROM a:1 AS build\nRUN x\nfrom b:2\nuser app\n")
    assert [s.image for s in dockerfile.stages] == ["a:1", "b:2"]
    final = dockerfile.final_stage
    assert final is not None
    assert [(i.keyword, i.args) for i in final.instructions] == [("USER", "app")]
