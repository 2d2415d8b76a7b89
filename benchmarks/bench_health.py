"""Benchmark of the health model at 5,000 contacts and 50,000 interactions.

Not a test: it prints figures and never fails on time. Targets (issue 3):
due list + all strengths + gauge + signals from scratch <= 50 ms; the update
after one logged interaction <= 5 ms (incremental, not a full recompute).

    .venv/bin/python benchmarks/bench_health.py
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pendulum

from netbalance.domain import (
    Circle,
    Contact,
    Event,
    EventStatus,
    Goal,
    Initiator,
    Interaction,
    InteractionKind,
    Settings,
)
from netbalance.domain.health import NetworkModel, due_list, rank_all, tie_strength

CONTACTS = 5_000
INTERACTIONS = 50_000
EVENTS = 200
NOW = pendulum.datetime(2026, 3, 10, 18, 30, tz="Europe/Paris")


def make_network(
    seed: int = 7,
) -> tuple[list[Contact], dict[int, list[Interaction]], list[Event], list[Goal]]:
    """A seeded synthetic network: circles near Dunbar's shape, three years of history."""
    rng = random.Random(seed)
    now = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)
    goals = [Goal(f"Goal {i}", id=i + 1, active=i < 2) for i in range(3)]
    events = []
    for i in range(EVENTS):
        start = now + timedelta(days=rng.randint(-720, 60), hours=rng.randint(0, 23))
        status = EventStatus.ATTENDED if start < now else rng.choice(list(EventStatus))
        events.append(
            Event(
                f"Event {i}",
                start,
                id=i + 1,
                hours=rng.choice([1.5, 2.0, 3.0, 8.0]),
                status=status,
                goal_ids=(rng.randint(1, 3),) if rng.random() < 0.6 else (),
                tags=(rng.choice(["meetup", "conference", "dinner"]),),
                met_contact_ids=tuple(rng.sample(range(1, CONTACTS + 1), rng.randint(0, 8))),
            )
        )
    circles = [Circle.INNER] * 6 + [Circle.CLOSE] * 18 + [Circle.ACTIVE] * 60 + [Circle.WIDER] * 200
    contacts = []
    for cid in range(1, CONTACTS + 1):
        circle = circles[cid - 1] if cid <= len(circles) else Circle.ACQUAINTANCE
        contacts.append(
            Contact(
                f"Person {cid}",
                id=cid,
                circle=circle,
                cadence_days=rng.choice([None, None, None, 60]),
                created_at=now - timedelta(days=rng.randint(0, 1500)),
                goal_ids=(rng.randint(1, 3),) if rng.random() < 0.3 else (),
                snoozed_until=now + timedelta(days=5) if rng.random() < 0.02 else None,
                archived=rng.random() < 0.03,
            )
        )
    by_contact: dict[int, list[Interaction]] = defaultdict(list)
    kinds = list(InteractionKind)
    for iid in range(1, INTERACTIONS + 1):
        cid = rng.randint(1, CONTACTS)
        at = now - timedelta(minutes=rng.randint(0, 3 * 365 * 24 * 60))
        by_contact[cid].append(
            Interaction(
                (cid,),
                at,
                id=iid,
                kind=rng.choice(kinds),
                depth=rng.choice([1, 2, 2, 3]),
                initiated_by=rng.choice([Initiator.ME, Initiator.THEM]),
                minutes=rng.choice([None, 15, 30, 60]),
            )
        )
    for history in by_contact.values():
        history.sort(key=lambda i: i.at)
    return contacts, dict(by_contact), events, goals


def timed(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and best wall time of `fn` in milliseconds."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(runs), min(runs)


def main() -> None:
    contacts, by_contact, events, goals = make_network()
    settings = Settings()
    last = {cid: h[-1].at for cid, h in by_contact.items() if h}
    print(
        f"network: {len(contacts)} contacts, "
        f"{sum(len(h) for h in by_contact.values())} interactions, {len(events)} events"
    )

    def from_scratch() -> NetworkModel:
        model = NetworkModel.build(contacts, by_contact, events, goals, settings, NOW)
        model.due()
        model.strengths()
        model.gauge()
        model.signals()
        return model

    med, best = timed(from_scratch, 15)
    print(
        f"from scratch (build + due + all strengths + gauge + signals): "
        f"median {med:.1f} ms, best {best:.1f} ms   (target <= 50 ms)"
    )

    med, best = timed(lambda: due_list(contacts, last, settings, NOW), 15)
    print(
        f"due_list alone (last-interaction map only):                median {med:.1f} ms, "
        f"best {best:.1f} ms"
    )
    med, best = timed(lambda: rank_all(contacts, last, settings, NOW), 15)
    print(
        f"rank_all alone (every contact ranked):                     median {med:.1f} ms, "
        f"best {best:.1f} ms"
    )

    model = from_scratch()
    rng = random.Random(11)
    now_utc = datetime(2026, 3, 10, 17, 30, tzinfo=UTC)
    next_id = [INTERACTIONS + 1]

    def log_one() -> None:
        cid = rng.randint(1, 120)  # someone in the kept circles
        interaction = Interaction((cid,), now_utc, id=next_id[0], depth=2, minutes=20)
        next_id[0] += 1
        model.apply_interaction(interaction)
        model.due()
        model.gauge()
        model.signals()
        model.strength(cid)

    med, best = timed(log_one, 200)
    print(
        f"after one logged interaction (apply + due + gauge + signals + strength): "
        f"median {med:.2f} ms, best {best:.2f} ms   (target <= 5 ms)"
    )

    def edit_one() -> None:
        cid = rng.randint(1, CONTACTS)
        contact = next(c for c in contacts if c.id == cid)
        model.apply_contact(contact.edit(circle=Circle.CLOSE))
        model.gauge()
        model.signals()

    med, best = timed(edit_one, 100)
    print(
        f"after one edited contact (apply + gauge + signals):        median {med:.2f} ms, "
        f"best {best:.2f} ms"
    )

    sample = contacts[:500]
    med, best = timed(
        lambda: [tie_strength(c, by_contact.get(c.id, []), settings, NOW) for c in sample], 5
    )
    print(
        f"tie_strength() with explanations, 500 contacts:            median {med:.1f} ms, "
        f"best {best:.1f} ms"
    )


if __name__ == "__main__":
    main()
