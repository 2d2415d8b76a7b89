"""Weekly figures for the review: what happened, and how the gauge stood.

The store keeps one snapshot per week (Monday start) so trends can be drawn
later; this module computes that snapshot from the records.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from netbalance.domain.health.calendar import (
    COMMITTED,
    local_day,
    start_of_day,
    week_start,
    zone_of,
)
from netbalance.domain.health.gauge import Gauge
from netbalance.domain.model import Contact, Event, EventStatus, Interaction, WeeklySnapshot


def weekly_figures(
    week: date,
    contacts: Iterable[Contact],
    interactions: Iterable[Interaction],
    events: Iterable[Event],
    now: datetime,
    gauge: Gauge | None = None,
) -> WeeklySnapshot:
    """The snapshot of the week containing `week` (its Monday is the key).

    `interactions` lists each interaction once (a group interaction is one).
    `gauge` is the gauge to record for the week, usually today's for the
    current week; without one, balance is 0 and the zone empty. Extra numbers
    go into `figures` (names documented in docs/model.md).
    """
    tz = zone_of(now)
    monday = week_start(week)
    start = start_of_day(monday, tz)
    end = start_of_day(monday + timedelta(days=7), tz)
    new_ids: set[int] = set()
    new_count = 0
    for c in contacts:
        if start <= c.created_at < end:
            new_count += 1
            new_ids.add(c.id)
    count = minutes = deep = existing = 0
    people: set[int] = set()
    seen: set[object] = set()
    for i in interactions:
        if not start <= i.at < end:
            continue
        key = ("id", i.id) if i.id else ("obj", id(i))
        if key in seen:
            continue
        seen.add(key)
        count += 1
        if i.minutes and i.event_id is None:
            minutes += i.minutes
        if i.depth == 3:
            deep += 1
        people.update(i.contact_ids)
        if any(cid not in new_ids for cid in i.contact_ids):
            existing += 1
    event_count = attended = met = 0
    hours = 0.0
    for e in events:
        if e.status not in COMMITTED or not monday <= local_day(e.start, tz) < monday + timedelta(
            days=7
        ):
            continue
        event_count += 1
        hours += e.cost_hours
        if e.status is EventStatus.ATTENDED:
            attended += 1
            met += len(e.met_contact_ids)
    figures: dict[str, float] = {
        "interaction_minutes": float(minutes),
        "networking_hours": round(hours + minutes / 60, 2),
        "deep_interactions": float(deep),
        "people_touched": float(len(people)),
        "followups_existing": float(existing),
        "events_attended": float(attended),
        "people_met": float(met),
    }
    if gauge is not None:
        figures["depth"] = round(gauge.depth.score, 3)
        figures["breadth"] = round(gauge.breadth.score, 3)
    return WeeklySnapshot(
        week_start=monday,
        interactions=count,
        new_contacts=new_count,
        events=event_count,
        event_hours=round(hours, 2),
        balance=0.0 if gauge is None else round(gauge.balance, 3),
        zone="" if gauge is None else gauge.zone.value,
        figures=figures,
    )


def week_of(now: datetime) -> date:
    """The Monday of the user's current week."""
    return week_start(local_day(now, zone_of(now)))
