"""The timeline from the command line: `interactions [WHO]`, `interaction edit|delete ID`.

An edit names the fields it changes (Store.edit_interaction, checked against the
interaction as the command read it); a time is judged by the same rule as
logging (not more than a day ahead). Ids are the ones `interactions` and `show`
print.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from netbalance.cli import words as fmt
from netbalance.cli.common import EXIT_OK, CliError, Context, print_json, write
from netbalance.domain import (
    DomainError,
    Initiator,
    Interaction,
    InteractionKind,
)
from netbalance.domain.dates import parse_day
from netbalance.domain.model import parse_enum
from netbalance.domain.rules import next_step_day, when_happened

DEPTH_WORDS = {1: "ping", 2: "conversation", 3: "deep"}
# What `interaction edit --clear` can empty.
CLEARABLE = {
    "minutes": "minutes",
    "note": "note",
    "next-step": "next_step",
    "next-step-on": "next_step_on",
    "event": "event_id",
}


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add `interactions` and `interaction edit|delete`."""
    p = sub.add_parser(
        "interactions",
        help="the timeline: interactions, newest first (of one contact, or everyone's)",
    )
    p.add_argument("who", nargs="?", help="a contact: id, name or part of one (default: all)")
    p.add_argument("--since", metavar="DATE", help="from this day on (3w, last monday, ISO)")
    p.add_argument("--limit", metavar="N", help="at most N, the newest")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_interactions)

    group = sub.add_parser("interaction", help="edit or delete one interaction by its id")
    actions = group.add_subparsers(dest="interaction_command", metavar="ACTION", required=True)
    p = actions.add_parser(
        "edit",
        help="change some fields of an interaction",
        description="Change the fields you name; the others keep what they hold. "
        "Give an empty value ('') or --clear FIELD to empty minutes, note, next step, event.",
    )
    p.add_argument("id", metavar="ID", help="the interaction's id (from `interactions`)")
    p.add_argument("--when", help="when it happened: yesterday 18:00, 3d, ISO")
    p.add_argument("--kind", help=", ".join(k.value for k in InteractionKind))
    p.add_argument("--depth", help="1 ping, 2 conversation, 3 deep")
    p.add_argument("--by", help="who reached out: me or them")
    p.add_argument("--minutes")
    p.add_argument("--note")
    p.add_argument("--next-step", metavar="TEXT")
    p.add_argument("--next-step-on", metavar="DATE", help="friday, 2w, ISO")
    p.add_argument("--event", metavar="EVENT", help="the event it happened at: title or id")
    p.add_argument(
        "--with",
        dest="add_people",
        action="append",
        default=[],
        metavar="WHO",
        help="add a contact to it (repeatable)",
    )
    p.add_argument(
        "--without",
        dest="remove_people",
        action="append",
        default=[],
        metavar="WHO",
        help="take a contact out of it (repeatable)",
    )
    p.add_argument(
        "--clear",
        action="append",
        default=[],
        choices=sorted(CLEARABLE),
        metavar="FIELD",
        help="empty a field: " + ", ".join(sorted(CLEARABLE)),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_interaction_edit)

    p = actions.add_parser("delete", help="delete an interaction (the due dates follow)")
    p.add_argument("id", metavar="ID", help="the interaction's id (from `interactions`)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_interaction_delete)


# --- shapes ---------------------------------------------------------------------------------


def interaction_json(i: Interaction, names: Mapping[int, str]) -> dict[str, Any]:
    """The stable JSON shape of an interaction (README: `interactions --json`)."""
    return {
        "id": i.id,
        "at": i.at.isoformat(),
        "kind": i.kind.value,
        "depth": i.depth,
        "initiated_by": i.initiated_by.value,
        "minutes": i.minutes,
        "note": i.note,
        "next_step": i.next_step,
        "next_step_on": i.next_step_on.isoformat() if i.next_step_on else None,
        "event_id": i.event_id,
        "contacts": [{"id": cid, "name": names.get(cid)} for cid in i.contact_ids],
    }


def interaction_lines(
    i: Interaction, names: Mapping[int, str], now: datetime, *, people: bool = True
) -> list[str]:
    """An interaction as a head line and indented detail lines."""
    by = "I reached out" if i.initiated_by is Initiator.ME else "they reached out"
    parts = [i.kind.label, DEPTH_WORDS.get(i.depth, str(i.depth)), by]
    if i.minutes is not None:
        parts.append(f"{i.minutes} min")
    if people:
        parts.append("with " + ", ".join(names.get(c, f"contact {c}") for c in i.contact_ids))
    lines = [f"{i.id:>6}  {fmt.moment(i.at, now)}  {' · '.join(parts)}"]
    lines += [f"{'':8}{line}" for line in i.note.splitlines() if line.strip()]
    if i.next_step or i.next_step_on:
        on = f" by {fmt.day(i.next_step_on, now)}" if i.next_step_on else ""
        lines.append(f"{'':8}next step: {i.next_step or '(no text)'}{on}")
    return lines


def names_of(ctx: Context) -> dict[int, str]:
    return {c.id: c.name for c in ctx.store().contacts(include_archived=True)}


def _interaction(ctx: Context, text: str) -> Interaction:
    clean = text.strip().lstrip("#")
    if not clean.isdigit():
        raise CliError(
            f"id: {text!r} is not an interaction id (`netbalance interactions` lists them)"
        )
    try:
        return ctx.store().interaction(int(clean))
    except KeyError:
        raise CliError(f"id: there is no interaction {clean}") from None


# --- interactions ---------------------------------------------------------------------------


def cmd_interactions(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.cli.resolve import contact

    store = ctx.store()
    limit = fmt.whole_number("limit", args.limit, 1)
    since = None
    if args.since:
        try:
            since = parse_day(args.since, ctx.now, past=True)
        except DomainError as err:
            raise CliError(f"since: {err.reason} (got {args.since!r})") from err
    if args.who:
        who = contact(store, args.who, contacts=store.contacts(include_archived=True), now=ctx.now)
        found: Sequence[Interaction] = store.interactions_of(who.id)
    else:
        found = store.all_interactions()
    newest = [i for i in reversed(found) if since is None or fmt.local_day(i.at, ctx.now) >= since]
    if limit is not None:
        newest = newest[:limit]
    names = names_of(ctx)
    if args.json:
        print_json([interaction_json(i, names) for i in newest])
        return EXIT_OK
    if not newest:
        print("No interactions match." if (args.who or since) else "Nothing logged yet.")
        return EXIT_OK
    for i in newest:
        print("\n".join(interaction_lines(i, names, ctx.now, people=not args.who)))
    return EXIT_OK


# --- interaction edit / delete --------------------------------------------------------------


def cmd_interaction_edit(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.cli.resolve import contact, event
    from netbalance.store.wording import news

    store = ctx.store()
    base = _interaction(ctx, args.id)
    changes: dict[str, object] = {}
    # The one date reader, and the rules by meaning: an interaction has happened (never in
    # the future); a next step is still to do (never in the past).
    if args.when is not None:
        try:
            changes["at"] = when_happened(args.when, ctx.now)
        except DomainError as err:
            raise CliError(f"when: {err.reason} (got {args.when!r})") from err
    if args.next_step_on is not None and args.next_step_on.strip():
        try:
            changes["next_step_on"] = next_step_day(args.next_step_on, ctx.now)
        except DomainError as err:
            raise CliError(f"next-step-on: {err.reason} (got {args.next_step_on!r})") from err
    elif args.next_step_on is not None:
        changes["next_step_on"] = None
    try:
        if args.kind is not None:
            changes["kind"] = parse_enum(InteractionKind, "kind", args.kind)
        if args.by is not None:
            changes["initiated_by"] = parse_enum(Initiator, "by", args.by)
    except DomainError as err:
        raise CliError(str(err)) from err
    if args.depth is not None:
        changes["depth"] = fmt.whole_number("depth", args.depth, 1, 3)
    if args.minutes is not None:
        changes["minutes"] = fmt.whole_number("minutes", args.minutes, 0, 1440)
    for option, field in (("note", "note"), ("next_step", "next_step")):
        value = getattr(args, option)
        if value is not None:
            changes[field] = value.strip()
    if args.event is not None:
        changes["event_id"] = event(store, args.event, ctx.now).id if args.event.strip() else None
    if args.add_people or args.remove_people:
        everyone = store.contacts(include_archived=True)
        people = list(base.contact_ids)
        for who in args.add_people:
            added = contact(store, who, now=ctx.now)
            if added.id not in people:
                people.append(added.id)
        for who in args.remove_people:
            gone = contact(
                store, who, contacts=[c for c in everyone if c.id in people], now=ctx.now
            )
            people.remove(gone.id)
        changes["contact_ids"] = tuple(people)
    for name in args.clear:
        changes[CLEARABLE[name]] = "" if CLEARABLE[name] in ("note", "next_step") else None
    if not changes:
        raise CliError(
            "nothing to change: give --when, --kind, --depth, --by, --minutes, --note, "
            "--next-step, --next-step-on, --event, --with, --without or --clear",
            2,
        )
    try:
        edited = base.edit(**changes)
        edited.check_not_future(ctx.now)
    except DomainError as err:
        raise CliError(str(err)) from err
    wanted = base.changed_fields(edited)
    if wanted:
        edited = write(store.edit_interaction, base.id, wanted, base=base)
    names = names_of(ctx)
    if args.json:
        print_json(interaction_json(edited, names))
        return EXIT_OK
    said = "; ".join(
        "people in it: " + ", ".join(names.get(c, f"contact {c}") for c in edited.contact_ids)
        if f == "contact_ids"
        else news(f, v)
        for f, v in wanted.items()
    )
    print(f"Edited interaction {edited.id}: {said or 'nothing changed'}")
    print("\n".join(interaction_lines(edited, names, ctx.now)))
    return EXIT_OK


def cmd_interaction_delete(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    gone = _interaction(ctx, args.id)
    names = names_of(ctx)
    write(store.delete_interaction, gone.id)
    if args.json:
        print_json(interaction_json(gone, names))
        return EXIT_OK
    print(f"Deleted interaction {gone.id}:")
    print("\n".join(interaction_lines(gone, names, ctx.now)))
    return EXIT_OK
