"""iCalendar (.ics) events as netbalance events.

icalendar parses; recurring-ical-events expands series inside a horizon (RRULE,
RDATE, EXDATE, moved and cancelled instances). Around them this module handles
what real files do: bare VEVENTs with no VCALENDAR, missing END lines, unreadable
VTIMEZONE blocks, undefined TZIDs, floating times, all-day events of zero length.
icalendar returns zero components without an error for some broken files, so the
raw BEGIN:VEVENT count is compared with what was read and any gap is reported.
Attendees are kept as suggested contacts; the plan lists them, it does not add them.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import icalendar
import recurring_ical_events

from netbalance.domain import (
    DomainError,
    Event,
    EventStatus,
    Goal,
    GoalKind,
    Initiator,
    Interaction,
    InteractionKind,
)
from netbalance.domain.identity import CONTENT_UID_PREFIX
from netbalance.domain.model import parse_enum
from netbalance.domain.text import MAX_NAME_CHARS
from netbalance.interop.common import (
    MAX_ITEMS,
    Deadline,
    ImportFormatError,
    IncomingEvent,
    Progress,
    ReadResult,
    Skipped,
    VdirItem,
    clip,
    decode_text,
    read_bytes,
    wrong_kind_message,
)
from netbalance.interop.recurrence import (
    ExpansionBudget,
    ExpansionTooSlow,
    too_slow_reason,
    window_of,
)

# Occurrences of a recurring event are imported inside this window around "now".
HORIZON_PAST = timedelta(days=365)
HORIZON_FUTURE = timedelta(days=365)
# A series can be FREQ=HOURLY; this many occurrences are plenty for networking.
# (How far any rule is walked, in steps and time: interop/recurrence.py.)
MAX_OCCURRENCES_PER_SERIES = 500
# Our own export marks reminders (follow-ups, birthdays) so a re-import leaves them out.
NETBALANCE_KIND = "X-NETBALANCE-KIND"
NETBALANCE_STATUS = "X-NETBALANCE-STATUS"
# The hours an event costs (travel included) when they are not its length.
NETBALANCE_HOURS = "X-NETBALANCE-HOURS"

_BEGIN_VEVENT = re.compile(r"^BEGIN:VEVENT\s*$", re.IGNORECASE | re.MULTILINE)
_BEGIN_END = re.compile(r"^(BEGIN|END):([A-Za-z-]+)\s*$", re.IGNORECASE | re.MULTILINE)
_VTIMEZONE_BLOCK = re.compile(r"^BEGIN:VTIMEZONE.*?^END:VTIMEZONE\s*$", re.I | re.M | re.S)


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


# Components that never hold one of their own kind: a BEGIN of one while it is open
# means the file lost the END before it.
_NOT_NESTED = {"VEVENT", "VTODO", "VJOURNAL", "VALARM", "VTIMEZONE", "VCALENDAR"}


def _repair(text: str, warnings: list[str] | None = None, name: str = "") -> str:
    """Wrap bare components in a VCALENDAR and close what the file left open.

    A missing END:VEVENT is put where the event must have ended (before the next
    BEGIN:VEVENT, or before the END of what holds it), so the events after it are read
    as the file meant them; each repair is reported in `warnings`.
    """
    body = text.lstrip("\ufeff").strip()
    if not re.match(r"BEGIN:VCALENDAR", body, re.I):
        body = (
            f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//netbalance//import//EN\n{body}\nEND:VCALENDAR"
        )
    out: list[str] = []
    stack: list[tuple[str, int]] = []  # open components and the line each began on

    def close(what: str, began: int, where: str) -> None:
        out.append(f"END:{what}")
        if warnings is not None and what != "VCALENDAR":
            warnings.append(f"{name} line {began}: a {what} has no END:{what}; read up to {where}")

    for number, line in enumerate(body.splitlines(), 1):
        m = _BEGIN_END.match(line)
        if m is None:
            out.append(line)
            continue
        what = m.group(2).upper()
        if m.group(1).upper() == "BEGIN":
            if what in _NOT_NESTED and any(w == what for w, _ in stack):
                while stack:
                    open_what, began = stack.pop()
                    close(open_what, began, f"the next BEGIN:{what} (line {number})")
                    if open_what == what:
                        break
            stack.append((what, number))
        elif any(w == what for w, _ in stack):
            while stack[-1][0] != what:
                open_what, began = stack.pop()
                close(open_what, began, f"END:{what} (line {number})")
            stack.pop()
        out.append(line)
    while stack:
        open_what, began = stack.pop()
        close(open_what, began, "the end of the file")
    return "\n".join(out) + "\n"


def _parse(text: str, warnings: list[str], name: str) -> list[Any]:
    """Calendars in the text; retried without VTIMEZONE blocks when those break parsing."""
    repaired = _repair(text, warnings, name)
    try:
        parsed = icalendar.Calendar.from_ical(repaired, multiple=True)
    except Exception as first:  # icalendar raises ValueError, KeyError, IndexError...
        stripped = _VTIMEZONE_BLOCK.sub("", repaired)
        try:
            parsed = icalendar.Calendar.from_ical(stripped, multiple=True)
        except Exception:
            raise ImportFormatError(f"{name}: the calendar cannot be read ({first})") from None
        warnings.append(
            f"{name}: its time zone definitions are broken ({first}); "
            "times are read with the standard zone of the same name, or as local time"
        )
    return list(parsed) if isinstance(parsed, list) else [parsed]


def _as_utc(value: date | datetime, default_tz: tzinfo) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            value = value.replace(tzinfo=default_tz)
        return value.astimezone(UTC)
    return datetime(value.year, value.month, value.day, tzinfo=default_tz).astimezone(UTC)


def _text(component: Any, key: str) -> str:
    value = component.get(key)
    if value is None:
        return ""
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _categories(component: Any) -> tuple[str, ...]:
    """CATEGORIES (one property or several, each a comma list) as tags."""
    raw = component.get("CATEGORIES")
    if raw is None:
        return ()
    found: list[str] = []
    for prop in raw if isinstance(raw, list) else [raw]:
        cats = getattr(prop, "cats", None)
        values = cats if cats is not None else str(prop).split(",")
        found += [clip(str(v).strip()) for v in values if str(v).strip()]
    return tuple(dict.fromkeys(found))


def _hours(component: Any, location: str, warnings: list[str]) -> float | None:
    text = _text(component, NETBALANCE_HOURS)
    if not text or text.lower() == "none":
        return None
    try:
        hours = float(text)
    except ValueError:
        hours = -1.0
    if not 0 <= hours <= 336:
        warnings.append(f"{location}: {NETBALANCE_HOURS} {text[:20]!r} is not 0 to 336 hours")
        return None
    return hours


def _attendees(component: Any) -> tuple[str, ...]:
    raw = component.get("ATTENDEE")
    if raw is None:
        return ()
    found: list[str] = []
    for a in raw if isinstance(raw, list) else [raw]:
        # Folding inside the address leaves stray spaces ("hcabot@ example.com").
        address = "".join(str(a).split())
        if address.lower().startswith("mailto:"):
            address = address[7:]
        params = getattr(a, "params", {})
        cn = str(params.get("CN", "")).strip()
        label = f"{cn} <{address}>" if cn and address else cn or address
        if label:
            found.append(clip(label, MAX_NAME_CHARS))
    return tuple(dict.fromkeys(found))


def _uid(component: Any) -> str:
    uid = _text(component, "UID")
    if uid:
        return uid
    # No UID (RFC 5545 requires one; some exporters omit it): derive a stable one so a
    # second import of the same file finds the same events.
    # DTSTAMP changes on every export, so it is left out of the content hash.
    lines = [
        line
        for line in component.to_ical().decode("utf-8", "replace").splitlines()
        if not line.upper().startswith("DTSTAMP")
    ]
    digest = hashlib.sha1("\n".join(lines).encode("utf-8", "replace")).hexdigest()
    return CONTENT_UID_PREFIX + digest[:16]


class _Reader:
    def __init__(self, name: str, now: datetime, default_tz: tzinfo, result: ReadResult) -> None:
        self.name = name
        self.now = now
        self.default_tz = default_tz
        self.result = result

    def event(self, component: Any, location: str, uid: str) -> None:
        """Turn one VEVENT (or one occurrence) into an IncomingEvent or a Skipped."""
        if _text(component, NETBALANCE_KIND):
            self.result.skipped.append(Skipped(location, "a netbalance reminder, not an event"))
            return
        title = _text(component, "SUMMARY") or "Untitled event"
        own_status = _text(component, NETBALANCE_STATUS).lower()
        if _text(component, "STATUS").upper() == "CANCELLED" and not own_status:
            self.result.skipped.append(Skipped(location, f"{title!r} is cancelled"))
            return
        dtstart = component.get("DTSTART")
        if dtstart is None or not isinstance(getattr(dtstart, "dt", None), date):
            self.result.skipped.append(Skipped(location, f"{title!r} has no start (DTSTART)"))
            return
        start_value = dtstart.dt
        if isinstance(start_value, datetime) and start_value.tzinfo is None:
            tzid = getattr(dtstart, "params", {}).get("TZID")
            if tzid:
                self.result.warnings.append(
                    f"{location}: time zone {str(tzid)!r} is not defined; read as local time"
                )
        start = _as_utc(start_value, self.default_tz)
        end: datetime | None = None
        dtend = component.get("DTEND")
        if dtend is not None and isinstance(getattr(dtend, "dt", None), date):
            end = _as_utc(dtend.dt, self.default_tz)
        elif component.get("DURATION") is not None:
            duration = getattr(component["DURATION"], "dt", None)
            if isinstance(duration, timedelta):
                end = start + duration
        all_day = not isinstance(start_value, datetime)
        if all_day and (end is None or end <= start):
            end = start + timedelta(days=1)
        if end is not None and end <= start:
            end = None
        try:
            event_status = (
                EventStatus(own_status) if own_status else self._status(component, start, end)
            )
            event = Event(
                title=clip(title),
                start=start,
                end=end,
                place=clip(_text(component, "LOCATION")),
                link=clip(_text(component, "URL")),
                status=event_status,
                notes=clip(_text(component, "DESCRIPTION")),
                tags=_categories(component),
                hours=_hours(component, location, self.result.warnings),
                uid=uid,
            )
        except (DomainError, ValueError) as err:
            self.result.skipped.append(Skipped(location, f"not a valid event: {err}"))
            return
        self.result.events.append(IncomingEvent(event, location, _attendees(component)))

    def _status(self, component: Any, start: datetime, end: datetime | None) -> EventStatus:
        if _text(component, "STATUS").upper() == "TENTATIVE":
            return EventStatus.CONSIDERING
        # A past event on the user's calendar most likely happened; a future one is
        # left for triage rather than assumed.
        return EventStatus.ATTENDED if (end or start) < self.now else EventStatus.CONSIDERING


def _is_recurring(component: Any) -> bool:
    return component.get("RRULE") is not None or component.get("RDATE") is not None


def read_ics_text(
    text: str,
    name: str,
    now: datetime,
    *,
    default_tz: str = "UTC",
    deadline: Deadline | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Events of one calendar text; see the module docstring for what is repaired."""
    deadline = deadline or Deadline()
    result = ReadResult(kind="ics", source=name)
    raw_count = len(_BEGIN_VEVENT.findall(text))
    if raw_count == 0:
        if re.search(r"^BEGIN:VCALENDAR", text.lstrip("\ufeff"), re.I | re.M):
            result.warnings.append(f"{name}: the calendar holds no events")
            return result
        raise ImportFormatError(wrong_kind_message(name, "ics", text))
    if raw_count > MAX_ITEMS:
        raise ImportFormatError(f"{name}: more than {MAX_ITEMS} events; split the file")
    tz = _zone(default_tz)
    reader = _Reader(name, now, tz, result)
    calendars = _parse(text, result.warnings, name)
    lo, hi = now - HORIZON_PAST, now + HORIZON_FUTURE
    budget = ExpansionBudget()
    seen_components = 0
    number = 0
    for calendar in calendars:
        vevents = [c for c in calendar.walk("VEVENT")]
        seen_components += len(vevents)
        for component in vevents:
            for prop, message in getattr(component, "errors", []) or []:
                result.warnings.append(f"{name}: {prop or 'a line'} could not be read ({message})")
        series: dict[str, list[Any]] = defaultdict(list)
        for component in vevents:
            series[_uid(component)].append(component)
        for uid, parts in series.items():
            deadline.check()
            number += 1
            title = next(
                (_text(p, "SUMMARY") for p in parts if _text(p, "SUMMARY")), "Untitled event"
            )
            location = f"{name} event {number} ({title[:40]!r})"
            if progress is not None:
                progress(number, len(series))
            if any(_text(p, NETBALANCE_KIND) for p in parts):
                result.skipped.append(Skipped(location, "a netbalance reminder, not an event"))
                continue
            if not any(_is_recurring(p) for p in parts):
                for part in parts:
                    rid = part.get("RECURRENCE-ID")
                    suffix = f"#{_as_utc(rid.dt, tz).isoformat()}" if rid is not None else ""
                    reader.event(part, location, uid + suffix)
                continue
            _expand(reader, calendar, uid, parts, location, lo, hi, budget)
    if seen_components < raw_count:
        result.skipped.append(
            Skipped(
                name,
                f"{raw_count - seen_components} of {raw_count} events could not be read "
                "(the calendar is damaged around them)",
            )
        )
    return result


