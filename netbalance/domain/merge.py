"""Two records of one person become one: what an import adds, and what a merge keeps.

`absorb` is the import's rule: it only adds (emails, phones, links, tags, blank fields,
notes not there yet, the incoming uid as an alias) and never overwrites what the user
has, so it can be applied to the record as it is at the moment of writing, whatever
changed since the preview, and a second run of the same import finds nothing to add.

`plan_merge` is the user's merge of two stored contacts: every list joined, the earlier
"known since", the closer circle, both notes kept and marked, the other's uid (and its
aliases) kept as aliases; for single values that differ the user chooses, and the
plan lists each difference so a screen or the command line can show and ask.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from netbalance.domain.errors import DomainError
from netbalance.domain.identity import is_content_uid, phone_key
from netbalance.domain.model import Contact, Event, Interaction

Side = Literal["keep", "other"]
SIDES: tuple[Side, ...] = ("keep", "other")


def _union(a: tuple[Any, ...], b: tuple[Any, ...]) -> tuple[Any, ...]:
    return a + tuple(x for x in b if x not in a)


def _phones(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    """`a` and the numbers of `b` it lacks ('+49 171 1234567' is '0171 1234567')."""
    known = {phone_key(p) or p for p in a}
    return a + tuple(p for p in b if (phone_key(p) or p) not in known)


def _aliases(base: Contact, incoming: Contact) -> tuple[str, ...]:
    """`base`'s aliases and `incoming`'s uids, so a later import or sync of `incoming`'s
    card finds `base`; a uid made from a card's content is not kept (it changes with
    the card, and the card is found by what made it match)."""
    found = (incoming.uid, *incoming.aliases)
    kept = tuple(u for u in found if u and u != base.uid and not is_content_uid(u))
    return _union(base.aliases, kept)


def absorb(base: Contact, incoming: Contact) -> Contact:
    """`base` with what `incoming` adds; never removes or overwrites what the user has."""
    changes: dict[str, Any] = {}
    for name in ("emails", "links", "tags", "goal_ids"):
        merged = _union(getattr(base, name), getattr(incoming, name))
        if merged != getattr(base, name):
            changes[name] = merged
    phones = _phones(base.phones, incoming.phones)
    if phones != base.phones:
        changes["phones"] = phones
    for name in ("company", "role", "how_met"):
        if not getattr(base, name) and getattr(incoming, name):
            changes[name] = getattr(incoming, name)
    if (base.birthday is None and incoming.birthday is not None) or (
        base.birthday is not None
        and incoming.birthday is not None
        and base.birthday.year is None
        and incoming.birthday.year is not None
        and (base.birthday.month, base.birthday.day)
        == (incoming.birthday.month, incoming.birthday.day)
    ):
        changes["birthday"] = incoming.birthday
    if incoming.notes and incoming.notes not in base.notes:
        changes["notes"] = f"{base.notes}\n\n{incoming.notes}" if base.notes else incoming.notes
    if not base.name_parts and incoming.name_parts and incoming.name == base.name:
        changes["name_parts"] = incoming.name_parts
    aliases = _aliases(base, incoming)
    if aliases != base.aliases:
        changes["aliases"] = aliases
    return base.edit(**changes) if changes else base


# --- the user's merge ---------------------------------------------------------------------

# Joined from both, never chosen: lists, and the record's identity.
_JOINED = ("emails", "phones", "links", "tags", "goal_ids", "aliases")
# Never from the other record: its row number and uid (the uid becomes an alias).
_OWN = ("id", "uid")
# Follow the side the name came from: a card's N belongs with its name.
_WITH_NAME = ("name_parts",)


def _ruled_side(name: str, keep: Contact, other: Contact) -> Side | None:
    """The side a field takes by rule when the user did not choose; None when no rule."""
    if name == "circle":  # the closer circle: a merge never demotes a relationship
        return "keep" if keep.circle.rank <= other.circle.rank else "other"
    if name == "created_at":  # known since the earlier of the two
        return "keep" if keep.created_at <= other.created_at else "other"
    if name == "archived":  # archived only when both were
        return "keep" if not keep.archived else "other"
    if name == "snoozed_until":  # reminded as soon as either record would have been
        if keep.snoozed_until is None or other.snoozed_until is None:
            return "keep" if keep.snoozed_until is None else "other"
        return "keep" if keep.snoozed_until <= other.snoozed_until else "other"
    return None


@dataclass(frozen=True, slots=True)
class Difference:
    """One field where the two records differ: both values, and which the merge takes."""

    field: str
    keep: object
    other: object
    chosen: Side | Literal["both"]
    merged: object

    @property
    def choosable(self) -> bool:
        """Whether the user may pick a side (lists and notes are always joined)."""
        return self.chosen != "both"


@dataclass(frozen=True, slots=True)
class MergePlan:
    """What merging `other` into `keep` gives, field by field; nothing is written."""

    keep: Contact
    other: Contact
    merged: Contact
    differences: tuple[Difference, ...]

    def difference(self, field: str) -> Difference | None:
        return next((d for d in self.differences if d.field == field), None)


def _empty(value: object) -> bool:
    return value is None or value == "" or value == () or value is False


def choosable_fields() -> tuple[str, ...]:
    """Contact fields a merge lets the user choose between the two records."""
    return tuple(
        f.name
        for f in dataclasses.fields(Contact)
        if f.name not in (*_JOINED, *_OWN, *_WITH_NAME, "notes")
    )


def plan_merge(
    keep: Contact,
    other: Contact,
    now: datetime,
    *,
    prefer: Side = "keep",
    choices: Mapping[str, Side] | None = None,
) -> MergePlan:
    """Merge `other` into `keep`: the result keeps `keep`'s id and uid.

    Lists are joined; notes are both kept, the other's marked with its name and the
    day of the merge; "known since" is the earlier; the circle is the closer; archived
    only when both are; snoozed only when both are, until the earlier end; the other's
    uid and aliases become aliases. Any other field that differs takes
    `choices[field]` if given, else the filled one when only one is, else `prefer`'s.
    A choice overrides the rules too.
    """
    if keep.id and keep.id == other.id:
        raise DomainError("merge", keep.name, "cannot merge a contact with itself")
    chosen = dict(choices or {})
    unknown = sorted(set(chosen) - set(choosable_fields()))
    if unknown:
        raise DomainError(
            "merge",
            ", ".join(unknown),
            f"can only choose among {', '.join(choosable_fields())}",
        )
    values: dict[str, Any] = {}
    differences: list[Difference] = []
    for f in dataclasses.fields(Contact):
        name = f.name
        a, b = getattr(keep, name), getattr(other, name)
        if name in _OWN or name in _WITH_NAME:
            continue
        if name in _JOINED:
            merged = _phones(a, b) if name == "phones" else _union(a, b)
            if name == "aliases":
                merged = _aliases(keep, other)
            values[name] = merged
            if a != b and name != "aliases":
                differences.append(Difference(name, a, b, "both", merged))
            continue
        if name == "notes":
            values[name] = _joined_notes(keep, other, now)
            if a != b:
                differences.append(Difference(name, a, b, "both", values[name]))
            continue
        if a == b:
            continue
        side = chosen.get(name) or _ruled_side(name, keep, other)
        if side is None and _empty(a) != _empty(b):
            side = "other" if _empty(a) else "keep"
        elif side is None:
            side = prefer
        values[name] = a if side == "keep" else b
        differences.append(Difference(name, a, b, side, values[name]))
    took_other_name = keep.name != other.name and values.get("name") == other.name
    same_name_no_parts = keep.name == other.name and not keep.name_parts
    use_other_parts = took_other_name or same_name_no_parts
    values["name_parts"] = other.name_parts if use_other_parts else keep.name_parts
    merged_contact = keep.edit(**values)
    return MergePlan(keep, other, merged_contact, tuple(differences))


def _joined_notes(keep: Contact, other: Contact, now: datetime) -> str:
    if not other.notes or other.notes == keep.notes or other.notes in keep.notes:
        return keep.notes
    mark = f"[From {other.name}, merged {now.date().isoformat()}]"
    return f"{keep.notes}\n\n{mark}\n{other.notes}" if keep.notes else f"{mark}\n{other.notes}"


def relink_interaction(interaction: Interaction, keep_id: int, other_id: int) -> Interaction:
    """The interaction with `other_id` replaced by `keep_id`, each person once."""
    if other_id not in interaction.contact_ids:
        return interaction
    ids = tuple(dict.fromkeys(keep_id if c == other_id else c for c in interaction.contact_ids))
    return interaction.edit(contact_ids=ids)


def relink_event(event: Event, keep_id: int, other_id: int) -> Event:
    """The event's people met with `other_id` replaced by `keep_id`, each person once."""
    if other_id not in event.met_contact_ids:
        return event
    ids = tuple(dict.fromkeys(keep_id if c == other_id else c for c in event.met_contact_ids))
    return event.edit(met_contact_ids=ids)
