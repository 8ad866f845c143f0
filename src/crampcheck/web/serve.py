"""``crampcheck serve``: run the web app with uvicorn, loopback by default.

Binding to any address other than loopback needs a token; without ``--token`` one is
generated and printed with the login link. uvicorn's access log is off (paths and query
strings could carry health data or the token), and only warnings are logged.
"""

from __future__ import annotations

import threading
import webbrowser
from pathlib import Path

from .security import check_bind, is_loopback, new_token


def plan_bind(host: str, token: str | None) -> tuple[str | None, bool]:
    """The token to use and whether it was generated here (non-loopback without a token)."""
    if token is None and not is_loopback(host):
        return new_token(), True
    check_bind(host, token)
    return token, False


def login_url(host: str, port: int, token: str | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    base = f"http://{shown}:{port}"
    return f"{base}/login?token={token}" if token else f"{base}/"


def serve(host: str = "127.0.0.1", port: int = 8765, token: str | None = None,
          open_browser: bool = False, db: Path | None = None, person: str = "me",
          echo: object = print) -> None:
    """Build the app and run it until interrupted."""
    import uvicorn

    from .app import create_app

    token, generated = plan_bind(host, token)
    app = create_app(db, person, token=token, host=host)
    url = login_url(host, port, token)
    say = echo if callable(echo) else print
    if generated:
        say(f"{host} is reachable from other machines, so a token is required; generated one: "
            f"{token}")
    say(f"crampcheck is serving the journal of '{person}' at {url}  (Ctrl+C to stop)")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="warning",
                server_header=False, date_header=False, proxy_headers=False)
