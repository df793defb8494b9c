"""Seed SDK module paths for errors (aliases)."""

from .api_error import ApiError

__all__ = ["ApiError"]
