"""Pilot tests for the modal forms: contact, interaction, snooze.

Each test pushes one screen on a tiny host app, drives it from the keyboard,
and checks both what the screen shows and the domain object it returns.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, OptionList, SelectionList, Static

from netbalance.domain.circles import Circle
from netbalance.domain.model import (
    Birthday,
    Contact,
    Goal,
    Initiator,
    Interaction,
    InteractionKind,
)
from netbalance.domain.settings import Settings
from netbalance.ui.screens.contact_form import ContactForm
from netbalance.ui.screens.interaction_form import InteractionForm
from netbalance.ui.screens.snooze import SnoozeDialog

NOW = datetime(2025, 12, 18, 14, 30, tzinfo=UTC)
GOALS = [Goal("Find a design job", id=1), Goal("Learn Rust", id=2), Goal("Old", id=3, active=False)]


class Host(App[None]):
    """Pushes one screen and keeps what it dismisses with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.form = screen
        self.results: list[Any] = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.results.append)


def message(screen: Screen[Any], key: str) -> str:
    """The validation message shown under field `key` ('' when hidden)."""
    line = screen.query_one(f"#{key}-message", Static)
    return str(line.render()) if line.has_class("-shown") else ""


async def type_into(pilot: Any, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text) if text else None
    await pilot.pause()


# --- contact form ---------------------------------------------------------------------


