"""The kinds of document a memo asks for, a closed list.

Every memo asks for one document, issued once the last step signs: an announcement (ประกาศ,
the default: every memo stored before kinds existed is one), an order (คำสั่ง), a circular to
staff (หนังสือเวียน, numbered with ว), or none at all for a report memo (รายงาน ... เสนอเพื่อโปรด
ทราบ), whose last step acknowledges (ทราบ) rather than approves and whose published document
is the report itself. Orders and circulars each keep their own register, numbered per calendar
year (models.document_register); an announcement is not numbered.
"""

from enum import StrEnum


class DocumentKind(StrEnum):
    ANNOUNCEMENT = "announcement"
    ORDER = "order"
    CIRCULAR = "circular"
    REPORT = "report"


# How a person names each kind (the form's list, a file or the API may give these).
TITLES = {
    DocumentKind.ANNOUNCEMENT: "ประกาศ",
    DocumentKind.ORDER: "คำสั่ง",
    DocumentKind.CIRCULAR: "หนังสือเวียน",
    DocumentKind.REPORT: "รายงาน (เสนอเพื่อโปรดทราบ)",
}
# Kinds whose document carries its own number, given at publication from the kind's register.
NUMBERED = (DocumentKind.ORDER, DocumentKind.CIRCULAR)
# Kinds whose text the drafter writes in full (the general announcement's fields): no template.
WRITTEN_IN_FULL = (DocumentKind.ORDER, DocumentKind.CIRCULAR)


def kind_named(value: object) -> object:
    """A kind from its code or its Thai title (left as given when neither: validation says so)."""
    if not isinstance(value, str):
        return value
    spaced = " ".join(value.split())
    for kind, title in TITLES.items():
        if spaced in (kind.value, title):
            return kind
    return value


def acknowledges(kind: str) -> bool:
    """True when the memo's last step acknowledges (ทราบ) instead of approving: a report memo."""
    return kind == DocumentKind.REPORT
