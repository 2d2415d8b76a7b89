"""Properties of the honest gauge, over random networks (hypothesis).

- snoozing never raises the balance, kept, depth, the backlog or the review;
- a real follow-up with an overdue inner or close contact never lowers the balance;
- importing people never counts as new networking.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from netbalance.domain import Circle, Contact, Initiator, Interaction
from netbalance.domain.health import NetworkModel
from netbalance.domain.health.review import week_review
from tests.unit.test_health_gauge import NOW, NOW_UTC, Network, S, model, networks


def kept(m: NetworkModel) -> int:
    """People on a cadence not past the care their circle asks."""
    facts = m.facts()
    return facts.kept - facts.overdue


def review_followups(contacts: list[Contact], by: dict[int, list[Interaction]]) -> tuple[int, int]:
    alive = [c for c in contacts if not c.archived]
    r = week_review(NOW.date(), alive, by, [], [], S, [], NOW)
    return r.followups_due, r.followups_done


@settings(max_examples=120, deadline=None)
@given(networks(), st.data())
def test_snoozing_never_raises_the_balance_or_kept(net: Network, data: st.DataObject) -> None:
    contacts, by = net
    assume(contacts)
    chosen = set(data.draw(st.lists(st.sampled_from([c.id for c in contacts]), min_size=1)))
    days = data.draw(st.integers(1, 120))
    snoozed = [
        c.edit(snoozed_until=NOW_UTC + timedelta(days=days)) if c.id in chosen else c
        for c in contacts
    ]
    before, after = model(contacts, by), model(snoozed, by)
    assert after.gauge().balance <= before.gauge().balance
    assert kept(after) <= kept(before)
    # In fact a snooze changes none of them: only when the app reminds.
    assert after.gauge() == before.gauge()
    assert after.facts().overdue == before.facts().overdue
    assert after.strengths() == before.strengths()
    backlog = [next(s for s in m.signals() if s.key == "backlog") for m in (before, after)]
    assert backlog[0].active == backlog[1].active
    assert review_followups(snoozed, by) == review_followups(contacts, by)


@settings(max_examples=120, deadline=None)
@given(networks(), st.data())
def test_a_follow_up_with_an_overdue_close_contact_never_lowers_the_balance(
    net: Network, data: st.DataObject
) -> None:
    contacts, by = net
    before = model(contacts, by)
    overdue = [
        c.id
        for c in contacts
        if c.circle in (Circle.INNER, Circle.CLOSE)
        and (item := before.due_item(c.id)) is not None
        and not item.kept
    ]
    assume(overdue)
    cid = data.draw(st.sampled_from(overdue))
    follow_up = Interaction(
        (cid,),
        NOW_UTC,
        id=90_000,
        depth=data.draw(st.integers(1, 3)),
        initiated_by=data.draw(st.sampled_from(list(Initiator))),
        minutes=data.draw(st.one_of(st.none(), st.integers(0, 90))),
    )
    after_by = {k: list(v) for k, v in by.items()}
    after_by.setdefault(cid, []).append(follow_up)
    after = model(contacts, after_by)
    assert after.gauge().balance >= before.gauge().balance
    assert after.gauge().depth.score >= before.gauge().depth.score
    assert kept(after) >= kept(before)


@settings(max_examples=120, deadline=None)
@given(networks(), st.data())
def test_importing_never_counts_as_new_networking(net: Network, data: st.DataObject) -> None:
    contacts, by = net
    count = data.draw(st.integers(1, 40))
    imported = [
        Contact(
            f"Imported {k}",
            id=5_000 + k,
            circle=data.draw(st.sampled_from(list(Circle))),
            created_at=NOW_UTC - timedelta(days=data.draw(st.integers(0, 3))),
            source=data.draw(st.sampled_from(["vcard", "linkedin", "google", "outlook"])),
        )
        for k in range(count)
    ]
    after_by = {k: list(v) for k, v in by.items()}
    for c in imported:
        if data.draw(st.booleans()):  # a "connected on" date becomes a first interaction
            at = NOW_UTC - timedelta(days=data.draw(st.integers(0, 2000)))
            after_by[c.id] = [Interaction((c.id,), at, id=60_000 + c.id, depth=1)]
    before, after = model(contacts, by), model(contacts + imported, after_by)
    b, a = before.facts(), after.facts()
    assert a.new_contacts == b.new_contacts and a.new_unlinked == b.new_unlinked
    assert after.gauge().breadth.parts["influx"] == before.gauge().breadth.parts["influx"]
    was = {s.key for s in before.signals() if s.active}
    now = {s.key for s in after.signals() if s.active}
    for key in ("ignoring-existing", "focus"):
        assert key not in now or key in was


@settings(max_examples=60, deadline=None)
@given(networks())
def test_histories_oldest_first_need_no_sort_and_give_the_same_model(net: Network) -> None:
    contacts, by = net  # the strategy lists each history oldest first, as the store does
    sorted_path = NetworkModel.build(contacts, by, [], [], S, NOW, oldest_first=True)
    default = model(contacts, by)
    assert sorted_path.report() == default.report()
    assert sorted_path.strengths() == default.strengths()
    assert sorted_path.ranked() == default.ranked()
