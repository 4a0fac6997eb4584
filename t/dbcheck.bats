#!/usr/bin/env bats
# dbcheck against a real MariaDB primary "p" and GTID replica "r" (one pair
# per file, see t/lib/db.bash): roles, broken replication, lag, a frozen
# server, credentials and privileges, and the HTTP / agent servers.

bats_require_minimum_version 1.5.0

setup_file() {
	load lib/lab
	load lib/db
	db_lab_init
	db_lab_pair p r
	db_defaults_file "$DB_LAB/monitor.cnf" monitor "$DB_MONITOR_PW"
	printf '%s\n' "$DB_MONITOR_PW" > "$DB_LAB/monitor.pw"
	chmod 600 "$DB_LAB/monitor.pw"
}

teardown_file() {
	load lib/db
	db_lab_teardown
}

setup() {
	load lib/lab
	load lib/db
}

teardown() {
	[ -n "${SRV_PID:-}" ] && kill "$SRV_PID" 2>/dev/null
	# Leave the replica healthy for the next test.
	db_sql r "START SLAVE" 2>/dev/null || :
	db_thaw r 2>/dev/null || :
	return 0
}

# dbc SERVER ARGS...: dbcheck as the monitor user over SERVER's socket.
dbc() {
	local s=$1
	shift
	dbcheck --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock "$s")" "$@"
}

ms() { echo $(($(date +%s%N) / 1000000)); }

