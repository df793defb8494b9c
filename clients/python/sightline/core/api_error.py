"""``ApiError`` at the seed SDK's path: the same class as :class:`sightline.SightlineApiError`."""

from ..errors import SightlineApiError as ApiError

__all__ = ["ApiError"]
