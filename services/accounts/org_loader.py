"""Loading an organisation (units, positions, people, chains, delegations) from YAML."""

import datetime as dt
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from sqlmodel import Session, select

from models import (
    Chain,
    ChainStep,
    Delegation,
    Holding,
    ItaPositionChoice,
    NotificationChannel,
    Organisation,
    Person,
    Position,
    StagePermission,
    Unit,
    audit,
)
from models.chain_versions import current_version
from models.enums import Capacity, Stage
from models.pin_policy import BadPin, check_new_pin
from models.secrets import bound_to, peppered_hash, peppered_pin_hash
from models.usernames import username_problem
from services.accounts.position_codes import code_from_title
from services.errors import BadInput


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OrganisationSpec(_Strict):
    code: str = Field(pattern=r"^[a-z0-9-]+$")
    name: str
    kind: str
    register_prefix: str
    garuda_image_path: str = ""
    printed_garuda_paper: bool = False  # prints on paper with the Garuda on it: no image needed
    website_url: str = ""
    public_minutes: bool = False
    prefect_ui_signing: bool = False  # sign in the Prefect UI's resume form (password and PIN)
    step_working_days: int = Field(default=3, ge=0, le=60)
    escalate_after_working_days: int = Field(default=2, ge=1, le=60)
    holiday_file: str = ""  # extra office holidays, same shape as models/data/thai_public_holidays.yaml
    cycle_items: str = "participation-measures"  # announcement templates reviewed every fiscal year
    drafting_position_code: str = ""  # who drafts them (default: last year's drafter's position)
    cycle_working_days: int = Field(default=10, ge=1, le=120)


class UnitSpec(_Strict):
    code: str
    name: str
    letterhead_name: str
    phone: str = ""
    fax: str = ""


class PositionSpec(_Strict):
    # Optional: made from the title when left out (services.accounts.position_codes); the
    # file's other entries (holds, chains, reports_to ...) may name a position by its title too.
    code: str = ""
    title: str
    short_title: str = ""
    unit: str | None = None
    reports_to: str | None = None


class PersonSpec(_Strict):
    username: str
    full_name: str
    rank: str = ""
    initials: str = ""
    holds: list[str] = Field(default_factory=list)
    admin: bool = False  # may manage the organisation in the web app
    # Clear secrets are accepted for demo data only (load_organisation(demo=True)); real files
    # carry the hashes made on this instance by `saraban account hash-password` / `hash-pin`.
    password: str | None = None
    password_hash: str | None = None
    pin: str | None = None  # Thai or Arabic digits
    pin_hash: str | None = None

    @field_validator("username")
    @classmethod
    def _usable(cls, username: str) -> str:
        problem = username_problem(username)
        if problem:
            raise ValueError(problem)
        return username

    @model_validator(mode="after")
    def _secrets_given(self) -> "PersonSpec":
        if not (self.password or self.password_hash) or not (self.pin or self.pin_hash):
            raise ValueError(f"{self.username}: give password (or password_hash) and pin (or pin_hash)")
        return self


class StepSpec(_Strict):
    position: str
    may_return: bool = True
    accepted_capacities: list[Capacity] = Field(default_factory=list)


class ChainSpec(_Strict):
    document_kind: str
    name: str = ""
    steps: list[StepSpec] = Field(min_length=1)
    # Separation of duties (models.rules.ChainDuties); both off unless the file says so.
    drafter_may_sign: bool = False
    same_signer_consecutive_steps: bool = False


# The preparation stages a `stages:` mapping may name, in Thai or in English.
STAGE_KEYS = {
    "typeset": Stage.TYPESET,
    "proofread": Stage.PROOFREAD,
    "check": Stage.CHECK,
    **{s.value: s for s in (Stage.TYPESET, Stage.PROOFREAD, Stage.CHECK)},
}


class DelegationSpec(_Strict):
    person: str
    position: str
    capacity: Capacity
    order_number: str
    valid_from: dt.date
    valid_to: dt.date


class ChannelSpec(_Strict):
    name: str
    url: str  # an Apprise URL; keep real credentials out of shared files
    recipient: str | None = None  # a username for a personal channel (digests); None for a shared one
    purpose: str = Field(default="all", pattern="^(digest|publication|all)$")


