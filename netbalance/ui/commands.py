"""The app's global commands: its keys (help, import, E, G, r, D, N, `,`) and the palette's.

Each opens a screen or asks the core through the Session; none keeps data of its own.
Commands on a contact or an event act on the highlighted row of the main screen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from netbalance.domain.health import week_of
from netbalance.domain.settings import Settings
from netbalance.ui import contact_actions
from netbalance.ui.navigation import make_room
from netbalance.ui.screens.help import HelpRow
from netbalance.ui.screens.main import MainScreen
from netbalance.ui.session import session_of
from netbalance.ui.widgets.contact_list import ContactList
from netbalance.ui.widgets.contacts_pane import ContactsPane
from netbalance.ui.widgets.events_pane import EventsPane


def _main(app: App[Any]) -> MainScreen | None:
    return next((s for s in app.screen_stack if isinstance(s, MainScreen)), None)


def _switch_to(app: App[Any], kind: type[Screen[Any]]) -> bool:
    """Make room for a `kind` screen: True when one should now be opened on the main screen.

    Screen keys switch, never stack (ui/navigation.py): what is above the main screen
    closes, or the screens above an open `kind` screen close and it shows again.
    """
    main = _main(app)
    return main is not None and session_of(app).core is not None and make_room(app, main, kind)


def open_events(app: App[Any]) -> None:
    """`E`: every event, past and upcoming."""
    from netbalance.ui.screens.events import EventsScreen

    session = session_of(app)
    if _switch_to(app, EventsScreen) and session.core is not None:
        app.push_screen(EventsScreen(session.core.store, session.clock()))


def open_goals(app: App[Any]) -> None:
    """`G`: every goal and what serves it."""
    from netbalance.ui.screens.goals import GoalsScreen

    session = session_of(app)
    if _switch_to(app, GoalsScreen) and session.core is not None:
        app.push_screen(GoalsScreen(session.core.store, session.clock()))


def open_review(app: App[Any]) -> None:
    """`r`: the review of the current week (`[` and `]` move from there)."""
    from netbalance.ui.screens.review import ReviewScreen

    session = session_of(app)
    if not _switch_to(app, ReviewScreen) or session.core is None:
        return
    now = session.clock()
    app.push_screen(ReviewScreen(session.core.store, now, week_of(now), writer=session.writer))


def open_settings(app: App[Any]) -> None:
    """`,`: the networking budget, circles and thresholds."""
    from netbalance.ui.screens.settings import SettingsScreen

    session = session_of(app)
    if not _switch_to(app, SettingsScreen) or session.core is None:
        return
    current = session.core.settings

    def chosen(settings: Settings | None) -> None:
        if settings is None:
            return
        if settings == current:
            app.notify("Nothing changed.", timeout=2)
            return
        session.perform(lambda core: core.save_settings(settings), say="once stored")

    app.push_screen(SettingsScreen(current), chosen)


def import_file(app: App[Any]) -> None:
    """`i`: preview an import of contacts or events from a file, then write it."""
    from netbalance.ui.screens.import_screen import ImportScreen

    session = session_of(app)
    if not _switch_to(app, ImportScreen) or session.core is None:
        return
    now = session.clock()
    zone = getattr(now.tzinfo, "name", None) or getattr(now.tzinfo, "key", None) or "UTC"
    screen = ImportScreen(session.core.store, now, default_tz=str(zone), writer=session.writer)
    app.push_screen(screen)


def imported(app: App[Any], counts: dict[str, int]) -> None:
    """The import screen wrote an import: every screen reads again."""
    session_of(app).reload()
    app.notify(
        f"Imported {counts['new']} new, merged {counts['merged']}, skipped {counts['skipped']}",
        title="Imported",
    )


def load_demo(app: App[Any]) -> None:
    """Fill an empty database with the small demo network."""
    from netbalance.demo import write_demo

    session = session_of(app)
    core = session.core
    if core is None:
        return
    if not core.store.is_empty():
        app.notify("Demo data only goes into an empty database.", severity="warning")
        return
    store, now = core.store, session.clock()

    def done(_result: object) -> None:
        session.reload()
        app.notify("Demo network loaded: 500 contacts to explore.", title="Demo data")

    app.notify("Loading demo data…", timeout=2)
    session.writer.submit(partial(write_demo, store, "small", 7, now), done, _demo_failed(app))


def _demo_failed(app: App[Any]) -> Callable[[Exception], None]:
    def failed(err: Exception) -> None:
        session_of(app).reload()
        app.notify(f"Demo data not loaded: {err}", severity="error")

    return failed


def welcome(app: App[Any]) -> None:
    """An empty database: add a contact, load the demo or import a file."""
    from netbalance.ui.screens.welcome import WelcomeScreen

    def chosen(choice: str | None) -> None:
        main = _main(app)
        if choice == "add" and main is not None:
            contact_actions.new_contact(main)
        elif choice == "demo":
            load_demo(app)
        elif choice == "import":
            import_file(app)

    app.push_screen(WelcomeScreen(), chosen)


def help_screen(app: App[Any], keymap: dict[str, str]) -> None:
    """`?`: every key of the main screen, or of whichever screen is showing."""
    from netbalance.ui.screens.help import HelpScreen, sections_from_bindings

    screen = app.screen
    if isinstance(screen, MainScreen):
        app.push_screen(HelpScreen(key_rows(app, keymap)))
        return
    active = screen.active_bindings
    shown = {key: app.get_key_display(b.binding) for key, b in active.items()}
    app.push_screen(HelpScreen(sections_from_bindings(active, shown)))


def key_rows(app: App[Any], keymap: dict[str, str]) -> list[tuple[str, list[HelpRow]]]:
    """Every key of the main screen, grouped by where it works, with remaps applied,
    each with the binding id that config.toml's [keys] remaps."""

    def rows(bindings: Iterable[Any]) -> list[HelpRow]:
        out: list[HelpRow] = []
        for b in bindings:
            if not isinstance(b, Binding):
                continue
            key = keymap.get(b.id, b.key) if b.id else b.key
            # "slash" and "question_mark" shown as the footer shows them: / and ?
            shown = ", ".join(
                app.get_key_display(dataclasses.replace(b, key=k.strip())) for k in key.split(",")
            )
            out.append((shown, b.description or b.action, b.id or ""))
        return out

    return [
        (
            "Contacts",
            rows(ContactsPane.BINDINGS)
            + rows(b for b in ContactList.BINDINGS if not getattr(b, "id", "").startswith("list.")),
        ),
        ("Events", rows(EventsPane.BINDINGS)),
        (
            "Everywhere",
            [
                *rows(app.BINDINGS),
                ("tab / shift+tab", "Next / previous pane"),
                ("ctrl+p", "Command palette"),
            ],
        ),
    ]


