"""A real uvicorn server on 127.0.0.1 and a free port, and Debian's headless Chromium driven
by Playwright (never ``playwright install``: the browser is /usr/bin/chromium). Without
Chromium or Playwright the browser tests are skipped; with ``CI=true`` a Chromium that is
installed but does not start fails them."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CRAMPCHECK_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).parent.parent / "output" / "screenshots"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def e2e_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The journal the module's server uses (a new one per test module)."""
    return tmp_path_factory.mktemp("e2e") / "journal.db"


@pytest.fixture(scope="module")
def server(e2e_db: Path) -> Iterator[str]:
    import uvicorn

    from crampcheck.web.app import create_app

    db = e2e_db
    port = free_port()
    config = uvicorn.Config(create_app(db, "me"), host="127.0.0.1", port=port,
                            access_log=False, log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not srv.started:
        if time.monotonic() > deadline:
            pytest.fail("uvicorn did not start within 15 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium); browser tests "
                    "skipped")
    from playwright import sync_api  # a test requirement (pyproject [test])

    with sync_api.sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        except Exception as exc:  # pragma: no cover - depends on the machine
            if os.environ.get("CI", "").lower() == "true":  # CI has a browser: it must start
                pytest.fail(f"Chromium at {CHROMIUM} is installed but did not start: {exc}")
            pytest.skip(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield b
        b.close()


@pytest.fixture
def shots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
