"""The seed SDK's ``resources.generations.types`` module path (aliases)."""

from .create_log import CreateLog
from .llm_usage import LlmUsage
from .update_generation_request import UpdateGenerationRequest

__all__ = ["CreateLog", "LlmUsage", "UpdateGenerationRequest"]
