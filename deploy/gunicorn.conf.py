"""gunicorn settings for Pasar Bangkit behind nginx: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Every value can be overridden from the environment (or on the command line, which wins):
GUNICORN_BIND, WEB_CONCURRENCY (worker processes), GUNICORN_TIMEOUT, GUNICORN_MAX_REQUESTS,
GUNICORN_ACCESS_LOG. Sync workers are right here: nginx buffers slow clients (uploads from phones, slow
downloads), so a worker is only busy while the app itself works.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# One or two workers per core is enough for a database-bound app; more only queue on PostgreSQL.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "sync"
# Load the app once in the master and fork the workers from it: faster starts, a worker killed by the
# OS or by `kill -9` is back in milliseconds, and the workers share the code's memory. Safe here:
# create_app opens no database or Redis connection, so each worker opens its own.
preload_app = True
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a stuck request is killed and logged
graceful_timeout = 20  # on SIGTERM, requests in flight finish first
keepalive = 5  # nginx keeps connections to the app servers open (upstream keepalive)
# Recycle a worker after this many requests (with jitter so they do not all restart at once): a bound
# on slow leaks. 0 = never; `make bench-soak` runs with 0 so that it sees any growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10
# nginx on the same host sets X-Forwarded-*; the app trusts them through TRUSTED_PROXY_COUNT.
forwarded_allow_ips = "127.0.0.1"
proxy_allow_ips = "127.0.0.1"
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = "warning"
proc_name = "pasar-bangkit"
