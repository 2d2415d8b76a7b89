"""First run: a short welcome that offers adding a contact, importing, or demo data."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

WELCOME = """\
[b]Welcome to netbalance[/b]

Quality over quantity: keep the people who matter close, follow up on time, \
and see at a glance whether you are deepening relationships or spreading thin.

  [b]n[/b]  add your first contact
  [b]i[/b]  import contacts (vCard, LinkedIn, Google, Outlook, calendar)
  [b]d[/b]  load a demo network to look around
  [b]esc[/b] start with an empty network
"""


class WelcomeScreen(ModalScreen[str | None]):
    """Dismisses with "add", "import", "demo" or None."""

    BINDINGS = [
        Binding("n", "choose('add')", "Add a contact", id="welcome.add"),
        Binding("i", "choose('import')", "Import", id="welcome.import"),
        Binding("d", "choose('demo')", "Demo data", id="welcome.demo"),
        Binding("escape", "choose(None)", "Close", id="welcome.close"),
    ]

    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen > Vertical {
        width: 76; max-width: 95%; height: auto; padding: 1 2;
        border: thick $accent; background: $surface;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(WELCOME, id="welcome-text")

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)
