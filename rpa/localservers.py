"""A real redis-server and a real PostgreSQL on loopback ports, in folders of their own, for trying the
distributed mode out on one machine (`make cluster`) and for the tests (`tests/servers.py`).

Nothing here is for production: the servers live in a folder given to them, listen on 127.0.0.1 only,
and are stopped by whoever started them. PostgreSQL refuses to run as root: as root, its folder is
handed to the `postgres` OS user (created by the Debian package) and its programs run as that user.
The database password is random, written 0600 next to the data, and never printed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import secrets
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

STARTUP_S = 30.0


class ServerMissing(RuntimeError):
    """The server's programs are not installed (the reason says what to install)."""


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes] | None, timeout_s: float = STARTUP_S) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with status {process.returncode} before listening")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout_s:.0f} s")


@dataclass
class RedisServer:
    """A redis-server of our own (no persistence, loopback only)."""

    folder: Path
    port: int
    process: subprocess.Popen[bytes]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @classmethod
    def start(cls, folder: Path, port: int | None = None) -> RedisServer:
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServerMissing("redis-server is not installed (Debian/Ubuntu: apt-get install redis-server)")
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        folder.chmod(0o700)
        port = port or free_port()
        args = [binary, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder), "--save", "",
                "--appendonly", "no", "--protected-mode", "yes", "--daemonize", "no",
                "--logfile", str(folder / "redis.log")]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            _wait_for_port(port, process)
        except BaseException:
            process.kill()
            raise
        return cls(folder, port, process)

    def flush(self) -> None:
        """Forget every key (a clean broker for the next test)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=5) as conn:
            conn.sendall(b"FLUSHALL\r\n")
            conn.recv(64)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def postgres_bin() -> Path:
    """The folder of PostgreSQL's server programs (newest version installed)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
                   if p.split("/")[4].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise ServerMissing("PostgreSQL is not installed (Debian/Ubuntu: apt-get install postgresql)")


@dataclass
class PostgresServer:
    """A PostgreSQL cluster of our own: a data dir, a random password, loopback only."""

    folder: Path
    port: int
    password: str
    bin_dir: Path
    as_user: list[str]

    USER = "katip"

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @classmethod
    def start(cls, folder: Path, port: int | None = None) -> PostgresServer:
        bin_dir = postgres_bin()
        as_user: list[str] = []
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # PostgreSQL will not run as root: as its own OS user
            runuser = shutil.which("runuser")
            try:
                import pwd

                owner = pwd.getpwnam("postgres")
            except KeyError:
                raise ServerMissing("running as root and there is no 'postgres' OS user to run PostgreSQL as") \
                    from None
            if runuser is None:
                raise ServerMissing("running as root and runuser is missing (util-linux)")
            as_user = [runuser, "-u", "postgres", "--"]
            os.chown(folder, owner.pw_uid, owner.pw_gid)
        folder.chmod(0o700)
        port = port or free_port()
        password = secrets.token_urlsafe(18)
        server = cls(folder, port, password, bin_dir, as_user)
        if not (server.data / "PG_VERSION").exists():
            pwfile = folder / "pwfile"
            pwfile.write_text(password + "\n")
            pwfile.chmod(0o600)
            if as_user:
                os.chown(pwfile, owner.pw_uid, owner.pw_gid)
            server._run("initdb", "-D", str(server.data), "-U", cls.USER, "--pwfile", str(pwfile),
                        "--auth-local=scram-sha-256", "--auth-host=scram-sha-256", "-E", "UTF8",
                        "--locale=C.UTF-8", "--no-sync")
        else:  # a folder started before (`make cluster` again): its password is kept
            server.password = (folder / "pwfile").read_text().strip()
        options = (f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={folder} "
                   "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        server._run("pg_ctl", "-D", str(server.data), "-l", str(folder / "postgres.log"), "-o", options,
                    "-w", "-t", str(int(STARTUP_S)), "start")
        _wait_for_port(port, None)
        return server

    def _run(self, program: str, *args: str) -> None:
        answer = subprocess.run([*self.as_user, str(self.bin_dir / program), *args], capture_output=True,
                                text=True, timeout=120, cwd=self.folder)
        if answer.returncode != 0:
            raise RuntimeError(f"{program} failed ({answer.returncode}): {answer.stderr.strip()[-800:]}")

    def create_database(self, name: str) -> str:
        """A new empty database; its URL."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.USER, password=self.password,
                             dbname="postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def ensure_database(self, name: str) -> str:
        """The database `name`, created if it is not there yet; its URL."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=self.USER, password=self.password,
                             dbname="postgres", autocommit=True) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
