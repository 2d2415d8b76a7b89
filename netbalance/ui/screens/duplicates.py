"""The duplicates review: pairs of contacts that may be one person, and the merge.

The screen lists what `netbalance duplicates` lists (the same domain function, the
same pairs in the same order), each with why. For the highlighted pair: `m` (or
enter) opens the merge plan, `x` remembers "not the same person", `s` skips it for
this visit. The merge dialog shows which record is kept and, field by field, the
values that differ and which one the merge takes; the user can swap the kept record
and choose a side for each single value. A merge is one store transaction, so `u`
undoes it like any other change.

A merge and a "not the same person" are the core's verbs (`Core.merge_contacts`,
`Core.keep_apart`) run by the Session; once stored, the one `DataChanged` message
redraws every screen, this one included (it looks again when the store changed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from netbalance.domain import Birthday, Contact, DomainError
from netbalance.domain.duplicates import DuplicatePair, compare, find_duplicates
from netbalance.domain.merge import Side, plan_merge
from netbalance.domain.text import escape_controls
from netbalance.store import Store, StoreError
from netbalance.ui.screens._form import FORM_CSS
from netbalance.ui.session import DataChanged, session_of
from netbalance.ui.widgets.footer import FittingFooter


def shown(text: str) -> str:
    """User or file text made safe to show on one line."""
    return escape_controls(text).replace("\n", " / ")


def value_text(value: object, now: datetime, width: int = 40) -> str:
    """A field's value in a few words, as `netbalance merge` shows it."""
    if value is None or value == "" or value == ():
        return "-"
    if isinstance(value, tuple):
        text = ", ".join(str(v) for v in value)
    elif isinstance(value, datetime):
        text = value.astimezone(now.tzinfo).date().isoformat()
    elif isinstance(value, Birthday):
        text = value.iso()
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = str(getattr(value, "value", value))
    text = shown(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def describe(contact: Contact, talks: int) -> str:
    """'#12 Ana Silva · Acme · 3 interactions · archived'."""
    parts = [f"#{contact.id} {shown(contact.name)}"]
    if contact.company:
        parts.append(shown(contact.company))
    parts.append(f"{talks} interaction{'s' if talks != 1 else ''}")
    if contact.archived:
        parts.append("archived")
    return " · ".join(parts)


# Fields named as the product names them.
FIELD_NAMES = {"created_at": "known since", "goal_ids": "goals (ids)", "snoozed_until": "snoozed"}


def brief(contact: Contact) -> str:
    """'Ana Silva · Acme' (archived ones say so): a pair's row, the rest is below."""
    parts = [shown(contact.name), shown(contact.company), "archived" if contact.archived else ""]
    return " · ".join(p for p in parts if p)


# --- writing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeRequest:
    """What the merge dialog asks for: merge `other_id` into `keep_id` with these choices."""

    keep_id: int
    other_id: int
    choices: Mapping[str, Side] = field(default_factory=dict)


def merge(widget: Widget, request: MergeRequest) -> None:
    """Merge through the core; said (with how many interactions moved) once stored."""
    session_of(widget).perform(
        lambda core: core.merge_contacts(request.keep_id, request.other_id, request.choices),
        say="once stored",
    )


def keep_apart(widget: Widget, first_id: int, second_id: int) -> None:
    """Remember the two are two people, through the core; said once stored."""
    session_of(widget).perform(lambda core: core.keep_apart(first_id, second_id), say="once stored")


# --- the merge dialog -----------------------------------------------------------------------


class MergeDialog(ModalScreen[MergeRequest | None]):
    """The merge plan of two contacts: which is kept, and field by field what the merge takes.

    `s` swaps which record stays; on a field where a side can be chosen, space or
    left/right picks the other side; enter (or m) merges; escape leaves both as they are.
    """

    DEFAULT_CSS = (
        FORM_CSS
        + """
    MergeDialog {
        align: center middle;
    }
    MergeDialog .form-dialog {
        width: 110;
        max-width: 100%;
    }
    MergeDialog #merge-who {
        height: auto;
        padding: 1 0;
    }
    MergeDialog #merge-fields {
        height: auto;
        max-height: 20;
    }
    MergeDialog #merge-note {
        height: auto;
        color: $text-muted;
        padding: 1 0 0 0;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter,m",
            "merge",
            "Merge",
            priority=True,
            id="merge.confirm",
            tooltip="Make the two records one (u undoes)",
        ),
        Binding("s", "swap", "Swap kept", id="merge.swap", tooltip="Keep the other record instead"),
        Binding(
            "space,left,right",
            "choose",
            "Other side",
            priority=True,
            id="merge.choose",
            tooltip="Take this field's value from the other record",
        ),
        Binding("escape", "cancel", "Cancel", id="merge.cancel", tooltip="Merge nothing"),
    ]

    def __init__(
        self, first: Contact, second: Contact, talks: Mapping[int, int], now: datetime
    ) -> None:
        super().__init__()
        self.keep, self.other = first, second
        self.talks = dict(talks)
        self.now = now
        self.choices: dict[str, Side] = {}
        self.plan = plan_merge(first, second, now)

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = "Merge two contacts"
            yield Static(id="merge-who")
            table: DataTable[str | Text] = DataTable(id="merge-fields", cursor_type="row")
            table.add_column("Field", key="field")
            table.add_column("Kept record", key="keep")
            table.add_column("Merged in", key="other")
            table.add_column("The merge takes", key="taken")
            yield table
            yield Static(id="merge-note")
            yield Static(
                "enter merge · s swap which record stays · space or ←/→ take the other side "
                "· esc cancel",
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#merge-fields", DataTable).focus()
        self._show()

    def _show(self) -> None:
        self.plan = plan_merge(self.keep, self.other, self.now, choices=self.choices)
        keep, other = self.keep, self.other
        who = Text.assemble(
            ("Keeps   ", "bold"),
            describe(keep, self.talks.get(keep.id, 0)),
            "\n",
            ("Removes ", "bold"),
            describe(other, self.talks.get(other.id, 0)),
        )
        self.query_one("#merge-who", Static).update(who)
        table: DataTable[str | Text] = self.query_one("#merge-fields", DataTable)
        row = table.cursor_row
        table.clear()
        for d in self.plan.differences:
            if d.chosen == "both":
                taken = Text(f"both: {value_text(d.merged, self.now, 20)}", style="dim")
            else:
                side = "kept record's" if d.chosen == "keep" else "merged-in's"
                taken = Text(f"● {side}", style="bold")
            table.add_row(
                Text(FIELD_NAMES.get(d.field, d.field.replace("_", " "))),
                value_text(d.keep, self.now, 28),
                value_text(d.other, self.now, 28),
                taken,
                key=d.field,
            )
        if not self.plan.differences:
            table.add_row("-", "the two records hold the same values", "", "", key="-")
        table.move_cursor(row=min(row, table.row_count - 1))
        moving = self.talks.get(other.id, 0)
        self.query_one("#merge-note", Static).update(
            f"{moving} interaction{'s' if moving != 1 else ''} and every event link of "
            f"{shown(other.name)} move to {shown(keep.name)}; lists and both notes are kept; "
            f"{shown(other.name)}'s uid stays as an alias so imports and syncs still find them. "
            "u undoes the merge."
        )

    def _field(self) -> str | None:
        table: DataTable[str | Text] = self.query_one("#merge-fields", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key if key and key != "-" else None

    def action_choose(self) -> None:
        name = self._field()
        diff = self.plan.difference(name) if name else None
        if diff is None or not diff.choosable:
            self.notify("Both values are kept for this field.", timeout=3)
            return
        self.choices[diff.field] = "other" if diff.chosen == "keep" else "keep"
        self._show()

    def action_swap(self) -> None:
        # A choice names a side, so it follows its value to the other side.
        self.keep, self.other = self.other, self.keep
        self.choices = {k: ("other" if v == "keep" else "keep") for k, v in self.choices.items()}
        self._show()

    def action_merge(self) -> None:
        self.dismiss(MergeRequest(self.keep.id, self.other.id, dict(self.choices)))

    def action_cancel(self) -> None:
        self.dismiss(None)


def default_keep(first: Contact, second: Contact, talks: Mapping[int, int]) -> bool:
    """Whether `first` is the record to keep by default: the one with more history,
    else the older record. Only where the dialog starts; `s` swaps."""
    a, b = talks.get(first.id, 0), talks.get(second.id, 0)
    if a != b:
        return a > b
    return (first.created_at, first.id) <= (second.created_at, second.id)


def merge_dialog(store: Store, first_id: int, second_id: int, now: datetime) -> MergeDialog:
    """The merge dialog for two stored contacts, the default record to keep first."""
    first, second = store.contact(first_id), store.contact(second_id)
    talks = {c.id: store.interaction_count(c.id) for c in (first, second)}
    if not default_keep(first, second, talks):
        first, second = second, first
    return MergeDialog(first, second, talks, now)


# --- the review -------------------------------------------------------------------------------


# The best pairs listed at once: a table of thousands costs seconds to build and
# nobody reviews that many in one sitting; each merge or "not the same" brings the next.
SHOWN = 200


@dataclass(frozen=True)
class _Found:
    """One look for duplicates: the pairs, the contacts they name, interaction counts."""

    revision: int
    pairs: list[DuplicatePair]
    contacts: dict[int, Contact]
    talks: dict[int, int]


class DuplicatesScreen(Screen[None]):
    """Likely duplicate pairs, best first; `m` merge, `x` not the same person, `s` skip."""

    HELP_SECTION = "Duplicates"

    DEFAULT_CSS = """
    DuplicatesScreen #dupes-intro {
        height: auto;
        padding: 0 1 1 1;
        color: $text-muted;
    }
    DuplicatesScreen #dupes-table {
        height: 1fr;
    }
    DuplicatesScreen #dupes-detail {
        height: auto;
        max-height: 12;
        padding: 1 1 0 1;
        border-top: hkey $foreground 20%;
    }
    DuplicatesScreen #dupes-empty {
        display: none;
        padding: 1 2;
    }
    DuplicatesScreen.-empty #dupes-empty {
        display: block;
    }
    DuplicatesScreen.-empty #dupes-table, DuplicatesScreen.-empty #dupes-detail {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="duplicates.back", tooltip="Return"),
        Binding(
            "m",
            "merge",
            "Merge…",
            id="duplicates.merge",
            tooltip="See the merge plan of this pair, then make them one",
        ),
        Binding(
            "x",
            "keep_apart",
            "Not the same",
            id="duplicates.keep-apart",
            tooltip="Remember these two are different people (never offered again; u undoes)",
        ),
        Binding(
            "s", "skip", "Skip", id="duplicates.skip", tooltip="Leave this pair for another day"
        ),
    ]

    def __init__(self, store: Store, now: datetime) -> None:
        super().__init__()
        self.store = store
        self.now = now
        self.found: _Found | None = None
        self.skipped: set[tuple[int, int]] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Pairs of contacts that may be one person, best first, with why. The same list as "
            "`netbalance duplicates`. m merge (you see the plan first) · x not the same person "
            "(remembered) · s skip.",
            id="dupes-intro",
        )
        table: DataTable[str | Text] = DataTable(
            id="dupes-table", cursor_type="row", zebra_stripes=True
        )
        table.add_column("Score", key="score")
        table.add_column("Why", key="why")
        table.add_column("Contact", key="first")
        table.add_column("May be the same as", key="second")
        yield table
        yield Static(id="dupes-detail")
        yield Static("Looking for duplicates…", id="dupes-empty")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.title = "Duplicates"
        self.sub_title = "one person, one record"
        self.query_one("#dupes-table", DataTable).focus()
        self.add_class("-empty")
        self.refresh_data()

    # --- data ---------------------------------------------------------------------------

    def refresh_data(self) -> None:
        """Look again, in the background, if the store changed since the last look."""
        if self.found is not None and self.found.revision == self.store.revision:
            return
        self.run_worker(self._find, thread=True, exclusive=True, group="duplicates")

    @on(DataChanged)
    def data_changed(self, _message: DataChanged) -> None:
        # A merge, a "not the same person", an undo, an edit, another process: whatever
        # changed the store may change the pairs.
        self.refresh_data()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def _find(self) -> None:
        store = self.store
        revision = store.revision
        contacts = store.contacts(include_archived=True)
        pairs = find_duplicates(contacts, kept_apart=store.kept_apart())
        named = {i for p in pairs for i in p.ids}
        by_id = {c.id: c for c in contacts if c.id in named}
        talks = {i: store.interaction_count(i) for i in named}
        self.app.call_from_thread(self._show, _Found(revision, pairs, by_id, talks))

    def _show(self, found: _Found) -> None:
        keep = self.current_pair()
        self.found = found
        table: DataTable[str | Text] = self.query_one("#dupes-table", DataTable)
        row = table.cursor_row
        table.clear()
        pairs = self.pairs()
        for p in pairs[:SHOWN]:
            a, b = found.contacts[p.first_id], found.contacts[p.second_id]
            table.add_row(
                Text(str(p.score), justify="right", style="bold"),
                Text(value_text(p.why, self.now, 36)),
                Text(brief(a)),
                Text(brief(b)),
                key=f"{p.first_id}-{p.second_id}",
            )
        self.set_class(not pairs, "-empty")
        skipped = f" ({len(self.skipped)} skipped)" if self.skipped else ""
        self.query_one("#dupes-empty", Static).update(
            f"No likely duplicates{skipped}. One person, one record."
        )
        count = len(pairs)
        best = f", the best {SHOWN} listed" if count > SHOWN else ""
        self.sub_title = f"{count} pair{'s' if count != 1 else ''} may be one person{best}{skipped}"
        keys = [p.ids for p in pairs[:SHOWN]]
        # The cursor stays on its pair; when that pair is gone (merged, kept apart,
        # skipped), on the one that took its place.
        if keep in keys:
            table.move_cursor(row=keys.index(keep))
        elif keys:
            table.move_cursor(row=min(row, len(keys) - 1))
        self._detail()

    def pairs(self) -> list[DuplicatePair]:
        """The pairs listed now: the store's, best first, less the ones skipped."""
        if self.found is None:
            return []
        return [p for p in self.found.pairs if p.ids not in self.skipped]

    def current_pair(self) -> tuple[int, int] | None:
        table: DataTable[str | Text] = self.query_one("#dupes-table", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        if not key:
            return None
        first, _, second = key.partition("-")
        return int(first), int(second)

    @on(DataTable.RowHighlighted, "#dupes-table")
    def _highlighted(self) -> None:
        self._detail()

    def _detail(self) -> None:
        """The highlighted pair side by side: what tells them apart, or not."""
        ids = self.current_pair()
        detail = self.query_one("#dupes-detail", Static)
        if ids is None or self.found is None:
            detail.update("")
            return
        a, b = (self.found.contacts[i] for i in ids)
        rows: list[tuple[str, str, str]] = [
            ("", f"#{a.id}", f"#{b.id}"),
            ("name", shown(a.name), shown(b.name)),
            ("company", value_text(a.company, self.now), value_text(b.company, self.now)),
            ("emails", value_text(a.emails, self.now), value_text(b.emails, self.now)),
            ("phones", value_text(a.phones, self.now), value_text(b.phones, self.now)),
            ("circle", a.circle.value, b.circle.value),
            ("known since", value_text(a.created_at, self.now), value_text(b.created_at, self.now)),
            (
                "interactions",
                str(self.found.talks.get(a.id, 0)),
                str(self.found.talks.get(b.id, 0)),
            ),
        ]
        width = max(len(r[1]) for r in rows) + 2
        parts: list[str | tuple[str, str]] = []
        for n, (label, left, right) in enumerate(rows):
            if n:
                parts.append("\n")
            style = "bold" if label in ("", "name") else ""
            differs = label not in ("", "interactions") and left != right
            parts.append((f"{label:<13}", "dim"))
            # An empty style would drop the padding: plain text keeps it.
            parts.append((f"{left:<{width}}", style) if style else f"{left:<{width}}")
            right_style = "bold $text-warning" if differs else style
            parts.append((right, right_style) if right_style else right)
        text = Content.assemble(*parts)
        detail.update(text)

    # --- actions --------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#dupes-table")
    def _selected(self) -> None:
        self.action_merge()

    def action_back(self) -> None:
        self.dismiss(None)

    def action_skip(self) -> None:
        ids = self.current_pair()
        if ids is None or self.found is None:
            return
        self.skipped.add(ids)
        self._show(self.found)

    def action_merge(self) -> None:
        ids = self.current_pair()
        if ids is None:
            return

        def chosen(request: MergeRequest | None) -> None:
            if request is not None:
                merge(self, request)

        self.app.push_screen(merge_dialog(self.store, *ids, self.now), chosen)

    def action_keep_apart(self) -> None:
        ids = self.current_pair()
        if ids is not None:
            keep_apart(self, *ids)


# --- merge with a chosen contact ----------------------------------------------------------------


class MergeWithPicker(ModalScreen[int | None]):
    """Pick the contact to merge into `contact`: likely duplicates first, then by name."""

    DEFAULT_CSS = (
        FORM_CSS
        + """
    MergeWithPicker {
        align: center middle;
    }
    MergeWithPicker #merge-with-list {
        height: auto;
        max-height: 16;
    }
    """
    )

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="merge-with.cancel", tooltip="Merge nothing"),
    ]

    def __init__(self, contact: Contact, others: Iterable[Contact]) -> None:
        super().__init__()
        self.contact = contact
        ranked: list[tuple[int, str, Contact, str]] = []
        for c in others:
            if c.id == contact.id:
                continue
            pair = compare(contact, c)
            score = pair.score if pair is not None else 0
            ranked.append((-score, c.name.casefold(), c, pair.why if pair else ""))
        ranked.sort(key=lambda r: (r[0], r[1], r[2].id))
        self.ranked = [(c, why) for _s, _n, c, why in ranked]

    def compose(self) -> ComposeResult:
        with Vertical(classes="form-dialog") as dialog:
            dialog.border_title = f"Merge with {shown(self.contact.name)}"
            yield Input(placeholder="Type to find a contact", id="merge-with-filter")
            yield OptionList(id="merge-with-list")
            yield Static(
                "enter see the merge plan · esc cancel · likely duplicates are listed first",
                classes="form-keys",
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        words = query.casefold().split()
        options: list[Option] = []
        for c, why in self.ranked:
            hay = " ".join((c.name, c.company, *c.emails)).casefold()
            if words and not all(w in hay for w in words):
                continue
            label = Text(f"#{c.id} {shown(c.name)}")
            if c.company:
                label.append(f" · {shown(c.company)}", style="dim")
            if why:
                label.append(f"  ({shown(why)})", style="italic")
            options.append(Option(label, id=str(c.id)))
            if len(options) >= 200:  # a name narrows it; no need to build thousands
                break
        option_list = self.query_one(OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        if options:
            option_list.highlighted = 0

    @on(Input.Changed, "#merge-with-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#merge-with-filter")
    def _submit(self) -> None:
        option_list = self.query_one(OptionList)
        if option_list.highlighted is not None:
            option = option_list.get_option_at_index(option_list.highlighted)
            self.dismiss(int(option.id or 0) or None)

    def on_key(self, event: Any) -> None:
        # Up and down move in the list while the filter keeps the focus.
        if event.key in ("up", "down") and isinstance(self.focused, Input):
            option_list = self.query_one(OptionList)
            if event.key == "down":
                option_list.action_cursor_down()
            else:
                option_list.action_cursor_up()
            event.stop()

    @on(OptionList.OptionSelected, "#merge-with-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0) or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def merge_with(screen: Screen[Any], contact_id: int) -> None:
    """ "Contact: merge with…": pick the other contact, see the plan, merge."""
    core = session_of(screen).core
    if core is None:
        return
    store, now = core.store, core.clock()
    try:
        contact = store.contact(contact_id)
    except (KeyError, DomainError, StoreError):
        return

    def picked(other_id: int | None) -> None:
        if other_id is None:
            return
        other = store.contact(other_id)
        talks = {c.id: store.interaction_count(c.id) for c in (contact, other)}

        def chosen(request: MergeRequest | None) -> None:
            if request is not None:
                merge(screen, request)

        screen.app.push_screen(MergeDialog(contact, other, talks, now), chosen)

    others = store.contacts(include_archived=True)
    screen.app.push_screen(MergeWithPicker(contact, others), picked)


# --- the app's hooks ------------------------------------------------------------------------------


def open_duplicates(app: App[Any]) -> None:
    """Open the review (from its key or the palette) once the store is open."""
    core = session_of(app).core
    if core is None or isinstance(app.screen, DuplicatesScreen):
        return
    app.push_screen(DuplicatesScreen(core.store, core.clock()))


def shown_contact(screen: Screen[Any]) -> int | None:
    """The contact the user is looking at: a contact screen's, else the main list's
    highlighted one (None elsewhere)."""
    contact_id = getattr(screen, "contact_id", None)
    if isinstance(contact_id, int):
        return contact_id
    highlighted = getattr(screen, "highlighted_contact", None)
    return highlighted if isinstance(highlighted, int) else None
