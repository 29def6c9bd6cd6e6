"""Where a publication goes: the website, the notice board, and the organisation's social channels.

Publication opens one PublicationChannel row per place in its own transaction: the website is
posted by that very commit (the public page lists the announcement as soon
as it is committed), the notice board waits for the person who posts it, while each social channel starts
"pending" and is sent afterwards by services.publication.channel_posting, so that a channel that is down can
neither roll back nor hold up the publication.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import NotificationChannel, Organisation, Person, Publication, PublicationChannel
from models.clock import utcnow

log = logging.getLogger(__name__)

WEBSITE = "website"
NOTICE_BOARD = "notice-board"
RESERVED_NAMES = (WEBSITE, NOTICE_BOARD)
PUBLICATION_PURPOSES = ("publication", "all")  # a channel configured for digests only is left out

PENDING, SENDING, POSTED, FAILED = "pending", "sending", "posted", "failed"
UNSENT = (PENDING, FAILED)  # what a retry sends


@dataclass(frozen=True)
class ChannelStatus:
    """A channel as the officer and the assessor see it: never the Apprise URL, only its name."""

    channel: str
    status: str
    attempts: int
    last_error: str
    link: str
    posted_at: dt.datetime | None
    posted_by: str = ""  # the full name of the person who posted it (the notice board), else ""
    posted_on: dt.date | None = None


def public_page_link(org: Organisation) -> str:
    """<website_url>/public/<code>, or the site-relative /public/<code> when no website is configured."""
    return f"{org.website_url.rstrip('/')}/public/{org.code}"


def open_channels(session: Session, publication: Publication, org: Organisation) -> list[PublicationChannel]:
    """The rows of a new publication (which must have its id): the website posted; the notice
    board pending until the person who pins it up records it (services.publication.notice_board); each
    active social channel for publications pending (sent by services.publication.channel_posting)."""
    now = utcnow()
    link = public_page_link(org)
    rows = [
        PublicationChannel(publication_id=publication.id, channel=WEBSITE, status=POSTED, link=link, posted_at=now),
        PublicationChannel(publication_id=publication.id, channel=NOTICE_BOARD, status=PENDING),
    ]
    for channel in social_channels(session, org.id):
        rows.append(PublicationChannel(publication_id=publication.id, channel=channel.name, status=PENDING, link=link))
    session.add_all(rows)
    return rows


def social_channels(session: Session, organisation_id: int) -> list[NotificationChannel]:
    channels = session.exec(
        select(NotificationChannel)
        .where(
            NotificationChannel.organisation_id == organisation_id,
            NotificationChannel.active,
            col(NotificationChannel.purpose).in_(PUBLICATION_PURPOSES),
        )
        .order_by(NotificationChannel.name)
    ).all()
    kept = []
    for channel in channels:
        if channel.name in RESERVED_NAMES:  # the row would clash with the website or notice-board row
            log.warning(
                "notification channel %r is named like a built-in channel: not used for publications", channel.name
            )
            continue
        kept.append(channel)
    return kept


def channel_statuses(session: Session, publication_id: int) -> list[ChannelStatus]:
    """Website first, then the notice board, then the social channels by name."""
    rows = session.exec(select(PublicationChannel).where(PublicationChannel.publication_id == publication_id)).all()
    order = {name: rank for rank, name in enumerate(RESERVED_NAMES)}
    rows = sorted(rows, key=lambda row: (order.get(row.channel, len(order)), row.channel))
    return [
        ChannelStatus(
            r.channel,
            r.status,
            r.attempts,
            r.last_error,
            r.link,
            r.posted_at,
            _full_name(session, r.posted_by_id),
            r.posted_on,
        )
        for r in rows
    ]


def _full_name(session: Session, person_id: int | None) -> str:
    return session.get(Person, person_id).full_name if person_id else ""
