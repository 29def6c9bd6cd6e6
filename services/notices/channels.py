"""A person's own channels, and claiming outbox rows: shared by every notice the sender sends."""

import datetime as dt

from sqlalchemy import update
from sqlmodel import Session, select

from models import NotificationChannel, Person
from models.notification import PERSONAL_PURPOSES, usable_personal_channel

CLAIM_SECONDS = 60
__all__ = ["PERSONAL_PURPOSES", "claim_rows", "personal_channels"]  # a person's own carry their work notices


def personal_channels(session: Session, person: Person) -> list[NotificationChannel]:
    return list(
        session.exec(
            select(NotificationChannel)
            .where(*usable_personal_channel(person.organisation_id, person.username))  # confirmed ones only
            .order_by(NotificationChannel.id)
        )
    )


def claim_rows(session: Session, table, ids_query, now: dt.datetime) -> list:  # noqa: ANN001
    """The rows `ids_query` finds, locked past other senders (SKIP LOCKED) and claimed for
    CLAIM_SECONDS: a sender that dies mid-send leaves them to the next once the claim expires."""
    ids = list(session.exec(ids_query.with_for_update(skip_locked=True)))
    if not ids:
        return []
    session.exec(update(table).where(table.id.in_(ids)).values(claimed_until=now + dt.timedelta(seconds=CLAIM_SECONDS)))
    return list(session.exec(select(table).where(table.id.in_(ids)).order_by(table.id)))
