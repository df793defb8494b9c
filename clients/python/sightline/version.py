"""The client's version, sent as ``x-langfuse-sdk-version``."""

__version__ = "0.1.0"
