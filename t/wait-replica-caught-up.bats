#!/usr/bin/env bats
# wait-replica-caught-up against a real MariaDB primary (p), a GTID replica
# (r) and a file/position replica (f). The last test kills the primary.

bats_require_minimum_version 1.5.0

setup_file() {
	load lib/lab
	load lib/db
	load lib/db-promote
	db_lab_init
	db_lab_pair p r
	# f: classic file/position replication from p's first binlog.
	db_start f 3 --read-only=1
	db_sql f "CHANGE MASTER TO MASTER_HOST='127.0.0.1',
	    MASTER_PORT=$(db_port p), MASTER_USER='repl',
	    MASTER_PASSWORD='$DB_REPL_PW', MASTER_USE_GTID=no,
	    MASTER_LOG_FILE='p-bin.000001', MASTER_LOG_POS=4,
	    MASTER_CONNECT_RETRY=1; START SLAVE"
	db_wait_field f Slave_SQL_Running Yes
	db_sync p f
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
	W=wait-replica-caught-up
	R="-S $(db_sock r) -u root"
	cd "$BATS_TEST_DIRNAME/.."
}

# ms: a millisecond clock
ms() { date +%s%3N; }

@test "unit: caught-up decision, MariaDB positions, MySQL GTID sets, session fence" {
	[ -x "$VIPKIT_UNIT/caughtup_test" ] || { echo "caughtup_test not built (make all)"; false; }
	run "$VIPKIT_UNIT/caughtup_test"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *", 0 failed" ]]
}

@test "wait-replica-caught-up: --help, --version, bad options" {
	run "$W" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: wait-replica-caught-up"* ]]
	[[ "$output" == *"--ignore-delay"* ]]
	run "$W" -V
	[ "$status" -eq 0 ]
	[[ "$output" == "wait-replica-caught-up (vipkit) "* ]]
	run --separate-stderr "$W" --bogus
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *usage* ]]
	run --separate-stderr "$W" --timeout soon
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--timeout"* ]]
	run --separate-stderr "$W" extra
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unexpected argument 'extra'"* ]]
	run --separate-stderr "$W" --interval 0
	[ "$status" -eq 2 ]
}

@test "wait-replica-caught-up: man page renders cleanly, completions load" {
	run bash -c 'MANWIDTH=80 man --warnings -l man1/wait-replica-caught-up.1 2>&1 >/dev/null'
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run bash -c 'MANWIDTH=80 man -l man1/wait-replica-caught-up.1 2>/dev/null'
	[[ "$output" == *"EXIT STATUS"* ]]
	[[ "$output" == *"set-readonly off --force"* ]]
	run bash -c 'source /usr/share/bash-completion/bash_completion 2>/dev/null
	    source completions/wait-replica-caught-up &&
	    COMP_WORDS=(wait-replica-caught-up --ig); COMP_CWORD=1
	    _wait_replica_caught_up wait-replica-caught-up --ig wait-replica-caught-up
	    echo "${COMPREPLY[@]}"'
	[ "$status" -eq 0 ]
	[[ "$output" == *"--ignore-delay"* ]]
	run zsh -c "autoload -U compinit; compinit -u -D; fpath=($PWD/completions \$fpath); autoload -U _wait-replica-caught-up && whence -w _wait-replica-caught-up"
	[ "$status" -eq 0 ]
	zsh -n completions/_wait-replica-caught-up
}

@test "wait-replica-caught-up: a replica in sync is caught up at once (GTID)" {
	db_sql p "INSERT INTO app.t VALUES (1, 'one')"
	db_sync p r
	run --separate-stderr "$W" $R --timeout 10
	echo "$output $stderr"
	[ "$status" -eq 0 ]
	[[ "$output" == "wait-replica-caught-up: caught up: gtid_slave_pos 0-1-"*" has reached Gtid_IO_Pos 0-1-"* ]]
	run "$W" $R -q
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run --separate-stderr "$W" $R --json
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.caught_up == true and .code == 0 and .state == "caught-up"
	    and .method == "mariadb-gtid" and .transactions_behind == 0
	    and .sql_running == "Yes" and .io_running == "Yes"
	    and .received == .executed and .using_gtid == "Slave_Pos"'
}

@test "wait-replica-caught-up: not a replica -> 3 at once" {
	t0=$(ms)
	run --separate-stderr "$W" -S "$(db_sock p)" -u root --timeout 30
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"not a replica"* ]]
	[ $(( $(ms) - t0 )) -lt 3000 ]
}

