"""The contact screen: one person's profile, tie strength, next due day and timeline.

The screen only reads the store. Its keys ask the app to act (follow up, log,
edit, snooze) by posting messages; the app writes, then calls
`refresh_contact()` so the screen shows the result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from netbalance.domain.dates import human_ago, human_until
from netbalance.domain.model import Contact, Initiator, Interaction
from netbalance.domain.settings import Settings
from netbalance.store.store import Store

if TYPE_CHECKING:
    from netbalance.domain.health.strength import Strength

# The health model may still be on its way in a checkout; the screen then shows "—".
_tie_strength: Callable[[Contact, Sequence[Interaction], Settings, datetime], Strength] | None
_next_due: Callable[[Contact, datetime | None, Settings, datetime], date | None] | None
try:
    from netbalance.domain.health.due import next_due as _next_due
    from netbalance.domain.health.strength import tie_strength as _tie_strength
except ImportError:  # pragma: no cover - only while the health model is missing
    _tie_strength = None
    _next_due = None

DEPTH_WORDS = {1: "ping", 2: "conversation", 3: "deep"}
BAR_WIDTH = 10


def bar(fraction: float, width: int = BAR_WIDTH) -> str:
    """A text bar for a 0..1 fraction: filled blocks, then light shade."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * filled + "░" * (width - filled)


def local_when(moment: datetime, tz: tzinfo | None) -> str:
    """'Thu 18 Dec 2025 14:30' in the user's time zone."""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %Y %H:%M}"