def _expand(
    reader: _Reader,
    calendar: Any,
    uid: str,
    parts: list[Any],
    location: str,
    lo: datetime,
    hi: datetime,
    budget: ExpansionBudget,
) -> None:
    """Occurrences of one series inside [lo, hi], bounded (interop/recurrence.py); says
    so when there are none, or when some or all were left out."""
    sub = icalendar.Calendar()
    for tz in calendar.walk("VTIMEZONE"):
        sub.add_component(tz)
    for part in parts:
        sub.add_component(part)
    if not any(p.get("DTSTART") is not None for p in parts):
        reader.result.skipped.append(Skipped(location, "a recurring event with no start (DTSTART)"))
        return
    skip = reader.result.skipped
    try:
        with budget.series():
            window = window_of(parts, lo, hi, reader.default_tz, MAX_OCCURRENCES_PER_SERIES)
            if window.refused:
                skip.append(Skipped(location, window.refused))
                return
            query = recurring_ical_events.of(
                sub, keep_recurrence_attributes=True, skip_bad_series=True
            )
            found = query.between(lo, window.stop)
    except ExpansionTooSlow:
        skip.append(Skipped(location, too_slow_reason(budget)))
        return
    except Exception as err:  # a series recurring-ical-events cannot expand
        skip.append(Skipped(location, f"the recurrence cannot be expanded ({err})"))
        return
    starts = [(o, o.get("DTSTART")) for o in found]
    dated = sorted(
        ((_as_utc(start.dt, reader.default_tz), o) for o, start in starts if start is not None),
        key=lambda pair: pair[0],
    )
    dated = [(at, o) for at, o in dated if at <= hi]
    if window.cut or len(dated) > MAX_OCCURRENCES_PER_SERIES:
        reader.result.warnings.append(
            f"{location}: more than {MAX_OCCURRENCES_PER_SERIES} occurrences between "
            f"{lo.date()} and {hi.date()}; the first {MAX_OCCURRENCES_PER_SERIES} are imported, "
            "the rest are left out"
        )
    for _at, occurrence in dated[:MAX_OCCURRENCES_PER_SERIES]:
        # The occurrence's original slot names it, so a moved instance keeps its identity.
        start = occurrence["DTSTART"]
        rid = occurrence.get("RECURRENCE-ID")
        slot = _as_utc(rid.dt if rid is not None else start.dt, reader.default_tz)
        reader.event(occurrence, location, f"{uid}#{slot.isoformat()}")
    if not dated:
        skip.append(
            Skipped(
                location,
                f"a recurring event with no occurrence between {lo.date()} and {hi.date()}",
            )
        )