class OrganisationFile(_Strict):
    organisation: OrganisationSpec
    units: list[UnitSpec] = Field(min_length=1)
    positions: list[PositionSpec] = Field(min_length=1)
    people: list[PersonSpec] = Field(default_factory=list)
    chains: list[ChainSpec] = Field(default_factory=list)
    delegations: list[DelegationSpec] = Field(default_factory=list)
    channels: list[ChannelSpec] = Field(default_factory=list)
    # Which positions may record each preparation stage: {พิมพ์|typeset: [position codes], ...}.
    # A stage not named here: the holders of positions in the memo's own unit (services.memo_life.stage_roles).
    stages: dict[str, list[str]] = Field(default_factory=dict)
    # Who answers for an ITA item here, by item code (O1, MOIT1 ...) -> position code or title,
    # in whichever catalogue the organisation adopts (services.ita; `saraban ita load`). Codes
    # the catalogue has no item for are reported by the load, not refused.
    ita: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_stages(self) -> "OrganisationFile":
        unknown = set(self.stages) - set(STAGE_KEYS)
        if unknown:
            raise ValueError(f"stages: unknown stage {sorted(unknown)} (use พิมพ์/typeset, ทาน/proofread, ตรวจ/check)")
        return self


def read_organisation_file(path: Path) -> OrganisationFile:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise BadInput(f"อ่านไฟล์ {path} ไม่ได้ (cannot read {path}: {error})") from error
    try:
        return OrganisationFile.model_validate(raw)
    except ValidationError as error:
        raise BadInput(f"ไฟล์ {path} ไม่ถูกต้อง (invalid organisation file):\n{_describe(error)}") from error


def _describe(error: ValidationError) -> str:
    return "\n".join(f"  {'.'.join(map(str, e['loc']))}: {e['msg']}" for e in error.errors())


CLEAR_SECRETS_REFUSED = (
    "ไฟล์มีรหัสผ่านหรือรหัส PIN ที่ไม่ได้เข้ารหัส ({who}): ใส่ password_hash และ pin_hash แทน "
    "โดยสร้างด้วยคำสั่ง saraban account hash-password และ saraban account hash-pin บนเครื่องนี้ "
    "(clear-text password or pin for {who}: give password_hash and pin_hash instead, made on this instance "
    "with `saraban account hash-password` and `saraban account hash-pin`; clear secrets are for the demo only, "
    "`saraban org load --demo`)"
)


def load_organisation(
    session: Session, spec: OrganisationFile, *, actor: str = "system", demo: bool = False
) -> Organisation:
    """Create the organisation and everything in it, in the caller's transaction. Clear-text
    passwords and PINs are refused unless this is demo data (`demo`)."""
    in_clear = [p.username for p in spec.people if p.password or p.pin]
    if in_clear and not demo:
        raise BadInput(CLEAR_SECRETS_REFUSED.format(who=", ".join(in_clear)))
    if session.exec(select(Organisation).where(Organisation.code == spec.organisation.code)).first():
        raise BadInput(
            f"หน่วยงาน {spec.organisation.code} มีอยู่แล้ว (organisation {spec.organisation.code} is already loaded)"
        )
    org = Organisation(**spec.organisation.model_dump())
    session.add(org)
    session.flush()
    units = {u.code: _add(session, Unit(organisation_id=org.id, **u.model_dump())) for u in spec.units}
    positions = _add_positions(session, org, spec.positions, units)
    people = {p.username: _add_person(session, org, p, positions) for p in spec.people}
    for chain in spec.chains:
        _add_chain(session, org, chain, positions)
    for d in spec.delegations:
        session.add(
            Delegation(
                person_id=_known(people, d.person, "person").id,
                position_id=_known(positions, d.position, "position").id,
                capacity=d.capacity,
                order_number=d.order_number,
                valid_from=d.valid_from,
                valid_to=d.valid_to,
            )
        )
    for key, codes in spec.stages.items():
        for code in codes:
            session.add(
                StagePermission(
                    organisation_id=org.id, stage=STAGE_KEYS[key], position_id=_known(positions, code, "position").id
                )
            )
    _add_ita_choices(session, org, spec.ita, positions)
    for c in spec.channels:
        if c.recipient:
            _known(people, c.recipient, "person")
        session.add(
            NotificationChannel(
                organisation_id=org.id, name=c.name, url=c.url, recipient_username=c.recipient, purpose=c.purpose
            )
        )
    audit.append(
        session,
        actor=actor,
        action="organisation.loaded",
        subject=f"organisation:{org.code}",
        data={"units": len(units), "positions": len({p.id for p in positions.values()}), "people": len(people)},
    )
    return org


