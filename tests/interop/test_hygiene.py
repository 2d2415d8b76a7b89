"""Interop is below the UI and beside the store: it must import neither textual nor the store."""

from __future__ import annotations

import subprocess
import sys


def test_interop_imports_no_textual_and_no_store() -> None:
    code = (
        "import sys, netbalance.interop, netbalance.interop.vcard, netbalance.interop.ics, "
        "netbalance.interop.export_ics, netbalance.interop.export_vcard, "
        "netbalance.interop.json_backup, netbalance.interop.csv_google, "
        "netbalance.interop.csv_outlook, netbalance.interop.csv_linkedin; "
        "bad = [m for m in sys.modules "
        "if m.startswith(('textual', 'netbalance.store', 'tinydb'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
