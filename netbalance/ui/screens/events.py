"""The events screen: every event, past and upcoming, with triage ahead and return behind.

Filter by status and by goal. Upcoming events show the health model's
triage (go, consider, skip, and why); attended ones show their return: people
met, followed up within 14 days, still in touch after 90 days, per hour.
The screens read the core's store (off the UI thread) and redraw on every
`DataChanged`; their keys act through the Session (`set_status` and friends, below,
shared with the main screen's events pane). `enter` opens one event's page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable, Header, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from netbalance.domain.errors import DomainError
from netbalance.domain.health import EventReturn, Triage, event_return, triage_upcoming
from netbalance.domain.health.calendar import local_day
from netbalance.domain.model import Contact, Event, EventStatus, Goal
from netbalance.domain.rules import check_event_started
from netbalance.store.store import Store
from netbalance.ui.safe_text import plain
from netbalance.ui.screens.confirm import ConfirmDialog
from netbalance.ui.session import DataChanged, session_of
from netbalance.ui.widgets.events_pane import STATUS_MARK
from netbalance.ui.widgets.footer import FittingFooter

_ADVICE_STYLE = {"go": "bold green", "consider": "yellow", "skip": "dim"}
ALL = "all"
NO_GOAL = -1


@dataclass(frozen=True, slots=True)
class EventRow:
    """One event with what the health model says about it."""

    event: Event
    triage: Triage | None
    ret: EventReturn | None


@dataclass(frozen=True, slots=True)
class EventsData:
    """Everything the events screens show, read off the UI thread."""

    rows: list[EventRow]
    goals: list[Goal]
    contacts: dict[int, Contact]
    last_touched: dict[int, datetime]
    met_by_event: dict[int, list[int]]


def load_events_data(store: Store, now: datetime) -> EventsData:
    """Read events, goals and contacts, and run triage and return for each event."""
    events = store.events()
    goals = store.goals()
    settings = store.settings()
    by_contact = store.interactions_by_contact()
    contacts = {c.id: c for c in store.contacts(include_archived=True)}
    # The event's own list first (in the order met), then contacts whose "met at" names it.
    met_by_event: dict[int, list[int]] = defaultdict(list)
    for e in events:
        met_by_event[e.id].extend(dict.fromkeys(e.met_contact_ids))
    for c in contacts.values():
        at = c.met_at_event_id
        if at is not None and c.id not in met_by_event[at]:
            met_by_event[at].append(c.id)
    triages = {t.event_id: t for t in triage_upcoming(events, goals, settings, now, by_contact)}
    rows = []
    for e in events:
        ret = None
        if e.status is EventStatus.ATTENDED:
            ret = event_return(
                e,
                by_contact,
                now,
                also_met=met_by_event.get(e.id, ()),
                thresholds=settings.thresholds,
            )
        rows.append(EventRow(e, triages.get(e.id), ret))
    return EventsData(rows, goals, contacts, store.last_interactions(), dict(met_by_event))


def return_cell(ret: EventReturn) -> str:
    """'4 → 2 → ? · 0.5/h': met, followed up, still in touch, and the deepest known per hour."""

    def n(x: int | None) -> str:
        return "?" if x is None else str(x)

    known = next((x for x in (ret.still_in_touch, ret.followed_up, ret.met) if x is not None), 0)
    rate = ret.per_hour(known)
    per = f" · {rate:.2g}/h" if rate is not None else ""
    return f"{ret.met} → {n(ret.followed_up)} → {n(ret.still_in_touch)}{per}"


def return_sentence(ret: EventReturn) -> str:
    """The return of an event in words."""

    def part(count: int | None, what: str) -> str:
        if count is None:
            return f"{what}: not known yet"
        rate = ret.per_hour(count)
        per = f" ({rate:.2g} per hour)" if rate is not None else ""
        return f"{what}: {count}{per}"

    return " · ".join(
        (
            part(ret.met, "Met"),
            part(ret.followed_up, "followed up within 14 days"),
            part(ret.still_in_touch, "still in touch after 90 days"),
        )
    )


# --- what the event keys do (the events screens and the main screen's events pane) ---------


def set_status(widget: Widget, event_id: int, status: EventStatus) -> None:
    """`g` `x` `a` `m`: going checks the budget first; attended asks who you met.

    Attended and missed are refused, with the reason, before the event has started."""
    session = session_of(widget)
    core = session.core
    event = core.event(event_id) if core else None
    if core is None or event is None:
        return
    if event.status is status:
        if status is EventStatus.ATTENDED:
            who_met(widget, event_id)
        return

    def change() -> None:
        started = session.perform(lambda core: core.set_event_status(event_id, status))
        if started and status is EventStatus.ATTENDED:
            who_met(widget, event_id)

    if status is EventStatus.GOING:
        check = core.budget_check(event)
        if check.over:
            body = (
                f"Going to {event.title} would stretch your networking budget:\n\n"
                + "\n".join(f"  {line}" for line in check.lines())
                + "\n\nA few targeted events beat every event. Go anyway?"
            )

            def answered(yes: bool | None) -> None:
                if yes:
                    change()
                else:
                    widget.app.notify(f"{event.title}: left as {event.status.value}")

            dialog = ConfirmDialog("Over budget", body, yes="go anyway", no="leave it")
            widget.app.push_screen(dialog, answered)
            return
    change()


def who_met(widget: Widget, event_id: int) -> None:
    """`w` (and after `a`): add the people met at the event, then write them in one go."""
    from netbalance.ui.screens.who_met import MetPerson, WhoMetDialog

    session = session_of(widget)
    core = session.core
    event = core.event(event_id) if core else None
    if core is None or event is None:
        return
    now = session.clock()
    try:
        check_event_started(event, now)
    except DomainError as err:
        widget.app.notify(str(err), title="Not yet", severity="warning")
        return

    def chosen(people: tuple[MetPerson, ...] | None) -> None:
        if people:
            session.perform(lambda core: core.record_met(event_id, people))

    capacity = core.settings.followup_capacity_per_event
    contacts = list(core.ranking.contacts.values())
    dialog = WhoMetDialog(event, contacts, capacity, now, thresholds=core.settings.thresholds)
    widget.app.push_screen(dialog, chosen)


def new_event(widget: Widget) -> None:
    from netbalance.ui.screens.event_form import EventForm

    session = session_of(widget)
    if session.core is None:
        return
    form = EventForm(None, session.core.goals(), session.clock())
    form.saver = session.form_saver(lambda core, value: core.add_event(value))
    widget.app.push_screen(form)


def edit_event(widget: Widget, event_id: int) -> None:
    from netbalance.ui.screens.event_form import EventForm

    session = session_of(widget)
    core = session.core
    base = core.event(event_id) if core else None
    if core is None or base is None:
        return
    form = EventForm(base, core.goals(), session.clock())
    form.saver = session.form_saver(lambda core, value: core.edit_event(base, value))
    widget.app.push_screen(form)


class EventKeys:
    """Keys shared by the events list and an event's page: they act on the event shown."""

    KEYS: ClassVar[list[BindingType]] = [
        Binding("e", "edit", "Edit", id="events.edit", tooltip="Edit this event"),
        Binding("g", "status('going')", "Going", id="events.going", tooltip="Mark: going"),
        Binding(
            "x", "status('declined')", "Decline", id="events.decline", tooltip="Mark: declined"
        ),
        Binding(
            "a",
            "status('attended')",
            "Attended",
            id="events.attended",
            tooltip="Mark: attended, then say who you met",
        ),
        Binding("m", "status('missed')", "Missed", id="events.missed", tooltip="Mark: missed"),
        Binding(
            "w", "who_met", "Who I met", id="events.who-met", tooltip="Add the people you met there"
        ),
    ]

    def current_event_id(self) -> int | None:
        """The event the keys act on (the highlighted row, or the page's event)."""
        raise NotImplementedError

    def _screen(self) -> Screen[None]:
        return cast("Screen[None]", self)

    def action_edit(self) -> None:
        if (event_id := self.current_event_id()) is not None:
            edit_event(self._screen(), event_id)

    def action_status(self, status: str) -> None:
        if (event_id := self.current_event_id()) is not None:
            set_status(self._screen(), event_id, EventStatus(status))

    def action_who_met(self) -> None:
        if (event_id := self.current_event_id()) is not None:
            who_met(self._screen(), event_id)


