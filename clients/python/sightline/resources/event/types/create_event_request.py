"""Alias of :class:`sightline.CreateEventRequest` at the seed SDK's module path."""

from ....types import CreateEventRequest

__all__ = ["CreateEventRequest"]
