"""The announcement's words, rendered from Jinja2 templates chosen by organisation kind.

Templates live in documents/text/templates/<kind>/<template>.txt.j2 (kinds: municipality,
bangkok-district, educational-service-area) and render to a small block format: an "@name" line
opens a block, and inside a block every non-empty line is one paragraph:

    @subject            one line
    @preamble           one paragraph per line
    @measures_heading   one line, or nothing
    @measure            repeated, one per measure: its first line is numbered, the lines after it
                        are its explanation paragraphs
    @closing            one paragraph per line (the last is usually "จึงประกาศ...")

Plain text rather than YAML, because announcement text is full of ":" ("Assessment : ITA").

Template data (a mapping):
    organisation_name  required by every template: "เทศบาลตำบลโคกพุทรา"
    fiscal_year_be     required by bangkok-district/participation-measures: 2565 or "2565 - 2570",
                       printed in Thai digits
    subject, preamble (list), measures_heading, measures (list), closing
                       optional; each replaces the template's default wording
A variable a template needs but the data lacks raises jinja2.UndefinedError.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import jinja2.meta

from documents.context import AnnouncementContext, Signatory
from documents.thai_format import to_thai_digits

TEMPLATES_DIR = Path(__file__).parent / "templates"
TEMPLATE_SUFFIX = ".txt.j2"
KINDS = ("municipality", "bangkok-district", "educational-service-area")

# Autoescape off: the output is plain text for a .docx, and HTML escaping would corrupt it.
# StrictUndefined: a missing variable must fail loudly, not print an empty hole in an official text.
_ENVIRONMENT = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
    autoescape=False,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_ENVIRONMENT.filters["thai_digits"] = to_thai_digits

_SINGLE_LINE_BLOCKS = ("subject", "measures_heading")
_BLOCKS = ("subject", "preamble", "measures_heading", "measure", "closing")


@dataclass(frozen=True)
class AnnouncementText:
    """The rendered words of an announcement, before date and signatory are added."""

    organisation_name: str
    subject: str
    preamble: list[str] = field(default_factory=list)
    measures_heading: str = ""
    measures: list[str] = field(default_factory=list)  # "\n" separates a measure's paragraphs
    closing: str = ""  # "\n" separates paragraphs
    # What the words are of (models.document_kinds) when not an announcement: "order", "circular"
    # or "report"; and a circular's addressee (เรียน). Both "" for an announcement, and then left
    # out of the hashed JSON (services.printing.rendering.words_json), so its hash is as before.
    kind: str = ""
    addressee: str = ""


# What a draft's data may give: its own wording for any template's blocks, and what the template
# itself asks for. Never the organisation: the issuing authority is the office's own.
WORDING_KEYS = frozenset({"subject", "preamble", "measures_heading", "measures", "closing"})
OFFICE_KEYS = frozenset({"organisation_name"})


def _environment(override_dir: Path | None) -> jinja2.Environment:
    if override_dir is None:
        return _ENVIRONMENT
    # overlay shares the configuration and filters; only the search path changes.
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(override_dir), jinja2.FileSystemLoader(TEMPLATES_DIR)])
    return _ENVIRONMENT.overlay(loader=loader)


def render_announcement_text(
    kind: str, template: str, data: Mapping[str, Any], override_dir: Path | None = None
) -> AnnouncementText:
    """Render <kind>/<template>, looking in override_dir (same layout) before the built-in ones."""
    rendered = _environment(override_dir).get_template(f"{kind}/{template}{TEMPLATE_SUFFIX}").render(data)
    return parse_announcement_text(rendered, organisation_name=data["organisation_name"])


def template_variables(kind: str, template: str, override_dir: Path | None = None) -> frozenset[str]:
    """Every variable <kind>/<template> reads, with the templates it extends or includes."""
    environment = _environment(override_dir)
    found: set[str] = set()
    pending, seen = [f"{kind}/{template}{TEMPLATE_SUFFIX}"], set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        assert environment.loader is not None
        source = environment.loader.get_source(environment, name)[0]
        parsed = environment.parse(source)
        found |= jinja2.meta.find_undeclared_variables(parsed)
        pending += [t for t in jinja2.meta.find_referenced_templates(parsed) if t]
    return frozenset(found)


def data_not_for(kind: str, template: str, data: Mapping[str, Any], override_dir: Path | None = None) -> list[str]:
    """The keys of a draft's data that <kind>/<template> does not take: a name it does not read,
    or the organisation's own (which only the office sets)."""
    accepted = (template_variables(kind, template, override_dir) | WORDING_KEYS) - OFFICE_KEYS
    return sorted(key for key in data if key not in accepted)


def parse_announcement_text(rendered: str, *, organisation_name: str) -> AnnouncementText:
    """Turn the block format into an AnnouncementText; unknown blocks are template mistakes."""
    blocks: list[tuple[str, list[str]]] = []
    for line in (raw.strip() for raw in rendered.splitlines()):
        if line.startswith("@"):
            name = line[1:]
            if name not in _BLOCKS:
                raise ValueError(f"unknown block {line!r} in announcement template output")
            blocks.append((name, []))
        elif line:
            if not blocks:
                raise ValueError(f"text before the first @block: {line!r}")
            blocks[-1][1].append(line)
    return _assemble(blocks, organisation_name)


def _assemble(blocks: list[tuple[str, list[str]]], organisation_name: str) -> AnnouncementText:
    single = {name: " ".join(lines) for name, lines in blocks if name in _SINGLE_LINE_BLOCKS}
    preamble = [p for name, lines in blocks if name == "preamble" for p in lines]
    measures = ["\n".join(lines) for name, lines in blocks if name == "measure" and lines]
    closing = [p for name, lines in blocks if name == "closing" for p in lines]
    if not single.get("subject"):
        raise ValueError("announcement template rendered no subject")
    return AnnouncementText(
        organisation_name=organisation_name,
        subject=single["subject"],
        preamble=preamble,
        measures_heading=single.get("measures_heading", ""),
        measures=measures,
        closing="\n".join(closing),
    )


def announcement_context(
    text: AnnouncementText,
    *,
    date: dt.date,
    signatory: Signatory,
    garuda_image: bytes | None = None,
    garuda_preprinted: bool = False,
) -> AnnouncementContext:
    """The builder's context: the rendered words plus the date, the signer and the emblem."""
    return AnnouncementContext(
        kind=text.kind,
        addressee=text.addressee,
        organisation_name=text.organisation_name,
        subject=text.subject,
        preamble=list(text.preamble),
        measures_heading=text.measures_heading,
        measures=list(text.measures),
        closing=text.closing,
        date=date,
        signatory=signatory,
        garuda_image=garuda_image,
        garuda_preprinted=garuda_preprinted,
    )
