#!/usr/bin/env bats
# README recipes 4 (HAProxy in front of read replicas, with dbcheck's
# httpchk and agent servers) and 5 (keepalived LVS with a MISC_CHECK that
# runs dbcheck), from the README's own blocks, on the README's addresses:
# MariaDB primary p1 on 192.0.2.20:3306, replicas r1 and r2 on
# 192.0.2.21/22:3306 (each server inside its lab host), HAProxy and the
# director on 192.0.2.10, a client on 192.0.2.5.
#
# The only edits made to README blocks:
#  - /etc/vipkit/ and /etc/keepalived/ become lab directories; the option
#    files' socket= the host's lab server socket; /usr/local/bin/ the
#    build directory; HAProxy's stats socket a lab path.
#  - "r2 likewise": r1's dbcheck command with r1's address replaced by r2's.
#  - This kernel has no IPVS, so keepalived's LVS part cannot run: the
#    director config is checked with keepalived --config-test, and the
#    misc_path command is run as written against the replica.

bats_require_minimum_version 1.5.0

setup_file() {
	load lib/lab
	load lib/db
	load lib/readme
	command -v haproxy >/dev/null || { echo "haproxy not found (t/deps.sh)" >&2; return 1; }
	lab_init
	db_lab_init
	recipe_db_host p1 20 1
	recipe_db_host r1 21 2 --read-only=1
	recipe_db_host r2 22 3 --read-only=1
	lab_host h10 10
	lab_host c5 5
	export LAB_HOSTS

	readme_file accounts.sql "$LAB_DIR/accounts.sql"
	db_sql p1 "$(cat "$LAB_DIR/accounts.sql")"
	db_sql p1 "CREATE USER 'repl'@'%' IDENTIFIED BY '$DB_REPL_PW';
	    GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
	    CREATE DATABASE app;
	    CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(64))"
	recipe_replicate r1 20
	recipe_replicate r2 20
	db_sync p1 r1
	db_sync p1 r2

	local h cmd
	for h in p1 r1 r2; do
		readme_file /etc/vipkit/monitor.cnf "$LAB_DIR/$h/etc/monitor.cnf" \
		    "s|^socket=.*|socket=$(db_sock "$h")|"
		chmod 600 "$LAB_DIR/$h/etc/monitor.cnf"
	done

	# recipe 4: one dbcheck per database host, in that host
	for h in r1 r2 p1; do
		case $h in
		p1) cmd=$(readme_joined "dbcheck on primary p1") ;;
		r1) cmd=$(readme_joined "dbcheck on replica r1") ;;
		r2) cmd=$(readme_joined "dbcheck on replica r1" | sed 's/192\.0\.2\.21:/192.0.2.22:/g') ;;
		esac
		cmd=$(sed "s|/etc/vipkit/|$LAB_DIR/$h/etc/|g" <<<"$cmd")
		# shellcheck disable=SC2086
		lab_bg "$h" "$LAB_DIR/$h/dbcheck.log" $cmd
		lab_wait 10 grep -q 'serve-http: listening' "$LAB_DIR/$h/dbcheck.log" ||
		    { cat "$LAB_DIR/$h/dbcheck.log" >&2; return 1; }
	done

	readme_file /etc/haproxy/haproxy.cfg "$LAB_DIR/haproxy.cfg" \
	    "s|/run/haproxy/admin.sock|$LAB_DIR/haproxy.sock|"
	haproxy -c -q -f "$LAB_DIR/haproxy.cfg"
	lab_bg h10 "$LAB_DIR/haproxy.log" haproxy -db -f "$LAB_DIR/haproxy.cfg"
	lab_wait 10 test -S "$LAB_DIR/haproxy.sock" ||
	    { cat "$LAB_DIR/haproxy.log" >&2; return 1; }
}

teardown_file() {
	load lib/lab
	load lib/db
	db_lab_teardown
	lab_teardown
}

setup() {
	load lib/lab
	load lib/db
	load lib/readme
}

teardown() {
	# leave replication running for the next test, whatever failed
	db_sql r1 "START SLAVE" 2>/dev/null || :
	db_sql r2 "START SLAVE" 2>/dev/null || :
}

