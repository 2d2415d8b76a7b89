"""Planning subcommands: events, goals and the weekly review.

`events` lists, `event add|status` plans, `goal add|list|retire` keeps the
reasons to network, `review` looks back at a week. Going to an event that
would stretch the week's or the month's budget is said on stderr; the status
still changes (scripts decide for themselves).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta
from typing import Any

from netbalance.cli.common import EXIT_OK, CliError, Context, print_json, write
from netbalance.domain import DomainError, Event, EventStatus, Goal, GoalKind
from netbalance.domain.birthdays import SOON_DAYS
from netbalance.domain.dates import parse_day
from netbalance.domain.model import STATUS_ALIASES, parse_enum, parse_status
from netbalance.domain.rules import check_event_status
from netbalance.store import Store

# The words `event status` takes: the statuses' own words and their aliases (the domain's one set).
STATUS_WORDS = ", ".join(s.label for s in EventStatus) + " (also " + ", ".join(STATUS_ALIASES) + ")"


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the planning subcommands."""
    p = sub.add_parser(
        "events",
        help="list events, past and upcoming",
        description="List events. --from and --to read dates the same way: a bare duration "
        "counts forward from today (2w = in two weeks); say '2w ago' (or -2w) for the past.",
    )
    p.add_argument(
        "--from",
        dest="since",
        metavar="DATE",
        help="from this day (today, 2w ago, --from=-1m, ISO)",
    )
    p.add_argument(
        "--to", dest="until", metavar="DATE", help="up to this day, inclusive (2w, next friday)"
    )
    p.add_argument("--status", help=STATUS_WORDS + "; comma separated")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_events)

    event = sub.add_parser("event", help="add an event or change its status")
    event_sub = event.add_subparsers(dest="event_command", metavar="ACTION", required=True)
    p = event_sub.add_parser("add", help="add an event you are considering")
    p.add_argument("title")
    p.add_argument("--when", required=True, help="start: next friday 18:00, 2026-12-03T18:30, 3d")
    p.add_argument("--end", help="end: a time or date, or a length after the start (2h)")
    p.add_argument("--hours", help="hours it costs, travel included (default: its length, or 2)")
    p.add_argument("--goal", action="append", default=[], metavar="GOAL",
                   help="a goal it serves: id or part of the title (repeatable)")  # fmt: skip
    p.add_argument("--place", default="")
    p.add_argument("--link", default="")
    p.add_argument("--tag", action="append", default=[])
    p.add_argument("--notes", default="")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_event_add)

    p = event_sub.add_parser(
        "status",
        help="considering, going, declined, attended or missed",
        description="Set an event's status. A title shared by a series of events means the "
        "next one to come, or for attended and missed the last one that has started.",
    )
    p.add_argument("event", metavar="TITLE-OR-ID")
    p.add_argument("status", help=STATUS_WORDS)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_event_status)

    goal = sub.add_parser("goal", help="add, list or retire goals")
    goal_sub = goal.add_subparsers(dest="goal_command", metavar="ACTION", required=True)
    p = goal_sub.add_parser("add", help="add a goal")
    p.add_argument("title")
    p.add_argument("--kind", default="other", help=", ".join(k.value for k in GoalKind))
    p.add_argument("--target", metavar="DATE", help="a target date (ISO, 3m, 31 dec)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_goal_add)

    p = goal_sub.add_parser("list", help="active goals (--all: retired ones too)")
    p.add_argument("--all", action="store_true")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_goal_list)

    p = goal_sub.add_parser("retire", help="set a goal aside (links to it stay)")
    p.add_argument("goal", metavar="TITLE-OR-ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_goal_retire)

    p = sub.add_parser("review", help="the weekly review: what happened, what paid off, the trend")
    p.add_argument("--week", metavar="DATE", help="any day of the week (default: this week)")
    p.add_argument("--note", help="save this reflection as the week's note")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_review)


# --- shared -------------------------------------------------------------------------------


def _local(at: datetime, now: datetime) -> str:
    local = at.astimezone(now.tzinfo)
    return f"{local:%a} {local.day:>2} {local:%b %Y %H:%M}"


def _day(field: str, text: str, now: datetime, *, past: bool = False) -> date:
    try:
        return parse_day(text, now, past=past)
    except DomainError as err:
        raise CliError(f"{field}: {err.reason} (got {text!r})") from err


