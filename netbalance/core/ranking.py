"""The ranked contact list, derived from the store and kept current in place.

Ranking 5,000 contacts from scratch costs tens of milliseconds; a follow-up
changes one. So the view keeps each contact's due item and display row, and
after a change recomputes only the contacts it touched and moves them to their
new place in the ranking. Filtering walks the cached rows.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum

from netbalance.domain import Circle, Contact, Event, EventStatus, Goal, Interaction, Settings
from netbalance.domain.health import DueItem, Urgency, due_item
from netbalance.domain.rules import after_logging
from netbalance.store import Store

UPCOMING_WEEKS = 6
# Lists kept between changes for the filter (each up to one row reference per contact).
LISTINGS_KEPT = 24


@dataclass(frozen=True, slots=True)
class ContactRow:
    """What one line of the contacts list shows."""

    contact_id: int
    name: str
    circle: Circle
    last_text: str
    due_text: str
    urgency: Urgency
    strength: int | None
    # "Role · Company", shown when the list is wide.
    work: str
    # Lower-cased name, company, role, tags and emails: what `/` searches.
    haystack: str

    def with_strength(self, value: int | None) -> ContactRow:
        """This row with another strength (`dataclasses.replace` is ~5x slower: the
        model's arrival re-made 5,000 rows on the UI thread in 40 ms)."""
        return ContactRow(
            self.contact_id,
            self.name,
            self.circle,
            self.last_text,
            self.due_text,
            self.urgency,
            value,
            self.work,
            self.haystack,
        )


class SortOrder(StrEnum):
    DUE = "due"
    NAME = "name"
    STRENGTH = "strength"


def ago_text(then: datetime | None, today: date) -> str:
    """'today', '3 days ago', '3 weeks ago', 'never', from a local calendar day."""
    if then is None:
        return "never"
    days = (today - then.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def due_text(item: DueItem, today: date) -> str:
    """'5 days late', 'today', 'in 3 days', '26 Dec', or '—' without a cadence."""
    if item.next_due is None:
        return "—"
    late = item.overdue_days
    if late > 0:
        return f"{late} day{'s' if late != 1 else ''} late"
    if late == 0:
        return "today"
    if late > -14:
        return "tomorrow" if late == -1 else f"in {-late} days"
    fmt = "%d %b" if item.next_due.year == today.year else "%d %b %Y"
    return item.next_due.strftime(fmt)


class Ranking:
    """Contacts ranked for the due list, with rows ready to draw (owned by the Core)."""

    def __init__(self, store: Store, now: Callable[[], datetime]) -> None:
        self.store = store
        self.now = now
        self.contacts: dict[int, Contact] = {}
        self.last: dict[int, datetime] = {}
        # The pending next-step date of each contact's last interaction, when it set one.
        self.next_steps: dict[int, date] = {}
        self.items: dict[int, DueItem] = {}
        self.rows_by_id: dict[int, ContactRow] = {}
        self.strengths: dict[int, int] = {}
        self.ranked: list[tuple[tuple[int, float, int, int, str, int], int]] = []
        # The rows in ranked order, kept in step with `ranked` (same index): listing
        # everyone is a copy, not a walk over 5,000 dictionaries.
        self.ranked_rows: list[ContactRow] = []
        # Lists already made since the last change, by (query, due only, order): a
        # keystroke that adds to the filter narrows the list it had, backspace finds
        # the list it had before. Cleared by every change (`_changed`).
        self._listings: dict[tuple[str, bool, SortOrder], list[ContactRow]] = {}
        # How many contacts are due, kept in step by `touch` (counting 5,000 items on
        # every follow-up cost 2 ms of the key's frame).
        self._due = 0
        self.settings = Settings()
        self.events: list[Event] = []
        self.goals: list[Goal] = []
        self.loaded_day: date | None = None

    # --- loading ------------------------------------------------------------------

    def load(self) -> None:
        """Read everything the screen needs from the store (cheap: no interaction decoding)."""
        store = self.store
        self.settings = store.settings()
        self.contacts = {c.id: c for c in store.contacts()}
        self.last = store.last_interactions()
        self.next_steps = store.next_steps()
        self.events = store.events()
        self.goals = store.goals()
        tz, today = self.today()
        self.items = {
            cid: due_item(
                c, self.last.get(cid), self.settings, today, tz, next_step=self.next_steps.get(cid)
            )
            for cid, c in self.contacts.items()
        }
        self.rows_by_id = {cid: self._row(cid, today, tz) for cid in self.contacts}
        self.ranked = sorted((item.sort_key, cid) for cid, item in self.items.items())
        self._rows_from_ranking()
        self._count_due()
        self.loaded_day = today

    def _rows_from_ranking(self) -> None:
        rows_by_id = self.rows_by_id
        self.ranked_rows = [rows_by_id[cid] for _key, cid in self.ranked]
        self._changed()

    def today(self) -> tuple[tzinfo, date]:
        """The user's zone and today's date as a plain `date`: pendulum's Date
        arithmetic is ~10x slower, which shows at 5,000 contacts."""
        now = self.now()
        assert now.tzinfo is not None
        return now.tzinfo, date(now.year, now.month, now.day)

    def _row(self, cid: int, today: date, tz: tzinfo) -> ContactRow:
        # `tz` from the caller: asking the clock per contact was a quarter of a load.
        c = self.contacts[cid]
        item = self.items[cid]
        last = self.last.get(cid)
        hay = " ".join((c.name, c.company, c.role, *c.tags, *c.emails)).casefold()
        return ContactRow(
            contact_id=cid,
            name=c.name,
            circle=c.circle,
            last_text=ago_text(last.astimezone(tz) if last else None, today),
            due_text=due_text(item, today),
            urgency=item.urgency,
            strength=self.strengths.get(cid),
            work=" · ".join(part for part in (c.role, c.company) if part),
            haystack=hay,
        )

    # --- changes ------------------------------------------------------------------

    def touch(self, contact_ids: Iterable[int]) -> None:
        """Recompute the ranking and rows of these contacts after a change."""
        ids = list(contact_ids)
        if len(ids) > 64:
            self._touch_many(ids)
            return
        tz, today = self.today()
        self._changed()
        for cid in ids:
            old = self.items.get(cid)
            if old is not None:
                self._due -= old.urgency.is_due
                index = self._index(cid, old)
                if index is not None:
                    del self.ranked[index]
                    del self.ranked_rows[index]
            contact = self.contacts.get(cid)
            if contact is None or contact.archived:
                self.items.pop(cid, None)
                self.rows_by_id.pop(cid, None)
                self.contacts.pop(cid, None)
                continue
            item = due_item(
                contact,
                self.last.get(cid),
                self.settings,
                today,
                tz,
                next_step=self.next_steps.get(cid),
            )
            self.items[cid] = item
            self._due += item.urgency.is_due
            entry = (item.sort_key, cid)
            index = bisect.bisect_left(self.ranked, entry)
            self.ranked.insert(index, entry)
            row = self._row(cid, today, tz)
            self.rows_by_id[cid] = row
            self.ranked_rows.insert(index, row)

    def _changed(self) -> None:
        """A row or the ranking changed: the lists made before are out of date."""
        self._listings.clear()

    def _index(self, cid: int, item: DueItem) -> int | None:
        """Where this contact stands in `ranked` (and `ranked_rows`), found by its key."""
        index = bisect.bisect_left(self.ranked, (item.sort_key, cid))
        if index < len(self.ranked) and self.ranked[index][1] == cid:
            return index
        return None

    def _touch_many(self, ids: list[int]) -> None:
        """`touch` for a bulk change: one pass over the ranking and one sort, rather than
        a list deletion and insertion per contact (5,000 of those take a second)."""
        tz, today = self.today()
        drop = set(ids)
        ranked = [entry for entry in self.ranked if entry[1] not in drop]
        for cid in drop:
            contact = self.contacts.get(cid)
            if contact is None or contact.archived:
                self.items.pop(cid, None)
                self.rows_by_id.pop(cid, None)
                self.contacts.pop(cid, None)
                continue
            item = due_item(
                contact,
                self.last.get(cid),
                self.settings,
                today,
                tz,
                next_step=self.next_steps.get(cid),
            )
            self.items[cid] = item
            ranked.append((item.sort_key, cid))
            self.rows_by_id[cid] = self._row(cid, today, tz)
        ranked.sort()
        self.ranked = ranked
        self._rows_from_ranking()
        self._count_due()

    def follow_up(self, interaction: Interaction) -> None:
        """Show a logged interaction before the store has written it."""
        ids = list(interaction.contact_ids)
        at = interaction.at
        for cid in ids:
            if cid in self.contacts:
                if self.last.get(cid) is None or at >= self.last[cid]:
                    self.last[cid] = at
                    # The newest interaction decides the pending next step.
                    if interaction.next_step_on is not None:
                        self.next_steps[cid] = interaction.next_step_on
                    else:
                        self.next_steps.pop(cid, None)
                self.contacts[cid] = after_logging(self.contacts[cid])
        self.touch(ids)

    def put_contact(self, contact: Contact) -> None:
        """Show an added, edited, snoozed or archived contact."""
        self.contacts[contact.id] = contact
        self.touch([contact.id])

    def set_strengths(self, strengths: dict[int, int]) -> None:
        """Fill in strengths once the health model has them."""
        self.strengths = strengths
        for cid, row in self.rows_by_id.items():
            value = strengths.get(cid)
            if row.strength != value:
                self.rows_by_id[cid] = row.with_strength(value)
        self._rows_from_ranking()

    def set_strength(self, contact_id: int, value: int | None) -> None:
        """One contact's strength changed (after a logged interaction)."""
        if value is None:
            self.strengths.pop(contact_id, None)
        else:
            self.strengths[contact_id] = value
        row = self.rows_by_id.get(contact_id)
        if row is not None and row.strength != value:
            row = self.rows_by_id[contact_id] = row.with_strength(value)
            index = self._index(contact_id, self.items[contact_id])
            if index is not None:
                self.ranked_rows[index] = row
            self._changed()

    # --- reading --------------------------------------------------------------------

    def rows(
        self, query: str = "", *, due_only: bool = False, order: SortOrder = SortOrder.DUE
    ) -> list[ContactRow]:
        """The rows to list: filtered by words (all must match), due only, in `order`."""
        query = " ".join(query.casefold().split())
        key = (query, due_only, order)
        made = self._listings.get(key)
        if made is None:
            made = self._list(query, due_only, order)
            if len(self._listings) >= LISTINGS_KEPT:
                del self._listings[next(iter(self._listings))]
            self._listings[key] = made
        # A copy: the caller keeps it while this one may be narrowed or replaced.
        return list(made)

    def _list(self, query: str, due_only: bool, order: SortOrder) -> list[ContactRow]:
        # Everything a query matches, a shorter query it extends matched too: start
        # from the longest such list already made (typing narrows, it never widens).
        source: list[ContactRow] | None = None
        for (made_query, made_due, made_order), made in self._listings.items():
            if (
                made_due == due_only
                and made_order is order
                and query.startswith(made_query)
                and (source is None or len(made) < len(source))
            ):
                source = made
        if source is None:
            source = self._ordered(order)
            if due_only:
                items = self.items
                source = [r for r in source if items[r.contact_id].urgency.is_due]
        words = query.split()
        if not words:
            return source
        return [r for r in source if all(w in r.haystack for w in words)]

    def _ordered(self, order: SortOrder) -> list[ContactRow]:
        rows = self.ranked_rows
        if order is SortOrder.NAME:
            return sorted(rows, key=lambda r: r.name.casefold())
        if order is SortOrder.STRENGTH:
            return sorted(
                rows, key=lambda r: -1 if r.strength is None else r.strength, reverse=True
            )
        return rows

    def due_count(self) -> int:
        return self._due

    def _count_due(self) -> None:
        self._due = sum(1 for item in self.items.values() if item.urgency.is_due)

    def upcoming_events(self) -> list[Event]:
        """Events from today to UPCOMING_WEEKS ahead, not declined, soonest first."""
        now = self.now()
        start = now - timedelta(hours=12)
        end = now + timedelta(weeks=UPCOMING_WEEKS)
        return [
            e
            for e in self.events
            if start <= e.start <= end and e.status is not EventStatus.DECLINED
        ]
