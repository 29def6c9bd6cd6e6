"""A refused form comes back as the person left it: every field, box and choice they sent, the
reason beside the form and the cursor in the field to fix. Secrets (passwords, PINs) are never
written back into a page: those fields come back empty, to be typed again.

A page's template reads `forms.<name>` for each of its forms; a form not refused reads as first
shown (each field's own default), so every render sets every key (Jinja's StrictUndefined).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from markupsafe import Markup

# Never sent back to the browser, whatever the form: what was typed stays with the person.
SECRET_FIELDS = frozenset({"password", "pin", "current", "new", "again", "csrf_token"})


@dataclass(frozen=True)
class Draft:
    """One form: as first shown (refused=False), or as it was sent and refused."""

    values: Mapping[str, str | list[str]] = field(default_factory=dict)
    error: str = ""
    focus: str = ""
    refused: bool = False

    def value(self, name: str, default: object = "") -> object:
        """What to show in a text field: as sent when refused, else the page's default."""
        if not self.refused:
            return default
        sent = self.values.get(name, "")
        return sent[-1] if isinstance(sent, list) and sent else sent

    def checked(self, name: str, default: bool = False) -> Markup:
        """` checked` for a box that was ticked (a box not ticked is not sent at all)."""
        on = bool(self.values.get(name)) if self.refused else default
        return Markup(" checked") if on else Markup("")

    def among(self, name: str, option: str, default: bool = False) -> Markup:
        """` checked` for one box of a group sharing `name` (ticked ones are sent as a list)."""
        sent = self.values.get(name, [])
        on = option in (sent if isinstance(sent, list) else [sent]) if self.refused else default
        return Markup(" checked") if on else Markup("")

    def selected(self, name: str, option: str, default: bool = False) -> Markup:
        """` selected` for the option chosen when sent (else the page's own choice)."""
        on = self.value(name) == option if self.refused else default
        return Markup(" selected") if on else Markup("")

    def autofocus(self, name: str) -> Markup:
        """On the field to fix, so the cursor (and a phone's screen) lands there."""
        if self.refused and self.focus == name:
            return Markup(' autofocus aria-invalid="true"')
        return Markup("")


BLANK = Draft()


class Forms(dict):
    """A page's forms by name; any form not given reads as first shown."""

    def __missing__(self, name: str) -> Draft:
        return BLANK


def refused(
    sent: Mapping[str, str | bool | list[str]],
    error: Exception | str,
    *,
    fields: Iterable[str],
    focus: str = "",
    renamed: Mapping[str, str] | None = None,
) -> Draft:
    """The draft of a refused form from what was sent (a ticked box as True, a group of boxes
    as the list ticked). `fields` are the form's own field names in the page's order (the first
    is focused when the refusal names no field of this form); a refusal's `field`
    (services.errors.BadInput) is read through `renamed` where the service calls it otherwise."""
    values: dict[str, str | list[str]] = {}
    for name, value in sent.items():
        if name in SECRET_FIELDS:
            continue  # secrets never go back into the page
        values[name] = list(value) if isinstance(value, list) else ("true" if value is True else str(value or ""))
    names = list(fields)
    blamed = getattr(error, "field", "")
    wanted = focus or (renamed or {}).get(blamed, blamed)
    text = getattr(error, "message", None) or str(error)
    return Draft(values, text, wanted if wanted in names else names[0], refused=True)
