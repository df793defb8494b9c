"""The seed SDK's ``resources.score.types`` module path (aliases)."""

from .create_score_request import CreateScoreRequest

__all__ = ["CreateScoreRequest"]
