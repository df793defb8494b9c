"""The seed SDK's ``resources.span.types`` module path (aliases)."""

from .create_span_request import CreateSpanRequest
from .update_span_request import UpdateSpanRequest

__all__ = ["CreateSpanRequest", "UpdateSpanRequest"]
