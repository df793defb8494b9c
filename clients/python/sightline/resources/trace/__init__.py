"""The seed SDK's ``resources.trace`` module path (aliases)."""

from .types import CreateTraceRequest

__all__ = ["CreateTraceRequest"]
