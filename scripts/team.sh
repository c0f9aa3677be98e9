#!/usr/bin/env bash
# The team deployment on one machine (docs/DEPLOY.md): PostgreSQL + PostGIS, the test OpenID
# provider (OEM_DEMO_LOGIN=1 only), two app replicas and HAProxy with sticky sessions on PORT.
#
#   scripts/team.sh start    # make team       (PORT, OEM_DEMO_LOGIN, OEM_TEAM_SECRETS, OEM_OIDC_PORT)
#   scripts/team.sh stop     # make team-stop  (the database's data stays in .cache/team/pg/data)
#   scripts/team.sh status
#
# All state is under .cache/team/: pid files, logs, secrets.toml, haproxy.cfg, team.env (what
# runs, on which ports) and pg/ (the cluster, its socket directory and its log). Every process is
# found again through its pid file, checked against its command line; nothing is stopped by name.
set -euo pipefail

# A relative OEM_TEAM_SECRETS is read from where the command was given.
if [ -n "${OEM_TEAM_SECRETS:-}" ] && [ -e "$OEM_TEAM_SECRETS" ]; then
  OEM_TEAM_SECRETS=$(realpath "$OEM_TEAM_SECRETS")
fi
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=$ROOT/.venv/bin
STATE=${OEM_TEAM_DIR:-$ROOT/.cache/team} # tests/browser/test_team.py uses its own
PG=$STATE/pg
PGDATA=$PG/data
PGSOCK=$PG/run
PGBIN=/usr/lib/postgresql/15/bin
HAPROXY=/usr/sbin/haproxy
DEMO_EDITOR=editor@example.org
DEMO_VIEWER=viewer@example.org
WAIT_S=${OEM_TEAM_WAIT_S:-120}

die() {
  echo "make team: $*" >&2
  exit 1
}

# ---- processes started here, found again by pid file --------------------------------------

signature() { # the text a process's command line must hold to be ours
  case $1 in
    app1 | app2) echo "dashboard/serve.py" ;;
    oidc) echo "oidc-provider-mock" ;;
    haproxy) echo "$STATE/haproxy.cfg" ;;
  esac
}

pid_of() { # prints the pid when .cache/team/<name>.pid names a live process of ours
  local pidf=$STATE/$1.pid pid state
  [ -s "$pidf" ] || return 1
  pid=$(cat "$pidf")
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  [ -r "/proc/$pid/cmdline" ] || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)
  [ "$state" != Z ] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$(signature "$1")" || return 1
  echo "$pid"
}

launch() { # name command...: in its own session, output to .cache/team/<name>.log
  local name=$1 pidf=$STATE/$1.pid log=$STATE/$1.log pid
  shift
  if pid=$(pid_of "$name"); then
    echo "  $name already runs (pid $pid)"
    return
  fi
  rm -f "$pidf"
  # The child writes its own pid, then becomes the command (exec keeps the pid).
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$@" </dev/null >"$log" 2>&1 &
  for _ in $(seq 100); do
    [ -s "$pidf" ] && break
    sleep 0.05
  done
  [ -s "$pidf" ] || die "$name did not start; see $log"
  echo "  $name started (pid $(cat "$pidf")), log $log"
}

stop_one() {
  local name=$1 pid target
  if pid=$(pid_of "$name"); then
    # setsid made it the leader of its own process group: end the group (it and its children).
    target=$pid
    if [ "$(ps -o pgid= -p "$pid" | tr -d ' ')" = "$pid" ]; then target=-$pid; fi
    kill -TERM -- "$target" 2>/dev/null || true
    for _ in $(seq 150); do
      pid_of "$name" >/dev/null || break
      sleep 0.1
    done
    if pid_of "$name" >/dev/null; then
      kill -KILL -- "$target" 2>/dev/null || true
      sleep 0.2
    fi
    echo "  $name stopped (pid $pid)"
  fi
  rm -f "$STATE/$name.pid"
}

# ---- PostgreSQL, as an unprivileged user --------------------------------------------------

