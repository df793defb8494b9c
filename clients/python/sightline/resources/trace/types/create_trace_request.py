"""Alias of :class:`sightline.CreateTraceRequest` at the seed SDK's module path."""

from ....types import CreateTraceRequest

__all__ = ["CreateTraceRequest"]
