"""What the keys on a contact do, wherever the contact is shown (the list, its screen).

Each function asks what it needs (a dialog or a form), then hands the core's verb to
the Session, which writes it and tells every screen what changed. A form saving an
edit stays open when the write is refused (someone changed the contact elsewhere),
with the user's input and the reason.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from textual.widget import Widget

from netbalance.domain import Circle, Interaction
from netbalance.ui.session import session_of


def follow_up(widget: Widget, contact_id: int) -> bool:
    """`f`: log a follow-up now; the contact re-ranks."""
    return session_of(widget).perform(lambda core: core.follow_up(contact_id))


def log(widget: Widget, contact_id: int | None) -> None:
    """`F`: log an interaction with details in a form."""
    from netbalance.ui.screens.interaction_form import InteractionForm

    session = session_of(widget)
    core = session.core
    if core is None:
        return
    contacts = sorted(core.ranking.contacts.values(), key=lambda c: c.name.casefold())
    chosen = [contact_id] if contact_id is not None else []
    form = InteractionForm(contacts, chosen, session.clock())

    def logged(result: Interaction | None) -> None:
        if result is not None:
            session.perform(lambda core: core.log(result))

    widget.app.push_screen(form, logged)


def snooze(widget: Widget, contact_id: int, chosen: Callable[[], None] | None = None) -> None:
    """`s`: choose how long to quiet a contact (moves the reminder, not the care).
    `chosen` runs once a time is chosen, before the write (the list moves on)."""
    from netbalance.ui.screens.snooze import SnoozeDialog

    session = session_of(widget)
    contact = session.core.contact(contact_id) if session.core else None
    if contact is None:
        return

    def picked(until: datetime | None) -> None:
        if until is not None:
            if chosen is not None:
                chosen()
            session.perform(lambda core: core.snooze(contact_id, until))

    widget.app.push_screen(SnoozeDialog(contact.name, session.clock()), picked)


def archive(widget: Widget, contact_id: int) -> bool:
    """`d`: archive at once; `u` brings the contact back."""
    return session_of(widget).perform(lambda core: core.archive(contact_id))


def new_contact(widget: Widget, select: Callable[[int], None] | None = None) -> None:
    """`n`: add a contact in a form."""
    from netbalance.ui.screens.contact_form import ContactForm

    session = session_of(widget)
    core = session.core
    if core is None:
        return
    form = ContactForm(None, core.goals(), core.settings)
    form.saver = session_of(widget).form_saver(lambda core, value: core.add_contact(value))
    widget.app.push_screen(form)


def edit_contact(widget: Widget, contact_id: int) -> None:
    """`e`: edit a contact; only the fields changed in the form are written."""
    from netbalance.ui.screens.contact_form import ContactForm

    session = session_of(widget)
    core = session.core
    base = core.contact(contact_id) if core else None
    if core is None or base is None:
        return
    form = ContactForm(base, core.goals(), core.settings)
    form.saver = session_of(widget).form_saver(lambda core, value: core.edit_contact(base, value))
    widget.app.push_screen(form)


def link_goal(widget: Widget, contact_id: int) -> None:
    """`l`: pick a goal to link the contact to (picking a linked one unlinks it)."""
    from netbalance.ui.screens.goals import GoalPicker

    session = session_of(widget)
    core = session.core
    contact = core.contact(contact_id) if core else None
    if core is None or contact is None:
        return

    def picked(goal_id: int | None) -> None:
        if goal_id is not None:
            session.perform(lambda core: core.link_goal(contact_id, goal_id))

    widget.app.push_screen(GoalPicker(contact, core.goals()), picked)


def edit_interaction(widget: Widget, interaction_id: int) -> None:
    """`e` on the timeline: the interaction in the log form; only the fields changed are
    written, refused (the form stays open) when someone changed them since."""
    from netbalance.ui.screens.interaction_form import InteractionEditForm

    session = session_of(widget)
    core = session.core
    if core is None:
        return
    try:
        base = core.store.interaction(interaction_id)
    except KeyError:
        widget.app.notify("That interaction is no longer there.", severity="warning")
        return
    people = dict(core.ranking.contacts)
    for cid in base.contact_ids:  # someone archived since stays in it
        if cid not in people:
            with contextlib.suppress(KeyError):
                people[cid] = core.store.contact(cid)
    contacts = sorted(people.values(), key=lambda c: c.name.casefold())
    form = InteractionEditForm(contacts, base, session.clock())

    form.saver = session.form_saver(lambda core, value: core.edit_interaction(base, value))
    widget.app.push_screen(form)


def delete_interaction(widget: Widget, interaction_id: int) -> None:
    """`d` on the timeline: delete the interaction after a confirm; `u` brings it back."""
    from rich.markup import escape

    from netbalance.ui.screens.confirm import ConfirmDialog

    session = session_of(widget)
    core = session.core
    if core is None:
        return
    try:
        words = core.interaction_words(core.store.interaction(interaction_id))
    except KeyError:
        widget.app.notify("That interaction is no longer there.", severity="warning")
        return

    def answered(yes: bool | None) -> None:
        if yes:
            session.perform(lambda core: core.delete_interaction(interaction_id))

    body = escape(f"Delete the {words}? Strength and due days are counted again; u undoes.")
    widget.app.push_screen(
        ConfirmDialog("Delete the interaction", body, yes="delete", no="keep it"), answered
    )


# --- bulk: the marked contacts ------------------------------------------------------------


def _who(contact_ids: frozenset[int]) -> str:
    n = len(contact_ids)
    return f"{n:,} contact{'s' if n != 1 else ''}"


def bulk(
    widget: Widget,
    action: str,
    contact_ids: frozenset[int],
    done: Callable[[], None] | None = None,
) -> None:
    """Move the marked contacts to a circle, tag or untag them, snooze or archive them:
    each ONE write (`u` undoes all of it). `done` runs once it is stored (marks clear)."""
    from netbalance.ui.screens.bulk import CirclePicker, TagDialog
    from netbalance.ui.screens.snooze import SnoozeDialog

    session = session_of(widget)
    core = session.core
    if core is None or not contact_ids:
        return
    ids = sorted(contact_ids)
    who = _who(contact_ids)

    def then(_result: object) -> None:
        if done is not None:
            done()

    def perform(make: Callable[..., object]) -> None:
        session.perform(make, then=then)  # type: ignore[arg-type]

    if action == "archive":
        perform(lambda core: core.archive_contacts(ids))
    elif action == "move":

        def moved(circle: Circle | None) -> None:
            if circle is not None:
                perform(lambda core: core.move_contacts(ids, circle))

        widget.app.push_screen(CirclePicker(who), moved)
    elif action in ("tag", "untag"):
        add = action == "tag"
        in_use = sorted({t for cid in ids if (c := core.contact(cid)) for t in c.tags})

        def tagged(tag: str | None) -> None:
            if tag:
                perform(lambda core: core.tag_contacts(ids, tag, add=add))

        title = f"Tag {who}" if add else f"Take a tag off {who}"
        widget.app.push_screen(TagDialog(title, in_use), tagged)
    elif action == "snooze":

        def picked(until: datetime | None) -> None:
            if until is not None:
                perform(lambda core: core.snooze_contacts(ids, until))

        widget.app.push_screen(SnoozeDialog(who, session.clock()), picked)
