"""Alias of :class:`sightline.CreateSpanRequest` at the seed SDK's module path."""

from ....types import CreateSpanRequest

__all__ = ["CreateSpanRequest"]
