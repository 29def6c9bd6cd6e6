"""Whether an organisation's documents would print the "[ตราครุฑ]" placeholder, and what to say.

An announcement is issued on Garuda paper: either the organisation uploads the emblem's image,
or it prints on paper with the emblem already on it (`printed_garuda_paper`). With neither, the
print carries a placeholder: setup and the memo page say so, and publication is refused.
"""

from sqlmodel import Session, select

from models import Organisation
from models.rules import Refused

MISSING_NOTE = (
    "ยังไม่มีภาพตราครุฑ: อัปโหลดที่หน้าผู้ดูแลระบบ (/admin) หรือเลือกพิมพ์บนกระดาษตราครุฑ "
    "(printed_garuda_paper: true ในแฟ้มหน่วยงาน) มิฉะนั้นระบบจะไม่เผยแพร่ประกาศ "
    "(no Garuda emblem uploaded: upload it on /admin or choose printed Garuda paper, "
    "else no announcement is published)"
)


def emblem_missing(org: Organisation) -> bool:
    """No image uploaded and no printed Garuda paper: the print would carry the placeholder."""
    return not org.garuda_image_path and not org.printed_garuda_paper


def organisations_missing_emblem(session: Session) -> list[Organisation]:
    return [org for org in session.exec(select(Organisation).order_by(Organisation.code)) if emblem_missing(org)]


def check_emblem_for_publication(org: Organisation, memo_id: int) -> None:
    """Refused while the announcement would be published with the placeholder. The memo stays
    approved with this reason shown (flow_problem); once the emblem is uploaded (or printed paper
    chosen), `saraban memo nudge` publishes it."""
    if emblem_missing(org):
        raise Refused(
            "no-emblem",
            "ยังไม่เผยแพร่: หน่วยงานยังไม่มีภาพตราครุฑ ประกาศจะพิมพ์ “[ตราครุฑ]” แทนตราครุฑ "
            "ให้ผู้ดูแลระบบอัปโหลดภาพตราครุฑที่หน้าผู้ดูแลระบบ (หรือเลือกพิมพ์บนกระดาษตราครุฑ) "
            f"แล้วสั่ง saraban memo nudge {memo_id} (not published: the organisation has no Garuda "
            "emblem, the announcement would print a placeholder. Upload the emblem on /admin, or choose "
            f"printed Garuda paper, then run `saraban memo nudge {memo_id}`)",
        )