def read_ics(
    path: Path,
    now: datetime,
    *,
    default_tz: str = "UTC",
    deadline: Deadline | None = None,
    progress: Progress | None = None,
) -> ReadResult:
    """Read an .ics file (or a folder of them, as vdirsyncer keeps calendars) into events."""
    deadline = deadline or Deadline()
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.ics"))
        if not files:
            raise ImportFormatError(f"{path}: the folder holds no .ics files")
        merged = ReadResult(kind="ics", source=str(path))
        for i, file in enumerate(files):
            text, _ = decode_text(read_bytes(file))
            try:
                one = read_ics_text(
                    text, str(file.relative_to(path)), now, default_tz=default_tz, deadline=deadline
                )
            except ImportFormatError as err:
                merged.skipped.append(Skipped(str(file.relative_to(path)), str(err)))
                continue
            merged.events += one.events
            merged.skipped += one.skipped
            merged.warnings += one.warnings
            if progress is not None:
                progress(i + 1, len(files))
        return merged
    text, _ = decode_text(read_bytes(path))
    result = read_ics_text(
        text, path.name, now, default_tz=default_tz, deadline=deadline, progress=progress
    )
    result.source = str(path)
    return result


# --- one item of a synced vdir folder -------------------------------------------------

# The netbalance properties of synced calendar items (interop/export_ics.py writes them).
NETBALANCE_GOALS = "X-NETBALANCE-GOALS"
NETBALANCE_MET = "X-NETBALANCE-MET"
NETBALANCE_CONTACT = "X-NETBALANCE-CONTACT"
NETBALANCE_EVENT = "X-NETBALANCE-EVENT"
_JOURNAL_FIELDS = {
    "X-NETBALANCE-INTERACTION": "kind",
    "X-NETBALANCE-DEPTH": "depth",
    "X-NETBALANCE-INITIATOR": "initiated_by",
    "X-NETBALANCE-MINUTES": "minutes",
    "X-NETBALANCE-NEXT-STEP": "next_step",
    "X-NETBALANCE-NEXT-STEP-ON": "next_step_on",
    NETBALANCE_EVENT: "event",
}


