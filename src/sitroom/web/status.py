"""The HTTP status that answers each kind of sitroom error."""

from __future__ import annotations

from ..errors import InputError, InputTooLargeError, SitroomError, StoreError, UnsupportedInputError


def status_for(exc: SitroomError) -> int:
    """413 too large, 415 unsupported type, 400 other bad input or settings, 503 the store failed."""
    if isinstance(exc, InputTooLargeError):
        return 413
    if isinstance(exc, UnsupportedInputError):
        return 415
    if isinstance(exc, InputError):
        return 400
    if isinstance(exc, StoreError):
        return 503
    return 400
