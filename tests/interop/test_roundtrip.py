"""Export then import into an empty database gives the same data; re-import changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from netbalance.domain import Birthday, Circle, Contact, Event, Goal, Interaction
from netbalance.interop import apply_import, preview_import
from netbalance.interop.export_ics import export_ics
from netbalance.interop.export_vcard import contact_uid, export_vcards, export_vdir
from netbalance.interop.json_backup import export_json
from netbalance.store import Store

NOW = datetime(2026, 1, 15, 12, tzinfo=UTC)
KEPT = (
    "name",
    "circle",
    "cadence_days",
    "emails",
    "phones",
    "company",
    "role",
    "links",
    "tags",
    "birthday",
    "notes",
    "archived",
    "how_met",
    "uid",
)


def _seed(store: Store) -> None:
    goal = store.add_goal(Goal("Find a mentor"), NOW)
    ann = store.add_contact(
        Contact(
            "Ann Lee",
            circle=Circle.INNER,
            cadence_days=10,
            emails=("ann@x.org",),
            phones=("+1 555 010 0123",),
            company="Acme, Inc.",
            role="CTO; founder",
            links=("https://ann.example",),
            tags=("rust", "mentor"),
            goal_ids=(goal.id,),
            birthday=Birthday(2, 29),
            notes="Line one\nline, two; three",
            how_met="PyCon",
        ),
        NOW,
    )
    store.add_contact(Contact("Bo Chen", birthday=Birthday(5, 1, 1980)), NOW)
    store.log_interaction(Interaction((ann.id,), NOW - timedelta(days=3)), NOW)
    store.add_event(
        Event(
            "Rust meetup",
            NOW + timedelta(days=5),
            end=NOW + timedelta(days=5, hours=2),
            place="Berlin",
            uid="abc@cal",
        )
    )


def _fields(c: Contact) -> tuple[object, ...]:
    return tuple(getattr(c, f) for f in KEPT)


def test_vcard_roundtrip(tmp_path: Path) -> None:
    source = Store.in_memory()
    _seed(source)
    last = source.last_interactions()
    for version in (4, 3):
        path = tmp_path / f"v{version}.vcf"
        text = export_vcards(
            source.contacts(), version=version, goals=source.goals(), last_interactions=last
        )
        path.write_text(text, encoding="utf-8", newline="")
        target = Store.in_memory()
        target.add_goal(Goal("Find a mentor"), NOW)
        plan = preview_import("vcard", path, target, NOW)
        assert plan.counts()["new"] == 2 and not plan.skipped
        apply_import(target, plan)
        assert sorted(map(_fields, target.contacts())) == sorted(map(_fields, source.contacts()))
        ann = next(c for c in target.contacts() if c.name == "Ann Lee")
        assert ann.goal_ids == tuple(g.id for g in target.goals())
        restored, original = target.last_interaction_at(ann.id), source.last_interaction_at(1)
        assert original is not None and restored == original.replace(microsecond=0)
        again = preview_import("vcard", path, target, NOW)
        assert not again.changes_anything


def test_vdir_roundtrip_is_stable(tmp_path: Path) -> None:
    source = Store.in_memory()
    _seed(source)
    book = tmp_path / "book"
    export_vdir(book, source.contacts())
    first = sorted(p.name for p in book.iterdir())
    assert first == sorted(f"{c.uid}.vcf" for c in source.contacts())
    export_vdir(book, source.contacts())
    assert sorted(p.name for p in book.iterdir()) == first
    target = Store.in_memory()
    apply_import(target, preview_import("vcard", book, target, NOW))
    assert len(target.contacts()) == 2


def test_json_roundtrip(tmp_path: Path) -> None:
    source = Store.in_memory()
    _seed(source)
    path = tmp_path / "backup.json"
    path.write_bytes(
        export_json(
            contacts=source.contacts(include_archived=True),
            interactions=source.all_interactions(),
            events=source.events(),
            goals=source.goals(),
            now=NOW,
        )
    )
    target = Store.in_memory()
    target.add_goal(Goal("Find a mentor"), NOW)
    apply_import(target, preview_import("json", path, target, NOW))
    assert sorted(map(_fields, target.contacts())) == sorted(map(_fields, source.contacts()))
    assert [(e.title, e.start, e.uid) for e in target.events()] == [
        (e.title, e.start, e.uid) for e in source.events()
    ]
    assert [i.at for i in target.all_interactions()] == [i.at for i in source.all_interactions()]
    assert not preview_import("json", path, target, NOW).changes_anything


def test_ics_export_reimports_events_but_not_reminders(tmp_path: Path) -> None:
    source = Store.in_memory()
    _seed(source)
    data = export_ics(
        contacts=source.contacts(),
        events=source.events(),
        last_interactions=source.last_interactions(),
        settings=source.settings(),
        now=NOW,
    )
    assert b"BEGIN:VTODO" in data and b"VALARM" in data and b"RRULE:FREQ=YEARLY" in data
    again = export_ics(
        contacts=source.contacts(),
        events=source.events(),
        last_interactions=source.last_interactions(),
        settings=source.settings(),
        now=NOW,
    )
    assert again == data  # stable UIDs and content: a calendar updates, it does not duplicate
    path = tmp_path / "netbalance.ics"
    path.write_bytes(data)
    plan = preview_import("ics", path, source, NOW)
    assert not plan.changes_anything
    assert plan.counts()["unchanged"] == 1
    assert all("reminder" in s.reason for s in plan.skipped)


_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30)
_contacts = st.builds(
    Contact,
    name=_text.filter(lambda s: s.strip() and "@" not in s),
    circle=st.sampled_from(list(Circle)),
    cadence_days=st.none() | st.integers(1, 3660),
    emails=st.lists(st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.org", fullmatch=True), max_size=2).map(
        tuple
    ),
    company=_text,
    role=_text,
    tags=st.lists(st.from_regex(r"[a-z][a-z ]{0,8}[a-z]", fullmatch=True), max_size=3).map(tuple),
    notes=_text,
    birthday=st.none()
    | st.builds(
        Birthday, st.integers(1, 12), st.integers(1, 28), st.none() | st.integers(1900, 2020)
    ),
    created_at=st.just(NOW),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(contact=_contacts, version=st.sampled_from([3, 4]))
def test_generated_contact_survives_vcard(tmp_path: Path, contact: Contact, version: int) -> None:
    path = tmp_path / "one.vcf"
    path.write_text(
        export_vcards([contact.edit(id=1)], version=version), encoding="utf-8", newline=""
    )
    target = Store.in_memory()
    plan = preview_import("vcard", path, target, NOW)
    (back,) = plan.add_contacts
    expected = contact.edit(
        notes=contact.notes.strip(),
        company=contact.company.strip(),
        uid=contact_uid(contact.edit(id=1)),
    )
    assert _fields(back) == _fields(expected)