@test "wait-replica-caught-up: missing privilege and wrong password -> 3, named" {
	dbp_pwfile "$DB_LAB/nopw" "$DB_NOPRIVS_PW"
	run --separate-stderr "$W" -S "$(db_sock r)" -u noprivs --password-file "$DB_LAB/nopw"
	echo "$stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"missing privilege REPLICA MONITOR"* ]]
	dbp_pwfile "$DB_LAB/badpw" wrong
	run --separate-stderr "$W" -S "$(db_sock r)" -u monitor --password-file "$DB_LAB/badpw"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"access denied"* ]]
	# the monitoring account is enough
	dbp_pwfile "$DB_LAB/monpw" "$DB_MONITOR_PW"
	run "$W" -S "$(db_sock r)" -u monitor --password-file "$DB_LAB/monpw" -t 5
	[ "$status" -eq 0 ]
}

@test "wait-replica-caught-up: the NULL trap: SQL thread stopped -> 3 at once, never 0" {
	db_stop_sql r
	db_sql p "INSERT INTO app.t VALUES (2, 'two')"
	dbp_wait_received r p
	# what the seed's loop accepted as "caught up"
	[ "$(db_status_field r Seconds_Behind_Master)" = NULL ]
	t0=$(ms)
	run --separate-stderr "$W" $R --timeout 30
	el=$(( $(ms) - t0 ))
	echo "$stderr ($el ms)"
	db_start_sql r
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"SQL thread stopped; 1 transaction behind"* ]]
	[ "$el" -lt 3000 ]
	# also when nothing is pending: a stopped applier is never "caught up"
	db_sync p r
	db_stop_sql r
	run --separate-stderr "$W" $R --json --timeout 30
	db_start_sql r
	[ "$status" -eq 3 ]
	echo "$output" | jq -e '.caught_up == false and .state == "cannot-catch-up"
	    and .sql_running == "No" and .seconds_behind_master == null'
}

@test "wait-replica-caught-up: SQL error -> 3 with Last_SQL_Errno and message" {
	key=$(db_inject_dup_key p r)
	run --separate-stderr "$W" $R --timeout 30
	echo "$stderr"
	db_repair_dup_key r "$key"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"Last_SQL_Errno 1062: "*"Duplicate entry"* ]]
	db_sync p r
}

@test "wait-replica-caught-up: delayed replication -> 3 unless --ignore-delay" {
	db_sql r "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=3600; START SLAVE"
	db_wait_field r Slave_SQL_Running Yes
	run --separate-stderr "$W" $R --timeout 30
	echo "$stderr"
	[ "$status" -eq 3 ]
	[[ "$stderr" == *"delayed replication (SQL_Delay 3600 s"* ]]
	db_sql p "INSERT INTO app.t VALUES (3, 'three')"
	dbp_wait_received r p
	run "$W" $R --timeout 1 --ignore-delay
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"timed out after 1."*"1 transaction behind"* ]]
	db_sql r "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=0; START SLAVE"
	db_wait_field r Slave_SQL_Running Yes
	db_sync p r
	run "$W" $R --timeout 10
	[ "$status" -eq 0 ]
}

@test "wait-replica-caught-up: replica crashed and restarted, replication not started: nothing received, never ':4'" {
	db_sql p "INSERT INTO app.t VALUES (5, 'five')"
	db_sync p r
	db_kill r
	db_start r 2 --read-only=1
	# file/position may be stale after the crash; Gtid_IO_Pos is empty
	fp="$(db_status_field r Master_Log_File):$(db_status_field r Read_Master_Log_Pos)"
	iop=$(db_status_field r Gtid_IO_Pos)
	sp=$(db_sql r "SELECT @@gtid_slave_pos")
	run --separate-stderr "$W" $R --timeout 10 --json
	db_sql r "START SLAVE"
	echo "'$fp' '$iop' $sp $output"
	[ -z "$iop" ]
	[ "$status" -eq 3 ]
	echo "$output" | jq -e --arg sp "$sp" '.state == "cannot-catch-up" and .method == "mariadb-gtid"
	    and .received == null and .executed == $sp and .transactions_behind == 0
	    and .reason == "SQL thread stopped; nothing received yet (Gtid_IO_Pos empty), executed gtid_slave_pos \($sp)"'
	db_wait_field r Slave_IO_Running Yes
	db_wait_field r Slave_SQL_Running Yes
	db_sync p r
	run "$W" $R --timeout 10
	[ "$status" -eq 0 ]
}

