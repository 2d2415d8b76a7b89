"""Import planning: what an import would add, merge, leave unchanged or skip.

Pure functions over lists of domain objects, so a preview never writes and tests
need no store. A person is recognised by the identity rules (domain/identity.py):
the same uid or alias, then email, then phone or profile link with an agreeing name,
against the database and against earlier items of the same file, and merged: never
doubled. A name alone (or a phone under another name) never merges: the contact is
new and the preview says who it might be, for the duplicates review. Merging only
adds what is missing (domain/merge.py `absorb`), so the write applies it to the
records as they are then, and a second run of the same import finds everything
unchanged. `apply_plan` then makes the one all-or-nothing write.

A netbalance JSON export read into an empty database is not merged but restored
(`plan_restore`): every record keeps its id, so goals, events met at, interactions
at events and weekly notes come back linked exactly as they were.
"""

from __future__ import annotations

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
from netbalance.domain.identity import Found, IdentityIndex, name_key
from netbalance.domain.merge import absorb
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
        merge_into: Sequence[Contact] = (),
        event_changes: Sequence[tuple[int, Mapping[str, object]]] = (),
    ) -> Any: ...
    def edit_contacts(
        self,
        changes_by_id: Mapping[int, Mapping[str, object]],
        description: str,
        *,
        bases: Mapping[int, Contact] | None = None,
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
        kept_apart: Sequence[frozenset[str]] = (),
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
    kept_apart: tuple[frozenset[str], ...] = ()

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
    # What the write absorbs into stored contacts: each an incoming contact carrying the
    # id of the one it merges into (update_contacts shows the result as previewed).
    merge_into: tuple[Contact, ...] = ()
    # Per stored event, the calendar's fields to set (update_events shows the result).
    event_changes: tuple[tuple[int, Mapping[str, object]], ...] = ()
    # New contacts that might be someone already here (a namesake, a shared phone).
    possible_duplicates: int = 0

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
            or self.merge_into
            or self.add_events
            or self.event_changes
            or self.add_interactions
            or self.add_goals
        )

    def summary(self) -> str:
        c = self.counts()
        counts = f"{c[NEW]} new, {c[MERGED]} merged, {c[UNCHANGED]} unchanged, {c[SKIPPED]} skipped"
        if self.restore is not None:
            return f"{self.restore.summary()} ({counts})"
        if self.possible_duplicates:
            counts += (
                f"; {self.possible_duplicates} of the new may be someone already here "
                "(same name or phone only, so not merged: see `netbalance duplicates`)"
            )
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
            "possible_duplicates": self.possible_duplicates,
        }


