"""The report memo (รายงาน ... เสนอเพื่อโปรดทราบ) as published: the memo form with its text and
the executive's acknowledgement (ทราบ), signed and dated, as the evidence that it was noted.

The memo file kept with it carries every minute of the route; this document is what the office
publishes: the report and who acknowledged it, in the regulation's memo layout (documents.docx.memo).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from documents.context import MemoContext
from documents.docx.continuation import ContinuationMark
from documents.docx.memo import build_memo_docx
from documents.docx.thai import DEFAULT_FONT
from models.decision_words import ACKNOWLEDGEMENT


def build_report_docx(
    ctx: MemoContext,
    *,
    font: str = DEFAULT_FONT,
    continuations: Sequence[ContinuationMark] = (),
) -> bytes:
    """The report with only its acknowledging minute; refused (ValueError) before one exists."""
    if not ctx.minutes or ctx.minutes[-1].approval != ACKNOWLEDGEMENT:
        raise ValueError("a report is published once its last step has acknowledged it (ทราบ)")
    acknowledged = dataclasses.replace(ctx, minutes=[ctx.minutes[-1]])
    return build_memo_docx(acknowledged, font=font, continuations=continuations)
