"""An administrator's reset of a signing PIN, delivered to the signer alone.

A one-time PIN shown to the administrator would let her sign as the person (with a password
she can also reset). So from the web the code goes only to the person's own channels and is
never shown, stored in clear, or logged; with no channel of their own, the reset is refused and
the operator's `saraban account reset` (someone holding the server, on the record) remains.
The code is sent before anything is written: a code that could not be delivered changes nothing.
"""

from sqlalchemy import Engine

from models import Organisation
from models.db import read_scope, session_scope
from services.accounts.credentials import one_time_pin, reset_pin
from services.accounts.people import member_of
from services.errors import BadInput
from services.notices.channels import personal_channels
from services.notices.notify import Channel, Notification, send

NO_CHANNEL = (
    "{username} ยังไม่มีช่องทางรับแจ้งของตนเอง จึงส่งรหัส PIN ใช้ครั้งเดียวให้ไม่ได้ และระบบไม่แสดงรหัสนี้แก่ผู้ดูแล "
    "ให้เจ้าตัวเพิ่มและยืนยันช่องทางที่หน้า บัญชีของฉัน ก่อน หรือให้ผู้ดูแลเซิร์ฟเวอร์ใช้ saraban account reset {username} --what pin "
    "({username} has no channel of their own: a one-time PIN is only ever sent to its owner, never shown to an "
    "administrator; they add and confirm one on their account page first, or ask the server's operator)"
)


def reset_pin_to_own_channels(*, actor: str, org_id: int, username: str, engine: Engine | None = None) -> list[str]:
    """Reset `username`'s PIN and send the one-time code to their channels: the channels reached."""
    with read_scope(engine) as session:
        person = member_of(session, session.get(Organisation, org_id), username)
        full_name = person.full_name
        channels = [Channel(c.name, c.url, recipient=person.username) for c in personal_channels(session, person)]
    if not channels:
        raise BadInput(NO_CHANNEL.format(username=username))
    code = one_time_pin()
    message = Notification(
        title="รหัส PIN ใช้ครั้งเดียวสำหรับลงนาม",
        body="\n".join(
            [
                f"เรียน {full_name}",
                "",
                f"ผู้ดูแลระบบ ({actor}) ตั้งรหัส PIN สำหรับลงนามของท่านใหม่ รหัสใช้ครั้งเดียวคือ {code}",
                'กรุณาเปลี่ยนเป็นรหัสของท่านเองที่หน้า "บัญชีของฉัน" ก่อนลงนาม',
                "หากท่านไม่ได้ขอ กรุณาแจ้งผู้บังคับบัญชาทันที",
            ]
        ),
    )
    reached = [result.channel for result in send(message, channels, attempts=2) if result.ok]
    if not reached:
        raise BadInput(
            f"ส่งรหัส PIN ใช้ครั้งเดียวไปยังช่องทางของ {username} ไม่สำเร็จ ยังไม่มีการเปลี่ยนแปลงใด ๆ กรุณาลองใหม่ "
            f"(the one-time PIN could not be delivered to {username}'s channels; nothing was changed, try again)"
        )
    with session_scope(engine) as session:
        reset_pin(session, actor=actor, org=session.get(Organisation, org_id), username=username, code=code)
    return reached
