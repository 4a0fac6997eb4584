# MariaDB lab helpers (bats or plain bash). Servers run from the Debian
# package's binaries, never its service: each has its own datadir, unix
# socket and a free TCP port on 127.0.0.1 under $DB_LAB/NAME/. Works from
# setup_file (everything is kept in files under $DB_LAB, which is exported).
#
#   setup_file()    { load lib/db; db_lab_init; db_lab_pair p r; }
#   teardown_file() { db_lab_teardown; }
#
# db_lab_pair makes a GTID primary P and replica R with these accounts
# (created on P, replicated to R; host '%'):
#   repl/$DB_REPL_PW       REPLICATION SLAVE
#   monitor/$DB_MONITOR_PW REPLICA MONITOR (what dbcheck needs)
#   noprivs/$DB_NOPRIVS_PW nothing (USAGE)
#   app/$DB_APP_PW         ALL on app.* (an application user)
#   admin/$DB_ADMIN_PW     ALL on *.* WITH GRANT OPTION
# and a table app.t (id INT PRIMARY KEY, v VARCHAR(64)).

DB_REPL_PW=replpw-7Tq
DB_MONITOR_PW=monpw-3Zx
DB_NOPRIVS_PW=nopw-9Kd
DB_APP_PW=apppw-5Rb
DB_ADMIN_PW=adminpw-2Wm
export DB_REPL_PW DB_MONITOR_PW DB_NOPRIVS_PW DB_APP_PW DB_ADMIN_PW

# db_gone PID [SECONDS]: wait until PID is gone or a zombie (bounded).
db_gone() {
	local i st
	for i in $(seq 1 $((${2:-10} * 20))); do
		st=$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null) || return 0
		[ "$st" = Z ] && return 0
		sleep 0.05
	done
	return 1
}

db_fail() {
	echo "db lab: $*" >&2
	return 1
}

db_lab_init() {
	local b
	[ "$(id -u)" -eq 0 ] || { db_fail "needs root"; return 1; }
	for b in mariadbd mariadb-install-db mariadb; do
		command -v "$b" >/dev/null || PATH="$PATH:/usr/sbin"
		command -v "$b" >/dev/null ||
		    { db_fail "$b not found (run t/deps.sh)"; return 1; }
	done
	DB_LAB=$(mktemp -d /tmp/vipkit-db.XXXXXX) || return 1
	export DB_LAB
	db_pristine || return 1
}

# A freshly installed datadir, made once per MariaDB version and copied
# for every server (installing takes longer than copying).
db_pristine() {
	local ver dir tmp
	ver=$(mariadbd --version | awk '{ print $3 }')
	dir=/tmp/vipkit-mariadb-pristine-$ver
	DB_PRISTINE=$dir/data
	export DB_PRISTINE
	[ -f "$dir/ok" ] && return 0
	tmp=$(mktemp -d /tmp/vipkit-mariadb-pristine.XXXXXX) || return 1
	if ! mariadb-install-db --no-defaults --user=root --datadir="$tmp/data" \
	    --auth-root-authentication-method=socket --skip-test-db \
	    --innodb-log-file-size=8M --innodb-buffer-pool-size=16M \
	    >"$tmp/install.log" 2>&1; then
		tail -20 "$tmp/install.log" >&2
		rm -rf "$tmp"
		db_fail "mariadb-install-db failed"
		return 1
	fi
	touch "$tmp/ok"
	# Another run may have won the race; either copy is good.
	mv -T "$tmp" "$dir" 2>/dev/null || rm -rf "$tmp"
	[ -f "$dir/ok" ] || { db_fail "no pristine datadir in $dir"; return 1; }
}

db_dir()  { echo "$DB_LAB/$1"; }
db_sock() { echo "$DB_LAB/$1/sock"; }
db_port() { cat "$DB_LAB/$1/port"; }
db_pid()  { cat "$DB_LAB/$1/pid.shell"; }
db_log()  { echo "$DB_LAB/$1/err.log"; }

# db_free_port: a TCP port nobody listens on (20000..39999).
db_free_port() {
	local p i
	for i in $(seq 1 50); do
		p=$((20000 + RANDOM % 20000))
		if ! ss -Hltn "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p"
			return 0
		fi
	done
	db_fail "no free port found"
}

