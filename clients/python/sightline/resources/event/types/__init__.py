"""The seed SDK's ``resources.event.types`` module path (aliases)."""

from .create_event_request import CreateEventRequest

__all__ = ["CreateEventRequest"]
