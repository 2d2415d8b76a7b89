"""Pilot tests of the network picture: it draws what the health model says; keys move, open."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from netbalance.app import NetbalanceApp, make_app
from netbalance.domain.circles import Circle
from netbalance.domain.health import NetworkModel
from netbalance.domain.model import Contact
from netbalance.store import Store
from netbalance.ui.screens.contact import ContactScreen
from netbalance.ui.screens.network_picture import CellPicker, NetworkPictureScreen
from netbalance.ui.widgets.network_picture import Care, Mark, NetworkPicture, layout
from tests.ui.conftest import NOW, settle


def picture(app: NetbalanceApp) -> NetworkPicture:
    return app.screen.query_one(NetworkPicture)


def caption(app: NetbalanceApp) -> str:
    return str(app.screen.query_one("#picture-caption", Static).render())


async def open_picture(app: NetbalanceApp, pilot: object) -> None:
    await settle(app, pilot)
    await pilot.press("N")  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert isinstance(app.screen, NetworkPictureScreen)


async def test_every_contact_is_drawn_with_the_models_word_on_them(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_picture(app, pilot)
        assert app.store is not None
        store = app.store
        drawn = [m for marks in picture(app).cells.values() for m in marks]
        assert sorted(m.contact_id for m in drawn) == sorted(c.id for c in store.contacts())
        # Overdue is what the health model counts as overdue, circle by circle.
        model = NetworkModel.build(
            store.contacts(),
            store.interactions_by_contact(),
            store.events(),
            store.goals(),
            store.settings(),
            NOW,
        )
        facts = model.facts()
        for circle in Circle:
            late = sum(1 for m in drawn if m.circle is circle and m.care is Care.OVERDUE)
            assert late == facts.overdue_by_circle.get(circle, 0)
        legend = str(app.screen.query_one("#picture-legend", Static).render())
        assert "Wider" in legend and "155 / 150" in legend and "33 overdue" in legend
        # The cursor starts in the middle, on an inner-circle person, and says who.
        current = picture(app).current
        assert len(current) == 1 and current[0].circle is Circle.INNER
        assert caption(app).startswith(f"{current[0].name} · inner · overdue ")


async def test_arrows_move_between_marks_and_enter_opens_the_person(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_picture(app, pilot)
        widget = picture(app)
        start = widget.cursor
        assert start is not None
        await pilot.press("right")
        await pilot.pause()
        moved = widget.cursor
        assert moved is not None and moved != start and moved[0] > start[0]
        assert moved in widget.cells
        person = widget.current[0]
        assert caption(app).startswith(person.name)
        await pilot.press("left")
        await pilot.pause()
        assert widget.cursor is not None and widget.cursor[0] < moved[0]
        await pilot.press("down", "down")
        await pilot.pause()
        assert widget.cursor is not None and widget.cursor in widget.cells
        person = widget.current[0]
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactScreen)
        assert app.screen.contact_id == person.contact_id
        # Back on the picture, the cursor is where it was.
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, NetworkPictureScreen)
        assert picture(app).current[0].contact_id == person.contact_id


async def test_the_mouse_names_who_is_under_it(demo_path: Path) -> None:
    app = make_app(demo_path, now=NOW)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_picture(app, pilot)
        widget = picture(app)
        (x, y), marks = next(
            (xy, m) for xy, m in sorted(widget.cells.items()) if m[0].circle is Circle.CLOSE
        )
        await pilot.hover(NetworkPicture, offset=(x, y))
        await pilot.pause()
        assert widget.hover == (x, y)
        assert caption(app).startswith(f"{marks[0].name} · close · ")


def _crowd(path: Path, count: int) -> Path:
    with Store.open(path) as store:
        for n in range(count):
            store.add_contact(Contact(f"Person {n:04d}", circle=Circle.ACQUAINTANCE), NOW)
    return path


async def test_more_people_than_cells_share_cells_and_enter_asks_whom(tmp_path: Path) -> None:
    app = make_app(_crowd(tmp_path / "crowd.json", 1500), now=NOW)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_picture(app, pilot)
        widget = picture(app)
        cells = widget.cells
        assert sum(len(m) for m in cells.values()) == 1500
        assert len(cells) < 1500 and max(len(m) for m in cells.values()) > 1
        shared = widget.current
        assert len(shared) > 1
        assert caption(app).startswith(f"{len(shared)} people here: ")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CellPicker)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ContactScreen)
        second = sorted(shared, key=lambda m: m.name.casefold())[1]
        assert app.screen.contact_id == second.contact_id


def test_layout_spreads_a_ring_and_stays_inside_it() -> None:
    marks = [Mark(i, f"P{i}", Circle.CLOSE, Care.KEPT) for i in range(1, 16)]
    lay = layout(marks, 60, 20)
    assert len(lay.cells) == 15 and lay.per_cell == 1
    assert all(lay.ring_of[xy] == Circle.CLOSE.rank for xy in lay.cells)
    # Spread round the ring: marks on both sides and both halves.
    xs = [x for x, _ in lay.cells]
    ys = [y for _, y in lay.cells]
    assert min(xs) < 25 < 35 < max(xs) and min(ys) < 8 < 12 < max(ys)


def test_layout_at_5000_people_draws_at_most_its_cells() -> None:
    marks = [Mark(i, f"P{i}", Circle.ACQUAINTANCE, Care.NONE) for i in range(5000)]
    lay = layout(marks, 50, 20)
    assert sum(len(m) for m in lay.cells.values()) == 5000
    assert len(lay.cells) <= len(lay.ring_of) < 50 * 20
