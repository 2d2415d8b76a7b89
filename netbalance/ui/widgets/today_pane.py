"""Today: the few follow-ups for today, the backlog said beside them, and birthdays.

The health model's `today_list()` (what `netbalance due` prints): at most the
daily number, most urgent first, the rest rolling over, and `Today.line()` with
the backlog in words. Under it, the birthdays of the next days
(`upcoming_dates`, as the review lists them). Names are user text: drawn as
plain text, never read as markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from netbalance.domain.birthdays import SOON_DAYS, UpcomingDate
from netbalance.domain.health import DueItem, Today
from netbalance.domain.text import escape_controls
from netbalance.ui.widgets.text_update import show_text

# Birthdays this many days ahead are named under today's list (as in the review).
DATES_DAYS = SOON_DAYS
# At most this many birthdays are named; the rest are counted.
DATES_SHOWN = 3


def due_words(item: DueItem) -> str:
    """'12 days late', 'due today', 'in 3 days': as `netbalance due` says it."""
    late = item.overdue_days
    if late > 0:
        return f"{late} day{'s' if late != 1 else ''} late"
    return "due today" if late == 0 else f"in {-late} days"


class TodayPane(Vertical):
    """Today's list and the birthdays coming up; data down from the main screen."""

    DEFAULT_CSS = """
    TodayPane { height: 2fr; min-height: 5; overflow-y: auto; border-left: tall $panel; }
    TodayPane #today-body { height: auto; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("Today", classes="pane-title", id="today-title")
        yield Static("", id="today-body")

    def show(self, today: Today | None, dates: Sequence[UpcomingDate]) -> None:
        """Show today's list (None: not computed yet) and the birthdays coming up."""
        title = self.query_one("#today-title", Static)
        body = self.query_one("#today-body", Static)
        if today is None:
            show_text(title, "Today")
            show_text(body, Text("reading your network…", style="italic"))
            return
        show_text(title, f"Today · {len(today.items)} of {today.due} due")
        text = Text(no_wrap=False)
        for item in today.items:
            text.append("• ")
            text.append(escape_controls(item.name), style="bold")
            text.append(f" · {due_words(item)}\n", style="dim")
        text.append(today.line())
        if dates:
            text.append("\n")
            for d in dates[:DATES_SHOWN]:
                text.append("\nBirthday: ", style="dim")
                text.append(escape_controls(d.line()))
            if len(dates) > DATES_SHOWN:
                text.append(
                    f"\n… and {len(dates) - DATES_SHOWN} more in the next {DATES_DAYS} days",
                    style="dim",
                )
        show_text(body, text)
