"""`saraban verify FILE`: is a downloaded file the published one, unaltered, and who approved it.
A file of signed chain heads (.json, from /public/<code>/heads) is checked by cli.verify_heads.

Exit codes: 0 genuine, 1 altered, cancelled or never published (the reason is printed), 2 unreadable file.
"""

import datetime as dt
import logging
from pathlib import Path

import pendulum
import typer
from sqlalchemy.exc import OperationalError

from cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_REFUSED, print_json
from cli.verify_heads import looks_like_heads_file, verify_heads
from documents.pdf.signature import SignatureCheck
from documents.thai_format import thai_date_short, to_thai_digits
from models.clock import OFFICE_TZ, office_date
from models.db import read_scope
from services.publication.public import Approval
from services.publication.verification import GENUINE, KINDS, FileVerification, PublishedMatch, verify_file

VERDICTS = {
    "genuine": "ไฟล์แท้ ตรงกับที่เผยแพร่และไม่ถูกแก้ไข (GENUINE: the published file, unaltered)",
    "altered": "ไฟล์ถูกแก้ไข (ALTERED: do not rely on this file)",
    "cancelled": "ไฟล์แท้ แต่ประกาศนี้ถูกยกเลิกแล้ว (CANCELLED: the published file, but the announcement no longer holds)",
    "superseded": "ไฟล์แท้ แต่มีประกาศใหม่แทนที่แล้ว (SUPERSEDED: the published file, replaced by a later announcement)",
    "unknown": "ไม่ใช่ไฟล์ที่เผยแพร่ (UNKNOWN: never published here)",
}
CAPACITIES = {
    "self": "ตนเอง (self)",
    "ปฏิบัติหน้าที่": "ปฏิบัติหน้าที่ (performing the duties)",
    "รักษาราชการแทน": "รักษาราชการแทน (acting in place)",
    "ปฏิบัติราชการแทน": "ปฏิบัติราชการแทน (on behalf)",
}


def verify(
    file: Path = typer.Argument(
        ..., help="a downloaded announcement or memo (.pdf or .docx), or a file of signed chain heads (.json)"
    ),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Tell whether FILE is a published file, unaltered (its PDF signature), and who approved it;
    for a file of signed chain heads, whether history was rewritten after them."""
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)  # its own tracebacks: the verdict says it
    try:
        data = file.read_bytes()
    except OSError as error:
        typer.echo(f"อ่านไฟล์ {file} ไม่ได้ (cannot read {file}: {error.strerror})", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error
    if looks_like_heads_file(file.name, data):
        verify_heads(data, as_json=as_json)
    try:
        with read_scope() as session:
            result = verify_file(session, data)
    except OperationalError as error:
        typer.echo(
            f"เปิดฐานข้อมูลของ Saraban ไม่ได้ ตั้งค่า SARABAN_HOME หรือ SARABAN_DATABASE_URL (cannot open the "
            f"Saraban database: set SARABAN_HOME or SARABAN_DATABASE_URL): {error.orig}",
            err=True,
        )
        raise typer.Exit(EXIT_BAD_INPUT) from error
    if as_json:
        print_json(result)
    else:
        typer.echo("\n".join(report_lines(file, result)))
    raise typer.Exit(EXIT_OK if result.verdict == GENUINE else EXIT_REFUSED)


def report_lines(file: Path, result: FileVerification) -> list[str]:
    lines = [f"ไฟล์ (file): {file}", f"SHA-256: {result.sha256}", ""]
    mark = "✔" if result.published else "✘"
    lines.append(f"{mark} {result.reason}")
    if result.published:
        lines += _published_lines(result.published)
    if result.signature is not None:
        lines += _signature_lines(result.signature, result.published)
    if result.approvals:
        lines.append("ผู้อนุมัติ (approved by):")
        lines += [_approval_line(a) for a in result.approvals]
    lines += ["", f"ผล (verdict): {VERDICTS[result.verdict]}"]
    return lines


def _published_lines(match: PublishedMatch) -> list[str]:
    return [
        f"  {KINDS[match.kind]} · {match.organisation} · ที่ {match.register_number}",
        f"  เรื่อง (subject): {match.subject}",
        f"  เผยแพร่เมื่อ (published): {_when(match.published_at)} · {match.public_page}",
    ]


def _signature_lines(check: SignatureCheck, match: PublishedMatch | None) -> list[str]:
    if not check.signed:
        return [f"✘ {check.problem}"]
    if check.good:
        lines = [
            "✔ ลายมือชื่ออิเล็กทรอนิกส์ถูกต้องตามใบรับรองของหน่วยงาน ไฟล์ไม่ถูกแก้ไข (unaltered: the PDF "
            "signature is intact and valid against the organisation's certificate)"
        ]
    else:
        lines = [f"✘ {check.problem}" if check.problem else "✘ ลายมือชื่อไม่ถูกต้อง (the signature is not valid)"]
    if check.signer is not None:
        lines += [
            f"  ผู้ลงนาม (signed by): {check.signer.subject}",
            f"  ลายนิ้วมือใบรับรอง SHA-256 (certificate fingerprint): {check.signer.sha256}",
        ]
        if check.signer.self_signed:
            page = match.public_page if match else "หน้าประกาศของหน่วยงาน (the organisation's public page)"
            lines.append(
                f"  ใบรับรองที่หน่วยงานออกเอง (self-signed): เทียบลายนิ้วมือนี้กับที่ {page} "
                "(compare this fingerprint with the one on the public page)"
            )
        else:
            lines.append(f"  ออกโดย (issued by): {check.signer.issuer}")
    if check.signed_at:
        lines.append(f"  ลงนามเมื่อ (signed at, the signer's clock): {_when(check.signed_at)}")
    return lines


def _approval_line(approval: Approval) -> str:
    capacity = CAPACITIES.get(approval.capacity, approval.capacity) + (" (escalated)" if approval.escalated else "")
    # The name with its rank, and the title as the signature block prints them.
    printed = f"{approval.signer_as_printed} {approval.printed_title}".strip()
    line = (
        f"  ขั้นที่ {to_thai_digits(approval.step + 1)} {approval.position}: {printed} · {capacity} · {_when(approval.at)}"
    )
    return line if approval.minute is None else f"{line} · “{approval.minute}”"


def _when(moment: dt.datetime) -> str:
    local = pendulum.instance(moment).in_timezone(OFFICE_TZ)
    return f"{thai_date_short(office_date(moment))} {to_thai_digits(local.format('HH:mm'))} น. ({local.isoformat()})"