# PostgreSQL refuses to run as root. As root we run it as Debian's `postgres` user (the
# postgresql-common package creates it), or as a system user `oem-postgres` made here if that is
# missing; as anyone else, as ourselves. An existing cluster keeps the user that owns it.
pg_os_user() {
  if [ "$(id -u)" -ne 0 ]; then
    return
  fi
  if [ -d "$PGDATA" ]; then
    stat -c %U "$PGDATA"
  elif id -u postgres >/dev/null 2>&1; then
    echo postgres
  else
    id -u oem-postgres >/dev/null 2>&1 \
      || useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
        oem-postgres
    echo oem-postgres
  fi
}

as_pg() {
  if [ -n "$PG_OS_USER" ] && [ "$PG_OS_USER" != root ]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

pg_running() {
  [ -d "$PGDATA" ] && as_pg "$PGBIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1
}

pg_port_running() { # the port of the running cluster (line 4 of postmaster.pid)
  sed -n 4p "$PGDATA/postmaster.pid" 2>/dev/null
}

psql_as() { # database sql...
  local db=$1
  shift
  PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 \
    -h "$PGSOCK" -p "$PGPORT" -U postgres -d "$db" -tA "$@"
}

pg_start() {
  PG_OS_USER=$(pg_os_user)
  mkdir -p "$PG"
  if [ -n "$PG_OS_USER" ]; then chown "$PG_OS_USER:" "$PG"; fi
  chmod 755 "$PG"
  as_pg test -w "$PG" \
    || die "PostgreSQL runs as user ${PG_OS_USER:-$(id -un)}, who cannot write $PG (every folder above it must be searchable, chmod o+x)"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    echo "  creating the database cluster in $PGDATA (as ${PG_OS_USER:-$(id -un)})"
    # Trust on the local socket and 127.0.0.1: a local demo only (docs/DEPLOY.md).
    as_pg "$PGBIN/initdb" -D "$PGDATA" -U postgres -E UTF8 --no-locale --auth=trust \
      >"$PG/initdb.log" 2>&1 || die "initdb failed; see $PG/initdb.log"
  fi
  mkdir -p "$PGSOCK"
  if [ -n "$PG_OS_USER" ]; then chown "$PG_OS_USER:" "$PGSOCK"; fi
  if pg_running; then
    [ "$(pg_port_running)" = "$PGPORT" ] \
      || die "PostgreSQL already runs on port $(pg_port_running), not $PGPORT: run make team-stop first"
    echo "  postgres already runs (port $PGPORT)"
  else
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PG/postgres.log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k '$PGSOCK'" start >/dev/null \
      || die "PostgreSQL did not start; see $PG/postgres.log"
    echo "  postgres started (127.0.0.1:$PGPORT and $PGSOCK), log $PG/postgres.log"
  fi
  # The app's role owns database oem (so it can create its tables); PostGIS is made here, by
  # the superuser, because creating it needs one. Parameter-free SQL, fixed names.
  if [ "$(psql_as postgres -c "SELECT 1 FROM pg_roles WHERE rolname = 'oem'")" != 1 ]; then
    psql_as postgres -c "CREATE ROLE oem LOGIN"
  fi
  if [ "$(psql_as postgres -c "SELECT 1 FROM pg_database WHERE datname = 'oem'")" != 1 ]; then
    psql_as postgres -c "CREATE DATABASE oem OWNER oem ENCODING 'UTF8'"
  fi
  psql_as oem -c "CREATE EXTENSION IF NOT EXISTS postgis"
}

pg_stop() {
  [ -d "$PGDATA" ] || return 0
  PG_OS_USER=$(pg_os_user)
  if pg_running; then
    as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null
    echo "  postgres stopped (the data stays in $PGDATA)"
  fi
}

# ---- secrets ------------------------------------------------------------------------------

demo_secrets() { # .cache/team/secrets.toml: made once; its two URLs follow PORT and OEM_OIDC_PORT
  local file=$STATE/secrets.toml redirect metadata secret
  redirect="http://localhost:$PORT/oauth2callback"
  metadata="http://127.0.0.1:$OIDC_PORT/.well-known/openid-configuration"
  if [ ! -s "$file" ]; then
    secret=$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(32))')
    (
      umask 077
      cat >"$file.tmp" <<EOF
# Made by scripts/team.sh for OEM_DEMO_LOGIN=1: the local test provider and demo accounts.
# Not for a real deployment (docs/DEPLOY.md).
[auth]
redirect_uri = "$redirect"
cookie_secret = "$secret"
client_id = "oem-demo"
client_secret = "oem-demo-secret"
server_metadata_url = "$metadata"

[oem_team]
editors = ["$DEMO_EDITOR"]
viewers = ["$DEMO_VIEWER"]
EOF
    )
    mv -f "$file.tmp" "$file"
  else
    sed -i -e "s|^redirect_uri = .*|redirect_uri = \"$redirect\"|" \
      -e "s|^server_metadata_url = .*|server_metadata_url = \"$metadata\"|" "$file"
  fi
  chmod 600 "$file"
  SECRETS=$file
}