def _uids(component: Any, key: str) -> tuple[str, ...]:
    """Uids from one property holding a comma list, or from one property per uid."""
    raw = component.get(key)
    if raw is None:
        return ()
    found: list[str] = []
    for prop in raw if isinstance(raw, list) else [raw]:
        found += [u.strip() for u in str(prop).split(",") if u.strip()]
    return tuple(dict.fromkeys(found))


def _stamp(component: Any) -> datetime | None:
    for key in ("LAST-MODIFIED", "DTSTAMP"):
        value = getattr(component.get(key), "dt", None)
        if isinstance(value, datetime):
            return _as_utc(value, UTC)
    return None


def _day(component: Any, key: str) -> date | None:
    value = getattr(component.get(key), "dt", None)
    if isinstance(value, datetime):
        return value.astimezone(UTC).date()
    return value if isinstance(value, date) else None


def read_vdir_item(text: str, name: str, now: datetime) -> VdirItem | Skipped:
    """The one event, journal (an interaction) or to-do (a goal or a follow-up) of a
    calendar file in a synced vdir; or why it cannot be synced."""
    warnings: list[str] = []
    try:
        calendars = _parse(text, warnings, name)
    except ImportFormatError as err:
        return Skipped(name, str(err).removeprefix(f"{name}: "))
    components = [
        c for cal in calendars for c in cal.walk() if c.name in ("VEVENT", "VTODO", "VJOURNAL")
    ]
    if not components:
        return Skipped(name, "holds no event, journal or to-do")
    uids = {_text(c, "UID") for c in components}
    if len(uids) > 1:
        return Skipped(name, f"holds {len(uids)} items; a vdir keeps one per file")
    component = components[0]
    uid = _text(component, "UID")
    if not uid:
        return Skipped(name, "has no UID")
    if len(components) > 1 or _is_recurring(component):
        return Skipped(name, "a recurring event; only single events are synced")
    try:
        if component.name == "VEVENT":
            return _vdir_event(component, name, now, uid)
        if component.name == "VJOURNAL":
            return _vdir_journal(component, name, uid)
        return _vdir_todo(component, name, uid)
    except (DomainError, ValueError, TypeError, KeyError) as err:
        return Skipped(name, f"cannot be read ({err})")


