"""Who is told when a memo ends without publication, or its published announcement is cancelled.

The drafter hears of an ending they did not choose (a signer's ไม่อนุมัติ, an administrator's
cancellation) with who ended it and why; everyone who already signed the memo hears when it is
withdrawn or cancelled, since their signature now leads nowhere. Nobody is told of what they did
themself. Each notice is a row of the personal notice outbox (models.SecurityNotice, written by
services.accounts.security_notices.tell_person) added in the ending's own transaction: an ending
rolled back takes its notices with it, and a crash after the commit loses none (the sender,
services.notices.security_sender, sends them on each person's own channels, or they stay on the
person's account page).
"""

from sqlmodel import Session, col, select

from documents.thai_format import thai_date_short
from models import Decision, Memo, Person
from models.clock import office_date, utcnow
from models.settings import get_settings
from services.accounts.security_notices import tell_person

SIGN = "ระบบสารบรรณ (แจ้งเตือนอัตโนมัติ)"
# What happened, as the title and the first line say it.
WHAT = {
    "disapproved": "ไม่อนุมัติ เรื่องสิ้นสุด",
    "cancelled": "ผู้ดูแลระบบยกเลิกเรื่อง",
    "withdrawn": "ผู้ร่างถอนเรื่อง",
    "publication_cancelled": "ยกเลิกประกาศที่เผยแพร่แล้ว",
    "superseded": "ประกาศที่เผยแพร่แล้วถูกแทนที่",
}
# Who hears of each ending besides nobody-who-did-it: the drafter, the signers so far, or both.
TOLD = {
    "disapproved": ("drafter",),
    "cancelled": ("drafter", "signers"),
    "withdrawn": ("signers",),
    "publication_cancelled": ("drafter", "signers"),
    "superseded": ("drafter", "signers"),
}


def tell_of_ending(session: Session, memo: Memo, how: str, actor: Person, reason: str, detail: str = "") -> int:
    """Write the notices of `memo`'s ending (`how`, a key of WHAT) by `actor`; the number written."""
    told = _who_is_told(session, memo, how, actor)
    when = thai_date_short(office_date(utcnow()))
    title = _short(f"{WHAT[how]}: {memo.register_number} {memo.subject}")
    for person in told:
        lines = [
            f"บันทึกที่ {memo.register_number} เรื่อง {memo.subject}",
            f"{WHAT[how]}{detail} โดย {actor.full_name} เมื่อ {when}",
            f"เหตุผล: {reason}",
        ]
        if person.id == memo.drafter_id:
            lines.append("(ท่านเป็นผู้ร่างบันทึกนี้)")
        else:
            lines.append("(ท่านได้ลงนามพิจารณาบันทึกนี้แล้ว)")
        lines += ["", f"เปิดบันทึก: {_memo_link(memo.id)}"]
        tell_person(session, person, title, lines, sign=SIGN)
    return len(told)


def _who_is_told(session: Session, memo: Memo, how: str, actor: Person) -> list[Person]:
    ids: list[int] = []
    if "drafter" in TOLD[how]:
        ids.append(memo.drafter_id)
    if "signers" in TOLD[how]:
        signed = session.exec(
            select(Decision.signer_id).where(Decision.memo_id == memo.id).order_by(col(Decision.at))
        ).all()
        ids += signed
    people = [session.get(Person, i) for i in dict.fromkeys(ids) if i != actor.id]  # each once
    return [p for p in people if p is not None and p.active]


TITLE_CHARS = 60


def _short(title: str) -> str:
    # An email's subject goes out as one unfolded quoted-printable line, 9 bytes per Thai letter:
    # past about 105 letters SMTP refuses it ("Line too long"), as services.notices.work_notices
    # found. The whole subject is in the body.
    return title if len(title) <= TITLE_CHARS else title[: TITLE_CHARS - 1] + "…"


def _memo_link(memo_id: int) -> str:
    # As services.notices.work_notices.memo_link builds it (that package sits above this one):
    # from SARABAN_PUBLIC_BASE_URL, never a request's Host header.
    return f"{get_settings().public_base_url.rstrip('/')}/memos/{memo_id}"
