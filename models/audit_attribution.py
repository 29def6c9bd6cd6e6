"""Which organisation an audit entry belongs to, from its subject or else its actor.

Subjects name a memo ("memo:12"), an organisation ("organisation:kokphutsa") or a person
("person:7"); anything else ("web" for a refused login) belongs to the actor's organisation, or
to none when the actor is no known person. Migration 0008 fills older entries by the same rules.
"""

from sqlmodel import Session, select

from models.memo import Memo
from models.organisation import Organisation, Person


def organisation_of(session: Session, subject: str, actor: str) -> int | None:
    kind, _, key = subject.partition(":")
    if kind == "memo" and key.isdigit():
        return session.exec(select(Memo.organisation_id).where(Memo.id == int(key))).first()
    if kind == "organisation":
        return session.exec(select(Organisation.id).where(Organisation.code == key)).first()
    if kind == "person" and key.isdigit():
        return session.exec(select(Person.organisation_id).where(Person.id == int(key))).first()
    return session.exec(select(Person.organisation_id).where(Person.username == actor)).first()