# srv_start ARGS...: a dbcheck server (ports picked by the kernel, read
# from its log); waits until its first check has been logged.
srv_start() {
	local log=$DB_LAB/srv.$BATS_TEST_NUMBER.log i
	dbcheck "$@" 2>"$log" &
	SRV_PID=$!
	echo "$SRV_PID" >> "$DB_LAB/pids"
	for i in $(seq 1 100); do
		grep -qE '^dbcheck: (alive|any|primary|replica|writable): ' "$log" &&
		    break
		sleep 0.05
	done
	HTTP_PORT=$(sed -n 's/.*serve-http: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log")
	AGENT_PORT=$(sed -n 's/.*serve-agent: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$log")
	SRV_LOG=$log
}

# raw PORT: send stdin to the server, print its answer.
raw() {
	socat -t 5 -T 10 - "TCP:127.0.0.1:$1"
}

agent() {
	socat -t 5 -T 10 - "TCP:127.0.0.1:$AGENT_PORT" </dev/null
}

@test "dbcheck: --help, --version, bad options" {
	run dbcheck --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--serve-http"* ]]
	[[ "$output" == *"--password-file"* ]]
	run dbcheck --version
	[ "$status" -eq 0 ]
	[[ "$output" == "dbcheck (vipkit) "* ]]
	run dbcheck --bogus
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: dbcheck"* ]]
	run dbcheck --role master
	[ "$status" -eq 2 ]
	[[ "$output" == *"--role: 'master'"* ]]
	run dbcheck --max-lag 5
	[ "$status" -eq 2 ]
	run dbcheck --role replica --max-lag x
	[ "$status" -eq 2 ]
	run dbcheck --connect-timeout 0
	[ "$status" -eq 2 ]
	# No option takes a password on the command line.
	run dbcheck --password secret
	[ "$status" -eq 2 ]
	run dbcheck -p secret
	[ "$status" -eq 2 ]
	run dbcheck --password-file /nonexistent
	[ "$status" -eq 2 ]
	[[ "$output" == *"/nonexistent: cannot read: No such file or directory"* ]]
	# An empty first line is not taken as "no password"; neither is a
	# password cut at the buffer's end.
	: > "$DB_LAB/empty.pw"
	run dbcheck --password-file "$DB_LAB/empty.pw"
	[ "$status" -eq 2 ]
	[[ "$output" == *"empty.pw: the first line is empty"* ]]
	printf '%0300d\n' 0 > "$DB_LAB/long.pw"
	run dbcheck --password-file "$DB_LAB/long.pw"
	[ "$status" -eq 2 ]
	[[ "$output" == *"long.pw: the password is 255 bytes or more, at most 254 are taken"* ]]
	run dbcheck --defaults-file /nonexistent
	[ "$status" -eq 2 ]
	[[ "$output" == *"--defaults-file: /nonexistent: cannot read: No such file or directory"* ]]
	# A password file every user can read works, with a warning.
	printf '%s\n' "$DB_MONITOR_PW" > "$DB_LAB/open.pw"
	chmod 644 "$DB_LAB/open.pw"
	run --separate-stderr dbcheck -S "$(db_sock r)" -u monitor \
	    --password-file "$DB_LAB/open.pw" --role replica
	[ "$status" -eq 0 ]
	[[ "$stderr" == *"--password-file: $DB_LAB/open.pw: readable by every user (chmod o-r)"* ]]
	run dbcheck --serve-http 127.0.0.1:99999
	[ "$status" -eq 2 ]
	run dbcheck --cache-ms 10
	[ "$status" -eq 2 ]
	# 0 too: without a server the option means nothing
	run dbcheck --cache-ms 0
	[ "$status" -eq 2 ]
	[[ "$output" == *"--cache-ms needs --serve-http or --serve-agent"* ]]
}

@test "dbcheck: the man page renders cleanly and the completions load" {
	cd "$BATS_TEST_DIRNAME/.."
	run man --warnings -l man1/dbcheck.1
	[ "$status" -eq 0 ]
	[[ "$output" == *"EXIT STATUS"* ]]
	[ -z "$(man --warnings -l man1/dbcheck.1 2>&1 >/dev/null)" ]
	run bash -c 'source /usr/share/bash-completion/bash_completion;
	    source completions/dbcheck && complete -p dbcheck'
	[ "$status" -eq 0 ]
	[[ "$output" == *"dbcheck"* ]]
	run zsh -n completions/_dbcheck
	[ "$status" -eq 0 ]
	[ "$(head -1 completions/_dbcheck)" = "#compdef dbcheck" ]
}

@test "dbcheck: unit tests (replica status, roles, agent replies, HTTP parser)" {
	run "$VIPKIT_UNIT/db_test"
	echo "$output"
	[ "$status" -eq 0 ]
	run "$VIPKIT_UNIT/http_test"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "dbcheck: every role on the primary and the replica" {
	run dbc r --role replica
	[ "$status" -eq 0 ]
	[ "$output" = "dbcheck: replica: ok (IO and SQL threads running, lag 0 s)" ]
	run dbc p --role primary
	[ "$status" -eq 0 ]
	[ "$output" = "dbcheck: primary: ok (read_only OFF, not replicating)" ]
	run dbc p --role replica
	[ "$status" -eq 1 ]
	[ "$output" = "dbcheck: replica: not a replica (no replication configured)" ]
	run dbc r --role primary
	[ "$status" -eq 1 ]
	[[ "$output" == "dbcheck: primary: replicating from 127.0.0.1:$(db_port p) "* ]]
	run dbc r --role writable
	[ "$status" -eq 1 ]
	[ "$output" = "dbcheck: writable: read_only is ON" ]
	run dbc p --role writable
	[ "$status" -eq 0 ]
	run dbc r --role any
	[ "$status" -eq 0 ]
	run dbc p --role any
	[ "$status" -eq 0 ]
	run dbc r
	[ "$status" -eq 0 ]
	[ "$output" = "dbcheck: alive: ok (query succeeded)" ]
	run dbc r --query "SELECT COUNT(*) FROM mysql.user"
	[ "$status" -eq 3 ]
	[[ "$output" == *"SELECT command denied"* ]]
	run dbc r --query "SELEC 1"
	[ "$status" -eq 3 ]
	# A statement that times out inside the server is unhealthy (1), and
	# the message is the server's, not "no answer".
	run dbc r --json --query "SET STATEMENT max_statement_time=0.01 FOR SELECT SLEEP(2) FROM information_schema.SCHEMATA"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *'"reason":"SET STATEMENT max_statement_time=0.01 FOR SELECT SLEEP(2) FROM information_schema.SCHEMATA (1969: '* ]]
	[[ "$output" == *'"error_class":"statement timeout"'* ]]
	# TCP works the same as the socket.
	run dbcheck --defaults-file "$DB_LAB/monitor.cnf" -H 127.0.0.1 \
	    -P "$(db_port r)" --role replica
	[ "$status" -eq 0 ]
	# -q silences the line, not the verdict.
	run dbc p -q --role replica
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "dbcheck: --json reports role, read_only, threads and lag" {
	run dbc r --role replica --json
	[ "$status" -eq 0 ]
	[[ "$output" == '{"healthy":true,"code":0,"role":"replica",'* ]]
	[[ "$output" == *'"role_seen":"replica","read_only":true,"io_running":"Yes","sql_running":"Yes","lag":0,'* ]]
	[[ "$output" == *'"server":"10.'*MariaDB* ]]
	run dbc p --role replica --json
	[ "$status" -eq 1 ]
	[[ "$output" == *'"healthy":false'* ]]
	[[ "$output" == *'"role_seen":"primary","read_only":false,"io_running":null'* ]]
}

@test "dbcheck: stopped SQL thread is unhealthy, and healthy again after START" {
	db_stop_sql r
	run dbc r --role replica
	[ "$status" -eq 1 ]
	[ "$output" = "dbcheck: replica: SQL thread stopped" ]
	run dbc r --role any --json
	[ "$status" -eq 1 ]
	[[ "$output" == *'"sql_running":"No","lag":null'* ]]
	db_start_sql r
	run dbc r --role replica
	[ "$status" -eq 0 ]
}

@test "dbcheck: stopped IO thread is unhealthy" {
	db_stop_io r
	run dbc r --role replica
	[ "$status" -eq 1 ]
	[ "$output" = "dbcheck: replica: IO thread stopped" ]
	db_start_io r
	run dbc r --role replica
	[ "$status" -eq 0 ]
}

@test "dbcheck: a replication error (duplicate key 1062) names the error" {
	local id
	id=$(db_inject_dup_key p r)
	run dbc r --role replica
	[ "$status" -eq 1 ]
	[[ "$output" == "dbcheck: replica: SQL thread stopped (Last_SQL_Errno 1062: "*"Duplicate entry '$id'"* ]]
	db_repair_dup_key r "$id"
	db_sync p r
	run dbc r --role replica
	[ "$status" -eq 0 ]
}

@test "dbcheck: lag beyond --max-lag (applier blocked by a lock) and back" {
	db_lock_table r app.t
	db_sql p "INSERT INTO app.t VALUES (1000 + FLOOR(RAND() * 1000000), 'lag')"
	sleep 3
	run dbc r --role replica --max-lag 1
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" =~ ^"dbcheck: replica: lag "[0-9]+" s > max 1 s"$ ]]
	run dbc r --role replica --max-lag 3600
	[ "$status" -eq 0 ]
	run dbc r --role replica
	[ "$status" -eq 0 ]
	srv_start --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock r)" \
	    --role replica --max-lag 1 --serve-agent 127.0.0.1:0
	run agent
	[[ "$output" =~ ^"up drain #replica: lag "[0-9]+" s > max 1 s"$ ]]
	db_unlock_table r
	db_sync p r
	run dbc r --role replica --max-lag 1
	[ "$status" -eq 0 ]
	run agent
	[ "$output" = "up ready 100%" ]
}

@test "dbcheck: a SIGSTOPped server is unhealthy within the timeouts" {
	local t0 t1
	db_freeze r
	t0=$(ms)
	run dbc r --role replica --connect-timeout 1 --read-timeout 1
	t1=$(ms)
	echo "$output ($((t1 - t0)) ms)"
	[ "$status" -eq 1 ]
	[[ "$output" == "dbcheck: replica: cannot connect to socket "* ]]
	[ $((t1 - t0)) -lt 3000 ]
	t0=$(ms)
	run dbcheck --defaults-file "$DB_LAB/monitor.cnf" -H 127.0.0.1 \
	    -P "$(db_port r)" --role replica
	t1=$(ms)
	echo "$output ($((t1 - t0)) ms)"
	[ "$status" -eq 1 ]
	[ $((t1 - t0)) -lt 4500 ]
	db_thaw r
	run dbc r --role replica
	[ "$status" -eq 0 ]
}

@test "dbcheck: a server keeps its connection, reports a frozen server within the read timeout, recovers" {
	local t0 t1
	srv_start --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock r)" \
	    --role replica --read-timeout 1 --connect-timeout 1 \
	    --serve-http 127.0.0.1:0
	run curl -s -m 5 "http://127.0.0.1:$HTTP_PORT/"
	[ "$output" = "replica: ok (IO and SQL threads running, lag 0 s)" ]
	db_freeze r
	t0=$(ms)
	run curl -s -m 10 -w '\n%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	t1=$(ms)
	echo "$output ($((t1 - t0)) ms)"
	[[ "$output" == *$'\n503' ]]
	[[ "$output" == "replica: no answer from the server to "* ]]
	[ $((t1 - t0)) -lt 3500 ]
	db_thaw r
	run curl -s -m 10 -w '\n%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	[[ "$output" == *$'\n200' ]]
}

