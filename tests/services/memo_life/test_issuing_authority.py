"""The issuing authority is the office's own: a draft whose announcement data names another
organisation (or anything its template does not take, or a fiscal year that is not the memo's) is
refused when sent or revised, with nothing written; a memo sent before the check renders under the
office's own name."""

import pytest
from sqlmodel import func, select

from models import Memo, Organisation, Revision
from models.db import session_scope
from models.draft import AnnouncementDraft
from models.enums import DecisionKind
from services.errors import BadInput
from services.memo_life.memos import revise_memo, submit_memo
from services.printing.rendering import check_announcement_data, draft_announcement_words
from tests.builders import PIN, draft_004, load_kokphutsa, memo_in_review, sign

NACC = "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ"


@pytest.fixture
def org(engine):
    load_kokphutsa(engine)
    return engine


def draft_with(data: dict):  # noqa: ANN201
    draft = draft_004()
    return draft.model_copy(update={"announcement": draft.announcement.model_copy(update={"data": data})})


def memo_count(engine) -> int:  # noqa: ANN001
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(Memo)).one()


@pytest.mark.parametrize(
    ("data", "said"),
    [
        ({"organisation_name": NACC}, "organisation_name"),
        ({"organisation_name": "เทศบาลตำบลโคกพุทรา"}, "organisation_name"),  # even its own: the office sets it
        ({"issuer": NACC}, "issuer"),  # a name the template does not read
        ({"fiscal_year_be": 2500}, "2500"),
        ({"fiscal_year_be": "๒๕๕๐ - ๒๕๕๕"}, "๒๕๕๐ - ๒๕๕๕"),
        ({"fiscal_year_be": "next year"}, "next year"),
    ],
)
def test_data_the_template_does_not_take_is_refused_when_sent_and_nothing_is_written(org, data, said):
    with pytest.raises(BadInput) as refused, session_scope(org) as session:
        submit_memo(session, username="somying", pin=PIN, draft=draft_with(data))
    assert said in str(refused.value) and "(" in str(refused.value)  # Thai, then English in brackets
    assert memo_count(org) == 0


def test_the_template_s_own_wording_is_accepted(org):
    with session_scope(org) as session:
        submit_memo(session, username="somying", pin=PIN, draft=draft_with({"subject": "มาตรการส่งเสริมการมีส่วนร่วม"}))
    assert memo_count(org) == 1


@pytest.mark.parametrize("years", [2570, "2570", "๒๕๖๙ - ๒๕๗๓", "2566-2570"])
def test_a_district_s_fiscal_year_may_be_the_memo_s_or_a_span_including_it(years):
    district = Organisation(code="bangrak", name="สำนักงานเขตบางรัก", kind="bangkok-district")
    announcement = AnnouncementDraft(template="participation-measures", data={"fiscal_year_be": years})
    check_announcement_data(district, announcement, fiscal_year=2570)
    with pytest.raises(BadInput, match="2575"):
        check_announcement_data(district, announcement, fiscal_year=2575)


def test_a_revision_naming_another_authority_is_refused(org):
    memo = memo_in_review(org)
    sign(org, memo.id, "kanokporn", DecisionKind.RETURN, minute="แก้ไขวันที่")
    with pytest.raises(BadInput, match="organisation_name"), session_scope(org) as session:
        revise_memo(
            session,
            memo_id=memo.id,
            username="somying",
            pin=PIN,
            draft=draft_with({"organisation_name": NACC}),
            note="",
        )
    with session_scope(org) as session:
        assert session.exec(select(func.count()).select_from(Revision).where(Revision.memo_id == memo.id)).one() == 1


def test_a_memo_sent_before_the_check_is_rendered_under_the_office_s_own_name(org):
    with session_scope(org) as session:  # its stored draft, as an older release kept it
        office = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        words = draft_announcement_words(office, draft_with({"organisation_name": NACC}).announcement, fiscal_year=2570)
    assert words.organisation_name == "เทศบาลตำบลโคกพุทรา"
    assert NACC not in words.subject + "".join(words.preamble) + "".join(words.measures) + words.closing
