"""Errors that carry a plain-language message for the person using the kit.

Anything raised as :class:`KitError` is shown as-is (no traceback) by the
command line, the app and papermill runs; everything else is a bug.
"""


class KitError(Exception):
    """A problem the user can fix: the message says what is wrong and what to do."""


class ConflictError(KitError):
    """Someone else saved the same decision first; the refused document was kept as a draft."""

    def __init__(self, message: str, *, draft_id: int | None = None) -> None:
        super().__init__(message)
        self.draft_id = draft_id
