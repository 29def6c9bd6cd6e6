"""The reference case (seed 004): เทศบาลตำบลโคกพุทรา's memo of 4 March 2564 and its announcement.

Tests and demos build both documents from these contexts. Where the seed does not show a value
(the head of office's minute text, the dates of the initials) the value is marked as assumed.
"""

from __future__ import annotations

import datetime as dt

from documents.context import (
    AnnouncementContext,
    Capacity,
    Letterhead,
    MemoContext,
    Minute,
    Signatory,
    StageMark,
)
from documents.text.announcement_examples import load_announcement_example

ORGANISATION = "เทศบาลตำบลโคกพุทรา"
MEMO_DATE = dt.date(2021, 3, 4)
MINUTES_DATE = dt.date(2021, 3, 8)

DRAFTER = Signatory(full_name="นางสาวสมหญิง แดงโสภา", position_title="นิติกรปฏิบัติการ")
HEAD_OF_OFFICE = Signatory(full_name="นางสาวกนกพร มุสพร้อม", position_title="หัวหน้าสำนักปลัดเทศบาล")
CLERK = Signatory(full_name="ภาคภูมิ อนุศาสตร์", position_title="ปลัดเทศบาลตำบลโคกพุทรา", rank="ว่าที่ร้อยตรี")
ACTING_MAYOR = Signatory(
    full_name="ภาคภูมิ อนุศาสตร์",
    position_title="ปลัดเทศบาล",
    rank="ว่าที่ร้อยตรี",
    capacity=Capacity.PERFORMING_DUTIES,
    acting_for_title="นายกเทศมนตรีตำบลโคกพุทรา",
)

ORIGIN = (
    "ตามที่เทศบาลตำบลโคกพุทรา ได้ดำเนินการจัดทำแผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ - ๒๕๖๔) "
    "โดยมีวัตถุประสงค์เพื่อยกระดับเจตจำนงทางการเมืองในการต่อต้านการทุจริตของผู้บริหารองค์กรปกครองส่วนท้องถิ่น "
    "เพื่อยกระดับจิตสำนึกรับผิดชอบในผลประโยชน์ของสาธารณะของข้าราชการฝ่ายการเมือง ข้าราชการฝ่ายบริหาร "
    "บุคลากรของเทศบาลตำบลโคกพุทรา รวมถึงประชาชนในท้องถิ่น "
    "เพื่อให้การบริหารราชการของเทศบาลตำบลโคกพุทราเป็นไปตามหลักบริหารกิจการบ้านเมืองที่ดี "
    "เพื่อส่งเสริมบทบาทการมีส่วนร่วม และตรวจสอบ ของภาคประชาชนในการบริหารกิจการขององค์กรปกครองส่วนท้องถิ่น "
    "และเพื่อพัฒนาระบบ กลไก มาตรการ รวมถึงเครือข่ายในการตรวจสอบการปฏิบัติราชการของเทศบาลตำบลโคกพุทรา "
    "ซึ่งการจัดทำแผนปฏิบัติการป้องกันการทุจริตฯ "
    "มีความสอดคล้องภายใต้ยุทธศาสตร์ชาติว่าด้วยการป้องกันและปราบปรามการทุจริต ระยะที่ ๓ (พ.ศ. ๒๕๖๐ - ๒๕๖๔) "
    "และกรอบการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
    "(Integrity And Transparency Assessment : ITA) ประกอบด้วย ๔ มิติ ได้แก่ "
    "มิติที่ ๑ การสร้างสังคมที่ไม่ทนต่อการทุจริต มิติที่ ๒ การบริหารราชการเพื่อป้องกันการทุจริต "
    "มิติที่ ๓ การส่งเสริมบทบาทและการมีส่วนร่วมของประชาชน "
    "มิติที่ ๔ การเสริมสร้างและปรับปรุงกลไกในการตรวจสอบการปฏิบัติราชการของ อปท. นั้น"
)
FACTS = (
    "ในการนี้ เทศบาลตำบลโคกพุทรา ต้องเข้าร่วมการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ "
    "(Integrity And Transparency Assessment : ITA) ประจำปีงบประมาณ พ.ศ.๒๕๖๔ เทศบาลตำบลโคกพุทรา "
    "จึงมีความประสงค์ดำเนินการประกาศ เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน "
    "เพื่อมุ่งเน้นการส่งเสริมการมีส่วนร่วมของราษฎรในการพัฒนาท้องถิ่นเทศบาลตำบลโคกพุทรา "
    "จึงได้กำหนดมาตรการและกลไกในการเปิดโอกาสให้ประชาชน และผู้มีส่วนได้ส่วนเสียเข้ามามีส่วนร่วมในการดำเนินงาน "
    "เพื่อแสดงให้เห็นถึงความโปร่งใสในการดำเนินงาน รวมทั้งการเผยแพร่ข้อมูลและหรือรับฟังความคิดเห็นของประชาชน "
    "และผู้มีส่วนได้ส่วนเสีย เพื่อให้การดำเนินงานมีคุณภาพมากยิ่งขึ้น "
    "ทั้งนี้ เพื่อให้สอดคล้องกับแผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ - ๒๕๖๔) ดังกล่าว"
)
LEGAL_BASIS = [
    "พระราชบัญญัติกำหนดแผนและขั้นตอนการกระจายอำนาจให้แก่องค์กรปกครองส่วนท้องถิ่น พ.ศ.๒๕๔๒",
    "แผนปฏิบัติการป้องกันการทุจริต ๔ ปี (พ.ศ. ๒๕๖๑ - ๒๕๖๔)",
    "การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ (Integrity And Transparency Assessment : ITA)",
]
CONSIDERATIONS = (
    "ทั้งนี้ เพื่อให้การปฏิบัติงานตามอำนาจหน้าที่ของเทศบาลตำบลโคกพุทราเป็นไปได้ด้วยความเรียบร้อย"
    "และสอดคล้องกับกฎหมาย ระเบียบและข้อสั่งการที่เกี่ยวข้อง "
    "จึงเห็นควรให้เทศบาลตำบลโคกพุทราดำเนินการประกาศ เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน "
    "ดังกล่าวต่อไป"
)


