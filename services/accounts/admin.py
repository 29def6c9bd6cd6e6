"""What an administrator changes in their organisation; every change is audited.

Each function works in the caller's transaction and refuses what would break memos already
moving (a chain cannot change under a memo in progress).
"""

import datetime as dt

from sqlmodel import Session, select

from documents.image_check import BadImage, checked_image_suffix
from models import Delegation, Holding, Organisation, Person, Position, StagePermission, Unit, audit
from models.enums import Capacity, Stage
from models.secrets import hash_pin, hash_secret
from models.usernames import look_alike, username_problem
from services.accounts.chain_editing import position_named
from services.accounts.credentials import check_new_password, new_pin_or_bad_input
from services.accounts.people import member_of
from services.accounts.position_codes import code_from_title
from services.accounts.security_notices import admin_change_told
from services.errors import BadInput

IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
MAX_IMAGE_BYTES = 2 * 1024 * 1024


def _log(session: Session, actor: str, action: str, org: Organisation, data: dict) -> None:
    audit.append(session, actor=actor, action=f"admin.{action}", subject=f"organisation:{org.code}", data=data)
    admin_change_told(session, org, actor, action, data)


def update_settings(
    session: Session,
    *,
    actor: str,
    org: Organisation,
    register_prefix: str,
    public_minutes: bool,
    prefect_ui_signing: bool = False,
    printed_garuda_paper: bool = False,
) -> None:
    if not register_prefix.strip():
        raise BadInput("กรุณากรอกเลขประจำหน่วยงาน (the register prefix is required)", field="register_prefix")
    org.register_prefix, org.public_minutes = register_prefix.strip(), public_minutes
    org.prefect_ui_signing, org.printed_garuda_paper = prefect_ui_signing, printed_garuda_paper
    session.add(org)
    _log(
        session,
        actor,
        "settings",
        org,
        {
            "register_prefix": org.register_prefix,
            "public_minutes": public_minutes,
            "prefect_ui_signing": prefect_ui_signing,
            "printed_garuda_paper": printed_garuda_paper,
        },
    )


def store_garuda(session: Session, *, actor: str, org: Organisation, image: bytes, folder) -> None:  # noqa: ANN001
    if not image.startswith(IMAGE_SIGNATURES) or len(image) > MAX_IMAGE_BYTES:
        raise BadInput(
            "ตราครุฑต้องเป็นไฟล์ PNG หรือ JPEG ขนาดไม่เกิน ๒ MB (the emblem must be a PNG or JPEG up to 2 MB)", field="image"
        )
    try:
        suffix = checked_image_suffix(image)  # decoded in full: it goes into every document
    except BadImage as error:
        raise BadInput(f"ตราครุฑ: {error}", field="image") from error
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"garuda.{suffix}"
    path.write_bytes(image)
    org.garuda_image_path = str(path)
    session.add(org)
    _log(session, actor, "garuda", org, {"bytes": len(image)})


def add_unit(
    session: Session, *, actor: str, org: Organisation, code: str, name: str, letterhead_name: str, phone: str, fax: str
) -> Unit:
    _require(code=code, name=name, letterhead_name=letterhead_name)
    _unique(session, Unit, org, code)
    unit = Unit(organisation_id=org.id, code=code, name=name, letterhead_name=letterhead_name, phone=phone, fax=fax)
    session.add(unit)
    _log(session, actor, "unit.added", org, {"code": code, "name": name})
    return unit


