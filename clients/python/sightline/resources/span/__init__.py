"""The seed SDK's ``resources.span`` module path (aliases)."""

from .types import CreateSpanRequest, UpdateSpanRequest

__all__ = ["CreateSpanRequest", "UpdateSpanRequest"]
