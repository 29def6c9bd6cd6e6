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
from dataclasses import dataclass, field

from sqlmodel import Session, col, select, update

from documents.thai_format import thai_date_full, to_thai_digits
from models import (
    Chain,
    ChainStep,
    Holding,
    ItaCatalogue,
    ItaItem,
    ItaWork,
    ItaWorkMemo,
    Memo,
    Organisation,
    Position,
    Publication,
    Unit,
    audit,
)
from models.clock import office_date, utcnow
from models.document_kinds import DocumentKind
from models.draft import GENERAL, AnnouncementDraft, GeneralAnnouncement, MemoDraft
from models.fiscal import fiscal_year_of
from models.web import SavedDraft
from services.errors import BadInput
from services.ita.item_templates import known_templates
from services.ita.periods import Period, due_moment, on_demand_period, scheduled_periods
from services.yearly.cycle import ITA_BASIS, changes_between, draft_of, draft_row, move_years

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
    The problems (a vacant position) name the item; the other items are opened all the same.

    8,000 offices × 20 items open in one morning (bench/ita_year.py): what every item needs of the
    organisation (its positions, holders, units, approver, templates) is read once, and the drafts
    and the work are written in one batch each, not item by item."""
    today = office_date(now)
    office = _Office(session, org)
    opened, problems, audited, made = [], [], [], []
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
                    made.append(office.prepare(item, period, now, "system"))
                except BadInput as problem:
                    problems.append(str(problem))
                    continue
                opened.append(OpenedWork(org.code, item.code, period.key, created=True))
                audited.append((item, period))
    _write(session, made, now)
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
    made = _Office(session, org).prepare(item, period, now, by)
    _write(session, [made], now)
    return made[1]


@dataclass
class _Office:
    """What opening an item needs of its organisation, each read once for all its items: the
    positions, their holders, the units, the final approver's title, the templates it has, last
    year's published memos of its items, a period's publications."""

    session: Session
    org: Organisation
    _positions: dict[int, Position] = field(default_factory=dict)
    _holders: dict[int, int] = field(default_factory=dict)  # position id -> person id
    _units: list[Unit] = field(default_factory=list)
    _approver: str | None = None
    _templates: set[str] | None = None
    _previous: dict[int, dict[str, Memo]] = field(default_factory=dict)  # fiscal year -> code -> memo
    _facts: dict[tuple[dt.date, dt.date], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        positions = self.session.exec(select(Position).where(Position.organisation_id == self.org.id)).all()
        self._positions = {p.id: p for p in positions if p.id is not None}
        self._holders = dict(
            self.session.exec(
                select(Holding.position_id, Holding.person_id)
                .join(Position, Position.id == Holding.position_id)
                .where(Position.organisation_id == self.org.id)
            ).all()
        )
        self._units = list(
            self.session.exec(select(Unit).where(Unit.organisation_id == self.org.id).order_by(col(Unit.id)))
        )

    def position(self, position_id: int) -> Position:
        position = self._positions.get(position_id) or self.session.get(Position, position_id)
        assert position is not None  # an item's position is a foreign key
        return position

    def prepare(self, item: ItaItem, period: Period, now: dt.datetime, by: str) -> tuple[SavedDraft | None, ItaWork]:
        """The item's work for the period and the holder's draft, not yet written; BadInput when
        the responsible position is vacant."""
        position = self.position(item.position_id)
        holder = self._holders.get(item.position_id)
        if holder is None:
            raise BadInput(
                f"{self.org.code} {item.code}: ตำแหน่ง {position.title} ว่าง ไม่มีผู้รับงาน "
                f"(the position answering for {item.code} is vacant: appoint someone or choose another on /admin/ita)"
            )
        due = due_moment(item, self.org, now)
        origin = f"ita {item.fiscal_year} {item.code} {period.key}"
        saved = None
        if item.shape != "disclosure":
            draft, note = self.draft(item, period)
            saved = draft_row(holder, position.id, draft, due or now, origin, note)
            saved.updated_at = now  # the work's own moment: a save after it means someone is writing
        work = ItaWork(
            item_id=item.id,
            organisation_id=self.org.id,
            fiscal_year=item.fiscal_year,
            period=period.key,
            period_title=period.title,
            opened_at=now,
            opened_by=by,
            due_at=due,
            position_id=position.id,
        )
        return saved, work

    def draft(self, item: ItaItem, period: Period) -> tuple[MemoDraft, str]:
        if item.shape == "report":
            return self.report_draft(item, period), ""
        previous = self.last_years_memo(item)
        if previous is None:
            return self.first_draft(item), _needs_note(item)
        old = draft_of(self.session, previous)
        new = MemoDraft.model_validate_json(move_years(old.canonical(), item.fiscal_year - 1, item.fiscal_year))
        return new, "\n".join(filter(None, [_needs_note(item), changes_between(old, new)]))

    def last_years_memo(self, item: ItaItem) -> Memo | None:
        """Last year's memo of the same item (by code) that was published: its approved text
        (the newest, if several); read for all the year's items at once."""
        year = item.fiscal_year - 1
        if year not in self._previous:
            rows = self.session.exec(
                select(ItaItem.code, Memo)
                .join(ItaWorkMemo, ItaWorkMemo.memo_id == Memo.id)
                .join(ItaWork, ItaWork.id == ItaWorkMemo.work_id)
                .join(ItaItem, ItaItem.id == ItaWork.item_id)
                .join(Publication, Publication.memo_id == Memo.id)
                .where(ItaItem.organisation_id == self.org.id, ItaItem.fiscal_year == year)
                .order_by(col(Memo.id).desc())
            ).all()
            newest: dict[str, Memo] = {}
            for code, memo in rows:
                newest.setdefault(code, memo)
            self._previous[year] = newest
        return self._previous[year].get(item.code)

    def base(self, item: ItaItem, subject: str) -> dict:
        year = to_thai_digits(item.fiscal_year)
        position = self.position(item.position_id)
        unit = next((u for u in self._units if u.id == position.unit_id), None) if position.unit_id else None
        unit = unit or (self._units[0] if self._units else None)
        return {
            "unit": unit.code,
            "subject": subject,
            "addressee": self.approver_title(),
            "origin": f"ตามการประเมิน ITA ประจำปีงบประมาณ พ.ศ. {year} ข้อ {item.code} {item.title} ({item.indicator})",
            "legal_basis": [ITA_BASIS.format(year=year)],
        }

    def approver_title(self) -> str:
        """The title of the organisation's last chain step (services.yearly.cycle.final_approver_title)."""
        if self._approver is None:
            step = self.session.exec(
                select(ChainStep)
                .join(Chain, Chain.id == ChainStep.chain_id)
                .where(Chain.organisation_id == self.org.id)
                .order_by(col(ChainStep.step_index).desc())
            ).first()
            self._approver = self.position(step.position_id).title if step else self.org.name
        return self._approver

    def first_draft(self, item: ItaItem) -> MemoDraft:
        kind = KIND_OF_SHAPE[item.shape]
        year = to_thai_digits(item.fiscal_year)
        title = f"{item.title} ประจำปีงบประมาณ พ.ศ. {year}"
        words = {DocumentKind.ORDER: "คำสั่ง", DocumentKind.CIRCULAR: "หนังสือเวียน"}.get(kind, "ประกาศ")
        general = GeneralAnnouncement(
            subject=title,
            preamble=[f"เพื่อให้การดำเนินงานเรื่อง{item.title}ของ{self.org.name}เป็นไปอย่างมีประสิทธิภาพ โปร่งใส และตรวจสอบได้"],
            addressee=STAFF if kind is DocumentKind.CIRCULAR else None,
        )
        template = self.own_template(item) if kind is DocumentKind.ANNOUNCEMENT else None
        document = (
            AnnouncementDraft(template=template) if template else AnnouncementDraft(template=GENERAL, general=general)
        )
        return MemoDraft(
            **self.base(item, f"ขออนุมัติ{words} เรื่อง {title}"),
            facts="(โปรดระบุข้อเท็จจริง)",
            considerations=f"จึงเห็นควรออก{words}ดังกล่าว",
            kind=None if kind is DocumentKind.ANNOUNCEMENT else kind,
            announcement=document,
        )

    def own_template(self, item: ItaItem) -> str | None:
        """The first of the item's templates the organisation has (its wording, e.g. the participation
        measures of seed 004); None: the drafter writes the text (a general announcement)."""
        if self._templates is None:
            self._templates = known_templates(self.org)
        return next((name for name in item.templates.split(",") if name.strip() in self._templates), None)

    def report_draft(self, item: ItaItem, period: Period) -> MemoDraft:
        title = f"{item.title} {period.title}"
        return MemoDraft(
            **self.base(item, f"รายงาน{title}"),
            facts=self.period_facts(period),
            considerations="จึงเรียนมาเพื่อโปรดทราบ",
            kind=DocumentKind.REPORT,
        )

    def period_facts(self, period: Period) -> str:
        span = (period.starts, period.ends)
        if span not in self._facts:
            self._facts[span] = _period_facts(self.session, self.org, period)
        return self._facts[span]


def _write(session: Session, made: list[tuple[SavedDraft | None, ItaWork]], now: dt.datetime) -> None:
    """The drafts in one batch (their ids come back together), then the work that names them,
    and the items marked opened (a later load of the catalogue leaves them as they are)."""
    if not made:
        return
    session.add_all([saved for saved, _ in made if saved is not None])
    session.flush()
    for saved, work in made:
        work.draft_id = saved.id if saved is not None else None
    session.add_all([work for _, work in made])
    session.flush()
    items = {work.item_id for _, work in made}
    session.exec(
        update(ItaItem).where(col(ItaItem.id).in_(items), col(ItaItem.opened_at).is_(None)).values(opened_at=now)
    )


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
