"""Example announcements that reproduce the seed documents, one YAML file each.

An example names its template (kind, template), the template data, the date and the signatory, so
the same file shows an organisation how to configure its own announcement.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from documents.context import AnnouncementContext, Capacity, Signatory
from documents.text.announcement_text import (
    AnnouncementText,
    announcement_context,
    render_announcement_text,
)

EXAMPLES_DIR = Path(__file__).parent / "examples"


def example_names() -> list[str]:
    """The examples available, e.g. "municipality-004"."""
    return sorted(path.stem for path in EXAMPLES_DIR.glob("*.yaml"))


def load_example(name: str) -> dict[str, Any]:
    """The raw example: kind, template, date, signatory, data."""
    return yaml.safe_load((EXAMPLES_DIR / f"{name}.yaml").read_text(encoding="utf-8"))


def render_example_text(name: str) -> AnnouncementText:
    example = load_example(name)
    return render_announcement_text(example["kind"], example["template"], example["data"])


def load_announcement_example(name: str, *, garuda_image: bytes | None = None) -> AnnouncementContext:
    """The complete announcement context of an example, ready for build_announcement_docx."""
    example = load_example(name)
    return announcement_context(
        render_example_text(name),
        date=example["date"],
        signatory=signatory_from_mapping(example["signatory"]),
        garuda_image=garuda_image,
    )


def signatory_from_mapping(values: dict[str, Any]) -> Signatory:
    """A Signatory from YAML; capacity is given by its Thai word (or "self", the default)."""
    fields = dict(values)
    fields["capacity"] = Capacity(fields.get("capacity", Capacity.SELF))
    return Signatory(**fields)