# hap_field SERVER COLUMN: a column of "show stat" for mysql_read/SERVER.
hap_field() {
	echo "show stat" | socat - "unix:$LAB_DIR/haproxy.sock" |
	    awk -F, -v sv="$1" -v col="$2" '
		NR == 1 { sub(/^# /, ""); for (i = 1; i <= NF; i++) c[$i] = i; next }
		$1 == "mysql_read" && $2 == sv { print $c[col] }'
}

hap_is() {
	[ "$(hap_field "$1" "${3:-status}")" = "$2" ]
}

# hap_wait SERVER STATUS [COLUMN] (the checks run every 2 s, fall/rise 2)
hap_wait() {
	lab_wait 20 hap_is "$@" || {
		echo "mysql_read/$1 ${3:-status} is '$(hap_field "$1" "${3:-status}")', expected '$2'" >&2
		tail -5 "$LAB_DIR/haproxy.log" >&2
		return 1
	}
}

# ids N: the server_id answering each of N client connections through
# HAProxy, sorted and unique.
ids() {
	local i
	for i in $(seq 1 "$1"); do
		lab_exec c5 mariadb --no-defaults -h 192.0.2.10 -P 3306 -u monitor \
		    -pCHANGE-ME --connect-timeout=3 -N -e 'SELECT @@server_id'
	done | sort -u | tr '\n' ' '
}

@test "recipe 4: HAProxy marks both replicas and the backup primary UP; reads go to the replicas" {
	hap_wait r1 UP
	hap_wait r2 UP
	hap_wait p1 UP
	hap_wait r1 L7OK agent_status
	hap_wait r2 L7OK agent_status
	[ "$(hap_field r1 check_code)" = 200 ]
	[ "$(hap_field p1 check_code)" = 200 ]
	[ "$(ids 8)" = "2 3 " ]
}

@test "recipe 4: r1's replication stops: DOWN through httpchk and agent, reads go to r2; restarted: UP again" {
	db_stop_sql r1
	hap_wait r1 "DOWN (agent)"
	[ "$(hap_field r1 check_code)" = 503 ]
	grep -q 'mysql_read/r1 .*via agent : down (replica: SQL thread stopped)' "$LAB_DIR/haproxy.log"
	[ "$(ids 6)" = "3 " ]
	db_start_sql r1
	hap_wait r1 UP
	hap_wait r1 200 check_code
	grep -q 'mysql_read/r1 succeeded.*via agent : up' "$LAB_DIR/haproxy.log"
	[ "$(ids 8)" = "2 3 " ]
}

@test "recipe 4: both replicas out: reads go to the backup primary; back when they recover" {
	db_stop_io r1
	db_stop_io r2
	hap_wait r1 "DOWN (agent)"
	hap_wait r2 "DOWN (agent)"
	[ "$(ids 4)" = "1 " ]
	db_start_io r1
	db_start_io r2
	hap_wait r1 UP
	hap_wait r2 UP
	[ "$(ids 8)" = "2 3 " ]
}

@test "recipe 5: keepalived accepts the director config as printed; vrrpctl refuses its LVS part" {
	readme_file "/etc/keepalived/keepalived.conf (LVS director)" "$LAB_DIR/lvs.conf"
	run keepalived --config-test -f "$LAB_DIR/lvs.conf"
	echo "$output"
	[ "$status" -eq 0 ]
	# the check keepalived was given: a misc_path per real server
	[ "$(grep -c 'misc_path "/etc/keepalived/replica-check 192.0.2.2[12]"' "$LAB_DIR/lvs.conf")" -eq 2 ]
	# and keepalived does notice a broken one
	sed 's/misc_timeout/misc_timeuot/' "$LAB_DIR/lvs.conf" > "$LAB_DIR/lvs-bad.conf"
	run keepalived --config-test -f "$LAB_DIR/lvs-bad.conf"
	[ "$status" -ne 0 ]
	run vrrpctl check -f "$LAB_DIR/lvs.conf"
	echo "$output"
	[ "$status" -eq 2 ]
	[[ "$output" == *"lvs.conf:"*"virtual_server"* ]]
}

# misc_check: the misc_path of r1 from the README's director config, run
# on the director (h10) as keepalived would; prints its exit code.
misc_check() {
	local cmd
	cmd=$(sed -n 's/^ *misc_path "\(.*192\.0\.2\.21\)"$/\1/p' "$LAB_DIR/lvs-cmd.conf")
	[ -n "$cmd" ] || { echo "no misc_path for 192.0.2.21" >&2; return 99; }
	cmd=$(sed "s|/etc/keepalived/|$LAB_DIR/keepalived/|" <<<"$cmd")
	# shellcheck disable=SC2086
	lab_exec h10 $cmd && echo 0 || echo $?
}

# lagging NAME: Seconds_Behind_Master is known and above 30.
lagging() {
	local v
	v=$(db_status_field "$1" Seconds_Behind_Master)
	[ "$v" != NULL ] && [ "$v" -gt 30 ]
}

@test "recipe 5: the MISC_CHECK command keeps a restarted replica out until it has caught up" {
	readme_file "/etc/keepalived/keepalived.conf (LVS director)" "$LAB_DIR/lvs-cmd.conf"
	readme_file /etc/keepalived/replica-check "$LAB_DIR/keepalived/replica-check" \
	    "s|/usr/local/bin/|$VIPKIT_BIN/|; s|/etc/vipkit/|$LAB_DIR/r1/etc/|"
	# the README's "try it by hand" line is that same command
	[ "$(readme_block "check one replica")" = '/etc/keepalived/replica-check 192.0.2.21; echo $?' ]

	# healthy replica: up
	[ "$(misc_check)" = 0 ]

	# the replica goes down: down
	db_stop r1
	[ "$(misc_check)" = 1 ]

	# meanwhile the primary takes writes; SET TIMESTAMP dates them 300 s
	# back, as if r1 had been down for five minutes
	db_sql p1 "SET TIMESTAMP = UNIX_TIMESTAMP() - 300;
	    INSERT INTO app.t SELECT seq, 'while r1 was down' FROM app.seq_1_to_20"

	# restarted, replication not running yet: port 3306 answers (the
	# seed's TCP_CHECK would put it back), the check keeps it out
	recipe_db_restart r1 21 2 --read-only=1
	lab_exec h10 bash -c 'exec 3<>/dev/tcp/192.0.2.21/3306'
	[ "$(misc_check)" = 1 ]

	# replication runs but the replica is replaying old writes (its
	# applier held on a table lock so that the lag is visible): out
	db_lock_table r1 app.t
	db_sql r1 "START SLAVE"
	db_wait_field r1 Slave_SQL_Running Yes
	lab_wait 10 lagging r1
	db_status_field r1 Seconds_Behind_Master
	[ "$(misc_check)" = 1 ]

	# caught up: back in
	db_unlock_table r1
	db_sync p1 r1
	[ "$(misc_check)" = 0 ]
	[ "$(db_sql r1 "SELECT COUNT(*) FROM app.t WHERE v = 'while r1 was down'")" = 20 ]
}
