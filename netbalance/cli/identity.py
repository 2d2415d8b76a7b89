"""Subcommands: duplicates and merge.

`duplicates` lists pairs of contacts that may be one person, best first, with why; a
pair can be marked "not the same person" (`--keep-apart A B`) so it is never offered
again. `merge KEEP OTHER` shows the two records field by field where they differ and
makes them one in a single transaction: every interaction, event link, list and note
kept, the other's uid kept as an alias. `--dry-run` shows the preview and writes
nothing (not even a new database file).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from netbalance.cli.common import EXIT_OK, CliError, Context, print_json, resolve_contact, write

if TYPE_CHECKING:
    from netbalance.domain import Contact
    from netbalance.domain.duplicates import DuplicatePair
    from netbalance.domain.merge import MergePlan, Side
    from netbalance.store import Store


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add this module's subcommands."""
    p = sub.add_parser(
        "duplicates",
        help="contacts that may be one person, best first, with why",
        description="List pairs of contacts that may be one person (same email, phone, "
        "profile, name, similar name with the same company...), scored 0-100, best first. "
        "Merge a pair with `netbalance merge KEEP OTHER`; mark it as two people with "
        "--keep-apart.",
    )
    p.add_argument("--limit", metavar="N", type=int, help="show at most N pairs")
    p.add_argument(
        "--min-score", metavar="S", type=int, default=None, help="leave out pairs below S (0-100)"
    )
    p.add_argument(
        "--keep-apart",
        nargs=2,
        metavar=("A", "B"),
        help="remember that A and B are not the same person (never listed again)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_duplicates)

    p = sub.add_parser(
        "merge",
        help="make two contacts one (every interaction kept)",
        description="Merge OTHER into KEEP: emails, phones, links, tags, goals and both notes "
        "are kept; every interaction and event link moves to KEEP; the closer circle and the "
        "earlier 'known since' win; OTHER's uid stays as an alias. Where single values "
        "differ KEEP's is taken (or the one that is filled) unless --prefer other or --take.",
    )
    p.add_argument("keep", metavar="KEEP", help="the contact that stays (id or name)")
    p.add_argument("other", metavar="OTHER", help="the contact merged into it (id or name)")
    p.add_argument(
        "--prefer",
        choices=("keep", "other"),
        default="keep",
        help="whose value to take where both differ (default: keep)",
    )
    p.add_argument(
        "--take",
        action="append",
        default=[],
        metavar="FIELD=SIDE",
        help="take one field from keep or other, e.g. --take name=other (repeatable)",
    )
    p.add_argument("--dry-run", action="store_true", help="show the merge; write nothing")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_merge)


# --- duplicates ----------------------------------------------------------------------------


def _brief(store: Store, c: Contact) -> dict[str, Any]:
    return {
        "id": c.id,
        "uid": c.uid,
        "name": c.name,
        "company": c.company,
        "emails": list(c.emails),
        "phones": list(c.phones),
        "circle": c.circle.value,
        "archived": c.archived,
        "interactions": store.interaction_count(c.id),
    }


def pair_json(store: Store, pair: DuplicatePair) -> dict[str, Any]:
    """The stable JSON shape of a likely duplicate pair."""
    return {
        "score": pair.score,
        "why": pair.why,
        "reasons": [{"kind": r.kind, "text": r.text} for r in pair.reasons],
        "first": _brief(store, store.contact(pair.first_id)),
        "second": _brief(store, store.contact(pair.second_id)),
    }


def _label(store: Store, c: Contact) -> str:
    extra = [x for x in (c.company, "archived" if c.archived else "") if x]
    talks = store.interaction_count(c.id)
    extra.append(f"{talks} interaction{'s' if talks != 1 else ''}")
    return f"#{c.id} {c.name} ({', '.join(extra)})"


