"""Opening a fiscal year's review work for one organisation and one recurring item.

Opening makes, in one transaction: a review memo of last year (as a saved draft), the new
year's announcement memo based on last year's approved text with the year moved on (another
saved draft, with the differences noted), both for whoever holds the drafting position, due
in the organisation's working days; and the CycleItem row. That row is what makes a second
run, or the rest of an interrupted one, open nothing twice.
"""

import datetime as dt
import difflib
import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from documents.thai_format import to_thai_digits
from models import Chain, ChainStep, CycleItem, Holding, Memo, Organisation, Position, Revision, SavedDraft, Unit, audit
from models.deadlines import calendar_of
from models.draft import AnnouncementDraft, MemoDraft
from models.enums import MemoStatus
from models.workdays import add_working_days
from services.errors import BadInput
from services.memo_life.standing import standing
from services.printing.document_context import revision_draft
from services.yearly.cycle_review import review_facts

ITA_BASIS = "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (ITA) ประจำปีงบประมาณ พ.ศ. {year}"


@dataclass(frozen=True)
class Opened:
    organisation: str
    item: str
    created: bool  # False when this year's item had been opened before


def items_of(org: Organisation) -> list[str]:
    return [item.strip() for item in org.cycle_items.split(",") if item.strip()]


def open_year(session: Session, org: Organisation, fiscal_year: int, item: str, now: dt.datetime) -> Opened:
    if _already_opened(session, org, fiscal_year, item):
        return Opened(org.code, item, created=False)
    last_years = _years_memos(session, org, fiscal_year - 1, item)
    previous = _last_years_memo(session, last_years)
    position, holder_id = _drafting_position(session, org, previous)
    due = add_working_days(now, org.cycle_working_days, calendar_of(org))
    origin = f"cycle {fiscal_year} {item}"
    review = _review_draft(session, org, fiscal_year, item, previous, last_years)
    announcement, changes = _next_years_draft(session, org, fiscal_year, item, previous)
    review_row = save_draft(session, holder_id, position.id, review, due, origin, note="")
    draft_row = save_draft(session, holder_id, position.id, announcement, due, origin, note=changes)
    session.add(
        CycleItem(
            organisation_id=org.id,
            fiscal_year=fiscal_year,
            item=item,
            previous_memo_id=previous.id if previous else None,
            review_draft_id=review_row.id,
            announcement_draft_id=draft_row.id,
            opened_at=now,
        )
    )
    audit.append(
        session,
        actor="system",
        action="cycle.opened",
        subject=f"organisation:{org.code}",
        data={
            "fiscal_year": fiscal_year,
            "item": item,
            "position": position.code,
            "previous_memo_id": previous.id if previous else None,
            "due_at": due,
        },
    )
    return Opened(org.code, item, created=True)


def _already_opened(session: Session, org: Organisation, fiscal_year: int, item: str) -> bool:
    return (
        session.exec(
            select(CycleItem.id).where(
                CycleItem.organisation_id == org.id, CycleItem.fiscal_year == fiscal_year, CycleItem.item == item
            )
        ).first()
        is not None
    )


def _drafting_position(session: Session, org: Organisation, previous: Memo | None) -> tuple[Position, int]:
    """The configured drafting position, else the one last year's drafter held."""
    code = org.drafting_position_code or _drafters_position_code(session, previous)
    position = session.exec(select(Position).where(Position.organisation_id == org.id, Position.code == code)).first()
    if position is None:
        raise BadInput(
            f"{org.code}: ยังไม่ได้กำหนดตำแหน่งผู้ร่างสำหรับรอบทบทวนประจำปี "
            f"(set drafting_position_code: '{code}' is not a position of this organisation)"
        )
    holding = session.exec(select(Holding).where(Holding.position_id == position.id)).first()
    if holding is None:
        raise BadInput(
            f"{org.code}: ตำแหน่ง {position.title} ว่าง ไม่มีผู้รับร่าง "
            f"(the drafting position {code} is vacant: appoint someone, then run the cycle again)"
        )
    return position, holding.person_id


def _drafters_position_code(session: Session, previous: Memo | None) -> str:
    if previous is None:
        return ""
    held = session.exec(
        select(Position.code)
        .join(Holding, Holding.position_id == Position.id)
        .where(Holding.person_id == previous.drafter_id)
    ).first()
    return held or ""


def _years_memos(session: Session, org: Organisation, fiscal_year: int, item: str) -> list[Memo]:
    """Every memo of the year for `item`, newest first, however it ended (the review counts them all)."""
    memos = session.exec(
        select(Memo).where(Memo.organisation_id == org.id, Memo.fiscal_year == fiscal_year).order_by(Memo.id.desc())
    ).all()
    return [m for m in memos if _template_of(session, m) == item]


def _last_years_memo(session: Session, memos: list[Memo]) -> Memo | None:
    """The newest published one whose announcement is still in force; else the newest published
    (cancelled or superseded since: its text is still the last one approved). Never an ended memo."""
    published = [m for m in memos if m.status == MemoStatus.PUBLISHED]
    in_force = [m for m in published if standing(session, m) == MemoStatus.PUBLISHED.value]
    chosen = in_force or published
    return chosen[0] if chosen else None


