"""The depth vs breadth gauge: a bar with three zones and a needle."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class GaugeBar(Widget):
    """Draws the balance from -1 (spreading thin) to +1 (deepening).

    The zone is named in words under the needle, so it reads without colour; a
    zone held at balanced (follow-ups waiting, `Gauge.held_by`) says so, since the
    needle may then stand over the deepening part.
    """

    DEFAULT_CSS = """
    GaugeBar { height: 3; }
    """

    balance: reactive[float | None] = reactive(None)
    zone: reactive[str] = reactive("")
    # Held at balanced rather than deepening: the needle's caption says "(held)".
    held: reactive[bool] = reactive(False)
    # Where the zones change on the -1..+1 scale (settings thresholds; docs/model.md).
    thin_below: reactive[float] = reactive(-0.25)
    deep_above: reactive[float] = reactive(0.25)

    def render(self) -> Text:
        width = max(20, self.size.width)
        thin_end = round((self.thin_below + 1) / 2 * width)
        deep_start = round((self.deep_above + 1) / 2 * width)
        styles = self.app.theme_variables
        thin_c = styles.get("error", "red")
        mid_c = styles.get("warning", "yellow")
        deep_c = styles.get("success", "green")
        # Each zone's name sits over its own part of the bar.
        mid = "balanced"
        mid_at = max(0, (thin_end + deep_start) // 2 - len(mid) // 2)
        left, right = "◀ spreading thin", "deepening ▶"
        if mid_at - 1 < len(left):
            # Narrow pane: short names rather than a name cut in half.
            left, right = "◀ thin", "deep ▶"
        labels = Text(no_wrap=True, overflow="crop")
        labels.append(left[: max(0, mid_at - 1)], style=thin_c)
        labels.append(" " * max(1, mid_at - len(labels.plain)))
        labels.append(mid, style=mid_c)
        gap = width - len(labels.plain) - len(right)
        labels.append(" " * max(1, gap))
        labels.append(right, style=deep_c)
        bar = Text()
        bar.append("━" * thin_end, style=thin_c)
        bar.append("━" * (deep_start - thin_end), style=mid_c)
        bar.append("━" * (width - deep_start), style=deep_c)
        needle = Text()
        if self.balance is None:
            needle.append("reading your network…", style="italic")
        else:
            pos = min(width - 1, max(0, round((self.balance + 1) / 2 * (width - 1))))
            zone = f"{self.zone} (held)" if self.held else self.zone
            caption = f"▲ {self.balance:+.2f} {zone}"
            if pos + len(caption) > width:
                caption = f"{zone} {self.balance:+.2f} ▲"
                pos = max(0, pos - len(caption) + 1)
            needle.append(" " * pos)
            needle.append(caption, style="bold")
        return Text("\n").join([labels, bar, needle])
