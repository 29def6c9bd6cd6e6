"""Sign-offs made soon after an administrator reset the signer's credentials.

An administrator who resets a signer's password and PIN holds, for a moment, everything needed
to sign as them (services.accounts.security_notices tells the person and the other
administrators). A sign-off in the hours after such a reset is therefore flagged, in its own
decision row (which the audit chain covers), for the memo page, the audit log and the evidence
to show. A reset the person asked for is common: the flag says what happened, not that it was wrong.
"""

import datetime as dt
import json

from sqlmodel import Session, col, select

from models import AuditEntry, Person
from models.clock import utcnow
from models.settings import get_settings

RESET_ACTIONS = {"account.password.reset": "password", "account.pin.reset": "pin"}


def reset_before_signing(session: Session, person: Person) -> str:
    """JSON {"by", "at", "what"} of the resets of `person`'s credentials by someone else within
    SARABAN_RESET_WATCH_HOURS; "" when there were none."""
    hours = get_settings().reset_watch_hours
    if not hours:
        return ""
    resets = session.exec(
        select(AuditEntry)
        .where(
            AuditEntry.subject == f"person:{person.id}",
            col(AuditEntry.action).in_(RESET_ACTIONS),
            AuditEntry.at >= utcnow() - dt.timedelta(hours=hours),
            AuditEntry.actor != person.username,
        )
        .order_by(AuditEntry.seq)
    ).all()
    if not resets:
        return ""
    return json.dumps(
        {
            "by": sorted({r.actor for r in resets}),
            "at": resets[-1].at.isoformat(),
            "what": sorted({RESET_ACTIONS[r.action] for r in resets}),
        },
        ensure_ascii=False,
    )


def reset_flag_text(after_reset: str) -> str:
    """The flag as the memo page, the audit log and the evidence say it ("" for none)."""
    if not after_reset:
        return ""
    reset = json.loads(after_reset)
    what = " และ ".join({"password": "รหัสผ่าน", "pin": "รหัส PIN"}[w] for w in reset["what"])
    hours = get_settings().reset_watch_hours
    return (
        f"ลงนามภายใน {hours} ชั่วโมงหลังผู้ดูแลระบบ ({', '.join(reset['by'])}) ตั้ง{what}ของผู้ลงนามใหม่ "
        f"(signed within {hours} hours after an administrator reset the signer's {' and '.join(reset['what'])})"
    )
