"""A report memo's words (รายงาน ... เสนอเพื่อโปรดทราบ): the memo's own text, since the report is
what is published. Hashed like an announcement's words, so each signer binds the report they
read, and publication prints exactly that."""

from documents.text.announcement_text import AnnouncementText
from models.draft import MemoDraft


def report_words(organisation_name: str, draft: MemoDraft) -> AnnouncementText:
    """The four sections as paragraphs (the legal basis as the numbered items), the closing."""
    sections = (draft.origin, draft.facts, draft.considerations)
    return AnnouncementText(
        kind="report",
        addressee=draft.addressee,
        organisation_name=organisation_name,
        subject=draft.subject,
        preamble=[line.strip() for text in sections for line in text.splitlines() if line.strip()],
        measures=list(draft.legal_basis),
        closing=draft.closing,
    )
