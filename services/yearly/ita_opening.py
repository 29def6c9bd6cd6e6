"""Opening the ITA year's work, item by item and period by period, as the catalogue says.

For each item of the organisation's adopted catalogue whose period has come (services.ita.periods),
opening makes in the organisation's transaction: the ItaWork row (unique per item and period, so a
second run, or the rest of an interrupted one, opens nothing twice) and what the responsible
position's holder starts from, due when the item says:

- an announcement, order, circular or plan: a saved draft of the memo, last year's approved text
  of the same item with the year moved on (the differences noted), or a first draft naming what
  the item needs (the attachments a plan expects, a circular's staff);
- a report: a saved draft of a report memo (เสนอเพื่อโปรดทราบ) with the period's facts from the
  records: what the organisation published in it;
- a disclosure item: the work alone, which asks the holder to give or confirm its live address
  (last year's is offered).

Everything then goes through the one chain, the stages and the sign-off path that exist: the
draft is sent like any other.
"""

import datetime as dt
import json
from dataclasses import dataclass

from sqlmodel import Session, col, select

from documents.thai_format import thai_date_full, to_thai_digits
from models import Holding, ItaCatalogue, ItaItem, ItaWork, Memo, Organisation, Position, Publication, Unit, audit
from models.clock import office_date, utcnow
from models.document_kinds import DocumentKind
from models.draft import GENERAL, AnnouncementDraft, GeneralAnnouncement, MemoDraft
from models.fiscal import fiscal_year_of
from models.web import SavedDraft
from services.errors import BadInput
from services.ita.periods import Period, due_moment, on_demand_period, scheduled_periods
from services.printing.announcement_kinds import choices_for
from services.yearly.cycle import ITA_BASIS, changes_between, draft_of, final_approver_title, move_years, save_draft

# The kind of memo each shape of item is answered with (a plan is announced, its file attached).
KIND_OF_SHAPE = {
    "announcement": DocumentKind.ANNOUNCEMENT,
    "plan": DocumentKind.ANNOUNCEMENT,
    "order": DocumentKind.ORDER,
    "circular": DocumentKind.CIRCULAR,
    "report": DocumentKind.REPORT,
}
STAFF = "พนักงานและลูกจ้างทุกคน"  # a circular's addressee until the drafter says otherwise
LISTED_PUBLICATIONS = 20  # a report's facts name at most this many publications of the period


@dataclass(frozen=True)
class OpenedWork:
    organisation: str
    item: str
    period: str
    created: bool


def open_due_work(session: Session, org: Organisation, now: dt.datetime) -> tuple[list[OpenedWork], list[str]]:
    """Every period of the organisation's catalogues whose day has come and is not opened yet
    (last year's catalogue too: its second half and September open on the 1 October after it).
    The problems (a vacant position) name the item; the other items are opened all the same."""
    today = office_date(now)
    opened, problems, audited = [], [], []
    for catalogue in _catalogues(session, org, {fiscal_year_of(today), fiscal_year_of(today) - 1}):
        items = session.exec(
            select(ItaItem).where(ItaItem.catalogue_id == catalogue.id).order_by(col(ItaItem.ordinal))
        ).all()
        done = _opened_periods(session, [i.id for i in items if i.id is not None])
        for item in items:
            for period in scheduled_periods(item, catalogue):
                if period.opens_on > today or (item.id, period.key) in done:
                    continue
                try:
                    open_work(session, org, item, period, now)
                except BadInput as problem:
                    problems.append(str(problem))
                    continue
                opened.append(OpenedWork(org.code, item.code, period.key, created=True))
                audited.append((item, period))
    _audit_opened(session, org, audited, "system")
    return opened, problems


def open_on_demand(session: Session, org: Organisation, fiscal_year: int, code: str, *, by: str) -> ItaWork:
    """The next round of an item, opened by hand (`saraban ita open --item`): an on-demand item's
    next round, or a scheduled item's next period not yet opened even if its day has not come."""
    item = session.exec(
        select(ItaItem).where(
            ItaItem.organisation_id == org.id, ItaItem.fiscal_year == fiscal_year, ItaItem.code == code
        )
    ).first()
    if item is None:
        raise BadInput(f"ไม่พบรายการ {code} ของปี {fiscal_year} (no item {code} adopted for {fiscal_year}: run ita load)")
    catalogue = session.get(ItaCatalogue, item.catalogue_id)
    done = {key for _, key in _opened_periods(session, [item.id])}
    if item.cadence == "on-demand":
        period = on_demand_period(item, len(done))
    else:
        waiting = [p for p in scheduled_periods(item, catalogue) if p.key not in done]
        if not waiting:
            raise BadInput(f"รายการ {code} เปิดครบทุกรอบของปีแล้ว (every period of {code} is open already)")
        period = waiting[0]
    work = open_work(session, org, item, period, utcnow(), by=by)
    _audit_opened(session, org, [(item, period)], by)
    return work


