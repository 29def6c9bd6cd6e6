"""The daily round for every organisation: escalate long-overdue steps, send the digests, and
remind those who have not acknowledged a circular (services.acknowledgements.reminders).

Scheduled on weekday mornings; an organisation's holiday is recognised inside the round, which
then does nothing for it.
"""

from dataclasses import asdict

from prefect import flow, task
from sqlmodel import select

from models import Organisation
from models.db import session_scope
from services.acknowledgements.reminders import remind_unacknowledged
from services.notices.reminders import daily_round
from workflows.names import REMINDERS_FLOW


@task(name="remind-organisation", retries=2, retry_delay_seconds=60)
def remind_organisation(code: str) -> dict:
    report = asdict(daily_round(code))
    # Once a day per person, whichever run comes first: a retried task sends no second reminder.
    report["acknowledgements"] = asdict(remind_unacknowledged(code))
    return report


@flow(name=REMINDERS_FLOW)
def daily_reminders(organisation: str | None = None) -> list[dict]:
    with session_scope() as session:
        query = select(Organisation.code)
        if organisation:
            query = query.where(Organisation.code == organisation)
        codes = list(session.exec(query))
    return [remind_organisation(code) for code in codes]
