"""The route on the memo page by HTTP: each stage and step, who signed in which capacity (naming
whose duties), who may act next, and the due date in working days."""

import re

import pendulum
from sqlmodel import select

from models import Delegation, Holding, Person, Position
from models.db import default_engine, session_scope
from models.enums import Capacity, DecisionKind
from tests.builders import memo_in_review, operator_scope, sign, submitted_memo
from tests.web.conftest import login

BANGKOK = "Asia/Bangkok"


def route_of(client, memo_id: int, username: str = "somying") -> str:  # noqa: ANN001
    client.cookies.clear()
    assert login(client, username).status_code == 303
    page = client.get(f"/memos/{memo_id}").text
    return re.search(r'<details class="card route" id="route".*?</details>', page, re.S)[0]


def full_name(username: str) -> str:
    with session_scope() as session:
        return session.exec(select(Person.full_name).where(Person.username == username)).one()


def steps(route: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
        for li in re.findall(r"<li class=\"route-\w+\">(.*?)</li>", route, re.S)
    ]


def mayor_absent_and_clerk_acting_in_place() -> str:
    """The mayor's post held by someone away; the clerk's order says รักษาราชการแทน."""
    with operator_scope() as session:
        mayor = session.exec(select(Position).where(Position.code == "mayor")).one()
        clerk = session.exec(select(Person).where(Person.username == "phakphum")).one()
        away = Person(
            organisation_id=clerk.organisation_id,
            username="somchai",
            full_name="นายสมชาย ใจดี",
            password_hash="x",
            pin_hash="x",
        )
        session.add(away)
        session.flush()
        session.add(Holding(person_id=away.id, position_id=mayor.id))
        delegation = session.exec(select(Delegation).where(Delegation.person_id == clerk.id)).one()
        delegation.capacity = Capacity.ACTING_IN_PLACE
        return delegation.order_number


def test_the_route_shows_each_step_who_signed_how_and_who_is_next_with_the_due_date(client):
    order = mayor_absent_and_clerk_acting_in_place()
    engine = default_engine()
    with pendulum.travel_to(pendulum.datetime(2026, 12, 14, 9, 0, tz=BANGKOK), freeze=True):  # a Monday
        memo_id = memo_in_review(engine).id
        sign(engine, memo_id, "kanokporn")
        sign(engine, memo_id, "phakphum")
        route = steps(route_of(client, memo_id))
    assert route[0].startswith("ร่าง ร่างแล้ว " + full_name("somying"))
    assert route[1].startswith("พิมพ์ บันทึกแล้ว " + full_name("wanna"))
    assert route[4].startswith("ขั้นที่ ๑ หัวหน้าสำนักปลัดเทศบาล") and f"เห็นชอบ {full_name('kanokporn')}" in route[4]
    assert route[5].startswith("ขั้นที่ ๒ ปลัดเทศบาล") and f"เห็นชอบ {full_name('phakphum')}" in route[5]
    now = route[6]
    assert now.startswith("ขั้นที่ ๓ นายกเทศมนตรี") and "รอดำเนินการ" in now
    assert f"ผู้ที่ดำเนินการได้: {full_name('phakphum')} ในฐานะรักษาราชการแทน" in now
    assert "กำหนด ๑๗ ธ.ค. ๖๙ เวลา ๑๖.๓๐ น. (เหลือ ๔ วันทำการ)" in now  # Mon + 3 working days; Mon still open
    with pendulum.travel_to(pendulum.datetime(2026, 12, 21, 9, 0, tz=BANGKOK), freeze=True):
        late = steps(route_of(client, memo_id))[6]
    assert "(เกินกำหนด ๑ วันทำการ)" in late  # Friday 18 closed past the due moment; Monday 21 not yet
    sign(engine, memo_id, "phakphum")
    last = steps(route_of(client, memo_id))[6]
    assert f"อนุมัติ {full_name('phakphum')} รักษาราชการแทน นายกเทศมนตรี" in last
    assert "(นายสมชาย ใจดี)" in last and order in last  # whose duties, and by which order


def test_a_returned_memo_shows_the_return_and_waits_for_its_drafter(client):
    engine = default_engine()
    memo_id = memo_in_review(engine).id
    sign(engine, memo_id, "kanokporn", DecisionKind.RETURN, minute="แก้ไขข้อ ๒")
    route = route_of(client, memo_id, "kanokporn")
    assert "ส่งคืนแก้ไข" in steps(route)[4]
    assert f"ส่งคืนแก้ไข รอ {full_name('somying')} แก้ไขและเสนอใหม่" in route


def test_a_new_memo_waits_for_the_typist(client):
    memo_id = submitted_memo(default_engine()).id
    route = steps(route_of(client, memo_id))
    assert route[1].startswith("พิมพ์ รอดำเนินการ ผู้ที่ดำเนินการได้: " + full_name("wanna"))
    assert route[2] == "ทาน ยังไม่ถึง" and route[6].endswith("ยังไม่ถึง")
