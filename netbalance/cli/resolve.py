"""Names typed on the command line -> records, through the domain's one resolver.

Every command that takes a contact, an event or a goal calls this module: an id,
else `netbalance.domain.matching` (exact, whole words, word starts, parts).
Several matches are listed with what tells them apart (company, email, last
contact; an event's day and status) and nothing is written. A title shared by a
series of events means the occurrence the command is about (`matching.occurrence`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from netbalance.cli.common import CliError
from netbalance.domain import Contact, Event, Goal
from netbalance.domain.dates import human_ago
from netbalance.domain.matching import Matches, best_matches, occurrence, one_series

if TYPE_CHECKING:
    from netbalance.store import Store

T = TypeVar("T", Contact, Event, Goal)

# How many candidates an ambiguity lists before "… and N more".
SHOWN = 20


def contact(
    store: Store,
    who: str,
    *,
    contacts: Sequence[Contact] | None = None,
    now: datetime | None = None,
    field: str = "who",
    noun: str = "contact",
) -> Contact:
    """WHO: an id, or a name (or an email address) as the resolver reads it.

    `contacts` is where to look (default: those not archived), `noun` what they
    are called in messages; `now` lets an ambiguity say "last contact 3 weeks ago".
    """
    pool = store.contacts() if contacts is None else contacts
    clean = _clean(field, who, "a name or an id")
    by_id = _by_id(clean, pool)
    if by_id is not None:
        return by_id
    found = best_matches(clean, pool, lambda c: c.name, lambda c: c.emails)
    if found.unique is not None:
        return found.unique
    if not found.found:
        raise CliError(f"{field}: no {noun} matches {who!r}")
    raise _ambiguous(
        f"{field}: {who!r} matches {len(found.found)} {noun}s {_how(found)}; "
        "use the id or more of the name:",
        found.found,
        lambda c: _contact_line(store, c, now),
    )


def event(store: Store, text: str, now: datetime, *, started: bool = False) -> Event:
    """TITLE-OR-ID: an event id, or a title as the resolver reads it.

    A title that several events share (a series) means the next one to come, or
    with `started` (attended, missed) the last one that has begun.
    """
    clean = _clean("event", text, "a title or an id")
    events = store.events()
    by_id = _by_id(clean, events)
    if by_id is not None:
        return by_id
    found = best_matches(clean, events, lambda e: e.title)
    if found.unique is not None:
        return found.unique
    if not found.found:
        raise CliError(f"event: nothing matches {text!r}")
    if one_series(found.found):
        picked = occurrence(found.found, now, started=started)
        if picked is not None:
            return picked
        raise CliError(f"event: no {found.found[0].title} has started yet")
    raise _ambiguous(
        f"event: {text!r} matches {len(found.found)} events {_how(found)}; use the id:",
        found.found,
        lambda e: f"{_when(e.start, now)}  {e.status.label:<11} {e.title}",
    )


def goal(store: Store, text: str, *, active_only: bool = False) -> Goal:
    """TITLE-OR-ID: a goal id, or a title as the resolver reads it."""
    clean = _clean("goal", text, "a title or an id")
    goals = store.goals(include_retired=not active_only)
    by_id = _by_id(clean, goals)
    if by_id is not None:
        return by_id
    found = best_matches(clean, goals, lambda g: g.title)
    if found.unique is not None:
        return found.unique
    if not found.found:
        raise CliError(f"goal: nothing matches {text!r}")
    raise _ambiguous(
        f"goal: {text!r} matches {len(found.found)} goals {_how(found)}; use the id:",
        found.found,
        lambda g: f"{g.title}{'' if g.active else ' (retired)'}",
    )


def _clean(field: str, text: str, wanted: str) -> str:
    clean = " ".join(text.split())
    if not clean:
        raise CliError(f"{field}: give {wanted}")
    return clean


def _by_id(text: str, records: Sequence[T]) -> T | None:
    if not text.isdigit():
        return None
    wanted = int(text)
    return next((r for r in records if r.id == wanted), None)


def _how(found: Matches[T]) -> str:
    return found.tier.label if found.tier is not None else ""


def _ambiguous(head: str, found: Sequence[T], line: Callable[[T], str]) -> CliError:
    shown = "\n".join(f"  {r.id:>6}  {line(r)}" for r in found[:SHOWN])
    more = f"\n  … and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return CliError(f"{head}\n{shown}{more}")


def _contact_line(store: Store, c: Contact, now: datetime | None) -> str:
    """A candidate with what tells it apart: work, first email, last contact."""
    last = store.last_interaction_at(c.id)
    if last is None:
        seen = "never contacted"
    elif now is not None:
        seen = f"last contact {human_ago(last, now)}"
    else:
        seen = f"last contact {last.astimezone().date().isoformat()}"
    work = " at ".join(part for part in (c.role, c.company) if part)
    mark = "archived" if c.archived else ""
    parts = [p for p in (c.name, work, c.emails[0] if c.emails else "", seen, mark) if p]
    return " · ".join(parts)


def _when(at: datetime, now: datetime) -> str:
    local = at.astimezone(now.tzinfo)
    return f"{local:%a} {local.day:>2} {local:%b %Y %H:%M}"