def open_work(
    session: Session, org: Organisation, item: ItaItem, period: Period, now: dt.datetime, *, by: str = "system"
) -> ItaWork:
    position = session.get(Position, item.position_id)
    holder = session.exec(select(Holding.person_id).where(Holding.position_id == item.position_id)).first()
    if holder is None:
        raise BadInput(
            f"{org.code} {item.code}: ตำแหน่ง {position.title} ว่าง ไม่มีผู้รับงาน "
            f"(the position answering for {item.code} is vacant: appoint someone or choose another on /admin/ita)"
        )
    due = due_moment(item, org, now)
    origin = f"ita {item.fiscal_year} {item.code} {period.key}"
    draft_id = None
    if item.shape != "disclosure":
        draft, note = _draft(session, org, item, period)
        draft_id = save_draft(session, holder, position.id, draft, due or now, origin, note).id
    work = ItaWork(
        item_id=item.id,
        organisation_id=org.id,
        fiscal_year=item.fiscal_year,
        period=period.key,
        period_title=period.title,
        opened_at=now,
        opened_by=by,
        due_at=due,
        position_id=position.id,
        draft_id=draft_id,
    )
    session.add(work)
    item.opened_at = item.opened_at or now
    session.add(item)
    session.flush()
    return work


def _audit_opened(session: Session, org: Organisation, opened: list[tuple[ItaItem, Period]], by: str) -> None:
    """One audit entry per organisation's opening (not per item): the chain's head is one row that
    every entry updates, and 8,000 offices opening 20 items each would queue on it."""
    if opened:
        audit.append(
            session,
            actor=by,
            action="ita.work-opened",
            subject=f"organisation:{org.code}",
            data={"opened": [{"fiscal_year": i.fiscal_year, "item": i.code, "period": p.key} for i, p in opened]},
        )


def last_years_address(session: Session, item: ItaItem) -> str:
    """The address a disclosure item had last year, offered to be confirmed."""
    return (
        session.exec(
            select(ItaWork.url)
            .join(ItaItem, ItaItem.id == ItaWork.item_id)
            .where(ItaItem.organisation_id == item.organisation_id, ItaItem.code == item.code, ItaWork.url != "")
            .where(ItaItem.fiscal_year < item.fiscal_year)
            .order_by(col(ItaWork.opened_at).desc())
        ).first()
        or ""
    )


def _catalogues(session: Session, org: Organisation, years: set[int]) -> list[ItaCatalogue]:
    return list(
        session.exec(
            select(ItaCatalogue).where(ItaCatalogue.organisation_id == org.id, col(ItaCatalogue.fiscal_year).in_(years))
        )
    )


def _opened_periods(session: Session, item_ids: list) -> set[tuple[int, str]]:
    rows = session.exec(select(ItaWork.item_id, ItaWork.period).where(col(ItaWork.item_id).in_(item_ids))).all()
    return {(item_id, period) for item_id, period in rows}


def _draft(session: Session, org: Organisation, item: ItaItem, period: Period) -> tuple[MemoDraft, str]:
    if item.shape == "report":
        return _report_draft(session, org, item, period), ""
    previous = _last_years_memo(session, item)
    if previous is None:
        return _first_draft(session, org, item), _needs_note(item)
    old = draft_of(session, previous)
    new = MemoDraft.model_validate_json(move_years(old.canonical(), item.fiscal_year - 1, item.fiscal_year))
    return new, "\n".join(filter(None, [_needs_note(item), changes_between(old, new)]))


def _last_years_memo(session: Session, item: ItaItem) -> Memo | None:
    """Last year's memo of the same item (by code) that was published: its approved text."""
    return session.exec(
        select(Memo)
        .join(SavedDraft, SavedDraft.sent_memo_id == Memo.id)
        .join(ItaWork, ItaWork.draft_id == SavedDraft.id)
        .join(ItaItem, ItaItem.id == ItaWork.item_id)
        .join(Publication, Publication.memo_id == Memo.id)
        .where(ItaItem.organisation_id == item.organisation_id, ItaItem.code == item.code)
        .where(ItaItem.fiscal_year == item.fiscal_year - 1)
        .order_by(col(Memo.id).desc())
    ).first()


