#!/usr/bin/env bats
# make demo end to end (t/demo/run, the script the Makefile's demo target
# runs after building): the failover timeline's order, the VIP on node B,
# the replica writable only after it had caught up, and nothing left
# behind, also when the demo is stopped with SIGTERM or Ctrl-C mid-run.

bats_require_minimum_version 1.5.0

setup() {
	cd "$BATS_TEST_DIRNAME/.."
	: "${VIPKIT_BIN:=$PWD/build/bin}"
	export VIPKIT_BIN
}

# Events of different sources are stamped by user-space readers when they
# are scheduled (log lines) or by the kernel (captured packets), so two
# events less than a few ms apart can be stamped in either order: vrrpctl
# even sends the priority-0 advert before it logs MASTER -> FAULT. Adjacent
# events may therefore be out of order by at most SLACK_US; the claims that
# matter are also checked strictly where the gap is causal and wide.
SLACK_US=25000

# leftovers LAB LAB_DIR: print what the demo left behind, if anything.
leftovers() {
	local lab=$1 dir=$2
	ip netns list | awk '{ print $1 }' | grep "^$lab-" | sed 's/^/namespace /'
	# processes: by command line (servers, vrrpctl, its scripts and
	# hooks, captures, the client), and by open files (the readers)
	pgrep -af -- "$lab" | sed 's/^/process /'
	find /proc/[0-9]*/fd -lname "*$lab*" 2>/dev/null | sed 's/^/open file /'
	[ ! -e "$dir" ] || echo "directory $dir"
	[ ! -e "/run/vipkit-lab/$lab.pid" ] || echo "file /run/vipkit-lab/$lab.pid"
}

@test "demo: the make target runs t/demo/run after building, with VIPKIT_BIN" {
	run make -n demo
	[ "$status" -eq 0 ]
	[[ "$output" == *"deps all"* ]]
	[[ "$output" == *"VIPKIT_BIN="*"/bin t/demo/run"* ]]
	[ -x t/demo/run ]
}

