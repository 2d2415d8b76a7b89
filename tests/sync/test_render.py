"""A new journal file written directly is byte for byte what icalendar writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from netbalance.domain import Initiator, Interaction, InteractionKind
from netbalance.interop.export_ics import journal_item, vdir_calendar
from netbalance.sync.render import journal_file

_text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from("\\;,:\n\r^é€😀"),
    max_size=200,
)
_uid = st.text(st.sampled_from("abc-123@.;,\\é"), min_size=1, max_size=90)


@settings(max_examples=300, deadline=None)
@given(
    note=_text,
    step=_text,
    names=_text,
    uid=_uid,
    contacts=st.lists(_uid, max_size=3),
    event=st.one_of(st.just(""), _uid),
    minutes=st.one_of(st.none(), st.integers(0, 600)),
    step_on=st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2100, 1, 1))),
    at=st.datetimes(datetime(1990, 1, 1), datetime(2090, 1, 1), timezones=st.just(UTC)),
    changed=st.one_of(st.none(), st.integers(0, 10**9)),
    kind=st.sampled_from(InteractionKind),
    initiator=st.sampled_from(Initiator),
    depth=st.integers(1, 3),
    cancelled=st.booleans(),
)
def test_a_journal_written_directly_is_what_icalendar_writes(
    note: str,
    step: str,
    names: str,
    uid: str,
    contacts: list[str],
    event: str,
    minutes: int | None,
    step_on: date | None,
    at: datetime,
    changed: int | None,
    kind: InteractionKind,
    initiator: Initiator,
    depth: int,
    cancelled: bool,
) -> None:
    interaction = Interaction(
        (1,),
        at,
        kind=kind,
        depth=depth,
        initiated_by=initiator,
        note=note,
        minutes=minutes,
        next_step=step,
        next_step_on=step_on,
        uid=uid,
    )
    changed_at = (
        None if changed is None else datetime(2000, 1, 1, tzinfo=UTC) + timedelta(seconds=changed)
    )
    args = {
        "contact_uids": tuple(contacts),
        "names": names,
        "event_uid": event,
        "changed_at": changed_at,
        "cancelled": cancelled,
    }
    expected = vdir_calendar(journal_item(interaction, **args))  # type: ignore[arg-type]
    assert journal_file(interaction, **args) == expected  # type: ignore[arg-type]
