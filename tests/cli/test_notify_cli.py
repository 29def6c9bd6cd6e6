"""`saraban account notify` and `saraban notify-send` as a person and an operator use them: the
choice is shown and changed, and one round of the sender posts the notice to a real receiver."""

from sqlmodel import select

from models import NotificationChannel, Organisation
from models.db import make_engine, session_scope
from tests.builders import PIN
from tests.cli.conftest import EXAMPLES
from tests.services.conftest import only_localhost, webhook_factory  # noqa: F401 - fixtures


def test_a_person_sees_and_changes_how_they_hear_of_work(saraban):  # noqa: F811
    shown = saraban("account", "notify", "--as", "kanokporn")
    assert shown.returncode == 0 and "both" in shown.stdout and "none: ask the administrator" in shown.stdout
    changed = saraban("account", "notify", "--as", "kanokporn", "--mode", "digest")
    assert changed.returncode == 0 and "digest - สรุปประจำวันเท่านั้น" in changed.stdout
    wrong = saraban("account", "notify", "--as", "kanokporn", "--mode", "hourly")
    assert wrong.returncode == 2 and "choose one of" in wrong.stderr
    assert "digest" in saraban("account", "notify", "--as", "kanokporn").stdout


def test_one_round_of_the_sender_posts_the_typists_notice_once(saraban, tmp_path, webhook_factory):  # noqa: F811
    receiver = webhook_factory()
    engine = make_engine(f"sqlite:///{tmp_path / 'home' / 'saraban.db'}")
    with session_scope(engine) as session:
        org_id = session.exec(select(Organisation.id)).one()
        session.add(
            NotificationChannel(
                organisation_id=org_id,
                name="webhook พิมพ์",
                url=receiver.channel_url(),
                recipient_username="wanna",
                purpose="all",
            )
        )
    engine.dispose()
    submit = saraban("memo", "submit", str(EXAMPLES / "memo-004.yaml"), "--as", "somying", "--pin-stdin", pin=PIN)
    assert submit.returncode == 0, submit.stderr
    first = saraban("notify-send", "--once")
    assert first.returncode == 0 and "sent 1, failed 0" in first.stdout, first.stderr
    assert saraban("notify-send", "--once").stdout.startswith("sent 0")
    assert len(receiver.requests) == 1 and "/memos/1" in receiver.requests[0][1]["message"]
