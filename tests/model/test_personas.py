"""Five networkers, built through the store: the zone, the active signals and today's list
for each, and docs/model.md showing their figures as the model computes them now."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pendulum
import pytest

from netbalance.domain import Circle
from netbalance.domain.health.review import model_as_of, week_end_moment
from netbalance.store import Store
from tests.model import personas as P


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with pendulum.travel_to(P.NOW, freeze=True):
        yield


def persona(name: str, tmp_path: Path) -> tuple[Store, P.Figures]:
    store = P.build(name, tmp_path)
    return store, P.figures(name, store)


def test_the_over_networker_is_spreading_thin(tmp_path: Path) -> None:
    store, f = persona("over-networker", tmp_path)
    assert f.zone == "spreading thin" and f.balance < -0.2
    assert f.signals == (
        "burnout",
        "surface",
        "focus",
        "backlog",
        "ignoring-existing",
        "insufficient-follow-up",
        "circle-overflow",
    )
    # The close friend waiting longest first, then the longest-waiting contacts; five a day.
    assert f.today == (
        "Olivia's friend 3",
        "Olivia's contact 60",
        "Olivia's contact 59",
        "Olivia's contact 58",
        "Olivia's contact 57",
    )
    assert f.due > 80 and len(f.today) == 5
    facts = P.model_of(store).facts()
    assert facts.new_contacts == 40 and facts.met_followed_up < facts.met_recent / 4


def test_the_deep_networker_is_deepening_with_nothing_to_warn(tmp_path: Path) -> None:
    _store, f = persona("deep networker", tmp_path)
    assert f.zone == "deepening" and f.balance > 0.6
    assert f.signals == ()
    assert f.today == ("Dana's inner 01", "Dana's close 01", "Dana's active 01")
    assert f.overdue == 0


def test_the_neglecter_is_never_told_he_is_deepening(tmp_path: Path) -> None:
    store, f = persona("neglecter", tmp_path)
    model = P.model_of(store)
    gauge = model.gauge()
    # Little pulls toward breadth, so the number is high; the zone says what waits.
    assert gauge.balance > 0.2 and f.zone == "balanced"
    assert gauge.held_by == ("backlog",)
    assert gauge.explanation.startswith("Balanced: not spread thin, but 13 close ties are waiting.")
    assert f.signals == ("backlog",)
    # Three of his inner circle are snoozed: off today's list, still in the backlog.
    assert f.today == (
        "Nate's inner 5",
        "Nate's inner 4",
        "Nate's close 8",
        "Nate's close 7",
        "Nate's close 6",
    )
    assert (f.overdue, f.snoozed) == (13, 3)
    assert [i.name for i in model.overdue([Circle.INNER])][:3] == [
        "Nate's inner 5",
        "Nate's inner 4",
        "Nate's inner 3",
    ]


def test_the_collector_imports_two_thousand_without_a_flood(tmp_path: Path) -> None:
    store = Store.in_memory()
    for k in range(5):
        c = P._add(store, f"Cole's friend {k + 1}", Circle.CLOSE, 700)
        P._history(store, c, every=21, last=5 + 6 * k, count=20)
    before = P.model_of(store)
    P.import_connections(store, tmp_path)
    assert len(store.contacts()) == 2005
    imported = P.model_of(store)
    # Importing is not networking: nobody new, no influx, no "ignoring existing" or focus.
    for model in (before, imported):
        facts = model.facts()
        assert facts.new_contacts == 0 and facts.new_unlinked == 0
        assert model.gauge().breadth.parts["influx"] == 0.0
    active = {s.key for s in imported.signals() if s.active}
    assert not active & {"ignoring-existing", "focus", "backlog"}
    assert len(imported.today_list().items) <= 5
    # Then the sorting the app offers: everyone from the list stays an acquaintance.
    P.sort_imported(store)
    f = P.figures("collector", store)
    assert f.zone == "deepening" and f.signals == ()
    assert f.today == () and f.due == 0
    circles = {c.circle for c in store.contacts() if c.source}
    assert circles == {Circle.ACQUAINTANCE}


def test_the_recovering_one_cleared_last_weeks_backlog_this_week(tmp_path: Path) -> None:
    store, f = persona("recovering", tmp_path)
    last_sunday = week_end_moment(P.NOW.date() - timedelta(days=7), P.NOW)
    then = model_as_of(
        store.contacts(),
        store.interactions_by_contact(),
        store.events(),
        store.goals(),
        store.settings(),
        last_sunday,
    )
    assert [s.key for s in then.signals() if s.active] == ["backlog"]
    assert then.gauge().zone.value != "deepening"
    assert f.signals == () and f.zone == "deepening"
    assert f.last_week is not None and f.balance > f.last_week + 0.3
    assert (f.review_done, f.review_due) == (11, 14)
    assert f.today == ("Rae's active 6", "Rae's active 5")  # one place left after four today


def test_docs_show_the_personas_figures_as_computed_now(tmp_path: Path) -> None:
    text = P.DOC.read_text(encoding="utf-8")
    shown = text.split(P.START, 1)[1].split(P.END, 1)[0].strip()
    assert shown == P.generated(tmp_path).strip(), (
        "docs/model.md is out of date: run `.venv/bin/python -m tests.model.personas`"
    )
