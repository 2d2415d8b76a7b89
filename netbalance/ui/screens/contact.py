"""The contact screen: one person's profile, tie strength, next due day and timeline.

Everything shown comes from the core (`Core.contact_detail`): the same due item as
the list (next steps and a snooze included), the health model's strength with its
parts, and the closeness gap. Its keys act through the Session, and it redraws on
every `DataChanged` that touches its contact.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, tzinfo
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from netbalance.core import ContactDetail, Core
from netbalance.domain.dates import human_ago
from netbalance.domain.model import Contact, Initiator, Interaction
from netbalance.domain.settings import Settings
from netbalance.ui import contact_actions
from netbalance.ui.session import DataChanged, session_of
from netbalance.ui.widgets.footer import FittingFooter

DEPTH_WORDS = {1: "ping", 2: "conversation", 3: "deep"}
BAR_WIDTH = 10
# The profile's labels ("Email    ") take this many cells; values start after them.
LABEL_WIDTH = 9


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


def cut_middle(text: str, width: int) -> str:
    """`text` in at most `width` cells, its middle cut with '…' when it is longer.

    An email address keeps its domain whole when that leaves a few letters of the
    name: "alexandra.k…@example.com" still says who and where."""
    if len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    keep = width - 1
    at = text.rfind("@")
    domain = len(text) - at
    tail = domain if at > 0 and domain <= keep - 3 else keep // 2
    return text[: keep - tail] + "…" + text[len(text) - tail :]


class FittedStatic(Static):
    """A Static whose content depends on its width, built again when the width changes."""

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._build: Callable[[int], Content] | None = None
        self._built_for = 0

    def show(self, build: Callable[[int], Content]) -> None:
        """Show `build(width)`; a width of 0 (before the first layout) means any width."""
        self._build = build
        self._built_for = self.size.width
        self.update(build(self._built_for))

    def on_resize(self, event: events.Resize) -> None:
        if self._build is not None and event.size.width != self._built_for:
            self._built_for = event.size.width
            self.update(self._build(event.size.width))


class Timeline(OptionList):
    """The contact's interactions, newest first, one row each (the option id is the
    interaction's id): arrows select, `e` or enter edits, `d` or delete deletes."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "e",
            "edit_interaction",
            "Edit interaction",
            id="timeline.edit",
            tooltip="Edit the highlighted interaction in the log form",
        ),
        Binding(
            "d,delete",
            "delete_interaction",
            "Delete",
            id="timeline.delete",
            tooltip="Delete the highlighted interaction (asks first; u undoes)",
        ),
    ]

    @property
    def interaction_id(self) -> int | None:
        """The highlighted interaction's id."""
        if self.highlighted is None or not self.option_count:
            return None
        option_id = self.get_option_at_index(self.highlighted).id
        return int(option_id) if option_id is not None else None

    def action_edit_interaction(self) -> None:
        if (chosen := self.interaction_id) is not None:
            contact_actions.edit_interaction(self, chosen)

    def action_delete_interaction(self) -> None:
        if (chosen := self.interaction_id) is not None:
            contact_actions.delete_interaction(self, chosen)


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
    ContactScreen #contact-side:focus {
        background-tint: $foreground 4%;
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

    def __init__(self, contact_id: int) -> None:
        super().__init__()
        self.contact_id = contact_id
        # The core's clock, read at each redraw (never the wall clock here).
        self.now = datetime.fromtimestamp(0, UTC)
        self.detail: ContactDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("This contact is no longer in the database.", id="missing")
        with Horizontal(id="contact-body"):
            with VerticalScroll(id="contact-side"):
                yield FittedStatic(id="profile")
                yield Static(id="due")
                yield Static(id="strength")
            with Vertical(id="timeline-pane"):
                yield Static("Timeline", id="timeline-title", classes="section-title")
                yield Timeline(id="timeline", compact=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        self.refresh_contact()
        # The profile first: `e` edits the contact; tab goes to the timeline, whose `e`
        # edits the highlighted interaction.
        self.query_one("#contact-side").focus()

    # --- showing ----------------------------------------------------------------------

    @property
    def core(self) -> Core | None:
        return session_of(self).core

    @on(DataChanged)
    def data_changed(self, message: DataChanged) -> None:
        if message.changed.touches_contact(self.contact_id) or message.changed.health:
            self.refresh_contact()

    def refresh_contact(self) -> None:
        """Read the contact from the core and redraw."""
        core = self.core
        if core is None:
            return
        self.now = core.clock()
        detail = core.contact_detail(self.contact_id)
        self.detail = detail
        if detail is None:
            self.add_class("-missing")
            self.title = "Contact"
            return
        self.remove_class("-missing")
        contact = detail.contact
        self.title = contact.name
        self.sub_title = contact.circle.label
        settings = core.settings
        self.query_one("#profile", FittedStatic).show(
            lambda width: self._profile(contact, settings, width)
        )
        self.query_one("#due", Static).update(self._due(detail))
        self.query_one("#strength", Static).update(self._strength(detail))
        self._show_timeline(detail.interactions)

    def _profile(self, c: Contact, settings: Settings, width: int = 0) -> Content:
        """The profile for a column `width` cells wide (0: any width)."""
        cadence = settings.cadence_for(c.circle, c.cadence_days)
        if cadence is None:
            cadence_text = "no cadence (due only by a next step)"
        else:
            whose = "its own" if c.cadence_days is not None else f"{c.circle.label} default"
            cadence_text = f"every {cadence} days ({whose})"
        rows: list[tuple[str, str]] = [
            ("Circle", c.circle.label + ("  · archived" if c.archived else "")),
            ("Cadence", cadence_text),
        ]
        # An address is never wrapped mid-way: one a line, its middle cut when too long.
        room = width - LABEL_WIDTH if width > LABEL_WIDTH else 0
        for n, email in enumerate(c.emails):
            rows.append(("Email" if n == 0 else "", cut_middle(email, room) if room else email))
        if c.phones:
            rows.append(("Phone", ", ".join(c.phones)))
        work = " · ".join(part for part in (c.role, c.company) if part)
        if work:
            rows.append(("Work", work))
        if c.links:
            rows.append(("Links", ", ".join(c.links)))
        if c.tags:
            rows.append(("Tags", ", ".join(c.tags)))
        if self.detail is not None and self.detail.goal_titles:
            rows.append(("Goals", ", ".join(self.detail.goal_titles)))
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
            parts += [(f"{label:<{LABEL_WIDTH}}", "dim"), value, "\n"]
        if c.notes:
            parts += ["\n", c.notes]
        return Content.assemble(*parts).rstrip()

    def _how_met(self, c: Contact) -> str:
        """How they met, said once: "met at X" already names the event X."""
        event = self.detail.met_at_event if self.detail is not None else ""
        how = c.how_met
        if event and event.casefold() in how.casefold():
            return how
        return " · ".join(part for part in (how, event) if part)

    def _due(self, d: ContactDetail) -> Content:
        """The next due day and the last contact: the list's own due item, in words."""
        parts: list[str | Content | tuple[str, str]] = [(f"{'Next due':<13}", "bold")]
        item = d.item
        if item is None or item.next_due is None:
            reason = "archived" if d.contact.archived else "never (no cadence, no next step)"
            parts.append(reason)
        else:
            late = item.overdue_days > 0
            # The list says a far day as a date ("03 Mar") for want of room; here the full
            # day follows, so the words say how far it is instead of the date twice.
            words = d.due_text if item.overdue_days > -14 else f"in {-item.overdue_days} days"
            # Late is said in words and weight, not colour alone.
            parts.append((f"{words} · {local_day(item.next_due)}", "bold" if late else ""))
            if item.snoozed:
                parts += [("  (snoozed)", "dim")]
        parts += ["\n", (f"{'Last contact':<13}", "bold"), human_ago(d.last_at, self.now)]
        return Content.assemble(*parts)

    def _strength(self, d: ContactDetail) -> Content:
        """Tie strength with its parts, and the gap to how close the user rated them."""
        parts: list[str | Content | tuple[str, str]] = [(f"{'Strength':<13}", "bold")]
        strength = d.strength
        if strength is None:
            parts.append("archived" if d.contact.archived else "…")
            return Content.assemble(*parts)
        parts += [
            f"{bar(strength.value / 100)} {strength.value}/100\n",
            (strength.explanation, "italic"),
        ]
        if d.gap is not None:
            parts += ["\n\n", (f"{'Closeness':<13}", "bold"), d.gap.message]
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
        timeline = self.query_one("#timeline", Timeline)
        # The cursor follows the interaction it was on; when that one went, its place.
        keep = timeline.highlighted
        kept_id = timeline.interaction_id
        names = self.detail.names if self.detail is not None else {}
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
            ids = [i.id for i in newest_first]
            at = ids.index(kept_id) if kept_id in ids else min(keep or 0, count - 1)
            timeline.highlighted = at

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
        contact_actions.follow_up(self, self.contact_id)

    def action_log(self) -> None:
        contact_actions.log(self, self.contact_id)

    def action_edit(self) -> None:
        contact_actions.edit_contact(self, self.contact_id)

    def action_snooze(self) -> None:
        contact_actions.snooze(self, self.contact_id)
