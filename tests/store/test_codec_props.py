"""Property tests: every valid domain object survives to_doc -> from_doc unchanged."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from netbalance.domain import (
    Birthday,
    Circle,
    Contact,
    Event,
    EventStatus,
    Goal,
    GoalKind,
    Initiator,
    Interaction,
    InteractionKind,
    Settings,
    Thresholds,
)
from netbalance.domain.text import clean_line
from netbalance.store import codec

# Stored times have whole seconds in UTC; the strategy generates exactly those.
times = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
).map(lambda t: t.replace(microsecond=0))
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
# A name must hold something besides control characters, which the records clean away.
name = text.filter(lambda s: 0 < len(" ".join(clean_line(s).split())) <= 200)
words = st.lists(st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12), max_size=4)
ids = st.lists(st.integers(1, 10**6), max_size=4).map(tuple)
emails = st.lists(st.from_regex(r"[a-z0-9.]{1,10}@[a-z]{1,8}\.example", fullmatch=True), max_size=3)


@st.composite
def birthdays(draw: st.DrawFn) -> Birthday:
    d = draw(st.dates(min_value=date(1904, 1, 1), max_value=date(2030, 12, 31)))
    return Birthday(d.month, d.day, draw(st.none() | st.just(d.year)))


contacts = st.builds(
    Contact,
    name=name,
    id=st.integers(1, 10**6),
    circle=st.sampled_from(Circle),
    cadence_days=st.none() | st.integers(1, 3660),
    emails=emails.map(tuple),
    phones=words.map(tuple),
    company=text,
    role=text,
    links=words.map(tuple),
    tags=words.map(tuple),
    goal_ids=ids,
    met_at_event_id=st.none() | st.integers(1, 1000),
    how_met=text,
    birthday=st.none() | birthdays(),
    notes=text,
    archived=st.booleans(),
    snoozed_until=st.none() | times,
    created_at=times,
    source=text,
    uid=text,
    aliases=words.map(tuple),
    name_parts=st.lists(text, max_size=5).map(tuple),
    closeness=st.none() | st.integers(1, 7),
)

interactions = st.builds(
    Interaction,
    contact_ids=st.lists(st.integers(1, 10**6), min_size=1, max_size=5).map(tuple),
    at=times,
    id=st.integers(1, 10**6),
    kind=st.sampled_from(InteractionKind),
    depth=st.sampled_from((1, 2, 3)),
    initiated_by=st.sampled_from(Initiator),
    minutes=st.none() | st.integers(1, 1440),
    note=text,
    next_step=text,
    next_step_on=st.none() | st.dates(),
    event_id=st.none() | st.integers(1, 1000),
    uid=text,
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    start = draw(times)
    length = draw(st.none() | st.integers(1, 10**6))
    return Event(
        title=draw(name),
        start=start,
        id=draw(st.integers(1, 10**6)),
        end=start + timedelta(seconds=length) if length else None,
        place=draw(text),
        link=draw(text),
        hours=draw(st.none() | st.floats(0, 336)),
        status=draw(st.sampled_from(EventStatus)),
        goal_ids=draw(ids),
        tags=tuple(draw(words)),
        notes=draw(text),
        met_contact_ids=draw(ids),
        uid=draw(text),
    )


goals = st.builds(
    Goal,
    title=name,
    id=st.integers(1, 10**6),
    kind=st.sampled_from(GoalKind),
    active=st.booleans(),
    target_date=st.none() | st.dates(),
    notes=text,
    created_at=times,
    uid=text,
)

cadences = st.dictionaries(st.sampled_from(Circle), st.none() | st.integers(1, 3660))
capacities = st.dictionaries(st.sampled_from(Circle), st.none() | st.integers(1, 100_000))
settings_objects = st.builds(
    Settings,
    weekly_hours=st.floats(0, 80),
    events_per_month=st.integers(0, 60),
    followup_capacity_per_event=st.integers(1, 100),
    cadence=cadences,
    capacity=capacities,
    thresholds=st.builds(
        Thresholds, upcoming_days=st.integers(0, 60), weak_tie_strength=st.integers(0, 100)
    ),
)


def through_json(doc: dict[str, object]) -> dict[str, object]:
    """What the file gives back: the document as orjson writes and reads it."""
    return orjson.loads(orjson.dumps(doc))  # type: ignore[no-any-return]


@settings(max_examples=150, deadline=None)
@given(contacts)
def test_contact_round_trip(c: Contact) -> None:
    assert codec.contact_from_doc(c.id, through_json(codec.contact_to_doc(c))) == c


@settings(max_examples=150, deadline=None)
@given(interactions)
def test_interaction_round_trip(i: Interaction) -> None:
    assert codec.interaction_from_doc(i.id, through_json(codec.interaction_to_doc(i))) == i


@settings(max_examples=150, deadline=None)
@given(events())
def test_event_round_trip(e: Event) -> None:
    assert codec.event_from_doc(e.id, through_json(codec.event_to_doc(e))) == e


@settings(max_examples=100, deadline=None)
@given(goals)
def test_goal_round_trip(g: Goal) -> None:
    assert codec.goal_from_doc(g.id, through_json(codec.goal_to_doc(g))) == g


@settings(max_examples=100, deadline=None)
@given(settings_objects)
def test_settings_round_trip(s: Settings) -> None:
    assert codec.settings_from_doc(through_json(codec.settings_to_doc(s))) == s
