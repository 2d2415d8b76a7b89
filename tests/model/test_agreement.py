"""Every answer agrees: on the demo database, `gauge --json`, the review, the due list,
today's list and every contact's figures come from the same rules and say the same."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pendulum
import pytest

from netbalance.cli import main
from netbalance.domain import Circle
from netbalance.domain.health import NetworkModel, due_item, due_list, tie_strength
from netbalance.domain.health.calendar import local_day
from netbalance.store import Store

NOW = pendulum.datetime(2026, 12, 2, 10, 0, tz="Europe/Paris")


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Paris")
    with pendulum.travel_to(NOW, freeze=True):
        yield


def cli_json(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> Any:
    code = main(["--db", str(db), *args, "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def demo(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    db = tmp_path / "demo.json"
    assert main(["--db", str(db), "demo", "--size", "small", "--seed", "3"]) == 0
    capsys.readouterr()
    with Store.open(db) as store:
        # A few snoozes (of people overdue) and closeness ratings, so those paths are
        # compared too.
        overdue = [
            i.contact_id
            for i in due_list(store.contacts(), store.last_interactions(), store.settings(), NOW)
            if i.overdue_days > 0
        ]
        for cid in overdue[1:12:3]:
            store.snooze(cid, NOW.add(days=4))
        for cid, rating in ((5, 7), (13, 2), (40, 6)):
            store.update_contact(store.contact(cid).edit(closeness=rating))
    return db


def test_gauge_review_due_and_contacts_agree_on_the_demo_database(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gauge = cli_json(demo, capsys, "gauge")
    due_all = cli_json(demo, capsys, "due", "--all")
    today = cli_json(demo, capsys, "due")
    listed = {row["id"]: row for row in cli_json(demo, capsys, "list")}
    review = cli_json(demo, capsys, "review")

    with Store.open(demo) as store:
        contacts = store.contacts()
        by_contact = store.interactions_by_contact()
        settings = store.settings()
        model = NetworkModel.build(
            contacts, by_contact, store.events(), store.goals(), settings, NOW
        )
        last = store.last_interactions()
        steps = store.next_steps()

    # The gauge is the model's report, to the last figure.
    assert gauge == json.loads(json.dumps(model.report()))
    # The review of this week shows the same gauge and reconnects with the same people.
    assert (review["gauge"]["balance"], review["gauge"]["zone"]) == (
        gauge["balance"],
        gauge["zone"],
    )
    waiting = model.overdue((Circle.INNER, Circle.CLOSE))
    assert [p["id"] for p in review["prompts"]["reconnect"]] == [i.contact_id for i in waiting[:3]]
    assert [p["overdue_days"] for p in review["prompts"]["reconnect"]] == [
        i.care_overdue_days for i in waiting[:3]
    ]
    # The due list and today's list are the model's, in the same order.
    assert [row["id"] for row in due_all["items"]] == [i.contact_id for i in model.due()]
    plan = model.today_list()
    assert today["today"] == plan.to_dict()
    assert [row["id"] for row in today["items"]] == [i.contact_id for i in plan.items]
    # The backlog the gauge counts is the one beside today's list, snoozed ones included.
    backlog = next(s for s in gauge["signals"] if s["key"] == "backlog")["figures"]
    assert backlog["overdue"] == today["today"]["overdue"]
    assert backlog["snoozed"] == today["today"]["snoozed"] == 4
    assert backlog["overdue_inner"] + backlog["overdue_close"] == today["today"]["overdue_close"]
    # The closeness gaps the gauge lists are the rated contacts the model finds apart.
    assert [g["contact_id"] for g in gauge["closeness"]["gaps"]] == [
        g.contact_id for g in model.closeness_gaps()
    ]
    assert gauge["closeness"]["rated"] == 3

    tz = NOW.tzinfo
    assert tz is not None
    today_day = local_day(NOW, tz)
    strengths = model.strengths()
    for c in contacts:
        item = model.due_item(c.id)
        assert item is not None
        # The list (last-interaction map, as the main screen reads it) and the model agree.
        fast = due_item(c, last.get(c.id), settings, today_day, tz, next_step=steps.get(c.id))
        assert fast == item, c.name
        row = listed[c.id]
        assert row["next_due"] == (None if item.next_due is None else item.next_due.isoformat())
        # The contact screen's strength (from the full history) is the model's.
        strength = tie_strength(c, by_contact.get(c.id, []), settings, NOW)
        assert strength.value == strengths[c.id] == model.strength_value(c.id), c.name
        explained = model.strength(c.id)
        assert explained is not None and explained == strength


async def test_the_app_shows_what_the_cli_says(
    demo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Same database, same moment: the main screen's zone, today's list and a contact's
    strength are what `gauge`, `due` and `show` print."""
    from textual.widgets import Static

    from netbalance.app import make_app
    from netbalance.ui.widgets.contact_list import ContactList
    from netbalance.ui.widgets.gauge import GaugeBar

    gauge = cli_json(demo, capsys, "gauge")
    today = cli_json(demo, capsys, "due")
    rated = cli_json(demo, capsys, "show", "5")  # closeness 7: the rating is not the strength
    unrated = cli_json(demo, capsys, "show", "13")

    app = make_app(demo, now=NOW)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.settle()
        await pilot.pause()
        screen = app.screen
        bar = screen.query_one(GaugeBar)
        assert (bar.zone, bar.balance) == (gauge["zone"], pytest.approx(gauge["balance"], abs=5e-4))
        assert bar.held == bool(gauge["held_by"])
        held = screen.query_one("#gauge-held", Static)
        assert held.display == bool(gauge["held_by"])
        # Today's list: the same few people, in the same order, and the same words beside it.
        title = str(screen.query_one("#today-title", Static).render())
        assert title == f"Today · {today['today']['today']} of {today['today']['due']} due"
        body = str(screen.query_one("#today-body", Static).render())
        names = [line.split(" · ")[0].removeprefix("• ") for line in body.splitlines()]
        assert names[: len(today["items"])] == [row["name"] for row in today["items"]]
        assert today["today"]["line"] in " ".join(body.split("\n"))
        # One contact's strength: the list's figure is `show`'s.
        rows = {row.contact_id: row for row in screen.query_one(ContactList).rows}
        assert rows[5].strength == rated["strength"]["value"]
        assert rows[13].strength == unrated["strength"]["value"]
