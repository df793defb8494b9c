"""Alias of :class:`sightline.LlmUsage` at the seed SDK's module path."""

from ....types import LlmUsage

__all__ = ["LlmUsage"]
