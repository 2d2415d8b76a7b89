"""Reminders outside the app: `remind` (for cron or a systemd timer) and `dates`.

`remind` says today's follow-ups, birthdays and events in a few lines; with
`--notify` it also shows them as a desktop notification through `notify-send`.
When there is nothing for today it prints one line and notifies nobody. When
notify-send is missing or fails, the lines still go to stdout, stderr says why,
and the exit code is 3 (like any output that could not be written), so cron mails
the problem instead of hiding it.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from netbalance.cli import words
from netbalance.cli.common import EXIT_DB, EXIT_OK, CliError, Context, print_json
from netbalance.domain import EventStatus

if TYPE_CHECKING:
    from netbalance.domain import Event
    from netbalance.domain.birthdays import UpcomingDate
    from netbalance.domain.health import DueItem
    from netbalance.domain.health import Today as TodayList

# Names said in the follow-up line before "and N more".
NAMED = 3
# Events that still happen for the user (declined and missed ones are not reminded).
LIVE = (EventStatus.CONSIDERING, EventStatus.GOING, EventStatus.ATTENDED)
NOTIFY_TIMEOUT = 10.0


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add remind and dates."""
    p = sub.add_parser(
        "remind",
        help="today's follow-ups, birthdays and events in a few lines (for cron)",
        description="Today's follow-ups, birthdays and events. --notify also shows them "
        "through notify-send; exit code 3 when it cannot (missing, or no session to show "
        "them in), the lines still printed.",
    )
    p.add_argument("--notify", action="store_true", help="also a desktop notification")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_remind)

    p = sub.add_parser(
        "dates",
        help="upcoming birthdays (with or without a year), soonest first",
        description="Birthdays from today on. Someone born on 29 February is reminded on "
        "28 February in years without one.",
    )
    p.add_argument(
        "--within", metavar="DAYS", default="30", help="days ahead (default 30, up to 366)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_dates)


# --- dates -----------------------------------------------------------------------------------


def cmd_dates(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.domain.birthdays import MAX_WITHIN_DAYS, upcoming_dates

    given = words.whole_number("within", args.within, 0, MAX_WITHIN_DAYS)
    within = 30 if given is None else given
    today = words.local_day(ctx.now, ctx.now)
    found = upcoming_dates(ctx.store().contacts(), today, within)
    if args.json:
        print_json([d.to_dict() for d in found])
        return EXIT_OK
    if not found:
        print("No birthday today." if within == 0 else f"No birthdays in the next {within} days.")
        return EXIT_OK
    for d in found:
        print(f"{d.contact_id:>6}  {d.line()}")
    return EXIT_OK


# --- remind ----------------------------------------------------------------------------------


@dataclass
class Today:
    """What today holds: follow-ups due, birthdays, events."""

    due: list[DueItem] = field(default_factory=list)
    birthdays: list[UpcomingDate] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # Today's list and the backlog beside it (due holds its items).
    plan: TodayList | None = None

    @property
    def empty(self) -> bool:
        return not (self.due or self.birthdays or self.events)


def today_of(ctx: Context) -> Today:
    """Today's follow-ups (today's list: a few, the rest rolling over), birthdays and
    events, from the store."""
    from netbalance.domain.birthdays import upcoming_dates
    from netbalance.domain.health import today_list

    store = ctx.store()
    contacts = store.contacts()
    today = words.local_day(ctx.now, ctx.now)
    plan = today_list(
        contacts,
        store.last_interactions(),
        store.settings(),
        ctx.now,
        next_steps=store.next_steps(),
    )
    events = [
        e for e in store.events() if words.local_day(e.start, ctx.now) == today and e.status in LIVE
    ]
    return Today(list(plan.items), upcoming_dates(contacts, today, 0), events, plan)


def remind_lines(t: Today, ctx: Context) -> list[str]:
    """Today in a few lines: one for follow-ups, one per birthday and per event."""
    lines: list[str] = []
    if t.due:
        names = ", ".join(item.name for item in t.due[:NAMED])
        more = f" and {len(t.due) - NAMED} more" if len(t.due) > NAMED else ""
        rolling = t.plan.rolling_over if t.plan is not None else 0
        count = (
            f"{len(t.due)} for today of {len(t.due) + rolling} due"
            if rolling
            else f"{words.plural(len(t.due), 'contact')} due"
        )
        lines.append(f"Follow up with {names}{more} ({count})")
    for b in t.birthdays:
        turns = f" (turns {b.turns})" if b.turns is not None else ""
        lines.append(f"Birthday: {b.name}{turns}")
    for e in t.events:
        local = e.start.astimezone(ctx.now.tzinfo)
        place = f", {e.place}" if e.place else ""
        lines.append(f"Event: {e.title} at {local:%H:%M}{place} ({e.status.label})")
    return lines or ["Nothing for today."]


def cmd_remind(args: argparse.Namespace, ctx: Context) -> int:
    t = today_of(ctx)
    lines = remind_lines(t, ctx)
    if args.json:
        print_json(
            {
                "date": words.local_day(ctx.now, ctx.now).isoformat(),
                "due": [item.to_dict() for item in t.due],
                "today": None if t.plan is None else t.plan.to_dict(),
                "birthdays": [b.to_dict() for b in t.birthdays],
                "events": [
                    {
                        "id": e.id,
                        "title": e.title,
                        "start": e.start.isoformat(),
                        "place": e.place,
                        "status": e.status.label,
                    }
                    for e in t.events
                ],
                "lines": lines,
            }
        )
    else:
        print("\n".join(lines))
    if args.notify and not t.empty:
        sys.stdout.flush()
        try:
            notify("netbalance: today", "\n".join(lines))
        except CliError as err:
            print(f"netbalance: {err}", file=sys.stderr)
            return err.code
    return EXIT_OK


def notify(title: str, body: str) -> None:
    """Show a desktop notification through notify-send; CliError (code 3) when it cannot."""
    program = shutil.which("notify-send")
    if program is None:
        raise CliError(
            "notify: notify-send was not found, so no notification was shown "
            "(install libnotify-bin, or libnotify on Fedora and Arch)",
            EXIT_DB,
        )
    try:
        done = subprocess.run(
            [program, "--app-name=netbalance", title, body],
            capture_output=True,
            text=True,
            timeout=NOTIFY_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        raise CliError(f"notify: notify-send did not run ({err})", EXIT_DB) from err
    if done.returncode != 0:
        why = " ".join(done.stderr.split())[:200] or f"exit code {done.returncode}"
        raise CliError(
            f"notify: notify-send failed: {why} (is there a desktop session? from cron, set "
            "DBUS_SESSION_BUS_ADDRESS; see the README)",
            EXIT_DB,
        )