user_secrets() {
  local file=${OEM_TEAM_SECRETS:-}
  [ -n "$file" ] \
    || die "set OEM_TEAM_SECRETS=<secrets.toml with your provider's [auth] section>, or OEM_DEMO_LOGIN=1 for the local test provider (docs/DEPLOY.md)"
  [ -f "$file" ] && [ -r "$file" ] || die "OEM_TEAM_SECRETS=$file is not a readable file"
  grep -q '^[[:space:]]*\[auth\][[:space:]]*\(#.*\)\?$' "$file" \
    || die "OEM_TEAM_SECRETS=$file has no [auth] section (docs/DEPLOY.md)"
  SECRETS=$file
}

# ---- start, stop, status ------------------------------------------------------------------

read_env() { # what runs, as the last start recorded it
  RUN_PORT="" RUN_DEMO="" RUN_SECRETS="" RUN_OIDC_PORT="" RUN_PGPORT=""
  if [ -f "$STATE/team.env" ]; then
    # shellcheck disable=SC1091
    . "$STATE/team.env"
  fi
}

anything_runs() {
  local name
  for name in haproxy app1 app2 oidc; do
    if pid_of "$name" >/dev/null; then return 0; fi
  done
  [ -d "$PGDATA" ] || return 1
  PG_OS_USER=$(pg_os_user)
  pg_running
}

wait_ready() { # every part answers, the proxy reaches both replicas; bounded by WAIT_S
  "$BIN/python" - "$STATE" "$PORT" "$WAIT_S" "$DEMO" "$OIDC_PORT" <<'EOF'
import http.client, os, sys, time

state, port, wait_s, demo, oidc_port = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4] == "1", int(sys.argv[5])
names = ["haproxy", "app1", "app2"] + (["oidc"] if demo else [])


def alive(name):
    try:
        pid = int(open(os.path.join(state, name + ".pid")).read())
        return open(f"/proc/{pid}/stat").read().split()[2] != "Z"
    except (OSError, ValueError, IndexError):
        return False


def get(p, path, cookie=None):
    conn = http.client.HTTPConnection("127.0.0.1", p, timeout=3)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        r = conn.getresponse()
        r.read()
        return r.status, r.getheader("X-OEM-Replica")
    except OSError:
        return None, None
    finally:
        conn.close()


def waiting():
    if demo and get(oidc_port, "/.well-known/openid-configuration")[0] != 200:
        return "oidc", f"the test provider (127.0.0.1:{oidc_port}) does not answer"
    for replica in ("app1", "app2"):
        status, served_by = get(port, "/_stcore/health", f"OEMREPLICA={replica}")
        if status != 200 or served_by != replica:
            return replica, f"{replica} does not answer /_stcore/health through the proxy on port {port}"
    return None


