"""Which announcements an organisation's drafters may ask for, by Thai title, checked at the door.

Every path that sends a draft (web form, API, CLI file, the annual cycle) asks here, so a memo
never takes a register number for an announcement no template can print.
"""

from documents.text.announcement_catalogue import AnnouncementChoice, announcement_choices, choice_named, choice_title
from models import Organisation
from models.draft import MemoDraft
from services.errors import BadInput
from services.printing.template_overrides import template_override_dir


def choices_for(org: Organisation) -> list[AnnouncementChoice]:
    return announcement_choices(org.kind, template_override_dir(org))


def kind_title(org: Organisation, name: str) -> str:
    return choice_title(choices_for(org), name)


def with_known_kind(org: Organisation, draft: MemoDraft) -> MemoDraft:
    """The draft with its announcement kind as stored (a Thai title given in a file or the API
    becomes the template's name); refused, saying which kinds there are, when there is no such kind."""
    if draft.announcement is None:
        return draft  # a report memo asks for no document (models.draft checks it)
    choices = choices_for(org)
    chosen = choice_named(choices, draft.announcement.template)
    if chosen is None:
        titles = ", ".join(f'"{c.title}"' for c in choices)
        raise BadInput(
            f'ไม่มีแบบประกาศ "{draft.announcement.template}" ของ{org.name} เลือกได้: {titles} '
            f"(no such announcement kind: give one of the titles listed)"
        )
    if chosen.name == draft.announcement.template:
        return draft
    announcement = draft.announcement.model_copy(update={"template": chosen.name})
    return draft.model_copy(update={"announcement": announcement})