def _template_of(session: Session, memo: Memo) -> str:
    # The newest revision: a memo returned and then withdrawn has no revision of its current round.
    revision = session.exec(
        select(Revision).where(Revision.memo_id == memo.id).order_by(col(Revision.number).desc())
    ).first()
    issued = revision_draft(revision).announcement if revision else None
    return issued.template if issued is not None else ""


def draft_of(session: Session, memo: Memo) -> MemoDraft:
    revision = session.exec(select(Revision).where(Revision.memo_id == memo.id, Revision.number == memo.round)).one()
    return revision_draft(revision)


def _next_years_draft(
    session: Session, org: Organisation, fiscal_year: int, item: str, previous: Memo | None
) -> tuple[MemoDraft, str]:
    if previous is None:
        return _first_draft(session, org, fiscal_year, item), "ไม่มีประกาศปีก่อนให้เทียบ (no published text last year)"
    old = draft_of(session, previous)
    new = MemoDraft.model_validate(json.loads(move_years(old.canonical(), fiscal_year - 1, fiscal_year)))
    return new, changes_between(old, new)


def _first_draft(session: Session, org: Organisation, fiscal_year: int, item: str) -> MemoDraft:
    unit = session.exec(select(Unit).where(Unit.organisation_id == org.id)).first()
    year = to_thai_digits(fiscal_year)
    return MemoDraft(
        unit=unit.code,
        subject=f"ประกาศ{org.name} ประจำปีงบประมาณ พ.ศ. {year}",
        addressee=final_approver_title(session, org),
        origin=f"ตามการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year} หน่วยงานต้องออกประกาศ{org.name}",
        facts="(โปรดระบุข้อเท็จจริง)",
        legal_basis=[ITA_BASIS.format(year=year)],
        considerations="จึงเห็นควรออกประกาศดังกล่าว",
        announcement=AnnouncementDraft(template=item),
    )


def _review_draft(
    session: Session, org: Organisation, fiscal_year: int, item: str, previous: Memo | None, year_memos: list[Memo]
) -> MemoDraft:
    last, year = to_thai_digits(fiscal_year - 1), to_thai_digits(fiscal_year)
    base = draft_of(session, previous) if previous else _first_draft(session, org, fiscal_year, item)
    subject = previous.subject if previous else item
    return base.model_copy(
        update={
            "subject": f"รายงานผลการทบทวนการดำเนินงานตาม{subject} ปีงบประมาณ พ.ศ. {last}",
            "origin": (
                f"ตามที่{org.name}ได้ดำเนินการตาม{subject} ในปีงบประมาณ พ.ศ. {last} และการประเมิน ITA "
                f"ประจำปีงบประมาณ พ.ศ. {year} กำหนดให้หน่วยงานวิเคราะห์ผลการดำเนินงานในรอบปีที่ผ่านมา นั้น"
            ),
            "facts": review_facts(session, org, previous, year_memos),
            "legal_basis": [ITA_BASIS.format(year=year)],
            "considerations": (
                f"จึงเห็นควรนำผลการทบทวนข้างต้นไปปรับปรุงการดำเนินงาน และออกประกาศสำหรับปีงบประมาณ พ.ศ. {year} ต่อไป"
            ),
        }
    )


def final_approver_title(session: Session, org: Organisation) -> str:
    step = session.exec(
        select(ChainStep)
        .join(Chain, Chain.id == ChainStep.chain_id)
        .where(Chain.organisation_id == org.id)
        .order_by(col(ChainStep.step_index).desc())
    ).first()
    return session.get(Position, step.position_id).title if step else org.name


def move_years(text: str, old: int, new: int) -> str:
    """Last year's text for the new year: the fiscal year in Thai and Arabic digits moved on."""
    return text.replace(to_thai_digits(old), to_thai_digits(new)).replace(str(old), str(new))


def changes_between(old: MemoDraft, new: MemoDraft) -> str:
    before, after = _lines(old), _lines(new)
    return "\n".join(list(difflib.unified_diff(before, after, "ปีก่อน", "ฉบับใหม่", lineterm="", n=0))[2:])


def _lines(draft: MemoDraft) -> list[str]:
    return [f"{name}: {value}" for name, value in draft.form_values().items()]


def save_draft(
    session: Session, person_id: int, position_id: int, draft: MemoDraft, due: dt.datetime, origin: str, note: str
) -> SavedDraft:
    row = draft_row(person_id, position_id, draft, due, origin, note)
    session.add(row)
    session.flush()
    return row


def draft_row(
    person_id: int, position_id: int, draft: MemoDraft, due: dt.datetime, origin: str, note: str
) -> SavedDraft:
    """The saved draft for its holder, not yet written (the ITA opening writes a batch at once)."""
    return SavedDraft(
        person_id=person_id,
        position_id=position_id,
        due_at=due,
        origin=origin,
        note=note,
        content_json=json.dumps(draft.form_values(), ensure_ascii=False),
    )
