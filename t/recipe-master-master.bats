#!/usr/bin/env bats
# README recipe 2: MariaDB master-master with read_only on the standby,
# run from the README's blocks: db1 and db2 replicate from each other,
# vrrpctl on h1 (db1) and h2 (db2) with the README's config, promote and
# fence hooks, accounts and option files.
#
# The only edits made to README blocks:
#  - /etc/vipkit/ becomes a directory per node under $LAB_DIR, the option
#    files' socket= the node's lab server socket, PATH=/usr/local/bin the
#    build directory, /var/log/ the node's lab directory.
#  - The [mysqld] lines of /etc/mysql/conf.d/vipkit.cnf become mariadbd
#    options (the lab's servers run with --no-defaults).
#  - vrrpctl's control socket is per node (-c).

bats_require_minimum_version 1.5.0

setup_file() {
	load lib/lab
	load lib/db
	load lib/readme
	lab_init
	lab_host h1 1
	lab_host h2 2
	export LAB_HOSTS
	db_lab_init

	# read_only=1 from the README's my.cnf snippet, as options
	MYSQLD_OPTS=$(readme_block /etc/mysql/conf.d/vipkit.cnf |
	    awk '/^\[mysqld\]/ { on = 1; next } /^\[/ { on = 0 } on && /=/ { printf "--%s ", $0 }')
	[ "$MYSQLD_OPTS" = "--read_only=1 " ]
	export MYSQLD_OPTS
	# shellcheck disable=SC2086
	db_start db1 1 $MYSQLD_OPTS
	# shellcheck disable=SC2086
	db_start db2 2 $MYSQLD_OPTS
	readme_file accounts.sql "$LAB_DIR/accounts.sql"
	db_sql db1 "$(cat "$LAB_DIR/accounts.sql")"
	db_sql db1 "CREATE USER 'repl'@'%' IDENTIFIED BY '$DB_REPL_PW';
	    GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
	    CREATE DATABASE app;
	    CREATE TABLE app.t (id INT PRIMARY KEY, v VARCHAR(64))"
	db_replicate db2 db1
	db_sync db1 db2
	db_replicate db1 db2

	local n db ed
	for n in h1:db1 h2:db2; do
		db=${n#*:}
		n=${n%:*}
		readme_file /etc/vipkit/monitor.cnf "$LAB_DIR/$n/etc/monitor.cnf" \
		    "s|^socket=.*|socket=$(db_sock "$db")|"
		readme_file /etc/vipkit/vipkit.cnf "$LAB_DIR/$n/etc/vipkit.cnf" \
		    "s|^socket=.*|socket=$(db_sock "$db")|"
		chmod 600 "$LAB_DIR/$n/etc/monitor.cnf" "$LAB_DIR/$n/etc/vipkit.cnf"
		ed="s|/etc/vipkit/|$LAB_DIR/$n/etc/|g; s|^PATH=/usr/local/bin:|PATH=$VIPKIT_BIN:|; s|/var/log/|$LAB_DIR/$n/|"
		readme_file /etc/vipkit/promote "$LAB_DIR/$n/etc/promote" "$ed"
		readme_file /etc/vipkit/fence "$LAB_DIR/$n/etc/fence" "$ed"
	done
	readme_file "/etc/vipkit/vrrpctl.conf (db1)" "$LAB_DIR/h1/vrrpctl.conf" \
	    "s|/etc/vipkit/|$LAB_DIR/h1/etc/|g"
	# "On db2 the same with router_id db2 and priority 100"
	readme_file "/etc/vipkit/vrrpctl.conf (db1)" "$LAB_DIR/h2/vrrpctl.conf" \
	    "s|/etc/vipkit/|$LAB_DIR/h2/etc/|g; s/router_id db1/router_id db2/; s/priority 150/priority 100/"
	vrrpctl check -f "$LAB_DIR/h1/vrrpctl.conf"
	vrrpctl check -f "$LAB_DIR/h2/vrrpctl.conf"

	# "start db1 first"
	lab_bg h1 "$LAB_DIR/h1/vrrpctl.log" vrrpctl run -f "$LAB_DIR/h1/vrrpctl.conf" -c "$LAB_DIR/h1.ctl"
	lab_wait 15 recipe_has_vip h1 192.0.2.240
	lab_bg h2 "$LAB_DIR/h2/vrrpctl.log" vrrpctl run -f "$LAB_DIR/h2/vrrpctl.conf" -c "$LAB_DIR/h2.ctl"
	lab_wait 5 test -S "$LAB_DIR/h2.ctl"
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

state_is() {
	vrrpctl status -c "$LAB_DIR/$1.ctl" | grep -q "^VI_DB: $2 "
}

ro_is() {
	[ "$(recipe_ro "$1")" = "$2" ]
}

# io_has NAME POS: NAME's IO thread has received everything up to POS.
io_has() {
	[ "$(db_status_field "$1" Gtid_IO_Pos)" = "$2" ]
}

hooklog() {
	cat "$LAB_DIR/$1/vipkit-hooks.log"
}

@test "recipe 2: db1 MASTER with the VIP and writable, db2 BACKUP and read-only" {
	lab_wait 10 state_is h1 MASTER
	lab_wait 10 state_is h2 BACKUP
	lab_wait 10 ro_is db1 0
	ro_is db2 1
	recipe_no_vip h2 192.0.2.240
	# the promotion really waited and opened writes, the fence ran
	hooklog h1
	hooklog h2
	grep -q "read_only OFF" "$LAB_DIR/h1/vipkit-hooks.log"
	grep -q "read_only ON" "$LAB_DIR/h2/vipkit-hooks.log"
	db_sql db1 "INSERT INTO app.t VALUES (1, 'first')"
	db_sync db1 db2
	[ "$(db_sql db2 'SELECT v FROM app.t WHERE id = 1')" = first ]
}

@test "recipe 2: db1 dies while db2's applier is behind: db2 takes the VIP at once, writable only once caught up" {
	local pos
	# hold db2's applier back (a table lock on db2), then write on db1
	db_lock_table db2 app.t
	db_sql db1 "INSERT INTO app.t SELECT seq + 100, 'behind' FROM app.seq_1_to_50"
	pos=$(db_sql db1 "SELECT @@gtid_binlog_pos")
	lab_wait 10 io_has db2 "$pos"
	# db2 has received the 50 rows but not applied them (app.t itself
	# cannot be read while the lock is held)
	[ "$(db_sql db2 "SELECT @@gtid_slave_pos")" != "$pos" ]
	t0=$(date +%s)
	db_kill db1
	lab_wait 10 recipe_has_vip h2 192.0.2.240
	echo "VIP on db2 after $(( $(date +%s) - t0 )) s"
	lab_wait 5 state_is h1 FAULT
	lab_wait 5 state_is h2 MASTER
	# master, but not writable: the promotion waits for the applier
	sleep 2
	ro_is db2 1
	db_unlock_table db2
	lab_wait 15 ro_is db2 0
	[ "$(db_sql db2 "SELECT COUNT(*) FROM app.t WHERE v = 'behind'")" = 50 ]
	hooklog h2
	grep -q "caught up" "$LAB_DIR/h2/vipkit-hooks.log"
	db_sql db2 "INSERT INTO app.t VALUES (2, 'after failover')"
}

@test "recipe 2: db1 comes back: BACKUP (nopreempt) and read-only, the VIP stays on db2" {
	# shellcheck disable=SC2086
	db_start db1 1 $MYSQLD_OPTS
	lab_wait 15 state_is h1 BACKUP
	sleep 3
	state_is h1 BACKUP
	state_is h2 MASTER
	recipe_has_vip h2 192.0.2.240
	recipe_no_vip h1 192.0.2.240
	ro_is db1 1
	ro_is db2 0
}

@test "recipe 2: a standby whose SQL thread is stopped takes the VIP but never opens writes" {
	# db1 came back without its replication running (SQL thread stopped):
	# Seconds_Behind_Master is NULL, which the seed's loop took for done.
	[ "$(db_status_field db1 Slave_SQL_Running)" = No ]
	[ "$(db_status_field db1 Seconds_Behind_Master)" = NULL ]
	# the runbook moves mastership to db1
	vrrpctl demote -c "$LAB_DIR/h2.ctl" VI_DB
	lab_wait 10 recipe_has_vip h1 192.0.2.240
	lab_wait 5 state_is h1 MASTER
	lab_wait 10 ro_is db2 1
	sleep 2
	ro_is db1 1
	hooklog h1
	grep -q "SQL thread" "$LAB_DIR/h1/vipkit-hooks.log"
	# nobody is writable: no diverging writes
	ro_is db2 1
}
