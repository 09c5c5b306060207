"""Errors that carry a plain-language message for the person using the kit.

Anything raised as :class:`KitError` is shown as-is (no traceback) by the
command line, the app and papermill runs; everything else is a bug.
"""


class KitError(Exception):
    """A problem the user can fix: the message says what is wrong and what to do.

    What to do can differ by front end: a command-line user types an option, an app user
    picks a field on the page. ``cli`` and ``app`` hold those two hints; the command line
    shows ``str(error)`` (the message with ``cli``), the app :meth:`in_app` (with ``app``),
    so no page ever asks a city analyst to type an option.
    """

    def __init__(self, message: str, *, cli: str = "", app: str = "") -> None:
        super().__init__(f"{message} {cli}" if cli else message)
        self.message = message
        self.app_hint = app

    def in_app(self) -> str:
        """The message as the app shows it: the app's hint in place of the command line's."""
        return f"{self.message} {self.app_hint}" if self.app_hint else self.message


class ConflictError(KitError):
    """Someone else saved the same decision first; the refused document was kept as a draft."""

    def __init__(self, message: str, *, draft_id: int | None = None) -> None:
        super().__init__(message)
        self.draft_id = draft_id
