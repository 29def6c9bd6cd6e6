"""`saraban org load` makes the signing certificate; `saraban org certificate` shows it and
installs a real one (PEM or PKCS#12), refusing a key that is not the certificate's."""

import json
import subprocess
from pathlib import Path

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, load_pem_private_key, pkcs12

from documents.pdf.signing_certificate import certificate_facts, self_signed_identity
from tests.certificates import authority_issued_identity
from tests.cli.runner import instance_env, run_saraban

ROOT = Path(__file__).resolve().parents[2]
ORG_NAME = "เทศบาลตำบลโคกพุทรา"


@pytest.fixture
def saraban(tmp_path):
    env = instance_env(tmp_path / "home")
    env.pop("SARABAN_KEYS_DIR", None)  # the default, under SARABAN_HOME

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
        return run_saraban(*args, env=env, cwd=tmp_path, stdin=stdin)

    assert run("init").returncode == 0
    return run


def cert_file(tmp_path: Path) -> Path:
    return tmp_path / "home" / "keys" / "org-kokphutsa-signing.cert.pem"


def test_loading_an_organisation_makes_its_self_signed_certificate(saraban, tmp_path):
    loaded = saraban("org", "load", "--demo", str(ROOT / "examples" / "kokphutsa" / "organisation.yaml"))
    assert loaded.returncode == 0, loaded.stderr
    facts = certificate_facts(cert_file(tmp_path).read_bytes())
    assert facts.sha256 in loaded.stdout and "self-signed" in loaded.stdout
    shown = json.loads(saraban("org", "certificate", "kokphutsa", "--json").stdout)
    assert (shown["subject"], shown["self_signed"]) == (f"CN={ORG_NAME},O={ORG_NAME},C=TH", True)


def test_a_real_certificate_is_installed_from_pem_or_pkcs12_and_a_wrong_key_refused(saraban, tmp_path):
    assert saraban("org", "load", "--demo", str(ROOT / "examples" / "kokphutsa" / "organisation.yaml")).returncode == 0
    real = authority_issued_identity(ORG_NAME)
    for name, data in (
        ("key.pem", real.key_pem),
        ("cert.pem", real.certificate_pem),
        ("chain.pem", real.chain_pem),
        ("other.key.pem", self_signed_identity("x").key_pem),
    ):
        (tmp_path / name).write_bytes(data)
    before = cert_file(tmp_path).read_bytes()

    wrong = saraban(
        "org",
        "certificate",
        "kokphutsa",
        "--key",
        str(tmp_path / "other.key.pem"),
        "--cert",
        str(tmp_path / "cert.pem"),
    )
    assert wrong.returncode == 2 and "does not belong to the certificate" in wrong.stderr
    assert cert_file(tmp_path).read_bytes() == before

    installed = saraban(
        "org",
        "certificate",
        "kokphutsa",
        "--key",
        str(tmp_path / "key.pem"),
        "--cert",
        str(tmp_path / "cert.pem"),
        "--chain",
        str(tmp_path / "chain.pem"),
    )
    assert installed.returncode == 0, installed.stderr
    assert "CN=Test Thai CA" in installed.stdout and cert_file(tmp_path).read_bytes() == real.certificate_pem

    other = authority_issued_identity(ORG_NAME, authority_name="Another CA")
    (tmp_path / "office.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"office",
            load_pem_private_key(other.key_pem, None),
            x509.load_pem_x509_certificate(other.certificate_pem),
            [x509.load_pem_x509_certificate(other.chain_pem)],
            BestAvailableEncryption(b"p12-pass"),
        )
    )
    bad_password = saraban(
        "org", "certificate", "kokphutsa", "--p12", str(tmp_path / "office.p12"), "--password-stdin", stdin="nope\n"
    )
    assert bad_password.returncode == 2 and "wrong password" in bad_password.stderr
    from_p12 = saraban(
        "org", "certificate", "kokphutsa", "--p12", str(tmp_path / "office.p12"), "--password-stdin", stdin="p12-pass\n"
    )
    assert from_p12.returncode == 0, from_p12.stderr
    assert certificate_facts(cert_file(tmp_path).read_bytes()).sha256 == certificate_facts(other.certificate_pem).sha256
    assert (tmp_path / "home" / "keys" / "org-kokphutsa-signing.chain.pem").read_bytes() == other.chain_pem


def test_an_sao_loads_from_the_command_line_and_is_said_loaded_only_once_saved(saraban, tmp_path):
    """`org load` of an อบต. printed "loaded", then a traceback, and saved nothing."""
    spec = yaml.safe_load((ROOT / "examples" / "kokphutsa" / "organisation.yaml").read_text(encoding="utf-8"))
    spec["organisation"].update(code="bangkrathum", name="องค์การบริหารส่วนตำบลบางกระทุ่ม")
    (tmp_path / "sao.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    loaded = saraban("org", "load", "--demo", str(tmp_path / "sao.yaml"))
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.startswith("loaded bangkrathum: องค์การบริหารส่วนตำบลบางกระทุ่ม\n")
    shown = json.loads(saraban("org", "certificate", "bangkrathum", "--json").stdout)
    assert shown["subject"] == "CN=อบต.บางกระทุ่ม,O=องค์การบริหารส่วนตำบลบางกระทุ่ม,C=TH"
