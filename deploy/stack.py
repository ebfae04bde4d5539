"""A production-shaped Pasar Bangkit on this machine: ``make stack`` / ``make stack-down``.

    .venv/bin/python deploy/stack.py up [--data demo|bench|small] [--login-limit "10 per 5 minutes"] [--workers 2]
    .venv/bin/python deploy/stack.py status
    .venv/bin/python deploy/stack.py down

``up`` starts, all on 127.0.0.1 and on free ports (nginx on 8080 when it is free):

- nginx (Debian's package, installed with apt-get when missing) with ``deploy/nginx.conf``: static files
  and photos served by nginx with long cache headers, gzip (and brotli when Debian's module is there),
  everything else forwarded to
- two gunicorn app servers (``deploy/gunicorn.conf.py``), on two ports;
- a private PostgreSQL cluster (``initdb`` into a temporary folder, its own port) with the database
  ``pasar_stack``, built by ``flask db upgrade`` and filled by ``flask seed-demo`` (or, with
  ``--data bench``, the 20,000-product benchmark catalog with bench customers and sellers; ``--data
  small`` is the same with 200 products, for the CI lane);
- a private redis-server (rate limits, the mail queue) and the RQ worker (``flask rq-worker``);
- moto in server mode as the S3-compatible photo bucket;
- an SMTP sink (aiosmtpd) that writes every delivered message into ``instance/stack/mail`` (Maildir).

Nothing here touches the machine's own PostgreSQL or Redis: the fault benchmarks restart and stop the
stack's private ones. ``down`` stops every process ``up`` started (by the ids it recorded) and deletes
the database cluster. State, logs and mail are in ``instance/stack/``.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATE_DIR = ROOT / "instance" / "stack"
VENV_BIN = ROOT / ".venv" / "bin"
DATABASE = "pasar_stack"
BUCKET = "pasar-photos"
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_filter_module.so"
# Start order; stopped in reverse.
COMPONENTS = ("postgres", "redis", "moto", "smtp", "app1", "app2", "worker", "nginx")


def free_port(preferred: int | None = None) -> int:
    if preferred:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[stack {time.monotonic() - _T0:5.1f}s] {message}", flush=True)


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if found:
        return found[-1]
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"{name} not found: apt-get install postgresql")
    return path


def _as_postgres(argv: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def ensure_packages() -> None:
    """nginx (and its brotli module when Debian has it) and redis-server, from Debian."""
    wanted = [pkg for pkg, binary in (("nginx", "nginx"), ("redis-server", "redis-server"))
              if shutil.which(binary) is None and not os.path.exists(f"/usr/sbin/{binary}")]
    if not os.path.exists(BROTLI_MODULE) and _apt_has("libnginx-mod-http-brotli-filter"):
        wanted.append("libnginx-mod-http-brotli-filter")
    if not wanted:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"Please install {' '.join(wanted)} (sudo apt-get install -y {' '.join(wanted)})")
    log(f"installing {' '.join(wanted)} from Debian")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *wanted], check=True, env=env, stdout=subprocess.DEVNULL)


def _apt_has(package: str) -> bool:
    if shutil.which("apt-cache") is None:
        return False
    out = subprocess.run(["apt-cache", "policy", package], capture_output=True, text=True).stdout
    return "Candidate:" in out and "Candidate: (none)" not in out


def wait_for(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # not up yet
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {timeout:.0f} s (see the stack's logs folder)")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except urllib.error.HTTPError:
        return False


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group still runs (zombies, exited but not yet reaped, do not count)."""
    for stat in glob.glob("/proc/[0-9]*/stat"):
        try:
            fields = Path(stat).read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


