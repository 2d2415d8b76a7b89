"""Import planning: what an import would add, merge, leave unchanged or skip.

Pure functions over lists of domain objects, so a preview never writes and tests
need no store. Duplicates are found by email, then phone, then normalized name,
against the database and against earlier items of the same file, and merged:
never doubled. Merging only adds what is missing (emails, phones, links, tags,
blank fields, notes not already there), so a second run of the same import finds
everything unchanged. `apply_plan` then makes the one all-or-nothing write.

A netbalance JSON export read into an empty database is not merged but restored
(`plan_restore`): every record keeps its id, so goals, events met at, interactions
at events and weekly notes come back linked exactly as they were.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol, Self, TypeVar, runtime_checkable

from netbalance.domain import (
    Contact,
    DomainError,
    Event,
    Goal,
    Initiator,
    Interaction,
    InteractionKind,
    Settings,
    WeeklySnapshot,
)
from netbalance.interop.common import Progress, ReadResult, Skipped
from netbalance.interop.json_backup import BackupRead

NEW, MERGED, UNCHANGED, SKIPPED = "new", "merged", "unchanged", "skipped"


class ImportTarget(Protocol):
    """What planning and applying need from the store (netbalance.store.Store fits)."""

    def contacts(self, *, include_archived: bool = False) -> list[Contact]: ...
    def events(self) -> list[Event]: ...
    def goals(self) -> list[Goal]: ...
    def all_interactions(self) -> list[Interaction]: ...
    def import_batch(
        self,
        add_contacts: Sequence[Contact] = (),
        update_contacts: Sequence[Contact] = (),
        add_events: Sequence[Event] = (),
        update_events: Sequence[Event] = (),
        add_interactions: Sequence[Interaction] = (),
        *,
        add_goals: Sequence[Goal] = (),
    ) -> Any: ...


@runtime_checkable
class RestoreTarget(ImportTarget, Protocol):
    """A target that can take a full restore (netbalance.store.Store fits)."""

    def is_empty(self) -> bool: ...
    def restore(
        self,
        *,
        contacts: Sequence[Contact],
        interactions: Sequence[Interaction],
        events: Sequence[Event],
        goals: Sequence[Goal],
        snapshots: Sequence[WeeklySnapshot],
        settings: Settings | None,
    ) -> Any: ...


@dataclass(frozen=True)
class Restore:
    """Everything a full restore writes, with the file's ids and links (all checked)."""

    contacts: tuple[Contact, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    events: tuple[Event, ...] = ()
    goals: tuple[Goal, ...] = ()
    snapshots: tuple[WeeklySnapshot, ...] = ()
    settings: Settings | None = None

    @property
    def record_count(self) -> int:
        return (
            len(self.contacts)
            + len(self.interactions)
            + len(self.events)
            + len(self.goals)
            + len(self.snapshots)
            + (self.settings is not None)
        )

    def summary(self) -> str:
        text = (
            f"full restore: {len(self.contacts)} contacts, {len(self.interactions)} "
            f"interactions, {len(self.events)} events, {len(self.goals)} goals, "
            f"{len(self.snapshots)} weekly notes"
        )
        return text + (", settings" if self.settings is not None else "")


@dataclass(frozen=True, slots=True)
class PlanEntry:
    """The outcome for one item of the file."""

    outcome: str
    what: str  # contact, event, interaction
    label: str
    location: str
    detail: str = ""


@dataclass(frozen=True)
class ImportPlan:
    """A preview: counts, per-item outcomes, and exactly what one write would do."""

    kind: str
    source: str
    add_contacts: tuple[Contact, ...] = ()
    update_contacts: tuple[Contact, ...] = ()
    add_events: tuple[Event, ...] = ()
    update_events: tuple[Event, ...] = ()
    add_interactions: tuple[Interaction, ...] = ()
    entries: tuple[PlanEntry, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    warnings: tuple[str, ...] = ()
    # Attendees of imported events who are not contacts yet: offered, not added.
    suggested_contacts: tuple[str, ...] = ()
    # Goals a merge creates; contacts name them by placeholder ids -1, -2, ...
    add_goals: tuple[Goal, ...] = ()
    # Set for a full restore into an empty database; the add_* fields then mirror it.
    restore: Restore | None = None

    def counts(self) -> dict[str, int]:
        """new / merged / unchanged / skipped, over the file's items."""
        counts = {NEW: 0, MERGED: 0, UNCHANGED: 0, SKIPPED: len(self.skipped)}
        for entry in self.entries:
            counts[entry.outcome] = counts.get(entry.outcome, 0) + 1
        return counts

    @property
    def changes_anything(self) -> bool:
        if self.restore is not None:
            return self.restore.record_count > 0
        return bool(
            self.add_contacts
            or self.update_contacts
            or self.add_events
            or self.update_events
            or self.add_interactions
            or self.add_goals
        )

    def summary(self) -> str:
        c = self.counts()
        counts = f"{c[NEW]} new, {c[MERGED]} merged, {c[UNCHANGED]} unchanged, {c[SKIPPED]} skipped"
        if self.restore is not None:
            return f"{self.restore.summary()} ({counts})"
        return counts

    def to_json(self) -> dict[str, Any]:
        """The preview as plain data for `--json` and scripts."""
        return {
            "kind": self.kind,
            "source": self.source,
            "counts": self.counts(),
            "writes": {
                "add_contacts": len(self.add_contacts),
                "update_contacts": len(self.update_contacts),
                "add_events": len(self.add_events),
                "update_events": len(self.update_events),
                "add_interactions": len(self.add_interactions),
                "add_goals": len(self.add_goals),
            },
            "restore": (
                {
                    "contacts": len(self.restore.contacts),
                    "interactions": len(self.restore.interactions),
                    "events": len(self.restore.events),
                    "goals": len(self.restore.goals),
                    "weekly_notes": len(self.restore.snapshots),
                    "settings": self.restore.settings is not None,
                }
                if self.restore is not None
                else None
            ),
            "summary": self.summary(),
            "items": [
                {
                    "outcome": e.outcome,
                    "what": e.what,
                    "label": e.label,
                    "location": e.location,
                    "detail": e.detail,
                }
                for e in self.entries
            ],
            "skipped": [{"location": s.location, "reason": s.reason} for s in self.skipped],
            "warnings": list(self.warnings),
            "suggested_contacts": list(self.suggested_contacts),
        }


# --- keys for finding duplicates ---------------------------------------------------------


def name_key(name: str) -> str:
    """A name without accents, case, punctuation or word order: 'Doe, John' is 'john doe'."""
    if "@" in name:
        return ""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    words = re.findall(r"\w+", plain)
    if not any(ch.isalpha() for w in words for ch in w):
        return ""
    return " ".join(sorted(words))


def phone_key(phone: str) -> str:
    """The last nine digits: '+49 171 1234567' and '0171 1234567' are one phone."""
    digits = re.sub(r"\D", "", phone.split(";")[0])
    # Fewer than 7 digits is an extension or a placeholder, not a way to recognise a person.
    return digits[-9:] if len(digits) >= 7 else ""


Key = tuple[str, int]  # ("id", contact id) or ("new", index in add_contacts)


class _ContactIndex:
    def __init__(self) -> None:
        self.by_email: dict[str, Key] = {}
        self.by_phone: dict[str, Key] = {}
        self.by_name: dict[str, Key] = {}

    def add(self, key: Key, contact: Contact) -> None:
        for email in contact.emails:
            self.by_email.setdefault(email.lower(), key)
        for phone in contact.phones:
            pk = phone_key(phone)
            if pk:
                self.by_phone.setdefault(pk, key)
        nk = name_key(contact.name)
        if nk:
            self.by_name.setdefault(nk, key)

    def find(self, contact: Contact) -> tuple[Key, str] | None:
        for email in contact.emails:
            if email.lower() in self.by_email:
                return self.by_email[email.lower()], f"same email {email}"
        for phone in contact.phones:
            pk = phone_key(phone)
            if pk and pk in self.by_phone:
                return self.by_phone[pk], f"same phone {phone}"
        nk = name_key(contact.name)
        if nk and nk in self.by_name:
            return self.by_name[nk], "same name"
        return None


def merge_contact(base: Contact, incoming: Contact) -> Contact:
    """`base` with what `incoming` adds; never removes or overwrites what the user has."""
    changes: dict[str, Any] = {}

    def union(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
        return a + tuple(x for x in b if x not in a)

    for name in ("emails", "links", "tags", "goal_ids"):
        merged = union(getattr(base, name), getattr(incoming, name))
        if merged != getattr(base, name):
            changes[name] = merged
    known = {phone_key(p) or p for p in base.phones}
    extra = tuple(p for p in incoming.phones if (phone_key(p) or p) not in known)
    if extra:
        changes["phones"] = base.phones + extra
    for name in ("company", "role", "how_met"):
        if not getattr(base, name) and getattr(incoming, name):
            changes[name] = getattr(incoming, name)
    if (base.birthday is None and incoming.birthday is not None) or (
        base.birthday is not None
        and incoming.birthday is not None
        and base.birthday.year is None
        and incoming.birthday.year is not None
        and (base.birthday.month, base.birthday.day)
        == (incoming.birthday.month, incoming.birthday.day)
    ):
        changes["birthday"] = incoming.birthday
    if incoming.notes and incoming.notes not in base.notes:
        changes["notes"] = f"{base.notes}\n\n{incoming.notes}" if base.notes else incoming.notes
    return base.edit(**changes) if changes else base


# --- planning ----------------------------------------------------------------------------


@dataclass
class _Work:
    existing: dict[int, Contact]
    updated: dict[int, Contact] = field(default_factory=dict)
    new: list[Contact] = field(default_factory=list)

    def get(self, key: Key) -> Contact:
        if key[0] == "new":
            return self.new[key[1]]
        return self.updated.get(key[1], self.existing[key[1]])

    def put(self, key: Key, contact: Contact) -> None:
        if key[0] == "new":
            self.new[key[1]] = contact
        elif contact != self.existing[key[1]]:
            self.updated[key[1]] = contact


def _placeholder(key: Key) -> int:
    return -(key[1] + 1) if key[0] == "new" else key[1]


def plan_import(
    result: ReadResult,
    *,
    contacts: Sequence[Contact],
    events: Sequence[Event],
    interactions: Sequence[Interaction],
    goals: Sequence[Goal],
    now: datetime,
    progress: Progress | None = None,
) -> ImportPlan:
    """Decide, for every item read, whether it is new, merged, unchanged or skipped."""
    entries: list[PlanEntry] = []
    skipped = list(result.skipped)
    warnings = list(result.warnings)
    work = _Work(existing={c.id: c for c in contacts})
    index = _ContactIndex()
    for c in contacts:
        index.add(("id", c.id), c)
    goal_ids = {g.title.casefold(): g.id for g in goals}
    backup = result if isinstance(result, BackupRead) else None
    add_goals: list[Goal] = []
    # A backup's goal ids mapped to goals here (or to placeholders -n for add_goals[n-1]).
    file_goals: dict[int, int] = {}
    if backup is not None:
        goals_by_id = {g.id: g for g in goals}
        for goal, location in backup.goals:
            title = goal.title.casefold()
            same = goals_by_id.get(goal.id)
            if same is not None and same.title.casefold() == title:
                file_goals[goal.id] = same.id
                entries.append(PlanEntry(UNCHANGED, "goal", goal.title, location))
            elif title in goal_ids:
                file_goals[goal.id] = goal_ids[title]
                entries.append(
                    PlanEntry(
                        UNCHANGED,
                        "goal",
                        goal.title,
                        location,
                        f"same title as goal #{goal_ids[title]}",
                    )
                )
            else:
                add_goals.append(goal.edit(id=0))
                goal_ids[title] = file_goals[goal.id] = -len(add_goals)
                entries.append(PlanEntry(NEW, "goal", goal.title, location))
    # Contacts of one backup are distinct records: none is merged into another of the
    # file, and a contact here is matched by name to only one of them.
    claimed: set[Key] = set()
    times_by_contact: dict[int, set[datetime]] = {}
    interaction_keys: set[tuple[tuple[int, ...], datetime, str]] = set()
    for i in interactions:
        for cid in i.contact_ids:
            times_by_contact.setdefault(cid, set()).add(i.at)
        interaction_keys.add((tuple(sorted(i.contact_ids)), i.at, i.kind.value))
    planned_first: dict[Key, Interaction] = {}
    file_ids: dict[int, Key] = {}
    total = result.item_count or 1

    for n, item in enumerate(result.contacts):
        if progress is not None and n % 500 == 0:
            progress(n, total)
        incoming = item.contact.edit(id=0)
        if backup is not None:
            linked = (file_goals[g] for g in item.contact.goal_ids if g in file_goals)
            incoming = incoming.edit(goal_ids=tuple(dict.fromkeys(linked)))
        elif item.goal_titles:
            found = [goal_ids[t.casefold()] for t in item.goal_titles if t.casefold() in goal_ids]
            missing = [t for t in item.goal_titles if t.casefold() not in goal_ids]
            if missing:
                warnings.append(
                    f"{item.location}: goal(s) {', '.join(missing)} not found; not linked"
                )
            incoming = incoming.edit(goal_ids=tuple(found))
        else:
            incoming = incoming.edit(goal_ids=())
        # Ids of goals, events and contacts in another database mean nothing here.
        incoming = incoming.edit(met_at_event_id=None)
        match = (
            _backup_match(item.contact, work, index, claimed) if backup else index.find(incoming)
        )
        if match is None:
            key: Key = ("new", len(work.new))
            work.new.append(incoming)
            index.add(key, incoming)
            entries.append(PlanEntry(NEW, "contact", incoming.name, item.location))
            claimed.add(key)
        else:
            key, why = match
            claimed.add(key)
            before = work.get(key)
            merged = merge_contact(before, incoming)
            work.put(key, merged)
            index.add(key, merged)
            where = "an earlier card/row of this file" if key[0] == "new" else f"contact #{key[1]}"
            outcome = MERGED if merged != before else UNCHANGED
            entries.append(
                PlanEntry(
                    outcome,
                    "contact",
                    incoming.name,
                    item.location,
                    f"{why} as {where} ({before.name})",
                )
            )
        if item.contact.id:
            file_ids[item.contact.id] = key
        if item.first_interaction_at is not None:
            at = item.first_interaction_at
            known = times_by_contact.get(key[1], set()) if key[0] == "id" else set()
            earlier = planned_first.get(key)
            if at in known or (earlier is not None and earlier.at <= at):
                continue
            try:
                interaction = Interaction(
                    contact_ids=(_placeholder(key),),
                    at=at,
                    kind=InteractionKind.OTHER,
                    depth=1,
                    initiated_by=Initiator.ME,
                    note=item.first_interaction_note,
                )
                interaction.check_not_future(now)
            except DomainError as err:
                warnings.append(f"{item.location}: first interaction left out ({err})")
                continue
            planned_first[key] = interaction

    add_interactions = list(planned_first.values())
    for item_i in result.interactions:
        src = item_i.interaction
        ids: list[int] = []
        for cid in src.contact_ids:
            mapped = file_ids.get(cid)
            if mapped is None:
                break
            ids.append(_placeholder(mapped))
        if len(ids) != len(src.contact_ids):
            skipped.append(Skipped(item_i.location, "it names a contact that is not in the file"))
            continue
        real = tuple(sorted(ids))
        label = f"{src.kind.value} on {src.at.date()}"
        if all(i > 0 for i in ids) and (real, src.at, src.kind.value) in interaction_keys:
            entries.append(PlanEntry(UNCHANGED, "interaction", label, item_i.location))
            continue
        interaction_keys.add((real, src.at, src.kind.value))
        add_interactions.append(src.edit(id=0, contact_ids=tuple(ids), event_id=None))
        entries.append(PlanEntry(NEW, "interaction", label, item_i.location))

    add_events, update_events, event_entries, suggestions = _plan_events(
        result, events, index, by_id=backup is not None
    )
    entries += event_entries
    if progress is not None:
        progress(total, total)
    return ImportPlan(
        kind=result.kind,
        source=result.source,
        add_contacts=tuple(work.new),
        update_contacts=tuple(work.updated.values()),
        add_events=tuple(add_events),
        update_events=tuple(update_events),
        add_interactions=tuple(add_interactions),
        entries=tuple(entries),
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        suggested_contacts=tuple(suggestions),
        add_goals=tuple(add_goals),
    )


def _backup_match(
    contact: Contact, work: _Work, index: _ContactIndex, claimed: set[Key]
) -> tuple[Key, str] | None:
    """The contact here that a backup's contact is: the same id and name first (a backup
    of this very database), else by email, phone or name, never another of the file."""
    incoming = contact.edit(id=0)
    same = work.existing.get(contact.id) if contact.id else None
    if same is not None and ("id", same.id) not in claimed:
        current = work.get(("id", same.id))
        if current.name == incoming.name or (
            name_key(current.name) and name_key(current.name) == name_key(incoming.name)
        ):
            return ("id", same.id), "same id and name"
    match = index.find(incoming)
    if match is None or match[0][0] == "new":
        return None
    if match[1] == "same name" and match[0] in claimed:
        return None
    return match


# What the calendar owns; status, goals, tags, hours and who-I-met are the user's.
_CALENDAR_FIELDS = ("title", "start", "end", "place", "link", "notes")


def _plan_events(
    result: ReadResult, events: Sequence[Event], index: _ContactIndex, *, by_id: bool = False
) -> tuple[list[Event], list[Event], list[PlanEntry], list[str]]:
    # A backup's event with the id, title and start of one here is that event.
    same_id = {(e.id, e.title.casefold(), e.start): e for e in events} if by_id else {}
    by_uid = {e.uid: e for e in events if e.uid}
    by_slot = {(e.title.casefold(), e.start): e for e in events}
    planned_uids: set[str] = set()
    adds: list[Event] = []
    updates: dict[int, Event] = {}
    entries: list[PlanEntry] = []
    suggestions: dict[str, None] = {}
    for item in result.events:
        incoming = item.event.edit(id=0, goal_ids=(), met_contact_ids=())
        label = f"{incoming.title} ({incoming.start.date()})"
        for attendee in item.attendees:
            email = attendee.rsplit("<", 1)[-1].rstrip(">") if "<" in attendee else attendee
            if email.lower() not in index.by_email and name_key(attendee) not in index.by_name:
                suggestions.setdefault(attendee, None)
        if incoming.uid and incoming.uid in planned_uids:
            entries.append(
                PlanEntry(UNCHANGED, "event", label, item.location, "repeated in the file")
            )
            continue
        existing = same_id.get((item.event.id, incoming.title.casefold(), incoming.start))
        if existing is None and incoming.uid:
            existing = by_uid.get(incoming.uid)
        existing = existing or by_slot.get((incoming.title.casefold(), incoming.start))
        planned_uids.add(incoming.uid)
        if existing is None:
            adds.append(incoming)
            entries.append(PlanEntry(NEW, "event", label, item.location))
            continue
        base = updates.get(existing.id, existing)
        changes = {
            f: getattr(incoming, f)
            for f in _CALENDAR_FIELDS
            if getattr(incoming, f) != getattr(base, f)
        }
        if not base.uid and incoming.uid:
            changes["uid"] = incoming.uid
        if not changes:
            entries.append(
                PlanEntry(UNCHANGED, "event", label, item.location, f"event #{existing.id}")
            )
            continue
        try:
            updates[existing.id] = base.edit(**changes)
        except DomainError as err:
            entries.append(
                PlanEntry(UNCHANGED, "event", label, item.location, f"not updated: {err}")
            )
            continue
        entries.append(
            PlanEntry(MERGED, "event", label, item.location, f"updates event #{existing.id}")
        )
    return adds, list(updates.values()), entries, list(suggestions)


# --- full restore ------------------------------------------------------------------------


class _Record(Protocol):
    @property
    def id(self) -> int: ...
    def edit(self, **changes: object) -> Self: ...


R = TypeVar("R", bound=_Record)


def _numbered(
    items: Sequence[tuple[R, str]], what: str, skipped: list[Skipped]
) -> dict[int, tuple[R, str]]:
    """Records by their file id: a repeated id is skipped (links to it would be
    ambiguous); a record without one gets a free id (nothing can link to it)."""
    kept: dict[int, tuple[R, str]] = {}
    unnumbered: list[tuple[R, str]] = []
    for record, location in items:
        if record.id == 0:
            unnumbered.append((record, location))
        elif record.id in kept:
            first = kept[record.id][1]
            skipped.append(Skipped(location, f"repeats the id {record.id} of {what} {first}"))
        else:
            kept[record.id] = (record, location)
    next_id = max(kept, default=0) + 1
    for record, location in unnumbered:
        kept[next_id] = (record.edit(id=next_id), location)
        next_id += 1
    return kept


def plan_restore(result: BackupRead, progress: Progress | None = None) -> ImportPlan:
    """Plan a full restore of a netbalance export into an empty database.

    Every record keeps its id. References are checked before anything is written:
    an interaction with a contact that is not in the file is skipped; a link to a
    goal, event or contact that is not in the file is dropped with a note.
    """
    skipped = list(result.skipped)
    warnings = list(result.warnings)
    entries: list[PlanEntry] = []
    total = result.item_count or 1
    if progress is not None:
        progress(0, total)

    goals = _numbered(result.goals, "goal", skipped)
    events_in = _numbered([(i.event, i.location) for i in result.events], "event", skipped)
    contacts_in = _numbered([(i.contact, i.location) for i in result.contacts], "contact", skipped)

    def kept_links(
        ids: tuple[int, ...], known: Mapping[int, object], what: str, where: str
    ) -> tuple[int, ...]:
        missing = [i for i in ids if i not in known]
        if missing:
            listed = ", ".join(f"#{i}" for i in missing)
            warnings.append(f"{where}: {what} {listed} not in the file; link dropped")
        return tuple(i for i in ids if i in known)

    contacts: list[Contact] = []
    for contact, location in contacts_in.values():
        goal_ids = kept_links(contact.goal_ids, goals, "goal", location)
        met_at = contact.met_at_event_id
        if met_at is not None and met_at not in events_in:
            warnings.append(f"{location}: met at event #{met_at}, not in the file; link dropped")
            met_at = None
        contact = contact.edit(goal_ids=goal_ids, met_at_event_id=met_at)
        contacts.append(contact)
        entries.append(PlanEntry(NEW, "contact", contact.name, location, f"#{contact.id}"))

    events: list[Event] = []
    for event, location in events_in.values():
        event = event.edit(
            goal_ids=kept_links(event.goal_ids, goals, "goal", location),
            met_contact_ids=kept_links(event.met_contact_ids, contacts_in, "contact", location),
        )
        events.append(event)
        label = f"{event.title} ({event.start.date()})"
        entries.append(PlanEntry(NEW, "event", label, location, f"#{event.id}"))

    interactions: list[Interaction] = []
    numbered = _numbered(
        [(i.interaction, i.location) for i in result.interactions], "interaction", skipped
    )
    for interaction, location in numbered.values():
        missing = [c for c in interaction.contact_ids if c not in contacts_in]
        if missing:
            listed = ", ".join(f"#{c}" for c in missing)
            skipped.append(Skipped(location, f"it names contact {listed}, not in the file"))
            continue
        if interaction.event_id is not None and interaction.event_id not in events_in:
            warnings.append(
                f"{location}: at event #{interaction.event_id}, not in the file; link dropped"
            )
            interaction = interaction.edit(event_id=None)
        interactions.append(interaction)
        label = f"{interaction.kind.value} on {interaction.at.date()}"
        entries.append(PlanEntry(NEW, "interaction", label, location))

    for goal, location in goals.values():
        entries.append(PlanEntry(NEW, "goal", goal.title, location, f"#{goal.id}"))

    weeks: dict[date, str] = {}
    unique_weeks: list[tuple[WeeklySnapshot, str]] = []
    for snapshot, location in result.snapshots:
        if snapshot.week_start in weeks:
            first = weeks[snapshot.week_start]
            skipped.append(Skipped(location, f"a second snapshot of the week of {first}"))
            continue
        weeks[snapshot.week_start] = location
        unique_weeks.append((snapshot, location))
    snapshots: list[WeeklySnapshot] = []
    for snapshot, location in _numbered(unique_weeks, "weekly snapshot", skipped).values():
        snapshots.append(snapshot)
        label = f"week of {snapshot.week_start}" + (" (with a note)" if snapshot.note else "")
        entries.append(PlanEntry(NEW, "weekly note", label, location))
    if progress is not None:
        progress(total, total)

    restore = Restore(
        contacts=tuple(contacts),
        interactions=tuple(interactions),
        events=tuple(events),
        goals=tuple(g for g, _ in goals.values()),
        snapshots=tuple(snapshots),
        settings=result.settings,
    )
    return ImportPlan(
        kind=result.kind,
        source=result.source,
        add_contacts=restore.contacts,
        add_events=restore.events,
        add_interactions=restore.interactions,
        add_goals=restore.goals,
        entries=tuple(entries),
        skipped=tuple(skipped),
        warnings=tuple(warnings),
        restore=restore,
    )


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What the write did."""

    added_contacts: int
    updated_contacts: int
    added_events: int
    updated_events: int
    added_interactions: int
    added_goals: int = 0
    # A full restore also brought back weekly snapshots (with notes) and settings.
    restored: bool = False
    restored_snapshots: int = 0
    restored_settings: bool = False


def apply_plan(
    target: ImportTarget, plan: ImportPlan, progress: Progress | None = None
) -> ImportOutcome:
    """Make the plan's one all-or-nothing write; nothing is written when nothing changes."""
    total = (
        len(plan.add_contacts)
        + len(plan.update_contacts)
        + len(plan.add_events)
        + len(plan.update_events)
        + len(plan.add_interactions)
        + len(plan.add_goals)
    )
    if progress is not None:
        progress(0, total)
    restore = plan.restore
    if restore is not None:
        if not isinstance(target, RestoreTarget):
            raise TypeError(f"{type(target).__name__} cannot take a full restore")
        if plan.changes_anything:
            target.restore(
                contacts=restore.contacts,
                interactions=restore.interactions,
                events=restore.events,
                goals=restore.goals,
                snapshots=restore.snapshots,
                settings=restore.settings,
            )
    elif plan.changes_anything:
        # Only name add_goals when there are some: simpler targets need not know it.
        extra: dict[str, Any] = {"add_goals": plan.add_goals} if plan.add_goals else {}
        target.import_batch(
            add_contacts=plan.add_contacts,
            update_contacts=plan.update_contacts,
            add_events=plan.add_events,
            update_events=plan.update_events,
            add_interactions=plan.add_interactions,
            **extra,
        )
    if progress is not None:
        progress(total, total)
    return ImportOutcome(
        len(plan.add_contacts),
        len(plan.update_contacts),
        len(plan.add_events),
        len(plan.update_events),
        len(plan.add_interactions),
        added_goals=len(plan.add_goals),
        restored=restore is not None,
        restored_snapshots=len(restore.snapshots) if restore is not None else 0,
        restored_settings=restore is not None and restore.settings is not None,
    )


def plan_with(
    target: ImportTarget, result: ReadResult, now: datetime, progress: Progress | None = None
) -> ImportPlan:
    """Plan `result` against what `target` holds now (archived contacts included).

    A netbalance export into an empty database is a full restore; anything else merges.
    """
    if isinstance(result, BackupRead) and isinstance(target, RestoreTarget) and target.is_empty():
        return plan_restore(result, progress)
    return plan_import(
        result,
        contacts=target.contacts(include_archived=True),
        events=target.events(),
        interactions=target.all_interactions(),
        goals=target.goals(),
        now=now,
        progress=progress,
    )


__all__ = [
    "MERGED",
    "NEW",
    "SKIPPED",
    "UNCHANGED",
    "ImportOutcome",
    "ImportPlan",
    "ImportTarget",
    "PlanEntry",
    "Restore",
    "RestoreTarget",
    "apply_plan",
    "merge_contact",
    "name_key",
    "phone_key",
    "plan_import",
    "plan_restore",
    "plan_with",
]
