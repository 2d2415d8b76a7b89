"""Demo data: a believable network to try netbalance on, the same for the same seed.

Sizes: small 500 contacts / 5,000 interactions, medium 5,000 / 50,000, large
20,000 / 200,000. Closer circles get more and deeper interactions; a few inner
and close contacts are overdue so the due list and the gauge have something to say.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

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
from netbalance.store import Store, codec

SIZES = {"small": (500, 5_000), "medium": (5_000, 50_000), "large": (20_000, 200_000)}

FIRST = [
    "Ana",
    "Bruno",
    "Chloé",
    "Dmitri",
    "Elena",
    "Farid",
    "Greta",
    "Hiro",
    "Ines",
    "Jonas",
    "Kavya",
    "Liam",
    "Maya",
    "Nikolai",
    "Olu",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tariq",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Amara",
    "Bilal",
    "Camila",
    "Diego",
    "Esther",
    "Finn",
    "Gabriela",
    "Hassan",
    "Ingrid",
    "Jae",
    "Kofi",
    "Lena",
    "Mateo",
    "Nadia",
    "Oscar",
    "Paula",
    "Rafael",
    "Saanvi",
    "Tomás",
    "Ulla",
    "Vera",
    "Wiktor",
    "Yara",
    "Zain",
    "Aiko",
    "Björn",
    "Carmen",
    "Dara",
    "Emeka",
    "Fatima",
]
LAST = [
    "Silva",
    "Okafor",
    "Müller",
    "Tanaka",
    "Rossi",
    "Novak",
    "Haddad",
    "Larsen",
    "Costa",
    "Nguyen",
    "Kowalski",
    "Petrov",
    "Fischer",
    "Moreau",
    "Mensah",
    "Sato",
    "Johansson",
    "García",
    "Kaur",
    "Dubois",
    "Yilmaz",
    "Andersson",
    "Romero",
    "Ivanova",
    "Cohen",
    "Ali",
    "Schmidt",
    "Bianchi",
    "Herrera",
    "Kim",
    "Osei",
    "Lindqvist",
    "Ferreira",
    "Popescu",
    "Nakamura",
    "Kovač",
    "O'Brien",
    "Duarte",
]
COMPANIES = [
    "Northwind",
    "Lumen Labs",
    "Acme Analytics",
    "Brightpath",
    "Fieldstone",
    "Helix Health",
    "Kestrel Ventures",
    "Mosaic Studio",
    "Orbital",
    "Quarry & Co",
    "Riverbank",
    "Tessellate",
    "Umbra AI",
    "Verdant Energy",
]
ROLES = [
    "Engineer",
    "Product manager",
    "Designer",
    "Founder",
    "Recruiter",
    "Data scientist",
    "CTO",
    "Investor",
    "Researcher",
    "Consultant",
    "Teacher",
    "Marketing lead",
]
TAGS = ["python", "design", "climate", "fintech", "mentor", "hiring", "ml", "community", "ops"]
EVENT_KINDS = [
    ("PyData meetup", ["python", "ml"], 3.0),
    ("Climate tech breakfast", ["climate"], 2.0),
    ("Founders' dinner", ["community"], 4.0),
    ("Design systems talk", ["design"], 2.5),
    ("Fintech conference", ["fintech"], 9.0),
    ("Mentoring circle", ["mentor"], 2.0),
    ("Hiring fair", ["hiring"], 5.0),
]
PLACES = ["Lisbon", "Online", "Berlin", "London", "Porto", "Amsterdam"]
NOTES = [
    "Talked about their new role",
    "Shared an article on team rituals",
    "Caught up over coffee",
    "Asked for advice on hiring",
    "Introduced them to a friend",
    "Quick hello after the talk",
    "Long walk, talked about what's next",
    "Sent congratulations",
]
# (circle, share of contacts or a fixed count, interactions weight)
_CIRCLE_PLAN: list[tuple[Circle, int, float]] = [
    (Circle.INNER, 5, 40.0),
    (Circle.CLOSE, 15, 14.0),
    (Circle.ACTIVE, 50, 5.0),
    (Circle.WIDER, 150, 1.6),
]


@dataclass(frozen=True)
class DemoData:
    contacts: list[Contact]
    interactions: list[Interaction]
    events: list[Event]
    goals: list[Goal]


def build_demo(size: str, seed: int, now: datetime) -> DemoData:
    """Make the demo network for `size` (small, medium, large) as of `now`."""
    n_contacts, n_interactions = SIZES[size]
    rnd = random.Random(seed)
    goals = [
        Goal(
            "Move into a product leadership role",
            id=1,
            kind=GoalKind.CAREER,
            created_at=now - timedelta(days=200),
        ),
        Goal(
            "Learn applied machine learning",
            id=2,
            kind=GoalKind.LEARNING,
            created_at=now - timedelta(days=120),
        ),
        Goal(
            "Find first customers for the side project",
            id=3,
            kind=GoalKind.BUSINESS,
            created_at=now - timedelta(days=60),
        ),
        Goal(
            "Public speaking",
            id=4,
            kind=GoalKind.OTHER,
            active=False,
            created_at=now - timedelta(days=400),
        ),
    ]
    circles: list[Circle] = []
    scale = max(1, n_contacts // 500)  # bigger networks overflow their circles a little more
    for circle, count, _w in _CIRCLE_PLAN:
        circles += [circle] * (
            count if circle in (Circle.INNER, Circle.CLOSE) else count + 5 * min(scale, 4)
        )
    circles += [Circle.ACQUAINTANCE] * max(0, n_contacts - len(circles))
    circles = circles[:n_contacts]
    weights = {c: w for c, _n, w in _CIRCLE_PLAN} | {Circle.ACQUAINTANCE: 0.5}

    contacts: list[Contact] = []
    for idx, circle in enumerate(circles, start=1):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        name = f"{first} {last}" if idx <= len(FIRST) * len(LAST) else f"{first} {last} {idx}"
        company = rnd.choice(COMPANIES)
        known_days = rnd.randint(20, 3 * 365)
        contacts.append(
            Contact(
                name=name,
                id=idx,
                circle=circle,
                emails=(
                    f"{first}.{last}.{idx}@{company.split()[0]}.example".lower().replace("'", ""),
                ),
                company=company,
                role=rnd.choice(ROLES),
                tags=tuple(rnd.sample(TAGS, rnd.randint(0, 2))),
                goal_ids=(rnd.choice((1, 2, 3)),) if rnd.random() < 0.35 else (),
                created_at=now - timedelta(days=known_days),
                how_met=rnd.choice(["", "conference", "work", "friend of a friend", "meetup"]),
            )
        )
    # Interactions: closer circles get more, spread over how long each contact is known.
    total_weight = sum(weights[c.circle] for c in contacts)
    interactions: list[Interaction] = []
    kinds = list(InteractionKind)
    for c in contacts:
        share = weights[c.circle] / total_weight
        count = round(share * n_interactions)
        known = (now - c.created_at).days
        # Some close contacts drift: their last touch is long ago (so something is due).
        drift = rnd.random() < (0.35 if c.circle in (Circle.INNER, Circle.CLOSE) else 0.15)
        newest_gap = rnd.randint(40, 200) if drift else rnd.randint(0, 30)
        for _ in range(count):
            if len(interactions) >= n_interactions:
                break
            ago = rnd.randint(newest_gap, max(newest_gap, known))
            depth = rnd.choices((1, 2, 3), weights=(3, 4, 2 if c.circle.rank <= 1 else 1))[0]
            interactions.append(
                Interaction(
                    contact_ids=(c.id,),
                    at=now - timedelta(days=ago, minutes=rnd.randint(0, 600)),
                    id=len(interactions) + 1,
                    kind=rnd.choice(kinds),
                    depth=depth,
                    initiated_by=Initiator.ME if rnd.random() < 0.6 else Initiator.THEM,
                    note=rnd.choice(NOTES) if rnd.random() < 0.5 else "",
                )
            )
    # Fill up to the exact count with acquaintance pings.
    while len(interactions) < n_interactions:
        c = contacts[rnd.randrange(len(contacts))]
        interactions.append(
            Interaction(
                contact_ids=(c.id,),
                at=now - timedelta(days=rnd.randint(1, 700)),
                id=len(interactions) + 1,
                kind=InteractionKind.MESSAGE,
                depth=1,
                initiated_by=Initiator.THEM,
            )
        )
    events = _events(rnd, now, contacts)
    # Uids from their own generator, so the network itself is the same as before uids.
    uids = random.Random(f"uids-{seed}")
    return DemoData(
        [c.edit(uid=_uid(uids)) for c in contacts],
        [i.edit(uid=_uid(uids)) for i in interactions],
        [e.edit(uid=_uid(uids)) for e in events],
        [g.edit(uid=_uid(uids)) for g in goals],
    )


def _uid(rnd: random.Random) -> str:
    """A version 4 UUID drawn from `rnd`: the same demo gets the same uids."""
    return str(uuid.UUID(int=rnd.getrandbits(128), version=4))


def _events(rnd: random.Random, now: datetime, contacts: list[Contact]) -> list[Event]:
    events: list[Event] = []
    for n in range(40):
        title, tags, hours = EVENT_KINDS[n % len(EVENT_KINDS)]
        days = rnd.randint(-300, 45) if n >= 8 else rnd.randint(1, 40)
        start = (now + timedelta(days=days)).replace(hour=18, minute=30, second=0, microsecond=0)
        if start > now:
            status = rnd.choice(
                [EventStatus.CONSIDERING, EventStatus.CONSIDERING, EventStatus.GOING]
            )
        else:
            status = rnd.choice(
                [
                    EventStatus.ATTENDED,
                    EventStatus.ATTENDED,
                    EventStatus.DECLINED,
                    EventStatus.MISSED,
                ]
            )
        met = (
            tuple(rnd.sample([c.id for c in contacts[20:]], 4))
            if status is EventStatus.ATTENDED and len(contacts) > 30
            else ()
        )
        goal = {"python": 2, "ml": 2, "fintech": 3, "community": 3, "design": 1, "hiring": 1}.get(
            tags[0]
        )
        events.append(
            Event(
                title=title,
                start=start,
                id=n + 1,
                end=start + timedelta(hours=min(hours, 3)),
                place=rnd.choice(PLACES),
                hours=hours,
                status=status,
                goal_ids=(goal,) if goal and rnd.random() < 0.7 else (),
                tags=tuple(tags),
                met_contact_ids=met,
            )
        )
    return events


def write_demo(store: Store, size: str, seed: int, now: datetime) -> DemoData:
    """Fill an empty store with the demo network in one transaction."""
    data = build_demo(size, seed, now)
    docs: dict[str, list[dict[str, Any]]] = {
        "goals": [codec.goal_to_doc(g) for g in data.goals],
        "contacts": [codec.contact_to_doc(c) for c in data.contacts],
        "events": [codec.event_to_doc(e) for e in data.events],
        "interactions": [codec.interaction_to_doc(i) for i in data.interactions],
    }
    store.load_documents(docs)
    return data
