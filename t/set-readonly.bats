#!/usr/bin/env bats
# set-readonly against a real MariaDB primary (p) and GTID replica (r);
# the last test is a failover drill of both promotion programs on a pair
# of its own (d1 -> d2).

bats_require_minimum_version 1.5.0

setup_file() {
	load lib/lab
	load lib/db
	load lib/db-promote
	db_lab_init
	db_lab_pair p r
	for s in p r; do
		# READ_ONLY ADMIN only; plus PROCESS; nothing
		dbp_user $s roadmin "roadmin-pw1" "READ_ONLY ADMIN"
		dbp_user $s roproc "roproc-pw2" "READ_ONLY ADMIN, PROCESS"
	done
}

teardown_file() {
	load lib/db
	db_lab_teardown
}

setup() {
	load lib/lab
	load lib/db
	load lib/db-promote
	PATH="$PATH:/usr/sbin"
	S=set-readonly
	P="-S $(db_sock p) -u root"
	R="-S $(db_sock r) -u root"
	cd "$BATS_TEST_DIRNAME/.."
}

teardown() {
	for t in app adm lock; do
		dbp_close "$t"
	done
}

ms() { date +%s%3N; }

# app_write SERVER ID: one INSERT as the application user (no privilege
# beyond app.*); its output (the server's error) is in $output.
app_write() {
	run env MYSQL_PWD="$DB_APP_PW" mariadb --no-defaults -S "$(db_sock "$1")" \
	    -u app -N -B -e "INSERT INTO app.t VALUES ($2, 'app')"
}

@test "set-readonly: --help, --version, bad usage" {
	run "$S" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: set-readonly on|off|status"* ]]
	run "$S" --version
	[[ "$output" == "set-readonly (vipkit) "* ]]
	run --separate-stderr "$S" status --bogus
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *usage* ]]
	run --separate-stderr "$S"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"missing action"* ]]
	run --separate-stderr "$S" maybe
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"'maybe': expected on, off or status"* ]]
	run --separate-stderr "$S" off --kill-sessions
	[ "$status" -eq 2 ]
	run --separate-stderr "$S" on --force
	[ "$status" -eq 2 ]
	run --separate-stderr "$S" on -w 0
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--lock-wait-timeout"* ]]
	run --separate-stderr "$S" on off
	[ "$status" -eq 2 ]
}

@test "set-readonly: man page renders cleanly, completions load" {
	run bash -c 'MANWIDTH=80 man --warnings -l man1/set-readonly.1 2>&1 >/dev/null'
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run bash -c 'MANWIDTH=80 man -l man1/set-readonly.1 2>/dev/null'
	[[ "$output" == *"EXIT STATUS"* ]]
	[[ "$output" == *"set-readonly on --kill-sessions"* ]]
	run bash -c 'source completions/set-readonly &&
	    COMP_WORDS=(set-readonly s); COMP_CWORD=1; _set_readonly; echo "${COMPREPLY[@]}"
	    COMP_WORDS=(set-readonly on --ki); COMP_CWORD=2; _set_readonly; echo "${COMPREPLY[@]}"'
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = status ]
	[ "${lines[1]}" = --kill-sessions ]
	run zsh -c "autoload -U compinit; compinit -u -D; fpath=($PWD/completions \$fpath); autoload -U _set-readonly && whence -w _set-readonly"
	[ "$status" -eq 0 ]
	zsh -n completions/_set-readonly
}

