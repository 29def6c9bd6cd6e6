"""Every page of the web app, as each person who may see it, at 1366×900 and 390×844, in
Debian's Chromium on the real stack: a screenshot in test-artifacts/browser/, no sideways
scroll, and no serious or critical axe-core violation (tests/web/page_checks.py).

The pages are found from the app's own routes (GET routes that answer HTML), so a page added
later is checked without editing this file, or fails loudly when it needs a path parameter this
module cannot fill (add it to PARAMETERS) or a GET route is neither a page nor listed in
NOT_PAGES. Path parameters come from memos driven through the chain by the domain functions:
a saved draft, one at the ตรวจ stage, one in review, one returned, one published after a return
and a revision. Each page is visited by the public (no login), the officer, the signer and the
administrator; a page the public may see is checked once, as the public (it is the same page)."""

import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.responses import HTMLResponse
from fastapi.routing import iter_route_contexts
from playwright.sync_api import Page, expect
from sqlmodel import select

from cli.demo import draft_004, play_004
from deployments.local_server import free_port
from deployments.stack import deliverer_thread
from models import (
    Chain,
    Delegation,
    ItaItem,
    ItaWork,
    ItaWorkMemo,
    Memo,
    Person,
    Position,
    Publication,
    SavedDraft,
    Unit,
    audit,
)
from models.db import default_engine, session_scope
from models.enums import DecisionKind, Stage
from models.fiscal import fiscal_year_label
from services.acknowledgements.asking import ask_staff_to_acknowledge
from services.ita.catalogue_format import read_catalogue_file
from services.ita.catalogue_load import adopt_catalogue, organisation_named
from services.memo_life.memos import record_stage
from services.outbox.flow_signals import wait_until_done
from tests.builders import PIN, sign, submitted_memo
from tests.web.page_checks import problems_of
from tests.web.test_browser import browser  # noqa: F401  (the module's Chromium fixture)
from web.app import create_app
from web.forms import MemoForm
from web.server import web_in_background

pytestmark = [pytest.mark.prefect, pytest.mark.browser]
APP = create_app()
# Who visits: the public first (a page it may see is the same for everyone), then the people.
ACTORS = {"public": None, "officer": "somying", "signer": "phakphum", "admin": "kanokporn"}
FLOW_WORK_SECONDS = 300
LAO_2570 = Path(__file__).resolve().parents[2] / "examples" / "ita" / "lao-2570.yaml"
ITA_YEAR = 2570
# GET routes that are not pages, and why (a route neither here nor a page fails test_every_get_route_is_classified).
NOT_PAGES = {
    "/openapi.json": "the API's JSON schema",
    "/docs/oauth2-redirect": "Swagger UI's OAuth2 callback, opened only by Swagger itself",
    "/memos/{memo_id}/files/{name}": "a file download (.docx or .pdf)",
    "/public/{org_code}/feed.atom": "the Atom feed (XML)",
    "/public/{org_code}/heads.json": "the signed chain heads as a JSON download",
    "/public/{org_code}/{publication_id}/{name}": "a published file download",
    "/public/{org_code}/{publication_id}/attachments/{sha256}": "an attachment published with the announcement",
    "/memos/{memo_id}/attachments/{sha256}": "an attached file download (สิ่งที่ส่งมาด้วย)",
    "/docs/assets/{name}": "Swagger UI's own script and style sheet, served from this site",
    "/favicon.ico": "the site's icon",
    "/acknowledgements/{memo_id}/who.csv": "who has and has not acknowledged, as a CSV download",
    "/memos/{memo_id}/pdf/status": "the background PDF's state as JSON, polled by saraban.js",
    "/memos/{memo_id}/print/{key}/{name}": "a page image or PDF of the print before signing",
    "/memos/{memo_id}/print": "the print's HTML fragment, polled by saraban.js into the memo page (checked there)",
    "/memos/{memo_id}/proofread": "the proofreading report's HTML fragment, polled by saraban.js into the memo page "
    "(checked there)",
    "/healthz": "the load balancer's health check (JSON)",
    "/ita": "redirects to the office's ITA page of the current fiscal year (/ita/{fiscal_year})",
    "/public/{org_code}/{publication_id}/request/{name}": "the publication request form's file (.docx or .pdf)",
    "/metrics": "Prometheus' metrics (text, with a bearer token)",
}

