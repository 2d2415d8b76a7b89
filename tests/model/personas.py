"""Five networkers, built through the store as a user would build them, and their figures.

Each persona is a small story with a fixed clock (Wednesday 2 December 2026, 10:00 in
Paris). The tests in this folder assert each one's zone, active signals and the order
of today's list; `figures()` gives the numbers docs/model.md shows, and

    .venv/bin/python -m tests.model.personas

rewrites that table in docs/model.md (a test fails when the page is out of date).
"""

from __future__ import annotations

import csv
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pendulum

from netbalance.domain import (
    Circle,
    Contact,
    Event,
    EventStatus,
    Goal,
    GoalKind,
    Initiator,
    Interaction,
    InteractionKind,
)
from netbalance.domain.health import NetworkModel
from netbalance.domain.health.review import WeekReview, week_review
from netbalance.domain.rules import met_at_event_time
from netbalance.domain.selective import first_follow_up_day
from netbalance.domain.sorting import sort_after_import
from netbalance.store import Store

NOW = pendulum.datetime(2026, 12, 2, 10, 0, tz="Europe/Paris")  # a Wednesday
DOC = Path(__file__).resolve().parents[2] / "docs" / "model.md"
START, END = "<!-- personas:start -->", "<!-- personas:end -->"


def ago(days: float, hour: int = 18) -> datetime:
    """A moment `days` days before NOW, at `hour` local (UTC stored)."""
    return NOW.subtract(days=int(days)).set(hour=hour, minute=0).in_tz("UTC")


def _history(
    store: Store,
    contact: Contact,
    *,
    every: int,
    last: int,
    count: int,
    depth: int = 3,
    minutes: int | None = 60,
) -> None:
    """`count` interactions `every` days apart, the last one `last` days ago, taking turns."""
    for k in range(count):
        at = ago(last + every * (count - 1 - k))
        who = Initiator.THEM if k % 2 else Initiator.ME
        store.log_interaction(
            Interaction((contact.id,), at, depth=depth, initiated_by=who, minutes=minutes), NOW
        )


def _add(store: Store, name: str, circle: Circle, created_days_ago: int, **kw: Any) -> Contact:
    return store.add_contact(Contact(name, circle=circle, **kw), ago(created_days_ago, 9))


def _meet(
    store: Store, event: Event, names: list[str], goal_ids: tuple[int, ...] = ()
) -> list[int]:
    """'Who I met' as the app records it on the event's day: new acquaintances, a chat at
    the event with each, and a first follow-up suggested inside the model's window."""
    chat_at = met_at_event_time(event, NOW)
    capacity = store.settings().followup_capacity_per_event
    ids = []
    for index, name in enumerate(names):
        c = store.add_contact(
            Contact(name, circle=Circle.ACQUAINTANCE, met_at_event_id=event.id, goal_ids=goal_ids),
            chat_at,
        )
        step = first_follow_up_day(index, capacity, event, chat_at, known_since=c.created_at)
        store.log_interaction(
            Interaction(
                (c.id,),
                chat_at,
                kind=InteractionKind.EVENT_CHAT,
                depth=2,
                event_id=event.id,
                next_step="First follow-up",
                next_step_on=step,
            ),
            NOW,
        )
        ids.append(c.id)
    store.update_event(store.event(event.id).edit(met_contact_ids=tuple(ids)))
    return ids


# --- the five ---------------------------------------------------------------------------------


def over_networker(store: Store) -> None:
    """Olivia: an event most days, forty new people this month, the people she already
    knew left waiting, hardly a follow-up."""
    goal = store.add_goal(Goal("Find a co-founder", kind=GoalKind.BUSINESS), ago(120))
    for k in range(3):
        c = _add(store, f"Olivia's friend {k + 1}", Circle.CLOSE, 600)
        _history(store, c, every=30, last=40 + 10 * k, count=8)
    for k in range(60):
        c = _add(store, f"Olivia's contact {k + 1:02d}", Circle.ACTIVE, 600)
        _history(store, c, every=90, last=60 + 3 * k, count=3, depth=1, minutes=None)
    for n, (days, hours) in enumerate([(26, 3.0), (22, 4.0), (18, 3.0), (12, 3.0), (8, 3.0)]):
        event = store.add_event(
            Event(
                f"Mixer {n + 1}",
                ago(days, 19),
                hours=hours,
                status=EventStatus.ATTENDED,
                goal_ids=(goal.id,) if n == 0 else (),
            )
        )
        _meet(store, event, [f"Met at mixer {n + 1} #{k + 1}" for k in range(8)])
    for n, days in enumerate((-1, -2, -3, -9)):  # this week and next: going
        store.add_event(
            Event(f"Summit day {n + 1}", ago(days, 9), hours=3.0, status=EventStatus.GOING)
        )
    # Two follow-ups in a month, both with people just met.
    met = [c.id for c in store.contacts() if c.met_at_event_id is not None]
    store.log_interaction(Interaction((met[0],), ago(20)), NOW)
    store.log_interaction(Interaction((met[9],), ago(5)), NOW)