def local_day(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


class ContactScreen(Screen[None]):
    """Everything about one contact; keys ask the app to follow up, log, edit or snooze."""

    DEFAULT_CSS = """
    ContactScreen #contact-body {
        height: 1fr;
    }
    ContactScreen #contact-side {
        width: 45%;
        max-width: 64;
        min-width: 34;
        padding: 0 1;
        border-right: vkey $foreground 20%;
    }
    ContactScreen #contact-side > Static {
        margin: 0 0 1 0;
    }
    ContactScreen .section-title {
        text-style: bold;
        color: $text-primary;
    }
    ContactScreen #timeline-pane {
        padding: 0 0 0 1;
    }
    ContactScreen #timeline {
        height: 1fr;
    }
    ContactScreen #missing {
        display: none;
        color: $text-warning;
        padding: 1 2;
    }
    ContactScreen.-missing #missing {
        display: block;
    }
    ContactScreen.-missing #contact-body {
        display: none;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "back",
            "Back",
            id="contact.back",
            tooltip="Return to the list",
        ),
        Binding(
            "f",
            "follow_up",
            "Followed up",
            id="contact.follow-up",
            tooltip="Log a follow-up now and restart the cadence",
        ),
        Binding(
            "F",
            "log",
            "Log…",
            id="contact.log",
            tooltip="Log an interaction with details: kind, depth, note, next step",
        ),
        Binding(
            "e",
            "edit",
            "Edit",
            id="contact.edit",
            tooltip="Edit this contact",
        ),
        Binding(
            "s",
            "snooze",
            "Snooze",
            id="contact.snooze",
            tooltip="Quiet this contact on the due list for a while",
        ),
    ]

    @dataclass
    class FollowUpRequested(Message):
        """The user pressed `f`: log a default follow-up with this contact now."""

        contact_id: int

    @dataclass
    class LogRequested(Message):
        """The user pressed `F`: open the log form with this contact chosen."""

        contact_id: int

    @dataclass
    class EditRequested(Message):
        """The user pressed `e`: open the contact form on this contact."""

        contact_id: int

    @dataclass
    class SnoozeRequested(Message):
        """The user pressed `s`: open the snooze dialog for this contact."""

        contact_id: int

    def __init__(self, store: Store, contact_id: int, now: datetime) -> None:
        super().__init__()
        self.store = store
        self.contact_id = contact_id
        self.now = now

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("This contact is no longer in the database.", id="missing")
        with Horizontal(id="contact-body"):
            with VerticalScroll(id="contact-side"):
                yield Static(id="profile")
                yield Static(id="due")
                yield Static(id="strength")
            with Vertical(id="timeline-pane"):
                yield Static("Timeline", id="timeline-title", classes="section-title")
                yield OptionList(id="timeline", compact=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.refresh_contact()
        self.query_one("#timeline", OptionList).focus()

    # --- showing ----------------------------------------------------------------------

    def refresh_contact(self, now: datetime | None = None) -> None:
        """Re-read the contact from the store and redraw; the app calls this after a change."""
        if now is not None:
            self.now = now
        try:
            contact = self.store.contact(self.contact_id)
        except KeyError:
            self.add_class("-missing")
            self.title = "Contact"
            return
        self.remove_class("-missing")
        interactions = self.store.interactions_of(self.contact_id)
        settings = self.store.settings()
        self.title = contact.name
        self.sub_title = contact.circle.label
        self.query_one("#profile", Static).update(self._profile(contact, settings))
        self.query_one("#due", Static).update(self._due(contact, settings))
        self.query_one("#strength", Static).update(self._strength(contact, interactions, settings))
        self._show_timeline(interactions)

    def _profile(self, c: Contact, settings: Settings) -> Content:
        cadence = settings.cadence_for(c.circle, c.cadence_days)
        if cadence is None:
            cadence_text = "no cadence (never due)"
        else:
            whose = "its own" if c.cadence_days is not None else f"{c.circle.label} default"
            cadence_text = f"every {cadence} days ({whose})"
        rows: list[tuple[str, str]] = [
            ("Circle", c.circle.label + ("  · archived" if c.archived else "")),
            ("Cadence", cadence_text),
        ]
        if c.emails:
            rows.append(("Email", ", ".join(c.emails)))
        if c.phones:
            rows.append(("Phone", ", ".join(c.phones)))
        work = " · ".join(part for part in (c.role, c.company) if part)
        if work:
            rows.append(("Work", work))
        if c.links:
            rows.append(("Links", ", ".join(c.links)))
        if c.tags:
            rows.append(("Tags", ", ".join(c.tags)))
        if c.goal_ids:
            titles = {g.id: g.title for g in self.store.goals()}
            rows.append(("Goals", ", ".join(titles.get(i, f"goal {i}") for i in c.goal_ids)))
        met = self._how_met(c)
        if met:
            rows.append(("Met", met))
        if c.birthday is not None:
            b = c.birthday
            day = date(b.year or 2000, b.month, b.day)
            rows.append(("Birthday", f"{day.day} {day:%B}" + (f" {b.year}" if b.year else "")))
        if c.snoozed_until is not None and c.snoozed_until > self.now:
            rows.append(
                (
                    "Snoozed",
                    f"until {local_day(c.snoozed_until.astimezone(self.now.tzinfo).date())}",
                )
            )
        parts: list[str | Content | tuple[str, str]] = [(c.name, "bold"), "\n"]
        for label, value in rows:
            parts += [(f"{label:<9}", "dim"), value, "\n"]
        if c.notes:
            parts += ["\n", c.notes]
        return Content.assemble(*parts).rstrip()

    def _how_met(self, c: Contact) -> str:
        event = ""
        if c.met_at_event_id is not None:
            try:
                event = self.store.event(c.met_at_event_id).title
            except KeyError:
                event = ""
        return " · ".join(part for part in (c.how_met, event) if part)

    def _due(self, c: Contact, settings: Settings) -> Content:
        last = self.store.last_interaction_at(c.id)
        parts: list[str | Content | tuple[str, str]] = [(f"{'Next due':<13}", "bold")]
        if _next_due is None:
            parts.append("—")
        else:
            due = _next_due(c, last, settings, self.now)
            today = self.now.date()
            if due is None:
                parts.append("never (no cadence)")
            else:
                late = due < today
                # Late is said in words and weight, not colour alone.
                parts.append(
                    (f"{human_until(due, today)} · {local_day(due)}", "bold" if late else "")
                )
        parts += ["\n", (f"{'Last contact':<13}", "bold"), human_ago(last, self.now)]
        return Content.assemble(*parts)

    def _strength(
        self, c: Contact, interactions: Sequence[Interaction], settings: Settings
    ) -> Content:
        parts: list[str | Content | tuple[str, str]] = [(f"{'Strength':<13}", "bold")]
        if _tie_strength is None:
            parts.append("—")
            return Content.assemble(*parts)
        strength = _tie_strength(c, interactions, settings, self.now)
        parts += [
            f"{bar(strength.value / 100)} {strength.value}/100\n",
            (strength.explanation, "italic"),
        ]
        for part in strength.components:
            parts += [
                "\n\n",
                (f"{part.key:<13}", ""),
                f"{bar(part.score)} {part.score * 100:3.0f}",
                (f"  weight {part.weight * 100:.0f}%", "dim"),
                "\n",
                (part.explanation, "dim"),
            ]
        return Content.assemble(*parts)

    def _show_timeline(self, interactions: Sequence[Interaction]) -> None:
        timeline = self.query_one("#timeline", OptionList)
        keep = timeline.highlighted
        names = {c.id: c.name for c in self.store.contacts(include_archived=True)}
        newest_first = sorted(interactions, key=lambda i: i.at, reverse=True)
        rows: list[Option | None] = []
        for n, interaction in enumerate(newest_first):
            if n:
                rows.append(None)  # a separator line between entries
            rows.append(Option(self._entry(interaction, names), id=str(interaction.id)))
        timeline.set_options(rows)
        count = len(newest_first)
        title = f"Timeline · {count} interaction{'s' if count != 1 else ''}"
        self.query_one("#timeline-title", Static).update(
            title if count else "Timeline · nothing logged yet"
        )
        if count:
            timeline.highlighted = min(keep or 0, count - 1)

    def _entry(self, i: Interaction, names: dict[int, str]) -> Content:
        by = "I reached out" if i.initiated_by is Initiator.ME else "they reached out"
        head = [
            local_when(i.at, self.now.tzinfo),
            i.kind.label,
            DEPTH_WORDS.get(i.depth, str(i.depth)),
            by,
        ]
        if i.minutes:
            head.append(f"{i.minutes} min")
        parts: list[str | Content | tuple[str, str]] = [(" · ".join(head), "bold")]
        others = [names.get(cid, f"#{cid}") for cid in i.contact_ids if cid != self.contact_id]
        if others:
            parts += ["\n", ("with " + ", ".join(others), "dim")]
        if i.note:
            parts += ["\n", i.note]
        if i.next_step or i.next_step_on:
            step = i.next_step or "next step"
            if i.next_step_on is not None:
                step += f" (by {local_day(i.next_step_on)})"
            parts += ["\n", ("→ " + step, "italic")]
        return Content.assemble(*parts)

    # --- keys -------------------------------------------------------------------------

    def action_back(self) -> None:
        self.dismiss(None)

    def action_follow_up(self) -> None:
        self.post_message(self.FollowUpRequested(self.contact_id))

    def action_log(self) -> None:
        self.post_message(self.LogRequested(self.contact_id))

    def action_edit(self) -> None:
        self.post_message(self.EditRequested(self.contact_id))

    def action_snooze(self) -> None:
        self.post_message(self.SnoozeRequested(self.contact_id))