@test "dbcheck: wrong password is 3 (access denied), not 1" {
	run env MYSQL_PWD=wrong dbcheck -S "$(db_sock r)" -u monitor --role replica
	[ "$status" -eq 3 ]
	[[ "$output" == "dbcheck: replica: access denied (1045: Access denied for user 'monitor'"* ]]
	db_defaults_file "$DB_LAB/wrong.cnf" monitor wrong
	run dbcheck --defaults-file "$DB_LAB/wrong.cnf" -S "$(db_sock r)"
	[ "$status" -eq 3 ]
	[[ "$output" == *"access denied"* ]]
}

@test "dbcheck: password from --password-file, MYSQL_PWD, [client] and [dbcheck] groups" {
	run dbcheck -S "$(db_sock r)" -u monitor --password-file "$DB_LAB/monitor.pw" --role replica
	[ "$status" -eq 0 ]
	run env MYSQL_PWD="$DB_MONITOR_PW" dbcheck -S "$(db_sock r)" -u monitor --role replica
	[ "$status" -eq 0 ]
	# --password-file wins over MYSQL_PWD.
	run env MYSQL_PWD=wrong dbcheck -S "$(db_sock r)" -u monitor \
	    --password-file "$DB_LAB/monitor.pw"
	[ "$status" -eq 0 ]
	# The program's own group overrides [client].
	printf '[client]\nuser=monitor\npassword=wrong\n[dbcheck]\npassword=%s\n' \
	    "$DB_MONITOR_PW" > "$DB_LAB/groups.cnf"
	run dbcheck --defaults-file "$DB_LAB/groups.cnf" -S "$(db_sock r)" --role replica
	[ "$status" -eq 0 ]
	printf '[client]\nuser=monitor\npassword=wrong\n[mysqldump]\npassword=%s\n' \
	    "$DB_MONITOR_PW" > "$DB_LAB/groups.cnf"
	run dbcheck --defaults-file "$DB_LAB/groups.cnf" -S "$(db_sock r)" --role replica
	[ "$status" -eq 3 ]
}

