"""Alias of :class:`sightline.UpdateSpanRequest` at the seed SDK's module path."""

from ....types import UpdateSpanRequest

__all__ = ["UpdateSpanRequest"]
