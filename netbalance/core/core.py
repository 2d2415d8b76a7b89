"""The one object below the UI: the store, the ranked list and the health model, and verbs.

Every change the app makes goes through a verb of `Core`. A verb checks the domain
rules at once (raising DomainError with the user's words), then returns a `Write`:

- `preview`: what it already changed in the ranked list, so the screen can show the
  result within a frame;
- `run`: the store write, to be run off the UI thread, in order, under the store's lock
  (the store raises StoreConflict when someone else changed the same fields);
- `done(result)`: on the UI thread, takes the stored result into the ranked list and
  the health model (incrementally), and says what changed.

The caller (the UI's Session) shows `preview`, runs `run` on its writer, then hands
`done`'s `Changed` to the screens, each of which redraws from the core. Nothing here
knows Textual; the CLI or a test can drive it the same way (`Write.now()`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime
from typing import Generic, Literal, Protocol, TypeVar

from netbalance.core.history import History, Step
from netbalance.core.ranking import ContactRow, Ranking, SortOrder, due_text
from netbalance.domain import (
    Circle,
    Contact,
    DomainError,
    Event,
    EventStatus,
    Goal,
    Interaction,
    InteractionKind,
    Settings,
)
from netbalance.domain.birthdays import UpcomingDate, upcoming_dates
from netbalance.domain.health import (
    Gauge,
    NetworkFacts,
    NetworkModel,
    Signal,
    Today,
    triage_upcoming,
)
from netbalance.domain.health.budget import BudgetCheck, budget_if_going
from netbalance.domain.health.closeness import ClosenessGap
from netbalance.domain.health.due import DueItem
from netbalance.domain.health.strength import Strength
from netbalance.domain.merge import Side
from netbalance.domain.rules import check_event_status, met_at_event_time
from netbalance.store import Store
from netbalance.store.changes import Change
from netbalance.store.store import MergeOutcome

T = TypeVar("T")


@dataclass(frozen=True)
class Changed:
    """What a change touched, so each screen knows whether to redraw (from the core).

    `contacts` names the contacts whose data changed; `events`, `goals` and
    `settings` say those changed; `health` that strengths, the gauge and the signals
    did; `everything` that the core reloaded from the store (undo, another process,
    a failed write). `select` asks the contacts list to put its cursor on a contact.
    """

    contacts: frozenset[int] = frozenset()
    events: bool = False
    goals: bool = False
    settings: bool = False
    health: bool = False
    everything: bool = False
    select: int | None = None

    def __or__(self, other: Changed) -> Changed:
        return Changed(
            self.contacts | other.contacts,
            self.events or other.events,
            self.goals or other.goals,
            self.settings or other.settings,
            self.health or other.health,
            self.everything or other.everything,
            other.select if other.select is not None else self.select,
        )

    def touches_contact(self, contact_id: int) -> bool:
        return self.everything or contact_id in self.contacts or self.settings or self.goals


EVERYTHING = Changed(everything=True, events=True, goals=True, settings=True, health=True)
NOTHING = Changed()


def _nothing(_result: object) -> Changed:
    return NOTHING


@dataclass
class Write(Generic[T]):
    """A change: shown at once (`preview`), written later (`run`), taken in (`done`).

    `step` names it in the undo history ("follow up with Lena Kim"); empty: the first
    part of `said`."""

    said: str
    preview: Changed
    run: Callable[[], T]
    done: Callable[[T], Changed] = _nothing
    step: str = ""

    @property
    def step_name(self) -> str:
        if self.step:
            return self.step
        head = self.said.split(" · ")[0]
        if len(head) > 1 and head[1].islower():
            head = head[0].lower() + head[1:]
        return head

    def now(self) -> Changed:
        """Write at once on this thread (tests, the command line): what changed."""
        return self.preview | self.done(self.run())


class MetPerson(Protocol):
    """Someone met at an event: an existing contact (`contact_id`) or a new one (None)."""

    @property
    def name(self) -> str: ...
    @property
    def contact_id(self) -> int | None: ...
    @property
    def follow_up_on(self) -> date: ...


@dataclass(frozen=True)
class Health:
    """A health model built off the UI thread, with what the screens show of it."""

    model: NetworkModel
    revision: int
    day: date
    hints: dict[int, tuple[str, str]]


@dataclass(frozen=True)
class ContactDetail:
    """Everything the contact screen shows about one person, from the same functions as
    the list: the due item (next steps and snooze included), strength and its parts."""

    contact: Contact
    item: DueItem | None
    due_text: str
    last_at: datetime | None
    interactions: list[Interaction]
    strength: Strength | None
    gap: ClosenessGap | None
    goal_titles: list[str]
    met_at_event: str
    names: dict[int, str] = field(default_factory=dict)


def _shown_with(contact: Contact, changes: Mapping[str, object]) -> Contact:
    """`contact` as the list shows it with checked `changes`, before the store has it:
    a plain copy, as `Contact.edit` checks and cleans every field again (a second at
    5,000 contacts). The stored contact replaces it once written."""
    shown = object.__new__(Contact)
    values = {name: getattr(contact, name) for name in _CONTACT_SLOTS}
    values.update(changes)
    for name, value in values.items():
        object.__setattr__(shown, name, value)
    return shown


_CONTACT_SLOTS: tuple[str, ...] = tuple(f.name for f in fields(Contact))


class Core:
    """The store, the ranked contacts and the health model of one network, and verbs."""

    def __init__(self, store: Store, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self.ranking = Ranking(store, clock)
        # This run's undo history: every change this process writes to the store.
        self.history = History()
        store.on_change = self.history.record
        self.model: NetworkModel | None = None
        self.model_day: date | None = None
        self.hints: dict[int, tuple[str, str]] = {}
        # Set when the model may miss a change (a reload): the Session builds it again.
        self._stale = True

    @classmethod
    def open(cls, store: Store, clock: Callable[[], datetime]) -> Core:
        core = cls(store, clock)
        core.ranking.load()
        return core

    # --- reading ---------------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.ranking.settings

    def contact(self, contact_id: int) -> Contact | None:
        """A listed (not archived) contact, as the screen shows it now."""
        return self.ranking.contacts.get(contact_id)

    def rows(
        self, query: str = "", *, due_only: bool = False, order: SortOrder = SortOrder.DUE
    ) -> list[ContactRow]:
        return self.ranking.rows(query, due_only=due_only, order=order)

    def due_items(self) -> list[DueItem]:
        """Every listed contact's due item, most urgent first (the list's own answers)."""
        items = self.ranking.items
        return [items[cid] for _key, cid in self.ranking.ranked]

    def contact_count(self) -> int:
        return len(self.ranking.contacts)

    def due_count(self) -> int:
        return self.ranking.due_count()

    def upcoming_events(self) -> list[Event]:
        return self.ranking.upcoming_events()

    def events(self) -> list[Event]:
        return self.ranking.events

    def event(self, event_id: int) -> Event | None:
        return next((e for e in self.ranking.events if e.id == event_id), None)

    def goals(self) -> list[Goal]:
        return self.ranking.goals

    def goal(self, goal_id: int) -> Goal | None:
        return next((g for g in self.ranking.goals if g.id == goal_id), None)

    def due_phrase(self, contact_id: int) -> str:
        """'next due 12 Dec', or 'no cadence': what a toast says after a change."""
        item = self.ranking.items.get(contact_id)
        if item is None or item.next_due is None:
            return "no cadence"
        return f"next due {item.next_due:%d %b}"

    def contact_detail(self, contact_id: int) -> ContactDetail | None:
        """What the contact screen shows; None when the contact is gone (archived too
        shows: the screen says so)."""
        try:
            contact = self.store.contact(contact_id)
        except KeyError:
            return None
        today = self.ranking.today()[1]
        item = self.ranking.items.get(contact_id)
        text = due_text(item, today) if item is not None else "archived"
        strength = gap = None
        if self.model is not None:
            strength = self.model.strength(contact_id)
            gap = next((g for g in self.model.closeness_gaps() if g.contact_id == contact_id), None)
        titles = {g.id: g.title for g in self.ranking.goals}
        met = ""
        if contact.met_at_event_id is not None:
            event = self.event(contact.met_at_event_id)
            met = event.title if event is not None else ""
        interactions = self.store.interactions_of(contact_id)
        others = {cid for i in interactions for cid in i.contact_ids if cid != contact_id}
        names = {}
        for cid in others:
            try:
                names[cid] = self.store.contact(cid).name
            except KeyError:
                continue
        return ContactDetail(
            contact=contact,
            item=item,
            due_text=text,
            last_at=self.store.last_interaction_at(contact_id),
            interactions=interactions,
            strength=strength,
            gap=gap,
            goal_titles=[titles.get(g, f"goal {g}") for g in contact.goal_ids],
            met_at_event=met,
            names=names,
        )

    # --- health ------------------------------------------------------------------------

    def build_health(self, now: datetime) -> Health:
        """Build the health model from the store (safe off the UI thread: reads only)."""
        store = self.store
        revision = store.revision
        # What the model reads of each interaction, from the store's digests: a store
        # opened from its index file need not read and decode every interaction (the
        # peak of the app's memory, and CPU that competed with its first frames).
        by_contact = store.touches_by_contact()
        events, goals, settings = store.events(), store.goals(), store.settings()
        model = NetworkModel.build(
            store.contacts(), by_contact, events, goals, settings, now, oldest_first=True
        )
        model.gauge()  # the facts, computed here rather than on the UI thread
        triages = triage_upcoming(events, goals, settings, now, by_contact)
        hints = {t.event_id: (t.recommendation.value, t.reason) for t in triages}
        day = date(now.year, now.month, now.day)
        return Health(model, revision, day, hints)

    @property
    def needs_health(self) -> bool:
        """The model is missing, from another day, or may miss a change: build it again."""
        return self._stale or self._model_current() is None

    def install_health(self, health: Health) -> Changed:
        """Take a built model in (UI thread). When a write landed during the build, the
        model may miss it: `needs_health` stays True."""
        self.model = health.model
        self.model_day = health.day
        self.hints = health.hints
        self.ranking.set_strengths(health.model.strengths())
        self._stale = self.store.revision != health.revision
        return Changed(health=True, events=True, everything=True)

    def gauge(self) -> tuple[Gauge, list[Signal], str] | None:
        """The gauge, its signals and the budget line; None until the model is built."""
        if self.model is None:
            return None
        return self.model.gauge(), self.model.signals(), self.budget_line(self.model.facts())

    def today_list(self) -> Today | None:
        """Today's follow-ups and the backlog (`netbalance due`); None until the model
        is built."""
        return None if self.model is None else self.model.today_list()

    def upcoming_dates(self, within_days: int) -> list[UpcomingDate]:
        """The listed contacts' birthdays from today to `within_days` days on."""
        return upcoming_dates(self.ranking.contacts.values(), self.ranking.today()[1], within_days)

    def budget_line(self, facts: NetworkFacts) -> str:
        settings = self.settings
        hours = facts.networking_hours_week
        mark = "over budget" if hours > settings.weekly_hours else "within budget"
        return (
            f"This week {hours:.1f} h of {settings.weekly_hours:g} h budget ({mark}) · "
            f"{facts.events_month} of {settings.events_per_month} events this month"
        )

    def _model_current(self) -> NetworkModel | None:
        """The model, when it is for today (else it must be built again)."""
        if self.model is None or self.model_day != self.ranking.today()[1]:
            return None
        return self.model

    def _took(
        self, interactions: Iterable[Interaction] = (), contacts: Iterable[Contact] = ()
    ) -> Changed:
        """Bring the model and the list up to date with stored records, incrementally.
        Without a model for today, `needs_health` tells the caller to build one."""
        touched: set[int] = set()
        model = self._model_current()
        for interaction in interactions:
            touched.update(interaction.contact_ids)
            if model is not None:
                model.apply_interaction(interaction)
        for contact in contacts:
            touched.add(contact.id)
            if model is not None:
                if contact.archived:
                    model.remove_contact(contact.id)
                else:
                    model.apply_contact(contact)
        # The list takes the contacts as stored (logging may have ended a snooze).
        for cid in touched:
            try:
                stored = self.store.contact(cid)
            except KeyError:
                self.ranking.contacts.pop(cid, None)
                continue
            if not stored.archived:
                self.ranking.contacts[cid] = stored
            else:
                self.ranking.contacts.pop(cid, None)
        self.ranking.touch(touched)
        if model is not None:
            for cid in touched:
                self.ranking.set_strength(cid, model.strength_value(cid))
        return Changed(frozenset(touched), health=model is not None)

    # --- contacts --------------------------------------------------------------------------

    def _require(self, contact_id: int) -> Contact:
        contact = self.contact(contact_id)
        if contact is None:
            raise DomainError("contact", contact_id, "is no longer in the list")
        return contact

    def follow_up(self, contact_id: int) -> Write[Interaction]:
        """`f`: a follow-up message now, depth 2; restarts the cadence, ends a snooze."""
        contact = self._require(contact_id)
        interaction = Interaction(
            (contact_id,), self.clock(), kind=InteractionKind.MESSAGE, depth=2
        )
        write = self.log(interaction, f"Followed up with {contact.name}")
        write.step = f"follow up with {contact.name}"
        return write

    def log(self, interaction: Interaction, said: str = "") -> Write[Interaction]:
        """Log an interaction (checked: not in the future)."""
        now = self.clock()
        interaction.check_not_future(now)
        if not said:
            names = ", ".join(
                c.name for cid in interaction.contact_ids if (c := self.contact(cid)) is not None
            )
            said = f"Logged {interaction.kind.label.lower()} with {names}"
        self.ranking.follow_up(interaction)
        first = interaction.contact_ids[0]
        store = self.store

        def done(stored: Interaction) -> Changed:
            return self._took(interactions=[stored])

        return Write(
            f"{said} · {self.due_phrase(first)}",
            Changed(frozenset(interaction.contact_ids)),
            lambda: store.log_interaction(interaction, now),
            done,
        )

    def interaction_words(self, interaction: Interaction) -> str:
        """'coffee with Ana Silva of 1 Oct 2025': an interaction, for a toast or a step."""
        names = []
        for cid in interaction.contact_ids:
            try:
                names.append(self.store.contact(cid).name)
            except KeyError:
                names.append(f"#{cid}")
        local = interaction.at.astimezone(self.clock().tzinfo)
        return (
            f"{interaction.kind.label.lower()} with {', '.join(names)} of {local.day} {local:%b %Y}"
        )

    def edit_interaction(self, base: Interaction, edited: Interaction) -> Write[Interaction]:
        """Save the fields of an interaction a form changed, against the interaction as the
        form first showed it (StoreConflict when someone changed one of them since).
        Checked like logging: not in the future. Strengths and due days are read again."""
        edited.check_not_future(self.clock())
        changes = base.changed_fields(edited)
        store = self.store
        words = self.interaction_words(edited)
        touched = frozenset(base.contact_ids) | frozenset(edited.contact_ids)

        def done(_stored: Interaction) -> Changed:
            return self.reload() | Changed(touched)

        return Write(
            f"Saved the {words}",
            NOTHING,
            lambda: store.edit_interaction(base.id, changes, base=base),
            done,
            f"edit the {words}",
        )

    def delete_interaction(self, interaction_id: int) -> Write[Change]:
        """Delete an interaction (one transaction; `u` brings it back whole)."""
        try:
            interaction = self.store.interaction(interaction_id)
        except KeyError:
            raise DomainError("interaction", interaction_id, "is no longer there") from None
        store = self.store
        words = self.interaction_words(interaction)

        def done(_change: Change) -> Changed:
            return self.reload() | Changed(frozenset(interaction.contact_ids))

        return Write(
            f"Deleted the {words} · press u to undo",
            NOTHING,
            lambda: store.delete_interaction(interaction_id),
            done,
            f"delete the {words}",
        )

    def _contact_write(
        self, said: str, shown: Contact | None, run: Callable[[], Contact], step: str = ""
    ) -> Write[Contact]:
        if shown is not None:
            self.ranking.put_contact(shown)
        preview = Changed(frozenset({shown.id})) if shown is not None else NOTHING

        def done(stored: Contact) -> Changed:
            return self._took(contacts=[stored])

        return Write(said, preview, run, done, step)

    def snooze(self, contact_id: int, until: datetime | None) -> Write[Contact]:
        """Quiet a contact until `until` (None wakes them): moves the reminder only."""
        contact = self._require(contact_id)
        store = self.store
        if until is None:
            said = f"Woke {contact.name}"
        else:
            local = until.astimezone(self.clock().tzinfo)
            said = f"Snoozed {contact.name} until {local:%a %d %b}"
        return self._contact_write(
            said,
            contact.edit(snoozed_until=until),
            lambda: store.snooze(contact_id, until),
        )

    def unsnooze(self, contact_id: int) -> Write[Contact]:
        return self.snooze(contact_id, None)

    def archive(self, contact_id: int, archived: bool = True) -> Write[Contact]:
        """`d`: archive at once (`u` brings the contact back)."""
        contact = self._require(contact_id)
        store = self.store
        said = f"Archived {contact.name} · press u to undo"
        return self._contact_write(
            said,
            contact.edit(archived=archived),
            lambda: store.archive_contact(contact_id, archived),
            f"{'archive' if archived else 'unarchive'} {contact.name}",
        )

    def add_contact(self, contact: Contact) -> Write[Contact]:
        store, now = self.store, self.clock()

        def done(stored: Contact) -> Changed:
            return self._took(contacts=[stored]) | Changed(select=stored.id)

        return Write(
            f"Added {contact.name}", NOTHING, lambda: store.add_contact(contact, now), done
        )

    def edit_contact(self, base: Contact, edited: Contact) -> Write[Contact]:
        """Save the fields a form changed, against the contact as the form first showed it:
        a field someone else changed since is refused (StoreConflict), nothing written."""
        changes = base.changed_fields(edited)
        store = self.store
        return self._contact_write(
            f"Saved {edited.name}",
            None,
            lambda: store.edit_contact(base.id, changes, base=base),
            f"edit {edited.name}",
        )

    def link_goal(self, contact_id: int, goal_id: int) -> Write[Contact]:
        """Link a contact to a goal, or unlink it when it is linked."""
        contact = self._require(contact_id)
        goal = self.goal(goal_id)
        title = goal.title if goal is not None else f"goal {goal_id}"
        store = self.store

        def change(current: Contact) -> dict[str, object]:
            ids = current.goal_ids
            if goal_id in ids:
                return {"goal_ids": tuple(g for g in ids if g != goal_id)}
            return {"goal_ids": (*ids, goal_id)}

        linked = goal_id in contact.goal_ids
        said = (
            f"Unlinked {contact.name} from {title}"
            if linked
            else f"Linked {contact.name} to {title}"
        )
        return self._contact_write(
            said,
            contact.edit(**change(contact)),
            lambda: store.edit_contact(contact_id, change(store.contact(contact_id))),
        )

    # --- bulk: several marked contacts at once --------------------------------------------

    def _bulk(
        self,
        contact_ids: Iterable[int],
        what: str,
        change: Callable[[Contact], Mapping[str, object]],
        *,
        checked: bool = True,
    ) -> Write[list[Contact]]:
        """One write over many contacts: `what` names it ("move {n} to the active circle",
        `{n}` becomes "12 contacts"). Shown at once, stored in ONE transaction (so `u`
        undoes all of it), field by field. `checked`: against the contacts as shown, a
        field someone else changed since refuses the whole write (StoreConflict); else
        `change` is read again from each contact as it is under the lock (tags)."""
        contacts = [c for cid in dict.fromkeys(contact_ids) if (c := self.contact(cid)) is not None]
        if not contacts:
            raise DomainError("marked contacts", 0, "none of them is in the list any more")
        n = len(contacts)
        description = what.format(n=f"{n:,} contact{'s' if n != 1 else ''}")
        # The values are checked once (a DomainError says why, nothing written); the list
        # then shows every contact with them at once (the store checks each as it writes).
        contacts[0].edit(**change(contacts[0]))
        for contact in contacts:
            self.ranking.contacts[contact.id] = _shown_with(contact, change(contact))
        self.ranking.touch(c.id for c in contacts)
        store = self.store
        if checked:
            changes: dict[int, object] = {c.id: change(c) for c in contacts}
            bases = {c.id: c for c in contacts}
        else:
            changes, bases = dict.fromkeys((c.id for c in contacts), change), {}

        def run() -> list[Contact]:
            return store.edit_contacts(changes, description, bases=bases)  # type: ignore[arg-type]

        def done(stored: list[Contact]) -> Changed:
            return self._took(contacts=stored)

        said = f"{description[:1].upper()}{description[1:]} · press u to undo"
        return Write(said, Changed(frozenset(c.id for c in contacts)), run, done)

    def move_contacts(self, contact_ids: Iterable[int], circle: Circle) -> Write[list[Contact]]:
        """Move the marked contacts to `circle` (one undoable change)."""
        return self._bulk(
            contact_ids, f"move {{n}} to the {circle.value} circle", lambda _c: {"circle": circle}
        )

    def tag_contacts(
        self, contact_ids: Iterable[int], tag: str, *, add: bool = True
    ) -> Write[list[Contact]]:
        """Add `tag` to the marked contacts, or take it off (`add=False`); each contact's
        other tags are kept as they are under the lock."""
        tag = tag.strip().lower()
        if not tag:
            raise DomainError("tag", tag, "is empty")

        def change(current: Contact) -> dict[str, object]:
            if add:
                return {} if tag in current.tags else {"tags": (*current.tags, tag)}
            return {"tags": tuple(t for t in current.tags if t != tag)}

        what = f"tag {{n}} “{tag}”" if add else f"untag “{tag}” from {{n}}"
        return self._bulk(contact_ids, what, change, checked=False)

    def snooze_contacts(
        self, contact_ids: Iterable[int], until: datetime | None
    ) -> Write[list[Contact]]:
        """Quiet the marked contacts until `until` (None wakes them): reminders only."""
        if until is None:
            what = "wake {n}"
        else:
            what = f"snooze {{n}} until {until.astimezone(self.clock().tzinfo):%a %d %b}"
        return self._bulk(contact_ids, what, lambda _c: {"snoozed_until": until})

    def archive_contacts(self, contact_ids: Iterable[int]) -> Write[list[Contact]]:
        """Archive the marked contacts (`u` brings them all back)."""
        return self._bulk(contact_ids, "archive {n}", lambda _c: {"archived": True})

    # --- identity: one person, one record --------------------------------------------------

    def _any_contact(self, contact_id: int) -> Contact:
        """A stored contact, archived ones too (a duplicate may be archived)."""
        try:
            return self.store.contact(contact_id)
        except KeyError:
            raise DomainError("contact", contact_id, "is no longer there") from None

    def merge_contacts(
        self, keep_id: int, other_id: int, choices: Mapping[str, Side] | None = None
    ) -> Write[MergeOutcome]:
        """Merge `other_id` into `keep_id` (domain.merge.plan_merge with the user's per-field
        `choices`) in one store transaction: `u` undoes it. Interactions and the events'
        people met move to the kept contact, so everything is read again once stored."""
        keep, other = self._any_contact(keep_id), self._any_contact(other_id)
        if keep_id == other_id:
            raise DomainError("contacts", keep.name, "is already one record")
        store, now = self.store, self.clock()
        chosen = dict(choices or {})
        moving = store.interaction_count(other_id)
        said = (
            f"Merged {other.name} into {keep.name}: {moving} "
            f"interaction{'s' if moving != 1 else ''} moved · press u to undo"
        )

        def done(outcome: MergeOutcome) -> Changed:
            kept = outcome.contact
            select = kept.id if not kept.archived else None
            return self.reload() | Changed(frozenset({keep_id, other_id}), select=select)

        return Write(
            said,
            NOTHING,
            lambda: store.merge_contacts(keep_id, other_id, now, choices=chosen),
            done,
        )

    def keep_apart(self, first_id: int, second_id: int) -> Write[None]:
        """Remember two contacts are two people: the duplicates review stops offering them
        (`u` undoes). No record of either changes; the pair's standing does."""
        first, second = self._any_contact(first_id), self._any_contact(second_id)
        store, now = self.store, self.clock()
        said = f"{first.name} and {second.name} are two people: not offered again · press u to undo"

        def done(_result: None) -> Changed:
            return Changed(frozenset({first_id, second_id}))

        return Write(said, NOTHING, lambda: store.keep_apart(first_id, second_id, now), done)

    # --- events and goals -------------------------------------------------------------------

    def _plans_changed(self, _result: object = None) -> Changed:
        self.ranking.events = self.store.events()
        self.ranking.goals = self.store.goals()
        model = self._model_current()
        if model is not None:
            model.set_events_and_goals(self.ranking.events, self.ranking.goals)
        return Changed(events=True, goals=True, health=model is not None)

    def budget_check(self, event: Event) -> BudgetCheck:
        """What going to `event` does to the week's hours and the month's events."""
        return budget_if_going(event, self.ranking.events, self.settings, self.clock())

    def set_event_status(self, event_id: int, status: EventStatus) -> Write[Event]:
        """Mark an event; attended or missed only once it has started (DomainError)."""
        event = self.event(event_id)
        if event is None:
            raise DomainError("event", event_id, "is no longer there")
        check_event_status(event, status, self.clock())
        self.ranking.events = [
            e.edit(status=status) if e.id == event_id else e for e in self.ranking.events
        ]
        store = self.store
        said = f"{event.title}: {status.value}"
        return Write(
            said,
            Changed(events=True),
            lambda: store.edit_event(event_id, {"status": status}),
            self._plans_changed,
            # Named as said: the title is a name ("PyData meetup"), not a verb to lowercase.
            step=said,
        )

    def add_event(self, event: Event) -> Write[Event]:
        store = self.store
        return Write(
            f"Added {event.title}", NOTHING, lambda: store.add_event(event), self._plans_changed
        )

    def edit_event(self, base: Event, edited: Event) -> Write[Event]:
        changes = base.changed_fields(edited)
        store = self.store
        return Write(
            f"Saved {edited.title}",
            NOTHING,
            lambda: store.edit_event(base.id, changes, base=base),
            self._plans_changed,
        )

    def add_goal(self, goal: Goal) -> Write[Goal]:
        store, now = self.store, self.clock().astimezone(UTC)
        return Write(
            f"Added goal {goal.title}",
            NOTHING,
            lambda: store.add_goal(goal, now),
            self._plans_changed,
        )

    def edit_goal(self, base: Goal, edited: Goal) -> Write[Goal]:
        changes = base.changed_fields(edited)
        store = self.store
        return Write(
            f"Saved goal {edited.title}",
            NOTHING,
            lambda: store.edit_goal(base.id, changes, base=base),
            self._plans_changed,
        )

    def retire_goal(self, goal_id: int) -> Write[Goal]:
        """Set a goal aside (it stops counting for focus and triage), or revive it."""
        goal = self.goal(goal_id)
        if goal is None:
            raise DomainError("goal", goal_id, "is no longer there")
        active = not goal.active
        said = (
            f"Goal {goal.title} is active again"
            if active
            else f"Retired goal {goal.title} · press u to undo"
        )
        self.ranking.goals = [
            g.edit(active=active) if g.id == goal_id else g for g in self.ranking.goals
        ]
        store = self.store
        return Write(
            said,
            Changed(goals=True),
            lambda: store.edit_goal(goal_id, {"active": active}),
            self._plans_changed,
        )

    def record_met(self, event_id: int, people: Sequence[MetPerson]) -> Write[int]:
        """The people met at an event: new contacts, a chat with each on the event's day,
        and the event's list, in one all-or-nothing write (`u` undoes them together)."""
        event = self.event(event_id)
        if event is None:
            raise DomainError("event", event_id, "is no longer there")
        now = self.clock()
        at = met_at_event_time(event, now).astimezone(UTC)
        store = self.store
        names = ", ".join(p.name for p in people)

        def run() -> int:
            new_contacts: list[Contact] = []
            chats: list[Interaction] = []
            for person in people:
                if person.contact_id is None:
                    new_contacts.append(
                        Contact(
                            person.name,
                            circle=Circle.ACQUAINTANCE,
                            how_met=f"met at {event.title}",
                            met_at_event_id=event.id,
                        )
                    )
                    who = -len(new_contacts)
                else:
                    who = person.contact_id
                chats.append(
                    Interaction(
                        (who,),
                        at,
                        kind=InteractionKind.EVENT_CHAT,
                        depth=2,
                        note=f"Met at {event.title}",
                        next_step="First follow-up",
                        next_step_on=person.follow_up_on,
                        event_id=event.id,
                    )
                )
            store.import_batch(
                add_contacts=new_contacts,
                add_interactions=chats,
                now=now.astimezone(UTC),
                met_at_event=event_id,
                description=f"who I met at {event.title}",
            )
            return len(people)

        return Write(f"Met at {event.title}: {names}", NOTHING, run, lambda _n: self.reload())

    def save_settings(self, settings: Settings) -> Write[Settings]:
        store = self.store
        said = (
            f"Settings saved · budget {settings.weekly_hours:g} h a week, "
            f"{settings.events_per_month} events a month"
        )
        return Write(said, NOTHING, lambda: store.save_settings(settings), lambda _s: self.reload())

    # --- undo, reload ---------------------------------------------------------------------

    def undo(self) -> Write[Step | None]:
        """`u`: take back the newest step of this run's history, field by field; refused
        (StoreConflict, with the reason; the history as it was) when someone changed those
        fields since. The step it undid (None: nothing to undo)."""
        return self._replay("undo")

    def redo(self) -> Write[Step | None]:
        """`U`: do again the step undone last (undoing its undo); refused like undo."""
        return self._replay("redo")

    def _replay(self, side: Literal["undo", "redo"]) -> Write[Step | None]:
        history, store = self.history, self.store

        def run() -> Step | None:
            # The step is taken on the writing thread: after the writes queued before it.
            return history.replay(side, store.undo)

        def done(step: Step | None) -> Changed:
            return NOTHING if step is None else self.reload()

        return Write("", NOTHING, run, done)

    def reload(self) -> Changed:
        """Read the list again from the store (after undo, another process's write or a
        failed write). `needs_health` then tells the caller to build the model again."""
        self.ranking.load()
        self._stale = True
        if self.model is not None:
            self.ranking.set_strengths(self.model.strengths())
        return Changed(everything=True, events=True, goals=True, settings=True)

    def poll(self) -> Changed | None:
        """Writes from other processes, or a new day: what changed (None: nothing)."""
        changed = self.store.refresh()
        if changed or self.ranking.today()[1] != self.ranking.loaded_day:
            return self.reload()
        return None
