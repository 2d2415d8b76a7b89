"""Core subcommands: add, log, list, due, demo, doctor."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from netbalance.cli.common import (
    EXIT_DB,
    EXIT_INPUT,
    EXIT_OK,
    CliError,
    Context,
    print_json,
    resolve_contact,
    write,
)
from netbalance.domain import (
    Circle,
    Contact,
    DomainError,
    Initiator,
    Interaction,
    InteractionKind,
)
from netbalance.domain.identity import IdentityIndex
from netbalance.domain.model import parse_enum
from netbalance.domain.rules import next_step_day, when_happened


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the core subcommands."""
    p = sub.add_parser("add", help="add a contact")
    p.add_argument("name")
    p.add_argument("--circle", default="active", help="inner, close, active, wider, acquaintance")
    p.add_argument(
        "--cadence", metavar="DAYS", help="days between follow-ups (default: the circle's)"
    )
    p.add_argument("--email", action="append", default=[])
    p.add_argument("--phone", action="append", default=[])
    p.add_argument("--company", default="")
    p.add_argument("--role", default="")
    p.add_argument("--tag", action="append", default=[])
    p.add_argument("--notes", default="")
    p.add_argument(
        "--allow-duplicate",
        action="store_true",
        help="add even when a contact already has this email or phone",
    )
    p.add_argument(
        "--closeness",
        metavar="1-7",
        help="how close they feel: 1 (distant) to 7 (very close)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("log", help="log an interaction (restarts the cadence)")
    p.add_argument("who", help="id, exact name, or a unique part of a name")
    p.add_argument(
        "--with",
        dest="others",
        action="append",
        default=[],
        metavar="WHO",
        help="another contact in the same interaction (repeatable)",
    )
    p.add_argument("--kind", default="message", help=", ".join(k.value for k in InteractionKind))
    p.add_argument("--depth", default="2", help="1 ping, 2 conversation, 3 deep")
    p.add_argument("--by", default="me", help="who initiated: me or them")
    p.add_argument("--minutes")
    p.add_argument("--note", default="")
    p.add_argument(
        "--when",
        default="now",
        help="when it happened: yesterday 15:00, 3d (= 3 days ago), last friday, ISO; "
        "never in the future",
    )
    p.add_argument("--next-step", default="", metavar="TEXT", help="what you will do next")
    p.add_argument(
        "--next-step-on",
        metavar="DATE",
        help="when: makes the contact due that day (friday, 2w = in two weeks, ISO); "
        "today or later",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_log)

    p = sub.add_parser("list", help="list contacts")
    p.add_argument("query", nargs="?", default="", help="part of a name, company or tag")
    p.add_argument("--archived", action="store_true", help="include archived contacts")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser(
        "due",
        help="today's follow-ups (a few, most urgent first) and the backlog beside them",
        description="Today's list: at most the daily number of follow-ups (Settings: "
        "daily_follow_ups, else the follow-up capacity per event), most urgent first; the "
        "rest roll over to the next days, and the backlog is said beside it. --all lists "
        "everyone due today or earlier, --within DAYS also those due in the next DAYS.",
    )
    p.add_argument("--all", action="store_true", help="everyone due today or earlier")
    p.add_argument("--within", metavar="DAYS", help="everyone due now or within DAYS")
    p.add_argument("--limit", metavar="N", help="at most N rows")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_due)

    p = sub.add_parser("demo", help="write a demo database (refuses a non-empty one)")
    p.add_argument("--size", choices=["small", "medium", "large"], default="small")
    p.add_argument("--seed", type=int, default=7)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("doctor", help="check the database file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_doctor)


def _int_arg(name: str, text: str | None, low: int, high: int) -> int | None:
    if text is None:
        return None
    try:
        value = int(text)
    except ValueError:
        raise CliError(f"{name}: {text!r} is not a whole number") from None
    if not low <= value <= high:
        raise CliError(f"{name}: must be {low} to {high} (got {value})")
    return value


def contact_json(ctx: Context, c: Contact, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """The stable JSON shape of a contact (documented in README)."""
    from netbalance.domain.health import next_due

    store = ctx.store()
    settings = store.settings()
    last = store.last_interaction_at(c.id)
    due = next_due(c, last, settings, ctx.now, store.next_step_of(c.id))
    out: dict[str, Any] = {
        "id": c.id,
        "uid": c.uid,
        "name": c.name,
        "circle": c.circle.value,
        "cadence_days": settings.cadence_for(c.circle, c.cadence_days),
        "last_interaction": last.isoformat() if last else None,
        "next_due": due.isoformat() if due else None,
        "emails": list(c.emails),
        "phones": list(c.phones),
        "company": c.company,
        "role": c.role,
        "tags": list(c.tags),
        "archived": c.archived,
        "snoozed_until": c.snoozed_until.isoformat() if c.snoozed_until else None,
        "closeness": c.closeness,
    }
    if extra:
        out.update(extra)
    return out


def cmd_add(args: argparse.Namespace, ctx: Context) -> int:
    try:
        contact = Contact(
            name=args.name,
            circle=Circle.parse(args.circle),
            cadence_days=_int_arg("cadence", args.cadence, 1, 3660),
            emails=tuple(args.email),
            phones=tuple(args.phone),
            company=args.company,
            role=args.role,
            tags=tuple(args.tag),
            notes=args.notes,
            closeness=_int_arg("closeness", args.closeness, 1, 7),
        )
    except DomainError as err:
        raise CliError(str(err)) from err
    store = ctx.store()
    index: IdentityIndex[int] = IdentityIndex()
    for c in store.contacts(include_archived=True):
        index.add(c.id, c)
    same = index.sharing_email_or_phone(contact)
    if same and not args.allow_duplicate:
        found = "; ".join(
            f"{store.contact(f.key).name} (id {f.key}"
            f"{', archived' if store.contact(f.key).archived else ''}) "
            f"has the {f.reason.removeprefix('same ')}"
            for f in same
        )
        raise CliError(
            f"add: {found}. Log with them, or add a second record anyway with "
            "--allow-duplicate (`netbalance merge` joins two later)"
        )
    namesakes = [store.contact(i) for i in index.namesakes(contact)]
    added = write(store.add_contact, contact, ctx.now)
    if args.json:
        print_json(contact_json(ctx, added))
    else:
        print(f"Added {added.name} (id {added.id}, {added.circle.value})")
    if namesakes:
        others = ", ".join(
            f"id {c.id}" + (f" ({c.company or c.circle.value}{', archived' if c.archived else ''})")
            for c in namesakes
        )
        what = "another contact is" if len(namesakes) == 1 else f"{len(namesakes)} others are"
        print(f"Note: {what} also called {added.name}: {others}", file=sys.stderr)
    return EXIT_OK


def cmd_log(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    try:
        kind = parse_enum(InteractionKind, "kind", args.kind)
        by = parse_enum(Initiator, "by", args.by)
        depth = _int_arg("depth", args.depth, 1, 3)
        minutes = _int_arg("minutes", args.minutes, 0, 1440)
        # One reader for every date, and the rules by meaning: it has happened (never in
        # the future: "in 3 days" is refused, not turned around); a next step is still to do.
        when = when_happened(args.when, ctx.now)
        step_on = next_step_day(args.next_step_on, ctx.now) if args.next_step_on else None
    except DomainError as err:
        raise CliError(str(err)) from err
    people = [resolve_contact(store, w, now=ctx.now) for w in (args.who, *args.others)]
    try:
        interaction = Interaction(
            contact_ids=tuple(p.id for p in people),
            at=when,
            kind=kind,
            depth=depth or 2,
            initiated_by=by,
            minutes=minutes,
            note=args.note,
            next_step=args.next_step,
            next_step_on=step_on,
        )
    except DomainError as err:
        raise CliError(str(err)) from err
    logged: Interaction = write(store.log_interaction, interaction, ctx.now)
    if args.json:
        print_json(
            {
                "id": logged.id,
                "at": logged.at.isoformat(),
                "kind": logged.kind.value,
                "depth": logged.depth,
                "contacts": [contact_json(ctx, store.contact(p.id)) for p in people],
            }
        )
    else:
        names = ", ".join(p.name for p in people)
        print(f"Logged {kind.label.lower()} with {names} ({_local(logged.at, ctx.now)})")
        for p in people:
            due = contact_json(ctx, store.contact(p.id))["next_due"]
            print(f"  {p.name}: next due {due or 'never (no cadence)'}")
    return EXIT_OK


def _local(at: datetime, now: datetime) -> str:
    return at.astimezone(now.tzinfo).strftime("%a %d %b %Y %H:%M")


def _matches(c: Contact, needle: str) -> bool:
    if not needle:
        return True
    hay = " ".join((c.name, c.company, c.role, *c.tags, *c.emails)).casefold()
    return all(word in hay for word in needle.casefold().split())


def cmd_list(args: argparse.Namespace, ctx: Context) -> int:
    store = ctx.store()
    found = [c for c in store.contacts(include_archived=args.archived) if _matches(c, args.query)]
    found.sort(key=lambda c: (c.circle.rank, c.name.casefold()))
    if args.json:
        print_json([contact_json(ctx, c) for c in found])
        return EXIT_OK
    if not found:
        print("No contacts match." if args.query else "No contacts yet: try `netbalance add NAME`.")
        return EXIT_OK
    out = sys.stdout
    for c in found:
        last = store.last_interaction_at(c.id)
        mark = " (archived)" if c.archived else ""
        last_text = last.astimezone(ctx.now.tzinfo).date().isoformat() if last else "never"
        out.write(f"{c.id:>6}  {c.name[:32]:<32}  {c.circle.value:<12}  last {last_text}{mark}\n")
    return EXIT_OK


def cmd_due(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.domain.health import due_list, today_list

    within = _int_arg("within", args.within, 0, 3660)
    limit = _int_arg("limit", args.limit, 1, 1_000_000)
    store = ctx.store()
    contacts = store.contacts()
    last = store.last_interactions()
    settings = store.settings()
    steps = store.next_steps()
    today = today_list(contacts, last, settings, ctx.now, next_steps=steps)
    if args.all or within is not None:
        items = due_list(
            contacts, last, settings, ctx.now, within_days=within or 0, next_steps=steps
        )
    else:
        items = list(today.items)
    if limit:
        items = items[:limit]
    if args.json:
        rows = []
        for item in items:
            c = store.contact(item.contact_id)
            rows.append(
                contact_json(
                    ctx,
                    c,
                    {
                        "overdue_days": item.overdue_days,
                        "urgency": str(item.urgency),
                        "score": round(item.score, 3),
                        "care_due": None if item.care_due is None else item.care_due.isoformat(),
                        "care_overdue_days": item.care_overdue_days,
                        "kept": item.kept,
                    },
                )
            )
        print_json({"date": ctx.now.date().isoformat(), "today": today.to_dict(), "items": rows})
        return EXIT_OK
    heading = "Due" if args.all or within is not None else "Today"
    print(f"{heading} ({ctx.now:%a %d %b})")
    for item in items:
        c = store.contact(item.contact_id)
        late = item.overdue_days
        when = (
            f"{late} days late" if late > 0 else ("due today" if late == 0 else f"in {-late} days")
        )
        print(f"{c.id:>6}  {c.name[:32]:<32}  {c.circle.value:<12}  {when}")
    print(today.line())
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.demo import write_demo

    store = ctx.store()
    if not store.is_empty():
        raise CliError(
            f"{ctx.db_path} already holds data; demo data goes into an empty database "
            f"(use --db PATH for a new file)"
        )
    data = write(write_demo, store, args.size, args.seed, ctx.now)
    print(
        f"Wrote demo data to {ctx.db_path}: {len(data.contacts):,} contacts, "
        f"{len(data.interactions):,} interactions, {len(data.events)} events, "
        f"{len(data.goals)} goals"
    )
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.store import StoreError
    from netbalance.store.doctor import check

    try:
        report = check(ctx.db_path)
    except StoreError as err:  # pragma: no cover - check() reports instead of raising
        raise CliError(str(err), EXIT_DB) from err
    if args.json:
        print_json(report.to_dict())
    else:
        for line in report.lines():
            print(line)
    if report.healthy:
        return EXIT_OK
    return EXIT_DB if report.fatal else EXIT_INPUT
