"""`netbalance email`: addresses for mail clients, printed as `khard email --parsable` prints them.

With --parsable: a first line "searching for 'QUERY' ..." (mutt shows it and
skips it; 'ALL' without a query, as khard writes), then one line per address:
address, name and an extra column (the company), separated by tabs. Nothing
found: the first line alone and exit code 1, as khard does. --remove-first-line
leaves that line out (aerc reads every line as an address). So

    mutt:  set query_command = "netbalance email --parsable %s"
    aerc:  address-book-cmd = netbalance email --remove-first-line --parsable %s

work as they do with khard. A contact matches when every word of the query is in
its name, an address or its company (case and accents ignored); of a matching
contact's addresses, the ones that match the query themselves are printed, or all
of them when none does (khard's rule). Archived contacts are included: their
addresses still work.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from netbalance.cli.common import EXIT_INPUT, EXIT_OK, Context, print_json
from netbalance.domain import Contact
from netbalance.domain.matching import fold


@dataclass(frozen=True, slots=True)
class Address:
    """One line of the output: an address, the contact's name, and the extra column."""

    address: str
    name: str
    extra: str
    contact_id: int

    def parsable(self) -> str:
        return "\t".join(_one_line(v) for v in (self.address, self.name, self.extra))


def register(sub: argparse._SubParsersAction[Any]) -> None:
    """Add the email subcommand."""
    p = sub.add_parser(
        "email",
        help="email addresses for mail clients (as `khard email --parsable` prints them)",
        description="List email addresses matching QUERY. --parsable prints "
        "'address<TAB>name<TAB>company' lines after a first line for mutt; exit code 1 when "
        "nothing matches.",
    )
    p.add_argument("query", nargs="*", metavar="QUERY", help="words of a name, address or company")
    p.add_argument(
        "-p", "--parsable", action="store_true", help="machine readable: address\\tname\\tcompany"
    )
    p.add_argument(
        "--remove-first-line",
        action="store_true",
        help="leave out the first line (mutt needs it, aerc does not)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_email)


def addresses(contacts: list[Contact], query: str) -> list[Address]:
    """The addresses `query` finds, by contact name, then as each contact lists them."""
    words = fold(query).split()
    found: list[Address] = []
    for c in sorted(contacts, key=lambda c: (fold(c.name), c.id)):
        if not c.emails:
            continue
        hay = fold(" ".join((c.name, c.company, *c.emails)))
        if not all(w in hay for w in words):
            continue
        lines = [Address(e, c.name, c.company, c.id) for e in c.emails]
        narrowed = [a for a in lines if all(w in fold(f"{a.address} {a.name}") for w in words)]
        found += narrowed if words and narrowed else lines
    return found


def cmd_email(args: argparse.Namespace, ctx: Context) -> int:
    query = " ".join(" ".join(args.query).split())
    found = addresses(ctx.store().contacts(include_archived=True), query)
    if args.json:
        print_json(
            [
                {"address": a.address, "name": a.name, "extra": a.extra, "contact_id": a.contact_id}
                for a in found
            ]
        )
        return EXIT_OK if found else EXIT_INPUT
    if args.parsable:
        if not args.remove_first_line:
            print(f"searching for '{query or 'ALL'}' ...")
        if found:
            print("\n".join(a.parsable() for a in found))
        return EXIT_OK if found else EXIT_INPUT
    if not found:
        print("Found no email addresses")
        return EXIT_INPUT
    width = max(4, min(max(len(a.name) for a in found), 32))
    company = max(7, min(max(len(a.extra) for a in found), 24))
    print(f"{'Name':<{width}}  {'Company':<{company}}  Email")
    for a in found:
        print(f"{a.name[:width]:<{width}}  {a.extra[:company]:<{company}}  {a.address}")
    return EXIT_OK


def _one_line(text: str) -> str:
    """A field that cannot break the format: no tabs or line breaks inside."""
    return " ".join(text.split())