def event_json(event: Event, goals: dict[int, Goal]) -> dict[str, Any]:
    """The stable JSON shape of an event."""
    return {
        "id": event.id,
        "title": event.title,
        "start": event.start.isoformat(),
        "end": event.end.isoformat() if event.end else None,
        "hours": event.cost_hours,
        "status": event.status.value,
        "place": event.place,
        "link": event.link,
        "tags": list(event.tags),
        "goals": [
            {"id": g, "title": goals[g].title if g in goals else None} for g in event.goal_ids
        ],
        "met_contact_ids": list(event.met_contact_ids),
    }


def goal_json(goal: Goal, store: Store) -> dict[str, Any]:
    """The stable JSON shape of a goal, with how many contacts and events serve it."""
    contacts = sum(1 for c in store.contacts() if goal.id in c.goal_ids)
    events = sum(1 for e in store.events() if goal.id in e.goal_ids)
    return {
        "id": goal.id,
        "title": goal.title,
        "kind": goal.kind.value,
        "active": goal.active,
        "target_date": goal.target_date.isoformat() if goal.target_date else None,
        "created_at": goal.created_at.isoformat(),
        "contacts": contacts,
        "events": events,
    }


def resolve_event(store: Store, text: str, now: datetime, *, started: bool = False) -> Event:
    """TITLE-OR-ID, as the one resolver reads it (a series: the occurrence meant)."""
    from netbalance.cli import resolve

    return resolve.event(store, text, now, started=started)


def resolve_goal(store: Store, text: str, *, active_only: bool = False) -> Goal:
    """TITLE-OR-ID: a goal id, or a title as the one resolver reads it."""
    from netbalance.cli import resolve

    return resolve.goal(store, text, active_only=active_only)


# --- events --------------------------------------------------------------------------------


