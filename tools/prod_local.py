"""The production layout on one machine, on loopback (`make prod-local`):

    nginx (Debian's package) :PORT ── /ws/ ──▶ Daphne x2 (round robin)
                                  └── /    ──▶ gunicorn (WSGI)
    job workers x2 (manage.py procrastinate worker), Redis, PostgreSQL,
    an SMTP server (aiosmtpd, tests/smtp.py) writing each message to a file.

Every process runs `b2bbank.settings.production`. `make prod-local` creates a
`<name>_prodlocal` database next to DATABASE_URL's (or on the embedded server),
migrates it, adds the demo data and runs until Ctrl-C. The test
(tests/test_prod_local.py) uses the same class on its test database and stops
and starts the SMTP server and the workers."""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from b2bbank import websocket_server  # noqa: E402
from tests.servers import free_port, wait_for_port  # noqa: E402

# A little above the 25 MB document limit (DESIGN.md), for the multipart envelope.
UPLOAD_LIMIT = "26m"
# Short clocks, so a dead worker's job and a failed email come back within seconds
# (production keeps the defaults in docs/deploy.md).
FAST_CLOCKS = {
    "B2BBANK_JOB_RETRY_BASE_SECONDS": "2",
    "B2BBANK_WORKER_HEARTBEAT_SECONDS": "1",
    "B2BBANK_WORKER_STALLED_SECONDS": "4",
    "B2BBANK_STALLED_SWEEP_CRON": "* * * * * */2",
}