@test "set-readonly: status: 0 read-only, 1 writable" {
	run "$S" status $P
	[ "$status" -eq 1 ]
	[ "$output" = "read_only OFF" ]
	run "$S" status $R
	[ "$status" -eq 0 ]
	[ "$output" = "read_only ON" ]
	run "$S" status $R --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.action == "status" and .read_only == true and .ok == true
	    and .super_read_only == null'
	run "$S" status $P -q
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "set-readonly: on/off proven by the application user's writes" {
	app_write p 100
	[ "$status" -eq 0 ]
	run "$S" on $P
	echo "$output"
	[ "$status" -eq 0 ]
	pos=$(db_sql p "SELECT @@gtid_binlog_pos")
	file=$(db_sql p "SHOW MASTER STATUS" | cut -f1,2 | tr '\t' :)
	[ "$output" = "read_only ON (was OFF); gtid $pos; binlog $file" ]
	[ "$(db_sql p 'SELECT @@global.read_only')" = 1 ]
	app_write p 101
	echo "$output"
	[ "$status" -ne 0 ]
	[[ "$output" == *"ERROR 1290"*"--read-only option"* ]]
	# idempotent
	run "$S" on $P --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e --arg pos "$pos" --arg file "${file%%:*}" '
	    .ok == true and .read_only == true and .was_read_only == true
	    and .changed == false and .gtid_position == $pos and .binlog_file == $file
	    and (.binlog_pos | type) == "number" and .sessions_ended == []'
	run "$S" status $P
	[ "$status" -eq 0 ]
	run "$S" off $P
	[ "$status" -eq 0 ]
	[ "$output" = "read_only OFF (was ON)" ]
	app_write p 101
	[ "$status" -eq 0 ]
	run "$S" off $P --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.read_only == false and .changed == false and .replicating == false'
	[ "$(db_sql p 'SELECT COUNT(*) FROM app.t WHERE id IN (100, 101)')" = 2 ]
}

@test "set-readonly: --kill-sessions ends open transactions, keeps replication" {
	dbp_open p app app "$DB_APP_PW"
	dbp_open p adm admin "$DB_ADMIN_PW"
	dbp_send app "BEGIN; INSERT INTO app.t VALUES (200, 'open app trx')"
	dbp_send adm "BEGIN; INSERT INTO app.t VALUES (201, 'open admin trx')"
	app_id=$(dbp_id app)
	adm_id=$(dbp_id adm)
	# without --kill-sessions the sessions and their transactions live on
	run "$S" on $P
	[ "$status" -eq 0 ]
	dbp_has_session p "$app_id"
	dbp_has_session p "$adm_id"
	run "$S" on $P --kill-sessions
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"ended sessions $app_id app@localhost, $adm_id admin@localhost;"* ]]
	dbp_wait_gone p "$app_id"
	dbp_wait_gone p "$adm_id"
	dbp_post adm "COMMIT"
	dbp_wait_out adm "ERROR 20(06|13)"
	[ "$(db_sql p 'SELECT COUNT(*) FROM app.t WHERE id IN (200, 201)')" = 0 ]
	# replication threads were not touched, on either side
	[ -n "$(db_sql p "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'")" ]
	[ "$(db_status_field r Slave_IO_Running)" = Yes ]
	run "$S" on $P -k --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.sessions_ended == []'
	run "$S" off $P
	[ "$status" -eq 0 ]
}

@test "set-readonly: a held lock: 1 after --lock-wait-timeout, --kill-sessions gets through" {
	dbp_open p lock root
	dbp_send lock "LOCK TABLES app.t WRITE"
	t0=$(ms)
	run "$S" on $P -w 1
	el=$(( $(ms) - t0 ))
	echo "$output ($el ms)"
	[ "$status" -eq 1 ]
	[[ "$output" == *"read_only not set: lock wait timed out after 1 s"*"--kill-sessions ends it"* ]]
	[ "$el" -ge 900 ] && [ "$el" -lt 5000 ]
	run "$S" status $P
	[ "$status" -eq 1 ]
	id=$(dbp_id lock)
	run "$S" on $P -w 1 --kill-sessions
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "read_only ON (was OFF); ended sessions $id root@localhost;"* ]]
	dbp_wait_gone p "$id"
	run "$S" off $P
	[ "$status" -eq 0 ]
}

