"""The seed SDK's ``resources.trace.types`` module path (aliases)."""

from .create_trace_request import CreateTraceRequest

__all__ = ["CreateTraceRequest"]