NGINX_CONF = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
{user}
events {{ worker_connections 256; }}
http {{
    access_log {run}/nginx-access.log;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size {upload_limit};

    upstream b2bbank_http {{ server 127.0.0.1:{http_port}; keepalive 16; }}
    upstream b2bbank_ws {{ {ws_servers} }}

    server {{
        listen 127.0.0.1:{port} so_keepalive=60s:10s:3;
        server_name 127.0.0.1 localhost;
        location /ws/ {{
            proxy_pass http://b2bbank_ws;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            proxy_read_timeout 1h;
            # Which Daphne took the socket (loopback only: never expose this in production).
            add_header X-Upstream $upstream_addr always;
        }}
        location / {{
            proxy_pass http://b2bbank_http;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
        }}
    }}
}}
"""


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if not found:
        raise RuntimeError(
            "nginx is missing: apt-get update && apt-get install -y nginx (make prod-local does)"
        )
    return found


@dataclass
class ProdLocal:
    """Start, stop and restart the pieces of the layout; `env` is what every
    Django process gets."""

    database_url: str
    redis_url: str
    run_dir: Path
    port: int = 0
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.mail_dir = self.run_dir / "mail"
        self.mail_dir.mkdir(exist_ok=True)
        self.port = self.port or free_port()
        self.http_port, self.smtp_port = free_port(), free_port()
        self.ws_ports = [free_port(), free_port()]
        self.env = {
            **os.environ,
            **FAST_CLOCKS,
            "DJANGO_SETTINGS_MODULE": "b2bbank.settings.production",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback; TLS is the proxy's job
            "DJANGO_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{self.port}",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "B2BBANK_CHANNEL_PREFIX": f"prodlocal-{secrets.token_hex(4)}",
            "B2BBANK_TRUSTED_PROXIES": "127.0.0.1",  # nginx, on this machine
            "B2BBANK_SITE_URL": f"http://127.0.0.1:{self.port}",
            "B2BBANK_2FA_REQUIRED_ROLES": "",
            "B2BBANK_2FA_REQUIRED_FOR_STAFF": "false",
            "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "DJANGO_EMAIL_HOST": "127.0.0.1",
            "DJANGO_EMAIL_PORT": str(self.smtp_port),
            "DJANGO_EMAIL_TIMEOUT": "5",
        }
        self.env.pop("B2BBANK_SERVE_DATABASE", None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True)  # noqa: S603

    def _spawn(
        self, name: str, argv: list[str], port: int | None = None, env: dict[str, str] | None = None
    ) -> subprocess.Popen[bytes]:
        log = (self.run_dir / f"{name}.log").open("ab")
        process = subprocess.Popen(  # noqa: S603
            argv, cwd=ROOT, env={**self.env, **(env or {})}, stdout=log, stderr=subprocess.STDOUT
        )
        self.processes[name] = process
        if port is not None:
            wait_for_port(port, process, timeout=60)
        return process

    def start_smtp(self) -> None:
        self._spawn(
            "smtp",
            [sys.executable, "-m", "tests.smtp", str(self.smtp_port), str(self.mail_dir)],
            self.smtp_port,
        )

    def start_worker(self, name: str) -> subprocess.Popen[bytes]:
        return self._spawn(name, [sys.executable, "manage.py", "procrastinate", "worker", "--name", name])

    def _nginx_conf(self) -> Path:
        conf = self.run_dir / "nginx.conf"
        user = "user root root;" if os.geteuid() == 0 else ""
        servers = " ".join(f"server 127.0.0.1:{port};" for port in self.ws_ports)
        conf.write_text(
            NGINX_CONF.format(
                run=self.run_dir,
                user=user,
                upload_limit=UPLOAD_LIMIT,
                http_port=self.http_port,
                ws_servers=servers,
                port=self.port,
            )
        )
        return conf

    def start(self) -> None:
        """Everything, in dependency order; returns once nginx listens."""
        self.start_smtp()
        gunicorn = [
            sys.executable, "-m", "gunicorn", "b2bbank.wsgi:application",
            "--bind", f"127.0.0.1:{self.http_port}", "--workers", "3", "--timeout", "30",
        ]  # fmt: skip
        self._spawn("gunicorn", gunicorn)
        for index, port in enumerate(self.ws_ports, start=1):
            daphne = websocket_server.command(port)
            self._spawn(f"daphne{index}", daphne, env={"DJANGO_DB_POOL": "1"})
        self.start_worker("worker1")
        self.start_worker("worker2")
        for name, port in (
            ("gunicorn", self.http_port),
            ("daphne1", self.ws_ports[0]),
            ("daphne2", self.ws_ports[1]),
        ):
            wait_for_port(port, self.processes[name], timeout=60)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / sub).mkdir(exist_ok=True)
        conf = self._nginx_conf()
        nginx = [nginx_binary(), "-p", str(self.run_dir), "-c", str(conf), "-g", "daemon off;"]
        self._spawn("nginx", nginx, self.port)

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            process.send_signal(sig)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop_all(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)


def database_url_for(db: dict[str, Any], name: str | None = None) -> str:
    """A DATABASE_URL for a Django DATABASES entry. A socket directory as host
    (the embedded server) goes in the path, the form django-environ reads back
    as HOST and NAME; it leaves a percent-encoded host name undecoded."""
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    user = f"{db.get('USER') or 'postgres'}{password}"
    name = name or db["NAME"]
    if host.startswith("/"):
        return f"postgres://{user}@{port}/{quote(f'{host}/{name}', safe='')}"
    return f"postgres://{user}@{host}{port}/{name}"


def _database_url() -> str:
    """DATABASE_URL's server with a `_prodlocal` database, or the embedded server."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "b2bbank.settings.dev")
    import django

    django.setup()
    from django.db import connection

    name = f"{connection.settings_dict['NAME']}_prodlocal"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    return database_url_for(connection.settings_dict, name)


def main() -> None:  # pragma: no cover - interactive
    layout = ProdLocal(
        database_url=_database_url(),
        redis_url=os.environ.get("PRODLOCAL_REDIS_URL", "redis://127.0.0.1:6379/12"),
        run_dir=ROOT / ".data" / "prod-local",
        port=int(os.environ.get("PORT", "8080")),
    )
    layout.manage("migrate", "--noinput")
    layout.manage("collectstatic", "--noinput", "--verbosity", "0")
    layout.manage("seed_demo")
    try:
        layout.start()
        print(
            f"prod-local on {layout.url} (nginx -> gunicorn, 2 Daphne, 2 workers); mail in {layout.mail_dir}"
        )
        print(f"logs in {layout.run_dir}; Ctrl-C stops everything")
        while all(p.poll() is None for p in layout.processes.values()):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        layout.stop_all()


if __name__ == "__main__":
    main()