def add_position(
    session: Session,
    *,
    actor: str,
    org: Organisation,
    title: str,
    short_title: str = "",
    unit_code: str = "",
    code: str = "",
    reports_to: str = "",
) -> Position:
    """A new position, named by its Thai title; its code is made from the title unless given
    (services.accounts.position_codes). `reports_to` (a title or code) is the position above it,
    where its overdue steps are escalated (services.memo_life.escalation)."""
    title, code = " ".join(title.split()), code.strip()
    _require(title=title)
    taken = set(session.exec(select(Position.code).where(Position.organisation_id == org.id)))
    if code:
        _unique(session, Position, org, code)
    else:
        code = code_from_title(title, taken)
    if session.exec(select(Position.id).where(Position.organisation_id == org.id, Position.title == title)).first():
        raise BadInput(
            f"มีตำแหน่ง {title} แล้ว ตั้งชื่อตำแหน่งให้ต่างกัน (a position titled {title} already exists)", field="title"
        )
    unit = _by_code(session, Unit, org, unit_code) if unit_code else None
    above = _position_above(session, org, reports_to)
    position = Position(
        organisation_id=org.id,
        code=code,
        title=title,
        short_title=short_title.strip() or title,
        unit_id=unit.id if unit else None,
        reports_to_id=above.id if above else None,
    )
    session.add(position)
    session.flush()
    _log(
        session,
        actor,
        "position.added",
        org,
        {"code": code, "title": title, "reports_to": above.code if above else None},
    )
    return position


def set_reports_to(session: Session, *, actor: str, org: Organisation, position: str, reports_to: str) -> bool:
    """Which position `position` (a title or code) reports to; empty: none, the top of the
    organisation. Refused when it would make a circle. True when anything changed."""
    below = position_named(session, org, position)
    above = _position_above(session, org, reports_to)
    seen, walk = set(), above
    while walk is not None and walk.id not in seen:  # up from the new superior: never back to this position
        if walk.id == below.id:
            raise BadInput(
                f"ตำแหน่ง {above.title} อยู่ใต้บังคับบัญชาของ {below.title} อยู่แล้ว เลือกตำแหน่งอื่น "
                f"(that would make a circle: {above.title} already reports, directly or not, to {below.title})",
                field="reports_to",
            )
        seen.add(walk.id)
        walk = session.get(Position, walk.reports_to_id) if walk.reports_to_id else None
    wanted = above.id if above else None
    if below.reports_to_id == wanted:
        return False
    was = session.get(Position, below.reports_to_id) if below.reports_to_id else None
    below.reports_to_id = wanted
    session.add(below)
    _log(
        session,
        actor,
        "position.updated",
        org,
        {
            "position": below.code,
            "changes": {"reports_to": [was.code if was else None, above.code if above else None]},
        },
    )
    return True


def _position_above(session: Session, org: Organisation, reports_to: str) -> Position | None:
    if not reports_to.strip():
        return None
    try:
        return position_named(session, org, reports_to)
    except BadInput as error:
        raise BadInput(str(error), field="reports_to") from error


def add_person(
    session: Session,
    *,
    actor: str,
    org: Organisation,
    username: str,
    full_name: str,
    rank: str,
    initials: str,
    password: str,
    pin: str,
    is_admin: bool,
) -> Person:
    _require(username=username, full_name=full_name)
    check_new_username(session, username)
    check_new_password(password)
    pin = new_pin_or_bad_input(pin)
    person = Person(
        organisation_id=org.id,
        username=username,
        full_name=full_name,
        rank=rank,
        initials=initials or full_name.split()[-1],
        password_hash=hash_secret(password, username=username),
        pin_hash=hash_pin(pin, username=username),
        is_admin=is_admin,
    )
    session.add(person)
    _log(session, actor, "person.added", org, {"username": username, "is_admin": is_admin})
    return person


class NeedsConfirmation(Exception):
    """The change would undo something the administrator may not have seen (a position's
    current holder): nothing was changed; ask them, naming it, and try again with their answer."""

    def __init__(self, replaced: Person, position: Position) -> None:
        super().__init__(f"{position.title}: {replaced.full_name}")
        # Plain values: the transaction that raised this is rolled back, its rows expired.
        self.replaced_name, self.replaced_username = replaced.full_name, replaced.username
        self.position_title = position.title