Key = tuple[str, int]  # ("id", contact id) or ("new", index in add_contacts)


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
    index: IdentityIndex[Key] = IdentityIndex()
    for c in contacts:
        index.add(("id", c.id), c)
    # Incoming contacts that merge into stored ones, for the write to absorb into the
    # records as they are then (other writes may come between preview and apply).
    merge_into: list[Contact] = []
    possible = 0
    goal_ids = {g.title.casefold(): g.id for g in goals}
    backup = result if isinstance(result, BackupRead) else None
    add_goals: list[Goal] = []
    # A backup's goal ids mapped to goals here (or to placeholders -n for add_goals[n-1]).
    file_goals: dict[int, int] = {}
    if backup is not None:
        goals_by_id = {g.id: g for g in goals}
        goals_by_uid = {g.uid: g for g in goals if g.uid}
        for goal, location in backup.goals:
            title = goal.title.casefold()
            same = goals_by_uid.get(goal.uid) if goal.uid else None
            if same is None:
                same = goals_by_id.get(goal.id)
                same = same if same is not None and same.title.casefold() == title else None
            if same is not None:
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
    interaction_uids = {i.uid for i in interactions if i.uid}
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
        goals_here: tuple[int, ...] = ()
        if backup is not None:
            linked = (file_goals[g] for g in item.contact.goal_ids if g in file_goals)
            goals_here = tuple(dict.fromkeys(linked))
        elif item.goal_titles:
            found = [goal_ids[t.casefold()] for t in item.goal_titles if t.casefold() in goal_ids]
            missing = [t for t in item.goal_titles if t.casefold() not in goal_ids]
            if missing:
                warnings.append(
                    f"{item.location}: goal(s) {', '.join(missing)} not found; not linked"
                )
            goals_here = tuple(found)
        # Ids of goals, events and contacts in another database mean nothing here
        # (one edit: 5,000 cards make 5,000 validated copies, not 15,000).
        incoming = item.contact
        if incoming.id or incoming.goal_ids != goals_here or incoming.met_at_event_id is not None:
            incoming = incoming.edit(id=0, goal_ids=goals_here, met_at_event_id=None)
        if backup is not None:
            match = _backup_match(item.contact, work, index, claimed)
        else:
            match = index.find(incoming)
        if match is None or not match.same_person:
            key: Key = ("new", len(work.new))
            work.new.append(incoming)
            index.add(key, incoming)
            claimed.add(key)
            detail = ""
            if match is not None:
                possible += 1
                detail = (
                    f"possibly the same person as {_where(match.key)} "
                    f"({index.name_of(match.key)}): {match.reason}; not merged, "
                    "listed by `netbalance duplicates`"
                )
            entries.append(PlanEntry(NEW, "contact", incoming.name, item.location, detail))
        else:
            key = match.key
            claimed.add(key)
            before = work.get(key)
            merged = absorb(before, incoming)
            work.put(key, merged)
            index.add(key, merged)
            outcome = MERGED if merged != before else UNCHANGED
            if key[0] == "id" and outcome == MERGED:
                merge_into.append(incoming.edit(id=key[1]))
            entries.append(
                PlanEntry(
                    outcome,
                    "contact",
                    incoming.name,
                    item.location,
                    f"{match.reason} as {_where(key)} ({before.name})",
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
        if src.uid and src.uid in interaction_uids:
            entries.append(PlanEntry(UNCHANGED, "interaction", label, item_i.location, "same uid"))
            continue
        if all(i > 0 for i in ids) and (real, src.at, src.kind.value) in interaction_keys:
            entries.append(PlanEntry(UNCHANGED, "interaction", label, item_i.location))
            continue
        interaction_keys.add((real, src.at, src.kind.value))
        add_interactions.append(src.edit(id=0, contact_ids=tuple(ids), event_id=None))
        entries.append(PlanEntry(NEW, "interaction", label, item_i.location))

    add_events, event_changes, event_entries, suggestions = _plan_events(
        result, events, index, by_id=backup is not None
    )
    events_by_id = {e.id: e for e in events}
    update_events = [events_by_id[i].edit(**changes) for i, changes in event_changes.items()]
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
        merge_into=tuple(merge_into),
        event_changes=tuple(event_changes.items()),
        possible_duplicates=possible,
    )


def _where(key: Key) -> str:
    return "an earlier card/row of this file" if key[0] == "new" else f"contact #{key[1]}"


def _backup_match(
    contact: Contact, work: _Work, index: IdentityIndex[Key], claimed: set[Key]
) -> Found[Key] | None:
    """The contact here that a backup's contact is: the same uid, or (a backup from before
    uids) the same id and name, else by the identity rules; never another of the file."""
    incoming = contact.edit(id=0)
    uid_match = index.by_uid(contact.uid)
    if uid_match is not None and uid_match[0] == "id" and uid_match not in claimed:
        return Found(uid_match, "same uid", True)
    same = work.existing.get(contact.id) if contact.id else None
    if same is not None and ("id", same.id) not in claimed:
        current = work.get(("id", same.id))
        if current.name == incoming.name or (
            name_key(current.name) and name_key(current.name) == name_key(incoming.name)
        ):
            return Found(("id", same.id), "same id and name", True)
    return index.find(incoming, skip=lambda k: k[0] == "new")


# What the calendar owns; status, goals, tags, hours and who-I-met are the user's.
_CALENDAR_FIELDS = ("title", "start", "end", "place", "link", "notes")


def _plan_events(
    result: ReadResult, events: Sequence[Event], index: IdentityIndex[Key], *, by_id: bool = False
) -> tuple[list[Event], dict[int, dict[str, object]], list[PlanEntry], list[str]]:
    """New events, and per event here the calendar's fields that changed."""
    # A backup's event with the id, title and start of one here is that event.
    same_id = {(e.id, e.title.casefold(), e.start): e for e in events} if by_id else {}
    by_uid = {e.uid: e for e in events if e.uid}
    by_slot = {(e.title.casefold(), e.start): e for e in events}
    planned_uids: set[str] = set()
    adds: list[Event] = []
    updates: dict[int, Event] = {}
    changed: dict[int, dict[str, object]] = {}
    entries: list[PlanEntry] = []
    suggestions: dict[str, None] = {}
    for item in result.events:
        incoming = item.event.edit(id=0, goal_ids=(), met_contact_ids=())
        label = f"{incoming.title} ({incoming.start.date()})"
        for attendee in item.attendees:
            if not _known(attendee, index):
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
            changed.setdefault(existing.id, {}).update(changes)
        except DomainError as err:
            entries.append(
                PlanEntry(UNCHANGED, "event", label, item.location, f"not updated: {err}")
            )
            continue
        entries.append(
            PlanEntry(MERGED, "event", label, item.location, f"updates event #{existing.id}")
        )
    return adds, changed, entries, list(suggestions)


def _known(attendee: str, index: IdentityIndex[Key]) -> bool:
    """Whether an attendee ('Ann Lee <ann@x.org>' or an address) is a contact or one of
    the file's: by email, else by name."""
    if "<" in attendee:
        name, _, rest = attendee.rpartition("<")
        email = rest.rstrip(">").strip()
    else:
        name, email = "", attendee.strip()
    try:
        probe = Contact(name=name.strip() or email or "?", emails=(email,) if "@" in email else ())
    except DomainError:
        return False
    return index.find(probe) is not None


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
        kept_apart=tuple(result.kept_apart),
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
                kept_apart=restore.kept_apart,
            )
    elif plan.changes_anything:
        # Merges are absorbed into the records as they are at the write, under its lock:
        # the preview's copies (update_contacts, update_events) may be stale by then.
        target.import_batch(
            add_contacts=plan.add_contacts,
            add_events=plan.add_events,
            add_interactions=plan.add_interactions,
            add_goals=plan.add_goals,
            merge_into=plan.merge_into,
            event_changes=plan.event_changes,
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
    "plan_import",
    "plan_restore",
    "plan_with",
]
