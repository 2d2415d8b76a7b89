"""Property tests of the budget arithmetic: weeks, months and time zones.

An event counts against the week (Monday to Sunday) and the month of its
local start day, in the user's zone: an event at 23:30 on a Sunday belongs to
that Sunday's week, even when it is already Monday in UTC. The health model,
triage, the weekly figures and the budget check must all agree on that.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pendulum
from hypothesis import given, settings
from hypothesis import strategies as st

from netbalance.domain import Contact, Event, EventStatus, Interaction, Settings
from netbalance.domain.health import NetworkModel, triage, week_of, weekly_figures
from netbalance.domain.health.budget import budget_if_going
from netbalance.domain.health.calendar import committed_load, local_day, month_start, week_start

# Far east and far west of UTC, half-hour offsets, and zones with DST on either hemisphere.
ZONES = [
    "UTC",
    "Europe/Lisbon",
    "America/New_York",
    "America/Los_Angeles",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "America/Sao_Paulo",
    "Asia/Kathmandu",
]

zones = st.sampled_from(ZONES).map(ZoneInfo)
days = st.dates(min_value=date(2001, 1, 1), max_value=date(2040, 12, 31))
times = st.times()
hours = st.sampled_from([0.5, 1.0, 1.5, 2.0, 3.0, 4.5, 8.0])
committed = st.sampled_from([EventStatus.GOING, EventStatus.ATTENDED])
any_status = st.sampled_from(list(EventStatus))


def at_local(day: date, clock: time, tz: ZoneInfo) -> datetime:
    """A stored (UTC) time for a local wall-clock time."""
    return datetime.combine(day, clock, tzinfo=tz).astimezone(UTC)


def sunday_of(day: date) -> date:
    return week_start(day) + timedelta(days=6)


@given(tz=zones, day=days, clock=times, h=hours, status=committed)
def test_an_event_counts_in_the_week_and_month_of_its_local_day(
    tz: ZoneInfo, day: date, clock: time, h: float, status: EventStatus
) -> None:
    start = at_local(day, clock, tz)
    local = local_day(start, tz)
    event = Event("Meetup", start, id=1, hours=h, status=status)
    hours_week, count_month = committed_load(local, [event], tz)
    assert (hours_week, count_month) == (h, 1)
    # Not the week before or after, nor the month before or after.
    assert committed_load(local - timedelta(days=7), [event], tz)[0] == 0
    assert committed_load(local + timedelta(days=7), [event], tz)[0] == 0
    assert committed_load(month_start(local) - timedelta(days=1), [event], tz)[1] == 0
    next_month = (month_start(local) + timedelta(days=32)).replace(day=1)
    assert committed_load(next_month, [event], tz)[1] == 0
    # Every day of its week sees it.
    for offset in range(7):
        assert committed_load(week_start(local) + timedelta(days=offset), [event], tz)[0] == h


@given(tz=zones, day=days, h=hours)
def test_sunday_2330_local_belongs_to_that_week(tz: ZoneInfo, day: date, h: float) -> None:
    sunday = sunday_of(day)
    start = at_local(sunday, time(23, 30), tz)
    monday = sunday - timedelta(days=6)
    event = Event("Late dinner", start, id=1, hours=h, status=EventStatus.ATTENDED)
    now = datetime.combine(sunday + timedelta(days=30), time(12), tzinfo=tz)
    this_week = weekly_figures(monday, [], [], [event], now)
    next_week = weekly_figures(monday + timedelta(days=7), [], [], [event], now)
    assert (this_week.events, this_week.event_hours) == (1, h)
    assert (next_week.events, next_week.event_hours) == (0, 0.0)
    check = budget_if_going(event, [event], Settings(), now)
    assert check.week_start == monday
    assert check.month_start == sunday.replace(day=1)
    assert check.week_hours == h


@given(tz=zones, day=days, clock=times)
def test_an_interaction_late_on_sunday_counts_in_that_week(
    tz: ZoneInfo, day: date, clock: time
) -> None:
    sunday = sunday_of(day)
    at = at_local(sunday, clock, tz)
    monday = sunday - timedelta(days=6)
    interaction = Interaction((1,), at, id=1, minutes=30)
    now = datetime.combine(sunday + timedelta(days=1), time(12), tzinfo=tz)
    assert weekly_figures(monday, [], [interaction], [], now).interactions == 1
    assert weekly_figures(monday + timedelta(days=7), [], [interaction], [], now).interactions == 0


@given(
    tz=zones,
    first=days,
    spec=st.lists(
        st.tuples(st.integers(0, 120), times, hours, any_status), min_size=1, max_size=25
    ),
)
@settings(max_examples=60)
def test_weeks_and_months_partition_the_committed_events(
    tz: ZoneInfo, first: date, spec: list[tuple[int, time, float, EventStatus]]
) -> None:
    events = [
        Event(f"e{n}", at_local(first + timedelta(days=d), clock, tz), id=n + 1, hours=h, status=s)
        for n, (d, clock, h, s) in enumerate(spec)
    ]
    kept = [e for e in events if e.status in (EventStatus.GOING, EventStatus.ATTENDED)]
    local_days = {local_day(e.start, tz) for e in events}
    weeks = {week_start(d) for d in local_days}
    months = {month_start(d) for d in local_days}
    assert round(sum(committed_load(w, events, tz)[0] for w in weeks), 6) == round(
        sum(e.cost_hours for e in kept), 6
    )
    assert sum(committed_load(m, events, tz)[1] for m in months) == len(kept)
    # weekly_figures agrees week by week.
    now = datetime.combine(first + timedelta(days=200), time(12), tzinfo=tz)
    for w in weeks:
        snap = weekly_figures(w, [], [], events, now)
        assert snap.event_hours == committed_load(w, events, tz)[0]


@given(
    tz=zones,
    today=days,
    clock=times,
    spec=st.lists(st.tuples(st.integers(-40, 40), times, hours, committed), max_size=15),
)
@settings(max_examples=60)
def test_the_model_the_budget_check_and_triage_agree(
    tz: ZoneInfo, today: date, clock: time, spec: list[tuple[int, time, float, EventStatus]]
) -> None:
    now = datetime.combine(today, clock, tzinfo=tz)
    events = [
        Event(f"e{n}", at_local(today + timedelta(days=d), c, tz), id=n + 1, hours=h, status=s)
        for n, (d, c, h, s) in enumerate(spec)
    ]
    model = NetworkModel.build([Contact("A", id=1)], {}, events, [], Settings(), now)
    facts = model.facts()
    hours_week, count_month = committed_load(local_day(now, tz), events, tz)
    assert round(facts.event_hours_week, 6) == round(hours_week, 6)
    assert facts.events_month == count_month
    assert week_of(now) == week_start(today)
    # A new event considered today: the check and triage count the same load.
    candidate = Event("New", now, id=999, hours=1.0)
    check = budget_if_going(candidate, events, Settings(), now)
    t = triage(candidate, events, [], Settings(), now)
    assert round(check.week_hours, 6) == round(float(t.figures["week_hours"]), 6)
    assert check.month_events == t.figures["month_events"]
    assert check.week_hours == round(hours_week + 1.0, 2)


@given(day=days, h=hours)
def test_pendulum_zones_agree_with_zoneinfo(day: date, h: float) -> None:
    # The app's clock is pendulum's; its zones must split weeks the same way.
    sunday = sunday_of(day)
    for name in ("Europe/Lisbon", "Pacific/Kiritimati", "America/Los_Angeles"):
        pz = pendulum.timezone(name)
        start = pendulum.datetime(sunday.year, sunday.month, sunday.day, 23, 30, tz=name)
        event = Event("x", start.in_tz("UTC"), id=1, hours=h, status=EventStatus.GOING)
        assert committed_load(sunday, [event], pz)[0] == h
        assert committed_load(sunday + timedelta(days=1), [event], pz)[0] == 0


@given(tz=zones, day=days, h=hours)
def test_going_twice_counts_once(tz: ZoneInfo, day: date, h: float) -> None:
    start = at_local(day, time(19), tz)
    event = Event("Talk", start, id=5, hours=h, status=EventStatus.GOING)
    now = datetime.combine(day, time(8), tzinfo=tz)
    check = budget_if_going(event, [event], Settings(), now)
    assert (check.week_hours, check.month_events) == (h, 1)


def test_over_budget_is_said_plainly() -> None:
    tz = ZoneInfo("Europe/Lisbon")
    now = datetime(2026, 11, 23, 9, tzinfo=tz)
    busy = [
        Event(f"e{n}", at_local(date(2026, 11, 24), time(18), tz), id=n + 1, hours=2.0,
              status=EventStatus.GOING)
        for n in range(2)
    ]  # fmt: skip
    check = budget_if_going(Event("One more", now, id=9, hours=2.0), busy, Settings(), now)
    assert check.week_over and not check.month_over
    assert check.message().startswith("Over your budget: 6 of 5 hours")