@test "set-readonly: privilege errors -> 3, naming the privilege" {
	dbp_pwfile "$DB_LAB/nopw" "$DB_NOPRIVS_PW"
	run --separate-stderr "$S" on -S "$(db_sock p)" -u noprivs --password-file "$DB_LAB/nopw"
	echo "$stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"SET GLOBAL read_only: missing privilege READ_ONLY ADMIN"* ]]
	[[ "$stderr" == *"; to grant it: GRANT READ_ONLY ADMIN ON *.* TO 'noprivs'@'%'" ]]
	[ "$(db_sql p 'SELECT @@global.read_only')" = 0 ]
	# the GRANT it names is the one that helps
	db_sql p "SET sql_log_bin=0; ${stderr##*to grant it: }"
	run "$S" on -S "$(db_sock p)" -u noprivs --password-file "$DB_LAB/nopw"
	db_sql p "SET sql_log_bin=0; REVOKE READ_ONLY ADMIN ON *.* FROM 'noprivs'@'%'"
	[ "$status" -eq 0 ]
	[ "$(db_sql p 'SELECT @@global.read_only')" = 1 ]
	db_sql p "SET GLOBAL read_only=0"

	# READ_ONLY ADMIN without PROCESS: read_only set, sessions not ended
	dbp_pwfile "$DB_LAB/ropw" roadmin-pw1
	RO="-S $(db_sock p) -u roadmin --password-file $DB_LAB/ropw"
	run --separate-stderr "$S" on $RO --kill-sessions
	echo "$stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"missing privilege PROCESS"*"read_only is ON; to grant it: GRANT PROCESS ON *.* TO 'roadmin'@'%'" ]]
	# ... and without REPLICA MONITOR it cannot check for replication
	run --separate-stderr "$S" off $RO
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"cannot tell whether it replicates: missing privilege REPLICA MONITOR"*"; to grant it: GRANT REPLICA MONITOR ON *.* TO 'roadmin'@'%'" ]]
	[ "$(db_sql p 'SELECT @@global.read_only')" = 1 ]
	run "$S" off $P
	[ "$status" -eq 0 ]
	run --separate-stderr "$S" off -S "$(db_sock r)" -u roadmin --password-file "$DB_LAB/ropw"
	echo "$stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"missing privilege REPLICA MONITOR"* ]]
	[ "$(db_sql r 'SELECT @@global.read_only')" = 1 ]

	# PROCESS but not CONNECTION ADMIN: another user's session stays
	dbp_open p app app "$DB_APP_PW"
	dbp_pwfile "$DB_LAB/rppw" roproc-pw2
	run --separate-stderr "$S" on -S "$(db_sock p)" -u roproc --password-file "$DB_LAB/rppw" -k
	echo "$stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"cannot end 1 session (e.g. $(dbp_id app)): missing privilege CONNECTION ADMIN; read_only is ON; to grant it: GRANT CONNECTION ADMIN ON *.* TO 'roproc'@'%'" ]]
	dbp_has_session p "$(dbp_id app)"
	run "$S" off $P
	[ "$status" -eq 0 ]

	dbp_pwfile "$DB_LAB/badpw" wrong
	run --separate-stderr "$S" status -S "$(db_sock p)" -u admin --password-file "$DB_LAB/badpw"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"access denied"* ]]
}

@test "set-readonly: off is refused on a running replica unless --force" {
	db_sync p r
	run "$S" off $R
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"refused: replication is running (IO thread Yes, SQL thread Yes, source 127.0.0.1:$(db_port p))"* ]]
	run "$S" status $R
	[ "$status" -eq 0 ]
	app_write r 300
	[ "$status" -ne 0 ]
	run "$S" off $R --json
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.ok == false and .code == 1 and .replicating == true and .read_only == null'
	run --separate-stderr "$S" off $R --force
	echo "$output / $stderr"
	[ "$status" -eq 0 ]
	[ "$output" = "read_only OFF (was ON)" ]
	[[ "$stderr" == *"writable while replication runs"* ]]
	run "$S" status $R
	[ "$status" -eq 1 ]
	run "$S" on $R
	[ "$status" -eq 0 ]
}

