"""What an administrator changes in their organisation; every change is audited.

Each function works in the caller's transaction and refuses what would break memos already
moving (a chain cannot change under a memo in progress).
"""

import datetime as dt

from sqlmodel import Session, select

from documents.image_check import BadImage, checked_image_suffix
from models import (Chain, ChainStep, Delegation, Holding, Memo, Organisation, Person, Position, StagePermission, Unit,
                    audit)
from models.enums import Capacity, MemoStatus, Stage
from models.secrets import hash_pin, hash_secret
from services.credentials import check_new_password, new_pin_or_bad_input
from services.errors import BadInput
from services.people import member_of

IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
MAX_IMAGE_BYTES = 2 * 1024 * 1024


def _log(session: Session, actor: str, action: str, org: Organisation, data: dict) -> None:
    audit.append(session, actor=actor, action=f"admin.{action}", subject=f"organisation:{org.code}", data=data)


def update_settings(session: Session, *, actor: str, org: Organisation, register_prefix: str, public_minutes: bool,
                    prefect_ui_signing: bool = False, printed_garuda_paper: bool = False) -> None:
    if not register_prefix.strip():
        raise BadInput("กรุณากรอกเลขประจำหน่วยงาน (the register prefix is required)")
    org.register_prefix, org.public_minutes = register_prefix.strip(), public_minutes
    org.prefect_ui_signing, org.printed_garuda_paper = prefect_ui_signing, printed_garuda_paper
    session.add(org)
    _log(session, actor, "settings", org, {"register_prefix": org.register_prefix, "public_minutes": public_minutes,
                                           "prefect_ui_signing": prefect_ui_signing,
                                           "printed_garuda_paper": printed_garuda_paper})


def store_garuda(session: Session, *, actor: str, org: Organisation, image: bytes, folder) -> None:  # noqa: ANN001
    if not image.startswith(IMAGE_SIGNATURES) or len(image) > MAX_IMAGE_BYTES:
        raise BadInput("ตราครุฑต้องเป็นไฟล์ PNG หรือ JPEG ขนาดไม่เกิน ๒ MB (the emblem must be a PNG or JPEG up to 2 MB)")
    try:
        suffix = checked_image_suffix(image)  # decoded in full: it goes into every document
    except BadImage as error:
        raise BadInput(f"ตราครุฑ: {error}") from error
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"garuda.{suffix}"
    path.write_bytes(image)
    org.garuda_image_path = str(path)
    session.add(org)
    _log(session, actor, "garuda", org, {"bytes": len(image)})


def add_unit(session: Session, *, actor: str, org: Organisation, code: str, name: str, letterhead_name: str,
             phone: str, fax: str) -> Unit:
    _require(code=code, name=name, letterhead_name=letterhead_name)
    _unique(session, Unit, org, code)
    unit = Unit(organisation_id=org.id, code=code, name=name, letterhead_name=letterhead_name, phone=phone, fax=fax)
    session.add(unit)
    _log(session, actor, "unit.added", org, {"code": code, "name": name})
    return unit


def add_position(session: Session, *, actor: str, org: Organisation, code: str, title: str, short_title: str,
                 unit_code: str) -> Position:
    _require(code=code, title=title)
    _unique(session, Position, org, code)
    unit = _by_code(session, Unit, org, unit_code) if unit_code else None
    position = Position(organisation_id=org.id, code=code, title=title, short_title=short_title or title,
                        unit_id=unit.id if unit else None)
    session.add(position)
    _log(session, actor, "position.added", org, {"code": code, "title": title})
    return position


def add_person(session: Session, *, actor: str, org: Organisation, username: str, full_name: str, rank: str,
               initials: str, password: str, pin: str, is_admin: bool) -> Person:
    _require(username=username, full_name=full_name)
    check_new_password(password)
    pin = new_pin_or_bad_input(pin)
    if session.exec(select(Person).where(Person.username == username)).first():
        raise BadInput(f"มีผู้ใช้ชื่อ {username} แล้ว (username {username} is taken)")
    person = Person(organisation_id=org.id, username=username, full_name=full_name, rank=rank,
                    initials=initials or full_name.split()[-1], password_hash=hash_secret(password),
                    pin_hash=hash_pin(pin), is_admin=is_admin)
    session.add(person)
    _log(session, actor, "person.added", org, {"username": username, "is_admin": is_admin})
    return person


def appoint(session: Session, *, actor: str, org: Organisation, position_code: str, username: str) -> None:
    """Make `username` the holder of a position, or leave it vacant when username is empty."""
    position = _by_code(session, Position, org, position_code)
    current = session.exec(select(Holding).where(Holding.position_id == position.id)).first()
    if current is not None:
        session.delete(current)
        session.flush()
    if username:
        person = member_of(session, org, username)
        session.add(Holding(person_id=person.id, position_id=position.id))
    _log(session, actor, "appointed", org, {"position": position_code, "holder": username or None})


