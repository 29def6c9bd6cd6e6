"""Errors a caller can show as they are: what went wrong and what to fix."""


class BadInput(Exception):
    """The request cannot be understood or refers to something that does not exist.

    `field` names the argument to fix when one is to blame (a form puts the cursor there when it
    comes back refused); empty when the whole request is."""

    def __init__(self, message: str = "", *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
