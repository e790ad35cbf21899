"""``pulsetui serve``: the app in a browser. The server is started as a user starts it
and spoken to over HTTP and its websocket, as a browser would."""

from __future__ import annotations

import asyncio
import os
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

aiohttp = pytest.importorskip("aiohttp")
pytest.importorskip("textual_serve")

LINK = re.compile(r"http://127\.0\.0\.1:(\d+)/\?token=[\w-]+")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _pulsetui(*args: str) -> list[str]:
    return [sys.executable, "-m", "pulsetui", *args]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """A server on a demo workspace; yields the one-time link and the port."""
    home = tmp_path / "home"
    subprocess.run(_pulsetui("demo", "--home", str(home)), check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        _pulsetui("--home", str(home), "serve", "--port", str(port)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        assert server.stdout is not None
        link = None
        for line in server.stdout:  # the server prints the link once it listens
            found = LINK.search(line)
            if found:
                link = found.group(0)
                break
        assert link is not None, "no link printed"
        yield link, port
    finally:
        server.terminate()
        server.wait(timeout=30)


async def _get(session: aiohttp.ClientSession, url: str) -> tuple[int, str]:
    async with session.get(url) as response:
        return response.status, await response.text()


def test_only_the_one_time_link_lets_a_browser_in(served: tuple[str, int]) -> None:
    link, port = served
    base = f"http://127.0.0.1:{port}"

    async def browse() -> None:
        async with aiohttp.ClientSession() as stranger:
            assert (await _get(stranger, f"{base}/"))[0] == 403
            assert (await _get(stranger, f"{base}/?token=guess"))[0] == 403
        # a browser keeps cookies of a numeric host; aiohttp only when told to
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            status, page = await _get(browser, link)
            assert status == 200 and f"ws://127.0.0.1:{port}/ws" in page
            assert (await _get(browser, f"{base}/"))[0] == 200, "the session cookie lets it in"
            # the app itself runs behind the websocket and draws Today
            drawn = b""
            async with browser.ws_connect(f"{base}/ws?width=80&height=24") as ws:
                while b"Today" not in drawn:
                    message = await asyncio.wait_for(ws.receive(), timeout=60)
                    if message.type != aiohttp.WSMsgType.BINARY:
                        assert message.type == aiohttp.WSMsgType.TEXT, message
                        continue
                    drawn += message.data
        async with aiohttp.ClientSession() as second:
            assert (await _get(second, link))[0] == 403, "the link works once"
            with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
                await second.ws_connect(f"{base}/ws")
            assert refused.value.status == 403

    asyncio.run(browse())


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "192.0.2.10", "example.org"])
def test_other_interfaces_are_refused_unless_asked(tmp_path: Path, host: str) -> None:
    done = subprocess.run(
        _pulsetui("--home", str(tmp_path / "h"), "serve", "--host", host),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("pulsetui: invalid host: ")
    assert "--allow-remote" in done.stderr


def test_the_server_listens_on_loopback_only(served: tuple[str, int]) -> None:
    _, port = served
    with socket.create_connection(("127.0.0.1", port), timeout=10):
        pass
    outward = [
        address
        for *_, (address, *_) in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        if not address.startswith("127.")
    ]
    for address in outward:
        with pytest.raises(OSError), socket.create_connection((address, port), timeout=5):
            pass
