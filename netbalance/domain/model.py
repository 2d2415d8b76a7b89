"""The records netbalance keeps: contacts, interactions, events, goals.

Frozen dataclasses; each validates itself on creation and offers `edit()` to
return a changed, re-validated copy. Times are timezone-aware datetimes in UTC;
ids are 0 until the store assigns one.

Ids are this database's row numbers; `uid` is a record's identity everywhere else
(a vCard or iCalendar UID, a sync peer, a backup): kept from the file a record came
from, made by the store when it is new, and never changed afterwards. A contact that
absorbed others in a merge keeps their uids in `aliases`, so a later import or sync
of the old cards still finds the one person.
"""

from __future__ import annotations

import dataclasses
from calendar import monthrange
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import NamedTuple, Self, TypeVar

from netbalance.domain.circles import Circle
from netbalance.domain.errors import DomainError
from netbalance.domain.text import MAX_NAME_CHARS, check_length, clean_line, clean_text

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
# How far ahead of "now" an interaction may be dated (clock skew, time zones).
FUTURE_SLACK = timedelta(days=1)


E = TypeVar("E", bound=StrEnum)


class InteractionKind(StrEnum):
    MESSAGE = "message"
    CALL = "call"
    VIDEO = "video"
    COFFEE = "coffee"
    MEETING = "meeting"
    EVENT_CHAT = "event-chat"
    INTRO = "intro"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    InteractionKind.MESSAGE: "Message",
    InteractionKind.CALL: "Call",
    InteractionKind.VIDEO: "Video call",
    InteractionKind.COFFEE: "Coffee / meal",
    InteractionKind.MEETING: "Meeting",
    InteractionKind.EVENT_CHAT: "Chat at an event",
    InteractionKind.INTRO: "Introduction",
    InteractionKind.OTHER: "Other",
}


class Initiator(StrEnum):
    ME = "me"
    THEM = "them"


class EventStatus(StrEnum):
    """Where an event stands for the user. The value is the one word every screen and
    command shows for it; `parse_status` also reads the aliases in STATUS_ALIASES."""

    CONSIDERING = "considering"
    GOING = "going"
    DECLINED = "declined"
    ATTENDED = "attended"
    MISSED = "missed"

    @property
    def label(self) -> str:
        """The word to show: the same in the app, the command line and exports."""
        return self.value


# Other words people use for a status, read as the status (shown never: screens show
# the status's own word). "go / consider / skip" are the triage's advice words.
STATUS_ALIASES: dict[str, EventStatus] = {
    "maybe": EventStatus.CONSIDERING,
    "consider": EventStatus.CONSIDERING,
    "yes": EventStatus.GOING,
    "go": EventStatus.GOING,
    "no": EventStatus.DECLINED,
    "decline": EventStatus.DECLINED,
    "skip": EventStatus.DECLINED,
    "went": EventStatus.ATTENDED,
    "attend": EventStatus.ATTENDED,
    "miss": EventStatus.MISSED,
}


class GoalKind(StrEnum):
    CAREER = "career"
    LEARNING = "learning"
    BUSINESS = "business"
    OTHER = "other"


def parse_enum(enum: type[E], field_name: str, text: str) -> E:
    """Read an enum value from user text, with a message listing the choices."""
    t = text.strip().lower().replace("_", "-").replace(" ", "-")
    for member in enum:
        if member.value == t:
            return member
    matches = [m for m in enum if m.value.startswith(t)] if t else []
    if len(matches) == 1:
        return matches[0]
    choices = ", ".join(m.value for m in enum)
    raise DomainError(field_name, text, f"must be one of {choices}")


def parse_status(text: str, field_name: str = "status") -> EventStatus:
    """Read an event status: its word, an alias ("maybe", "went", "no"), or a unique
    start of a word ("dec"); the message lists the words and the aliases."""
    t = " ".join(text.split()).lower()
    alias = STATUS_ALIASES.get(t)
    if alias is not None:
        return alias
    try:
        return parse_enum(EventStatus, field_name, t)
    except DomainError:
        words = ", ".join(s.value for s in EventStatus)
        aliases = ", ".join(f"{a} ({s.value})" for a, s in STATUS_ALIASES.items())
        raise DomainError(field_name, text, f"must be one of {words}; also {aliases}") from None


def _check_aware(field_name: str, value: datetime | None) -> None:
    if value is not None and (value.tzinfo is None or value.utcoffset() is None):
        raise DomainError(field_name, value, "must carry a time zone")


