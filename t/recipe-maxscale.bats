#!/usr/bin/env bats
# README recipes 1 (a MaxScale pair behind a VIP) and 6 (vrrp-listen
# --watch and a demote/resume switchover), run from the README's own
# blocks: mxs1 = vrrpctl on h1, mxs2 = keepalived 2.2 on h2 with the same
# file, a watcher on h3.
#
# What the lab stands in for, and the only edits made to README blocks:
#  - MaxScale is not packaged here. Its read-write listener is stood in
#    for by a MariaDB server per node (mx1, mx2, on the host's loopback;
#    reached over its unix socket): maxscale.cnf's host= and port= lines
#    become socket=SOCKET. Stopping mx1 is "MaxScale on mxs1 stops
#    answering".
#  - maxctrl is a script first in PATH that records its arguments and the
#    namespace it ran in ($LAB_DIR/maxctrl.calls).
#  - /etc/vipkit/ becomes a directory per node under $LAB_DIR.
#  - vrrpctl's control socket is per test lab: "vrrpctl CMD" runs as
#    "vrrpctl CMD -c SOCKET" (the default /run/vrrpctl.sock is global).

bats_require_minimum_version 1.5.0

setup_file() {
	load lib/lab
	load lib/db
	load lib/readme
	lab_init
	lab_host h1 1
	lab_host h2 2
	lab_host h3 3
	export LAB_HOSTS
	db_lab_init
	db_start mx1 11
	db_start mx2 12
	readme_file accounts.sql "$LAB_DIR/accounts.sql"
	db_sql mx1 "$(cat "$LAB_DIR/accounts.sql")"
	db_sql mx2 "$(cat "$LAB_DIR/accounts.sql")"

	mkdir -p "$LAB_DIR/bin"
	cat > "$LAB_DIR/bin/maxctrl" <<-EOF
	#!/bin/sh
	echo "\$(ip netns identify \$\$) \$*" >> $LAB_DIR/maxctrl.calls
	EOF
	chmod 755 "$LAB_DIR/bin/maxctrl"
	export PATH="$LAB_DIR/bin:$PATH"

	local h n
	for h in h1:mx1 h2:mx2; do
		n=${h%:*}
		readme_file /etc/vipkit/maxscale.cnf "$LAB_DIR/$n/etc/maxscale.cnf" \
		    "s|^host=.*|socket=$(db_sock "${h#*:}")|; /^port=/d"
		chmod 600 "$LAB_DIR/$n/etc/maxscale.cnf"
	done
	readme_file "/etc/vipkit/vrrpctl.conf (mxs1)" "$LAB_DIR/h1/vrrpctl.conf" \
	    "s|/etc/vipkit/|$LAB_DIR/h1/etc/|g"
	# "On mxs2 the same file with router_id mxs2 and priority 100."
	readme_file "/etc/vipkit/vrrpctl.conf (mxs1)" "$LAB_DIR/h2/keepalived.conf" \
	    "s|/etc/vipkit/|$LAB_DIR/h2/etc/|g; s/router_id mxs1/router_id mxs2/; s/priority 150/priority 100/"
	grep -q "priority 100" "$LAB_DIR/h2/keepalived.conf"
	grep -q "router_id mxs2" "$LAB_DIR/h2/keepalived.conf"

	CTL=$LAB_DIR/vrrpctl.sock
	export CTL
	vrrpctl check -f "$LAB_DIR/h1/vrrpctl.conf"
	lab_bg h1 "$LAB_DIR/vrrpctl.log" vrrpctl run -f "$LAB_DIR/h1/vrrpctl.conf" -c "$CTL"
	lab_wait 5 test -S "$CTL"
	lab_wait 15 recipe_has_vip h1 192.0.2.230
	lab_keepalived h2 "$LAB_DIR/h2/keepalived.conf"
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

# last_call HOST: the last maxctrl arguments recorded in HOST's namespace.
last_call() {
	awk -v ns="$LAB-$1" '$1 == ns { $1 = ""; sub(/^ /, ""); l = $0 } END { print l }' \
	    "$LAB_DIR/maxctrl.calls"
}

call_is() {
	[ "$(last_call "$1")" = "$2" ]
}

state_is() {
	vrrpctl status -c "$CTL" | grep -q "^VI_1: $1 "
}

ka_log() {
	echo "$LAB_DIR/keepalived.h2.log"
}

@test "recipe 1: mxs1 (vrrpctl) is MASTER with the VIP and active, mxs2 (keepalived) BACKUP and passive" {
	lab_wait 15 grep -q "Entering BACKUP STATE" "$(ka_log)"
	lab_wait 10 call_is h2 "alter maxscale passive true"
	state_is MASTER
	recipe_has_vip h1 192.0.2.230
	recipe_no_vip h2 192.0.2.230
	call_is h1 "alter maxscale passive false"
	# both nodes' checks pass through the stand-in listener
	grep -q "VI_1: BACKUP -> MASTER" "$LAB_DIR/vrrpctl.log"
	cat "$LAB_DIR/maxctrl.calls"
}

@test "recipe 1: MaxScale on mxs1 stops answering: FAULT, priority 0, mxs2 takes the VIP and goes active" {
	t0=$(date +%s)
	db_stop mx1
	lab_wait 15 recipe_has_vip h2 192.0.2.230
	echo "VIP moved after $(( $(date +%s) - t0 )) s"
	[ $(( $(date +%s) - t0 )) -le 12 ]
	lab_wait 5 state_is FAULT
	recipe_no_vip h1 192.0.2.230
	grep -q "Backup received priority 0 advertisement" "$(ka_log)"
	lab_wait 5 call_is h1 "alter maxscale passive true"
	lab_wait 5 call_is h2 "alter maxscale passive false"
	run vrrpctl status -j -c "$CTL"
	[ "$(jq -r '.instances[0].failed_tracks' <<<"$output")" = chk_maxscale ]
}

@test "recipe 1: MaxScale on mxs1 answers again: mxs1 preempts, active again; mxs2 passive" {
	db_start mx1 11
	lab_wait 20 recipe_has_vip h1 192.0.2.230
	lab_wait 5 recipe_no_vip h2 192.0.2.230
	lab_wait 5 state_is MASTER
	lab_wait 5 call_is h1 "alter maxscale passive false"
	lab_wait 5 call_is h2 "alter maxscale passive true"
	cat "$LAB_DIR/maxctrl.calls"
}

@test "recipe 6: vrrp-listen --watch and the demote/resume runbook, as the README shows them" {
	local watch line cmd
	watch=$(readme_block watch)
	[ "$(printf '%s\n' "$watch" | wc -l)" -eq 1 ]
	# shellcheck disable=SC2086
	lab_bg h3 "$LAB_DIR/watch.out" $watch
	WPID=$LAB_PID
	lab_wait 5 grep -q "new master 192.0.2.1 priority 150" "$LAB_DIR/watch.out"

	# the runbook, line by line, on mxs1
	readme_block switchover > "$LAB_DIR/switchover"
	[ "$(wc -l < "$LAB_DIR/switchover")" -eq 4 ]
	i=0
	while read -r line; do
		i=$((i + 1))
		cmd=$(sed "s|^vrrpctl \([a-z]*\)|vrrpctl \1 -c $CTL|" <<<"$line")
		run lab_exec h1 sh -c "$cmd"
		echo "\$ $line"
		echo "$output"
		[ "$status" -eq 0 ]
		case $i in
		1)	[[ "$output" == "VI_1: MASTER priority 150 (effective 150) vrid 51 v2 eth0 master 192.0.2.1 vips 192.0.2.230/24 failed-tracks none dropped 0" ]] ;;
		2)	lab_wait 5 recipe_has_vip h2 192.0.2.230
			recipe_no_vip h1 192.0.2.230
			lab_wait 5 call_is h2 "alter maxscale passive false"
			lab_wait 5 call_is h1 "alter maxscale passive true"
			sleep 1.5 ;;
		3)	[ "$output" = "$(readme_joined "vrrpctl status while demoted")" ] ;;
		4)	lab_wait 5 recipe_has_vip h1 192.0.2.230
			lab_wait 5 recipe_no_vip h2 192.0.2.230
			lab_wait 5 call_is h1 "alter maxscale passive false"
			lab_wait 5 call_is h2 "alter maxscale passive true" ;;
		esac
	done < "$LAB_DIR/switchover"
	sleep 1.5
	kill -INT "$WPID"
	wait "$WPID" || :
	cat "$LAB_DIR/watch.out"
	# the watcher printed what the README says, timestamps aside
	diff <(sed 's/^[^ ]* //' "$LAB_DIR/watch.out") \
	    <(readme_joined "vrrp-listen --watch during the switchover" | sed 's/^[^ ]* //')
	# and its timestamps are ISO 8601 UTC, as in the README
	grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z vrid 51 ipv4: ' "$LAB_DIR/watch.out"
}