def palette(
    app: App[Any], keymap: dict[str, str], screen: Screen[Any] | None = None
) -> Iterable[SystemCommand]:
    """The palette's commands; those on a contact act on the highlighted one (merge with…
    on the contact in view: `screen`'s, the screen the palette was opened over)."""
    from netbalance.ui.screens.duplicates import merge_with, shown_contact

    session = session_of(app)

    def on_contact(fn: Callable[[MainScreen, int], object]) -> Callable[[], None]:
        def run() -> None:
            main = _main(app)
            if main is not None and (cid := main.highlighted_contact) is not None:
                fn(main, cid)

        return run

    def on_main(fn: Callable[[MainScreen], object]) -> Callable[[], None]:
        def run() -> None:
            main = _main(app)
            if main is not None:
                fn(main)

        return run

    def on_pane(fn: Callable[[ContactsPane], object]) -> Callable[[], None]:
        return on_main(lambda main: fn(main.query_one(ContactsPane)))

    def event_status(status: str) -> Callable[[], None]:
        return on_main(lambda main: main.query_one(EventsPane).action_status(status))

    yield SystemCommand(
        "Contact: follow up",
        "Log a follow-up now with the highlighted contact",
        on_pane(lambda pane: pane.action_follow_up()),
    )
    yield SystemCommand(
        "Contact: log an interaction",
        "Kind, depth, note, several people",
        on_main(lambda main: contact_actions.log(main, main.highlighted_contact)),
    )
    yield SystemCommand(
        "Contact: snooze",
        "Quiet the highlighted contact for a while",
        on_pane(lambda pane: pane.action_snooze()),
    )
    yield SystemCommand("Contact: add", "Add a new contact", on_main(contact_actions.new_contact))
    yield SystemCommand(
        "Contact: edit", "Edit the highlighted contact", on_contact(contact_actions.edit_contact)
    )
    yield SystemCommand(
        "Contact: archive",
        "Archive the highlighted contact (u undoes)",
        on_contact(contact_actions.archive),
    )
    yield SystemCommand(
        "Contact: open",
        "Profile, strength and timeline",
        on_main(lambda main: main.query_one(ContactList).action_open()),
    )
    yield SystemCommand(
        "Contacts: filter", "Filter by name, tag or company", on_pane(ContactsPane.action_filter)
    )
    yield SystemCommand(
        "Contacts: toggle due only",
        "Show only contacts that are due",
        on_pane(ContactsPane.action_due_only),
    )
    yield SystemCommand(
        "Contacts: change sort order", "Due, name or strength", on_pane(ContactsPane.action_sort)
    )

    def on_list(fn: Callable[[ContactList], object]) -> Callable[[], None]:
        return on_main(lambda main: fn(main.query_one(ContactList)))

    yield SystemCommand(
        "Contacts: mark all shown",
        "Mark every contact the filter shows, to act on them at once",
        on_list(ContactList.action_mark_shown),
    )
    yield SystemCommand(
        "Contacts: mark or unmark the highlighted one",
        "space; shift+up/down mark a run",
        on_list(ContactList.action_toggle_mark),
    )
    yield SystemCommand(
        "Contacts: clear marks", "Unmark every marked contact", on_list(ContactList.clear_marks)
    )
    for action, title, help_text in (
        ("move", "move marked to a circle", "One change for all marked (u undoes)"),
        ("tag", "tag marked", "Add a tag to every marked contact (u undoes)"),
        ("untag", "untag marked", "Take a tag off every marked contact (u undoes)"),
        ("snooze", "snooze marked", "Quiet every marked contact for a while (u undoes)"),
        ("archive", "archive marked", "Archive every marked contact (u undoes)"),
    ):
        yield SystemCommand(
            f"Contacts: {title}",
            help_text,
            on_pane(partial(ContactsPane.action_bulk, action=action)),
        )
    yield SystemCommand(
        "Contacts: review duplicates",
        "Pairs that may be one person: merge, keep apart or skip",
        partial(open_duplicates, app),
    )
    shown = shown_contact(screen) if screen is not None else None
    if session.ready and screen is not None and shown is not None:
        yield SystemCommand(
            "Contact: merge with…",
            "Make this contact and another one record (you see the plan first; u undoes)",
            partial(merge_with, screen, shown),
        )
    yield SystemCommand(
        "Network: picture of your circles",
        "Everyone as a mark in rings, inner to acquaintances, kept / due / overdue",
        partial(open_picture, app),
    )
    yield SystemCommand(
        "Events: all events", "Past and upcoming, triage and return", partial(open_events, app)
    )
    yield SystemCommand("Event: add", "Title, when, hours, goals", on_main(_new_event))
    for status, verb in (("going", "going"), ("declined", "decline"), ("attended", "attended")):
        yield SystemCommand(
            f"Event: {verb}",
            f"Mark the highlighted upcoming event {status}",
            event_status(status),
        )
    yield SystemCommand(
        "Goals: all goals", "Why you network, and what serves each goal", partial(open_goals, app)
    )
    yield SystemCommand("Goal: add", "Career, learning, business or other", on_main(_new_goal))
    yield SystemCommand(
        "Contact: link to a goal",
        "Link the highlighted contact to a goal",
        on_contact(contact_actions.link_goal),
    )
    yield SystemCommand(
        "Review: this week",
        "What happened, what paid off, the gauge's trend, your note",
        partial(open_review, app),
    )
    yield SystemCommand(
        "Settings: networking budget",
        "Hours a week, events a month, circles, thresholds",
        partial(open_settings, app),
    )
    yield from history_commands(app)
    yield SystemCommand("Help: keys", "Every key on one page", lambda: help_screen(app, keymap))
    yield SystemCommand(
        "Data: import contacts or events",
        "vCard, LinkedIn, Google, Outlook, calendar or a netbalance backup",
        partial(import_file, app),
    )
    yield SystemCommand(
        "Data: sync now",
        "Two-way sync with the vdir folders in config.toml [sync] (and vdirsyncer)",
        session.sync,
    )
    yield SystemCommand(
        "Data: load demo network", "Only into an empty database", partial(load_demo, app)
    )


