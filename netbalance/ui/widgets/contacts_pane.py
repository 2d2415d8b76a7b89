"""The contacts pane: the ranked list, its live filter, and the keys that act on a contact.

The pane never writes: each key posts a message naming the highlighted contact,
and the main screen acts on it (messages up, data down).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.message import Message
from textual.reactive import Reactive, var
from textual.widgets import Input, Static

from netbalance.core.ranking import SortOrder
from netbalance.ui.safe_text import plain
from netbalance.ui.session import session_of
from netbalance.ui.widgets.contact_list import ContactList
from netbalance.ui.widgets.text_update import show_text

# How much of the filter the status line repeats.
FILTER_SHOWN = 24


class FilterInput(Input):
    """The `/` filter: escape clears and hands focus back to the list."""

    # Input sets its virtual size (the text's width) on every keystroke, and the
    # reactive asks for a layout of the whole screen (~10-15 ms a frame). The field's
    # size is fixed by CSS and the compositor does not read a scroll view's virtual
    # size when laying out, so a repaint is enough; Input scrolls its text itself.
    virtual_size = Reactive(Size(0, 0), layout=False)

    BINDINGS = [
        Binding("escape", "leave(True)", "Clear filter", id="filter.clear"),
        Binding("enter,down", "leave(False)", "Keep filter", id="filter.keep", show=False),
    ]

    def __init__(self, typed: Callable[[str], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._typed = typed

    def watch_value(self, value: str) -> None:
        # The list follows in the same turn as the keystroke, so the letter and the
        # matches it leaves come in one frame (a message to the pane would let the
        # letter's frame go first, and the list wait for the next one).
        self._typed(value)

    def action_leave(self, clear: bool) -> None:
        if clear:
            self.value = ""
        self.post_message(self.Left())

    class Left(Message):
        """The user left the filter field."""


class ContactsPane(Vertical):
    """Ranked contacts with `/` filter, `o` due only, and sorting."""

    BINDINGS = [
        Binding(
            "f",
            "follow_up",
            "Followed up",
            tooltip="Log a follow-up now; restarts the cadence",
            id="contact.follow-up",
        ),
        Binding("F", "log", "Log…", tooltip="Log an interaction with details", id="contact.log"),
        Binding(
            "s", "snooze", "Snooze", tooltip="Quiet this contact for a while", id="contact.snooze"
        ),
        Binding("n", "new", "New", tooltip="Add a contact", id="contact.new"),
        Binding("e", "edit", "Edit", tooltip="Edit this contact", id="contact.edit"),
        Binding(
            "d",
            "archive",
            "Archive",
            tooltip="Archive this contact (u undoes)",
            id="contact.archive",
        ),
        Binding(
            "slash",
            "filter",
            "Filter",
            tooltip="Filter by name, tag or company",
            id="contacts.filter",
        ),
        Binding(
            "escape",
            "clear_filter",
            "Clear filter",
            show=False,
            tooltip="Clear the filter and list everyone again",
            id="contacts.clear-filter",
        ),
        Binding(
            "o",
            "due_only",
            "Due only",
            show=False,
            tooltip="Show only contacts that are due",
            id="contacts.due-only",
        ),
        Binding(
            "l",
            "link_goal",
            "Link goal",
            show=False,
            tooltip="Link this contact to one of your goals",
            id="contact.link-goal",
        ),
        Binding(
            "m",
            "bulk('move')",
            "Move",
            show=False,
            tooltip="Move the marked contacts (or this one) to a circle",
            id="contacts.move-circle",
        ),
        Binding(
            "t",
            "bulk('tag')",
            "Tag",
            show=False,
            tooltip="Tag the marked contacts (or this one)",
            id="contacts.tag",
        ),
        Binding(
            "T",
            "bulk('untag')",
            "Untag",
            show=False,
            tooltip="Take a tag off the marked contacts (or this one)",
            id="contacts.untag",
        ),
        Binding(
            "S",
            "sort",
            "Sort",
            show=False,
            tooltip="Sort by due, name or strength",
            id="contacts.sort",
        ),
    ]

    DEFAULT_CSS = """
    ContactsPane FilterInput { display: none; height: 3; }
    ContactsPane.-filtering FilterInput { display: block; }
    ContactsPane #contacts-status { height: 1; width: 1fr; color: $text-muted; padding: 0 1; }
    """

    # What the list shows; `var`, not `reactive`: a change re-lists (below), it does not
    # repaint the whole pane.
    query_text: var[str] = var("")
    due_only: var[bool] = var(False)
    order: var[SortOrder] = var(SortOrder.DUE)

    # --- messages up -------------------------------------------------------------

    @dataclass
    class FollowUpRequested(Message):
        contact_id: int

    @dataclass
    class LogRequested(Message):
        contact_id: int | None

    @dataclass
    class SnoozeRequested(Message):
        contact_id: int

    @dataclass
    class NewRequested(Message):
        pass

    @dataclass
    class EditRequested(Message):
        contact_id: int

    @dataclass
    class ArchiveRequested(Message):
        contact_id: int

    @dataclass
    class LinkGoalRequested(Message):
        """`l`: pick a goal to link this contact to."""

        contact_id: int

    @dataclass
    class BulkRequested(Message):
        """Act on several contacts at once: "move", "tag", "untag", "snooze", "archive"."""

        action: str
        contact_ids: frozenset[int]

    def compose(self) -> ComposeResult:
        yield FilterInput(
            self._filter_typed,
            placeholder="Filter by name, tag or company  (esc clears)",
            id="filter",
        )
        yield Static("", id="contacts-status")
        yield ContactList(id="contact-list")

    @property
    def contact_list(self) -> ContactList:
        return self.query_one(ContactList)

    def relist(self) -> None:
        """List the contacts again from the core, with this pane's filter, due-only and
        order (data down: after every change, and when the view changes here); the
        cursor stays on its contact."""
        core = session_of(self).core
        if core is None:
            return
        contacts = self.contact_list
        if contacts.marked:
            # A marked contact archived or removed (here or elsewhere) is no longer marked.
            contacts.marked = {cid for cid in contacts.marked if core.contact(cid) is not None}
        rows = core.rows(self.query_text, due_only=self.due_only, order=self.order)
        contacts.set_rows(rows)
        self._counts = (len(rows), core.contact_count(), core.due_count())
        self._status()

    def _status(self) -> None:
        shown, total, due = getattr(self, "_counts", (0, 0, 0))
        parts = [f"{due:,} due", f"{total:,} contacts"]
        contacts = self.contact_list
        if contacts.marked:
            hidden = contacts.hidden_marks
            marks = f"{len(contacts.marked):,} marked"
            if hidden:
                marks += f", {hidden:,} not shown"
            parts.insert(0, marks + " (esc clears)")
        if self.due_only:
            parts.append("showing due only (o)")
        if self.query_text:
            # A long filter is shortened here, so the count and the order stay in view.
            query = self.query_text
            if len(query) > FILTER_SHOWN:
                query = query[: FILTER_SHOWN - 1] + "…"
            parts.append(f"filter “{query}”: {shown:,} match{'' if shown == 1 else 'es'}")
        parts.append(f"sorted by {self.order.value} (S)")
        # One line of fixed size: a new text needs no layout of the screen, which would
        # cost a frame (~10 ms at 120x36) on every follow-up and filter keystroke.
        show_text(
            self.query_one("#contacts-status", Static), plain(" · ".join(parts)), layout=False
        )

    @on(ContactList.MarksChanged)
    def marks_changed(self, event: ContactList.MarksChanged) -> None:
        event.stop()
        self._status()

    def _marked(self) -> frozenset[int]:
        """The marked contacts, else the highlighted one: what a bulk key acts on."""
        marked = self.contact_list.marked
        if marked:
            return frozenset(marked)
        cid = self._current()
        return frozenset() if cid is None else frozenset({cid})

    def action_bulk(self, action: str) -> None:
        if ids := self._marked():
            self.post_message(self.BulkRequested(action, ids))

    def _current(self) -> int | None:
        row = self.contact_list.highlighted
        return row.contact_id if row else None

    # --- actions ----------------------------------------------------------------

    def action_link_goal(self) -> None:
        if (cid := self._current()) is not None:
            self.post_message(self.LinkGoalRequested(cid))

    def action_follow_up(self) -> None:
        if (cid := self._current()) is not None:
            self.post_message(self.FollowUpRequested(cid))

    def action_log(self) -> None:
        self.post_message(self.LogRequested(self._current()))

    def action_snooze(self) -> None:
        if self.contact_list.marked:
            self.action_bulk("snooze")
        elif (cid := self._current()) is not None:
            self.post_message(self.SnoozeRequested(cid))

    def action_new(self) -> None:
        self.post_message(self.NewRequested())

    def action_edit(self) -> None:
        if (cid := self._current()) is not None:
            self.post_message(self.EditRequested(cid))

    def action_archive(self) -> None:
        if self.contact_list.marked:
            self.action_bulk("archive")
        elif (cid := self._current()) is not None:
            self.post_message(self.ArchiveRequested(cid))

    def action_filter(self) -> None:
        self.add_class("-filtering")
        self.query_one(FilterInput).focus()

    def action_due_only(self) -> None:
        self.due_only = not self.due_only
        if self.due_only:
            # Showing who is due starts with the most due, at the top.
            self.contact_list.action_jump(0)
        self.relist()

    def action_clear_filter(self) -> None:
        """`esc` in the list: a filter goes first (the cursor stays on its contact)."""
        if self.query_text:
            self.query_one(FilterInput).value = ""
        self.remove_class("-filtering")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Without a filter, escape is not this pane's key.
        return None if action == "clear_filter" and not self.query_text else True

    def action_sort(self) -> None:
        orders = list(SortOrder)
        self.order = orders[(orders.index(self.order) + 1) % len(orders)]
        self.relist()

    def _filter_typed(self, value: str) -> None:
        if value != self.query_text:
            self.query_text = value
            self.relist()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        event.stop()  # listed already, in the keystroke's turn (FilterInput.watch_value)

    @on(FilterInput.Left)
    def filter_left(self, event: FilterInput.Left) -> None:
        event.stop()
        if not self.query_text:
            self.remove_class("-filtering")
        self.contact_list.focus()
