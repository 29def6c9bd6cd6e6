"""Who works where: organisations, units, positions, people, holdings and delegations."""

import datetime as dt

from sqlmodel import Field, SQLModel, UniqueConstraint

from models.enums import Capacity, Stage, stored_as_value


# An office that issues announcements: a municipality, a district office, a service area.
class Organisation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, index=True)  # stable id used by the CLI and YAML
    name: str  # "เทศบาลตำบลโคกพุทรา"
    kind: str  # template family: municipality | bangkok-district | educational-service-area
    register_prefix: str  # "อท ๕๓๗๐๑.๔" (ที่ อท ๕๓๗๐๑.๔/๓๐)
    garuda_image_path: str = ""  # the organisation's own emblem file; a placeholder prints otherwise
    # Printing on paper with the Garuda already on it: the emblem's room is left blank, and an
    # announcement may be published without an uploaded image (otherwise it is refused).
    printed_garuda_paper: bool = False
    public_minutes: bool = False  # whether the public page shows the minutes behind a publication
    website_url: str = ""  # where the public page is reached from outside, for links in posts
    # Whether the Prefect UI's resume form may sign (with password and PIN); off by default:
    # Prefect OSS has no users, so anyone who reaches it could try.
    prefect_ui_signing: bool = False
    step_working_days: int = 3  # working days each stage or sign-off step is given
    escalate_after_working_days: int = 2  # overdue working days before a step goes to the position above
    holiday_file: str = ""  # the organisation's own holidays, on top of the Thai public ones
    # The annual review: which announcements recur (template names, comma-separated), who drafts
    # them (a position code), and how many working days the drafter gets.
    cycle_items: str = "participation-measures"
    drafting_position_code: str = ""
    cycle_working_days: int = 10


# A division that sends memos; its name and phones make the ส่วนราชการ line.
class Unit(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    code: str
    name: str  # "สำนักปลัดเทศบาล"
    letterhead_name: str  # as printed after ส่วนราชการ: "สป. (งค.)"
    phone: str = ""
    fax: str = ""


# A post, held by at most one person at a time, possibly vacant.
class Position(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    code: str
    title: str  # full title under a signature: "ปลัดเทศบาลตำบลโคกพุทรา"
    short_title: str = ""  # before an acting word: "ปลัดเทศบาล ปฏิบัติหน้าที่"
    reports_to_id: int | None = Field(default=None, foreign_key="position.id")


# A person who can log in, draft, record stages and sign.
class Person(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    username: str = Field(unique=True, index=True)
    full_name: str  # with the title of address: "นางสาวสมหญิง แดงโสภา"
    rank: str = ""  # printed above the name: "ว่าที่ร้อยตรี"
    initials: str = ""  # for the ร่าง/พิมพ์/ทาน/ตรวจ block
    email: str = ""  # how the administrator reaches the person (contact only; channels notify)
    phone: str = ""
    password_hash: str
    pin_hash: str  # the signing PIN, never stored in clear
    active: bool = True  # a deactivated person can no longer log in or sign; their rows stay
    is_admin: bool = False  # may manage the organisation in the web app
    # After an administrator's reset the person holds a one-time code, which must be replaced:
    # the password at the next login (every page leads to the change form), the PIN before
    # the next signature (refused until then).
    password_must_change: bool = False
    pin_must_change: bool = False


# Who currently holds which position.
class Holding(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("position_id"),)  # one holder per post
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    position_id: int = Field(foreign_key="position.id")


# An order (คำสั่ง) letting a person act for a position for a period, in one capacity.
class Delegation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    position_id: int = Field(foreign_key="position.id", index=True)
    capacity: Capacity = Field(sa_type=stored_as_value(Capacity))
    order_number: str  # the appointing order: "คำสั่งเทศบาลตำบลโคกพุทรา ที่ ๕๐/๒๕๖๔"
    valid_from: dt.date
    valid_to: dt.date


# Which positions may record a preparation stage (พิมพ์, ทาน, ตรวจ) in one organisation. A stage
# with no row here falls back to the positions of the memo's own unit (services.memo_life.stage_roles).
class StagePermission(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("organisation_id", "stage", "position_id"),)
    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    stage: Stage = Field(sa_type=stored_as_value(Stage))
    position_id: int = Field(foreign_key="position.id")
