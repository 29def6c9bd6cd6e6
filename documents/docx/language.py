"""The language each run of text is tagged with, so that each program applies the right rules.

Word and LibreOffice take the language of a run's Latin letters from w:lang/@w:val and that of its
Thai letters (a complex script) from w:lang/@w:bidi. LibreOffice also breaks lines by that
language: Latin text tagged th-TH was cut inside words by Thai line breaking ("Assessme" / "nt" in
the 004 memo). So the document defaults are the usual setting of Thai offices (en-US for Latin,
th-TH for Thai), and the builders write every run in one script only, tagged explicitly:

- a Latin run (from its first Latin letter, with an opening bracket just before it, to its last
  Latin letter, digit or closing mark before Thai text resumes) is en-US;
- every other run is Thai, th-TH throughout: its spaces, digits and punctuation belong to Thai
  prose, and LibreOffice's "Context" numerals (documents.pdf.soffice) draw the digits of Thai-tagged text,
  the page number among them, as Thai digits.
"""

from __future__ import annotations

import re

LATIN_LANG = "en-US"
THAI_LANG = "th-TH"

# Languages per script, as w:lang attributes: val (Latin), eastAsia (CJK), bidi (complex scripts).
DEFAULT_LANGUAGES = {"val": LATIN_LANG, "eastAsia": LATIN_LANG, "bidi": THAI_LANG}
LATIN_RUN_LANGUAGES = DEFAULT_LANGUAGES
THAI_RUN_LANGUAGES = {"val": THAI_LANG, "eastAsia": THAI_LANG, "bidi": THAI_LANG}

THAI_LETTER = re.compile("[\u0e01-\u0e4e]")
LATIN_LETTER = re.compile("[A-Za-z]")
# Greedy over non-Thai characters, then backs off to the last character a Latin phrase can end
# with, so that "(Integrity And Transparency Assessment : ITA) ประจำปี" gives up ") " no further
# than ")".
_LATIN_SPAN = re.compile("[(\\[\u201c\"'\u2018]?[A-Za-z](?:[^\u0e00-\u0e7f]*[A-Za-z0-9.)\\]\u201d\"'\u2019%])?")


def script_segments(text: str) -> list[tuple[str, bool]]:
    """`text` cut into (segment, is_latin) pieces, in order; joined they give `text` back."""
    segments: list[tuple[str, bool]] = []
    position = 0
    for match in _LATIN_SPAN.finditer(text):
        if match.start() > position:
            segments.append((text[position : match.start()], False))
        segments.append((match.group(), True))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], False))
    return segments


def run_languages(latin: bool) -> dict[str, str]:
    return LATIN_RUN_LANGUAGES if latin else THAI_RUN_LANGUAGES


def language_attributes_xml(latin: bool) -> str:
    """The attributes of <w:lang .../> for a run, for builders that write run XML themselves."""
    return " ".join(f'w:{name}="{value}"' for name, value in run_languages(latin).items())
