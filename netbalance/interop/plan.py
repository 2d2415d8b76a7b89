"""Import planning: what an import would add, merge, leave unchanged or skip.

Pure functions over lists of domain objects, so a preview never writes and tests
need no store. Duplicates are found by email, then phone, then normalized name,
against the database and against earlier items of the same file, and merged:
never doubled. Merging only adds what is missing (emails, phones, links, tags,
blank fields, notes not already there), so a second run of the same import finds
everything unchanged. `apply_plan` then makes the one all-or-nothing write.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

from netbalance.domain import (
    Contact,
    DomainError,
    Event,
    Goal,
    Initiator,
    Interaction,
    InteractionKind,
)
from netbalance.interop.common import Progress, ReadResult, Skipped

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
    ) -> Any: ...


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

    def counts(self) -> dict[str, int]:
        """new / merged / unchanged / skipped, over the file's items."""
        counts = {NEW: 0, MERGED: 0, UNCHANGED: 0, SKIPPED: len(self.skipped)}
        for entry in self.entries:
            counts[entry.outcome] = counts.get(entry.outcome, 0) + 1
        return counts

    @property
    def changes_anything(self) -> bool:
        return bool(
            self.add_contacts
            or self.update_contacts
            or self.add_events
            or self.update_events
            or self.add_interactions
        )

    def summary(self) -> str:
        c = self.counts()
        return f"{c[NEW]} new, {c[MERGED]} merged, {c[UNCHANGED]} unchanged, {c[SKIPPED]} skipped"

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
            },
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
        if item.goal_titles:
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
        match = index.find(incoming)
        if match is None:
            key: Key = ("new", len(work.new))
            work.new.append(incoming)
            index.add(key, incoming)
            entries.append(PlanEntry(NEW, "contact", incoming.name, item.location))
        else:
            key, why = match
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

    add_events, update_events, event_entries, suggestions = _plan_events(result, events, index)
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
    )


# What the calendar owns; status, goals, tags, hours and who-I-met are the user's.
_CALENDAR_FIELDS = ("title", "start", "end", "place", "link", "notes")


def _plan_events(
    result: ReadResult, events: Sequence[Event], index: _ContactIndex
) -> tuple[list[Event], list[Event], list[PlanEntry], list[str]]:
    by_uid = {e.source_uid: e for e in events if e.source_uid}
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
        if incoming.source_uid and incoming.source_uid in planned_uids:
            entries.append(
                PlanEntry(UNCHANGED, "event", label, item.location, "repeated in the file")
            )
            continue
        existing = by_uid.get(incoming.source_uid) if incoming.source_uid else None
        existing = existing or by_slot.get((incoming.title.casefold(), incoming.start))
        planned_uids.add(incoming.source_uid)
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
        if not base.source_uid and incoming.source_uid:
            changes["source_uid"] = incoming.source_uid
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


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What the write did."""

    added_contacts: int
    updated_contacts: int
    added_events: int
    updated_events: int
    added_interactions: int


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
    )
    if progress is not None:
        progress(0, total)
    if plan.changes_anything:
        target.import_batch(
            add_contacts=plan.add_contacts,
            update_contacts=plan.update_contacts,
            add_events=plan.add_events,
            update_events=plan.update_events,
            add_interactions=plan.add_interactions,
        )
    if progress is not None:
        progress(total, total)
    return ImportOutcome(
        len(plan.add_contacts),
        len(plan.update_contacts),
        len(plan.add_events),
        len(plan.update_events),
        len(plan.add_interactions),
    )


def plan_with(
    target: ImportTarget, result: ReadResult, now: datetime, progress: Progress | None = None
) -> ImportPlan:
    """Plan `result` against what `target` holds now (archived contacts included)."""
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
    "apply_plan",
    "merge_contact",
    "name_key",
    "phone_key",
    "plan_import",
    "plan_with",
]
