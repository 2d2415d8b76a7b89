"""The contacts pane: the ranked list, its live filter, and the keys that act on a contact.

The pane never writes: each key posts a message naming the highlighted contact,
and the main screen acts on it (messages up, data down).
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import Input, Static

from netbalance.core.ranking import ContactRow, SortOrder
from netbalance.ui.safe_text import plain
from netbalance.ui.widgets.contact_list import ContactList


class FilterInput(Input):
    """The `/` filter: escape clears and hands focus back to the list."""

    BINDINGS = [
        Binding("escape", "leave(True)", "Clear filter", id="filter.clear"),
        Binding("enter,down", "leave(False)", "Keep filter", id="filter.keep", show=False),
    ]

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

    query_text: reactive[str] = reactive("")
    due_only: reactive[bool] = reactive(False)
    order: reactive[SortOrder] = reactive(SortOrder.DUE)

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

    @dataclass
    class ViewChanged(Message):
        """Filter, due-only or sort order changed: the screen re-lists."""

    def compose(self) -> ComposeResult:
        yield FilterInput(placeholder="Filter by name, tag or company  (esc clears)", id="filter")
        yield Static("", id="contacts-status")
        yield ContactList(id="contact-list")

    @property
    def contact_list(self) -> ContactList:
        return self.query_one(ContactList)

    def show(self, rows: list[ContactRow], *, total: int, due: int) -> None:
        """Show these rows (data down from the screen); the cursor stays on its contact."""
        self.contact_list.set_rows(rows)
        self._counts = (len(rows), total, due)
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
            parts.append(f"filter “{self.query_text}”: {shown:,} match")
        parts.append(f"sorted by {self.order.value} (S)")
        # One line of fixed size: a new text needs no layout of the screen, which would
        # cost a frame (~10 ms at 120x36) on every follow-up and filter keystroke.
        self.query_one("#contacts-status", Static).update(plain(" · ".join(parts)), layout=False)

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
        self.post_message(self.ViewChanged())

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
        self.post_message(self.ViewChanged())

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.query_text = event.value
        self.post_message(self.ViewChanged())

    @on(FilterInput.Left)
    def filter_left(self, event: FilterInput.Left) -> None:
        event.stop()
        if not self.query_text:
            self.remove_class("-filtering")
        self.contact_list.focus()
