"""Settings fail fast naming the setting; secrets are masked in text people read."""

from __future__ import annotations

import pytest
from agentic_common.redact import redact, register_secret
from agentic_common.settings import CommonSettings, SettingsError, load_settings


def test_an_invalid_setting_is_named_in_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENTIC_ENV", "Not Valid!")
    with pytest.raises(SettingsError, match="AGENTIC_ENV"):
        load_settings(CommonSettings)


def test_resource_names_are_prefixed_by_environment() -> None:
    assert CommonSettings(agentic_env="dev").name("workflows") == "agentic-dev-workflows"


def test_registered_secret_values_and_token_shapes_are_masked() -> None:
    register_secret("super-secret-value-123")
    text = redact(
        "failed with super-secret-value-123 and glpat-abcdefghijklmnopqrstu and Bearer eyJabc.def.ghi"
    )
    assert "super-secret-value-123" not in text
    assert "glpat-abcdefghijklmnopqrstu" not in text
    assert "eyJabc" not in text
