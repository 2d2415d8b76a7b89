"""The command palette finds people and events by name: "Open Lena Kim",
"Follow up with Lena Kim", "Open event PyData meetup".

The provider reads names from the core once when the palette opens, and acts the
way the keys do: it goes to the main screen and follows up through the core's verb
(`contact_actions.follow_up`) or opens the contact's screen, or switches to the
events and opens the event's page.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from textual.command import Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.screen import Screen

from netbalance.domain.text import escape_controls
from netbalance.ui import contact_actions
from netbalance.ui.navigation import go_home
from netbalance.ui.session import session_of

# A palette lists what fits on screen; more than this many people or events is noise.
MAX_HITS = 40


class PeopleAndEvents(Provider):
    """Palette commands for each contact and event, found by name."""

    def __init__(self, screen: Screen[Any], match_style: Any = None) -> None:
        super().__init__(screen, match_style)
        self._contacts: list[tuple[int, str]] = []
        self._events: list[tuple[int, str, datetime]] = []

    async def startup(self) -> None:
        core = session_of(self.app).core
        if core is None:
            return
        contacts = core.ranking.contacts.values()
        self._contacts = [(c.id, escape_controls(c.name)) for c in contacts]
        self._events = [(e.id, escape_controls(e.title), e.start) for e in core.events()]

    async def search(self, query: str) -> Hits:
        words = query.casefold().split()
        if not words:
            return
        matcher = self.matcher(query)
        found: list[Hit] = []
        for cid, name in self._contacts:
            if not _may_match(words, name):
                continue
            for verb, action, what in (
                ("Open", self._open_contact, "Profile, strength and timeline"),
                ("Follow up with", self._follow_up, "Log a follow-up now"),
            ):
                text = f"{verb} {name}"
                if (score := matcher.match(text)) > 0:
                    found.append(
                        Hit(score, self._show(matcher, text), partial(action, cid), text, what)
                    )
        for eid, title, start in self._events:
            if not _may_match(words, title):
                continue
            text = f"Open event {title}"
            if (score := matcher.match(text)) > 0:
                when = f"{start:%a %d %b %Y}"
                found.append(
                    Hit(
                        score, self._show(matcher, text), partial(self._open_event, eid), text, when
                    )
                )
        for hit in sorted(found, reverse=True)[:MAX_HITS]:
            yield hit

    def _show(self, matcher: Matcher, text: str) -> Content:
        """`text` with the matched letters marked; never read as markup (names are user text)."""
        content = Content(text)
        score, offsets = matcher.fuzzy_search.match(matcher.query, text)
        if score:
            for offset in offsets:
                if not text[offset].isspace():
                    content = content.stylize(self.match_style or "reverse", offset, offset + 1)
        return content

    # --- acting, the way the keys do ---------------------------------------------------------

    def _main(self) -> Screen[Any] | None:
        """The main screen, showing (what was above it closed), or None."""
        from netbalance.ui.screens.main import MainScreen

        main = next((s for s in self.app.screen_stack if isinstance(s, MainScreen)), None)
        return main if main is not None and go_home(self.app, main) else None

    def _open_contact(self, contact_id: int) -> None:
        from netbalance.ui.screens.contact import ContactScreen

        core = session_of(self.app).core
        if self._main() is not None and core is not None and core.contact(contact_id):
            self.app.push_screen(ContactScreen(contact_id))

    def _follow_up(self, contact_id: int) -> None:
        if (main := self._main()) is not None:
            contact_actions.follow_up(main, contact_id)

    def _open_event(self, event_id: int) -> None:
        from netbalance.ui.commands import open_events
        from netbalance.ui.screens.events import EventScreen, EventsScreen

        session = session_of(self.app)
        open_events(self.app)
        if session.core is not None and isinstance(self.app.screen, EventsScreen):
            self.app.push_screen(EventScreen(session.core.store, event_id, session.clock()))


def _may_match(words: list[str], name: str) -> bool:
    """A cheap first look before the fuzzy match (thousands of names): a word typed is
    part of the name, so "follow" alone does not list every contact."""
    folded = name.casefold()
    return any(w in folded for w in words)
