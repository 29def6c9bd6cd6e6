"""The words of a general announcement (one the drafter writes in full), and the other way:
any announcement's words as a general announcement to start a new one from.

A general announcement needs no template: its subject, preamble, items and closing are the
drafter's. Its items are numbered like a template's measures (the .docx builder numbers them), and
an item's explanation paragraphs follow its numbered line.
"""

from documents.text.announcement_text import AnnouncementText
from models.draft import GENERAL_CLOSING, AnnouncementItem, GeneralAnnouncement


def general_announcement_text(organisation_name: str, general: GeneralAnnouncement, kind: str = "") -> AnnouncementText:
    """The words of a general announcement, or of an order or a circular (`kind`), which are
    written the same way."""
    return AnnouncementText(
        kind=kind,
        addressee=general.addressee or "",
        organisation_name=organisation_name,
        subject=general.subject,
        preamble=list(general.preamble),
        measures=[_measure(item) for item in general.items],
        closing="\n".join(_lines(general.closing)),
    )


def _measure(item: AnnouncementItem) -> str:
    return "\n".join([item.text, *_lines(item.explanation)])


def general_from_text(words: AnnouncementText) -> GeneralAnnouncement:
    """A published (or template) announcement as a general one, for the drafter to edit: the
    line that introduced the measures becomes the last paragraph of the preamble."""
    preamble = [*words.preamble, *([words.measures_heading] if words.measures_heading else [])]
    items = []
    for measure in words.measures:
        first, *rest = _lines(measure) or [""]
        items.append(AnnouncementItem.model_construct(text=first, explanation="\n".join(rest)))
    return GeneralAnnouncement.model_construct(
        subject=words.subject, preamble=preamble, items=items, closing=words.closing or GENERAL_CLOSING
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
