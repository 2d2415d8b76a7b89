"""One contact from the command line: show, edit, archive, unarchive, unsnooze.

`show` prints what the contact screen shows: the profile, when they are due (the
domain's one rule, next steps included), the tie strength with its parts, upcoming
dates and the timeline. `edit` names the fields it changes and writes them with
`Store.edit_contact(..., base=...)`, so a field someone else changed meanwhile is
refused rather than overwritten.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from netbalance.cli import words as fmt
from netbalance.cli.common import EXIT_OK, EXIT_USAGE, CliError, Context, print_json, write
from netbalance.domain import Circle, Contact, DomainError, Interaction

if TYPE_CHECKING:
    from netbalance.domain.birthdays import UpcomingDate
    from netbalance.domain.health import DueItem, Strength

# Text fields: option -> field. An empty value ('') clears one.
TEXT_FIELDS = {"company": "company", "role": "role", "how_met": "how_met", "notes": "notes"}
# List fields edited by --add-X / --remove-X: option stem -> field.
LIST_FIELDS = {"email": "emails", "phone": "phones", "link": "links", "tag": "tags"}
# What --clear empties: name -> field.
CLEARABLE = {
    "company": "company",
    "role": "role",
    "how-met": "how_met",
    "notes": "notes",
    "birthday": "birthday",
    "cadence": "cadence_days",
    "met-at": "met_at_event_id",
    "emails": "emails",
    "phones": "phones",
    "links": "links",
    "tags": "tags",
    "goals": "goal_ids",
    "closeness": "closeness",
}
# How many timeline entries `show` prints unless told otherwise.
TIMELINE_SHOWN = 20


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add show, edit, archive, unarchive and unsnooze."""
    p = sub.add_parser(
        "show", help="one contact: profile, when due, strength and why, dates, timeline"
    )
    p.add_argument("who", help="id, name, email, or a unique part of a name")
    p.add_argument(
        "--limit", metavar="N", help=f"timeline entries to show (default {TIMELINE_SHOWN}; 0: all)"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser(
        "edit",
        help="change fields of a contact (the others keep their values)",
        description="Change the fields you name. An empty value ('') clears a text field; "
        "--clear FIELD empties any field, lists included.",
    )
    p.add_argument("who", help="id, name, email, or a unique part of a name")
    p.add_argument("--name")
    p.add_argument("--circle", help=", ".join(c.value for c in Circle))
    p.add_argument(
        "--cadence", metavar="DAYS", help="days between follow-ups; '' follows the circle"
    )
    p.add_argument("--company")
    p.add_argument("--role")
    p.add_argument("--how-met", dest="how_met", metavar="TEXT", help="how or where you met")
    p.add_argument(
        "--met-at", dest="met_at", metavar="EVENT", help="the event you met at: title or id"
    )
    p.add_argument("--birthday", metavar="DATE", help="1986-03-12, 12 mar, 12 mar 1986, --03-12")
    p.add_argument("--notes")
    p.add_argument(
        "--closeness",
        metavar="1-7",
        help="how close they feel: 1 (distant) to 7 (very close); '' clears it",
    )
    for stem, field in LIST_FIELDS.items():
        p.add_argument(
            f"--add-{stem}",
            dest=f"add_{stem}",
            action="append",
            default=[],
            metavar=stem.upper(),
            help=f"add to {field} (repeatable)",
        )
        p.add_argument(
            f"--remove-{stem}",
            dest=f"remove_{stem}",
            action="append",
            default=[],
            metavar=stem.upper(),
            help=f"remove from {field} (repeatable)",
        )
    p.add_argument(
        "--add-goal",
        action="append",
        default=[],
        metavar="GOAL",
        help="link to a goal: title or id (repeatable)",
    )
    p.add_argument(
        "--remove-goal",
        action="append",
        default=[],
        metavar="GOAL",
        help="unlink a goal (repeatable)",
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
    p.set_defaults(handler=cmd_edit)

    for name, handler, text in (
        (
            "archive",
            cmd_archive,
            "archive a contact: never due, out of lists (unarchive brings back)",
        ),
        ("unarchive", cmd_unarchive, "bring an archived contact back"),
        ("unsnooze", cmd_unsnooze, "end a snooze: the contact is due as its cadence says"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("who", help="id, name, email, or a unique part of a name")
        p.add_argument("--json", action="store_true")
        p.set_defaults(handler=handler)


# --- show ------------------------------------------------------------------------------------


def cmd_show(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.cli.interactions import interaction_json, interaction_lines, names_of
    from netbalance.cli.resolve import contact
    from netbalance.domain.birthdays import upcoming_dates
    from netbalance.domain.health import due_item, tie_strength

    store = ctx.store()
    limit = fmt.whole_number("limit", args.limit, 0)
    c = contact(store, args.who, contacts=store.contacts(include_archived=True), now=ctx.now)
    settings = store.settings()
    timeline = store.interactions_of(c.id)
    today = fmt.local_day(ctx.now, ctx.now)
    tz = ctx.now.tzinfo
    assert tz is not None
    # The one next-due rule, with the pending next step of the last interaction.
    due = due_item(
        c, store.last_interaction_at(c.id), settings, today, tz, next_step=store.next_step_of(c.id)
    )
    strength = tie_strength(c, timeline, settings, ctx.now)
    last = timeline[-1] if timeline else None
    step = last if last is not None and (last.next_step or last.next_step_on) else None
    dates = upcoming_dates([c], today, 366)
    newest = list(reversed(timeline))
    shown = newest if limit == 0 else newest[: limit or TIMELINE_SHOWN]
    names = names_of(ctx)
    if args.json:
        print_json(
            {
                "contact": profile_json(ctx, c),
                "due": {
                    **due.to_dict(),
                    "archived": c.archived,
                    "next_step": None
                    if step is None
                    else {
                        "text": step.next_step,
                        "on": step.next_step_on.isoformat() if step.next_step_on else None,
                    },
                },
                "strength": strength.to_dict(),
                "dates": [d.to_dict() for d in dates],
                "interactions": len(timeline),
                "timeline": [interaction_json(i, names) for i in shown],
            }
        )
        return EXIT_OK
    lines = _profile_lines(ctx, c, dates)
    lines += _due_lines(ctx, c, due, last)
    lines += _strength_lines(strength)
    count = fmt.plural(len(timeline), "interaction")
    more = len(timeline) - len(shown)
    lines.append(f"{'Timeline':<16}{count}" + (", newest first" if timeline else ""))
    for i in shown:
        lines += ["  " + line for line in interaction_lines(i, names, ctx.now, people=False)]
    if more:
        lines.append(f"  … {more} older: netbalance interactions {c.id}")
    print("\n".join(lines))
    return EXIT_OK


def profile_json(ctx: Context, c: Contact) -> dict[str, Any]:
    """The stable JSON shape of a contact, every field (README: `show --json`)."""
    from netbalance.cli.core import contact_json

    store = ctx.store()
    goals = {g.id: g.title for g in store.goals()}
    met_at = None
    if c.met_at_event_id is not None:
        title = next((e.title for e in store.events() if e.id == c.met_at_event_id), None)
        met_at = {"id": c.met_at_event_id, "title": title}
    return contact_json(
        ctx,
        c,
        {
            "links": list(c.links),
            "goals": [{"id": g, "title": goals.get(g)} for g in c.goal_ids],
            "how_met": c.how_met,
            "met_at_event": met_at,
            "birthday": c.birthday.iso() if c.birthday else None,
            "notes": c.notes,
            "created_at": c.created_at.isoformat(),
            "source": c.source,
        },
    )


def _profile_lines(ctx: Context, c: Contact, dates: list[UpcomingDate]) -> list[str]:
    store = ctx.store()
    settings = store.settings()
    cadence = settings.cadence_for(c.circle, c.cadence_days)
    if cadence is None:
        rhythm = "no cadence (never due)"
    else:
        whose = "its own" if c.cadence_days is not None else "the circle's"
        rhythm = f"every {cadence} days ({whose})"
    rows = [("Circle", f"{c.circle.value} · {rhythm}")]
    work = " at ".join(part for part in (c.role, c.company) if part)
    for label, value in (
        ("Work", work),
        ("Email", ", ".join(c.emails)),
        ("Phone", ", ".join(c.phones)),
        ("Links", ", ".join(c.links)),
        ("Tags", ", ".join(c.tags)),
    ):
        if value:
            rows.append((label, value))
    if c.goal_ids:
        titles = {g.id: g.title for g in store.goals()}
        rows.append(("Goals", ", ".join(titles.get(i, f"goal {i}") for i in c.goal_ids)))
    event = ""
    if c.met_at_event_id is not None:
        event = next((e.title for e in store.events() if e.id == c.met_at_event_id), "")
    met = " · ".join(part for part in (c.how_met, f"at {event}" if event else "") if part)
    if met:
        rows.append(("Met", met))
    if c.birthday is not None:
        b = c.birthday
        said = f"{b.day} {fmt.month_name(b.month)}" + (f" {b.year}" if b.year else "")
        if dates:
            d = dates[0]
            turns = f", turns {d.turns}" if d.turns is not None else ""
            said += f" (next {fmt.day(d.day, ctx.now)}, {d.when}{turns})"
        rows.append(("Birthday", said))
    if c.snoozed_until is not None and c.snoozed_until > ctx.now:
        rows.append(
            ("Snoozed", f"until {fmt.day(fmt.local_day(c.snoozed_until, ctx.now), ctx.now)}")
        )
    if c.archived:
        rows.append(("Archived", "yes: never due (netbalance unarchive brings them back)"))
    lines = [f"{c.name} (id {c.id})"]
    lines += [f"  {label:<14}{value}" for label, value in rows]
    if c.notes:
        lines.append(f"  {'Notes':<14}" + c.notes.splitlines()[0])
        lines += [f"  {'':<14}{line}" for line in c.notes.splitlines()[1:]]
    return lines


def _due_lines(ctx: Context, c: Contact, due: DueItem, last: Interaction | None) -> list[str]:
    from netbalance.domain.dates import human_ago, human_until

    today = fmt.local_day(ctx.now, ctx.now)
    if c.archived:
        when = "never (archived)"
    elif due.next_due is None:
        when = "never (no cadence, no next step)"
    else:
        when = (
            f"{human_until(due.next_due, today)} ({fmt.day(due.next_due, ctx.now)})"
            f" · {due.urgency.label}"
        )
    lines = [f"{'Due':<16}{when}"]
    if last is not None and (last.next_step or last.next_step_on):
        on = f", {fmt.day(last.next_step_on, ctx.now)}" if last.next_step_on else ""
        lines.append(f"  {'Next step':<14}{last.next_step or '(no text)'}{on}")
    last_at = last.at if last is not None else None
    seen = human_ago(last_at, ctx.now)
    if last_at is not None:
        seen += f" ({fmt.day(fmt.local_day(last_at, ctx.now), ctx.now)})"
    lines.append(f"  {'Last contact':<14}{seen}")
    return lines


def _strength_lines(strength: Strength) -> list[str]:
    lines = [f"{'Strength':<16}{strength.value}/100: {strength.explanation}"]
    for part in strength.components:
        lines.append(
            f"  {part.key:<14}{part.score * 100:3.0f}  weight {part.weight * 100:.0f}%  "
            f"{part.explanation}"
        )
    return lines


# --- edit ------------------------------------------------------------------------------------


def cmd_edit(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.cli.resolve import contact
    from netbalance.store.wording import news

    store = ctx.store()
    c = contact(store, args.who, contacts=store.contacts(include_archived=True), now=ctx.now)
    changes = _changes(args, ctx, c)
    if not changes and not _asked(args):
        raise CliError(
            "edit: nothing to change; give --name, --circle, --company, --add-tag, --clear "
            "FIELD... (see netbalance edit --help)",
            EXIT_USAGE,
        )
    try:
        edited = c.edit(**changes)
    except DomainError as err:
        raise CliError(str(err)) from err
    wanted = c.changed_fields(edited)
    if wanted:
        edited = write(store.edit_contact, c.id, wanted, base=c)
    if args.json:
        print_json(profile_json(ctx, edited))
    elif wanted:
        print(f"Edited {edited.name}: " + "; ".join(news(f, v) for f, v in wanted.items()))
    else:
        print(f"{edited.name} already holds those values; nothing changed.")
    return EXIT_OK


def _asked(args: argparse.Namespace) -> bool:
    """Whether the command line named anything to change."""
    singles = ("name", "circle", "cadence", "birthday", "met_at", "closeness", *TEXT_FIELDS)
    lists = [f"{verb}_{stem}" for stem in (*LIST_FIELDS, "goal") for verb in ("add", "remove")]
    return any(getattr(args, a) is not None for a in singles) or any(
        getattr(args, a) for a in (*lists, "clear")
    )


def _changes(args: argparse.Namespace, ctx: Context, c: Contact) -> dict[str, object]:
    """The fields the options set, as values for `Contact.edit`."""
    from netbalance.cli.resolve import event, goal
    from netbalance.domain.birthdays import parse_birthday

    store = ctx.store()
    changes: dict[str, object] = {}
    try:
        if args.name is not None:
            changes["name"] = args.name
        if args.circle is not None:
            changes["circle"] = Circle.parse(args.circle)
        if args.birthday is not None:
            changes["birthday"] = parse_birthday(args.birthday) if args.birthday.strip() else None
    except DomainError as err:
        raise CliError(str(err)) from err
    if args.closeness is not None:
        text = args.closeness.strip()
        changes["closeness"] = None if not text else fmt.whole_number("closeness", text, 1, 7)
    if args.cadence is not None:
        text = args.cadence.strip().lower()
        changes["cadence_days"] = (
            None if text in ("", "circle") else fmt.whole_number("cadence", text, 1, 3660)
        )
    for option, field in TEXT_FIELDS.items():
        value = getattr(args, option)
        if value is not None:
            changes[field] = value
    if args.met_at is not None:
        changes["met_at_event_id"] = (
            event(store, args.met_at, ctx.now).id if args.met_at.strip() else None
        )
    for stem, field in LIST_FIELDS.items():
        added, removed = getattr(args, f"add_{stem}"), getattr(args, f"remove_{stem}")
        if added or removed:
            changes[field] = _edited_list(stem, getattr(c, field), added, removed, c.name)
    if args.add_goal or args.remove_goal:
        ids = list(c.goal_ids)
        ids += [g.id for g in (goal(store, t) for t in args.add_goal) if g.id not in ids]
        for text in args.remove_goal:
            gone = goal(store, text)
            if gone.id not in ids:
                raise CliError(f"remove-goal: {c.name} is not linked to {gone.title}")
            ids.remove(gone.id)
        changes["goal_ids"] = tuple(ids)
    for name in args.clear:
        field = CLEARABLE[name]
        empty: object = "" if field in TEXT_FIELDS.values() else None
        changes[field] = () if field in (*LIST_FIELDS.values(), "goal_ids") else empty
    return changes


def _edited_list(
    stem: str, current: tuple[str, ...], added: list[str], removed: list[str], name: str
) -> tuple[str, ...]:
    """`current` with `removed` taken out (each must be there) and `added` appended.

    Emails and tags compare without case, as the contact stores them.
    """
    folded = stem in ("email", "tag")

    def key(value: str) -> str:
        value = " ".join(value.split())
        return value.casefold() if folded else value

    values = list(current)
    for value in removed:
        hit = next((v for v in values if key(v) == key(value)), None)
        if hit is None:
            held = ", ".join(current) or "none"
            raise CliError(f"remove-{stem}: {value!r} is not one of {name}'s (they have: {held})")
        values.remove(hit)
    for value in added:
        if not any(key(v) == key(value) for v in values):
            values.append(value)
    return tuple(values)


# --- archive / unarchive / unsnooze -----------------------------------------------------------


def cmd_archive(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.cli.resolve import contact

    store = ctx.store()
    c = contact(store, args.who, now=ctx.now)
    done: Contact = write(store.archive_contact, c.id, True)
    return _said(
        ctx,
        args,
        done,
        f"Archived {done.name}: never due, out of lists "
        f"(netbalance unarchive {done.id} brings them back).",
    )


def cmd_unarchive(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.cli.resolve import contact

    store = ctx.store()
    archived = [c for c in store.contacts(include_archived=True) if c.archived]
    c = contact(store, args.who, contacts=archived, now=ctx.now, noun="archived contact")
    done: Contact = write(store.archive_contact, c.id, False)
    return _said(ctx, args, done, f"Brought {done.name} back from the archive.")


def cmd_unsnooze(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.cli.resolve import contact

    store = ctx.store()
    c = contact(store, args.who, now=ctx.now)
    if c.snoozed_until is None:
        return _said(ctx, args, c, f"{c.name} is not snoozed; nothing changed.")
    done: Contact = write(store.snooze, c.id, None)
    return _said(ctx, args, done, f"{done.name} is no longer snoozed.")


def _said(ctx: Context, args: argparse.Namespace, c: Contact, text: str) -> int:
    if args.json:
        print_json(profile_json(ctx, c))
    else:
        print(text)
    return EXIT_OK