@test "wait-replica-caught-up: file/position replica: caught up, then bytes behind" {
	F="-S $(db_sock f) -u root"
	db_sync p f
	run "$W" $F --json --timeout 10
	echo "$output"
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.method == "file-position" and .bytes_behind == 0
	    and .using_gtid == "No" and (.received | startswith("p-bin.000001:"))'
	dbp_open f flock root
	dbp_send flock "LOCK TABLES app.t WRITE"
	db_sql p "INSERT INTO app.t VALUES (4, 'four')"
	for i in $(seq 1 50); do
		[ "$(db_status_field f Read_Master_Log_Pos)" = "$(db_sql p 'SHOW MASTER STATUS' | cut -f2)" ] && break
		sleep 0.1
	done
	run "$W" $F --timeout 1
	echo "$output"
	dbp_send flock "UNLOCK TABLES"
	dbp_close flock
	[ "$status" -eq 1 ]
	[[ "$output" =~ timed\ out\ after\ 1\.[0-9]+\ s:\ [0-9]+\ bytes\ behind\ \(read\ p-bin.000001: ]]
	run "$W" $F --timeout 10
	[ "$status" -eq 0 ]
	[[ "$output" == *"executed position p-bin.000001:"*"has reached the read position"* ]]
}

@test "wait-replica-caught-up: an applier blocked by a table lock -> 1 after --timeout, saying how far" {
	db_sync p r
	dbp_open r lock root
	dbp_send lock "LOCK TABLES app.t WRITE"
	for i in 11 12 13 14 15; do
		db_sql p "INSERT INTO app.t VALUES ($i, 'behind')"
	done
	dbp_wait_received r p
	t0=$(ms)
	run --separate-stderr "$W" $R --timeout 2
	el=$(( $(ms) - t0 ))
	echo "$output / $stderr ($el ms)"
	[ "$status" -eq 1 ]
	[[ "$output" == "wait-replica-caught-up: timed out after 2."*" s: 5 transactions behind (gtid_slave_pos 0-1-"* ]]
	# not a terminal: no progress line
	[ -z "$stderr" ]
	[ "$el" -ge 2000 ] && [ "$el" -lt 6000 ]
	run "$W" $R --timeout 0.3 --json
	[ "$status" -eq 1 ]
	echo "$output" | jq -e '.code == 1 and .state == "behind" and .transactions_behind == 5
	    and .sql_running == "Yes"'
	# on a terminal: one updating progress line on stderr
	run script -qec "$VIPKIT_BIN/$W $R --timeout 1.2" /dev/null
	echo "$output"
	[[ "$output" == *$'\r'*"5 transactions behind, applying "*"to timeout"* ]]
	run script -qec "$VIPKIT_BIN/$W $R --timeout 1.2 -q" /dev/null
	[[ "$output" != *"applying"* ]]
	[ -z "$output" ]
	# the lock stays for the next test
}

@test "wait-replica-caught-up: primary dead, lock released -> 0, every received row applied" {
	dbp_has_session r "$(dbp_id lock)"
	dbp_wait_received r p
	want=$(db_sql p "SELECT COUNT(*) FROM app.t")
	db_kill p
	db_wait_field r Slave_IO_Running Connecting 20
	"$W" $R --timeout 30 > "$DB_LAB/wait.out" 2>&1 &
	pid=$!
	sleep 1.5
	# still waiting: the applier is blocked (app.t itself is locked, so
	# compare positions, not rows)
	kill -0 "$pid"
	io=$(dbp_gtid_seq "$(db_status_field r Gtid_IO_Pos)")
	sp=$(dbp_gtid_seq "$(db_sql r 'SELECT @@gtid_slave_pos')")
	[ "$sp" -lt "$io" ]
	dbp_send lock "UNLOCK TABLES"
	rc=0
	wait "$pid" || rc=$?
	got=$(db_sql r "SELECT COUNT(*) FROM app.t")
	cat "$DB_LAB/wait.out"
	dbp_close lock
	[ "$rc" -eq 0 ]
	[ "$got" -eq "$want" ]
	grep -q "caught up: .*(IO thread Connecting; waited " "$DB_LAB/wait.out"
	# it did not touch replication: the IO thread still retries
	[ "$(db_status_field r Slave_IO_Running)" = Connecting ]
	[ "$(db_status_field r Slave_SQL_Running)" = Yes ]
}