def _vdir_event(component: Any, name: str, now: datetime, uid: str) -> VdirItem | Skipped:
    result = ReadResult(kind="ics", source=name)
    _Reader(name, now, UTC, result).event(component, name, uid)
    if not result.events:
        return result.skipped[0] if result.skipped else Skipped(name, "not an event")
    stated = {"title", "start", "end", "place", "link", "tags", "notes"}
    for key, field_name in (
        (NETBALANCE_STATUS, "status"),
        (NETBALANCE_HOURS, "hours"),
        (NETBALANCE_GOALS, "goals"),
        (NETBALANCE_MET, "met"),
    ):
        if component.get(key) is not None:
            stated.add(field_name)
    return VdirItem(
        kind="event",
        uid=uid,
        record=result.events[0].event,
        links={
            "goals": _uids(component, NETBALANCE_GOALS),
            "met": _uids(component, NETBALANCE_MET),
        },
        stated=frozenset(stated),
        changed_at=_stamp(component),
    )


def _vdir_journal(component: Any, name: str, uid: str) -> VdirItem | Skipped:
    contacts = _uids(component, NETBALANCE_CONTACT)
    if not contacts:
        return Skipped(name, "a journal that names no contact (X-NETBALANCE-CONTACT)")
    start = component.get("DTSTART")
    if start is None or not isinstance(getattr(start, "dt", None), date):
        return Skipped(name, "a journal with no date (DTSTART)")
    note = _text(component, "DESCRIPTION")
    if component.get("X-NETBALANCE-INTERACTION") is None:
        # Another app's journal: its summary is the user's words; ours is made from the kind.
        note = "\n\n".join(t for t in (_text(component, "SUMMARY"), note) if t)
    minutes = _text(component, "X-NETBALANCE-MINUTES").lower()
    step_on = _text(component, "X-NETBALANCE-NEXT-STEP-ON").lower()
    interaction = Interaction(
        contact_ids=(0,),
        at=_as_utc(start.dt, UTC),
        kind=parse_enum(
            InteractionKind, "kind", _text(component, "X-NETBALANCE-INTERACTION") or "other"
        ),
        depth=int(_text(component, "X-NETBALANCE-DEPTH") or 2),
        initiated_by=parse_enum(
            Initiator, "initiator", _text(component, "X-NETBALANCE-INITIATOR") or "me"
        ),
        minutes=int(minutes) if minutes and minutes != "none" else None,
        note=clip(note),
        next_step=clip(_text(component, "X-NETBALANCE-NEXT-STEP"), 2000),
        next_step_on=date.fromisoformat(step_on) if step_on and step_on != "none" else None,
        uid=uid,
    )
    stated = {"contacts", "at", "note"}
    stated |= {f for key, f in _JOURNAL_FIELDS.items() if component.get(key) is not None}
    return VdirItem(
        kind="interaction",
        uid=uid,
        record=interaction,
        links={"contacts": contacts, "event": _uids(component, NETBALANCE_EVENT)[:1]},
        stated=frozenset(stated),
        changed_at=_stamp(component),
        cancelled=_text(component, "STATUS").upper() == "CANCELLED",
    )


