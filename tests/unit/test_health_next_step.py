"""A next step with a date makes a contact due that day, sooner than its cadence or without one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from netbalance.domain import Circle, Contact, Interaction, Settings
from netbalance.domain.health import NetworkModel, Urgency, due_item, due_list

NOW = datetime(2026, 11, 29, 12, tzinfo=UTC)
TODAY = NOW.date()
CREATED = NOW - timedelta(days=400)


def test_next_step_gives_an_acquaintance_a_due_day() -> None:
    c = Contact("Ana", id=1, circle=Circle.ACQUAINTANCE, created_at=CREATED)
    last = NOW - timedelta(days=10)
    assert due_item(c, last, Settings(), TODAY, UTC).urgency is Urgency.NO_CADENCE
    item = due_item(c, last, Settings(), TODAY, UTC, next_step=TODAY - timedelta(days=2))
    assert item.next_due == TODAY - timedelta(days=2)
    assert item.overdue_days == 2 and item.urgency is Urgency.OVERDUE
    # Graded against the next-step window (14 days): 21 days late is badly overdue.
    late = due_item(c, last, Settings(), TODAY, UTC, next_step=TODAY - timedelta(days=21))
    assert late.urgency is Urgency.BADLY_OVERDUE


def test_the_sooner_of_cadence_and_next_step_wins_and_snooze_still_pushes() -> None:
    c = Contact("Bo", id=2, circle=Circle.CLOSE, created_at=CREATED)  # 30-day cadence
    last = NOW - timedelta(days=5)
    assert due_item(c, last, Settings(), TODAY, UTC).next_due == date(2026, 12, 24)
    sooner = due_item(c, last, Settings(), TODAY, UTC, next_step=date(2026, 12, 1))
    assert sooner.next_due == date(2026, 12, 1)
    later = due_item(c, last, Settings(), TODAY, UTC, next_step=date(2027, 2, 1))
    assert later.next_due == date(2026, 12, 24)
    snoozed = c.edit(snoozed_until=datetime(2026, 12, 10, tzinfo=UTC))
    assert due_item(
        snoozed, last, Settings(), TODAY, UTC, next_step=date(2026, 12, 1)
    ).next_due == (date(2026, 12, 10))


def test_due_list_and_the_model_agree_on_next_steps() -> None:
    c = Contact("Cy", id=3, circle=Circle.ACQUAINTANCE, created_at=CREATED)
    step = Interaction((3,), NOW - timedelta(days=4), id=1, next_step="call back",
                       next_step_on=TODAY - timedelta(days=1))  # fmt: skip
    items = due_list([c], {3: step.at}, Settings(), NOW, next_steps={3: step.next_step_on})
    assert [i.contact_id for i in items] == [3]
    model = NetworkModel.build([c], {3: [step]}, [], [], Settings(), NOW)
    assert [i.contact_id for i in model.due()] == [3]
    # A later interaction without a next step settles it.
    model.apply_interaction(Interaction((3,), NOW - timedelta(hours=1), id=2))
    assert model.due() == []
