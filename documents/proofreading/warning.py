"""The one value every proofreading check returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class ProofreadWarning:
    """One finding for the proofreader (ทาน) to confirm or dismiss; never applied automatically.

    kind: short code, one of documents.proofreading.proofread.KINDS.
    line, column: 1-based; column counts characters (code points), not bytes. In a .docx the line
        is the paragraph (reading order, table cells in place).
    text: the offending excerpt as it appears in the line.
    suggestion: what to change it to, or what to do.
    message: a short explanation in Thai, with English in parentheses.
    document, section, paragraph, sentence: where a person finds it (documents.proofreading.passages):
        "memo" or "announcement", the part ("ข้อเท็จจริง", "ข้อ ๒"), the paragraph within that part
        (1-based) and the sentence around the finding. Empty (0) for plain text files.
    """

    kind: str
    line: int
    column: int
    text: str
    suggestion: str
    message: str
    document: str = ""
    section: str = ""
    paragraph: int = 0
    sentence: str = ""

    def as_dict(self) -> dict[str, str | int]:
        """JSON-able, for reports stored beside a memo and shown on its page."""
        return asdict(self)