def cmd_duplicates(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.domain.duplicates import MIN_SCORE, find_duplicates

    store = ctx.store()
    if args.keep_apart:
        first, second = (resolve_contact(store, w, include_archived=True) for w in args.keep_apart)
        write(store.keep_apart, first.id, second.id, ctx.now)
        print(f"Kept apart: {first.name} (id {first.id}) and {second.name} (id {second.id}).")
        return EXIT_OK
    min_score = MIN_SCORE if args.min_score is None else args.min_score
    if not 0 <= min_score <= 100:
        raise CliError(f"min-score: must be 0 to 100 (got {min_score})")
    if args.limit is not None and args.limit < 1:
        raise CliError(f"limit: must be 1 or more (got {args.limit})")
    pairs = find_duplicates(
        store.contacts(include_archived=True),
        kept_apart=store.kept_apart(),
        min_score=min_score,
    )
    shown = pairs[: args.limit] if args.limit else pairs
    if args.json:
        print_json([pair_json(store, p) for p in shown])
        return EXIT_OK
    if not pairs:
        print("No likely duplicates.")
        return EXIT_OK
    out = sys.stdout
    more = f", the best {len(shown)} shown" if len(shown) < len(pairs) else ""
    out.write(f"{len(pairs)} pair{'s' if len(pairs) != 1 else ''} may be one person{more}:\n")
    for p in shown:
        a, b = store.contact(p.first_id), store.contact(p.second_id)
        out.write(f"{p.score:>4}  {_label(store, a)}\n      {_label(store, b)}\n")
        out.write(f"      why: {p.why}\n")
    out.write(
        "Merge a pair with `netbalance merge KEEP OTHER` (add --dry-run to see it first); "
        "mark one as two people with `netbalance duplicates --keep-apart A B`.\n"
    )
    return EXIT_OK


# --- merge ---------------------------------------------------------------------------------


def _choices(takes: list[str]) -> dict[str, Side]:
    from netbalance.domain.merge import choosable_fields

    fields = choosable_fields()
    chosen: dict[str, Side] = {}
    for take in takes:
        field, sep, side = take.partition("=")
        field, side = field.strip().replace("-", "_"), side.strip().lower()
        if not sep or side not in ("keep", "other"):
            raise CliError(f"take: {take!r} must be FIELD=keep or FIELD=other")
        if field not in fields:
            raise CliError(f"take: {field!r} is not a field to choose; one of {', '.join(fields)}")
        chosen[field] = "keep" if side == "keep" else "other"
    return chosen


def _value(value: object, now: datetime) -> str:
    """A field's value in a few words for the preview."""
    from netbalance.domain import Birthday

    if value is None or value == "" or value == ():
        return "-"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, datetime):
        return value.astimezone(now.tzinfo).date().isoformat()
    if isinstance(value, Birthday):
        return value.iso()
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(getattr(value, "value", value)).replace("\n", " / ")
    return text if len(text) <= 40 else text[:39] + "…"


def _plan_json(plan: MergePlan, now: datetime) -> dict[str, Any]:
    return {
        "keep": plan.keep.id,
        "other": plan.other.id,
        "differences": [
            {
                "field": d.field,
                "keep": _value(d.keep, now),
                "other": _value(d.other, now),
                "taken": d.chosen,
                "merged": _value(d.merged, now),
            }
            for d in plan.differences
        ],
    }


def _print_plan(plan: MergePlan, now: datetime) -> None:
    out = sys.stdout
    keep, other = plan.keep, plan.other
    out.write(f"Merge #{other.id} {other.name} into #{keep.id} {keep.name}:\n")
    if not plan.differences:
        out.write("  the two records hold the same values\n")
    rows = [(d.field, _value(d.keep, now), _value(d.other, now), d) for d in plan.differences]
    width = max((len(r[0]) for r in rows), default=5)
    for field, a, b, d in rows:
        if d.chosen == "both":
            taken = f"both kept: {_value(d.merged, now)}"
        else:
            hint = f"--take {field}={'other' if d.chosen == 'keep' else 'keep'}"
            taken = f"takes {d.chosen} ({hint} for the other)"
        out.write(f"  {field:<{width}}  keep: {a}\n  {'':<{width}}  other: {b}\n")
        out.write(f"  {'':<{width}}  -> {taken}\n")


def cmd_merge(args: argparse.Namespace, ctx: Context) -> int:
    from netbalance.domain import DomainError
    from netbalance.domain.merge import plan_merge

    store = ctx.preview_store() if args.dry_run else ctx.store()
    keep = resolve_contact(store, args.keep, include_archived=True)
    other = resolve_contact(store, args.other, include_archived=True)
    choices = _choices(args.take)
    try:
        plan = plan_merge(keep, other, ctx.now, prefer=args.prefer, choices=choices)
    except DomainError as err:
        raise CliError(str(err)) from err
    if args.dry_run:
        moving = store.interaction_count(other.id)
        if args.json:
            print_json(
                {
                    **_plan_json(plan, ctx.now),
                    "dry_run": True,
                    "written": False,
                    "interactions_moved": moving,
                }
            )
        else:
            _print_plan(plan, ctx.now)
            print(
                f"{moving} interaction{'s' if moving != 1 else ''} of {other.name} would move to "
                f"{keep.name}; {other.name}'s uid would stay as an alias so imports and syncs "
                "still find them.\nDry run: nothing was written."
            )
        return EXIT_OK
    outcome = write(
        store.merge_contacts, keep.id, other.id, ctx.now, prefer=args.prefer, choices=choices
    )
    if args.json:
        print_json(
            {
                **_plan_json(outcome.plan, ctx.now),
                "dry_run": False,
                "written": True,
                "interactions_moved": outcome.interactions_moved,
                "events_relinked": outcome.events_relinked,
                "contact": _brief(store, outcome.contact),
            }
        )
        return EXIT_OK
    _print_plan(outcome.plan, ctx.now)
    print(
        f"Merged {other.name} (id {other.id}) into {outcome.contact.name} (id {keep.id}): "
        f"{outcome.interactions_moved} interactions moved, "
        f"{outcome.events_relinked} events relinked."
    )
    return EXIT_OK
