"""Exceptions shared by the CLI and the core, importable without pydantic (start-up time)."""
from __future__ import annotations

from pathlib import Path


class ConfigError(Exception):
    """A config file that cannot be used; ``str()`` gives one line per problem."""

    def __init__(self, file: str | Path, problems: list[tuple[str, str]]):
        self.file = str(file)
        self.problems = problems
        super().__init__("\n".join(f"{self.file}: {key}: {reason}" for key, reason in problems))
