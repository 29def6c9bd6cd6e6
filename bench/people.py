"""The 004 municipality's people acting through the web app's JSON API, as their browsers would:
log in, read the CSRF token, submit, record the stages, sign. Used by the topology test and the
throughput and chaos benchmarks."""

import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx

from cli.demo import DEMO_PIN, draft_004
from models.digits import thai_digits

PASSWORD, PIN = "demo-password", DEMO_PIN
STAGES = (("wanna", "พิมพ์"), ("preecha", "ทาน"), ("kanokporn", "ตรวจ"))
SIGNERS = ("kanokporn", "phakphum", "phakphum")  # the clerk signs the last step as acting mayor
RETRY_SECONDS = 120  # a web process restarted by the chaos benchmark comes back within this


@dataclass
class Person:
    site: str
    username: str
    client: httpx.Client = field(init=False)
    csrf: str = ""
    # Several threads act as one person (one browser): one of them logs in at a time, or their
    # login pages' CSRF cookies would overwrite each other's in the shared cookie jar.
    logging_in: threading.Lock = field(default_factory=threading.Lock, init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=self.site, timeout=60)

    def login(self) -> None:
        token = self.client.get("/login").cookies.get("saraban_login_csrf")
        answer = self.client.post("/login", data={"username": self.username, "password": PASSWORD, "csrf_token": token})
        me = self.client.get("/api/me")
        if me.status_code != 200:
            raise AssertionError(f"{self.username} could not log in: {answer.status_code} {answer.text[:300]}")
        self.csrf = me.json()["csrf_token"]

    def get(self, path: str) -> dict:
        return self.request("GET", path)

    def post(self, path: str, body: dict, headers: dict[str, str] | None = None) -> dict:
        return self.request("POST", path, json=body, headers=headers or {})

    def request(self, method: str, path: str, **options) -> dict:  # noqa: ANN003  (httpx's request options)
        """Logging in again when the session or its CSRF token is refused, and waiting out a web app
        that is down (the session lives in the database: it still holds after a restart), as a
        person would retry."""
        deadline, headers = time.monotonic() + RETRY_SECONDS, options.pop("headers", {})
        while True:
            try:
                with self.logging_in:
                    if not self.csrf:
                        self.login()
                    used = self.csrf
                response = self.client.request(method, path, headers={**headers, "X-CSRF-Token": used}, **options)
                if response.status_code == 401 or (response.status_code == 403 and "CSRF" in response.text):
                    with self.logging_in:
                        if self.csrf == used:  # not already replaced by another thread's login
                            self.csrf = ""
                    continue
                if response.status_code >= 300:
                    raise AssertionError(
                        f"{self.username} {method} {path}: {response.status_code} {response.text[:200]}"
                    )
                return response.json()
            except (httpx.TransportError, ValueError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)


class Office:
    """One browser per person, on one web app (or several: `sites` in turn)."""

    def __init__(self, sites: list[str]) -> None:
        self.sites = sites
        self.people: dict[str, Person] = {}
        self.run = uuid.uuid4().hex[:12]

    def person(self, username: str, memo_index: int = 0) -> Person:
        site = self.sites[memo_index % len(self.sites)]
        key = f"{username}@{site}"
        if key not in self.people:
            self.people[key] = Person(site, username)
        return self.people[key]

    def submit(self, index: int) -> int:
        # Numbered in Thai digits, as an officer types them (Arabic ones are a proofreading finding).
        draft = draft_004().model_copy(update={"subject": f"{draft_004().subject} (ชุดที่ {thai_digits(index)})"})
        # One key per memo, kept across retries: a retry after a lost answer gets the same memo.
        return self.person("somying", index).post(
            "/api/memos",
            {"draft": draft.model_dump(mode="json"), "pin": PIN, "again": True},  # many alike, on purpose
            headers={"Idempotency-Key": f"bench-{self.run}-{index}"},
        )["memo_id"]

    def prepare(self, memo_id: int, index: int) -> None:
        for username, stage in STAGES:
            self.person(username, index).post(f"/api/memos/{memo_id}/stage", {"stage": stage, "pin": PIN})

    def sign_all(self, memo_id: int, index: int) -> float:
        """Every step approved; the time of the last approval (monotonic)."""
        return self.sign_steps(memo_id, index, range(len(SIGNERS)))

    def sign_steps(self, memo_id: int, index: int, steps: range) -> float:
        """These steps approved, in order; the time of the last approval (monotonic)."""
        for step in steps:
            username = SIGNERS[step]
            signer = self.person(username, index)
            read = signer.get(f"/api/memos/{memo_id}")  # the signer reads the memo, then names what they read
            signer.post(
                f"/api/memos/{memo_id}/sign",
                {
                    "decision": "approve",
                    "minute": "อนุมัติ",
                    "pin": PIN,
                    "step": step,
                    "revision_sha256": read["revision_sha256"],
                    "announcement_sha256": read["announcement_sha256"],
                },
            )
        return time.monotonic()

    def close(self) -> None:
        for person in self.people.values():
            person.client.close()
