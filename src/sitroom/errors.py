"""Every error sitroom raises on purpose, in one place.

The hierarchy::

    SitroomError                    anything sitroom raises deliberately (exit code 1 unless said)
    ├── ConfigError                 bad setting, option or environment value          (exit 2)
    ├── InputError                  one input could not be read; the batch goes on    (exit 3)
    │   ├── UnsupportedInputError   binary file, unknown type                         (exit 3)
    │   ├── EmptyInputError         nothing to read: empty file or no text extracted  (exit 3)
    │   ├── InputTooLargeError      over the size cap                                 (exit 3)
    │   ├── DecodeError             not valid UTF-8 (or the declared charset)         (exit 3)
    │   ├── ParseError              malformed feed, subtitle or front matter          (exit 3)
    │   └── FetchError              URL unreachable, timed out, bad status            (exit 4)
    ├── StoreError                  the database could not be opened or written       (exit 5)
    │   └── MigrationError          schema is newer than this sitroom, or a step failed
    └── ExtractionError             an extractor failed on a document                 (exit 6)

Every error carries ``input`` (the path or URL concerned, when there is one) and ``hint``
(what the user can do). ``str(err)`` is the one line shown to a user; the CLI prints the
traceback only with ``--debug``.
"""

from __future__ import annotations


class SitroomError(Exception):
    """Base class of all deliberate sitroom errors."""

    exit_code = 1

    def __init__(self, message: str, *, input: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.input = input
        self.hint = hint

    def __str__(self) -> str:
        parts = []
        if self.input:
            parts.append(f"{self.input}: ")
        parts.append(self.message)
        if self.hint:
            parts.append(f" — {self.hint}")
        return "".join(parts)


class ConfigError(SitroomError):
    exit_code = 2


class InputError(SitroomError):
    exit_code = 3


class UnsupportedInputError(InputError):
    pass


class EmptyInputError(InputError):
    pass


class InputTooLargeError(InputError):
    pass


class DecodeError(InputError):
    pass


class ParseError(InputError):
    pass


class FetchError(InputError):
    exit_code = 4


class StoreError(SitroomError):
    exit_code = 5


class MigrationError(StoreError):
    pass


class ExtractionError(SitroomError):
    exit_code = 6


__all__ = [
    "ConfigError",
    "DecodeError",
    "EmptyInputError",
    "ExtractionError",
    "FetchError",
    "InputError",
    "InputTooLargeError",
    "MigrationError",
    "ParseError",
    "SitroomError",
    "StoreError",
    "UnsupportedInputError",
]
