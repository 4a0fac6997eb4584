#!/usr/bin/env bats
# Real HAProxy (loopback only) checks a real MariaDB replica through
# dbcheck: `option httpchk` against --serve-http and `agent-check` against
# --serve-agent. Stopping the replica's SQL thread must take the server
# DOWN through both, and starting it must bring it back UP through both
# (the agent must say "up" again by itself).

setup_file() {
	load lib/lab
	load lib/db
	command -v haproxy >/dev/null || { echo "haproxy not found (t/deps.sh)" >&2; return 1; }
	db_lab_init
	db_lab_pair p r
	db_defaults_file "$DB_LAB/monitor.cnf" monitor "$DB_MONITOR_PW"

	dbcheck --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock r)" \
	    --role replica --serve-http 127.0.0.1:0 --serve-agent 127.0.0.1:0 \
	    2>"$DB_LAB/dbcheck.log" &
	echo $! >> "$DB_LAB/pids"
	lab_wait 10 grep -q 'serve-agent: listening' "$DB_LAB/dbcheck.log"
	HP=$(sed -n 's/.*serve-http: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$DB_LAB/dbcheck.log")
	AP=$(sed -n 's/.*serve-agent: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$DB_LAB/dbcheck.log")
	[ -n "$HP" ] && [ -n "$AP" ] || { cat "$DB_LAB/dbcheck.log" >&2; return 1; }

	F1=$(db_free_port)
	F2=$(db_free_port)
	export F1 F2
	cat > "$DB_LAB/haproxy.cfg" <<-EOF
	global
	    stats socket $DB_LAB/haproxy.sock mode 600 level admin
	defaults
	    mode tcp
	    timeout connect 1s
	    timeout client 10s
	    timeout server 10s
	    timeout check 5s
	listen db_http
	    bind 127.0.0.1:$F1
	    option httpchk
	    server r1 127.0.0.1:$(db_port r) check port $HP inter 200ms fall 2 rise 2
	listen db_agent
	    bind 127.0.0.1:$F2
	    server r1 127.0.0.1:$(db_port r) check inter 200ms fall 2 rise 2 agent-check agent-port $AP agent-inter 200ms
	EOF
	haproxy -c -q -f "$DB_LAB/haproxy.cfg" || return 1
	haproxy -db -f "$DB_LAB/haproxy.cfg" >"$DB_LAB/haproxy.log" 2>&1 &
	echo $! >> "$DB_LAB/pids"
	lab_wait 10 test -S "$DB_LAB/haproxy.sock" ||
	    { cat "$DB_LAB/haproxy.log" >&2; return 1; }
}

teardown_file() {
	load lib/db
	db_lab_teardown
}

setup() {
	load lib/lab
	load lib/db
}

# hap_field PROXY SERVER COLUMN: one column of HAProxy's "show stat".
hap_field() {
	echo "show stat" | socat - "unix:$DB_LAB/haproxy.sock" |
	    awk -F, -v px="$1" -v sv="$2" -v col="$3" '
		NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 == px && $2 == sv { print $c[col] }'
}

# hap_wait PROXY STATUS [COLUMN]: until HAProxy shows that value of the
# column (default: status) for server r1 (10 s).
hap_wait() {
	local i s col=${3:-status}
	for i in $(seq 1 100); do
		s=$(hap_field "$1" r1 "$col")
		[ "$s" = "$2" ] && return 0
		sleep 0.1
	done
	echo "haproxy: $1/r1 $col is '$s', expected '$2'" >&2
	tail -5 "$DB_LAB/haproxy.log" >&2
	return 1
}

@test "dbcheck-haproxy: both checks mark the replica UP, and traffic reaches it" {
	hap_wait db_http UP
	hap_wait db_agent UP
	[ "$(hap_field db_http r1 check_code)" = 200 ]
	# the TCP check can bring it UP before the first agent reply is in
	hap_wait db_agent L7OK agent_status
	run mariadb --no-defaults -h 127.0.0.1 -P "$F1" -u monitor \
	    -p"$DB_MONITOR_PW" -N -e 'SELECT @@server_id'
	[ "$output" = 2 ]
}

@test "dbcheck-haproxy: SQL thread stops -> DOWN through httpchk and agent-check; restarts -> UP" {
	db_stop_sql r
	hap_wait db_http DOWN
	hap_wait db_agent "DOWN (agent)"
	[ "$(hap_field db_http r1 check_code)" = 503 ]
	grep -q 'db_agent/r1 is DOWN.*via agent : down (replica: SQL thread stopped)' \
	    "$DB_LAB/haproxy.log"
	run mariadb --no-defaults -h 127.0.0.1 -P "$F1" -u monitor \
	    -p"$DB_MONITOR_PW" --connect-timeout=3 -N -e 'SELECT 1'
	[ "$status" -ne 0 ]
	db_start_sql r
	hap_wait db_http UP
	hap_wait db_agent UP
	grep -q 'db_agent/r1 is UP.*via agent : up' "$DB_LAB/haproxy.log"
	run mariadb --no-defaults -h 127.0.0.1 -P "$F2" -u monitor \
	    -p"$DB_MONITOR_PW" -N -e 'SELECT @@server_id'
	[ "$output" = 2 ]
}

@test "dbcheck-haproxy: a replication error takes it DOWN, repair brings it UP" {
	local id
	id=$(db_inject_dup_key p r)
	hap_wait db_http DOWN
	hap_wait db_agent "DOWN (agent)"
	grep -q 'via agent : down (replica: SQL thread stopped (Last_SQL_Errno 1062' \
	    "$DB_LAB/haproxy.log"
	db_repair_dup_key r "$id"
	hap_wait db_http UP
	hap_wait db_agent UP
}
