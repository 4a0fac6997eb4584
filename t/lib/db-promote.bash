# Helpers for the promotion tests (wait-replica-caught-up, set-readonly),
# on top of lib/db (load that first). A "held session" is one mariadb
# client kept open on a fifo, so a test can open a transaction or hold a
# table lock in it and send more statements later:
#
#   dbp_open r lock root            # session "lock" on server r as root
#   dbp_send lock "LOCK TABLES app.t WRITE"
#   ... dbp_send lock "UNLOCK TABLES"; dbp_close lock
#
# Each session lives in $DB_LAB/sess-TAG/ (in: fifo, out: its output, id:
# its connection id); its processes go to $DB_LAB/pids for the teardown.

# dbp_open NAME TAG USER [PASSWORD]
dbp_open() {
	local name=$1 tag=$2 user=$3 pw=${4:-} d=$DB_LAB/sess-$2 i
	rm -rf "$d"
	mkdir -p "$d" || return 1
	mkfifo "$d/in" || return 1
	: > "$d/out"
	echo "$name" > "$d/server"
	# -n: flush after each statement; --force: an error does not end
	# the client, so a test can see what its next statement gets.
	MYSQL_PWD=$pw mariadb --no-defaults -S "$DB_LAB/$name/sock" -u "$user" \
	    -N -B -n --force <"$d/in" >"$d/out" 2>&1 &
	echo $! > "$d/client.pid"
	echo $! >> "$DB_LAB/pids"
	sleep 3600 > "$d/in" &
	echo $! > "$d/writer.pid"
	echo $! >> "$DB_LAB/pids"
	dbp_write "$tag" "SELECT CONNECTION_ID();" || return 1
	for i in $(seq 1 100); do
		if [ -s "$d/out" ]; then
			head -1 "$d/out" > "$d/id"
			grep -qx '[0-9][0-9]*' "$d/id" && return 0
			db_fail "session $tag: $(cat "$d/out")"
			return 1
		fi
		sleep 0.05
	done
	db_fail "session $tag did not start"
}

# dbp_id TAG: the session's connection id.
dbp_id() { cat "$DB_LAB/sess-$1/id"; }

# dbp_send TAG SQL: run SQL in the session and wait until it has finished
# (bounded, 10 s); its output and errors are appended to dbp_out TAG.
dbp_send() {
	local d=$DB_LAB/sess-$1 mark i
	mark="done-$RANDOM$RANDOM"
	dbp_write "$1" "$2; SELECT '$mark';" || return 1
	for i in $(seq 1 200); do
		grep -qx "$mark" "$d/out" && return 0
		sleep 0.05
	done
	db_fail "session $1: '$2' did not finish: $(tail -3 "$d/out")"
}

# dbp_post TAG SQL: send SQL without waiting for it (it may block).
dbp_post() {
	dbp_write "$1" "$2;"
}

# dbp_write TAG TEXT: write to the session's fifo; bounded, since the
# write blocks when the client has gone.
dbp_write() {
	timeout 5 bash -c 'printf "%s\n" "$1" > "$2"' _ "$2" "$DB_LAB/sess-$1/in" ||
	    { db_fail "session $1: client gone: $(tail -3 "$DB_LAB/sess-$1/out")"; return 1; }
}

dbp_out() { cat "$DB_LAB/sess-$1/out"; }

# dbp_close TAG: end the client (EOF on its input), bounded.
dbp_close() {
	local d=$DB_LAB/sess-$1
	[ -d "$d" ] || return 0
	kill "$(cat "$d/writer.pid")" 2>/dev/null
	db_gone "$(cat "$d/client.pid")" 5 || kill -KILL "$(cat "$d/client.pid")" 2>/dev/null
	# The server ends the session a moment after the client is gone; a
	# test that lists or kills sessions next must not see it.
	if [ -s "$d/id" ] && [ -s "$d/server" ]; then
		dbp_wait_gone "$(cat "$d/server")" "$(cat "$d/id")"
	fi
	rm -rf "$d"
}

# dbp_has_session NAME ID: is connection ID in NAME's process list?
dbp_has_session() {
	[ -n "$(db_sql "$1" "SELECT ID FROM information_schema.PROCESSLIST WHERE ID = $2")" ]
}

# dbp_wait_gone NAME ID: wait (bounded, 5 s) until session ID has ended.
dbp_wait_gone() {
	local i
	for i in $(seq 1 100); do
		dbp_has_session "$1" "$2" || return 0
		sleep 0.05
	done
	db_fail "$1: session $2 still there"
}

# dbp_gtid_seq POSITION [DOMAIN]: the seqno of DOMAIN (0) in a MariaDB
# GTID position such as "0-1-42,1-2-7".
dbp_gtid_seq() {
	echo "$1" | tr ',' '\n' | awk -F- -v d="${2:-0}" '$1 == d { print $3 }'
}

# dbp_user NAME USER PASSWORD PRIVS...: an account with global privileges
# (none when PRIVS is empty), created on NAME with sql_log_bin=0 so a
# test can make one on the replica alone.
dbp_user() {
	local name=$1 user=$2 pw=$3
	shift 3
	db_sql "$name" "SET sql_log_bin=0;
	    CREATE USER IF NOT EXISTS '$user'@'%' IDENTIFIED BY '$pw'" || return 1
	[ $# -eq 0 ] && return 0
	db_sql "$name" "SET sql_log_bin=0; GRANT $* ON *.* TO '$user'@'%'"
}

# dbp_pwfile FILE PASSWORD: a password file for --password-file.
dbp_pwfile() {
	printf '%s\n' "$2" > "$1"
	chmod 600 "$1"
}

# dbp_wait_out TAG PATTERN: wait (bounded, 10 s) until the session's
# output matches the extended regex PATTERN.
dbp_wait_out() {
	local i
	for i in $(seq 1 200); do
		grep -Eq "$2" "$DB_LAB/sess-$1/out" && return 0
		sleep 0.05
	done
	db_fail "session $1: no '$2' in: $(tail -5 "$DB_LAB/sess-$1/out")"
}

# dbp_wait_received REPLICA PRIMARY: wait (bounded, 10 s) until the
# replica's IO thread has received all of the primary's binlog.
dbp_wait_received() {
	local want i got
	want=$(db_sql "$2" "SELECT @@gtid_binlog_pos") || return 1
	for i in $(seq 1 100); do
		got=$(db_status_field "$1" Gtid_IO_Pos)
		[ "$got" = "$want" ] && return 0
		sleep 0.1
	done
	db_fail "$1: Gtid_IO_Pos '$got', primary at '$want'"
}
