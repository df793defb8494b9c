"""The seed SDK's ``resources.event`` module path (aliases)."""

from .types import CreateEventRequest

__all__ = ["CreateEventRequest"]
