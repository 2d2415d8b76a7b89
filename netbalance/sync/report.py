"""What a sync reports, and the follow-ups it is given: light, so that a sync with
nothing to do (and the app's status line) never imports the vCard and iCalendar code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from netbalance.domain import Contact

CONTACTS, CALENDAR = "contacts", "calendar"


@dataclass(frozen=True, slots=True)
class Followup:
    """A follow-up due for a contact, as the sync writes it to the calendar."""

    contact: Contact
    due: date
    next_step: str = ""


@dataclass
class Report:
    """What a sync did (or, in a dry run, would do), item by item, in the product's words."""

    to_files: list[str] = field(default_factory=list)
    here: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    recreated: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "written_to_vdir": self.to_files,
            "changed_here": self.here,
            "conflicts": self.conflicts,
            "archived": self.archived,
            "recreated": self.recreated,
            "broken_files": self.broken,
            "changed_while_syncing": self.refused,
            "waiting": self.waiting,
        }