deadline = time.monotonic() + wait_s
while True:
    dead = [n for n in names if not alive(n)]
    if dead:
        log = os.path.join(state, dead[0] + ".log")
        sys.exit(f"make team: {dead[0]} exited; see {log} (then make team-stop)")
    problem = waiting()
    if problem is None:
        sys.exit(0)
    if time.monotonic() > deadline:
        log = os.path.join(state, problem[0] + ".log")
        sys.exit(f"make team: not ready after {wait_s:.0f} s: {problem[1]}; see {log} (then make team-stop)")
    time.sleep(0.5)
EOF
}

start() {
  PORT=${PORT:-8501}
  OIDC_PORT=${OEM_OIDC_PORT:-9400}
  DEMO=0
  if [ "${OEM_DEMO_LOGIN:-}" = 1 ]; then DEMO=1; fi
  [[ $PORT =~ ^[0-9]+$ ]] && [ "$PORT" -ge 1 ] && [ "$PORT" -le 65525 ] \
    || die "PORT=$PORT is not a port number (1-65525: the replicas use PORT+1, PORT+2, the database PORT+10)"
  [[ $OIDC_PORT =~ ^[0-9]+$ ]] || die "OEM_OIDC_PORT=$OIDC_PORT is not a port number"
  PGPORT=$((PORT + 10))
  APP1_PORT=$((PORT + 1))
  APP2_PORT=$((PORT + 2))
  [ -x "$BIN/python" ] || die "no .venv: run make team (it makes the venv first)"
  [ -x "$PGBIN/initdb" ] || die "PostgreSQL 15 is not installed: bash scripts/ensure_team.sh"
  [ -x "$HAPROXY" ] || die "HAProxy is not installed: bash scripts/ensure_team.sh"
  mkdir -p "$STATE"
  chmod 755 "$STATE"

  read_env
  if anything_runs && { [ "$RUN_PORT" != "$PORT" ] || [ "$RUN_DEMO" != "$DEMO" ] \
    || [ "$RUN_OIDC_PORT" != "$OIDC_PORT" ]; }; then
    die "the team already runs with other settings (PORT=${RUN_PORT:-?} OEM_DEMO_LOGIN=${RUN_DEMO:-?}): run make team-stop first"
  fi

  if [ "$DEMO" = 1 ]; then
    [ -x "$BIN/oidc-provider-mock" ] || die "OEM_DEMO_LOGIN=1 needs oidc-provider-mock in .venv"
    demo_secrets
  else
    user_secrets
  fi
  if anything_runs && [ -n "$RUN_SECRETS" ] && [ "$RUN_SECRETS" != "$SECRETS" ]; then
    die "the team already runs with the secrets in $RUN_SECRETS: run make team-stop first"
  fi
  cat >"$STATE/team.env" <<EOF
RUN_PORT=$PORT
RUN_DEMO=$DEMO
RUN_SECRETS='$SECRETS'
RUN_OIDC_PORT=$OIDC_PORT
RUN_PGPORT=$PGPORT
EOF

  echo "starting the team deployment (state in $STATE)"
  pg_start
  DATABASE_URL="postgresql://oem@127.0.0.1:$PGPORT/oem"
  if [ -f dashboard/team/store.py ]; then
    OEM_DATABASE_URL=$DATABASE_URL "$BIN/python" -m dashboard.team.store migrate \
      >"$STATE/migrate.log" 2>&1 || die "the schema migration failed; see $STATE/migrate.log"
    echo "  schema migrated"
  else
    echo "  dashboard/team/store.py is missing: schema migration skipped"
  fi

  if [ "$DEMO" = 1 ]; then
    launch oidc "$BIN/oidc-provider-mock" --host 127.0.0.1 --port "$OIDC_PORT" \
      --user-claims "{\"sub\":\"$DEMO_EDITOR\",\"email\":\"$DEMO_EDITOR\",\"email_verified\":true,\"name\":\"Demo editor\"}" \
      --user-claims "{\"sub\":\"$DEMO_VIEWER\",\"email\":\"$DEMO_VIEWER\",\"email_verified\":true,\"name\":\"Demo viewer\"}"
  fi

  local n app_port
  for n in 1 2; do
    app_port=$((PORT + n))
    launch "app$n" env OEM_DATABASE_URL="$DATABASE_URL" \
      "$BIN/python" -m streamlit run dashboard/serve.py --server.port "$app_port" \
      --server.address 127.0.0.1 --server.headless true --server.fileWatcherType none \
      --secrets.files "$SECRETS"
  done

  sed -e "s|@BIND@|0.0.0.0|g" -e "s|@PORT@|$PORT|g" -e "s|@SCHEME@|http|g" \
    -e "s|@APP1_PORT@|$APP1_PORT|g" -e "s|@APP2_PORT@|$APP2_PORT|g" \
    scripts/haproxy.cfg.in >"$STATE/haproxy.cfg.tmp"
  "$HAPROXY" -c -q -f "$STATE/haproxy.cfg.tmp" >"$STATE/haproxy-check.log" 2>&1 \
    || die "the HAProxy configuration is not valid; see $STATE/haproxy-check.log"
  mv -f "$STATE/haproxy.cfg.tmp" "$STATE/haproxy.cfg"
  launch haproxy "$HAPROXY" -db -f "$STATE/haproxy.cfg"

  echo "waiting for the proxy to reach both replicas (at most $WAIT_S s)..."
  wait_ready || exit 1
  echo
  if [ "$DEMO" = 1 ]; then
    # The demo's redirect_uri names localhost: a sign-in begun on 127.0.0.1 would lose its cookie.
    echo "The team deployment runs at http://localhost:$PORT (open it as localhost, where the"
    echo "sign-in returns)."
  else
    echo "The team deployment listens on port $PORT (open it at the address of redirect_uri in"
    echo "$SECRETS)."
  fi
  echo "  replicas 127.0.0.1:$APP1_PORT and 127.0.0.1:$APP2_PORT, PostgreSQL 127.0.0.1:$PGPORT (database oem),"
  echo "  logs and pids in .cache/team/"
  if [ "$DEMO" = 1 ]; then
    echo "  test OpenID provider http://127.0.0.1:$OIDC_PORT: sign in by pressing an account's button"
    echo "  demo accounts: $DEMO_EDITOR (editor), $DEMO_VIEWER (viewer)"
  else
    echo "  sign-in as configured in $SECRETS"
  fi
  echo "Stop with: make team-stop"
}

