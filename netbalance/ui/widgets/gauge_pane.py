"""The gauge pane: the balance drawn, the word for it, and the signals behind it.

Under the bar, the zone in words (`Gauge.lead`, as the review says it): when the
zone is held at balanced (`Gauge.held_by`), why. Selecting a signal shows its
numbers and threshold underneath.
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from netbalance.ui.widgets.gauge import GaugeBar
from netbalance.ui.widgets.text_update import show_text


class GaugePane(Vertical):
    """Depth vs breadth, with active signals and their explanation."""

    DEFAULT_CSS = """
    GaugePane #gauge-summary { height: 1; padding: 0 1; color: $text-muted; }
    GaugePane #gauge-held { height: auto; padding: 0 1; color: $text-warning; display: none; }
    GaugePane #budget { height: auto; padding: 0 1; }
    GaugePane #signals { height: auto; max-height: 8; border: none; padding: 0; }
    GaugePane #signal-detail { height: 1fr; min-height: 2; padding: 0 1; color: $text-muted; }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._signals: list[Any] = []
        self._explanation = ""

    def compose(self) -> ComposeResult:
        yield GaugeBar(id="gauge-bar")
        yield Static("", id="gauge-summary")
        yield Static("", id="gauge-held", markup=False)
        yield Static("", id="budget")
        yield OptionList(id="signals")
        yield Static("", id="signal-detail")

    def show(
        self, gauge: Any | None, signals: list[Any], budget_line: str, thresholds: Any
    ) -> None:
        """Show the gauge and the active signals (data down from the screen)."""
        bar = self.query_one(GaugeBar)
        bar.thin_below = thresholds.zone_spreading_below
        bar.deep_above = thresholds.zone_deepening_above
        summary = self.query_one("#gauge-summary", Static)
        detail = self.query_one("#signal-detail", Static)
        show_text(self.query_one("#budget", Static), budget_line)
        options = self.query_one("#signals", OptionList)
        if gauge is None:
            bar.balance = None
            show_text(summary, "")
            return
        bar.zone = str(gauge.zone)
        bar.held = bool(gauge.held_by)
        bar.balance = gauge.balance
        held = self.query_one("#gauge-held", Static)
        # Not "deepening" while follow-ups wait: say why, in the gauge's own words.
        show_text(held, gauge.lead if gauge.held_by else "")
        held.display = bool(gauge.held_by)
        show_text(summary, f"Depth {gauge.depth.score:.2f} · Breadth {gauge.breadth.score:.2f}")
        # The held line says the lead sentence; the detail goes on from there.
        lead = gauge.lead
        rest = gauge.explanation.removeprefix(lead).strip()
        self._explanation = rest if gauge.held_by and rest else gauge.explanation
        active = [s for s in signals if s.active]
        shown = [(s.key, s.title) for s in active]
        if shown == [(s.key, s.title) for s in self._signals] and options.option_count:
            # The same warnings: the list stays as it is (a rebuild costs a layout).
            self._signals = active
            if options.highlighted is None:
                show_text(detail, self._explanation)
            return
        highlighted = options.highlighted
        self._signals = active
        options.clear_options()
        if not active:
            options.add_option(Option("✓ No warning signs right now", id="none", disabled=True))
            show_text(detail, self._explanation)
            return
        options.add_options([Option(f"! {s.title}", id=s.key) for s in active])
        if highlighted is not None and highlighted < len(active) and options.has_focus:
            options.highlighted = highlighted
        else:
            options.highlighted = None
            show_text(detail, self._explanation)

    @on(OptionList.OptionHighlighted, "#signals")
    def explain_signal(self, event: OptionList.OptionHighlighted) -> None:
        index = event.option_index
        if not 0 <= index < len(self._signals):
            return
        s = self._signals[index]
        figures = ", ".join(f"{k.replace('_', ' ')} {_fmt(v)}" for k, v in s.figures.items())
        self.query_one("#signal-detail", Static).update(
            f"{s.message}\n[dim]The numbers: {figures}; threshold {_fmt(s.threshold)}.[/dim]"
        )

    @on(OptionList.OptionSelected, "#signals")
    def keep_signal(self, event: OptionList.OptionSelected) -> None:
        event.stop()


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    return str(value)