def set_chain(session: Session, *, actor: str, org: Organisation, document_kind: str, position_codes: list[str],
              drafter_may_sign: bool = False, same_signer_consecutive_steps: bool = False) -> None:
    if not position_codes:
        raise BadInput("สายการลงนามต้องมีอย่างน้อยหนึ่งขั้นตอน (a chain needs at least one step)")
    positions = [_by_code(session, Position, org, code) for code in position_codes]
    chain = session.exec(select(Chain).where(Chain.organisation_id == org.id, Chain.document_kind == document_kind)).first()
    if chain is None:
        chain = Chain(organisation_id=org.id, document_kind=document_kind)
        session.add(chain)
        session.flush()
    elif session.exec(select(Memo.id).where(Memo.chain_id == chain.id, Memo.status != MemoStatus.PUBLISHED)).first():
        raise BadInput("มีบันทึกที่กำลังเดินตามสายนี้อยู่ เปลี่ยนได้เมื่อเรื่องเหล่านั้นเสร็จแล้ว "
                       "(memos are moving along this chain: change it once they are done)")
    for step in session.exec(select(ChainStep).where(ChainStep.chain_id == chain.id)).all():
        session.delete(step)
    session.flush()
    for index, position in enumerate(positions):
        session.add(ChainStep(chain_id=chain.id, step_index=index, position_id=position.id))
    chain.drafter_may_sign, chain.same_signer_consecutive_steps = drafter_may_sign, same_signer_consecutive_steps
    session.add(chain)
    _log(session, actor, "chain.set", org, {"document_kind": document_kind, "steps": position_codes,
                                            "drafter_may_sign": drafter_may_sign,
                                            "same_signer_consecutive_steps": same_signer_consecutive_steps})


PREPARATION_STAGES = (Stage.TYPESET, Stage.PROOFREAD, Stage.CHECK)


def set_stage_positions(session: Session, *, actor: str, org: Organisation, stage: Stage,
                        position_codes: list[str]) -> None:
    """Which positions may record `stage` from now on; none: the memo's unit's positions (the
    default, services.stage_roles). A stage already recorded keeps who recorded it."""
    if stage not in PREPARATION_STAGES:
        raise BadInput(f"ขั้นตอน {stage.value} กำหนดผู้บันทึกไม่ได้ (only พิมพ์, ทาน and ตรวจ have recorders to set)")
    positions = [_by_code(session, Position, org, code) for code in position_codes]
    for row in session.exec(select(StagePermission).where(StagePermission.organisation_id == org.id,
                                                          StagePermission.stage == stage)).all():
        session.delete(row)
    session.flush()
    for position in positions:
        session.add(StagePermission(organisation_id=org.id, stage=stage, position_id=position.id))
    _log(session, actor, "stage_positions.set", org, {"stage": stage.value, "positions": position_codes})


def add_delegation(session: Session, *, actor: str, org: Organisation, username: str, position_code: str,
                   capacity: Capacity, order_number: str, valid_from: dt.date, valid_to: dt.date) -> Delegation:
    _require(order_number=order_number)
    if valid_to < valid_from:
        raise BadInput("วันสิ้นสุดต้องไม่ก่อนวันเริ่มต้น (the end date is before the start date)")
    if capacity == Capacity.SELF:
        raise BadInput("คำสั่งมอบหมายต้องระบุฐานะการปฏิบัติแทน (a delegation needs an acting capacity)")
    delegation = Delegation(person_id=member_of(session, org, username).id,
                            position_id=_by_code(session, Position, org, position_code).id, capacity=capacity,
                            order_number=order_number, valid_from=valid_from, valid_to=valid_to)
    session.add(delegation)
    _log(session, actor, "delegation.added", org, {"person": username, "position": position_code,
                                                    "capacity": capacity.value, "order_number": order_number,
                                                    "valid_from": valid_from, "valid_to": valid_to})
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


def _require(**values: str) -> None:
    missing = [name for name, value in values.items() if not str(value).strip()]
    if missing:
        raise BadInput(f"กรุณากรอกข้อมูลให้ครบ (required: {', '.join(missing)})")


def _unique(session: Session, table, org: Organisation, code: str) -> None:  # noqa: ANN001
    if session.exec(select(table).where(table.organisation_id == org.id, table.code == code)).first():
        raise BadInput(f"มีรหัส {code} แล้ว (code {code} already exists)")


def _by_code(session: Session, table, org: Organisation, code: str):  # noqa: ANN001, ANN202
    row = session.exec(select(table).where(table.organisation_id == org.id, table.code == code)).first()
    if row is None:
        raise BadInput(f"ไม่พบรหัส {code} (unknown code {code})")
    return row