# Pages known to fail, and why: strict xfails, so the day one passes the run says so (remove it here).
KNOWN_FAILURES = {
    "/docs": "Swagger UI's own markup (served offline now): its operation headers nest buttons and its method "
    "badges are white on light colours; a developers' page, not one officers or citizens use",
}


def _is_get(route) -> bool:  # noqa: ANN001
    return "GET" in (route.methods or ())


def _answers_html(route) -> bool:  # noqa: ANN001
    response_class = getattr(route, "response_class", None)
    response_class = getattr(response_class, "value", response_class)  # FastAPI's Default(...) wrapper
    return isinstance(response_class, type) and issubclass(response_class, HTMLResponse)


def html_pages() -> dict[str, str]:
    """Path template -> route name of every GET route that answers HTML, FastAPI's own API docs
    pages (/docs, /redoc) included, except the HTML fragments listed in NOT_PAGES."""
    own_docs = {APP.docs_url, APP.redoc_url} - {None}
    return {
        route.path: route.name
        for route in iter_route_contexts(APP.routes)
        if _is_get(route) and (_answers_html(route) or route.path in own_docs) and route.path not in NOT_PAGES
    }


def unclassified_get_routes() -> list[str]:
    pages = html_pages()
    return sorted(
        route.path
        for route in iter_route_contexts(APP.routes)
        if _is_get(route)
        and route.path not in pages
        and route.path not in NOT_PAGES
        and not route.path.startswith(("/api/", "/static"))
    )


@dataclass
class World:
    """Ids of the things the pages show, one per state a person meets."""

    memos: dict[str, int]  # state -> memo id
    draft_id: int
    publication_id: int
    org_code: str = "kokphutsa"


# Each path parameter: its values by label (one page view per label). Ids of the organisation's
# own records (a person, a chain...) are its first one: pages other helpers add are covered as
# soon as their parameter is named here.
PARAMETERS: dict[str, Callable[[World], dict[str, object]]] = {
    "memo_id": lambda world: world.memos,
    "org_code": lambda world: {world.org_code: world.org_code},
    "publication_id": lambda world: {"publication": world.publication_id},
    "username": lambda world: {"somying": "somying"},
    "person_id": lambda world: {"person": _first_id(Person)},
    "unit_id": lambda world: {"unit": _first_id(Unit)},
    "position_id": lambda world: {"position": _first_id(Position)},
    "chain_id": lambda world: {"chain": _first_id(Chain)},
    "delegation_id": lambda world: {"delegation": _first_id(Delegation)},
    # The shipped ITA catalogue's year; O16, whose work the published memo answers (world below).
    "fiscal_year": lambda world: {"fy": ITA_YEAR},
    "item_code": lambda world: {"O16": "O16"},
}


def _first_id(table: type) -> int:
    with session_scope() as session:
        return session.exec(select(table.id).order_by(table.id)).first()


# Pages whose query string shows another state worth checking.
QUERY_VARIANTS: dict[str, Callable[[World], dict[str, str]]] = {
    "/memos/new": lambda world: {"saved-draft": f"?draft={world.draft_id}"},
    # A memo waiting for the signer's step, and one that is not (listed apart, with the reason).
    "/sign-many": lambda world: {"chosen": f"?memo={world.memos['in-review']}&memo={world.memos['returned']}"},
}


def views_of(path: str, world: World) -> Iterator[tuple[str, str]]:
    """(label, url) of each view of the page at `path`; a parameter nobody taught this module
    to fill fails here, naming it."""
    names = re.findall(r"{(\w+)(?::\w+)?}", path)
    missing = [name for name in names if name not in PARAMETERS]
    if missing:
        pytest.fail(f"the page {path} needs {missing}: add a way to fill it to PARAMETERS in {__name__}")
    choices = [PARAMETERS[name](world).items() for name in names]
    for combination in itertools.product(*choices):
        url, labels = path, []
        for name, (label, value) in zip(names, combination, strict=True):
            url = re.sub("{" + name + r"(?::\w+)?}", str(value), url)
            labels.append(str(label))
        yield "-".join(labels), url
        for label, query in QUERY_VARIANTS.get(path, lambda _: {})(world).items():
            yield "-".join([*labels, label]), url + query


