"""A PgBouncer (Debian's `pgbouncer` package) in transaction pooling mode on a free port of
127.0.0.1, in front of the test PostgreSQL, for the duration of a `with` block.

    with PgBouncer(postgres_url) as bouncer:
        bouncer.url("mydb")        # postgresql://postgres@127.0.0.1:PORT/mydb

`binary()` is None when PgBouncer is not installed (tests skip locally; CI installs it).
PgBouncer refuses to run as root: as root it is started with `-u nobody`.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse


def binary() -> str | None:
    return shutil.which("pgbouncer") or next(
        (p for p in ("/usr/sbin/pgbouncer", "/usr/bin/pgbouncer") if Path(p).exists()), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PgBouncer:
    def __init__(self, postgres_url: str, pool_mode: str = "transaction") -> None:
        parsed = urlparse(postgres_url)
        self.host = parsed.hostname or "127.0.0.1"
        self.server_port = parsed.port or 5432
        self.user = parsed.username or "postgres"
        self.pool_mode = pool_mode
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
        self.process: subprocess.Popen[bytes] | None = None

    def url(self, database: str) -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def __enter__(self) -> PgBouncer:
        found = binary()
        assert found is not None, "pgbouncer is not installed"
        (self.dir / "userlist.txt").write_text(f'"{self.user}" ""\n')
        (self.dir / "pgbouncer.ini").write_text(
            "[databases]\n"
            f"* = host={self.host} port={self.server_port}\n"
            "[pgbouncer]\n"
            f"listen_addr = 127.0.0.1\nlisten_port = {self.port}\nunix_socket_dir =\n"
            f"auth_type = trust\nauth_file = {self.dir / 'userlist.txt'}\n"
            f"pool_mode = {self.pool_mode}\nmax_client_conn = 500\ndefault_pool_size = 20\n"
            # psycopg sends these at connect; transaction pooling cannot keep session
            # settings, so PgBouncer must be told to ignore them (see docs/scaling.md)
            "ignore_startup_parameters = extra_float_digits,options\n"
            f"logfile = {self.dir / 'pgbouncer.log'}\n")
        self.dir.chmod(0o755)
        for name in ("userlist.txt", "pgbouncer.ini"):
            (self.dir / name).chmod(0o644)
        (self.dir / "pgbouncer.log").touch(mode=0o666)
        (self.dir / "pgbouncer.log").chmod(0o666)
        args = [found, str(self.dir / "pgbouncer.ini")]
        if os.geteuid() == 0:
            args[1:1] = ["-u", "nobody"]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                error = self.process.stderr.read() if self.process.stderr else b""
                raise AssertionError(f"pgbouncer stopped: {error!r} "
                                     f"{(self.dir / 'pgbouncer.log').read_text()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise AssertionError("pgbouncer did not start")

    def logins(self, database: str) -> int:
        """Client logins to `database` PgBouncer has logged so far."""
        text = (self.dir / "pgbouncer.log").read_text(errors="replace")
        return sum(1 for line in text.splitlines()
                   if "login attempt" in line and f"db={database}" in line)

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        shutil.rmtree(self.dir, ignore_errors=True)