def _add_positions(session: Session, org: Organisation, specs: list[PositionSpec], units: dict) -> dict[str, Position]:
    """The positions by code, and by title where a title names one position only (a file may
    name a position either way)."""
    positions: dict[str, Position] = {}
    given = {p.code for p in specs if p.code}
    for p in specs:
        unit_id = _known(units, p.unit, "unit").id if p.unit else None
        code = p.code or code_from_title(p.title, given | set(positions))
        if code in positions:
            raise BadInput(f"ตำแหน่งรหัส {code} ซ้ำในไฟล์ (position code {code} appears twice)")
        positions[code] = _add(
            session,
            Position(
                organisation_id=org.id,
                unit_id=unit_id,
                code=code,
                title=p.title,
                short_title=p.short_title or p.title,
            ),
        )
    by_code = dict(positions)
    titles = [p.title for p in by_code.values()]
    positions |= {p.title: p for p in by_code.values() if titles.count(p.title) == 1 and p.title not in by_code}
    for spec, position in zip(specs, by_code.values(), strict=True):  # reports_to may name one further down
        if spec.reports_to:
            position.reports_to_id = _known(positions, spec.reports_to, "position").id
    return positions


def _add_ita_choices(session: Session, org: Organisation, ita: dict[str, str], positions: dict) -> None:
    seen: set[str] = set()
    for code, position in ita.items():
        if code.upper() in seen:
            raise BadInput(f"ita: รายการ {code} ซ้ำ (ita: item {code} appears twice)")
        seen.add(code.upper())
        session.add(
            ItaPositionChoice(
                organisation_id=org.id, item_code=code, position_id=_known(positions, position, "position").id
            )
        )


def _add_person(session: Session, org: Organisation, spec: PersonSpec, positions: dict) -> Person:
    person = _add(
        session,
        Person(
            organisation_id=org.id,
            username=spec.username,
            full_name=spec.full_name,
            rank=spec.rank,
            initials=spec.initials or spec.full_name.split()[0],
            is_admin=spec.admin,
            password_hash=bound_to(spec.username, spec.password_hash or peppered_hash(spec.password)),
            pin_hash=bound_to(spec.username, spec.pin_hash or peppered_pin_hash(_demo_pin(spec))),
        ),
    )
    for code in spec.holds:
        session.add(Holding(person_id=person.id, position_id=_known(positions, code, "position").id))
    return person


def _demo_pin(spec: PersonSpec) -> str:
    try:
        return check_new_pin(spec.pin)
    except BadPin as problem:
        raise BadInput(f"{spec.username}: {problem}") from problem


def _add_chain(session: Session, org: Organisation, spec: ChainSpec, positions: dict) -> None:
    chain = _add(
        session,
        Chain(
            organisation_id=org.id,
            document_kind=spec.document_kind,
            name=spec.name,
            drafter_may_sign=spec.drafter_may_sign,
            same_signer_consecutive_steps=spec.same_signer_consecutive_steps,
        ),
    )
    for index, step in enumerate(spec.steps):
        session.add(
            ChainStep(
                chain_id=chain.id,
                step_index=index,
                position_id=_known(positions, step.position, "position").id,
                may_return=step.may_return,
                accepted_capacities=",".join(c.value for c in step.accepted_capacities),
            )
        )
    session.flush()
    current_version(session, chain)


def _add(session: Session, row):  # noqa: ANN001, ANN202
    session.add(row)
    session.flush()
    return row


def _known(rows: dict, code: str, what: str):  # noqa: ANN202
    if code not in rows:
        raise BadInput(f"ไม่รู้จัก {what} '{code}' (unknown {what} '{code}'; known: {', '.join(rows)})")
    return rows[code]
