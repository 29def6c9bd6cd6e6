"""The ITA catalogue as data (services.ita): the shipped catalogues adopted on a real database,
reloaded, changed, and refused whole when bad."""

import copy
from pathlib import Path

import pytest
import yaml
from sqlmodel import func, select

from models import AuditEntry, ItaCatalogue, ItaItem, Organisation, Position
from models.clock import utcnow
from models.db import session_scope
from models.ita import FROM_ADMIN, FROM_CATALOGUE, FROM_ORGANISATION_FILE
from services.accounts.org_loader import load_organisation, read_organisation_file
from services.errors import BadInput
from services.ita.catalogue_format import SHAPES, parse_catalogue, read_catalogue_file
from services.ita.catalogue_load import adopt_catalogue, organisation_named
from services.ita.catalogue_view import item_lines
from services.ita.positions import set_item_position
from tests.builders import load_kokphutsa

ITA = Path(__file__).resolve().parents[3] / "examples" / "ita"
LAO = ITA / "lao-2570.yaml"


@pytest.fixture
def org(engine):
    load_kokphutsa(engine)
    return engine


def raw_lao() -> dict:
    return yaml.safe_load(LAO.read_text(encoding="utf-8"))


def adopt(engine, code: str, raw: dict | Path = LAO):  # noqa: ANN001, ANN201
    catalogue = read_catalogue_file(raw) if isinstance(raw, Path) else parse_catalogue(raw, name="test.yaml")
    with session_scope(engine) as session:
        return adopt_catalogue(session, organisation_named(session, code), catalogue, actor="test")


def items(engine, code: str, year: int = 2570) -> dict[str, ItaItem]:  # noqa: ANN001
    with session_scope(engine) as session:
        org = organisation_named(session, code)
        return {i.code: i for i in session.exec(select(ItaItem).where(ItaItem.organisation_id == org.id))}


def audit_count(engine) -> int:  # noqa: ANN001
    with session_scope(engine) as session:
        return session.exec(select(func.count()).select_from(AuditEntry)).one()


def test_the_shipped_catalogue_is_adopted_with_every_item_at_a_real_position(org):
    report = adopt(org, "kokphutsa")
    assert report.new_catalogue and len(report.added) == 30
    with session_scope(org) as session:
        kokphutsa = organisation_named(session, "kokphutsa")
        lines = item_lines(session, kokphutsa, 2570)
        own = {p.id: p for p in session.exec(select(Position).where(Position.organisation_id == kokphutsa.id))}
        stored = session.exec(select(ItaItem).where(ItaItem.organisation_id == kokphutsa.id)).all()
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "ita.catalogue.adopted")).one()
    assert [line.code for line in lines] == [f"O{n}" for n in range(1, 31)]  # in the file's order
    assert {line.shape for line in lines} == set(SHAPES)
    assert {line.cadence for line in lines} == {"yearly", "six-monthly", "monthly", "on-demand"}
    assert all(item.position_id in own for item in stored)  # every item at one of its own positions
    by_code = {line.code: line for line in lines}
    assert by_code["O14"].position_code == "clerical-officer"  # the organisation file's ita: choice
    assert by_code["O14"].position_source == FROM_ORGANISATION_FILE
    assert by_code["O25"].position_code == "legal-officer" and by_code["O25"].position_source == FROM_CATALOGUE
    assert by_code["O25"].circular_required and by_code["O12"].due == "30 days after opening"
    assert by_code["O1"].due_on.isoformat() == "2027-03-31"
    assert entry.subject == "organisation:kokphutsa" and '"O30"' in entry.data_json


def test_loading_the_same_file_again_changes_nothing(org):
    adopt(org, "kokphutsa")
    before, entries = items(org, "kokphutsa"), audit_count(org)
    report = adopt(org, "kokphutsa")
    assert not report.anything_changed and len(report.unchanged) == 30
    assert audit_count(org) == entries  # nothing done, nothing audited
    after = items(org, "kokphutsa")
    assert {c: (i.id, i.updated_at) for c, i in after.items()} == {c: (i.id, i.updated_at) for c, i in before.items()}