async def test_new_contact_saved_with_every_field() -> None:
    app = Host(ContactForm(None, GOALS, Settings()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#name", "Ana Silva")
        form = app.screen
        form.query_one("#emails", Input).value = "Ana@Example.com, ana@work.org"
        form.query_one("#phones", Input).value = "+44 20 7946 0000"
        form.query_one("#company", Input).value = "Acme"
        form.query_one("#role", Input).value = "Designer"
        form.query_one("#tags", Input).value = "Design, london"
        form.query_one("#birthday", Input).value = "--03-14"
        await type_into(pilot, "#cadence", "14")
        form.query_one("#goals", SelectionList).select(2)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert len(app.results) == 1
    saved = app.results[0]
    assert isinstance(saved, Contact)
    assert saved.name == "Ana Silva"
    assert saved.cadence_days == 14
    assert saved.circle is Circle.ACTIVE
    assert saved.emails == ("ana@example.com", "ana@work.org")
    assert saved.phones == ("+44 20 7946 0000",)
    assert (saved.company, saved.role) == ("Acme", "Designer")
    assert saved.tags == ("design", "london")
    assert saved.goal_ids == (2,)
    assert saved.birthday == Birthday(3, 14)
    assert saved.id == 0


async def test_enter_in_a_field_saves() -> None:
    app = Host(ContactForm(None, [], Settings()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#name", "Bo Li")
        await pilot.press("enter")
        await pilot.pause()
    assert [c.name for c in app.results] == ["Bo Li"]
    assert app.results[0].cadence_days is None


async def test_blank_name_is_refused_with_a_message_under_name() -> None:
    app = Host(ContactForm(None, GOALS, Settings()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []
        assert message(app.screen, "name") == "Must not be blank"
        assert app.screen.query_one("#name-field").has_class("-invalid")
        # Typing a name hides the stale message; saving then succeeds.
        await type_into(pilot, "#name", "Cy")
        assert message(app.screen, "name") == ""
        await pilot.press("enter")
        await pilot.pause()
    assert [c.name for c in app.results] == ["Cy"]


async def test_each_bad_field_gets_its_own_message() -> None:
    app = Host(ContactForm(None, GOALS, Settings()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        form = app.screen
        await type_into(pilot, "#name", "Dee")
        form.query_one("#cadence", Input).value = "0"
        form.query_one("#birthday", Input).value = "2001-02-30"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []
        assert message(form, "cadence") == "Must be 1 to 3660 days, or none"
        # Birthday.from_iso words an impossible day as a format problem.
        assert message(form, "birthday").startswith("“2001-02-30” ")
        assert message(form, "name") == ""
        form.query_one("#cadence", Input).value = ""
        form.query_one("#birthday", Input).value = "2001-02-28"
        form.query_one("#emails", Input).value = "dee at example"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []
        assert message(form, "emails") == "“dee at example” is not an email address"
        assert message(form, "cadence") == ""
        assert message(form, "birthday") == ""


async def test_escape_cancels_without_a_result() -> None:
    app = Host(ContactForm(None, GOALS, Settings()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#name", "Half typed")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ContactForm)
    assert app.results == [None]


async def test_edit_keeps_id_created_at_and_fields_not_in_the_form() -> None:
    created = datetime(2024, 1, 2, tzinfo=UTC)
    original = Contact(
        "Ana Silva",
        id=42,
        circle=Circle.CLOSE,
        emails=("ana@example.com",),
        links=("https://ana.example",),
        goal_ids=(1, 99),
        how_met="PyCon 2024",
        met_at_event_id=7,
        notes="line one\nline two",
        snoozed_until=datetime(2026, 1, 1, tzinfo=UTC),
        created_at=created,
        source="vcard",
    )
    app = Host(ContactForm(original, GOALS, Settings()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        form = app.screen
        assert form.query_one("#name", Input).value == "Ana Silva"
        assert form.query_one("#cadence", Input).placeholder.startswith("30 (Close default")
        assert form.query_one("#goals", SelectionList).selected == [1]
        form.query_one("#role", Input).value = "Lead designer"
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = app.results
    assert saved.id == 42
    assert saved.created_at == created
    assert saved.role == "Lead designer"
    assert saved.links == original.links
    assert saved.how_met == "PyCon 2024"
    assert saved.met_at_event_id == 7
    assert saved.notes == "line one\nline two"
    assert saved.snoozed_until == original.snoozed_until
    assert saved.source == "vcard"
    # Goal 99 is not listed in the form (deleted?): the link stays.
    assert set(saved.goal_ids) == {1, 99}
    assert saved.circle is Circle.CLOSE


async def test_circle_change_updates_the_cadence_placeholder() -> None:
    app = Host(ContactForm(None, [], Settings()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        form = app.screen
        assert form.query_one("#cadence", Input).placeholder.startswith("90 (Active default")
        from textual.widgets import Select

        form.query_one("#circle", Select).value = Circle.INNER
        await pilot.pause()
        assert form.query_one("#cadence", Input).placeholder.startswith("7 (Inner default")
        await type_into(pilot, "#name", "Eve")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results[0].circle is Circle.INNER


# --- interaction form -----------------------------------------------------------------

PEOPLE = [
    Contact("Ana Silva", id=1, company="Acme"),
    Contact("Bo Li", id=2),
    Contact("Anabel Ruiz", id=3),
    Contact("Carl Sagan", id=4),
]


async def test_log_with_the_preselected_contact_now() -> None:
    app = Host(InteractionForm(PEOPLE, [1], NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#who", SelectionList).selected == [1]
        await type_into(pilot, "#note", "talked about the job")
        await pilot.press("enter")
        await pilot.pause()
    [logged] = app.results
    assert isinstance(logged, Interaction)
    assert logged.contact_ids == (1,)
    assert logged.at == NOW
    assert logged.kind is InteractionKind.MESSAGE
    assert logged.depth == 2
    assert logged.initiated_by is Initiator.ME
    assert logged.note == "talked about the job"
    assert logged.minutes is None


async def test_add_people_by_typing_part_of_a_name() -> None:
    app = Host(InteractionForm(PEOPLE, [1], NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#who-filter", "an")
        matches = app.screen.query_one("#who-matches", OptionList)
        # Ana is already in; Anabel starts with "an", Carl Sagan only contains it.
        assert [
            str(matches.get_option_at_index(i).prompt) for i in range(matches.option_count)
        ] == [
            "Anabel Ruiz",
            "Carl Sagan",
        ]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.query_one("#who", SelectionList).selected == [1, 4]
        assert app.screen.query_one("#who-filter", Input).value == ""
        await type_into(pilot, "#who-filter", "bo")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("enter")  # the filter is empty now: enter logs
        await pilot.pause()
    [logged] = app.results
    assert logged.contact_ids == (1, 4, 2)


async def test_details_kind_depth_initiator_minutes_next_step() -> None:
    app = Host(InteractionForm(PEOPLE, [2], NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        form = app.screen
        await type_into(pilot, "#when", "yesterday")
        assert str(form.query_one("#when-preview", Static).render()) == (
            "Wed 17 Dec 2025, 09:00 (yesterday)"
        )
        from textual.widgets import RadioButton, Select

        form.query_one("#kind", Select).value = InteractionKind.COFFEE
        form.query_one("#depth-3", RadioButton).value = True
        form.query_one("#initiated-them", RadioButton).value = True
        await type_into(pilot, "#minutes", "45")
        await type_into(pilot, "#next-step", "send the intro")
        await type_into(pilot, "#next-step-on", "2w")
        assert str(form.query_one("#next-step-on-preview", Static).render()) == (
            "Thu 1 Jan 2026 (in 2 weeks)"
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
    [logged] = app.results
    assert logged.at == datetime(2025, 12, 17, 9, 0, tzinfo=UTC)
    assert logged.kind is InteractionKind.COFFEE
    assert logged.depth == 3
    assert logged.initiated_by is Initiator.THEM
    assert logged.minutes == 45
    assert logged.next_step == "send the intro"
    assert logged.next_step_on == date(2026, 1, 1)


async def test_interaction_errors_next_to_their_fields() -> None:
    app = Host(InteractionForm(PEOPLE, [], NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        form = app.screen
        await type_into(pilot, "#when", "sometime")
        assert "is not a date I understand" in str(form.query_one("#when-preview", Static).render())
        await type_into(pilot, "#minutes", "2000")
        await type_into(pilot, "#next-step-on", "blorp")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []
        assert message(form, "who") == "Add at least one person (type a name)"
        assert message(form, "when").startswith("“sometime” is not a date I understand")
        assert message(form, "next-step-on").startswith("“blorp” is not a date")
        # Parse errors come first; range checks need the rest to be readable.
        await type_into(pilot, "#who-filter", "carl")
        await pilot.press("enter")
        await type_into(pilot, "#when", "now")
        form.query_one("#next-step-on", Input).value = ""
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == []
        assert message(form, "minutes") == "Must be 0 to 1440"
        assert message(form, "who") == ""


async def test_a_time_in_the_future_is_refused() -> None:
    app = Host(InteractionForm(PEOPLE, [1], NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#when", (NOW + timedelta(days=3)).date().isoformat())
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == []
        assert message(app.screen, "when").endswith(
            "is in the future; log an interaction once it has happened"
        )


async def test_interaction_escape_returns_none() -> None:
    app = Host(InteractionForm(PEOPLE, [1], NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#note", "never mind")
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


async def test_escape_in_the_name_filter_clears_it_first() -> None:
    app = Host(InteractionForm(PEOPLE, [1], NOW))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#who-filter", "bo")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#who-filter", Input).value == ""
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]


# --- snooze dialog --------------------------------------------------------------------


@pytest.mark.parametrize(("key", "days"), [("1", 3), ("2", 7), ("3", 14), ("4", 30)])
async def test_snooze_keys_pick_a_span(key: str, days: int) -> None:
    app = Host(SnoozeDialog("Ana Silva", NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(key)
        await pilot.pause()
    assert app.results == [NOW + timedelta(days=days)]


async def test_snooze_list_with_arrows_and_enter() -> None:
    app = Host(SnoozeDialog("Ana Silva", NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # The list opens on "1 week"; one down is "2 weeks".
        await pilot.press("down", "enter")
        await pilot.pause()
    assert app.results == [NOW + timedelta(weeks=2)]


async def test_snooze_until_a_day_in_words_with_preview() -> None:
    app = Host(SnoozeDialog("Ana Silva", NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Digits typed into the field are text, not the 1-4 shortcuts.
        await type_into(pilot, "#until", "10d")
        assert str(app.screen.query_one("#until-preview", Static).render()) == (
            "until Sun 28 Dec 2025 (in 10 days)"
        )
        assert app.results == []
        await type_into(pilot, "#until", "next friday")
        assert "Fri 19 Dec 2025" in str(app.screen.query_one("#until-preview", Static).render())
        await pilot.press("enter")
        await pilot.pause()
    [until] = app.results
    assert until == datetime(2025, 12, 19, 9, 0, tzinfo=UTC)
    assert until.utcoffset() == timedelta(0)


async def test_snooze_refuses_the_past_and_nonsense_inline() -> None:
    app = Host(SnoozeDialog("Ana Silva", NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#until", "2020-01-01")
        assert str(app.screen.query_one("#until-preview", Static).render()) == (
            "“2020-01-01” is not in the future"
        )
        await pilot.press("enter")
        await pilot.pause()
        assert message(app.screen, "until") == "“2020-01-01” is not in the future"
        await type_into(pilot, "#until", "whenever")
        await pilot.press("enter")
        await pilot.pause()
        assert message(app.screen, "until").startswith("“whenever” is not a date I understand")
        assert app.results == []
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]
