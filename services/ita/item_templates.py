"""Which of an item's templates (the catalogue's `documents.templates`) an organisation has: the
year opening starts a draft from the first it has, and a load names those it has none of, since
their drafts would start as a general announcement instead."""

import functools

from documents.text.announcement_catalogue import announcement_choices
from models import Organisation
from services.printing.announcement_kinds import choices_for
from services.printing.template_overrides import template_override_dir


@functools.cache
def _shipped_templates(kind: str) -> frozenset[str]:
    """The template names shipped for a kind of organisation: code, read once per process."""
    return frozenset(choice.name for choice in announcement_choices(kind))


def known_templates(org: Organisation) -> set[str]:
    """The template names the organisation has: those shipped for its kind, and its own (read
    afresh: an office may add one at any time)."""
    if template_override_dir(org) is None:
        return set(_shipped_templates(org.kind))
    return {choice.name for choice in choices_for(org)}


def missing_templates(org: Organisation, named: dict[str, list[str]]) -> dict[str, list[str]]:
    """Of each item's templates (code -> names), those the organisation does not have, for the
    items that name templates and have none of them."""
    known = known_templates(org)
    return {code: names for code, names in named.items() if names and not any(n.strip() in known for n in names)}
