"""An ITA item's publications over time: the one its work's memo produced, then each announcement
that superseded it (PublicationCancellation.superseded_by_id), in order. The last one not
cancelled is in force; the others are the item's history. This is why the item's public address
never changes: it names the item, and the item follows the chain to whatever replaced its document.
"""

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from models import Publication, PublicationCancellation

MAX_LINKS = 100  # a chain of replacements longer than this is a loop in damaged records: stop


@dataclass
class PublicationLine:
    in_force: Publication | None  # None when the last one was cancelled (not superseded)
    history: list[tuple[Publication, PublicationCancellation]] = field(default_factory=list)  # oldest first


def publication_lines(session: Session, memo_ids: list[int]) -> dict[int, PublicationLine]:
    """For each memo that was published: its publication's line of replacements."""
    firsts = session.exec(select(Publication).where(col(Publication.memo_id).in_(memo_ids))).all()
    publications: dict[int, Publication] = {p.id: p for p in firsts if p.id is not None}
    cancellations: dict[int, PublicationCancellation] = {}
    wanted: set[int] = set(publications)
    for _ in range(MAX_LINKS):
        found = session.exec(
            select(PublicationCancellation).where(col(PublicationCancellation.publication_id).in_(wanted))
        ).all()
        cancellations.update({c.publication_id: c for c in found})
        later = {c.superseded_by_id for c in found if c.superseded_by_id is not None} - set(publications)
        if not later:
            break
        replacements = session.exec(select(Publication).where(col(Publication.id).in_(later)))
        publications.update({p.id: p for p in replacements if p.id is not None})
        wanted = later
    return {first.memo_id: _line(first, publications, cancellations) for first in firsts}


def _line(first: Publication, publications: dict, cancellations: dict[int, PublicationCancellation]) -> PublicationLine:
    line = PublicationLine(None)
    current: Publication | None = first
    seen: set[int] = set()
    while current is not None and current.id not in seen:
        seen.add(current.id)
        cancelled = cancellations.get(current.id)
        if cancelled is None:
            line.in_force = current
            break
        line.history.append((current, cancelled))
        current = publications.get(cancelled.superseded_by_id) if cancelled.superseded_by_id else None
    return line
