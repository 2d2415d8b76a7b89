"""interactions, interaction edit and interaction delete, asserted on stored data."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from netbalance.domain import Initiator, Interaction, InteractionKind
from netbalance.store import Store
from tests.cli.conftest import NOW, Run


def interaction(db: Path, interaction_id: int) -> Interaction:
    with Store.open(db) as store:
        return store.interaction(interaction_id)


def test_interactions_newest_first_of_one_or_everyone(network: Path, nb: Run) -> None:
    with Store.open(network) as store:
        store.log_interaction(Interaction((2,), NOW.subtract(days=1).in_tz("UTC")), NOW)
    code, out, _ = nb(network, "interactions", "--json")
    rows = json.loads(out)
    assert code == 0 and [r["id"] for r in rows] == [3, 2, 1]
    assert rows[0]["contacts"] == [{"id": 2, "name": "Kenji Tanaka"}]
    assert rows[1] == {
        "id": 2,
        "at": "2027-02-17T09:00:00+00:00",
        "kind": "coffee",
        "depth": 3,
        "initiated_by": "them",
        "minutes": 45,
        "note": "talked about the new team",
        "next_step": "send the article",
        "next_step_on": "2027-02-22",
        "event_id": None,
        "contacts": [{"id": 1, "name": "Ana Silva"}],
    }
    code, out, _ = nb(network, "interactions", "ana", "--json")
    assert [r["id"] for r in json.loads(out)] == [2, 1]
    code, out, _ = nb(network, "interactions", "--since", "1w", "--json")  # a week ago
    assert [r["id"] for r in json.loads(out)] == [3, 2]
    code, out, _ = nb(network, "interactions", "--limit", "1")
    assert out.splitlines()[0].endswith(
        "Message · conversation · I reached out · with Kenji Tanaka"
    )
    code, out, _ = nb(network, "interactions", "Mariana")
    assert (code, out) == (0, "No interactions match.\n")


def test_interaction_edit_changes_the_fields_named(network: Path, nb: Run) -> None:
    code, out, err = nb(
        network, "interaction", "edit", "2", "--kind", "video", "--depth", "2", "--by", "me",
        "--note", "talked about hiring", "--with", "Kenji", "--next-step-on", "2027-03-01",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith(
        "Edited interaction 2: people in it: Ana Silva, Kenji Tanaka; kind set to video;"
    )
    edited = interaction(network, 2)
    assert (edited.kind, edited.depth, edited.initiated_by) == (
        InteractionKind.VIDEO,
        2,
        Initiator.ME,
    )
    assert edited.note == "talked about hiring" and edited.contact_ids == (1, 2)
    assert edited.next_step_on == date(2027, 3, 1) and edited.minutes == 45
    # Kenji's last contact is now that interaction: his due date follows it.
    with Store.open(network) as store:
        assert store.last_interaction_at(2) == edited.at
    code, _, err = nb(
        network, "interaction", "edit", "2", "--without", "ana", "--clear", "minutes",
        "--next-step", "", "--when", "2027-02-19T18:00",
    )  # fmt: skip
    assert code == 0, err
    edited = interaction(network, 2)
    assert edited.contact_ids == (2,) and edited.minutes is None and edited.next_step == ""
    assert edited.at == NOW.subtract(days=1).at(18, 0).in_tz("UTC")
    with Store.open(network) as store:
        # Ana's last contact is back to the older call; her pending next step is gone.
        assert store.last_interaction_at(1) == store.interaction(1).at
        assert 1 not in store.next_steps()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["x", "--depth", "2"], 1, "id: 'x' is not an interaction id"),
        (["99", "--depth", "2"], 1, "id: there is no interaction 99"),
        (["2", "--depth", "4"], 1, "depth: must be 1 to 3"),
        (["2", "--kind", "telepathy"], 1, "kind: must be one of"),
        (["2", "--when", "2030-01-01"], 1, "is in the future"),
        (["2", "--when", "someday"], 1, "when: is not a date I understand"),
        (["2", "--next-step-on", "someday"], 1, "next-step-on: is not a date"),
        (["2", "--without", "Ana"], 1, "contacts: an interaction needs at least one"),
        (["2", "--with", "Nobody"], 1, "no contact matches 'Nobody'"),
        (["2"], 2, "nothing to change"),
    ],
)
def test_bad_interaction_edits_write_nothing(
    network: Path, nb: Run, args: list[str], code: int, message: str
) -> None:
    before = network.read_bytes()
    got, out, err = nb(network, "interaction", "edit", *args)
    assert (got, out) == (code, ""), err
    assert message in err
    assert network.read_bytes() == before


def test_interaction_delete(network: Path, nb: Run) -> None:
    code, out, err = nb(network, "interaction", "delete", "2")
    assert code == 0, err
    assert out.startswith("Deleted interaction 2:")
    with Store.open(network) as store:
        assert store.interaction_count() == 1
        assert store.last_interaction_at(1) == store.interaction(1).at
    code, _, err = nb(network, "interaction", "delete", "2")
    assert code == 1 and "there is no interaction 2" in err
