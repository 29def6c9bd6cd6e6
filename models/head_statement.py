"""Signed chain heads: an organisation's public, signed statement of where the audit chain stood.

The audit chain's MACs are keyed by a secret of the instance: whoever holds that key (and the
database) can rewrite history and recompute every MAC. A head statement closes that door for
whoever kept one. It says, in canonical JSON, "organisation X saw the chain at entry SEQ with MAC
HEAD, after the statement whose SHA-256 is PREVIOUS", and is signed with the organisation's own
signing key (the one its PDFs are PAdES-signed with, whose certificate is public). Each statement
names the SHA-256 of the organisation's previous one, so the statements form a signed hash chain
of their own. Rewriting history then leaves a proof: a statement a citizen already holds names a
head the chain no longer has, or two statements of the same office disagree, both signed by it.

The row is insert-only and covered by the audit chain (models.audit_records). `statement` keeps
the exact text that was signed: verification hashes and checks those bytes, never a re-encoding.
"""

import datetime as dt
import hashlib
import json

from sqlmodel import Field, SQLModel, UniqueConstraint

FORMAT = "saraban-head/1"  # names what the bytes are, so that a signature over them means nothing else


# One signed statement of the chain's head, by one organisation. Insert-only (0022).
class HeadStatement(SQLModel, table=True):
    # One statement per organisation and head, and one successor per statement: the statements of
    # an organisation can only be a line, never a fork (the first names "" as its previous).
    __table_args__ = (
        UniqueConstraint("organisation_id", "seq"),
        UniqueConstraint("organisation_id", "previous_sha256"),
    )
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    seq: int  # the audit entry the statement names (the chain's head when it was made)
    head: str  # that entry's MAC
    previous_sha256: str  # SHA-256 of the organisation's previous statement; "" for its first
    made_at: dt.datetime
    statement: str  # the canonical JSON that was signed (UTF-8), as published
    sha256: str  # of `statement`: what the next statement names
    signature: str  # base64 of the signature over `statement`
    certificate_pem: str  # the certificate whose key signed it
    certificate_sha256: str  # "AB:CD:...", as the PDFs' certificate is shown
    # An RFC 3161 time-stamp token (base64 DER) over `sha256`, when a time-stamping authority was
    # configured and answered; "" otherwise.
    timestamp_token: str = ""
    publication_id: int | None = Field(default=None, foreign_key="publication.id")  # made when it was published


def statement_text(
    *, organisation: str, seq: int, head: str, previous_sha256: str, made_at: dt.datetime, certificate_sha256: str
) -> str:
    """The canonical JSON a statement signs: sorted keys, no spaces, UTC time with seconds."""
    return json.dumps(
        {
            "format": FORMAT,
            "organisation": organisation,
            "seq": seq,
            "head": head,
            "previous": previous_sha256,
            "made_at": made_at.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
            "certificate_sha256": certificate_sha256,
        },
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    )


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class BadStatement(ValueError):
    """A statement's text that is not one this format makes."""


def read_statement(text: str) -> dict:
    """The fields of a statement's text, refused unless the text is exactly the canonical form of
    them: a statement re-encoded (other spacing, order or escapes) hashes differently, and its
    successor would no longer name it."""
    try:
        fields = json.loads(text)
    except ValueError as error:
        raise BadStatement(f"ข้อความรับรองไม่ใช่ JSON (the statement is not JSON): {error}") from error
    expected = {"format", "organisation", "seq", "head", "previous", "made_at", "certificate_sha256"}
    if not isinstance(fields, dict) or set(fields) != expected or fields["format"] != FORMAT:
        raise BadStatement(f"ไม่ใช่ข้อความรับรองหัวห่วงโซ่ (not a {FORMAT} statement)")
    if not isinstance(fields["seq"], int) or not all(isinstance(fields[k], str) for k in expected - {"seq"}):
        raise BadStatement(f"ข้อความรับรองมีค่าผิดชนิด (a field of the statement has the wrong type): {text[:120]}")
    canonical = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    if canonical != text:
        raise BadStatement("ข้อความรับรองไม่อยู่ในรูปมาตรฐาน (the statement is not in its canonical form)")
    return fields


DOCUMENT_FORMAT = "saraban-heads/1"  # the JSON file of statements the public page offers