# --- the stack, the people and the memos -------------------------------------------------------


@pytest.fixture(scope="module")
def site(stack) -> Iterator[str]:
    with deliverer_thread(), web_in_background(create_app(), free_port()) as url:
        yield url


def _submitted_and_typeset(count: int) -> list[int]:
    """`count` memos submitted at once, typeset and proofread by their flow runs (the pages show
    the report, as people see them); their runs work side by side."""
    memo_ids = [submitted_memo(default_engine()).id for _ in range(count)]
    done = wait_until_done(memo_ids, FLOW_WORK_SECONDS)
    assert all(done.values()), f"flow runs that did not finish their work: {[m for m, ok in done.items() if not ok]}"
    return memo_ids


def _stages(memo_id: int, stages: tuple[tuple[str, Stage], ...]) -> None:
    for username, stage in stages:
        with session_scope() as session:
            record_stage(session, memo_id=memo_id, username=username, pin=PIN, stage=stage)


def _saved_draft() -> int:
    """What the form's "save draft" keeps (web.routes.drafting): the form's fields, as typed."""
    values = MemoForm.from_draft(draft_004()).values
    with session_scope() as session:
        person_id = session.exec(select(Person.id).where(Person.username == "somying")).one()
        saved = SavedDraft(person_id=person_id, content_json=json.dumps(values, ensure_ascii=False))
        session.add(saved)
        session.flush()
        return saved.id


def _ita_work(session, code: str, memo_id: int) -> None:  # noqa: ANN001
    """The ITA item's work for the year as the year opening leaves it, its draft sent as `memo_id`."""
    item = session.exec(select(ItaItem).where(ItaItem.code == code, ItaItem.fiscal_year == ITA_YEAR)).one()
    memo = session.get(Memo, memo_id)
    draft = SavedDraft(person_id=memo.drafter_id, content_json="{}", sent_memo_id=memo_id)
    session.add(draft)
    session.flush()
    work = ItaWork(
        item_id=item.id,
        organisation_id=item.organisation_id,
        fiscal_year=ITA_YEAR,
        period=str(ITA_YEAR),
        period_title=fiscal_year_label(ITA_YEAR),
        position_id=item.position_id,
        draft_id=draft.id,
    )
    session.add(work)
    session.flush()
    session.add(ItaWorkMemo(work_id=work.id, memo_id=memo_id))  # as the submission records it
    audit.append(session, actor="test", action="ita.work-opened", subject=f"memo:{memo_id}")


@pytest.fixture(scope="module")
def world(site) -> World:
    typeset, proofread, check = ("wanna", Stage.TYPESET), ("preecha", Stage.PROOFREAD), ("kanokporn", Stage.CHECK)
    at_check, in_review, returned = _submitted_and_typeset(3)
    _stages(at_check, (typeset, proofread))
    _stages(in_review, (typeset, proofread, check))
    _stages(returned, (typeset, proofread, check))
    sign(default_engine(), returned, "kanokporn")
    sign(default_engine(), returned, "phakphum", DecisionKind.RETURN, minute="ขอให้ระบุช่องทางการเผยแพร่ให้ครบถ้วน")
    published = play_004(lambda _line: None)["id"]  # returned once, revised, signed by all, published
    with session_scope() as session:  # every person asked to acknowledge it (รับทราบ): the button, the lists
        ask_staff_to_acknowledge(session, memo_id=published, username="somying")
    with session_scope() as session:
        publication_id = session.exec(select(Publication.id).where(Publication.memo_id == published)).one()
        # /admin/ita shows the shipped ITA catalogue's 30 items, each with its form (not the empty page).
        adopt_catalogue(session, organisation_named(session, "kokphutsa"), read_catalogue_file(LAO_2570), actor="test")
        _ita_work(session, "O16", published)  # /ita/2570 and the public item page show a published item
    return World(
        memos={"at-check": at_check, "in-review": in_review, "returned": returned, "published": published},
        draft_id=_saved_draft(),
        publication_id=publication_id,
    )