_TITLE_WIDTH = 30
_GOALS_WIDTH = 24
# The table's columns: label, key, width (113 cells with padding: fits 120 columns).
_COLUMNS = (
    ("When", "when", 15),
    ("Event", "title", _TITLE_WIDTH),
    ("Status", "status", 9),
    ("h", "hours", 4),
    ("Goals", "goals", _GOALS_WIDTH),
    ("Triage / return", "health", 19),
)


class EventsScreen(EventKeys, Screen[None]):
    """All events, filtered by status and goal; keys ask the app to add, edit and mark them."""

    DEFAULT_CSS = """
    EventsScreen #events-filters {
        height: 1;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    EventsScreen #events-filters Label {
        padding: 0 1 0 0;
        color: $text-muted;
    }
    EventsScreen #events-filters Select {
        width: 26;
        margin: 0 2 0 0;
    }
    EventsScreen #all-events {
        height: 1fr;
    }
    EventsScreen #events-summary {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    EventsScreen #all-events-empty {
        display: none;
        padding: 1 2;
        color: $text-muted;
    }
    EventsScreen.-empty #all-events-empty {
        display: block;
    }
    EventsScreen.-empty #all-events {
        display: none;
    }
    EventsScreen #events-explain {
        /* A fixed height: the table above keeps its size when a highlighted event's
           explanation arrives, so its scroll position does not depend on timing. */
        height: 4;
        padding: 0 1;
        border-top: hkey $foreground 20%;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="events.back", tooltip="Return to the main screen"),
        Binding("n", "new", "New", id="events.new", tooltip="Add an event"),
        *EventKeys.KEYS,
        Binding(
            "s",
            "cycle_status",
            "Status filter",
            show=False,
            id="events.status-filter",
            tooltip="Show the next status only",
        ),
        Binding(
            "o",
            "cycle_goal",
            "Goal filter",
            show=False,
            id="events.goal-filter",
            tooltip="Show events of the next goal only",
        ),
    ]

    def __init__(self, store: Store, now: datetime) -> None:
        super().__init__()
        self.store = store
        self.now = now
        self.data: EventsData | None = None
        self._filled_for: tuple[object, object, object] | None = None
        self.shown: dict[int, EventRow] = {}
        # The values of each filter, in order, for the keys that cycle through them.
        self._choices: dict[str, list[object]] = {
            "#status-filter": [ALL, *(s.value for s in EventStatus)],
            "#goal-filter": [0, NO_GOAL],
        }

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="events-filters"):
            yield Label("Status (s)")
            yield Select[str](
                [("all statuses", ALL), *((s.value, s.value) for s in EventStatus)],
                value=ALL,
                allow_blank=False,
                id="status-filter",
                compact=True,
            )
            yield Label("Goal (o)")
            yield Select[int](
                [("all goals", 0), ("no goal", NO_GOAL)],
                value=0,
                allow_blank=False,
                id="goal-filter",
                compact=True,
            )
        table: DataTable[str | Text] = DataTable(
            id="all-events", cursor_type="row", zebra_stripes=True
        )
        # Fixed widths (the cells are cut to them): DataTable measures auto-width columns
        # when it is idle, and until then drew them as wide as their headers.
        for label, key, width in _COLUMNS:
            table.add_column(label, key=key, width=width)
        yield table
        yield Static(
            "No events yet. Press n to add one, or i to import a calendar (.ics).",
            id="all-events-empty",
        )
        yield Static("", id="events-summary")
        yield Static("", id="events-explain")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.title = "Events"
        self.sub_title = "past and upcoming"
        self.query_one("#all-events", DataTable).focus()
        self._load()

    # --- data -------------------------------------------------------------------------

    @on(DataChanged)
    def data_changed(self, message: DataChanged) -> None:
        """Something changed: read again (events, goals, people met, triage) and redraw."""
        self.now = session_of(self).clock()
        self._load()

    @work(thread=True, exclusive=True, group="events-screen")
    def _load(self) -> None:
        data = load_events_data(self.store, self.now)
        self.app.call_from_thread(self.show_data, data)

    def show_data(self, data: EventsData) -> None:
        """Show freshly read events (data down)."""
        self.data = data
        goal_filter = self.query_one("#goal-filter", Select)
        current = goal_filter.value
        goal_filter.set_options(
            [("all goals", 0), ("no goal", NO_GOAL)]
            + [(g.title if g.active else f"{g.title} (retired)", g.id) for g in data.goals]
        )
        known = {0, NO_GOAL} | {g.id for g in data.goals}
        self._choices["#goal-filter"] = [0, NO_GOAL, *(g.id for g in data.goals)]
        goal_filter.value = current if current in known else 0
        self._fill()

    def _visible(self) -> list[EventRow]:
        if self.data is None:
            return []
        status = self.query_one("#status-filter", Select).value
        goal = self.query_one("#goal-filter", Select).value
        rows = self.data.rows
        if status != ALL:
            rows = [r for r in rows if r.event.status.value == status]
        if goal == NO_GOAL:
            rows = [r for r in rows if not r.event.goal_ids]
        elif isinstance(goal, int) and goal > 0:
            rows = [r for r in rows if goal in r.event.goal_ids]
        return rows

    def _fill(self) -> None:
        if self.data is None:
            return
        table: DataTable[str | Text] = self.query_one("#all-events", DataTable)
        keep = self.current_event_id()
        self._filled_for = self._filters()
        table.clear()
        rows = self._visible()
        self.shown = {r.event.id: r for r in rows}
        titles = {g.id: g.title for g in self.data.goals}
        tz = self.now.tzinfo
        assert tz is not None
        today = local_day(self.now, tz)
        first_ahead: int | None = None
        for r in rows:
            e = r.event
            day = local_day(e.start, tz)
            if first_ahead is None and day >= today:
                first_ahead = e.id
            past = day < today
            dim = "dim" if e.status in (EventStatus.DECLINED, EventStatus.MISSED) else ""
            goals = ", ".join(titles.get(g, f"goal {g}") for g in e.goal_ids)
            if len(goals) > _GOALS_WIDTH:
                goals = goals[: _GOALS_WIDTH - 1] + "…"
            health: Text
            if r.triage is not None:
                advice = r.triage.recommendation.value
                health = Text(advice, style=dim or _ADVICE_STYLE.get(advice, ""))
            elif r.ret is not None:
                health = Text(return_cell(r.ret), style=dim)
            else:
                health = Text("")
            title = e.title if len(e.title) <= _TITLE_WIDTH else e.title[: _TITLE_WIDTH - 1] + "…"
            table.add_row(
                Text(f"{day:%a %d %b %Y}", style=dim or ("" if past else "bold")),
                Text(title, style=dim),
                Text(STATUS_MARK[e.status], style=dim),
                Text(f"{e.cost_hours:g}", style=dim, justify="right"),
                Text(goals or "—", style=dim or ("" if goals else "dim")),
                health,
                key=str(e.id),
            )
        self.set_class(not self.data.rows, "-empty")
        target = keep if keep in self.shown else first_ahead
        if target is not None:
            index = table.get_row_index(str(target))
            # One mechanism scrolls the cursor's row into view: DataTable's own, once it
            # has measured the new rows (a second scroll of ours raced with it).
            table.move_cursor(row=index, scroll=True)
        self._summarise(rows)
        self._explain()

    def _summarise(self, rows: list[EventRow]) -> None:
        total = len(self.data.rows) if self.data else 0
        tz = self.now.tzinfo
        assert tz is not None
        today = local_day(self.now, tz)
        ahead = sum(1 for r in rows if local_day(r.event.start, tz) >= today)
        shown = f"{len(rows)} of {total} events" if len(rows) != total else f"{total} events"
        self.query_one("#events-summary", Static).update(
            f"{shown} · {ahead} ahead, {len(rows) - ahead} past · "
            "triage for events ahead; return: met → followed up → still in touch"
        )

    def current_event_id(self) -> int | None:
        table: DataTable[str | Text] = self.query_one("#all-events", DataTable)
        if not table.row_count or not self.shown:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#all-events")
    def explain_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._explain()

    def _explain(self) -> None:
        explain = self.query_one("#events-explain", Static)
        event_id = self.current_event_id()
        row = self.shown.get(event_id) if event_id is not None else None
        if row is None:
            explain.update("")
            return
        e = row.event
        local = e.start.astimezone(self.now.tzinfo)
        where = f" · {e.place}" if e.place else ""
        head = f"{e.title} · {local:%a} {local.day} {local:%b %Y %H:%M}{where} · {e.cost_hours:g} h"
        if row.triage is not None:
            explain.update(plain(f"{head}\n{row.triage.reason}"))
        elif row.ret is not None:
            explain.update(plain(f"{head}\n{return_sentence(row.ret)}"))
        else:
            explain.update(plain(head))

    # --- keys ---------------------------------------------------------------------------

    @on(Select.Changed)
    def refilter(self, event: Select.Changed) -> None:
        # Setting the filters' options posts Changed with the values already shown:
        # filling again for those would clear and rebuild the table twice more.
        if self._filters() != self._filled_for:
            self._fill()

    def _filters(self) -> tuple[object, object, object]:
        status = self.query_one("#status-filter", Select).value
        goal = self.query_one("#goal-filter", Select).value
        return (status, goal, self.data)

    def _cycle(self, selector: str) -> None:
        select: Select[object] = self.query_one(selector, Select)
        values = self._choices.get(selector, [])
        if not values:
            return
        try:
            index = values.index(select.value)
        except ValueError:
            index = -1
        select.value = values[(index + 1) % len(values)]

    def action_cycle_status(self) -> None:
        self._cycle("#status-filter")

    def action_cycle_goal(self) -> None:
        self._cycle("#goal-filter")

    @on(DataTable.RowSelected, "#all-events")
    def open_event(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None and self.data is not None:
            self.app.push_screen(EventScreen(self.store, int(event.row_key.value), self.now))

    def action_new(self) -> None:
        new_event(self)

    def action_back(self) -> None:
        self.dismiss(None)


class EventScreen(EventKeys, Screen[None]):
    """One event: details, triage or return, and the people met there."""

    DEFAULT_CSS = """
    EventScreen #event-page {
        padding: 0 1;
        height: 1fr;
    }
    EventScreen #event-details {
        height: auto;
        margin: 0 0 1 0;
    }
    EventScreen .section-title {
        text-style: bold;
        color: $text-primary;
    }
    EventScreen #event-met {
        height: auto;
        max-height: 20;
    }
    EventScreen #event-missing {
        display: none;
        color: $text-warning;
        padding: 1 2;
    }
    EventScreen.-missing #event-missing {
        display: block;
    }
    EventScreen.-missing #event-page {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="event.back", tooltip="Return to the events"),
        *EventKeys.KEYS,
    ]

    def __init__(self, store: Store, event_id: int, now: datetime) -> None:
        super().__init__()
        self.store = store
        self.event_id = event_id
        self.now = now

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("This event is no longer in the database.", id="event-missing")
        with VerticalScroll(id="event-page"):
            yield Static(id="event-details")
            yield Static("People met", id="event-met-title", classes="section-title")
            yield OptionList(id="event-met", compact=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#event-met", OptionList).focus()
        self._load()

    def current_event_id(self) -> int | None:
        return self.event_id

    @on(DataChanged)
    def data_changed(self, message: DataChanged) -> None:
        self.now = session_of(self).clock()
        self._load()

    @work(thread=True, exclusive=True, group="event-screen")
    def _load(self) -> None:
        data = load_events_data(self.store, self.now)
        self.app.call_from_thread(self.show_data, data)

    def show_data(self, data: EventsData) -> None:
        row = next((r for r in data.rows if r.event.id == self.event_id), None)
        if row is None:
            self.add_class("-missing")
            return
        self.remove_class("-missing")
        e = row.event
        self.title = e.title
        self.sub_title = e.status.value
        tz = self.now.tzinfo
        start = e.start.astimezone(tz)
        when = f"{start:%a} {start.day} {start:%b %Y, %H:%M}"
        if e.end is not None:
            when += f" – {e.end.astimezone(tz):%H:%M}"
        titles = {g.id: g.title for g in data.goals}
        lines = [
            ("When", when),
            ("Status", STATUS_MARK[e.status]),
            ("Hours", f"{e.cost_hours:g} (travel included)"),
        ]
        if e.place:
            lines.append(("Place", e.place))
        if e.link:
            lines.append(("Link", e.link))
        lines.append(("Goals", ", ".join(titles.get(g, f"goal {g}") for g in e.goal_ids) or "none"))
        if e.tags:
            lines.append(("Tags", ", ".join(e.tags)))
        if row.triage is not None:
            lines.append(("Triage", row.triage.reason))
        if row.ret is not None:
            lines.append(("Return", return_sentence(row.ret)))
        text = Text()
        for label, value in lines:
            text.append(f"{label:<8}", style="dim")
            text.append(value + "\n")
        if e.notes:
            text.append("\n" + e.notes)
        text.rstrip()
        self.query_one("#event-details", Static).update(text)
        met = data.met_by_event.get(e.id, [])
        options: list[Option] = []
        for cid in met:
            c = data.contacts.get(cid)
            if c is None:
                continue
            last = data.last_touched.get(cid)
            touched = "never" if last is None else f"{last.astimezone(tz):%d %b %Y}"
            touched = "last touched " + touched
            options.append(Option(plain(f"{c.name}  · {c.circle.label} · {touched}"), id=str(cid)))
        self.query_one("#event-met", OptionList).set_options(options)
        count = len(options)
        self.query_one("#event-met-title", Static).update(
            f"People met · {count}" if count else "People met · nobody yet (press w to add them)"
        )

    def action_back(self) -> None:
        self.dismiss(None)
