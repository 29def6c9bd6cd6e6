"""`saraban verify heads.json`: a file of signed chain heads (as the public page gives it).

The file alone is checked first (signatures, time-stamps, links): that needs no database. Then,
when this machine has the instance's database, each statement against the organisation's
certificates, its own statements and the audit chain.

Exit codes: 0 genuine (or, without the database, signed as the file says), 1 forged or
history rewritten (the reasons are printed), 2 a file that is not a statements file, or an
organisation this instance does not have.
"""

import dataclasses
import datetime as dt

import pendulum
import typer
from sqlalchemy.exc import OperationalError

from cli.common import EXIT_BAD_INPUT, EXIT_OK, EXIT_REFUSED, print_json
from documents.thai_format import thai_date_short, to_thai_digits
from models.clock import OFFICE_TZ, office_date
from models.db import read_scope
from services.audit.head_check import (
    FORGED,
    GENUINE,
    REWRITTEN,
    SIGNED,
    BadHeadsFile,
    HeadsReport,
    StatementCheck,
    UnknownOrganisation,
    check_file,
    check_on_instance,
    read_heads_file,
)

VERDICTS = {
    GENUINE: "ประวัติไม่ถูกเขียนใหม่หลังหัวห่วงโซ่เหล่านี้ (GENUINE: history was not rewritten after these heads)",
    SIGNED: "ลายมือชื่อถูกต้อง แต่ยังไม่ได้เทียบกับระบบ ให้เทียบลายนิ้วมือใบรับรองกับหน้าประกาศของหน่วยงาน "
    "(SIGNED: the signatures verify, but nothing was compared with the instance; compare the certificate "
    "fingerprint with the organisation's public page)",
    REWRITTEN: "ประวัติถูกเขียนใหม่หลังหัวห่วงโซ่ที่ท่านถือ (REWRITTEN: history was rewritten after a head you hold)",
    FORGED: "ข้อความรับรองปลอมหรือถูกแก้ไข (FORGED: a statement is not the office's, or was edited)",
}


def looks_like_heads_file(name: str, data: bytes) -> bool:
    return name.lower().endswith(".json") or data.lstrip()[:1] == b"{"


def verify_heads(data: bytes, *, as_json: bool) -> None:
    try:
        report = check_file(read_heads_file(data))
    except BadHeadsFile as error:
        typer.echo(f"ข้อมูลไม่ถูกต้อง (bad input): {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error
    try:
        with read_scope() as session:
            report = check_on_instance(session, report)
    except UnknownOrganisation as error:
        typer.echo(f"ข้อมูลไม่ถูกต้อง (bad input): {error}", err=True)
        raise typer.Exit(EXIT_BAD_INPUT) from error
    except OperationalError:
        pass  # no database here: what the file proves by itself is still worth saying
    if as_json:
        print_json({"verdict": report.verdict, **dataclasses.asdict(report)})
    else:
        typer.echo("\n".join(report_lines(report)))
    raise typer.Exit(EXIT_OK if report.verdict in (GENUINE, SIGNED) else EXIT_REFUSED)


def report_lines(report: HeadsReport) -> list[str]:
    lines = [f"หน่วยงาน (organisation): {report.organisation}", ""]
    for check in report.statements:
        lines += _statement_lines(check)
    if not report.on_instance:
        lines.append(
            "ไม่ได้เทียบกับฐานข้อมูล (not compared with the instance: no Saraban database here; "
            "set SARABAN_HOME or SARABAN_DATABASE_URL on the instance to compare)"
        )
    elif report.instance_problems:
        lines.append("บันทึกการตรวจสอบในระบบมีปัญหา (the instance's audit trail has problems):")
        lines += [f"  {problem}" for problem in report.instance_problems]
    lines += ["", f"ผล (verdict): {VERDICTS[report.verdict]}"]
    return lines


def _statement_lines(check: StatementCheck) -> list[str]:
    mark = "✔" if check.verdict in (GENUINE, SIGNED) else "✘"
    lines = [f"{mark} หัวห่วงโซ่ (chain head) {check.seq}:{check.head[:16]} · SHA-256 {check.sha256[:16]}"]
    if check.made_at:
        lines.append(f"  ลงนามเมื่อ (signed at, the office's clock): {_when(dt.datetime.fromisoformat(check.made_at))}")
    if check.certificate_subject:
        lines.append(f"  ผู้ลงนาม (signed by): {check.certificate_subject}")
        lines.append(f"  ลายนิ้วมือใบรับรอง SHA-256 (certificate fingerprint): {check.certificate_sha256}")
    if check.timestamp is not None and check.timestamp.time is not None:
        lines.append(
            f"  ตราประทับเวลา RFC 3161 (time-stamp): {_when(check.timestamp.time)} · {check.timestamp.tsa or '?'}"
        )
    lines += [f"  {reason}" for reason in check.reasons]
    return [*lines, ""]


def _when(moment: dt.datetime) -> str:
    local = pendulum.instance(moment).in_timezone(OFFICE_TZ)
    return f"{thai_date_short(office_date(moment))} {to_thai_digits(local.format('HH:mm'))} น. ({local.isoformat()})"
