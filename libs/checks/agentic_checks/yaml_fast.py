"""Safe YAML loading with libyaml when PyYAML was built with it (several times faster), else pure Python."""

from __future__ import annotations

from typing import Any

import yaml

SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_all(text: bytes | str) -> list[Any]:
    """Every document in ``text`` (raises ``yaml.YAMLError`` on a syntax error)."""
    return list(yaml.load_all(text, Loader=SafeLoader))