@test "dbcheck: a missing privilege is 3 and names the privilege" {
	run env MYSQL_PWD="$DB_NOPRIVS_PW" dbcheck -S "$(db_sock r)" -u noprivs --role replica
	[ "$status" -eq 3 ]
	[[ "$output" == "dbcheck: replica: missing privilege REPLICA MONITOR for SHOW REPLICA STATUS (1227: "* ]]
	# read_only needs no privilege: writable works for that user.
	run env MYSQL_PWD="$DB_NOPRIVS_PW" dbcheck -S "$(db_sock p)" -u noprivs --role writable
	[ "$status" -eq 0 ]
}

@test "dbcheck: an unreachable server is 1; TLS required but unavailable is 3" {
	local port
	port=$(db_free_port)
	run dbcheck --defaults-file "$DB_LAB/monitor.cnf" -H 127.0.0.1 -P "$port" --role replica
	[ "$status" -eq 1 ]
	[[ "$output" == "dbcheck: replica: cannot connect to 127.0.0.1:$port (2002: Can't connect to server"* ]]
	run dbcheck --defaults-file "$DB_LAB/monitor.cnf" -S "$DB_LAB/none.sock"
	[ "$status" -eq 1 ]
	[[ "$output" == *"cannot connect to socket $DB_LAB/none.sock (2002: "* ]]
	run dbcheck --defaults-file "$DB_LAB/monitor.cnf" -H 127.0.0.1 -P "$(db_port r)" --ssl
	[ "$status" -eq 3 ]
	[[ "$output" == *"TLS required"* ]]
}