def test_a_changed_file_updates_the_items_not_yet_opened_and_says_what_changed(org):
    adopt(org, "kokphutsa")
    with session_scope(org) as session:  # the year opening opened O2; an administrator chose for O3
        o2 = session.exec(select(ItaItem).where(ItaItem.code == "O2")).one()
        o2.opened_at = utcnow()
        o3 = session.exec(select(ItaItem).where(ItaItem.code == "O3")).one()
        set_item_position(
            session, organisation_named(session, "kokphutsa"), actor="kanokporn", item_id=o3.id, position="clerk"
        )
    raw = raw_lao()
    by_code = {item["code"]: item for item in raw["items"]}
    by_code["O1"]["title"] = "โครงสร้างหน่วยงาน"
    by_code["O2"]["title"] = "ข้อมูลผู้บริหารสูงสุด"
    by_code["O3"]["title"] = "อำนาจหน้าที่ของหน่วยงาน"
    raw["items"] = [i for i in raw["items"] if i["code"] != "O7"] + [
        {**copy.deepcopy(by_code["O6"]), "code": "O31", "title": "กฎหมายที่เกี่ยวข้อง"}
    ]
    report = adopt(org, "kokphutsa", raw)
    assert report.changed == {"O1": ["title"], "O3": ["title"]} | {
        code: ["ordinal"] for code in [f"O{n}" for n in range(8, 31)]
    }
    assert report.added == ["O31"] and report.removed == ["O7"] and report.kept_opened == ["O2"]
    now = items(org, "kokphutsa")
    assert now["O1"].title == "โครงสร้างหน่วยงาน" and now["O2"].title == "ข้อมูลผู้บริหาร"  # opened: as it was
    assert "O7" not in now and now["O31"].ordinal == 30
    with session_scope(org) as session:
        clerk = session.exec(select(Position).where(Position.code == "clerk")).one()
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "ita.catalogue.updated")).one()
    assert now["O3"].position_id == clerk.id and now["O3"].position_source == FROM_ADMIN  # the choice outlives it
    assert '"removed":["O7"]' in entry.data_json


def test_a_second_scheme_loads_for_a_second_organisation_with_no_code_change(org):
    with session_scope(org) as session:
        load_organisation(session, read_organisation_file(ITA / "health-office-organisation.yaml"), demo=True)
    adopt(org, "kokphutsa")
    report = adopt(org, "ssa-photong", ITA / "moit-2570.yaml")
    assert report.new_catalogue and report.added[0] == "MOIT1" and len(report.added) == 12
    with session_scope(org) as session:
        office = organisation_named(session, "ssa-photong")
        lines = {line.code: line for line in item_lines(session, office, 2570)}
        kokphutsa_lines = item_lines(session, organisation_named(session, "kokphutsa"), 2570)
        own = set(session.exec(select(Position.code).where(Position.organisation_id == office.id)))
    assert {line.position_code for line in lines.values()} <= own
    assert lines["MOIT4"].position_code == "clerk-officer" and lines["MOIT22"].position_code == "director"
    assert {line.shape for line in lines.values()} == set(SHAPES)
    assert not any(line.code.startswith("MOIT") for line in kokphutsa_lines)  # each sees its own
    with pytest.raises(BadInput, match="public-health-office") as refused:  # not for a municipality
        adopt(org, "kokphutsa", ITA / "moit-2570.yaml")
    assert refused.value.field == "org"


def _bad(mutate) -> dict:  # noqa: ANN001
    raw = raw_lao()
    mutate(raw)
    return raw


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (
            lambda raw: raw["items"][3].update(shape="poster"),
            ["รายการ O4 (item O4)", "shape", "ต้องเป็นค่าใดค่าหนึ่ง", "must be one of"],
        ),
        (lambda raw: raw["items"][4].update(code="O1"), ["รายการ O1 (item O1)", "code", "รหัสซ้ำ", "appears twice"]),
        (lambda raw: raw["items"][9].pop("title"), ["รายการ O10 (item O10)", "title", "ต้องกรอก (required)"]),
        (
            lambda raw: raw["items"][24].update(responsible=["ผู้อำนวยการกองสาธารณสุข", "no-such-code"]),
            ["รายการ O25 (item O25)", "responsible", "ไม่พบตำแหน่ง", "no such position in kokphutsa"],
        ),
    ],
    ids=["unknown-shape", "duplicate-code", "missing-title", "unknown-position"],
)
def test_a_bad_file_is_refused_naming_the_item_and_field_and_nothing_is_saved(org, mutate, expected):
    entries = audit_count(org)
    with pytest.raises(BadInput) as refused:
        adopt(org, "kokphutsa", _bad(mutate))
    message = str(refused.value)
    assert "ไม่ได้บันทึกสิ่งใด (invalid ITA catalogue, nothing saved)" in message
    for words in expected:
        assert words in message
    with session_scope(org) as session:
        assert session.exec(select(func.count()).select_from(ItaCatalogue)).one() == 0
        assert session.exec(select(func.count()).select_from(ItaItem)).one() == 0
    assert audit_count(org) == entries


def test_an_administrators_choice_is_only_ever_of_their_own_items_and_positions(org):
    with session_scope(org) as session:
        load_organisation(session, read_organisation_file(ITA / "health-office-organisation.yaml"), demo=True)
    adopt(org, "kokphutsa")
    adopt(org, "ssa-photong", ITA / "moit-2570.yaml")
    foreign = items(org, "ssa-photong")["MOIT1"]
    own = items(org, "kokphutsa")["O1"]
    with session_scope(org) as session:
        kokphutsa = session.exec(select(Organisation).where(Organisation.code == "kokphutsa")).one()
        with pytest.raises(BadInput, match="no such ITA item") as refused:
            set_item_position(session, kokphutsa, actor="kanokporn", item_id=foreign.id, position="clerk")
        assert refused.value.field == "item"
        with pytest.raises(BadInput, match="unknown position") as refused:  # the other office's post
            set_item_position(session, kokphutsa, actor="kanokporn", item_id=own.id, position="director")
        assert refused.value.field == "position"
