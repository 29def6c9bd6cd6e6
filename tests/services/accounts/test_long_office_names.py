"""Any Thai organisation loads (issue 20, finding 4). "องค์การบริหารส่วนตำบลบางกระทุ่ม" failed with a
traceback from its certificate's common name (93 bytes of X.509's 64), after printing "loaded",
with nothing saved: every อบต. and most education service areas. Ten of the longest real office
names load, get a signing certificate that names them, and one of them signs and publishes."""

import docx
import pytest
from sqlmodel import select

from documents.pdf.signing_certificate import certificate_facts, common_name
from models import Organisation, Publication
from models.db import make_engine, session_scope
from services.accounts.org_loader import OrganisationFile, load_organisation, read_organisation_file
from services.publication.publication import publish
from services.publication.signing_keys import organisation_identity
from tests.builders import EXAMPLES, memo_in_review, sign
from tests.conftest import copy_of_migrated

LONG_NAMES = [
    "องค์การบริหารส่วนตำบลบางกระทุ่ม",
    "องค์การบริหารส่วนตำบลหนองบัวศาลา",
    "องค์การบริหารส่วนจังหวัดพระนครศรีอยุธยา",
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาชัยนาท",
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษานครศรีธรรมราช เขต ๓",
    "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษากรุงเทพมหานคร เขต ๒",
    "สำนักงานเขตพื้นที่การศึกษาประถมศึกษาพระนครศรีอยุธยา",
    "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ",
    "เทศบาลตำบลเฉลิมพระเกียรติ",
    "เทศบาลนครนครศรีธรรมราช",
]


def spec_named(name: str, code: str) -> OrganisationFile:
    """The 004 municipality's file under another name."""
    spec = read_organisation_file(EXAMPLES / "organisation.yaml").model_dump()
    spec["organisation"].update(code=code, name=name)
    return OrganisationFile.model_validate(spec)


def test_the_common_name_fits_x509_and_keeps_the_name_readable():
    for name in LONG_NAMES:
        assert len(common_name(name).encode()) <= 64, name
    assert common_name("องค์การบริหารส่วนตำบลบางกระทุ่ม") == "อบต.บางกระทุ่ม"
    assert common_name("เทศบาลตำบลโคกพุทรา") == "เทศบาลตำบลโคกพุทรา"  # fits: whole
    cut = common_name("สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ")
    assert cut.endswith("…") and "สำนักงานคณะกรรมการป้องกันและปราบปรามการทุจริตแห่งชาติ".startswith(cut[:-1])


@pytest.fixture
def sqlite_engine(sqlite_url, migrated_templates):
    """Names and certificates do not depend on the dialect: SQLite only (the SAO below publishes on both)."""
    copy_of_migrated(sqlite_url, migrated_templates)
    engine = make_engine(sqlite_url)
    yield engine
    engine.dispose()


@pytest.mark.parametrize("index", range(len(LONG_NAMES)))
def test_a_long_office_name_loads_with_a_certificate_naming_it(sqlite_engine, home_without_office, index):
    name, engine = LONG_NAMES[index], sqlite_engine
    with session_scope(engine) as session:
        org = load_organisation(session, spec_named(name, f"office-{index}"), actor="test", demo=True)
        identity = organisation_identity(org)
    facts = certificate_facts(identity.certificate_pem)
    assert f"O={name}" in facts.subject and f"CN={common_name(name)}" in facts.subject
    with session_scope(engine) as session:
        assert session.exec(select(Organisation.name)).one() == name


def test_an_sao_signs_and_publishes_under_its_whole_name(engine, home_without_office):
    with session_scope(engine) as session:
        load_organisation(session, spec_named(LONG_NAMES[0], "bangkrathum"), actor="test", demo=True)
    memo_id = memo_in_review(engine).id
    for username in ("kanokporn", "phakphum", "phakphum"):
        sign(engine, memo_id, username)
    with session_scope(engine) as session:
        publication = publish(session, memo_id=memo_id)
        assert session.exec(select(Publication)).one().id == publication.id
    text = "\n".join(p.text for p in docx.Document(publication.announcement_path).paragraphs)
    assert f"ประกาศ{LONG_NAMES[0]}" in text
