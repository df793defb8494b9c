"""Alias of :class:`sightline.UpdateGenerationRequest` at the seed SDK's module path."""

from ....types import UpdateGenerationRequest

__all__ = ["UpdateGenerationRequest"]
