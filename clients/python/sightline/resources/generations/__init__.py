"""The seed SDK's ``resources.generations`` module path (aliases)."""

from .types import CreateLog, LlmUsage, UpdateGenerationRequest

__all__ = ["CreateLog", "LlmUsage", "UpdateGenerationRequest"]