@test "dbcheck: TLS, asked on the command line or in an option file, runs under the system's OpenSSL configuration" {
	local d=$DB_LAB/tls port
	mkdir -p "$d"
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$d/key.pem" \
	    -out "$d/cert.pem" -days 2 -subj /CN=127.0.0.1 \
	    -addext subjectAltName=IP:127.0.0.1 2>/dev/null
	db_start t 9 --ssl-cert="$d/cert.pem" --ssl-key="$d/key.pem"
	db_sql t "CREATE USER mon@'%' IDENTIFIED BY 'tlspw-4Qe';
	    GRANT SLAVE MONITOR ON *.* TO mon@'%'"
	printf '[client]\nuser=mon\npassword=tlspw-4Qe\nssl-ca=%s\n' \
	    "$d/cert.pem" > "$d/tls.cnf"
	# An OpenSSL configuration that allows only TLS 1.0, which the
	# server refuses: a TLS connection that honours it must fail.
	printf 'openssl_conf = init\n[init]\nssl_conf = ssl_sect\n[ssl_sect]\nsystem_default = sys\n[sys]\nMaxProtocol = TLSv1\n' \
	    > "$d/tls10.cnf"
	port=$(db_port t)
	run dbcheck --defaults-file "$d/tls.cnf" -H 127.0.0.1 -P "$port" \
	    --role primary --ssl-verify-server-cert
	[ "$status" -eq 0 ]
	run dbcheck --defaults-file "$d/tls.cnf" -H 127.0.0.1 -P "$port" \
	    --role primary
	[ "$status" -eq 0 ]
	# TLS from the option file only (dbcheck has not seen a TLS option).
	run env OPENSSL_CONF="$d/tls10.cnf" dbcheck --defaults-file "$d/tls.cnf" \
	    -H 127.0.0.1 -P "$port" --role primary
	[ "$status" -eq 3 ]
	[[ "$output" == *"cannot connect to 127.0.0.1:$port (2026: "* ]]
	run env OPENSSL_CONF="$d/tls10.cnf" dbcheck --defaults-file "$d/tls.cnf" \
	    -H 127.0.0.1 -P "$port" --role primary --ssl
	[ "$status" -eq 3 ]
	[[ "$output" == *"(2026: "* ]]
	# A plain connection does not depend on OpenSSL's configuration.
	run env OPENSSL_CONF="$d/tls10.cnf" dbcheck \
	    --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock r)" --role replica
	[ "$status" -eq 0 ]
	db_stop t
}

@test "dbcheck: the password is never visible in the server's command line" {
	local args
	srv_start -S "$(db_sock r)" -u monitor --password-file "$DB_LAB/monitor.pw" \
	    --role replica --serve-http 127.0.0.1:0
	run curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	[ "$output" = 200 ]
	args=$(tr '\0' ' ' < "/proc/$SRV_PID/cmdline")
	[[ "$args" == *"--password-file"* ]]
	[[ "$args" != *"$DB_MONITOR_PW"* ]]
	! grep -qa "$DB_MONITOR_PW" "/proc/$SRV_PID/environ"
	run ps -eo args
	[[ "$output" != *"$DB_MONITOR_PW"* ]]
}

@test "dbcheck: HTTP 200 / 503 / 405 / 400, HEAD and OPTIONS, and survival of garbage" {
	srv_start --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock r)" \
	    --role replica --serve-http 127.0.0.1:0
	run curl -s -i -m 5 "http://127.0.0.1:$HTTP_PORT/"
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
	[[ "$output" == *"Connection: close"* ]]
	run curl -s -I -m 5 "http://127.0.0.1:$HTTP_PORT/"
	[[ "$output" == "HTTP/1.1 200 OK"* ]]
	[[ "$output" != *"replica: ok"* ]]
	# HAProxy's default: OPTIONS / HTTP/1.0.
	run raw "$HTTP_PORT" < <(printf 'OPTIONS / HTTP/1.0\r\n\r\n')
	[[ "$output" == "HTTP/1.0 200 OK"* ]]
	[[ "$output" == *"replica: ok (IO and SQL threads running"* ]]
	run curl -s -i -m 5 -X POST "http://127.0.0.1:$HTTP_PORT/"
	[[ "$output" == "HTTP/1.1 405 Method Not Allowed"* ]]
	run raw "$HTTP_PORT" < <(printf 'hello\x01\r\n\r\n')
	[[ "$output" == "HTTP/1.0 400 Bad Request"* ]]
	run raw "$HTTP_PORT" < <(head -c 4096 /dev/urandom)
	[[ "$output" == "" || "$output" == *"400 Bad Request"* ]]
	run raw "$HTTP_PORT" < <(printf 'GET / HTTP/1.1\r\nX: '; head -c 20000 /dev/zero | tr '\0' a)
	[[ "$output" == *"400 Bad Request"* ]]
	[[ "$output" == *"request too large"* ]]
	run raw "$HTTP_PORT" < <(printf 'GET / HTTP/3.0\r\n\r\n')
	[[ "$output" == *"400 Bad Request"* ]]
	# Still serving.
	run curl -s -m 5 -w '\n%{http_code}' "http://127.0.0.1:$HTTP_PORT/health"
	[[ "$output" == *$'\n200' ]]
	db_stop_sql r
	run curl -s -i -m 5 "http://127.0.0.1:$HTTP_PORT/"
	[[ "$output" == "HTTP/1.1 503 Service Unavailable"* ]]
	[[ "$output" == *"replica: SQL thread stopped"* ]]
	db_start_sql r
	run curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	[ "$output" = 200 ]
	kill -0 "$SRV_PID"
}

