"""The organisation's signing key and certificate in files under SARABAN_KEYS_DIR: made once,
shared by every process, replaced by a real certificate only with its own key (audited)."""

import os
import stat
import threading

import pytest
from sqlmodel import select

from documents.pdf.signing_certificate import SigningIdentityProblem, certificate_facts, self_signed_identity
from models import AuditEntry, Organisation
from models.db import session_scope
from services.publication.signing_keys import install_identity, organisation_identity, signing_key_files
from tests.builders import load_kokphutsa
from tests.certificates import authority_issued_identity


@pytest.fixture
def org(engine, keys_dir) -> Organisation:
    load_kokphutsa(engine)
    with session_scope(engine) as session:
        return session.exec(select(Organisation)).one()


def test_a_self_signed_pair_is_made_once_with_the_thai_name_and_a_private_key_file(org, keys_dir):
    files = signing_key_files("kokphutsa")
    assert not files.key.exists()
    first = organisation_identity(org)
    assert files.key.parent == keys_dir
    assert stat.S_IMODE(os.stat(files.key).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(keys_dir).st_mode) == 0o700
    facts = certificate_facts(first.certificate_pem)
    assert facts.subject == "CN=เทศบาลตำบลโคกพุทรา,O=เทศบาลตำบลโคกพุทรา,C=TH" and facts.self_signed
    assert organisation_identity(org) == first  # read back, not made again


def test_processes_asking_at_once_all_get_the_same_key(org):
    found, errors = [], []

    def ask() -> None:
        try:
            found.append(organisation_identity(org))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len({(i.key_pem, i.certificate_pem) for i in found}) == 1
    folder = signing_key_files("kokphutsa").key.parent  # also holds the instance's other secrets
    assert sorted(p.name for p in folder.iterdir() if "kokphutsa" in p.name) == [
        "org-kokphutsa-signing.cert.pem",
        "org-kokphutsa-signing.key.pem",
    ]  # nothing left aside


def test_a_real_certificate_replaces_the_self_signed_one_and_is_audited(engine, org):
    organisation_identity(org)
    real = authority_issued_identity("เทศบาลตำบลโคกพุทรา")
    with session_scope(engine) as session:
        install_identity(session, org, real, actor="cli")
    assert organisation_identity(org) == real
    assert stat.S_IMODE(os.stat(signing_key_files("kokphutsa").key).st_mode) == 0o600
    with session_scope(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "organisation.signing_certificate")).one()
    assert certificate_facts(real.certificate_pem).sha256 in entry.data_json and entry.actor == "cli"


def test_a_certificate_with_someone_elses_key_is_refused_and_nothing_changes(engine, org):
    before = organisation_identity(org)
    real, stranger = authority_issued_identity("เทศบาลตำบลโคกพุทรา"), self_signed_identity("x")
    with pytest.raises(SigningIdentityProblem, match="does not belong"), session_scope(engine) as session:
        install_identity(session, org, type(real)(stranger.key_pem, real.certificate_pem), actor="cli")
    assert organisation_identity(org) == before
    with session_scope(engine) as session:
        assert (
            session.exec(select(AuditEntry).where(AuditEntry.action == "organisation.signing_certificate")).all() == []
        )


def test_a_certificate_left_without_its_key_is_not_silently_replaced(org):
    organisation_identity(org)
    signing_key_files("kokphutsa").key.unlink()
    with pytest.raises(SigningIdentityProblem, match="without its private key"):
        organisation_identity(org)


def test_once_pdfs_were_signed_a_machine_without_the_key_does_not_make_its_own(org):
    with pytest.raises(SigningIdentityProblem, match="copy SARABAN_KEYS_DIR"):
        organisation_identity(org, create=False)
    assert not signing_key_files("kokphutsa").key.exists()
