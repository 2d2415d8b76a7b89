"""A real Radicale server and real vdirsyncer configs, for the sync's end-to-end tests.

Radicale runs on 127.0.0.1 on a free port with its storage in a temp folder and no
authentication (any user name and password are accepted; each user owns /<user>/).
The address book and calendar are made over HTTP (MKCOL, MKCALENDAR), as a client
would. Each laptop gets a vdirsyncer config syncing its own two vdir folders with
those collections, its status in its own temp folder.
"""

from __future__ import annotations

import base64
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

USER, PASSWORD = "me", "secret"


def _auth(user: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{PASSWORD}".encode()).decode()


def tools_missing() -> str | None:
    """Why the end-to-end tests cannot run here, or None."""
    try:
        import radicale  # noqa: F401
        import vdirsyncer  # noqa: F401
    except ImportError as err:
        return f"radicale and vdirsyncer are test extras ({err}); pip install -e '.[test]'"
    if vdirsyncer_cli() is None:
        return "the vdirsyncer command is not installed next to this Python"
    return None


def vdirsyncer_cli() -> str | None:
    beside = Path(sys.executable).parent / "vdirsyncer"
    return str(beside) if beside.exists() else shutil.which("vdirsyncer")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Radicale:
    """A running server: its port, the user's collections, and HTTP requests to it."""

    port: int
    process: subprocess.Popen[bytes]
    # Who the requests log in as (a user's collections are theirs alone).
    user: str = USER

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request(
                method,
                path,
                body=body,
                headers={"Authorization": _auth(self.user), **(headers or {})},
            )
            response = conn.getresponse()
            return response.status, response.read(), dict(response.getheaders())
        finally:
            conn.close()

    def make_collections(self, user: str = USER) -> None:
        """/<user>/contacts/ (an address book) and /<user>/calendar/ (events, journals,
        to-dos), logged in as `user` from now on. Each user's collections are their
        own: tests sharing one server each take a user of their own."""
        self.user = user
        addressbook = (
            b'<?xml version="1.0" encoding="utf-8"?>'
            b'<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:set><D:prop>'
            b"<D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>"
            b"</D:prop></D:set></D:mkcol>"
        )
        status, body, _ = self.request("MKCOL", f"/{user}/contacts/", addressbook)
        assert status == 201, body
        calendar = (
            b'<?xml version="1.0" encoding="utf-8"?>'
            b'<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set>'
            b"<D:prop><C:supported-calendar-component-set>"
            b'<C:comp name="VEVENT"/><C:comp name="VTODO"/><C:comp name="VJOURNAL"/>'
            b"</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
        )
        status, body, _ = self.request("MKCALENDAR", f"/{user}/calendar/", calendar)
        assert status == 201, body

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_radicale(storage: Path) -> Radicale:
    """Start Radicale and wait until it answers (at most 15 s)."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--config",
            "",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(storage),
            "--auth-type",
            "none",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = Radicale(port, process)
    deadline = time.monotonic() + 15
    while True:
        try:
            status, _, _ = server.request("OPTIONS", "/")
            if status < 500:
                return server
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"Radicale did not start on port {port}")
        time.sleep(0.05)


@dataclass
class Laptop:
    """One machine: its database, its two vdir folders, its vdirsyncer and netbalance configs."""

    name: str
    root: Path

    @property
    def db(self) -> Path:
        return self.root / "netbalance.json"

    @property
    def contacts(self) -> Path:
        return self.root / "vdirs" / "contacts"

    @property
    def calendar(self) -> Path:
        return self.root / "vdirs" / "calendar"

    @property
    def config_home(self) -> Path:
        return self.root / "config"

    @property
    def vdirsyncer_config(self) -> Path:
        return self.root / "vdirsyncer.conf"

    def command(self) -> list[str]:
        cli = vdirsyncer_cli()
        assert cli is not None
        return [cli, "-c", str(self.vdirsyncer_config)]

    def vdirsyncer(self, *args: str) -> None:
        done = subprocess.run(
            [*self.command(), *args], capture_output=True, text=True, timeout=60, check=False
        )
        assert done.returncode == 0, done.stderr + done.stdout


def make_laptop(root: Path, name: str, server: Radicale, user: str = USER) -> Laptop:
    """A laptop whose vdirs vdirsyncer syncs with `user`'s collections on the server, and
    whose netbalance runs `vdirsyncer sync` before and after its own sync (config.toml
    [sync])."""
    laptop = Laptop(name, root / name)
    for folder in (laptop.contacts, laptop.calendar, laptop.config_home / "netbalance"):
        folder.mkdir(parents=True)
    status = laptop.root / "status"
    pairs = []
    for pair, storage, folder, ext in (
        ("contacts", "carddav", laptop.contacts, ".vcf"),
        ("calendar", "caldav", laptop.calendar, ".ics"),
    ):
        pairs.append(
            f"""
[pair {pair}]
a = "{pair}_local"
b = "{pair}_remote"
collections = null
conflict_resolution = "a wins"

[storage {pair}_local]
type = "filesystem"
path = "{folder}"
fileext = "{ext}"

[storage {pair}_remote]
type = "{storage}"
url = "{server.base}/{user}/{pair}/"
username = "{user}"
password = "{PASSWORD}"
"""
        )
    laptop.vdirsyncer_config.write_text(
        f'[general]\nstatus_path = "{status}/"\n' + "".join(pairs), encoding="utf-8"
    )
    command = " ".join(laptop.command()) + " sync"
    (laptop.config_home / "netbalance" / "config.toml").write_text(
        f'[sync]\ncontacts = "{laptop.contacts}"\ncalendar = "{laptop.calendar}"\n'
        f'command = "{command}"\n',
        encoding="utf-8",
    )
    laptop.vdirsyncer("discover")
    return laptop


def environ_for(laptop: Laptop) -> dict[str, str]:
    return {**os.environ, "XDG_CONFIG_HOME": str(laptop.config_home)}