def current_holder(session: Session, position: Position) -> Person | None:
    holding = session.exec(select(Holding).where(Holding.position_id == position.id)).first()
    return session.get(Person, holding.person_id) if holding else None


def appoint(
    session: Session, *, actor: str, org: Organisation, position_code: str, username: str, replaces: str = ""
) -> None:
    """Make `username` the holder of a position (given by Thai title or code), or leave it vacant
    when username is empty. A current holder is replaced only when `replaces` names them: the
    administrator confirmed that very person (someone appointed meanwhile is asked about again)."""
    position = position_named(session, org, position_code)
    person = member_of(session, org, username) if username else None
    if person is not None and not person.active:
        raise BadInput(
            f"บัญชี {person.full_name} ถูกปิดอยู่ เปิดบัญชีก่อนแต่งตั้ง ({username} is deactivated: reactivate the account first)"
        )
    holder = current_holder(session, position)
    if holder is not None and (person is None or holder.id != person.id) and holder.username != replaces:
        raise NeedsConfirmation(holder, position)
    if holder is not None and person is not None and holder.id == person.id:
        return
    for current in session.exec(select(Holding).where(Holding.position_id == position.id)).all():
        session.delete(current)
    session.flush()
    if person is not None:
        session.add(Holding(person_id=person.id, position_id=position.id))
    _log(
        session,
        actor,
        "appointed",
        org,
        {"position": position.code, "holder": username or None, "replaced": holder.username if holder else None},
    )


def update_person(
    session: Session,
    *,
    actor: str,
    org: Organisation,
    username: str,
    full_name: str,
    rank: str,
    initials: str,
    email: str,
    phone: str,
    is_admin: bool,
) -> list[str]:
    """Change what is recorded about a person; the fields changed (audited with old and new)."""
    _require(full_name=full_name)
    person = member_of(session, org, username)
    if person.username == actor and not is_admin:
        raise BadInput(
            "ผู้ดูแลระบบถอนสิทธิ์ผู้ดูแลของตนเองไม่ได้ (an administrator cannot remove their own "
            "administrator right: ask another administrator)",
            field="is_admin",
        )
    if email.strip() and not _looks_like_email(email.strip()):
        raise BadInput(
            "อีเมลต้องเป็นรูปแบบ name@example.go.th (type the e-mail address as name@example.go.th)", field="email"
        )
    wanted = {
        "full_name": " ".join(full_name.split()),
        "rank": rank.strip(),
        "initials": initials.strip() or " ".join(full_name.split()).split()[-1],
        "email": email.strip(),
        "phone": phone.strip(),
        "is_admin": is_admin,
    }
    changes = {key: [getattr(person, key), value] for key, value in wanted.items() if getattr(person, key) != value}
    for key, (_old, value) in changes.items():
        setattr(person, key, value)
    if changes:
        session.add(person)
        _log(session, actor, "person.updated", org, {"username": username, "changes": changes})
    return list(changes)


def reactivate(session: Session, *, actor: str, org: Organisation, username: str) -> None:
    """Let a deactivated person log in and sign again; the positions they held stay vacant
    until appointed again."""
    person = member_of(session, org, username)
    if person.active:
        raise BadInput(f"บัญชี {person.full_name} ใช้งานอยู่แล้ว ({username} is already active)")
    person.active = True
    session.add(person)
    _log(session, actor, "person.reactivated", org, {"username": username})


def _looks_like_email(text: str) -> bool:
    local, _, domain = text.partition("@")
    return bool(local) and "." in domain and not any(c.isspace() for c in text)


PREPARATION_STAGES = (Stage.TYPESET, Stage.PROOFREAD, Stage.CHECK)