def cmd_events(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.domain.health import triage_upcoming
    from netbalance.domain.health.calendar import local_day

    now = ctx.now
    # Both ends read dates the same way: a bare duration counts forward ("2w" is in two
    # weeks, for --from as for --to); "2w ago" or "-2w" say the past.
    since = _day("from", args.since, now) if args.since else None
    until = _day("to", args.until, now) if args.until else None
    if since and until and until < since:
        raise CliError(f"to: {args.until!r} is before --from {args.since!r}")
    statuses: set[EventStatus] | None = None
    if args.status:
        try:
            statuses = {parse_status(s) for s in args.status.split(",") if s.strip()}
        except DomainError as err:
            raise CliError(str(err)) from err
    store = ctx.store()
    tz = now.tzinfo
    assert tz is not None
    found = [
        e
        for e in store.events()
        if (since is None or local_day(e.start, tz) >= since)
        and (until is None or local_day(e.start, tz) <= until)
        and (statuses is None or e.status in statuses)
    ]
    goals = {g.id: g for g in store.goals()}
    triages = {
        t.event_id: t
        for t in triage_upcoming(
            store.events(), list(goals.values()), store.settings(), now,
            store.interactions_by_contact(),
        )
    }  # fmt: skip
    if args.json:
        rows = []
        for e in found:
            row = event_json(e, goals)
            t = triages.get(e.id)
            row["triage"] = t.to_dict() if t is not None else None
            rows.append(row)
        print_json(rows)
        return EXIT_OK
    if not found:
        print("No events match." if (since or until or statuses) else "No events yet.")
        return EXIT_OK
    for e in found:
        t = triages.get(e.id)
        hint = f"  [{t.recommendation.value}]" if t is not None else ""
        print(
            f"{e.id:>5}  {_local(e.start, now)}  {e.status.value:<11} "
            f"{e.cost_hours:>4g} h  {e.title}{hint}"
        )
    return EXIT_OK


def cmd_event_add(args: argparse.Namespace, ctx: Context) -> int:
    now = ctx.now
    # The same reading of times as the event form: "next thursday 18:30", "3h", "21:00".
    from netbalance.domain.selective import parse_event_end, parse_event_when

    try:
        start = parse_event_when(args.when, now)
    except DomainError as err:
        raise CliError(f"when: {err.reason} (got {args.when!r})") from err
    end: datetime | None = None
    if args.end:
        try:
            end = parse_event_end(args.end, start, now)
        except DomainError as err:
            raise CliError(f"end: {err.reason} (got {args.end!r})") from err
    hours: float | None = None
    if args.hours is not None:
        try:
            hours = float(args.hours)
        except ValueError:
            raise CliError(f"hours: {args.hours!r} is not a number") from None
        if hours != hours:
            raise CliError(f"hours: {args.hours!r} is not a number")
    store = ctx.store()
    goal_ids = tuple(dict.fromkeys(resolve_goal(store, g).id for g in args.goal))
    try:
        event = Event(
            title=args.title,
            start=start,
            end=end,
            hours=hours,
            place=args.place,
            link=args.link,
            tags=tuple(args.tag),
            notes=args.notes,
            goal_ids=goal_ids,
        )
    except DomainError as err:
        raise CliError(str(err)) from err
    added: Event = write(store.add_event, event)
    goals = {g.id: g for g in store.goals()}
    if args.json:
        print_json(event_json(added, goals))
    else:
        print(f"Added {added.title} (id {added.id}) on {_local(added.start, now)}, considering")
    return EXIT_OK


def cmd_event_status(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.domain.health.budget import budget_if_going

    try:
        status = parse_status(args.status)
    except DomainError as err:
        raise CliError(str(err)) from err
    store = ctx.store()
    started = status in (EventStatus.ATTENDED, EventStatus.MISSED)
    event = resolve_event(store, args.event, ctx.now, started=started)
    try:
        # Attended or missed only once it has started (the rule the app calls too).
        check_event_status(event, status, ctx.now)
    except DomainError as err:
        raise CliError(str(err)) from err
    check = None
    if status is EventStatus.GOING:
        check = budget_if_going(event, store.events(), store.settings(), ctx.now)
        if check.over:
            print(f"netbalance: note: {check.message()}", file=sys.stderr)
    changed: Event = (
        event if event.status is status else write(store.set_event_status, event.id, status)
    )
    if args.json:
        row = event_json(changed, {g.id: g for g in store.goals()})
        row["budget"] = check.to_dict() if check is not None else None
        print_json(row)
    else:
        same = " (unchanged)" if event.status is status else ""
        print(f"{changed.title} ({_local(changed.start, ctx.now)}): {status.label}{same}")
    return EXIT_OK


# --- goals ---------------------------------------------------------------------------------


def cmd_goal_add(args: argparse.Namespace, ctx: Context) -> int:
    try:
        kind = parse_enum(GoalKind, "kind", args.kind)
    except DomainError as err:
        raise CliError(str(err)) from err
    target = _day("target", args.target, ctx.now) if args.target else None
    try:
        goal = Goal(title=args.title, kind=kind, target_date=target)
    except DomainError as err:
        raise CliError(str(err)) from err
    store = ctx.store()
    clash = [g for g in store.goals() if g.title.casefold() == goal.title.casefold()]
    added: Goal = write(store.add_goal, goal, ctx.now)
    if args.json:
        print_json(goal_json(added, store))
    else:
        by = f", by {target:%d %b %Y}" if target else ""
        print(f"Added goal {added.title} (id {added.id}, {kind.value}{by})")
        if clash:
            print(f"Note: another goal is also called {added.title} (id {clash[0].id})")
    return EXIT_OK


def cmd_goal_list(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    goals = store.goals(include_retired=args.all)
    if args.json:
        print_json([goal_json(g, store) for g in goals])
        return EXIT_OK
    if not goals:
        print("No goals yet: try `netbalance goal add TITLE --kind career`.")
        return EXIT_OK
    for g in goals:
        info = goal_json(g, store)
        mark = "" if g.active else "  (retired)"
        by = f"  by {g.target_date:%d %b %Y}" if g.target_date else ""
        print(
            f"{g.id:>5}  {g.kind.value:<9} {g.title}{by}  · "
            f"{info['contacts']} contacts, {info['events']} events{mark}"
        )
    return EXIT_OK


def cmd_goal_retire(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    goal = resolve_goal(store, args.goal)
    retired: Goal = goal if not goal.active else write(store.edit_goal, goal.id, {"active": False})
    if args.json:
        print_json(goal_json(retired, store))
    elif not goal.active:
        print(f"{goal.title} was already retired.")
    else:
        print(f"Retired {retired.title}; contacts and events keep their link to it.")
    return EXIT_OK


# --- review --------------------------------------------------------------------------------


# The review names birthdays this many days ahead (the main screen too).
REVIEW_DATES_DAYS = SOON_DAYS


def cmd_review(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.cli.words import local_day
    from netbalance.domain.birthdays import upcoming_dates
    from netbalance.domain.health import week_of
    from netbalance.domain.health.review import week_review

    now = ctx.now
    current = week_of(now)
    week = current
    if args.week:
        day = _day("week", args.week, now, past=True)
        week = day - timedelta(days=day.weekday())
        if week > current:
            raise CliError(f"week: {args.week!r} is after this week; a review looks back")
    store = ctx.store()
    review = week_review(
        week,
        store.contacts(),
        store.interactions_by_contact(),
        store.events(),
        store.goals(),
        store.settings(),
        store.snapshots(),
        now,
    )
    snapshot = review.snapshot
    if args.note is not None:
        snapshot = snapshot.edit(note=args.note.strip())
    if review.current or args.note is not None:
        # Keep the week's figures for the trend (one snapshot per week), note included.
        snapshot = write(store.put_snapshot, snapshot)
        review = week_review(
            week,
            store.contacts(),
            store.interactions_by_contact(),
            store.events(),
            store.goals(),
            store.settings(),
            store.snapshots(),
            now,
        )
    # Birthdays coming up: a reason to reach out, said in this week's review.
    dates = (
        upcoming_dates(store.contacts(), local_day(now, now), REVIEW_DATES_DAYS)
        if review.current
        else []
    )
    if args.json:
        print_json({**review.to_dict(), "upcoming_dates": [d.to_dict() for d in dates]})
        return EXIT_OK
    for line in review_lines(review, now):
        print(line)
    if dates:
        print(f"\nComing up (next {REVIEW_DATES_DAYS} days)")
        for d in dates:
            print(f"  {d.line()}")
    return EXIT_OK


def review_lines(review: Any, now: datetime) -> list[str]:
    """The review as plain text, section by section."""
    r = review
    s = r.snapshot
    head = "This week" if r.current else "Week"
    lines = [f"{head} {r.week_start:%d %b} – {r.week_end:%d %b %Y}", ""]
    people = ", ".join(f"{name}" + (f" ×{n}" if n > 1 else "") for _i, name, n in r.people[:8])
    more = f" and {len(r.people) - 8} more" if len(r.people) > 8 else ""
    lines.append(f"Interactions  {s.interactions} with {len(r.people)} people"
                 + (f": {people}{more}" if people else ""))  # fmt: skip
    new = ", ".join(c.name for c in r.new_contacts[:8])
    lines.append(f"New contacts  {len(r.new_contacts)}" + (f": {new}" if new else ""))
    lines.append(
        f"Hours         {r.hours:g} of {r.weekly_hours:g} h budget"
        + (" (over)" if r.over_hours else "")
        + f" · {r.month_events} of {r.events_per_month} events in {r.budget_month:%B}"
        + (" (over)" if r.over_events else "")
    )
    for e in r.events:
        lines.append(
            f"  {_local(e.start, now)}  {e.status.value:<11} {e.cost_hours:g} h  {e.title}"
        )
    lines.append(f"Follow-ups    {r.followups_done} of {r.followups_due} due done")
    trend = " ".join(f"{p.balance:+.2f}" for p in r.trend[-6:])
    lines.append(f"Gauge         {r.gauge.balance:+.2f} {r.gauge.zone.value} · last weeks: {trend}")
    if r.gauge.held_by:
        # Not "deepening" while follow-ups wait: say why, in the gauge's own words.
        lines.append(f"              {r.gauge.lead}")
    if r.returns:
        lines += ["", "Return of recent events (met → followed up → still in touch, per hour)"]
        for p in r.returns:
            ret = p.ret

            def n(x: int | None) -> str:
                return "?" if x is None else str(x)

            rate = ret.per_hour(ret.followed_up)
            lines.append(
                f"  {p.event.title} ({p.event.start.astimezone(now.tzinfo):%d %b}): "
                f"{ret.met} → {n(ret.followed_up)} → {n(ret.still_in_touch)}"
                + (f" · {rate:.2f} followed up per hour" if rate is not None else "")
            )
    if r.signals:
        lines += ["", "Signals"]
        lines += [f"  • {sig.title}: {sig.message}" for sig in r.signals]
    lines += ["", "Reflection"]
    lines.append("  What paid off?  " + ("; ".join(r.paid_off) or "nothing stands out yet"))
    lines.append("  What to drop?   " + ("; ".join(r.to_drop) or "nothing obvious"))
    names = ", ".join(d.name for d in r.reconnect)
    lines.append("  Reconnect with? " + (names or "your inner and close circles are up to date"))
    if s.note:
        lines += ["", "Note", *(f"  {line}" for line in s.note.splitlines())]
    return lines