@pytest.fixture(scope="module")
def visitors(browser, site) -> Iterator[dict[str, Page]]:  # noqa: F811
    """One browser context per actor, logged in once through the login form."""
    contexts, pages = [], {}
    for actor, username in ACTORS.items():
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="th-TH")
        page = context.new_page()
        if username:
            page.goto(f"{site}/login")
            page.fill("#username", username)
            page.fill("#password", "demo-password")
            page.click("button[type=submit]")
            expect(page).not_to_have_url(re.compile(r"/login"))  # signed in
        contexts.append(context)
        pages[actor] = page
    yield pages
    for context in contexts:
        context.close()


# --- the checks ----------------------------------------------------------------------------------


def test_every_get_route_is_classified():
    """A new GET route is either an HTML page (response_class=HTMLResponse: checked below) or
    listed in NOT_PAGES with the reason it is not one."""
    assert not unclassified_get_routes(), (
        f"GET routes that are neither HTML pages nor listed in NOT_PAGES: {unclassified_get_routes()}"
    )


def test_the_pages_are_found():
    """The discovery itself: the pages that exist today are among those found."""
    assert {
        "/login",
        "/",
        "/memos/new",
        "/memos/{memo_id}",
        "/memos/{memo_id}/revise",
        "/memos/{memo_id}/history",
        "/account",
        "/admin",
        "/admin/audit",
        "/public/{org_code}",
        "/public/{org_code}/heads",
        "/docs",
    } <= set(html_pages())


def _page_params() -> list:
    return [
        pytest.param(path, marks=pytest.mark.xfail(reason=KNOWN_FAILURES[path], strict=True))
        if path in KNOWN_FAILURES
        else path
        for path in sorted(html_pages())
    ]


def test_a_page_with_a_parameter_nobody_fills_fails_loudly():
    world = World(memos={"published": 1}, draft_id=1, publication_id=1)
    assert list(views_of("/memos/{memo_id}/history", world)) == [("published", "/memos/1/history")]
    with pytest.raises(pytest.fail.Exception, match=r"needs \['annex_no'\]: add a way to fill it to PARAMETERS"):
        list(views_of("/memos/{memo_id}/annex/{annex_no}", world))


@pytest.mark.parametrize("path", _page_params())
def test_every_page(path, site, world, visitors):
    """Each view of the page that answers 200: screenshot, no sideways scroll, no serious axe
    violation. Views that redirect to the login form or answer 4xx (another person's page) are
    not this person's page; a page nobody can see fails, and so does any 5xx."""
    problems, seen = [], []
    for label, url in views_of(path, world):
        for actor, page in visitors.items():
            response = page.goto(f"{site}{url}")
            landed = page.url.removeprefix(site).split("?")[0]
            if response.status >= 500:
                problems.append(f"{url} as {actor}: HTTP {response.status}")
            if response.status != 200 or landed != url.split("?")[0]:
                continue  # the login form, the account page, or a refusal: checked as pages of their own
            name = "-".join(part for part in (html_pages()[path], label, actor) if part)
            seen.append(name)
            problems += problems_of(page, name)
            if actor == "public":
                break  # the public's page is everybody's page
    assert seen, f"nobody could see {path} with the memos of this module: teach PARAMETERS or QUERY_VARIANTS a view"
    assert not problems, "\n\n".join(problems)


def test_the_error_page(site, world, visitors):
    """The page a person meets for a memo that is not there, and the public for an unknown office."""
    officer, public = visitors["officer"], visitors["public"]
    assert officer.goto(f"{site}/memos/999999").status == 404
    problems = problems_of(officer, "error-404-officer")
    assert public.goto(f"{site}/public/no-such-office").status == 404
    problems += problems_of(public, "error-404-public")
    assert not problems, "\n\n".join(problems)
