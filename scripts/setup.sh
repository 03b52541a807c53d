#!/usr/bin/env bash
# Install everything newsmon needs on this machine, idempotently:
#   Python venv (.venv) with newsmon and its dev tools, Java 17 + Maven (apt,
#   if missing and we are root), and the Kafka jars from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*" >&2; }

need_apt=()
command -v java >/dev/null 2>&1 || need_apt+=(openjdk-17-jre-headless)
command -v mvn >/dev/null 2>&1 || need_apt+=(maven)
if [ "${NEWSMON_WITH_PROMETHEUS:-0}" = 1 ] && ! command -v prometheus >/dev/null 2>&1; then
  need_apt+=(prometheus)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${need_apt[*]} with apt-get"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    say "missing: ${need_apt[*]} — install them (Java 17+ and Maven), or set NEWSMON_KAFKA_BOOTSTRAP to use an existing Kafka"
    exit 1
  fi
fi

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; raise SystemExit(sys.version_info < (3, 11))'; then
  say "newsmon needs Python 3.11 or newer ($PY is $("$PY" --version 2>&1))"
  exit 1
fi
if [ ! -x .venv/bin/python ]; then
  say "creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.newsmon-installed
digest=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ] || ! .venv/bin/python -c 'import newsmon.streams' 2>/dev/null; then
  say "installing newsmon and its dependencies into .venv"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev,rocksdb]'
  echo "$digest" > "$stamp"
fi

if [ -z "${NEWSMON_KAFKA_BOOTSTRAP:-}" ]; then
  .venv/bin/python -m newsmon.broker fetch >&2
fi
