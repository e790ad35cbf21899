"""The app in a browser, through textual-serve, for colleagues without a terminal.

Each browser connection starts ``pulsetui`` on the workspace in a child process with
Textual's web driver. The page shows everything the app shows, private notes included,
so the server listens on the loopback interface only (unless asked otherwise) and lets
in only a browser that opened the one-time link printed at start: the token in that
link is exchanged once for a session cookie and is refused afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.server import Server

COOKIE = "pulsetui_session"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine (127.0.0.0/8, ::1, localhost)."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def free_port(host: str) -> int:
    """A port nobody listens on right now (for ``--port 0``)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def app_command(home: Path, as_name: str | None) -> str:
    """The shell command textual-serve runs for each browser connection."""
    words = [sys.executable, "-m", "pulsetui", "--home", str(home)]
    if as_name:
        words += ["--as", as_name]
    return shlex.join(words)


class GuardedServer(Server):
    """textual-serve with a one-time link: ``/?token=…`` once, then a session cookie."""

    def __init__(self, command: str, host: str, port: int, token: str) -> None:
        url_host = f"[{host}]" if ":" in host else host
        super().__init__(
            command, host=host, port=port, title="pulsetui", public_url=f"http://{url_host}:{port}"
        )
        self._token: str | None = token
        self._session = secrets.token_urlsafe(32)

    @property
    def link(self) -> str:
        return f"{self.public_url}/?token={self._token}"

    def _admitted(self, request: web.Request) -> bool:
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), self._session)

    def _redeem(self, request: web.Request) -> bool:
        """The one-time token: valid once, then only the cookie it gave counts."""
        offered = request.query.get("token", "")
        if self._token is None or not hmac.compare_digest(offered, self._token):
            return False
        self._token = None
        return True

    @web.middleware
    async def _guard(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path.startswith("/static/"):
            return await handler(request)
        if self._admitted(request):
            return await handler(request)
        if request.path == "/" and self._redeem(request):
            response = await handler(request)
            response.set_cookie(COOKIE, self._session, httponly=True, samesite="Strict")
            return response
        raise web.HTTPForbidden(
            text="pulsetui: open the link printed by 'pulsetui serve' (it works once)\n"
        )

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Nothing yet: the link is printed once the socket listens (:meth:`serve`)."""

    def _listening(self, *_: Any) -> None:
        self.console.print(f"pulsetui is served on {self.public_url} (Ctrl+C stops it)")
        self.console.print("Open this link once; it lets one browser in:", highlight=False)
        self.console.print(self.link, highlight=False, soft_wrap=True)

    def serve(self, debug: bool = False) -> None:
        """Serve until Ctrl+C or SIGTERM. Unlike the base class, the link is printed
        only after the socket listens, so whoever follows it at once gets in."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(signum, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            print=self._listening,
        )


def serve(home: Path, as_name: str | None, host: str, port: int) -> None:
    """Run the web server until Ctrl+C."""
    port = port or free_port(host)
    server = GuardedServer(app_command(home, as_name), host, port, secrets.token_urlsafe(24))
    server.serve()