# db_start NAME SERVER_ID [mariadbd options...]: start a server (binary
# log and GTID strict mode on) and wait until it answers. On failure the
# message carries the tail of its error log.
db_start() {
	local name=$1 id=$2 d port pid try i
	shift 2
	d=$DB_LAB/$name
	mkdir -p "$d"
	if [ ! -d "$d/data" ]; then
		cp -a "$DB_PRISTINE" "$d/data" || { db_fail "copy datadir"; return 1; }
	fi
	for try in 1 2 3; do
		# A restarted server keeps its port (replicas point at it).
		if [ "$try" = 1 ] && [ -s "$d/port" ]; then
			port=$(cat "$d/port")
		else
			port=$(db_free_port) || return 1
		fi
		echo "$port" > "$d/port"
		: > "$d/err.log"
		# Started from a subshell, so it is not a job of the caller's
		# shell: killing it makes bash print no "Killed" notice.
		(mariadbd --no-defaults --user=root --datadir="$d/data" \
		    --socket="$d/sock" --port="$port" --bind-address=127.0.0.1 \
		    --pid-file="$d/pid" --log-error="$d/err.log" \
		    --server-id="$id" --log-bin="$name-bin" --log-slave-updates \
		    --relay-log="$name-relay-bin" \
		    --binlog-format=ROW --gtid-strict-mode=1 --skip-name-resolve \
		    --innodb-log-file-size=8M --innodb-buffer-pool-size=16M \
		    --performance-schema=0 --max-connections=200 \
		    --slave-net-timeout=5 --skip-slave-start "$@" \
		    </dev/null >"$d/stdout.log" 2>&1 3>&- &
		echo $! > "$d/pid.shell")
		pid=$(cat "$d/pid.shell")
		echo "$pid" >> "$DB_LAB/pids"
		for i in $(seq 1 300); do
			if mariadb --no-defaults -S "$d/sock" -u root -e 'SELECT 1' \
			    >/dev/null 2>&1; then
				return 0
			fi
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		# errexit-safe (setup_file): the server may be gone already,
		# and a port taken meanwhile must get its retry.
		kill -KILL "$pid" 2>/dev/null || :
		db_gone "$pid" || :
		grep -q "already in use\|Can't start server: Bind" "$d/err.log" ||
		    break
	done
	echo "--- $name: tail of $d/err.log:" >&2
	tail -25 "$d/err.log" >&2
	db_fail "server $name did not start (port $port)"
}

# db_sql NAME SQL: run SQL as root over the socket; tab-separated, no header.
db_sql() {
	local name=$1
	shift
	mariadb --no-defaults -S "$DB_LAB/$name/sock" -u root -N -B -e "$*"
}

# db_stop NAME: a clean shutdown (SIGTERM), SIGKILL after 20 s.
db_stop() {
	local pid
	pid=$(db_pid "$1") || return 1
	kill -CONT "$pid" 2>/dev/null
	kill -TERM "$pid" 2>/dev/null || return 0
	db_gone "$pid" 20 && return 0
	kill -KILL "$pid" 2>/dev/null
	db_gone "$pid"
}

# db_kill NAME: crash it (SIGKILL).
db_kill() {
	local pid
	pid=$(db_pid "$1") || return 1
	kill -KILL "$pid" 2>/dev/null
	db_gone "$pid"
}

# A stopped or killed server starts again with db_start NAME ID [options]:
# same datadir, same port (unless taken meanwhile), same socket.

db_freeze() { kill -STOP "$(db_pid "$1")"; }
db_thaw()   { kill -CONT "$(db_pid "$1")"; }

# db_status_field NAME FIELD: one column of SHOW SLAVE STATUS.
db_status_field() {
	mariadb --no-defaults -S "$DB_LAB/$1/sock" -u root -e \
	    "SHOW SLAVE STATUS\\G" |
	    awk -v f="$2" '{ sub(/^ +/, "") } index($0, f ": ") == 1 {
		print substr($0, length(f) + 3); exit }'
}

# db_wait_field NAME FIELD VALUE [SECONDS]
db_wait_field() {
	local i n=$((${4:-20} * 10)) v
	for i in $(seq 1 "$n"); do
		v=$(db_status_field "$1" "$2")
		[ "$v" = "$3" ] && return 0
		sleep 0.1
	done
	db_fail "$1: $2 is '$v', not '$3' after ${4:-20}s"
}

db_stop_sql()  { db_sql "$1" "STOP SLAVE SQL_THREAD" && db_wait_field "$1" Slave_SQL_Running No; }
db_start_sql() { db_sql "$1" "START SLAVE SQL_THREAD" && db_wait_field "$1" Slave_SQL_Running Yes; }
db_stop_io()   { db_sql "$1" "STOP SLAVE IO_THREAD" && db_wait_field "$1" Slave_IO_Running No; }
db_start_io()  { db_sql "$1" "START SLAVE IO_THREAD" && db_wait_field "$1" Slave_IO_Running Yes; }

# db_replicate REPLICA PRIMARY: GTID replication (slave_pos), running.
db_replicate() {
	local r=$1 p=$2
	db_sql "$r" "CHANGE MASTER TO MASTER_HOST='127.0.0.1',
	    MASTER_PORT=$(db_port "$p"), MASTER_USER='repl',
	    MASTER_PASSWORD='$DB_REPL_PW', MASTER_USE_GTID=slave_pos,
	    MASTER_CONNECT_RETRY=1; START SLAVE" || return 1
	db_wait_field "$r" Slave_IO_Running Yes || return 1
	db_wait_field "$r" Slave_SQL_Running Yes
}

