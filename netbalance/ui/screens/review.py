"""The weekly review: what happened, what paid off, how the gauge moved, and a note.

The article's "Reflection and adjustment". It says what `netbalance review`
says, with the same numbers: the zone and, when it is held at balanced, why
(`Gauge.lead`); who to reconnect with and how many days past the care their
circle asks (a snooze moves the reminder, not that); this week's birthdays
coming up. The screen reads the store in a
worker (the review of a week rebuilds past gauges for the trend), keeps the
current week's snapshot up to date when it opens, and saves the note of the
week shown through the app's writer, off the UI thread. `[` and `]` move a
week back and forward, never past the current week. Like every screen that
shows data, it computes the week again on each `DataChanged` (a write here or
another process's, an undo), keeping a note the user is still typing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Sparkline, Static, TextArea

from netbalance.domain.birthdays import SOON_DAYS, UpcomingDate, upcoming_dates
from netbalance.domain.health import week_of
from netbalance.domain.health.calendar import local_day, zone_of
from netbalance.domain.health.review import WeekReview, week_review
from netbalance.domain.model import WeeklySnapshot
from netbalance.store.store import Store
from netbalance.ui.session import DataChanged
from netbalance.ui.widgets.footer import FittingFooter
from netbalance.ui.writer import StoreWriter

Parts = list[str | Content | tuple[str, str]]
BAR_WIDTH = 12
PEOPLE_SHOWN = 8


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """A text bar for a 0..1 fraction (clipped): filled blocks, then light shade."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def save_note(store: Store, snapshot: WeeklySnapshot, note: str) -> WeeklySnapshot:
    """Store `note` as the week's note, keeping the week's stored figures if there are any.

    Runs in the writer: the stored snapshot is read again there, so figures
    refreshed since the screen computed `snapshot` are not overwritten.
    """
    stored = next((s for s in store.snapshots() if s.week_start == snapshot.week_start), None)
    base = stored if stored is not None else snapshot
    return store.put_snapshot(base.edit(note=note))


def keep_snapshot(store: Store, snapshot: WeeklySnapshot) -> WeeklySnapshot | None:
    """Store the current week's figures, keeping its note; None when nothing changed."""
    stored = next((s for s in store.snapshots() if s.week_start == snapshot.week_start), None)
    fresh = snapshot.edit(note=stored.note if stored is not None else snapshot.note)
    if stored is not None and fresh.edit(id=stored.id) == stored:
        return None
    return store.put_snapshot(fresh)