@test "failover drill: load, lagging applier, primary killed; hook promotes only after the relay log is applied" {
	db_lab_pair d1 d2
	db_sql d1 "CREATE TABLE app.w (id INT PRIMARY KEY, v VARCHAR(64))"
	db_sync d1 d2
	base=$(dbp_gtid_seq "$(db_sql d1 'SELECT @@gtid_binlog_pos')")
	# the replica's applier lags: a lock holds it
	dbp_open d2 lock root
	dbp_send lock "LOCK TABLES app.t WRITE"
	# write load on the primary, one transaction per row
	( for i in $(seq 1 3000); do
		mariadb --no-defaults -S "$(db_sock d1)" -u root \
		    -e "INSERT INTO app.t VALUES ($i, 'load')" 2>/dev/null || break
	  done ) &
	load=$!
	echo "$load" >> "$DB_LAB/pids"
	sleep 2
	db_kill d1
	wait "$load" || true
	db_wait_field d2 Slave_IO_Running Connecting 20
	io=$(dbp_gtid_seq "$(db_status_field d2 Gtid_IO_Pos)")
	received=$((io - base))
	echo "received $received transactions"
	[ "$received" -gt 20 ]
	# an application keeps trying to write to the new primary
	( for k in $(seq 1 400); do
		MYSQL_PWD="$DB_APP_PW" mariadb --no-defaults -S "$(db_sock d2)" -u app \
		    -e "INSERT INTO app.w VALUES ($k, 'app')" >>"$DB_LAB/app.log" 2>&1 &&
		    echo "ok $k" >>"$DB_LAB/app.log"
		sleep 0.02
	  done ) &
	app=$!
	echo "$app" >> "$DB_LAB/pids"
	# the MASTER hook of the replica
	( wait-replica-caught-up -S "$(db_sock d2)" -u root --timeout 60 &&
	    set-readonly off --force -S "$(db_sock d2)" -u root ) >"$DB_LAB/hook.log" 2>&1 &
	hook=$!
	sleep 1.5
	kill -0 "$hook"		# still waiting for the applier
	dbp_send lock "UNLOCK TABLES"
	rc=0
	wait "$hook" || rc=$?
	cat "$DB_LAB/hook.log"
	[ "$rc" -eq 0 ]
	for i in $(seq 1 100); do
		grep -q '^ok ' "$DB_LAB/app.log" && break
		sleep 0.1
	done
	kill "$app" 2>/dev/null || true
	wait "$app" 2>/dev/null || true
	# writes were refused while it caught up, accepted after
	grep -q "ERROR 1290" "$DB_LAB/app.log"
	grep -q '^ok ' "$DB_LAB/app.log"
	# no relayed event is missing: rows 1..received, nothing else
	[ "$(db_sql d2 'SELECT COUNT(*), MIN(id), MAX(id) FROM app.t WHERE id <= 3000')" = "$received	1	$received" ]
	# no local write before the last relayed event: in d2's binlog every
	# transaction of server 1 comes before the first of server 2
	order=$(for f in $(db_sql d2 "SHOW BINARY LOGS" | cut -f1); do
		db_sql d2 "SHOW BINLOG EVENTS IN '$f'" | awk -F'\t' '$3 == "Gtid" { print $4 }'
	done | uniq | tr '\n' ' ')
	echo "server ids of d2's transactions in binlog order: $order"
	[[ "$order" =~ ^(1\ )+(2\ )+$ ]]
	last1=$(for f in $(db_sql d2 "SHOW BINARY LOGS" | cut -f1); do
		db_sql d2 "SHOW BINLOG EVENTS IN '$f'" | awk -F'\t' '$3 == "Gtid" && $4 == 1 { print $6 }'
	done | tail -1)
	[[ "$last1" == *"GTID 0-1-$io"* ]]
}
