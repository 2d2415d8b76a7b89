"""At start the list is drawn before the health model is built (Session.opened): the
build, in its thread, held the GIL half the time while the list was being drawn."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from netbalance.app import make_app
from netbalance.core import Core, Health
from netbalance.ui.widgets.contact_list import ContactList
from tests.ui.conftest import NOW, settle


async def test_the_model_is_built_once_the_list_is_drawn(
    demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(demo_path, now=NOW)
    drawn_before_build: list[bool] = []
    build = Core.build_health

    def watched(core: Core, now: datetime) -> Health:
        rows = app.screen.query_one(ContactList)
        # A line with a contact on it was drawn (the list's header alone is one line).
        drawn_before_build.append(any(key[0] is not None for key in rows._lines))
        return build(core, now)

    monkeypatch.setattr(Core, "build_health", watched)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(app, pilot)
        core = app.session.core
        assert core is not None and core.model is not None  # the gauge was built
    assert drawn_before_build == [True]
