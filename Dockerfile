# newsmon worker / connector image.
#   docker build -t newsmon .
#   docker run --rm -v $PWD/my.toml:/etc/newsmon/newsmon.toml:ro newsmon worker
# The entry point is the `newsmon` command; the default command runs a worker with the config
# at $NEWSMON_CONFIG (/etc/newsmon/newsmon.toml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    NEWSMON_CONFIG=/etc/newsmon/newsmon.toml

RUN groupadd --system --gid 10001 newsmon \
 && useradd --system --uid 10001 --gid newsmon --home-dir /var/lib/newsmon --create-home \
            --shell /usr/sbin/nologin newsmon \
 && mkdir -p /etc/newsmon /var/lib/newsmon/worker /var/lib/newsmon/shared \
 && chown -R newsmon:newsmon /var/lib/newsmon

WORKDIR /src
# newsmon/agents, newsmon/streams and newsmon/connectors are symlinks to the top-level folders.
# README.m[d]: the glob lets the build go on if the README is absent.
COPY pyproject.toml README.m[d] ./
COPY newsmon ./newsmon
COPY agents ./agents
COPY streams ./streams
COPY connectors ./connectors
RUN pip install '.[rocksdb]' && rm -rf /src

WORKDIR /var/lib/newsmon
USER newsmon

# The worker's web server ([worker] web_port, 6066 by default): /metrics, /healthz, /ready.
EXPOSE 6066
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('NEWSMON_WEB_PORT', '6066') + '/healthz', timeout=4)"]

ENTRYPOINT ["newsmon"]
CMD ["worker"]
