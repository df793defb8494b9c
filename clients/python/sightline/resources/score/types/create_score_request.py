"""Alias of :class:`sightline.CreateScoreRequest` at the seed SDK's module path."""

from ....types import CreateScoreRequest

__all__ = ["CreateScoreRequest"]