class Stack:
    """The running stack as recorded in ``instance/stack/stack.json``: ports, process ids, settings."""

    def __init__(self, state: dict) -> None:
        self.state = state

    # Recorded state -------------------------------------------------------------------------------

    @classmethod
    def load(cls, state_dir: Path = STATE_DIR) -> Stack | None:
        path = Path(state_dir) / "stack.json"
        if not path.exists():
            return None
        return cls(json.loads(path.read_text()))

    @property
    def dir(self) -> Path:
        return Path(self.state["dir"])

    def save(self) -> None:
        (self.dir / "stack.json").write_text(json.dumps(self.state, indent=2))

    @property
    def ports(self) -> dict[str, int]:
        return self.state["ports"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['http']}"

    def app_url(self, n: int) -> str:
        return f"http://127.0.0.1:{self.ports[f'app{n}']}"

    @property
    def database_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.ports['postgres']}/{DATABASE}"

    def admin_database_url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.ports['postgres']}/{database}"

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.ports['redis']}/0"

    @property
    def s3_endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['moto']}"

    @property
    def mail_dir(self) -> Path:
        return self.dir / "mail"

    def env(self) -> dict[str, str]:
        """The environment of the app servers, the worker and ``flask`` commands against the stack."""
        env = {k: v for k, v in os.environ.items() if not k.startswith(("S3_", "MAIL_", "STRIPE_"))}
        env.update({
            # Plain HTTP on 127.0.0.1, so not "production" (its cookies are HTTPS-only); every other
            # setting is the production one. deploy/README.md shows APP_ENV=production behind TLS.
            "APP_ENV": "stack",
            "SECRET_KEY": self.state["secret_key"],
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "PUBLIC_URL": self.url,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(self.ports["smtp"]),
            "MAIL_USE_TLS": "0",
            "S3_BUCKET": BUCKET,
            "S3_ENDPOINT_URL": self.s3_endpoint,
            "S3_REGION": "us-east-1",
            "S3_ACCESS_KEY_ID": "stack",
            "S3_SECRET_ACCESS_KEY": "stack",
            "TRUSTED_PROXY_COUNT": "1",
            "LOGIN_RATE_LIMIT": self.state["login_limit"],
            "RATELIMIT_ENABLED": "1",
            "FLASK_APP": "wsgi",
            "PYTHONUNBUFFERED": "1",
        })
        env.pop("TEST_DATABASE_URL", None)
        return env

    def flask(self, *args: str, check: bool = True, capture: bool = False) -> subprocess.CompletedProcess:
        return subprocess.run([str(VENV_BIN / "flask"), *args], cwd=ROOT, env=self.env(), check=check,
                              capture_output=capture, text=True)

    # Processes ------------------------------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], env: dict | None = None) -> int:
        logfile = open(self.dir / "logs" / f"{name}.log", "ab")
        process = subprocess.Popen(argv, cwd=ROOT, env=env or self.env(), stdout=logfile, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        logfile.close()
        self.state["pids"][name] = process.pid
        self.save()
        return process.pid

    def pid(self, name: str) -> int | None:
        return self.state["pids"].get(name)

    def alive(self, name: str) -> bool:
        pid = self.pid(name)
        if not pid:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        # A zombie (exited, not yet reaped by its parent) is not alive.
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    def start(self, name: str) -> None:
        getattr(self, f"_start_{name.rstrip('12')}")(*([int(name[-1])] if name[-1] in "12" else []))

    def stop(self, name: str, timeout: float = 20) -> None:
        if name == "postgres":
            self._stop_postgres()
        else:
            self.stop_together(name, timeout=timeout)

    def stop_together(self, *names: str, timeout: float = 20) -> None:
        """SIGTERM to each process group (each was started in a session of its own, so its group is it
        and its children only), then SIGKILL to whatever is left after ``timeout`` seconds."""
        groups = {name: self.state["pids"].pop(name) for name in names if self.state["pids"].get(name)}
        self.save()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for name, pid in list(groups.items()):
                try:
                    os.killpg(pid, sig)
                except ProcessLookupError:
                    groups.pop(name)
            deadline = time.monotonic() + timeout
            while groups and time.monotonic() < deadline:
                for name, pid in list(groups.items()):
                    if not _group_alive(pid):
                        groups.pop(name)
                time.sleep(0.05)
            if not groups:
                return
            log(f"{', '.join(groups)} did not stop on SIGTERM; killing")

    # Components -----------------------------------------------------------------------------------

    def _start_postgres(self) -> None:
        data = self.state.get("pg_data")
        if not data:
            data = tempfile.mkdtemp(prefix="pasar-stack-pg-")
            os.chmod(data, 0o700)
            if os.geteuid() == 0:
                shutil.chown(data, "postgres", "postgres")
            self.state["pg_data"] = data
            self.save()
            subprocess.run(_as_postgres([_pg_bin("initdb"), "-D", data, "-U", "postgres", "--auth=trust",
                                         "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]),
                           check=True, stdout=subprocess.DEVNULL, cwd="/tmp")
        options = (f"-c port={self.ports['postgres']} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={data} -c max_connections=200 -c shared_buffers=128MB")
        subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", data, "-l", f"{data}/postgresql.log", "-o", options,
                                     "-w", "-t", "60", "start"]), check=True, stdout=subprocess.DEVNULL, cwd="/tmp")
        self.state["pids"]["postgres"] = int(Path(data, "postmaster.pid").read_text().split()[0])
        self.save()

    def _stop_postgres(self, mode: str = "fast") -> None:
        data = self.state.get("pg_data")
        self.state["pids"].pop("postgres", None)
        self.save()
        if data and Path(data, "postmaster.pid").exists():
            subprocess.run(_as_postgres([_pg_bin("pg_ctl"), "-D", data, "-m", mode, "-w", "-t", "60", "stop"]),
                           stdout=subprocess.DEVNULL, cwd="/tmp")

    def restart_postgres(self) -> None:
        """What the fault benchmark does to the database: a fast restart of the stack's own cluster."""
        self._stop_postgres("fast")
        self._start_postgres()

    def _start_redis(self) -> None:
        folder = self.dir / "redis"
        folder.mkdir(exist_ok=True)
        self._spawn("redis", [shutil.which("redis-server") or "/usr/bin/redis-server", "--port",
                              str(self.ports["redis"]), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                              "--dir", str(folder)])
        from redis import Redis

        wait_for(lambda: Redis.from_url(self.redis_url, socket_connect_timeout=0.5).ping(), "redis-server", 20)

    def _start_moto(self) -> None:
        self._spawn("moto", [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.ports["moto"])])
        wait_for(lambda: http_ok(self.s3_endpoint + "/"), "moto", 30)
        import boto3

        s3 = boto3.client("s3", endpoint_url=self.s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="stack", aws_secret_access_key="stack")
        if BUCKET not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
            s3.create_bucket(Bucket=BUCKET)
        # nginx fetches photos without credentials: the photos (content-hashed, public anyway on the
        # site) are readable by anyone, nothing else in the bucket is.
        s3.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Sid": "PublicPhotos", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                           "Resource": f"arn:aws:s3:::{BUCKET}/photos/*"}]}))

    def _start_smtp(self) -> None:
        for sub in ("tmp", "new", "cur"):  # a Maildir
            (self.mail_dir / sub).mkdir(parents=True, exist_ok=True)
        self._spawn("smtp", [str(VENV_BIN / "python"), "-m", "aiosmtpd", "-n", "-l",
                             f"127.0.0.1:{self.ports['smtp']}", "-c", "aiosmtpd.handlers.Mailbox",
                             str(self.mail_dir)])

        def listening() -> bool:
            with socket.create_connection(("127.0.0.1", self.ports["smtp"]), timeout=1):
                return True

        wait_for(listening, "the SMTP sink", 20)

    def _start_app(self, n: int, wait: bool = True) -> None:
        port = self.ports[f"app{n}"]
        env = {**self.env(), "WEB_CONCURRENCY": str(self.state["workers"])}
        self._spawn(f"app{n}", [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                "-b", f"127.0.0.1:{port}", "wsgi:app"], env)
        if wait:
            self.wait_app(n)

    def wait_app(self, n: int) -> None:
        wait_for(lambda: http_ok(f"{self.app_url(n)}/healthz"), f"app server {n}", 120)

    def _start_worker(self, wait: bool = True) -> None:
        self._spawn("worker", [str(VENV_BIN / "flask"), "rq-worker"])

    def start_together(self, *names: str) -> None:
        """Start the app servers and the worker at once (each loads the app: seconds on a busy machine)."""
        for name in names:
            if name.startswith("app"):
                self._start_app(int(name[-1]), wait=False)
            else:
                self.start(name)
        for name in names:
            if name.startswith("app"):
                self.wait_app(int(name[-1]))

    def _start_nginx(self) -> None:
        folder = self.dir / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "media-cache"):
            (folder / sub).mkdir(parents=True, exist_ok=True)
        brotli = os.path.exists(BROTLI_MODULE)
        user = ""
        if os.geteuid() == 0:  # nginx's workers drop root; they need their temp and cache folders
            user = "user nobody nogroup;"
            for path in [folder, *folder.iterdir()]:
                shutil.chown(path, "nobody", "nogroup")
        replacements = {
            "@@LOAD_MODULES@@": f"load_module {BROTLI_MODULE};" if brotli else "",
            "@@USER@@": user,
            "@@STATE@@": str(self.dir),
            "@@ROOT@@": str(ROOT),
            "@@HTTP_PORT@@": str(self.ports["http"]),
            "@@APP_PORT_1@@": str(self.ports["app1"]),
            "@@APP_PORT_2@@": str(self.ports["app2"]),
            "@@S3_ENDPOINT@@": self.s3_endpoint,
            "@@S3_HOST@@": f"127.0.0.1:{self.ports['moto']}",
            "@@S3_BUCKET@@": BUCKET,
            "@@MAX_BODY@@": "13m",  # MAX_UPLOAD_MB (12) plus the form around the file
        }
        config = (ROOT / "deploy" / "nginx.conf").read_text()
        for key, value in replacements.items():
            config = config.replace(key, value)
        if brotli:
            config = config.replace("#brotli ", "")
        (folder / "nginx.conf").write_text(config)
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        subprocess.run([nginx, "-t", "-q", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e",
                        str(self.dir / "logs" / "nginx-error.log")], check=True)
        self._spawn("nginx", [nginx, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e",
                              str(self.dir / "logs" / "nginx-error.log"), "-g", "daemon off;"])
        self.state["brotli"] = brotli
        self.save()
        wait_for(lambda: http_ok(self.url + "/healthz"), "nginx", 20)

    # Data -----------------------------------------------------------------------------------------

    def create_database(self) -> None:
        import psycopg

        with psycopg.connect(self.admin_database_url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {DATABASE}")

    def load_data(self, data_set: str) -> None:
        log("flask db upgrade")
        self.flask("db", "upgrade", capture=True)
        if data_set in ("bench", "small"):
            log(f"loading the {data_set} data set (bench/data.py)")
            sys.path.insert(0, str(ROOT))
            from bench import data

            data.load(self, data_set)
        else:
            log("flask seed-demo")
            self.flask("seed-demo", capture=True)


def up(args=None, state_dir: Path = STATE_DIR, **options) -> Stack:
    """Start the stack; ``args`` from the command line, or keyword options (tests and benchmarks):
    data, login_limit, workers, port."""
    settings = {"port": 8080, "workers": 2, "login_limit": "10 per 5 minutes", "data": "demo"}
    settings.update({k: getattr(args, k) for k in settings} if args is not None else {})
    settings.update(options)
    state_dir = Path(state_dir)
    existing = Stack.load(state_dir)
    if existing and any(existing.alive(name) for name in COMPONENTS):
        raise SystemExit(f"The stack is already running at {existing.url} (make stack-down first).")
    ensure_packages()
    if state_dir.exists():
        shutil.rmtree(state_dir)
    (state_dir / "logs").mkdir(parents=True)
    ports = {"http": free_port(settings["port"])}
    for name in ("app1", "app2", "postgres", "redis", "moto", "smtp"):
        ports[name] = free_port()
    stack = Stack({"dir": str(state_dir), "ports": ports, "pids": {}, "secret_key": secrets.token_hex(32),
                   "login_limit": settings["login_limit"], "workers": settings["workers"], "data": settings["data"],
                   "started_at": time.time()})
    stack.save()
    started = time.monotonic()
    try:
        for name in ("postgres", "redis", "moto", "smtp"):
            log(f"starting {name}")
            stack.start(name)
        stack.create_database()
        stack.load_data(settings["data"])
        log("starting app1, app2 and the worker")
        stack.start_together("app1", "app2", "worker")
        log("starting nginx")
        stack.start("nginx")
    except BaseException:
        log("start failed; stopping what was started")
        down(stack)
        raise
    log(f"up in {time.monotonic() - started:.0f} s")
    print(summary(stack))
    return stack


def summary(stack: Stack) -> str:
    p = stack.ports
    lines = [
        f"Pasar Bangkit is running at {stack.url}  (nginx, brotli {'on' if stack.state.get('brotli') else 'off'})",
        f"  app servers   {stack.app_url(1)}  {stack.app_url(2)}  ({stack.state['workers']} gunicorn workers each)",
        f"  PostgreSQL    {stack.database_url}  (private cluster in {stack.state.get('pg_data')})",
        f"  Redis         {stack.redis_url}  (private), RQ worker running",
        f"  S3 (moto)     {stack.s3_endpoint}/{BUCKET}",
        f"  mail          smtp://127.0.0.1:{p['smtp']} -> {stack.mail_dir} (Maildir)",
        f"  logs          {stack.dir / 'logs'}",
        "Demo logins: password bangkit-demo-2026 (README.md); stop everything with `make stack-down`.",
    ]
    if stack.state.get("data") != "demo":
        lines[-1] = (f"Data set {stack.state.get('data')!r}: logins in bench/data.py; `make stack-down` stops "
                     "everything.")
    return "\n".join(lines)


def down(stack: Stack | None = None) -> None:
    stack = stack or Stack.load()
    if stack is None:
        log("no stack recorded; nothing to stop")
        return
    # The processes that use the others first, then what they use, then the database: each group at
    # once (SIGTERM, then SIGKILL after 20 s).
    for group in (("nginx", "app1", "app2", "worker"), ("smtp", "moto", "redis")):
        stack.stop_together(*[name for name in group if stack.pid(name)])
    stack.stop("postgres")
    data = stack.state.get("pg_data")
    if data and os.path.isdir(data):
        shutil.rmtree(data, ignore_errors=True)
    stack.state["pg_data"] = None
    stack.save()
    left = [name for name in COMPONENTS if stack.alive(name)]
    if left:
        raise SystemExit(f"still running: {', '.join(left)}")
    log(f"stopped; nothing left running (logs and mail kept in {stack.dir})")


def status() -> None:
    stack = Stack.load()
    if stack is None:
        print("no stack")
        return
    for name in COMPONENTS:
        print(f"{name:<9} {'running' if stack.alive(name) else 'stopped':<8} pid {stack.pid(name)}")
    print(summary(stack))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("up", help="start the stack")
    start.add_argument("--port", type=int, default=int(os.environ.get("STACK_PORT", "8080")),
                       help="nginx's port (another free one when it is taken)")
    start.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    start.add_argument("--login-limit", default=os.environ.get("LOGIN_RATE_LIMIT", "10 per 5 minutes"))
    start.add_argument("--data", choices=("demo", "bench", "small"), default="demo",
                       help="demo: flask seed-demo; bench: the 20,000-product benchmark set; small: 200 products")
    sub.add_parser("down", help="stop everything the stack started")
    sub.add_parser("status")
    args = parser.parse_args()
    if args.command == "up":
        up(args)
    elif args.command == "down":
        down()
    else:
        status()


if __name__ == "__main__":
    main()
