"""The announcement kinds a drafter chooses from, each by its Thai title.

The general announcement (written in full by the drafter) comes first; then the templates of the
organisation's kind, its own templates (<SARABAN_HOME>/templates/<code>/<kind>/) included. A
template names itself in its leading comment ("ชื่อแบบ: ..."); one without that line is named by
the subject its source gives, so a slug is never what a person reads.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from documents.text.announcement_text import TEMPLATE_SUFFIX, TEMPLATES_DIR
from models.draft import GENERAL, GENERAL_TITLE

UNNAMED_TITLE = "แบบประกาศของหน่วยงาน"
_TITLE_LINE = re.compile(r"ชื่อแบบ:\s*(.+?)\s*$", re.MULTILINE)
_SUBJECT_BLOCK = re.compile(r"{%\s*block subject\s*%}\s*(.+?)\s*{%\s*endblock", re.DOTALL)
_EXPRESSION = re.compile(r"{{.*?}}|{%.*?%}")


@dataclass(frozen=True)
class AnnouncementChoice:
    name: str  # what a draft stores: GENERAL or the template's file name without its suffix
    title: str  # what a person reads


def announcement_choices(kind: str, override_dir: Path | None = None) -> list[AnnouncementChoice]:
    files = {p.name.removesuffix(TEMPLATE_SUFFIX): p for p in _template_files(TEMPLATES_DIR / kind)}
    if override_dir is not None:
        files |= {p.name.removesuffix(TEMPLATE_SUFFIX): p for p in _template_files(override_dir / kind)}
    templates = sorted(
        (AnnouncementChoice(name, _title_of(path)) for name, path in files.items()), key=lambda choice: choice.title
    )
    return [AnnouncementChoice(GENERAL, GENERAL_TITLE), *templates]


def choice_title(choices: list[AnnouncementChoice], name: str) -> str:
    """The Thai title of `name` among `choices` (a template since removed: the unnamed title)."""
    return next((c.title for c in choices if c.name == name), UNNAMED_TITLE)


def choice_named(choices: list[AnnouncementChoice], given: str) -> AnnouncementChoice | None:
    """The choice a person named by its Thai title (or, from a file written before, its name)."""
    given = " ".join(given.split())
    return next((c for c in choices if given in (c.title, c.name)), None)


def _template_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"*{TEMPLATE_SUFFIX}")) if folder.is_dir() else []


def _title_of(path: Path) -> str:
    source = path.read_text(encoding="utf-8")
    if named := _TITLE_LINE.search(source):
        return named[1]
    if subject := _SUBJECT_BLOCK.search(source):
        words = " ".join(_EXPRESSION.sub("", subject[1]).split())
        if words:
            return words
    return UNNAMED_TITLE
