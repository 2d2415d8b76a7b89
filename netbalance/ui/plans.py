"""What the event and goal keys do: forms, the budget check, who I met, goal links.

The Controller owns one `Plans`. Each action asks (a form, a confirm dialog),
then queues its write on the controller's writer, then refreshes whatever
screens show events or goals. Going to an event that would put its week or
month over budget is said before the status changes, with the numbers.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import partial
from typing import TYPE_CHECKING

from netbalance.domain import Contact, Event, EventStatus, Interaction
from netbalance.domain.circles import Circle
from netbalance.domain.health.budget import budget_if_going
from netbalance.domain.model import Goal, InteractionKind

if TYPE_CHECKING:
    from netbalance.store import Store
    from netbalance.ui.controller import Controller
    from netbalance.ui.screens.who_met import MetPerson


class Plans:
    """Carries out the event and goal actions for the app."""

    def __init__(self, controller: Controller) -> None:
        self.controller = controller
        self.app = controller.app

    @property
    def store(self) -> Store:
        return self.controller.store

    def _now(self) -> datetime:
        return self.app.clock()

    def refresh_screens(self) -> None:
        """Let every events or goals screen in the stack re-read the store."""
        for screen in self.app.screen_stack:
            refresh = getattr(screen, "refresh_data", None)
            if callable(refresh):
                refresh()

    def _events_changed(self, _result: object = None) -> None:
        view = self.controller.view
        view.events = self.store.events()
        view.goals = self.store.goals()
        self.app.main.show_events(self.controller.hints)
        self.refresh_screens()

    def _contacts_changed(self, _result: object = None) -> None:
        self.controller.reload()
        self.refresh_screens()

    # --- screens --------------------------------------------------------------------

    def open_events(self) -> None:
        """`E`: every event, past and upcoming."""
        if not self.controller.ready:
            return
        from netbalance.ui.screens.events import EventsScreen

        if not isinstance(self.app.screen, EventsScreen):
            self.app.push_screen(EventsScreen(self.store, self._now()))

    def open_goals(self) -> None:
        """`G`: every goal and what serves it."""
        if not self.controller.ready:
            return
        from netbalance.ui.screens.goals import GoalsScreen

        if not isinstance(self.app.screen, GoalsScreen):
            self.app.push_screen(GoalsScreen(self.store, self._now()))

    # --- events ---------------------------------------------------------------------

    def new_event(self) -> None:
        if not self.controller.ready:
            return
        from netbalance.ui.screens.event_form import EventForm

        def saved(event: Event | None) -> None:
            if event is None:
                return

            def added(stored: Event) -> None:
                self.app.notify(f"Added {stored.title}", title="Saved")
                self._events_changed()

            self.controller._write(partial(self.store.add_event, event), added)

        self.app.push_screen(EventForm(None, self.store.goals(), self._now()), saved)

    def edit_event(self, event_id: int) -> None:
        if not self.controller.ready or (event := self._event(event_id)) is None:
            return
        from netbalance.ui.screens.event_form import EventForm

        def saved(edited: Event | None) -> None:
            if edited is None or edited == event:
                return
            self.app.notify(f"Saved {edited.title}", title="Saved")
            self.controller._write(partial(self.store.update_event, edited), self._events_changed)

        self.app.push_screen(EventForm(event, self.store.goals(), self._now()), saved)

    def _event(self, event_id: int) -> Event | None:
        try:
            return self.store.event(event_id)
        except KeyError:
            return None

    def set_status(self, event_id: int, status: EventStatus) -> None:
        """`g` `x` `a` `m`: going checks the budget first; attended asks who you met."""
        if not self.controller.ready or (event := self._event(event_id)) is None:
            return
        if event.status is status:
            if status is EventStatus.ATTENDED:
                self.who_met(event_id)
            return
        if status is EventStatus.GOING:
            check = budget_if_going(event, self.store.events(), self.store.settings(), self._now())
            if check.over:
                from netbalance.ui.screens.confirm import ConfirmDialog

                body = (
                    f"Going to {event.title} would stretch your networking budget:\n\n"
                    + "\n".join(f"  {line}" for line in check.lines())
                    + "\n\nA few targeted events beat every event. Go anyway?"
                )

                def answered(yes: bool | None) -> None:
                    if yes:
                        self._change_status(event, status)
                    else:
                        self.app.notify(f"{event.title}: left as {event.status.value}")

                dialog = ConfirmDialog("Over budget", body, yes="go anyway", no="leave it")
                self.app.push_screen(dialog, answered)
                return
        self._change_status(event, status)

    def _change_status(self, event: Event, status: EventStatus) -> None:
        view = self.controller.view
        view.events = [e.edit(status=status) if e.id == event.id else e for e in view.events]
        self.app.main.show_events(self.controller.hints)
        self.app.notify(f"{event.title}: {status.value}", title="Saved")
        self.controller._write(
            partial(self.store.set_event_status, event.id, status), self._events_changed
        )
        if status is EventStatus.ATTENDED:
            self.who_met(event.id, after=event.edit(status=status))

    # --- who I met --------------------------------------------------------------------

    def who_met(self, event_id: int, after: Event | None = None) -> None:
        """`w` (and after `a`): add the people met at the event, then write them in one go."""
        if not self.controller.ready:
            return
        event = after or self._event(event_id)
        if event is None:
            return
        from netbalance.ui.screens.who_met import WhoMetDialog

        now = self._now()
        settings = self.store.settings()
        contacts = self.store.contacts()

        def chosen(people: tuple[MetPerson, ...] | None) -> None:
            if not people:
                return
            names = ", ".join(p.name for p in people)
            self.app.notify(f"Met at {event.title}: {names}", title="Saved")
            self.controller._write(
                partial(self._record_met, event_id, people, now), self._contacts_changed
            )

        capacity = settings.followup_capacity_per_event
        self.app.push_screen(WhoMetDialog(event, contacts, capacity, now), chosen)

    def _record_met(self, event_id: int, people: tuple[MetPerson, ...], now: datetime) -> int:
        """Runs on the writer: new contacts, a chat at the event with each, the event's links.

        New contacts, the chats and the event's list of people met go in one
        all-or-nothing transaction, so `u` undoes them together.
        """
        event = self.store.event(event_id)
        # The chat happened at the event (never later than now, for an event still ahead).
        at = min(event.start, now).astimezone(UTC)
        new_contacts: list[Contact] = []
        chats: list[Interaction] = []
        for person in people:
            if person.contact_id is None:
                new_contacts.append(
                    Contact(
                        person.name,
                        circle=Circle.ACQUAINTANCE,
                        how_met=f"met at {event.title}",
                        met_at_event_id=event.id,
                    )
                )
                who = -len(new_contacts)
            else:
                who = person.contact_id
            chats.append(
                Interaction(
                    (who,),
                    at,
                    kind=InteractionKind.EVENT_CHAT,
                    depth=2,
                    note=f"Met at {event.title}",
                    next_step="First follow-up",
                    next_step_on=person.follow_up_on,
                    event_id=event.id,
                )
            )
        self.store.import_batch(
            add_contacts=new_contacts,
            add_interactions=chats,
            now=now.astimezone(UTC),
            met_at_event=event_id,
            description=f"who I met at {event.title}",
        )
        return len(people)

    # --- goals ------------------------------------------------------------------------

    def new_goal(self) -> None:
        if not self.controller.ready:
            return
        from netbalance.ui.screens.goals import GoalForm

        now = self._now()

        def saved(goal: Goal | None) -> None:
            if goal is None:
                return

            def added(stored: Goal) -> None:
                self.app.notify(f"Added goal {stored.title}", title="Saved")
                self._events_changed()

            self.controller._write(partial(self.store.add_goal, goal, now.astimezone(UTC)), added)

        self.app.push_screen(GoalForm(None, now), saved)

    def edit_goal(self, goal_id: int) -> None:
        if not self.controller.ready or (goal := self._goal(goal_id)) is None:
            return
        from netbalance.ui.screens.goals import GoalForm

        def saved(edited: Goal | None) -> None:
            if edited is None or edited == goal:
                return
            self.app.notify(f"Saved goal {edited.title}", title="Saved")
            self.controller._write(partial(self.store.update_goal, edited), self._events_changed)

        self.app.push_screen(GoalForm(goal, self._now()), saved)

    def _goal(self, goal_id: int) -> Goal | None:
        try:
            return self.store.goal(goal_id)
        except KeyError:
            return None

    def retire_goal(self, goal_id: int) -> None:
        """`d` on a goal: set it aside (it stops counting for focus and triage), or revive it."""
        if not self.controller.ready or (goal := self._goal(goal_id)) is None:
            return
        changed = goal.edit(active=not goal.active)
        if changed.active:
            self.app.notify(f"Goal {goal.title} is active again", title="Saved")
        else:
            self.app.notify(f"Retired goal {goal.title} · press u to undo", title="Retired")
        self.controller._write(partial(self.store.update_goal, changed), self._events_changed)

    def link_goal(self, contact_id: int) -> None:
        """`l` on a contact: pick a goal to link it to (picking a linked one unlinks it)."""
        if not self.controller.ready:
            return
        try:
            contact = self.store.contact(contact_id)
        except KeyError:
            return
        from netbalance.ui.screens.goals import GoalPicker

        goals = {g.id: g for g in self.store.goals()}

        def picked(goal_id: int | None) -> None:
            if goal_id is None or goal_id not in goals:
                return
            title = goals[goal_id].title
            if goal_id in contact.goal_ids:
                edited = contact.edit(goal_ids=tuple(g for g in contact.goal_ids if g != goal_id))
                self.app.notify(f"Unlinked {contact.name} from {title}", title="Saved")
            else:
                edited = contact.edit(goal_ids=(*contact.goal_ids, goal_id))
                self.app.notify(f"Linked {contact.name} to {title}", title="Saved")
            self.controller.view.put_contact(edited)
            self.controller._write(partial(self.store.update_contact, edited), self._linked)

        self.app.push_screen(GoalPicker(contact, list(goals.values())), picked)

    def _linked(self, _result: object) -> None:
        self.app.main.show_contacts(keep=self.app.main.highlighted_contact)
        self.refresh_screens()
        self.controller._refresh_contact_screen()
