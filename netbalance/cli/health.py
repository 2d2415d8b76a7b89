"""Health subcommands: gauge and snooze (the due list lives in core)."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from netbalance.cli.common import EXIT_OK, CliError, Context, print_json, resolve_contact, write
from netbalance.domain import DomainError
from netbalance.domain.dates import parse_duration, parse_when


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the health subcommands."""
    p = sub.add_parser(
        "gauge", help="depth vs breadth: the balance of your network and its signals"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_gauge)

    p = sub.add_parser("snooze", help="quiet a contact for a while: 3d, 2w, 1m, or a date")
    p.add_argument("who")
    p.add_argument("until", help="a duration (3d, 2w, 1m) or a date (next friday, 2026-12-24)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_snooze)


def cmd_snooze(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    contact = resolve_contact(store, args.who, now=ctx.now)
    try:
        span = parse_duration(args.until)
        until = ctx.now + span if span is not None else parse_when(args.until, ctx.now)
    except DomainError as err:
        raise CliError(str(err)) from err
    if until <= ctx.now:
        raise CliError(f"until: {args.until!r} is not in the future")
    if until > ctx.now + timedelta(days=3660):
        raise CliError(f"until: {args.until!r} is more than ten years away")
    snoozed = write(store.snooze, contact.id, until)
    if args.json:
        from netbalance.cli.core import contact_json

        print_json(contact_json(ctx, snoozed))
    else:
        local = until.astimezone(ctx.now.tzinfo)
        print(f"Snoozed {snoozed.name} until {local.strftime('%a %d %b %Y')}")
    return EXIT_OK


def cmd_gauge(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.domain.health import NetworkModel

    store = ctx.store()
    model = NetworkModel.build(
        store.contacts(),
        store.interactions_by_contact(),
        store.events(),
        store.goals(),
        store.settings(),
        ctx.now,
        oldest_first=True,  # as the store gives them
    )
    if args.json:
        # The model's one report: gauge, signals, today and the closeness gaps.
        print_json(model.report())
        return EXIT_OK
    gauge = model.gauge()
    signals = model.signals()
    print(f"Balance {gauge.balance:+.2f}: {gauge.zone}")
    print(f"  {gauge.explanation}")
    active = [s for s in signals if s.active]
    if active:
        print("Signals:")
        for s in active:
            print(f"  • {s.title}: {s.message}")
    else:
        print("No warning signs. Keep it up.")
    gaps = model.closeness_gaps()
    if gaps:
        print("Closeness and the log disagree:")
        for gap in gaps[:5]:
            print(f"  • {gap.message}")
        if len(gaps) > 5:
            print(f"  … and {len(gaps) - 5} more")
    return EXIT_OK