def set_stage_positions(
    session: Session, *, actor: str, org: Organisation, stage: Stage, position_codes: list[str]
) -> None:
    """Which positions may record `stage` from now on; none: the memo's unit's positions (the
    default, services.memo_life.stage_roles). A stage already recorded keeps who recorded it."""
    if stage not in PREPARATION_STAGES:
        raise BadInput(f"ขั้นตอน {stage.value} กำหนดผู้บันทึกไม่ได้ (only พิมพ์, ทาน and ตรวจ have recorders to set)")
    positions = [position_named(session, org, code) for code in position_codes]
    for row in session.exec(
        select(StagePermission).where(StagePermission.organisation_id == org.id, StagePermission.stage == stage)
    ).all():
        session.delete(row)
    session.flush()
    for position in positions:
        session.add(StagePermission(organisation_id=org.id, stage=stage, position_id=position.id))
    _log(session, actor, "stage_positions.set", org, {"stage": stage.value, "positions": position_codes})


def add_delegation(
    session: Session,
    *,
    actor: str,
    org: Organisation,
    username: str,
    position_code: str,
    capacity: Capacity,
    order_number: str,
    valid_from: dt.date,
    valid_to: dt.date,
) -> Delegation:
    _require(order_number=order_number)
    if valid_to < valid_from:
        raise BadInput("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น (the end date is before the start date)", field="valid_to")
    if capacity == Capacity.SELF:
        raise BadInput("คำสั่งมอบหมายต้องระบุฐานะการปฏิบัติแทน (a delegation needs an acting capacity)", field="capacity")
    delegation = Delegation(
        person_id=member_of(session, org, username).id,
        position_id=position_named(session, org, position_code).id,
        capacity=capacity,
        order_number=order_number,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    session.add(delegation)
    _log(
        session,
        actor,
        "delegation.added",
        org,
        {
            "person": username,
            "position": position_code,
            "capacity": capacity.value,
            "order_number": order_number,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    return delegation


def end_delegation(session: Session, *, actor: str, org: Organisation, delegation_id: int, on: dt.date) -> None:
    """End a delegation (kept for the record; a past decision still points at it)."""
    delegation = session.get(Delegation, delegation_id)
    position = session.get(Position, delegation.position_id) if delegation else None
    if position is None or position.organisation_id != org.id:
        raise BadInput("ไม่พบคำสั่งมอบหมายนี้ (no such delegation)")
    delegation.valid_to = min(delegation.valid_to, on - dt.timedelta(days=1))
    session.add(delegation)
    _log(session, actor, "delegation.ended", org, {"delegation_id": delegation_id, "valid_to": delegation.valid_to})


def check_new_username(session: Session, username: str) -> None:
    """Refuse a username that is malformed, reserved, taken, or a look-alike of one taken."""
    problem = username_problem(username)
    if problem:
        raise BadInput(problem, field="username")
    alike = next((u for u in session.exec(select(Person.username)) if look_alike(u) == look_alike(username)), None)
    if alike == username:
        raise BadInput(f"มีผู้ใช้ชื่อ {username} แล้ว (username {username} is taken)", field="username")
    if alike is not None:
        raise BadInput(
            f"ชื่อผู้ใช้ {username} อ่านแล้วเหมือน {alike} ซึ่งมีอยู่แล้ว เลือกชื่ออื่น "
            f"(the username {username} reads like the existing {alike}: choose another)",
            field="username",
        )


def _require(**values: str) -> None:
    missing = [name for name, value in values.items() if not str(value).strip()]
    if missing:
        raise BadInput(f"กรุณากรอกข้อมูลให้ครบ (required: {', '.join(missing)})", field=missing[0])


def _unique(session: Session, table, org: Organisation, code: str) -> None:  # noqa: ANN001
    if session.exec(select(table).where(table.organisation_id == org.id, table.code == code)).first():
        raise BadInput(f"มีรหัส {code} แล้ว (code {code} already exists)", field="code")


def _by_code(session: Session, table, org: Organisation, code: str):  # noqa: ANN001, ANN202
    row = session.exec(select(table).where(table.organisation_id == org.id, table.code == code)).first()
    if row is None:
        raise BadInput(f"ไม่พบรหัส {code} (unknown code {code})")
    return row
