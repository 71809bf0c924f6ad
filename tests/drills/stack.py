"""A private stack for the fault drills: PostgreSQL, Redis and an SMTP server started here, on their own ports,
plus the portal's web processes and Celery workers as subprocesses on them. Nothing here touches the shared
PostgreSQL (5432) or Redis (6379).

Ports (DRILL_PORT_BASE, default 8150): web processes and the SMTP sink on BASE..BASE+9; PostgreSQL on
DRILL_PG_PORT (55432), Redis on DRILL_REDIS_PORT (15379).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2
import redis

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
CELERY = str(Path(sys.executable).parent / "celery")
PORT_BASE = int(os.environ.get("DRILL_PORT_BASE", "8150"))
PG_PORT = int(os.environ.get("DRILL_PG_PORT", "55432"))
REDIS_PORT = int(os.environ.get("DRILL_REDIS_PORT", "15379"))
DB_NAME = "gmg_drill"


def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    raise RuntimeError(f"{name} not found: the drills need PostgreSQL's server binaries (Debian: postgresql).")


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres account then."""
    if os.geteuid() != 0:
        return command
    pwd.getpwnam("postgres")  # the Debian package's account
    return ["runuser", "-u", "postgres", "--", *command]


def wait_until(condition, seconds: float, what: str, pause: float = 0.2):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(pause)
    raise AssertionError(f"Timed out after {seconds:.0f}s waiting for {what}.")


class PostgreSQL:
    def __init__(self, folder: Path, port: int = PG_PORT):
        self.folder, self.port = folder, port
        self.data = folder / "pgdata"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{DB_NAME}"

    def _ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "pg.log"), *args]),
            check=True,
            capture_output=True,
            timeout=60,
        )

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            _as_postgres([_pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"]),
            check=True,
            capture_output=True,
            timeout=120,
        )
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off -c max_connections=60"
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"\n# the drill's private server\nport = {self.port}\n")
        self.options = options
        self.start()
        conn = self.connect("postgres")
        try:
            conn.cursor().execute(f"CREATE DATABASE {DB_NAME}")
        finally:
            conn.close()

    def start(self) -> None:
        self._ctl("-o", self.options, "-w", "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "-w", "stop")

    def restart(self) -> None:
        self._ctl("-m", "fast", "-o", self.options, "-w", "restart")

    def connect(self, dbname: str = DB_NAME):
        conn = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, connect_timeout=5)
        conn.autocommit = True
        return conn

    def query(self, sql: str, params=()):
        conn = self.connect()
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if cursor.description else None
        finally:
            conn.close()

    def reset(self) -> None:
        """Empty every table but the migrations' and the content types', between drills."""
        keep = {"django_migrations", "django_content_type", "auth_permission"}
        found = self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [t for (t,) in found if t not in keep]
        self.query("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")

    def destroy(self) -> None:
        with contextlib.suppress(Exception):  # already stopped
            self.stop()


class Redis:
    def __init__(self, folder: Path, port: int = REDIS_PORT):
        self.folder, self.port = folder, port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def cache_url(self) -> str:
        """The shared cache (GMG_CACHE_URL) on its own database of the same Redis, as the README runs it."""
        return f"redis://127.0.0.1:{self.port}/1"

    def cache(self) -> redis.Redis:
        return redis.Redis.from_url(self.cache_url)

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
            + ["--save", "", "--appendonly", "no", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, 20, "the private Redis")

    def answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)
        self.process = None

    def flush(self) -> None:
        redis.Redis(port=self.port).flushall()


@dataclass
class Mail:
    to: list[str]
    subject: str
    text: str


@dataclass
class SMTPSink:
    """A real SMTP server (aiosmtpd) that keeps what it receives; it can refuse addresses and run a hook."""

    port: int = PORT_BASE + 1
    refuse: set[str] = field(default_factory=set)
    on_message: object = None
    mails: list[Mail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: object = None

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        sink = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in sink.refuse:
                    return "550 5.1.1 No such user here"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                from email import message_from_bytes, policy

                message = message_from_bytes(envelope.content, policy=policy.default)
                part = message.get_body(preferencelist=("plain",))
                mail = Mail(list(envelope.rcpt_tos), str(message["Subject"]), part.get_content() if part else "")
                if sink.on_message is not None:
                    sink.on_message(mail)
                with sink.lock:
                    sink.mails.append(mail)
                return "250 Message accepted for delivery"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def received(self) -> list[Mail]:
        with self.lock:
            return list(self.mails)


class Processes:
    """The portal's processes on the private stack: web (runserver, no reloader) and Celery workers."""

    def __init__(self, pg: PostgreSQL, broker: Redis, folder: Path, smtp_port: int):
        self.pg, self.broker, self.folder, self.smtp_port = pg, broker, folder, smtp_port
        self.started: list[tuple[str, subprocess.Popen]] = []

    def env(self, **extra) -> dict:
        return {
            **os.environ,
            "DATABASE_URL": self.pg.url,
            "REDIS_URL": self.broker.url,
            "CELERY_BROKER_URL": self.broker.url,
            # Every web process and worker shares one cache, as in production: the throttles' counters and the
            # kept parts of pages (without it each process would keep its own and the drills would not see it).
            "GMG_CACHE_URL": self.broker.cache_url,
            "DJANGO_SECRET_KEY": "drill-only-secret",
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_COOKIES": "false",  # plain HTTP on the loopback, behind nothing
            "GMG_STATIC_MANIFEST": "false",  # no collectstatic for a drill
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_TIMEOUT": "5",
            "GMG_REMINDER_QUEUE": "reminders",
            "GMG_REMINDER_RETRY_BACKOFF_SECONDS": "1",
            "GMG_REMINDER_RETRY_BACKOFF_MAX_SECONDS": "2",
            "GMG_REMINDER_RELAY_SECONDS": "2",
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def _spawn(self, name: str, command: list[str], **extra) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(command, cwd=ROOT, env=self.env(**extra), stdout=log, stderr=subprocess.STDOUT)
        self.started.append((name, process))
        return process

    def worker(self, name: str, **extra) -> subprocess.Popen:
        return self._spawn(
            name,
            [CELERY, "-A", "gmg_portal", "worker", "--pool=solo", "-Q", "reminders,celery", "-n", f"{name}@%h"]
            + ["--loglevel=INFO", "--without-gossip", "--without-mingle"],
            **extra,
        )

    def web(self, name: str, port: int, **extra) -> subprocess.Popen:
        process = self._spawn(
            name, [PYTHON, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"], **extra
        )
        return process

    def manage(self, *args: str, timeout: float = 180, **extra) -> str:
        command = [PYTHON, "manage.py", *args]
        done = subprocess.run(command, cwd=ROOT, env=self.env(**extra), capture_output=True, text=True, timeout=timeout)
        if done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def driver(self, *args: str, timeout: float = 120, **extra):
        """Run a step of tests/drills/driver.py against the private stack; its JSON answer."""
        done = subprocess.run(
            [PYTHON, "-m", "tests.drills.driver", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AssertionError(f"driver {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def log(self, name: str, *, whole: bool = False) -> str:
        path = self.folder / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return text if whole else text[-6000:]

    def kill(self, process: subprocess.Popen, sig=signal.SIGTERM) -> None:
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for _, process in self.started:
            self.kill(process)
        self.started.clear()

    def assert_running(self) -> None:
        for name, process in self.started:
            if process.poll() is not None:
                raise AssertionError(f"{name} stopped:\n{self.log(name)}")