def memo_004(*, garuda_image: bytes | None = None) -> MemoContext:
    """The 004 memo with the three minutes the seed shows and a partly recorded initials block."""
    return MemoContext(
        letterhead=Letterhead(
            organisation_name=ORGANISATION,
            issuing_unit="สป. (งค.)",
            phone="๐ ๓๕๖๑ ๐๘๙๑",
            fax="๐ ๓๕๖๑ ๐๘๙๖",
            garuda_image=garuda_image,
        ),
        register_number="อท ๕๓๗๐๑.๔/๓๐",
        date=MEMO_DATE,
        subject=f"ประกาศ{ORGANISATION} เรื่อง มาตรการให้ผู้มีส่วนได้ส่วนเสียมีส่วนร่วมในการดำเนินงาน",
        addressee="หัวหน้าสำนักปลัดเทศบาล/ปลัดเทศบาลฯ/นายกเทศมนตรีฯ",
        origin=ORIGIN,
        facts=FACTS,
        legal_basis=list(LEGAL_BASIS),
        considerations=CONSIDERATIONS,
        drafter=DRAFTER,
        minutes=_minutes_004(),
        stages=_stages_004(),
    )


def _minutes_004() -> list[Minute]:
    # The seed shows the head of office's and the acting mayor's minutes as signatures only: their
    # texts, and the head of office's date, are assumed here.
    return [
        Minute(text="เรียน ปลัดเทศบาล\n- เพื่อโปรดพิจารณา", signatory=HEAD_OF_OFFICE, date=MEMO_DATE),
        Minute(text="เรียน น.ทต.คพ\n- โปรดพิจารณา", signatory=CLERK, date=MINUTES_DATE),
        Minute(text="- อนุมัติ", signatory=ACTING_MAYOR, date=MINUTES_DATE),
    ]


def _stages_004() -> list[StageMark]:
    # Assumed: the drafter typed the memo herself; checking stages not yet recorded.
    return [
        StageMark("ร่าง", "สมหญิง", MEMO_DATE),
        StageMark("พิมพ์", "สมหญิง", MEMO_DATE),
        StageMark("ทาน"),
        StageMark("ตรวจ"),
    ]


def announcement_004(*, garuda_image: bytes | None = None) -> AnnouncementContext:
    """The announcement the 004 memo proposed, rendered from the municipality template."""
    return load_announcement_example("municipality-004", garuda_image=garuda_image)