@test "demo: the vrrpctl.conf template is valid keepalived syntax for both nodes" {
	local n prio
	for n in a:150 b:100; do
		prio=${n#*:}
		n=${n%:*}
		sed -e "s|@NODE@|$n|g" -e "s|@PRIORITY@|$prio|g" \
		    -e "s|@ETC@|/etc/vipkit|g" -e "s|@HOOKLOG@|/var/log/vipkit-hooks.log|g" \
		    t/demo/vrrpctl.conf > "$BATS_TEST_TMPDIR/$n.conf"
		run ! grep -n '@[A-Z_]*@' "$BATS_TEST_TMPDIR/$n.conf"
		run "$VIPKIT_BIN/vrrpctl" check -f "$BATS_TEST_TMPDIR/$n.conf"
		echo "$output"
		[ "$status" -eq 0 ]
		[[ "$output" == *": 1 instance, 1 script: ok" ]]
	done
	grep -q 'script "dbcheck ' t/demo/vrrpctl.conf
	grep -q 'notify_master ".*wait-replica-caught-up .*&& set-readonly off --force' t/demo/vrrpctl.conf
	grep -q 'notify_backup ".*set-readonly on --kill-sessions' t/demo/vrrpctl.conf
	grep -q 'notify_fault ".*set-readonly on --kill-sessions' t/demo/vrrpctl.conf
}

@test "demo: end to end: timeline in order, VIP moved, writable only after caught up, nothing left" {
	local rep=$BATS_TEST_TMPDIR/report k prev us t0 s
	run --separate-stderr env DEMO_REPORT="$rep" t/demo/run
	echo "$output"
	echo "$stderr"
	[ "$status" -eq 0 ]
	# the introduction, then the timeline with every event
	[[ "${lines[0]}" == "make demo: a database failover behind one virtual IP"* ]]
	[[ "$output" == *"Timeline (ms after the kill):"* ]]
	[[ "$output" != *"NOT OBSERVED"* ]]
	[ -s "$rep" ]
	cat "$rep"
	# shellcheck disable=SC1090
	. "$rep"
	[ -z "$missing" ]
	prev=
	for k in check_failed fault advert0 b_master vip_added garp caught_up writable resume; do
		s="us_$k"
		us=${!s}
		[[ "$us" =~ ^[0-9]+$ ]] || { echo "no time for $k"; false; }
		[ "$us" -lt 30000000 ]
		if [ -n "$prev" ]; then
			[ "$us" -ge $((prev - SLACK_US)) ] ||
			    { echo "$k at $us us is before the previous event at $prev us"; false; }
		fi
		prev=$us
	done
	# strict where the gap is causal: the check failed before node B
	# took over, node A left (priority 0) before node B became MASTER,
	# the hook printed "caught up" before read_only went OFF (one hook,
	# &&), and no client write reached node B before it had caught up
	[ "$us_check_failed" -le "$us_fault" ]
	[ "$us_check_failed" -lt "$us_b_master" ]
	[ "$us_advert0" -lt "$us_b_master" ]
	[ "$us_vip_added" -lt "$us_caught_up" ]
	[ "$us_caught_up" -lt "$us_writable" ]
	[ "$us_caught_up" -lt "$us_resume" ]
	# the timeline shows them in that order
	run grep -n -E '^ +[0-9]+  (node A|node B|wire|client) +(check failed|FAULT|priority-0 advert|MASTER|VIP added|gratuitous ARP|caught up|writable|writes resume) ' <<<"$output"
	[ "${#lines[@]}" -eq 9 ]
	[[ "${lines[0]}" == *"check failed"* ]]
	[[ "${lines[3]}" == *"node B  MASTER"* ]]
	[[ "${lines[6]}" == *"caught up"* ]]
	[[ "${lines[8]}" == *"writes resume"* ]]
	# the VIP moved; the replica was read-only before and writable after
	[ "$vip_on_b" = yes ]
	[ "$vip_on_a" = no ]
	[ "$state_a" = FAULT ]
	[ "$state_b" = MASTER ]
	[ "$b_read_only_before" = ON ]
	[ "$b_read_only_after" = OFF ]
	# the client wrote on A, failed during the failover, wrote on B
	[ "$writes_a" -ge 10 ]
	[ "$failed_writes" -ge 1 ]
	[ "$writes_b" -ge 5 ]
	# nothing left behind
	[[ "$lab" == vk* ]]
	run leftovers "$lab" "$lab_dir"
	echo "$output"
	[ -z "$output" ]
}

# start_demo OUT: the demo in the background, in a process group of its
# own as a terminal's job would be, output to OUT; waits until the client
# writes. A shell started in the background without job control (as this
# test may be) ignores SIGINT, and bash cannot trap a signal ignored at
# its start; a terminal's job has it at the default, so reset it.
start_demo() {
	local out=$1 i
	set -m
	DEMO_QUIET=1 env --default-signal=INT t/demo/run >"$out" 2>&1 3>&- </dev/null &
	DPID=$!
	set +m
	for ((i = 0; i < 1200; i++)); do
		grep -q "client: writing through" "$out" && break
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.05
	done
	cat "$out"
	grep -q "client: writing through" "$out"
	LAB=$(sed -n 's/^demo: lab \(vk[0-9a-f]*\) in \(.*\)$/\1/p' "$out")
	LDIR=$(sed -n 's/^demo: lab \(vk[0-9a-f]*\) in \(.*\)$/\2/p' "$out")
	[ -n "$LAB" ] && [ -d "$LDIR" ]
	# the lab is up: namespaces, servers and vrrpctl run
	ip netns list | grep -q "^$LAB-dbb"
	pgrep -f -- "$LDIR/db/a/data" >/dev/null
	pgrep -f -- "vrrpctl run -f $LDIR/b/vrrpctl.conf" >/dev/null
}

# stop_demo SIGNAL TARGET: send it, wait (bounded) for the demo to end.
stop_demo() {
	local i
	kill "-$1" -- "$2"
	for ((i = 0; i < 600; i++)); do
		kill -0 "$DPID" 2>/dev/null || break
		sleep 0.05
	done
	! kill -0 "$DPID" 2>/dev/null
	wait "$DPID" || DRC=$?
}

@test "demo: SIGTERM mid-run tears everything down" {
	local out=$BATS_TEST_TMPDIR/out
	DRC=0
	start_demo "$out"
	stop_demo TERM "$DPID"
	cat "$out"
	[ "$DRC" -eq 143 ]
	grep -q "^demo: tearing down $LAB" "$out"
	run leftovers "$LAB" "$LDIR"
	echo "$output"
	[ -z "$output" ]
}

@test "demo: Ctrl-C (SIGINT to the process group) mid-run tears everything down" {
	local out=$BATS_TEST_TMPDIR/out
	DRC=0
	start_demo "$out"
	stop_demo INT "-$DPID"
	cat "$out"
	[ "$DRC" -eq 130 ]
	grep -q "^demo: tearing down $LAB" "$out"
	run leftovers "$LAB" "$LDIR"
	echo "$output"
	[ -z "$output" ]
}