@test "dbcheck: silent and half-open clients do not block others; parallel clients all answered" {
	local fds=() fd i t0 t1 codes
	srv_start --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock r)" \
	    --role replica --serve-http 127.0.0.1:0
	for i in $(seq 1 20); do
		exec {fd}<>"/dev/tcp/127.0.0.1/$HTTP_PORT"
		fds+=("$fd")
	done
	exec {fd}<>"/dev/tcp/127.0.0.1/$HTTP_PORT"
	printf 'GET / HTTP/1.1\r\nHost: x\r\n' >&"$fd"
	fds+=("$fd")
	t0=$(ms)
	run curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	t1=$(ms)
	[ "$output" = 200 ]
	[ $((t1 - t0)) -lt 1000 ]
	for fd in "${fds[@]}"; do exec {fd}>&-; done
	codes=$(for i in $(seq 1 40); do
		curl -s -m 10 -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$HTTP_PORT/" &
	done; wait)
	[ "$(echo "$codes" | grep -c '^200$')" -eq 40 ]
}

@test "dbcheck: agent replies down with the reason and up again after recovery" {
	srv_start --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock r)" \
	    --role replica --serve-agent 127.0.0.1:0 --serve-http 127.0.0.1:0
	run agent
	[ "$output" = "up ready 100%" ]
	db_stop_sql r
	run agent
	[ "$output" = "down #replica: SQL thread stopped" ]
	db_start_sql r
	run agent
	[ "$output" = "up ready 100%" ]
	# HTTP on the same process meanwhile.
	run curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	[ "$output" = 200 ]
}

@test "dbcheck: the server reconnects after the database restarts" {
	srv_start --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock r)" \
	    --role replica --serve-http 127.0.0.1:0
	run curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	[ "$output" = 200 ]
	db_stop r
	run curl -s -m 10 -w '\n%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	[[ "$output" == "replica: cannot connect to socket "*$'\n503' ]]
	db_start r 2 --read-only=1
	db_sql r "START SLAVE"
	db_wait_field r Slave_IO_Running Yes
	run curl -s -m 10 -w '\n%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	echo "$output"
	[[ "$output" == *$'\n200' ]]
	grep -q "cannot connect" "$SRV_LOG"
}

@test "dbcheck: --cache-ms serves a recent result, then checks again" {
	srv_start --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock r)" \
	    --role replica --serve-http 127.0.0.1:0 --cache-ms 3000
	run curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	[ "$output" = 200 ]
	db_sql r "STOP SLAVE SQL_THREAD"
	run curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	[ "$output" = 200 ]
	sleep 3.2
	run curl -s -m 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT/"
	[ "$output" = 503 ]
}

@test "dbcheck: --json with a server gives a JSON body" {
	srv_start --defaults-file "$DB_LAB/monitor.cnf" -S "$(db_sock p)" \
	    --role primary --json --serve-http 127.0.0.1:0
	run curl -s -m 5 "http://127.0.0.1:$HTTP_PORT/"
	[[ "$output" == '{"healthy":true,"code":0,"role":"primary",'* ]]
	kill "$SRV_PID"
	wait "$SRV_PID"
}
