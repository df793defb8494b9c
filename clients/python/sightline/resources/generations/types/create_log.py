"""Alias of :class:`sightline.CreateLog` at the seed SDK's module path."""

from ....types import CreateLog

__all__ = ["CreateLog"]