def _clean_strings(values: tuple[str, ...]) -> tuple[str, ...]:
    """Strip, drop blanks and exact repeats, keep order."""
    seen: dict[str, None] = {}
    for v in values:
        v = v.strip()
        if v and v not in seen:
            seen[v] = None
    return tuple(seen)


def _clean_texts(record: object, lines: tuple[str, ...], notes: tuple[str, ...] = ()) -> None:
    """Control characters out of a record's text fields (domain/text.py), before any check.

    `lines` are one-line fields (a line break becomes a space), `notes` keep newlines.
    """
    for name in lines:
        value = getattr(record, name)
        if isinstance(value, str):
            object.__setattr__(record, name, clean_line(value))
        elif isinstance(value, tuple):
            cleaned = tuple(clean_line(v) if isinstance(v, str) else v for v in value)
            object.__setattr__(record, name, cleaned)
    for name in notes:
        value = getattr(record, name)
        if isinstance(value, str):
            object.__setattr__(record, name, clean_text(value))


def _check_texts(texts: dict[str, str | tuple[str, ...]]) -> None:
    """Every text field within the one limit (domain/text.py), named as the user sees it."""
    for field_name, value in texts.items():
        for text in value if isinstance(value, tuple) else (value,):
            check_length(field_name, text)


class _Editable:
    __slots__ = ()

    def edit(self, **changes: object) -> Self:
        """Return a copy with `changes` applied; raises DomainError if invalid."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    def changed_fields(self, edited: Self) -> dict[str, object]:
        """The fields `edited` changes, with its values: what to hand a field-level write.

        A form that started from this record and ends with `edited` sends only these,
        so fields it did not touch never overwrite what another process wrote.
        """
        return {
            f.name: getattr(edited, f.name)
            for f in dataclasses.fields(self)  # type: ignore[arg-type]
            if getattr(self, f.name) != getattr(edited, f.name)
        }


@dataclass(frozen=True, slots=True)
class Birthday:
    """A birthday; the year is often unknown (vCard --MM-DD)."""

    month: int
    day: int
    year: int | None = None

    def __post_init__(self) -> None:
        try:
            date(self.year or 2000, self.month, self.day)  # 2000: a leap year, 29 Feb is fine
        except (ValueError, TypeError):
            raise DomainError("birthday", self.iso(), _not_a_real_day(self)) from None
        if self.year is not None and self.year < 1900:
            raise DomainError("birthday", self.iso(), "is before 1900")

    def iso(self) -> str:
        """YYYY-MM-DD, or --MM-DD without a year (as vCard writes it)."""
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    @classmethod
    def from_iso(cls, text: str) -> Birthday:
        t = text.strip()
        try:
            if t.startswith("--"):
                month, day, year = int(t[2:4]), int(t[5:7]), None
            else:
                y, m, d = t.split("-")
                month, day, year = int(m), int(d), int(y)
        except (ValueError, IndexError):
            raise DomainError("birthday", text, "must be YYYY-MM-DD or --MM-DD") from None
        # Read as numbers, so a day that is not on the calendar says so ("is not a real date").
        return cls(month, day, year)


_MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _not_a_real_day(b: Birthday) -> str:
    """Why a birthday is not on the calendar, as the date reader says it ("February 1990
    has 28 days")."""
    if not isinstance(b.month, int) or not isinstance(b.day, int) or not 1 <= b.month <= 12:
        return "is not a real date" + (
            f": there is no month {b.month}" if isinstance(b.month, int) else ""
        )
    year = b.year if isinstance(b.year, int) and b.year >= 1 else 2000
    last = monthrange(year, b.month)[1]
    name = _MONTH_NAMES[b.month - 1]
    when = f"{name} {b.year}" if b.year is not None else name
    return f"is not a real date: {when} has {last} days"


# A contact's one-line text fields; notes keep their newlines.
_CONTACT_LINES = (
    "name",
    "company",
    "role",
    "how_met",
    "source",
    "emails",
    "phones",
    "links",
    "tags",
    "uid",
    "aliases",
    "name_parts",
)


@dataclass(frozen=True, slots=True)
class Contact(_Editable):
    """A person the user keeps in touch with."""

    name: str
    id: int = 0
    circle: Circle = Circle.ACTIVE
    # None follows the circle's cadence (which may itself be none).
    cadence_days: int | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    company: str = ""
    role: str = ""
    links: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    goal_ids: tuple[int, ...] = ()
    met_at_event_id: int | None = None
    how_met: str = ""
    birthday: Birthday | None = None
    notes: str = ""
    archived: bool = False
    snoozed_until: datetime | None = None
    created_at: datetime = EARLIEST
    source: str = ""
    uid: str = ""
    # Uids of contacts merged into this one.
    aliases: tuple[str, ...] = ()
    # The name in parts as the card it came from had it (vCard N: family, given,
    # additional, prefixes, suffixes); exports use it while it still fits the name.
    name_parts: tuple[str, ...] = ()
    # How close the person feels, one question after the Inclusion of Other in the Self
    # scale: 1 (not at all) to 7 (very close); None until the user says.
    closeness: int | None = None

    def __post_init__(self) -> None:
        _clean_texts(self, _CONTACT_LINES, ("notes",))
        name = " ".join(self.name.split())
        if not name:
            raise DomainError("name", self.name, "must not be blank")
        check_length("name", name, MAX_NAME_CHARS)
        object.__setattr__(self, "name", name)
        if not isinstance(self.circle, Circle):
            object.__setattr__(self, "circle", Circle.parse(str(self.circle)))
        if self.cadence_days is not None and (
            isinstance(self.cadence_days, bool)
            or not isinstance(self.cadence_days, int)
            or not 1 <= self.cadence_days <= 3660
        ):
            raise DomainError("cadence", self.cadence_days, "must be 1 to 3660 days, or none")
        object.__setattr__(self, "emails", _clean_strings(tuple(e.lower() for e in self.emails)))
        for email in self.emails:
            if "@" not in email or " " in email:
                raise DomainError("email", email, "is not an email address")
        object.__setattr__(self, "phones", _clean_strings(self.phones))
        object.__setattr__(self, "links", _clean_strings(self.links))
        object.__setattr__(self, "tags", _clean_strings(tuple(t.lower() for t in self.tags)))
        object.__setattr__(self, "company", self.company.strip())
        object.__setattr__(self, "role", self.role.strip())
        object.__setattr__(self, "uid", self.uid.strip())
        object.__setattr__(self, "aliases", _clean_strings(self.aliases))
        parts = tuple(" ".join(p.split()) for p in self.name_parts)
        if len(parts) > 5:
            raise DomainError("name parts", parts, "are family, given, additional, prefix, suffix")
        object.__setattr__(self, "name_parts", (parts + ("",) * 5)[:5] if any(parts) else ())
        _check_texts(
            {
                "company": self.company,
                "role": self.role,
                "how met": self.how_met,
                "notes": self.notes,
                "source": self.source,
                "email": self.emails,
                "phone": self.phones,
                "link": self.links,
                "tag": self.tags,
            }
        )
        _check_aware("snoozed_until", self.snoozed_until)
        _check_aware("created_at", self.created_at)
        if self.closeness is not None and (
            isinstance(self.closeness, bool)
            or not isinstance(self.closeness, int)
            or not 1 <= self.closeness <= 7
        ):
            raise DomainError("closeness", self.closeness, "must be 1 (distant) to 7 (very close)")


@dataclass(frozen=True, slots=True)
class Interaction(_Editable):
    """A touchpoint with one or more contacts."""

    contact_ids: tuple[int, ...]
    at: datetime
    id: int = 0
    kind: InteractionKind = InteractionKind.MESSAGE
    # 1 a ping, 2 a conversation, 3 deep.
    depth: int = 2
    initiated_by: Initiator = Initiator.ME
    minutes: int | None = None
    note: str = ""
    next_step: str = ""
    next_step_on: date | None = None
    event_id: int | None = None
    uid: str = ""

    def __post_init__(self) -> None:
        _clean_texts(self, ("next_step", "uid"), ("note",))
        if not self.contact_ids:
            raise DomainError("contacts", self.contact_ids, "an interaction needs at least one")
        if len(set(self.contact_ids)) != len(self.contact_ids):
            object.__setattr__(self, "contact_ids", tuple(dict.fromkeys(self.contact_ids)))
        _check_aware("when", self.at)
        if self.at < EARLIEST:
            raise DomainError("when", self.at.isoformat(), "is before 1900")
        if isinstance(self.depth, bool) or self.depth not in (1, 2, 3):
            raise DomainError("depth", self.depth, "must be 1 (ping), 2 (conversation) or 3 (deep)")
        if self.minutes is not None and not 0 <= self.minutes <= 24 * 60:
            raise DomainError("minutes", self.minutes, "must be 0 to 1440")
        _check_texts({"note": self.note, "next step": self.next_step})

    def check_not_future(self, now: datetime) -> None:
        """Refuse an interaction dated more than a day after `now`."""
        if self.at > now + FUTURE_SLACK:
            raise DomainError("when", self.at.isoformat(), "is more than a day in the future")


class Touch(NamedTuple):
    """What the health model reads of one stored interaction, and nothing else.

    The model (domain/health) reads an interaction's time, id, depth, who started it,
    its minutes, its event and its next step's date. The store keeps these per
    interaction in its derived index (store/codec.py `interaction_digest`), so the app
    builds the model without reading and decoding every interaction in the file: a
    tuple of seven fields instead of the record with its note, kind, contacts and uid.
    Field names are the Interaction's, so the model reads either alike (`Logged`).
    """

    at: datetime
    id: int
    depth: int
    initiated_by: Initiator
    minutes: int | None
    event_id: int | None
    next_step_on: date | None


# What the health model reads: a whole interaction, or its Touch (the same fields).
Logged = Interaction | Touch


@dataclass(frozen=True, slots=True)
class Event(_Editable):
    """Something the user might attend: a meetup, a conference, a dinner."""

    title: str
    start: datetime
    id: int = 0
    end: datetime | None = None
    place: str = ""
    link: str = ""
    # What it costs, travel included; None: derived from start and end.
    hours: float | None = None
    status: EventStatus = EventStatus.CONSIDERING
    goal_ids: tuple[int, ...] = ()
    tags: tuple[str, ...] = ()
    notes: str = ""
    met_contact_ids: tuple[int, ...] = ()
    # An imported calendar's UID (with "#" and the recurrence slot for one occurrence).
    uid: str = ""

    def __post_init__(self) -> None:
        _clean_texts(self, ("title", "place", "link", "tags", "uid"), ("notes",))
        title = " ".join(self.title.split())
        if not title:
            raise DomainError("title", self.title, "must not be blank")
        object.__setattr__(self, "title", title)
        _check_aware("start", self.start)
        _check_aware("end", self.end)
        if self.start < EARLIEST:
            raise DomainError("start", self.start.isoformat(), "is before 1900")
        if self.end is not None and self.end <= self.start:
            raise DomainError("end", self.end.isoformat(), "must be after the start")
        if self.hours is not None and not 0 <= self.hours <= 24 * 14:
            raise DomainError("hours", self.hours, "must be 0 to 336")
        object.__setattr__(self, "tags", _clean_strings(tuple(t.lower() for t in self.tags)))
        _check_texts(
            {
                "title": self.title,
                "place": self.place,
                "link": self.link,
                "notes": self.notes,
                "tag": self.tags,
            }
        )

    @property
    def cost_hours(self) -> float:
        """Hours the event takes from the budget: explicit, else its length, else 2."""
        if self.hours is not None:
            return self.hours
        if self.end is not None:
            return round(min((self.end - self.start).total_seconds() / 3600, 24.0), 2)
        return 2.0


@dataclass(frozen=True, slots=True)
class Goal(_Editable):
    """Why the user networks right now."""

    title: str
    id: int = 0
    kind: GoalKind = GoalKind.OTHER
    active: bool = True
    target_date: date | None = None
    notes: str = ""
    created_at: datetime = EARLIEST
    uid: str = ""

    def __post_init__(self) -> None:
        _clean_texts(self, ("title", "uid"), ("notes",))
        title = " ".join(self.title.split())
        if not title:
            raise DomainError("title", self.title, "must not be blank")
        object.__setattr__(self, "title", title)
        _check_texts({"title": self.title, "notes": self.notes})


@dataclass(frozen=True, slots=True)
class WeeklySnapshot(_Editable):
    """The figures of one week (Monday start), kept so trends can be drawn."""

    week_start: date
    id: int = 0
    interactions: int = 0
    new_contacts: int = 0
    events: int = 0
    event_hours: float = 0.0
    balance: float = 0.0
    zone: str = ""
    note: str = ""
    figures: dict[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _clean_texts(self, ("zone",), ("note",))
        _check_texts({"note": self.note})