class ReviewScreen(Screen[None]):
    """One week looked back on; a note per week."""

    HELP_SECTION = "Weekly review"

    DEFAULT_CSS = """
    ReviewScreen #review-body {
        height: 1fr;
    }
    ReviewScreen #review-facts {
        width: 1fr;
        padding: 0 1;
    }
    ReviewScreen #review-reflect {
        width: 46%;
        max-width: 64;
        min-width: 34;
        padding: 0 1;
        border-left: vkey $foreground 20%;
    }
    ReviewScreen .review-section {
        margin: 0 0 1 0;
    }
    ReviewScreen #review-week {
        text-style: bold;
        color: $text-primary;
    }
    ReviewScreen #review-trend {
        height: 3;
        margin: 0 0 0 0;
    }
    ReviewScreen #review-trend-caption {
        color: $text-muted;
        margin: 0 0 1 0;
    }
    ReviewScreen #review-note {
        height: 7;
    }
    ReviewScreen #review-note-status {
        color: $text-muted;
        margin: 0 0 1 0;
    }
    ReviewScreen #review-note-status.-dirty {
        color: $text-warning;
    }
    ReviewScreen #review-loading {
        color: $text-muted;
        text-style: italic;
        padding: 0 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="review.back", tooltip="Return to the main screen"),
        Binding(
            "left_square_bracket",
            "earlier",
            "Earlier week",
            key_display="[",
            id="review.earlier",
            tooltip="Review the week before",
        ),
        Binding(
            "right_square_bracket",
            "later",
            "Later week",
            key_display="]",
            id="review.later",
            tooltip="Review the week after (up to this week)",
        ),
        Binding(
            "n",
            "write_note",
            "Note",
            id="review.note",
            tooltip="Write your note for this week",
        ),
        Binding(
            "ctrl+s",
            "save_note",
            "Save note",
            id="review.save-note",
            tooltip="Save your note for this week",
            priority=True,
        ),
    ]

    @dataclass
    class NoteSaved(Message):
        """The week's note is stored."""

        week_start: date

    def __init__(
        self,
        store: Store,
        now: datetime,
        week_start: date | None = None,
        *,
        writer: StoreWriter | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.now = now
        self.current_week = week_of(now)
        week = week_start or self.current_week
        self.week_start = min(week - timedelta(days=week.weekday()), self.current_week)
        self.writer = writer
        self.review: WeekReview | None = None
        # Birthdays coming up, named in the current week's review (as the CLI's).
        self.dates: list[UpcomingDate] = []
        self.saved_note = ""
        self._kept_current = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Looking back at the week…", id="review-loading")
        with Horizontal(id="review-body"):
            with VerticalScroll(id="review-facts"):
                yield Static(id="review-week", classes="review-section")
                yield Static(id="review-activity", classes="review-section")
                yield Static(id="review-budget", classes="review-section")
                yield Static(id="review-gauge")
                yield Sparkline([], id="review-trend")
                yield Static(id="review-trend-caption")
                yield Static(id="review-dates", classes="review-section")
                yield Static(id="review-returns", classes="review-section")
                yield Static(id="review-signals", classes="review-section")
            # Not focusable itself: tab goes from the facts straight to the note.
            with VerticalScroll(id="review-reflect", can_focus=False):
                yield Static(id="review-prompts", classes="review-section")
                yield Static(Content.styled("Your note for this week", "bold"), id="note-title")
                yield TextArea("", id="review-note", soft_wrap=True)
                yield Static("", id="review-note-status")
                yield Static(id="review-past-notes")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.title = "Weekly review"
        self.query_one("#review-facts").focus()
        self.load()

    # --- loading ------------------------------------------------------------------------

    @on(DataChanged)
    def data_changed(self, _message: DataChanged) -> None:
        """Someone wrote (here, another process, an undo): the week's figures may differ.
        The figures shown stay until the new ones are computed."""
        if self.review is not None:
            self._kept_current = False  # the current week's stored figures follow too
            self._compute(self.week_start)

    def load(self) -> None:
        """Compute the review of the week shown, in a worker."""
        self.query_one("#review-loading").display = True
        self._compute(self.week_start)

    @work(thread=True, exclusive=True, group="review")
    def _compute(self, week: date) -> None:
        store = self.store
        review = week_review(
            week,
            store.contacts(),
            store.interactions_by_contact(),
            store.events(),
            store.goals(),
            store.settings(),
            store.snapshots(),
            self.now,
        )
        dates = (
            upcoming_dates(store.contacts(), local_day(self.now, zone_of(self.now)), SOON_DAYS)
            if review.current
            else []
        )
        self.app.call_from_thread(self._show, review, dates)

    def _show(self, review: WeekReview, dates: list[UpcomingDate] | None = None) -> None:
        if review.week_start != self.week_start:
            return  # the user moved on while it was computed
        # A note being typed is kept when the week is computed again (DataChanged).
        typed = self.note_text if self.dirty else None
        self.review = review
        self.dates = list(dates or [])
        dates_shown = self.query_one("#review-dates", Static)
        dates_shown.update(self._dates())
        dates_shown.display = bool(self.dates)
        self.query_one("#review-loading").display = False
        self.sub_title = f"{review.week_start:%d %b} – {review.week_end:%d %b %Y}"
        self.query_one("#review-week", Static).update(self._week_title(review))
        self.query_one("#review-activity", Static).update(self._activity(review))
        self.query_one("#review-budget", Static).update(self._budget(review))
        self.query_one("#review-gauge", Static).update(self._gauge(review))
        trend = self.query_one("#review-trend", Sparkline)
        trend.data = [p.balance for p in review.trend]
        # One point is no trend (and a sparkline would draw it as a full bar).
        trend.display = len(review.trend) > 1
        self.query_one("#review-trend-caption", Static).update(self._trend_caption(review))
        self.query_one("#review-returns", Static).update(self._returns(review))
        self.query_one("#review-signals", Static).update(self._signals(review))
        self.query_one("#review-prompts", Static).update(self._prompts(review))
        self.query_one("#review-past-notes", Static).update(self._past_notes(review))
        self.saved_note = review.snapshot.note
        note = self.query_one("#review-note", TextArea)
        if typed is None:
            note.text = review.snapshot.note
        self._show_note_state()
        if review.current and not self._kept_current:
            self._kept_current = True
            self._write(partial_keep(self.store, review.snapshot), lambda _s: None)

    # --- sections -----------------------------------------------------------------------

    def _week_title(self, r: WeekReview) -> Content:
        which = "this week" if r.current else _weeks_ago(r.week_start, self.current_week)
        return Content.assemble(
            (f"Week of {r.week_start:%a} {r.week_start.day} {r.week_start:%b}", "bold"),
            f" – {r.week_end:%a} {r.week_end.day} {r.week_end:%b %Y} · {which}",
        )

    def _activity(self, r: WeekReview) -> Content:
        s = r.snapshot
        parts: Parts = [("What happened\n", "bold")]
        people = ", ".join(
            name + (f" ×{n}" if n > 1 else "") for _cid, name, n in r.people[:PEOPLE_SHOWN]
        )
        more = f" and {len(r.people) - PEOPLE_SHOWN} more" if len(r.people) > PEOPLE_SHOWN else ""
        count = f"{s.interactions} interaction{'s' if s.interactions != 1 else ''}"
        parts.append(f"{count} with {len(r.people)} {'person' if len(r.people) == 1 else 'people'}")
        if people:
            parts += [": ", people, more]
        deep = int(s.figures.get("deep_interactions", 0))
        if deep:
            parts.append((f" · {deep} deep", "dim"))
        parts.append("\n")
        if r.new_contacts:
            names = ", ".join(c.name for c in r.new_contacts[:PEOPLE_SHOWN])
            extra = len(r.new_contacts) - PEOPLE_SHOWN
            parts.append(
                f"{len(r.new_contacts)} new contact{'s' if len(r.new_contacts) != 1 else ''}: "
                f"{names}" + (f" and {extra} more" if extra > 0 else "")
            )
        else:
            parts.append("No new contacts")
        parts += ["\n", self._followups(r)]
        return Content.assemble(*parts)

    def _followups(self, r: WeekReview) -> Content:
        if not r.followups_due:
            return Content("Follow-ups: nobody was due")
        share = r.followups_done / r.followups_due
        return Content.assemble(
            "Follow-ups ",
            bar(share),
            f" {r.followups_done} of {r.followups_due} due done",
        )

    def _budget(self, r: WeekReview) -> Content:
        parts: Parts = [("Time and events\n", "bold")]
        limit = r.weekly_hours
        share = r.hours / limit if limit else (1.0 if r.hours else 0.0)
        parts += [
            "Hours      ",
            bar(share),
            f" {r.hours:g} of {limit:g} h",
            (" · over budget", "bold") if r.over_hours else (" · within budget", "dim"),
            "\n",
            f"Events     {r.month_events} of {r.events_per_month} in {r.budget_month:%B}",
            (" · over budget", "bold") if r.over_events else "",
        ]
        for e in r.events:
            local = e.start.astimezone(self.now.tzinfo)
            parts += [
                "\n",
                (f"  {local:%a} {local.day:>2} {local:%H:%M}  {e.status.value:<11}", "dim"),
                f"{e.cost_hours:>4g} h  {e.title}",
            ]
        if not r.events:
            parts += ["\n", ("  No events that week", "dim")]
        return Content.assemble(*parts)

    def _gauge(self, r: WeekReview) -> Content:
        g = r.gauge
        how = "today" if r.current else "at the week's end"
        parts: Parts = [
            ("Depth vs breadth ", "bold"),
            f"{g.balance:+.2f} {g.zone.value} ",
            (how, "dim"),
        ]
        if g.held_by:
            # Not "deepening" while follow-ups wait: why, in the gauge's words (as the CLI).
            parts += ["\n", (g.lead, "italic")]
        return Content.assemble(*parts)

    def _dates(self) -> Content:
        parts: Parts = [(f"Coming up (next {SOON_DAYS} days)", "bold")]
        for d in self.dates:
            parts += ["\n", f"  {d.line()}"]
        return Content.assemble(*parts)

    def _trend_caption(self, r: WeekReview) -> Content:
        if len(r.trend) < 2:
            return Content.styled("The trend starts to show after a second week.", "dim")
        values = [p.balance for p in r.trend]
        first = r.trend[0]
        rebuilt = sum(1 for p in r.trend if p.source == "rebuilt")
        parts: Parts = [
            f"{len(r.trend)} week{'s' if len(r.trend) != 1 else ''} from {first.week_start:%d %b}: "
            f"{values[0]:+.2f} → {values[-1]:+.2f} "
            f"(low {min(values):+.2f}, high {max(values):+.2f})"
        ]
        if rebuilt:
            parts.append((f" · {rebuilt} rebuilt from your records", "dim"))
        return Content.assemble(*parts)

    def _returns(self, r: WeekReview) -> Content:
        parts: Parts = [
            ("Return of recent events", "bold"),
            ("  met → followed up → in touch, per hour", "dim"),
        ]
        if not r.returns:
            parts += ["\n", ("  No events attended in the three months before", "dim")]
        for p in r.returns:
            ret = p.ret
            local = p.event.start.astimezone(self.now.tzinfo)

            def n(x: int | None) -> str:
                return "…" if x is None else str(x)

            # Per hour of the furthest stage known so far.
            stage, count = "met", ret.met
            if ret.still_in_touch is not None:
                stage, count = "in touch", ret.still_in_touch
            elif ret.followed_up is not None:
                stage, count = "followed", ret.followed_up
            per_hour = ret.per_hour(count)
            rate = "" if per_hour is None else f"  {per_hour:.1f} {stage}/h"
            parts += [
                "\n",
                (f"  {local.day:>2} {local:%b}  ", "dim"),
                f"{p.event.title[:22]:<22} {ret.met} → {n(ret.followed_up)} → "
                f"{n(ret.still_in_touch)}",
                (rate, "dim"),
            ]
        if any(p.ret.followed_up is None or p.ret.still_in_touch is None for p in r.returns):
            parts += ["\n", ("  … not known yet: the window has not closed", "dim")]
        return Content.assemble(*parts)

    def _signals(self, r: WeekReview) -> Content:
        parts: Parts = [("Signals", "bold")]
        if not r.signals:
            parts += ["\n", "No warning signs. Keep it up."]
        for sig in r.signals:
            parts += ["\n", ("• " + sig.title + ": ", "bold"), sig.message]
        return Content.assemble(*parts)

    def _prompts(self, r: WeekReview) -> Content:
        parts: Parts = [("Reflection and adjustment", "bold")]

        def section(question: str, answers: list[str], empty: str) -> None:
            parts.extend(["\n\n", (question, "bold italic")])
            if not answers:
                parts.extend(["\n", (f"  {empty}", "dim")])
            for answer in answers:
                parts.extend(["\n", f"  • {answer}"])

        section("What paid off?", list(r.paid_off), "Nothing stands out yet.")
        section("What to drop?", list(r.to_drop), "Nothing obvious.")
        section(
            "Who to reconnect with?",
            [
                # Days past the care the circle asks, snoozed or not (review --json's figure).
                f"{d.name} ({d.circle.value}, {d.care_overdue_days} day"
                f"{'s' if d.care_overdue_days != 1 else ''} late)"
                for d in r.reconnect
            ],
            "Your inner and close circles are up to date.",
        )
        return Content.assemble(*parts)

    def _past_notes(self, r: WeekReview) -> Content:
        parts: Parts = [("Past notes", "bold")]
        if not r.past_notes:
            parts += ["\n", ("  None yet: a line a week adds up.", "dim")]
        for week, note in r.past_notes[:8]:
            parts += ["\n", (f"{week:%d %b %Y} ", "bold"), note.strip()]
        return Content.assemble(*parts)

    # --- the note -------------------------------------------------------------------------

    @property
    def note_text(self) -> str:
        return self.query_one("#review-note", TextArea).text.strip()

    @property
    def dirty(self) -> bool:
        return self.review is not None and self.note_text != self.saved_note.strip()

    @on(TextArea.Changed, "#review-note")
    def _note_changed(self, event: TextArea.Changed) -> None:
        self._show_note_state()

    def _show_note_state(self) -> None:
        try:
            status = self.query_one("#review-note-status", Static)
            dirty = self.dirty
        except NoMatches:
            return  # the screen closed while its note was being saved
        status.set_class(dirty, "-dirty")
        if dirty:
            status.update("Not saved yet · ctrl+s saves (leaving saves too)")
        elif self.saved_note:
            status.update("Saved · ctrl+s saves changes")
        else:
            status.update("What worked, what to change: ctrl+s saves")

    def _write(self, work_fn: Callable[[], Any], on_done: Callable[[Any], None]) -> None:
        def failed(err: Exception) -> None:
            self.app.notify(f"Not saved: {err}", title="Could not save", severity="error")

        if self.writer is not None:
            self.writer.submit(work_fn, on_done, failed)
            return
        try:
            result = work_fn()
        except Exception as err:  # shown to the user, never swallowed
            failed(err)
        else:
            on_done(result)

    def save_note(self) -> None:
        """Queue the note of the week shown (if it changed)."""
        if self.review is None or not self.dirty:
            return
        text = self.note_text
        week = self.review.week_start
        snapshot = self.review.snapshot

        def saved(_stored: WeeklySnapshot) -> None:
            if self.review is not None and self.review.week_start == week:
                self.saved_note = text
                if self.is_mounted:
                    self._show_note_state()
            self.app.notify(f"Note saved for the week of {week:%d %b}", title="Saved")
            self.post_message(self.NoteSaved(week))

        self._write(lambda: save_note(self.store, snapshot, text), saved)

    # --- keys -------------------------------------------------------------------------------

    def action_write_note(self) -> None:
        note = self.query_one("#review-note", TextArea)
        note.focus()
        # Go on writing after what is there.
        note.move_cursor(note.document.end)

    def action_save_note(self) -> None:
        if not self.dirty:
            self.app.notify("Nothing new to save.", timeout=2)
            return
        self.save_note()

    def _go(self, week: date) -> None:
        week = min(week, self.current_week)
        if week == self.week_start:
            if week == self.current_week:
                self.app.notify("This is the current week: a review looks back.", timeout=3)
            return
        self.save_note()
        self.week_start = week
        self.review = None
        self.load()

    def action_earlier(self) -> None:
        self._go(self.week_start - timedelta(weeks=1))

    def action_later(self) -> None:
        self._go(self.week_start + timedelta(weeks=1))

    def action_back(self) -> None:
        self.save_note()
        self.dismiss(None)


def partial_keep(store: Store, snapshot: WeeklySnapshot) -> Callable[[], WeeklySnapshot | None]:
    """The writer's job that keeps the current week's snapshot."""
    return lambda: keep_snapshot(store, snapshot)


def _weeks_ago(week: date, current: date) -> str:
    n = (current - week).days // 7
    return "last week" if n == 1 else f"{n} weeks ago"