# db_sync PRIMARY REPLICA [SECONDS]: wait until R applied all of P's binlog.
db_sync() {
	local pos rc
	pos=$(db_sql "$1" "SELECT @@gtid_binlog_pos") || return 1
	rc=$(db_sql "$2" "SELECT MASTER_GTID_WAIT('$pos', ${3:-20})") || return 1
	[ "$rc" = 0 ] || db_fail "$2 did not reach $1's position $pos"
}

# db_users NAME: the accounts of the header comment, and app.t.
db_users() {
	db_sql "$1" "
	    CREATE USER 'repl'@'%' IDENTIFIED BY '$DB_REPL_PW';
	    GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
	    CREATE USER 'monitor'@'%' IDENTIFIED BY '$DB_MONITOR_PW';
	    GRANT REPLICA MONITOR ON *.* TO 'monitor'@'%';
	    CREATE USER 'noprivs'@'%' IDENTIFIED BY '$DB_NOPRIVS_PW';
	    CREATE USER 'app'@'%' IDENTIFIED BY '$DB_APP_PW';
	    CREATE DATABASE app;
	    CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(64));
	    GRANT ALL ON app.* TO 'app'@'%';
	    CREATE USER 'admin'@'%' IDENTIFIED BY '$DB_ADMIN_PW';
	    GRANT ALL ON *.* TO 'admin'@'%' WITH GRANT OPTION"
}

# db_lab_pair PRIMARY REPLICA: start both, accounts, replication, in sync.
# The replica runs with read_only=ON.
db_lab_pair() {
	db_start "$1" 1 || return 1
	db_start "$2" 2 --read-only=1 || return 1
	db_users "$1" || return 1
	db_replicate "$2" "$1" || return 1
	db_sync "$1" "$2"
}

# db_defaults_file FILE USER PASSWORD [GROUP]: a client option file.
db_defaults_file() {
	printf '[%s]\nuser=%s\npassword=%s\n' "${4:-client}" "$2" "$3" > "$1"
	chmod 600 "$1"
}

# db_inject_dup_key PRIMARY REPLICA: make R's SQL thread stop with error
# 1062 (a row that exists only on R, then the same key written on P).
# Prints the key; db_repair_dup_key R KEY undoes it.
db_inject_dup_key() {
	local p=$1 r=$2 id=$((100000 + RANDOM))
	db_sql "$r" "SET sql_log_bin=0; INSERT INTO app.t VALUES ($id, 'replica only')" || return 1
	db_sql "$p" "INSERT INTO app.t VALUES ($id, 'primary')" || return 1
	db_wait_field "$r" Last_SQL_Errno 1062 >&2 || return 1
	echo "$id"
}

db_repair_dup_key() {
	db_sql "$1" "SET sql_log_bin=0; DELETE FROM app.t WHERE id=$2; START SLAVE SQL_THREAD" || return 1
	db_wait_field "$1" Slave_SQL_Running Yes
}

# db_lock_table NAME TABLE: hold a write lock on TABLE in a session of its
# own (the replica's applier then blocks on it). db_unlock_table NAME ends
# that session.
db_lock_table() {
	local d=$DB_LAB/$1 i
	: > "$d/lock.out"
	mariadb --no-defaults -S "$d/sock" -u root -N -B --unbuffered -e \
	    "LOCK TABLES $2 WRITE; SELECT CONNECTION_ID(); SELECT SLEEP(3600)" \
	    >"$d/lock.out" 2>&1 </dev/null &
	echo $! >> "$DB_LAB/pids"
	for i in $(seq 1 100); do
		[ -s "$d/lock.out" ] && return 0
		sleep 0.05
	done
	db_fail "$1: lock session did not start: $(cat "$d/lock.out")"
}

db_unlock_table() {
	local id
	id=$(head -1 "$DB_LAB/$1/lock.out")
	[ -n "$id" ] || { db_fail "$1: no lock session"; return 1; }
	db_sql "$1" "KILL $id"
}

# db_lab_teardown: kill every server and helper (thawing frozen ones), then
# remove the lab directory. Safe to call twice.
db_lab_teardown() {
	local pid
	[ -n "${DB_LAB:-}" ] && [ -d "$DB_LAB" ] || return 0
	if [ -f "$DB_LAB/pids" ]; then
		while read -r pid; do
			kill -CONT "$pid" 2>/dev/null
			kill -KILL "$pid" 2>/dev/null
		done < "$DB_LAB/pids"
		while read -r pid; do
			db_gone "$pid" 5
		done < "$DB_LAB/pids"
	fi
	if [ -n "${DB_KEEP:-}" ]; then
		echo "db lab: kept $DB_LAB" >&2
	else
		rm -rf "$DB_LAB"
	fi
}
