"""The help screen: every key the user can press right now, grouped by where it works.

The app passes the rows (it knows its active bindings and the user's keymap);
`sections_from_bindings` builds them from a screen's active bindings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

# A row: the key, what it does, and (when it has one) the binding id that remaps it.
HelpRow = tuple[str, str] | tuple[str, str, str]
# A section: its title and its rows.
HelpSection = tuple[str, Sequence[HelpRow]]


def sections_from_bindings(
    active: Mapping[str, ActiveBinding], key_display: Mapping[str, str] | None = None
) -> list[HelpSection]:
    """Group active bindings by the widget or screen that owns them.

    A node may name its section with a `HELP_SECTION` class attribute;
    otherwise its class name is used. Bindings without a description and
    Textual's system bindings are left out. `key_display` maps a key to how it
    should be shown (e.g. from `App.get_key_display`).
    """
    sections: dict[str, dict[str, tuple[str, str]]] = {}
    for key, (node, binding, _enabled, _tooltip) in active.items():
        if not binding.description or binding.system:
            continue
        title = str(getattr(node, "HELP_SECTION", "") or type(node).__name__)
        shown = (key_display or {}).get(key, binding.key_display or key)
        rows = sections.setdefault(title, {})
        rows.setdefault(binding.description, (shown, binding.id or ""))
    return [
        (
            title,
            [
                (keys, description, binding_id) if binding_id else (keys, description)
                for description, (keys, binding_id) in rows.items()
            ],
        )
        for title, rows in sections.items()
    ]


class HelpScreen(ModalScreen[None]):
    """A list of keys by section; escape, q or ? closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen #help-dialog {
        width: 72;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $primary 60%;
        background: $surface;
        padding: 0 1;
    }
    HelpScreen #help-sections {
        height: auto;
        max-height: 1fr;
    }
    HelpScreen .help-section-title {
        text-style: bold;
        color: $text-primary;
        margin: 1 0 0 0;
    }
    HelpScreen .help-keys {
        color: $text-muted;
        padding: 1 0 0 0;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,q,question_mark",
            "close",
            "Close help",
            id="help.close",
            tooltip="Close this list of keys",
        ),
    ]

    def __init__(self, sections: Sequence[HelpSection]) -> None:
        super().__init__()
        self.sections = [(title, list(rows)) for title, rows in sections]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            with VerticalScroll(id="help-sections"):
                if not self.sections:
                    yield Static("No keys to show here.")
                for n, (title, rows) in enumerate(self.sections):
                    yield Static(title, classes="help-section-title", id=f"help-section-{n}")
                    yield Static(self._rows(rows), classes="help-rows", id=f"help-rows-{n}")
            yield Static(
                Content('esc, q or ? close · change a key in config.toml: [keys] id = "key"'),
                classes="help-keys",
            )

    @staticmethod
    def _rows(rows: Sequence[HelpRow]) -> Content:
        width = max((len(row[0]) for row in rows), default=0) + 2
        said = max((len(row[1]) for row in rows), default=0) + 2
        parts: list[str | tuple[str, str]] = []
        for n, row in enumerate(rows):
            key, description = row[0], row[1]
            if n:
                parts.append("\n")
            parts.append((f"{key:<{width}}", "bold"))
            if len(row) == 3:
                parts.append(f"{description:<{said}}")
                parts.append((row[2], "$text-muted"))
            else:
                parts.append(description)
        return Content.assemble(*parts)

    def action_close(self) -> None:
        self.dismiss(None)