stop() {
  echo "stopping the team deployment"
  local name
  for name in haproxy app1 app2 oidc; do stop_one "$name"; done
  pg_stop
  rm -f "$STATE/team.env"
}

status() {
  read_env
  local name pid what
  for name in haproxy app1 app2 oidc; do
    case $name in
      haproxy) what="proxy on 0.0.0.0:${RUN_PORT:-?}" ;;
      app1) what="replica on 127.0.0.1:$((${RUN_PORT:-0} + 1))" ;;
      app2) what="replica on 127.0.0.1:$((${RUN_PORT:-0} + 2))" ;;
      oidc) what="test OpenID provider on 127.0.0.1:${RUN_OIDC_PORT:-?}" ;;
    esac
    if pid=$(pid_of "$name"); then
      echo "$name: runs (pid $pid), $what"
    else
      echo "$name: stopped"
    fi
  done
  PG_OS_USER=""
  if [ -d "$PGDATA" ]; then PG_OS_USER=$(pg_os_user); fi
  if pg_running; then
    echo "postgres: runs (pid $(sed -n 1p "$PGDATA/postmaster.pid")), 127.0.0.1:$(pg_port_running), data $PGDATA"
  elif [ -s "$PGDATA/PG_VERSION" ]; then
    echo "postgres: stopped (data kept in $PGDATA)"
  else
    echo "postgres: stopped (no cluster yet)"
  fi
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: scripts/team.sh start|stop|status" >&2
    exit 2
    ;;
esac
