"""Switching between the app's screens: E, G, r, i, `,`, D and N go to a screen, never stack one.

The main screen is home. A screen key closes whatever is above home (each screen
leaves through its own back/cancel action, so a review saves its note) and opens
its screen there; when that screen is already open below, the screens above it
close instead. So `E G E G` then one escape is home again.
"""

from __future__ import annotations

import sys
from typing import Any

from textual.app import App
from textual.screen import ModalScreen, Screen

# The App actions that switch screens (see NetbalanceApp.BINDINGS).
SCREEN_ACTIONS = frozenset(
    {"events", "goals", "review", "settings", "import", "duplicates", "picture"}
)


def blocks_switching(screen: Screen[Any]) -> bool:
    """Whether the screen keys are off on `screen`: on a modal (a form, a dialog) and on
    the import screen, where letters belong to what the user is typing."""
    return isinstance(screen, ModalScreen) or is_import_screen(screen)


def is_import_screen(screen: Screen[Any]) -> bool:
    """Is `screen` the import screen? Asked for every key the footer shows; the import
    screen's module is loaded when it is first opened, not at start (~15 ms before the
    first frame), and until then no screen can be one."""
    module = sys.modules.get("netbalance.ui.screens.import_screen")
    return module is not None and isinstance(screen, module.ImportScreen)


def make_room(app: App[Any], home: Screen[Any], kind: type[Screen[Any]]) -> bool:
    """Close the screens above `home`, or above an open `kind` screen if there is one.

    True when a new `kind` screen should now be opened on `home`; False when one is
    showing already or a screen refused to close (e.g. an import being written).
    """
    stack = app.screen_stack
    if home not in stack:
        return False
    above = stack[stack.index(home) + 1 :]
    target = next((s for s in reversed(above) if isinstance(s, kind)), home)
    while app.screen is not target:
        top = app.screen
        _leave(top)
        if app.screen is top:
            return False
    return target is home


def go_home(app: App[Any], home: Screen[Any]) -> bool:
    """Close every screen above `home`; whether `home` is now showing."""
    if home not in app.screen_stack:
        return False
    while app.screen is not home:
        top = app.screen
        _leave(top)
        if app.screen is top:
            return False
    return True


def _leave(screen: Screen[Any]) -> None:
    """Close `screen` the way its own escape key would."""
    for name in ("action_back", "action_cancel", "action_close"):
        action = getattr(screen, name, None)
        if callable(action):
            action()
            return
    screen.dismiss(None)
