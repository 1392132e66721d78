"""Real servers for the API tests: uvicorn in a thread (the app object) or `socmed serve` as a
process (the command), both on 127.0.0.1 and a port the OS chooses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn


@contextmanager
def uvicorn_thread(app: Any) -> Iterator[str]:
    """Serve `app` on 127.0.0.1:0 in a thread; yields the base URL."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False,
                            lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


class ServeProcess:
    """`socmed serve --port 0` as a child process; its stderr (JSON lines) is collected."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "socmed_cli.main", *args, "serve", "--port", "0"],
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
            env={**os.environ, **(env or {})})
        self.lines: list[str] = []
        self.port: int | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + 60
        while self.port is None:
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.stop()
                raise RuntimeError("socmed serve did not start:\n" + "\n".join(self.lines))
            time.sleep(0.05)

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))
            if self.port is None and "running on http://127.0.0.1:" in line:
                message = json.loads(line)["message"]
                self.port = int(message.split("127.0.0.1:")[1].split()[0])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.lines if line.startswith("{")]

    def stop(self) -> bool:
        """SIGTERM, then whether the server shut down cleanly: it logged the end of the
        shutdown (uvicorn re-raises the signal afterwards, so the exit status is SIGTERM's)."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            code = self.process.wait(timeout=30)
        finally:
            self._reader.join(timeout=5)
        finished = any("Finished server process" in line for line in self.lines)
        return finished and code in (0, -15)


def init_store(data_dir: Path | None, database_url: str | None) -> list[str]:
    """A store made with the CLI; returns the global options that name it."""
    args = ["--database-url", database_url] if database_url else ["--data-dir", str(data_dir)]
    subprocess.run([sys.executable, "-m", "socmed_cli.main", *args, "init", "--org", "PT Uji",
                    "--manager", "rina.mm", "--name", "Rina"], check=True,
                   capture_output=True)
    return args
