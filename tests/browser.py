"""A real headless browser for the tests: Chromium (or Chrome) driven through the DevTools protocol,
over the websocket client of tornado (already installed: Jupyter's kernel stands on it).

`find_browser()` is None on a machine without one: the tests that need it skip. The browser's
own network events are recorded (every request it sends, with its type), so a test counts what
the page really did.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import subprocess
import threading
import urllib.request
from collections.abc import Callable
from pathlib import Path

from conftest import GUARD_SECONDS
from tornado.websocket import websocket_connect

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


def find_browser() -> str | None:
    return next((path for name in NAMES if (path := shutil.which(name))), None)


class Browser:
    """One headless browser with one tab; `events` holds every DevTools event received, in order."""

    def __init__(self, executable: str, profile: Path):
        self.process = subprocess.Popen(
            [executable, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--remote-debugging-port=0", f"--user-data-dir={profile}",
             "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file = profile / "DevToolsActivePort"
        self.wait_until(lambda: port_file.is_file() and len(port_file.read_text().split()) >= 2, "DevTools port")
        port = port_file.read_text().split()[0]
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=GUARD_SECONDS) as response:
            page = next(t for t in json.load(response) if t["type"] == "page")
        self.events: list[dict] = []
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._loop = asyncio.new_event_loop()
        threading.Thread(target=self._loop.run_forever, daemon=True).start()
        self._socket = self._run(lambda: websocket_connect(page["webSocketDebuggerUrl"], max_message_size=1 << 26))
        asyncio.run_coroutine_threadsafe(self._receive(), self._loop)

    def _run(self, make: Callable):
        """Run what `make()` returns (a coroutine or a future, made inside the loop) and wait for it."""
        async def wrapped():
            return await make()
        return asyncio.run_coroutine_threadsafe(wrapped(), self._loop).result(GUARD_SECONDS)

    async def _receive(self) -> None:
        while (message := await self._socket.read_message()) is not None:
            data = json.loads(message)
            if "id" in data and data["id"] in self._pending:
                self._pending.pop(data["id"]).set_result(data)
            elif "method" in data:
                self.events.append(data)

    def call(self, method: str, **params) -> dict:
        async def send() -> dict:
            number = next(self._ids)
            # held here: the reader pops it from _pending as the answer arrives, which can be
            # before write_message returns
            answer = self._pending[number] = self._loop.create_future()
            await self._socket.write_message(json.dumps({"id": number, "method": method, "params": params}))
            return await answer
        return self._run(send).get("result", {})

    def requests(self, kind: str, path: str) -> list[dict]:
        """The requests of one resource type ("Document", "Fetch") whose URL ends with `path`."""
        return [e for e in list(self.events) if e["method"] == "Network.requestWillBeSent"
                and e["params"].get("type") == kind and e["params"]["request"]["url"].endswith(path)]

    def text(self) -> str:
        return self.call("Runtime.evaluate", expression="document.body.innerText")["result"]["value"]

    def wait_until(self, ready: Callable[[], bool], what: str) -> None:
        done = threading.Event()
        for _ in range(GUARD_SECONDS * 20):  # a guard against a hang, never a measure of speed
            if ready():
                return
            done.wait(0.05)
        raise TimeoutError(f"the browser never gave its {what}")

    def close(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self.process.terminate()
        try:
            self.process.wait(timeout=GUARD_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
