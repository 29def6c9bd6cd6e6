"""The one value every proofreading check returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProofreadWarning:
    """One finding for the proofreader (ทาน) to confirm or dismiss; never applied automatically.

    kind: short code, one of documents.proofread.KINDS.
    line, column: 1-based; column counts characters (code points), not bytes.
    text: the offending excerpt as it appears in the line.
    suggestion: what to change it to, or what to do.
    message: a short explanation in Thai for the officer.
    """

    kind: str
    line: int
    column: int
    text: str
    suggestion: str
    message: str