def _base(session: Session, org: Organisation, item: ItaItem, subject: str) -> dict:
    year = to_thai_digits(item.fiscal_year)
    position = session.get(Position, item.position_id)
    unit = session.get(Unit, position.unit_id) if position.unit_id else None
    unit = unit or session.exec(select(Unit).where(Unit.organisation_id == org.id).order_by(col(Unit.id))).first()
    return {
        "unit": unit.code,
        "subject": subject,
        "addressee": final_approver_title(session, org),
        "origin": f"ตามการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year} ข้อ {item.code} {item.title} ({item.indicator})",
        "legal_basis": [ITA_BASIS.format(year=year)],
    }


def _first_draft(session: Session, org: Organisation, item: ItaItem) -> MemoDraft:
    kind = KIND_OF_SHAPE[item.shape]
    year = to_thai_digits(item.fiscal_year)
    title = f"{item.title} ประจำปีงบประมาณ พ.ศ. {year}"
    words = {DocumentKind.ORDER: "คำสั่ง", DocumentKind.CIRCULAR: "หนังสือเวียน"}.get(kind, "ประกาศ")
    general = GeneralAnnouncement(
        subject=title,
        preamble=[f"เพื่อให้การดำเนินงานเรื่อง{item.title}ของ{org.name}เป็นไปอย่างมีประสิทธิภาพ โปร่งใส และตรวจสอบได้"],
        addressee=STAFF if kind is DocumentKind.CIRCULAR else None,
    )
    template = _own_template(org, item) if kind is DocumentKind.ANNOUNCEMENT else None
    document = (
        AnnouncementDraft(template=template) if template else AnnouncementDraft(template=GENERAL, general=general)
    )
    return MemoDraft(
        **_base(session, org, item, f"ขออนุมัติ{words} เรื่อง {title}"),
        facts="(โปรดระบุข้อเท็จจริง)",
        considerations=f"จึงเห็นควรออก{words}ดังกล่าว",
        kind=None if kind is DocumentKind.ANNOUNCEMENT else kind,
        announcement=document,
    )


def _own_template(org: Organisation, item: ItaItem) -> str | None:
    """The first of the item's templates the organisation has (its wording, e.g. the participation
    measures of seed 004); None: the drafter writes the text (a general announcement)."""
    known = {choice.name for choice in choices_for(org)}
    return next((name for name in item.templates.split(",") if name.strip() in known), None)


def _report_draft(session: Session, org: Organisation, item: ItaItem, period: Period) -> MemoDraft:
    title = f"{item.title} {period.title}"
    return MemoDraft(
        **_base(session, org, item, f"รายงาน{title}"),
        facts=_period_facts(session, org, period),
        considerations="จึงเรียนมาเพื่อโปรดทราบ",
        kind=DocumentKind.REPORT,
    )


def _period_facts(session: Session, org: Organisation, period: Period) -> str:
    """What the organisation published from the period's first to its last day, from the records."""
    rows = session.exec(
        select(Publication, Memo)
        .join(Memo, Memo.id == Publication.memo_id)
        .where(Memo.organisation_id == org.id)
        .where(Publication.announcement_date >= period.starts, Publication.announcement_date <= period.ends)
        .order_by(col(Publication.announcement_date))
    ).all()
    span = f"ระหว่างวันที่ {thai_date_full(period.starts)} ถึงวันที่ {thai_date_full(period.ends)}"
    if not rows:
        return f"{span} {org.name}ไม่มีเอกสารที่เผยแพร่ในระบบ (โปรดระบุผลการดำเนินงาน)"
    lines = [f"{span} {org.name}เผยแพร่เอกสาร {to_thai_digits(len(rows))} ฉบับ ได้แก่"]
    for number, (publication, memo) in enumerate(rows[:LISTED_PUBLICATIONS], start=1):
        title = publication.announcement_title or memo.subject
        lines.append(f"{to_thai_digits(number)}. {title} ลงวันที่ {thai_date_full(publication.announcement_date)}")
    lines.append("(โปรดระบุผลการดำเนินงานเพิ่มเติม)")
    return "\n".join(lines)


def _needs_note(item: ItaItem) -> str:
    attachments = json.loads(item.attachments_json or "[]")
    needs = [f"แนบ: {a}" for a in attachments]
    if item.circular_required:
        needs.append("แจ้งเวียนให้บุคลากรรับทราบ (หนังสือเวียน)")
    if item.publication_request_required:
        needs.append("แบบขออนุญาตเผยแพร่ข้อมูลจะจัดทำจากระบบเมื่อเผยแพร่")
    return "\n".join(needs)
