"""Gunicorn settings for Trygg in production: `gunicorn -c deploy/gunicorn.conf.py trygg.wsgi:application`.

Each value can be overridden on the command line or with GUNICORN_CMD_ARGS. Trygg's own settings come from
the TRYGG_* environment (README, "Drift i produktion").
"""

import multiprocessing
import os

bind = os.environ.get("TRYGG_BIND", "127.0.0.1:8000")  # behind the https proxy, never open to the world
# Pages are short requests; PDF and report generation run as background jobs, not in a web worker.
workers = int(os.environ.get("TRYGG_WEB_WORKERS", str(min(4, 2 * multiprocessing.cpu_count() + 1))))
timeout = 60
graceful_timeout = 30
max_requests = 2000  # recycle workers now and then (memory of large PDFs, fragmentation)
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The request id (trygg.core.middleware) is in the response; log it beside status and time.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
forwarded_allow_ips = os.environ.get("TRYGG_FORWARDED_ALLOW_IPS", "127.0.0.1")