def deep_networker(store: Store) -> None:
    """Dana: a small network kept with care, deep and two-sided, few and chosen events."""
    store.save_settings(store.settings().edit(weekly_hours=8.0))
    goal = store.add_goal(Goal("Grow into a staff role", kind=GoalKind.CAREER), ago(300))
    plan = [(Circle.INNER, 4, 7, 60), (Circle.CLOSE, 9, 30, 24), (Circle.ACTIVE, 14, 90, 10)]
    for circle, count, cadence, times in plan:
        for k in range(count):
            c = _add(store, f"Dana's {circle.value} {k + 1:02d}", circle, 1200, goal_ids=(goal.id,))
            # Last touched a little inside the rhythm; the first of each circle due today.
            last = cadence if k == 0 else max(1, cadence - 1 - k)
            _history(store, c, every=cadence, last=last, count=times)
    event = store.add_event(
        Event(
            "Staff engineers' dinner",
            ago(40, 19),
            hours=3.0,
            status=EventStatus.ATTENDED,
            goal_ids=(goal.id,),
        )
    )
    met = _meet(store, event, ["Dinner guest 1", "Dinner guest 2", "Dinner guest 3"], (goal.id,))
    for cid in met:
        store.log_interaction(Interaction((cid,), ago(36), depth=3, minutes=45), NOW)
    store.add_event(
        Event(
            "Architecture reading group",
            ago(-8, 18),
            hours=2.0,
            status=EventStatus.GOING,
            goal_ids=(goal.id,),
        )
    )


def neglecter(store: Store) -> None:
    """Nate: the people closest to him have not heard from him in weeks."""
    for k in range(5):
        c = _add(store, f"Nate's inner {k + 1}", Circle.INNER, 900)
        _history(store, c, every=7, last=20 + 5 * k, count=40)
    for k in range(8):
        c = _add(store, f"Nate's close {k + 1}", Circle.CLOSE, 900)
        _history(store, c, every=30, last=45 + 4 * k, count=12)
    for k in range(12):
        c = _add(store, f"Nate's active {k + 1:02d}", Circle.ACTIVE, 900)
        _history(store, c, every=90, last=10 + 6 * k, count=6, depth=2, minutes=None)
    # He snoozed three of his inner circle: reminders later, the care no less overdue.
    for cid in (1, 2, 3):
        store.snooze(cid, ago(-5, 9))


LINKEDIN_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]


def linkedin_csv(path: Path, count: int = 2000, seed: int = 11) -> Path:
    """A Connections.csv like LinkedIn's export: `count` connections over eight years."""
    rnd = random.Random(seed)
    firsts = [
        "Ana",
        "Ben",
        "Chen",
        "Dara",
        "Eli",
        "Fatou",
        "Gus",
        "Hana",
        "Ivo",
        "Jun",
        "Kai",
        "Lena",
        "Malik",
        "Nora",
        "Omar",
        "Pia",
        "Quinn",
        "Rosa",
        "Sven",
        "Tariq",
    ]
    lasts = [
        "Silva",
        "Okafor",
        "Wang",
        "Novak",
        "Haddad",
        "Berg",
        "Costa",
        "Ito",
        "Kowalski",
        "Moreau",
        "Nakamura",
        "Osei",
        "Petrov",
        "Quist",
        "Rossi",
        "Sato",
    ]
    with path.open("w", newline="", encoding="utf-8") as f:
        f.write('Notes:\n"When exporting your connection data, you may notice..."\n\n')
        out = csv.writer(f)
        out.writerow(LINKEDIN_HEADER)
        for k in range(count):
            first, last = rnd.choice(firsts), rnd.choice(lasts)
            connected = date(2026, 11, 20) - timedelta(days=rnd.randint(20, 8 * 365))
            out.writerow(
                [
                    first,
                    f"{last} {k}",
                    f"https://www.linkedin.com/in/x{k}",
                    "",
                    f"Company {k % 97}",
                    "Engineer",
                    connected.strftime("%d %b %Y"),
                ]
            )
    return path


def collector(store: Store, workdir: Path) -> None:
    """Cole: five real friends, kept; then 2,000 LinkedIn connections through the importer,
    sorted into circles as the app offers right after (most stay acquaintances)."""
    for k in range(5):
        c = _add(store, f"Cole's friend {k + 1}", Circle.CLOSE, 700)
        _history(store, c, every=21, last=5 + 6 * k, count=20)
    import_connections(store, workdir)
    sort_imported(store)


def import_connections(store: Store, workdir: Path) -> None:
    """The real LinkedIn importer on a generated Connections.csv (preview, then one write)."""
    from netbalance.interop import apply_import, preview_import

    path = linkedin_csv(workdir / "Connections.csv")
    plan = preview_import("linkedin", path, store, NOW)
    apply_import(store, plan)


