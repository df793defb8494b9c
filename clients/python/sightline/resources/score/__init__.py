"""The seed SDK's ``resources.score`` module path (aliases)."""

from .types import CreateScoreRequest

__all__ = ["CreateScoreRequest"]
