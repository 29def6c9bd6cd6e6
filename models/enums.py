"""The small vocabularies the domain speaks in."""

from enum import StrEnum

from sqlalchemy import Enum


class Capacity(StrEnum):
    """In which capacity a person signs; each acting capacity prints differently."""

    SELF = "self"
    PERFORMING_DUTIES = "ปฏิบัติหน้าที่"  # the post is vacant; someone performs its duties
    ACTING_IN_PLACE = "รักษาราชการแทน"  # the holder is absent; someone acts in their place
    ON_BEHALF = "ปฏิบัติราชการแทน"  # the holder delegated this power


class DecisionKind(StrEnum):
    APPROVE = "approve"
    RETURN = "return"  # ส่งคืนแก้ไข: back to the drafter for a new revision
    DISAPPROVE = "disapprove"  # ไม่อนุมัติ: the memo ends here, with the reason in the minute


class Stage(StrEnum):
    """Preparation stages, in the order they must happen on each revision."""

    DRAFT = "ร่าง"
    TYPESET = "พิมพ์"
    PROOFREAD = "ทาน"
    CHECK = "ตรวจ"


STAGE_ORDER: tuple[Stage, ...] = (Stage.DRAFT, Stage.TYPESET, Stage.PROOFREAD, Stage.CHECK)


class MemoStatus(StrEnum):
    PREPARING = "preparing"  # preparation stages under way on the current revision
    IN_REVIEW = "in_review"  # waiting for the sign-off step `current_step`
    RETURNED = "returned"  # sent back; waiting for the drafter's new revision
    APPROVED = "approved"  # last step approved; publication pending
    PUBLISHED = "published"
    # A memo can end without being published, each recorded with who and why:
    WITHDRAWN = "withdrawn"  # ถอนเรื่อง: by its drafter, before any step approved it
    DISAPPROVED = "disapproved"  # ไม่อนุมัติ: by a signer at their step
    CANCELLED = "cancelled"  # ยกเลิก: by an administrator, while it was on its way


ENDED = frozenset({MemoStatus.WITHDRAWN, MemoStatus.DISAPPROVED, MemoStatus.CANCELLED})


def stored_as_value(enum_class: type[StrEnum]) -> Enum:
    """A column type that stores the enum's value (readable Thai) as VARCHAR, not a native type."""
    return Enum(enum_class, native_enum=False, length=32, values_callable=lambda members: [m.value for m in members])