def sort_imported(store: Store) -> None:
    """Apply the sorting the app offers after an import, in one write."""
    imported = [c for c in store.contacts() if c.source]
    suggestions = sort_after_import(imported, store.interactions_by_contact(), NOW)
    by_id = {c.id: c for c in imported}
    changed = [
        by_id[s.contact_id].edit(circle=s.circle)
        for s in suggestions
        if by_id[s.contact_id].circle is not s.circle
    ]
    if changed:
        store.import_batch(update_contacts=changed, description="sort imported people")


def recovering(store: Store) -> None:
    """Rae: a backlog of a dozen last week; this week's follow-ups cleared most of it."""
    plan = [(Circle.INNER, 3, 7), (Circle.CLOSE, 5, 30), (Circle.ACTIVE, 6, 90)]
    contacts: list[tuple[Contact, int]] = []
    for circle, count, cadence in plan:
        for k in range(count):
            c = _add(store, f"Rae's {circle.value} {k + 1}", circle, 800)
            # As of last Sunday, each was late by 3 to 25 days.
            late = 3 + 2 * k + (4 if circle is Circle.ACTIVE else 0)
            _history(store, c, every=cadence, last=cadence + late + 3, count=8, depth=2)
            contacts.append((c, cadence))
    # Monday to this morning: a follow-up with all but three of the active ones.
    waiting = {c.id for c, _ in contacts[-3:]}
    for n, (c, _cadence) in enumerate(contacts):
        if c.id not in waiting:
            at = ago(2 - n % 3, 9 + n % 8)
            store.log_interaction(Interaction((c.id,), min(at, NOW.in_tz("UTC")), depth=2), NOW)


PERSONAS: dict[str, Callable[..., None]] = {
    "over-networker": over_networker,
    "deep networker": deep_networker,
    "neglecter": neglecter,
    "collector": collector,
    "recovering": recovering,
}


# --- figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """What the model says of one persona today."""

    name: str
    contacts: int
    balance: float
    zone: str
    depth: float
    breadth: float
    signals: tuple[str, ...]
    today: tuple[str, ...]
    due: int
    overdue: int
    snoozed: int
    review_due: int
    review_done: int
    last_week: float | None


def build(name: str, workdir: Path) -> Store:
    """A fresh in-memory store holding persona `name`."""
    store = Store.in_memory()
    maker = PERSONAS[name]
    if name == "collector":
        maker(store, workdir)
    else:
        maker(store)
    return store


def model_of(store: Store) -> NetworkModel:
    return NetworkModel.build(
        store.contacts(),
        store.interactions_by_contact(),
        store.events(),
        store.goals(),
        store.settings(),
        NOW,
        oldest_first=True,
    )


def review_of(store: Store) -> WeekReview:
    return week_review(
        NOW.date(),
        store.contacts(),
        store.interactions_by_contact(),
        store.events(),
        store.goals(),
        store.settings(),
        store.snapshots(),
        NOW,
    )


def figures(name: str, store: Store) -> Figures:
    model = model_of(store)
    gauge = model.gauge()
    today = model.today_list()
    review = review_of(store)
    names = {c.id: c.name for c in store.contacts()}
    trend = review.trend
    return Figures(
        name=name,
        contacts=len(names),
        balance=round(gauge.balance, 3),
        zone=gauge.zone.value,
        depth=round(gauge.depth.score, 3),
        breadth=round(gauge.breadth.score, 3),
        signals=tuple(s.key for s in model.signals() if s.active),
        today=tuple(names[i.contact_id] for i in today.items),
        due=today.due,
        overdue=today.overdue,
        snoozed=today.snoozed,
        review_due=review.followups_due,
        review_done=review.followups_done,
        last_week=trend[-2].balance if len(trend) >= 2 else None,
    )


def table(all_figures: list[Figures]) -> str:
    """The markdown table docs/model.md shows (generated, never typed by hand)."""
    rows = [
        "| persona | contacts | balance | zone | depth | breadth | active signals | "
        "due / on today's list | past care (snoozed) | this week's follow-ups | last week |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for f in all_figures:
        last = "—" if f.last_week is None else f"{f.last_week:+.3f}"
        rows.append(
            f"| {f.name} | {f.contacts:,} | {f.balance:+.3f} | {f.zone} | {f.depth:.3f} | "
            f"{f.breadth:.3f} | {', '.join(f.signals) or 'none'} | {f.due} / {len(f.today)} | "
            f"{f.overdue} ({f.snoozed}) | {f.review_done} of {f.review_due} | {last} |"
        )
    rows.append("")
    rows.append("Today's list, in order:")
    rows.append("")
    for f in all_figures:
        rows.append(f"- {f.name}: {', '.join(f.today) or 'nobody'}")
    return "\n".join(rows)


def generated(workdir: Path) -> str:
    with pendulum.travel_to(NOW, freeze=True):
        return table([figures(name, build(name, workdir)) for name in PERSONAS])


def write_doc(workdir: Path) -> None:
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _old, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{generated(workdir)}\n{END}{tail}", encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - regenerates docs/model.md
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_doc(Path(tmp))
    sys.stdout.write(f"updated {DOC}\n")