def _new_event(main: MainScreen) -> None:
    from netbalance.ui.screens.events import new_event

    new_event(main)


def _new_goal(main: MainScreen) -> None:
    from netbalance.ui.screens.goals import new_goal

    new_goal(main)


def open_duplicates(app: App[Any]) -> None:
    """`D`: pairs of contacts that may be one person."""
    from netbalance.ui.screens.duplicates import DuplicatesScreen
    from netbalance.ui.screens.duplicates import open_duplicates as open_review

    if _switch_to(app, DuplicatesScreen):
        open_review(app)


def open_picture(app: App[Any]) -> None:
    """`N`: the circles as rings, everyone a mark."""
    from netbalance.ui.screens.network_picture import NetworkPictureScreen
    from netbalance.ui.screens.network_picture import open_picture as open_rings

    if _switch_to(app, NetworkPictureScreen):
        open_rings(app)


def history_commands(app: App[Any]) -> Iterable[SystemCommand]:
    """ "Edit: undo <step>", "Edit: redo <step>" naming the steps, and "Edit: history"."""
    session = session_of(app)
    history = session.core.history if session.core is not None else None
    undo = history.next_undo() if history is not None else None
    redo = history.next_redo() if history is not None else None
    yield SystemCommand(
        f"Edit: undo {undo.name}" if undo is not None else "Edit: undo",
        "Take back the last change (u, ctrl+z)",
        session.undo,
    )
    if redo is not None:
        yield SystemCommand(
            f"Edit: redo {redo.name}", "Do again what was undone last (U, ctrl+y)", session.redo
        )
    yield SystemCommand(
        "Edit: history", "What this run changed, and what can be redone", partial(show_history, app)
    )


def show_history(app: App[Any]) -> None:
    """The steps of this run's undo history, newest first."""
    from netbalance.ui.screens.history import HistoryScreen

    core = session_of(app).core
    if core is not None:
        app.push_screen(HistoryScreen(core.history))