def _vdir_todo(component: Any, name: str, uid: str) -> VdirItem | Skipped:
    kind = _text(component, NETBALANCE_KIND).lower()
    status = _text(component, "STATUS").upper()
    if kind == "followup":
        completed = getattr(component.get("COMPLETED"), "dt", None)
        done = status == "COMPLETED"
        done_at = _as_utc(completed, UTC) if done and isinstance(completed, datetime) else None
        return VdirItem(
            kind="followup",
            uid=uid,
            record=None,
            links={"contacts": _uids(component, NETBALANCE_CONTACT)},
            changed_at=_stamp(component),
            done_at=done_at or (_stamp(component) if done else None),
        )
    if kind and kind != "goal":
        return Skipped(name, f"a netbalance {kind}, not synced")
    goal_kind = _text(component, "X-NETBALANCE-GOAL-KIND") or "other"
    created = getattr(component.get("X-NETBALANCE-CREATED"), "dt", None)
    created_text = _text(component, "X-NETBALANCE-CREATED")
    goal = Goal(
        title=clip(_text(component, "SUMMARY") or "Untitled goal", 300),
        kind=parse_enum(GoalKind, "goal kind", goal_kind),
        active=status not in ("COMPLETED", "CANCELLED"),
        target_date=_day(component, "DUE"),
        notes=clip(_text(component, "DESCRIPTION")),
        created_at=_created(created if isinstance(created, datetime) else created_text),
        uid=uid,
    )
    stated = {"title", "active", "target_date", "notes"}
    if component.get("X-NETBALANCE-GOAL-KIND") is not None:
        stated.add("kind")
    if created_text:
        stated.add("created_at")
    return VdirItem(
        kind="goal", uid=uid, record=goal, stated=frozenset(stated), changed_at=_stamp(component)
    )


def _created(value: datetime | str) -> datetime:
    if isinstance(value, datetime):
        return _as_utc(value, UTC)
    try:
        return _as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")), UTC)
    except ValueError:
        return Goal("x").created_at
