#!/usr/bin/env bats
# vrrpctl election behaviour in the lab, keepalived 2.2 as the peer with
# the same config syntax: nopreempt (both directions), preempt_delay,
# track_script and track_interface weights (configured vs effective
# priority, the priority on the wire), a track_script past its timeout
# (killed with its process group, a failure, fall/rise), track failures
# across SIGHUP, a stale notify_master whose child ignores SIGTERM.
# vrrpctl runs on h1 (192.0.2.1), keepalived on h2 (192.0.2.2); VRID 51,
# VIP 192.0.2.240/24, v3 at 0.1 s unless a test says otherwise.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	load lib/vrrpctl-lab
	vrrpctl_lab
}

teardown() {
	lab_teardown
}

# conf NAME PRIORITY [EXTRA-INSTANCE-LINES...]: $LAB_DIR/NAME.conf, one
# instance VI_1, v3, advert_int ${ADV:-0.1}; $PRE goes before the
# instance (vrrp_script blocks).
conf() {
	local name=$1 prio=$2 l
	shift 2
	{
		printf 'global_defs {\n\trouter_id %s\n\tvrrp_version 3\n}\n' "$name"
		printf '%s\n' "${PRE:-}"
		printf 'vrrp_instance VI_1 {\n\tstate BACKUP\n\tinterface eth0\n'
		printf '\tvirtual_router_id 51\n\tpriority %s\n\tadvert_int %s\n' "$prio" "${ADV:-0.1}"
		for l in "$@"; do
			printf '\t%s\n' "$l"
		done
		printf '\tvirtual_ipaddress {\n\t\t192.0.2.240/24\n\t}\n}\n'
	} > "$LAB_DIR/$name.conf"
}

has_vip() {
	lab_exec "$1" ip -4 -o addr show dev eth0 | grep -q ' 192\.0\.2\.240/24 '
}

no_vip() {
	! has_vip "$1"
}

ka_log() {
	echo "$LAB_DIR/keepalived.h2.log"
}

ka_masters() {
	grep -c "Entering MASTER STATE" "$(ka_log)" || :
}

ka_backups() {
	grep -c "Entering BACKUP STATE" "$(ka_log)" || :
}

# st FIELD: one field of instance VI_1 in `vrrpctl status --json`.
st() {
	"$V" status --json --control "$CTL" | jq -r ".instances[0].$1"
}

state_is() {
	[ "$(st state)" = "$1" ]
}

# Only one router holds the VIP, and it is HOST.
vip_only_on() {
	local other=h1
	[ "$1" = h1 ] && other=h2
	has_vip "$1" && no_vip "$other"
}

# ------------------------------------------------------------ nopreempt

@test "vrrpctl nopreempt: a higher-priority vrrpctl that comes back leaves keepalived master; without nopreempt it takes over" {
	conf h1 150 nopreempt
	conf h2 100
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h2
	start_vrrpctl
	lab_wait 5 state_is BACKUP
	# Master_Down_Interval is 0.36 s: give it ten times that
	sleep 3
	state_is BACKUP
	vip_only_on h2
	[ "$(st master)" = 192.0.2.2 ]
	[ "$(st effective_priority)" = 150 ]
	[ "$(st became_master)" = 0 ]
	# keepalived entered BACKUP only once, at its start
	[ "$(ka_masters)" -eq 1 ]
	[ "$(ka_backups)" -eq 1 ]
	# the same router without nopreempt (SIGHUP): it preempts now
	conf h1 150
	kill -HUP "$VPID"
	lab_wait 5 grep -q "reloaded, 1 instance" "$LAB_DIR/vrrpctl.log"
	lab_wait 5 vip_only_on h1
	lab_wait 5 state_is MASTER
	lab_wait 5 eval '[ "$(ka_backups)" -eq 2 ]'
	# and a restart without nopreempt preempts as well
	kill -TERM "$VPID"
	wait "$VPID"
	lab_wait 5 has_vip h2
	start_vrrpctl
	lab_wait 5 vip_only_on h1
	state_is MASTER
}

@test "vrrpctl nopreempt, reverse: a higher-priority keepalived with nopreempt does not take over from vrrpctl; without it does" {
	conf h1 100
	conf h2 150 nopreempt
	start_vrrpctl
	lab_wait 5 has_vip h1
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 grep -q "Entering BACKUP STATE" "$(ka_log)"
	sleep 3
	vip_only_on h1
	state_is MASTER
	[ "$(ka_masters)" -eq 0 ]
	[ "$(st became_master)" = 1 ]
	# vrrpctl saw keepalived's priority-150 adverts and did not step down
	# (a Master only yields to a higher priority in an advert it receives,
	# and a nopreempt Backup sends none)
	[ "$(st rx_adverts)" = 0 ]
	kill -TERM "$LAB_KEEPALIVED_PID"
	wait "$LAB_KEEPALIVED_PID" || :
	conf h2 150
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 vip_only_on h2
	lab_wait 5 state_is BACKUP
	[ "$(st master)" = 192.0.2.2 ]
	grep -q "VI_1: MASTER -> BACKUP" "$LAB_DIR/vrrpctl.log"
}

# -------------------------------------------------------- preempt_delay

@test "vrrpctl preempt_delay 2: a restarted higher-priority vrrpctl preempts keepalived no earlier than 2 s, within 2 s + Master_Down_Interval" {
	conf h1 150 "preempt_delay 2"
	conf h2 100
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h2
	t0=$(date +%s%N)
	start_vrrpctl
	lab_wait 5 state_is BACKUP
	lab_wait 8 has_vip h1
	ms=$(ms_since "$t0")
	echo "preempted after $ms ms"
	[ "$ms" -ge 2000 ]
	# 2 s + Master_Down_Interval (0.36 s) + slack for a loaded host
	[ "$ms" -lt 3500 ]
	lab_wait 5 no_vip h2
	state_is MASTER
	[ "$(st master)" = 192.0.2.1 ]
	# keepalived saw a higher priority: it went back to BACKUP once
	lab_wait 5 grep -q "Entering BACKUP STATE" "$(ka_log)"
	# a restart waits again: the delay counts from each start
	kill -TERM "$VPID"
	wait "$VPID"
	lab_wait 5 has_vip h2
	t0=$(date +%s%N)
	start_vrrpctl
	lab_wait 8 has_vip h1
	ms=$(ms_since "$t0")
	echo "preempted after $ms ms"
	[ "$ms" -ge 2000 ]
	[ "$ms" -lt 3500 ]
}

# ------------------------------------------------------- track weights

# wire_prios PCAP: the priorities vrrpctl (192.0.2.1) advertised, in order,
# consecutive repeats collapsed.
wire_prios() {
	tshark -r "$1" -Y 'vrrp && ip.src == 192.0.2.1' -T fields -e vrrp.prio 2>/dev/null | uniq | tr '\n' ' '
}

@test "vrrpctl track_script weights: -60 on failure and +30 on success change the effective priority, on the wire, and who is master" {
	touch "$LAB_DIR/up-ok" "$LAB_DIR/down-ok"
	PRE="vrrp_script chk_up {
	script \"/usr/bin/test -f $LAB_DIR/up-ok\"
	interval 0.2
	weight 30
}
vrrp_script chk_down {
	script \"/usr/bin/test -f $LAB_DIR/down-ok\"
	interval 0.2
	weight -60
}"
	# 90 configured: 120 with chk_up succeeding, 60 with chk_down failing
	conf h1 90 'track_script {' 'chk_up' 'chk_down' '}'
	PRE= conf h2 100
	lab_tshark_start sw br0 "$LAB_DIR/w.pcap" "ip proto 112"
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h2
	start_vrrpctl
	# the positive weight lifts 90 over keepalived's 100: vrrpctl preempts
	lab_wait 5 vip_only_on h1
	lab_wait 5 state_is MASTER
	[ "$(st priority)" = 90 ]
	[ "$(st effective_priority)" = 120 ]
	[ "$(st failed_tracks)" = "" ]
	run "$V" status --control "$CTL"
	[[ "$output" == "VI_1: MASTER priority 90 (effective 120) "* ]]
	# chk_up fails: back to 90, keepalived preempts
	rm "$LAB_DIR/up-ok"
	lab_wait 5 vip_only_on h2
	lab_wait 5 state_is BACKUP
	[ "$(st effective_priority)" = 90 ]
	[ "$(st failed_tracks)" = chk_up ]
	# succeeds again: 120, vrrpctl preempts
	touch "$LAB_DIR/up-ok"
	lab_wait 5 vip_only_on h1
	lab_wait 5 state_is MASTER
	# chk_down fails: 120 - 60 = 60 < 100, keepalived preempts; not FAULT
	rm "$LAB_DIR/down-ok"
	lab_wait 5 vip_only_on h2
	lab_wait 5 state_is BACKUP
	[ "$(st effective_priority)" = 60 ]
	[ "$(st failed_tracks)" = chk_down ]
	run grep -c "FAULT" "$LAB_DIR/vrrpctl.log"
	[ "$output" -eq 0 ]
	lab_capture_wait "$LAB_DIR/w.pcap" 1 'vrrp && ip.src == 192.0.2.1 && vrrp.prio == 60'
	# on the wire, in order: 120 while master, the lowered 90 that made
	# keepalived preempt, 120 again, then 60
	prios=$(wire_prios "$LAB_DIR/w.pcap")
	echo "priorities on the wire: $prios"
	[ "$prios" = "120 90 120 60 " ]
	[ "$(ka_masters)" -eq 3 ]
}

@test "vrrpctl track_interface weight -60: a link down lowers the priority (no FAULT), keepalived takes over; link up preempts back" {
	# a second link on h1: one end of a veth pair
	lab_exec h1 ip link add dum0 type veth peer name dum1
	lab_exec h1 ip link set dum1 up
	lab_exec h1 ip link set dum0 up
	conf h1 150 'track_interface {' 'dum0 weight -60' '}'
	conf h2 100
	lab_tshark_start sw br0 "$LAB_DIR/i.pcap" "ip proto 112"
	start_vrrpctl
	lab_wait 5 has_vip h1
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 grep -q "Entering BACKUP STATE" "$(ka_log)"
	[ "$(st effective_priority)" = 150 ]
	lab_exec h1 ip link set dum0 down
	lab_wait 5 vip_only_on h2
	lab_wait 5 state_is BACKUP
	[ "$(st priority)" = 150 ]
	[ "$(st effective_priority)" = 90 ]
	[ "$(st failed_tracks)" = dum0 ]
	[ "$(st master)" = 192.0.2.2 ]
	lab_exec h1 ip link set dum0 up
	lab_wait 5 vip_only_on h1
	lab_wait 5 state_is MASTER
	[ "$(st effective_priority)" = 150 ]
	[ "$(st failed_tracks)" = "" ]
	run grep -c "FAULT" "$LAB_DIR/vrrpctl.log"
	[ "$output" -eq 0 ]
	lab_capture_wait "$LAB_DIR/i.pcap" 1 'vrrp && ip.src == 192.0.2.1 && vrrp.prio == 90'
	prios=$(wire_prios "$LAB_DIR/i.pcap")
	echo "priorities on the wire: $prios"
	[ "$prios" = "150 90 150 " ]
}

# ----------------------------------------------------- track timeout

group_gone() {
	! kill -0 "$1" 2>/dev/null && ! pgrep -g "$1" >/dev/null
}

@test "vrrpctl track_script timeout: a hung script is killed with its whole process group, counts as a failure; fall 3 -> FAULT, rise 2 -> back" {
	# The script records its process group (it leads one) and hangs
	# while $LAB_DIR/hang exists, with a child that ignores SIGTERM.
	cat > "$LAB_DIR/chk" <<EOF
#!/bin/sh
[ -e $LAB_DIR/hang ] || exit 0
echo \$\$ >> $LAB_DIR/pgids
sh -c 'trap "" TERM; sleep 30' &
wait
EOF
	chmod +x "$LAB_DIR/chk"
	PRE="vrrp_script chk {
	script \"$LAB_DIR/chk\"
	interval 1
	timeout 0.3
	fall 3
	rise 2
}"
	conf h1 150 'track_script {' 'chk' '}'
	start_vrrpctl
	lab_wait 5 has_vip h1
	touch "$LAB_DIR/hang"
	# two timeouts are two failures: not yet FAULT (fall 3)
	lab_wait 5 eval '[ "$(grep -c "track_script chk: timed out" "$LAB_DIR/vrrpctl.log")" -ge 2 ]'
	state_is MASTER
	has_vip h1
	# the third one is
	lab_wait 5 state_is FAULT
	[ "$(grep -c "track_script chk: timed out" "$LAB_DIR/vrrpctl.log")" -ge 3 ]
	lab_wait 5 no_vip h1
	[ "$(st failed_tracks)" = chk ]
	grep -q "track_script chk: failed" "$LAB_DIR/vrrpctl.log"
	# rise 2: two quick successes bring it back to MASTER
	rm "$LAB_DIR/hang"
	lab_wait 5 state_is MASTER
	lab_wait 5 has_vip h1
	[ "$(st failed_tracks)" = "" ]
	# every hung run is gone with all it started (TERM, then KILL after
	# the grace period): nothing is left in its process group
	[ "$(wc -l < "$LAB_DIR/pgids")" -ge 3 ]
	while read -r pg; do
		lab_wait 3 group_gone "$pg" || { pgrep -a -g "$pg"; false; }
	done < "$LAB_DIR/pgids"
	grep -q "track_script chk: succeeded" "$LAB_DIR/vrrpctl.log"
}

# ------------------------------------------------- tracks across SIGHUP

@test "vrrpctl SIGHUP: a track failure applied before the reload is lifted when the track is healthy after it (weight -60 and weight 0)" {
	# interval 3 s: the scripts run at start-up (failing), then right
	# after the reload (succeeding), and not in between
	PRE="vrrp_script chk_w {
	script \"/usr/bin/test -f $LAB_DIR/ok\"
	interval 3
	weight -60
}
vrrp_script chk_f {
	script \"/usr/bin/test -f $LAB_DIR/ok\"
	interval 3
}"
	conf h1 150 'track_script {' 'chk_w' '}'
	{
		cat "$LAB_DIR/h1.conf"
		printf 'vrrp_instance VI_2 {\n\tinterface eth0\n\tvirtual_router_id 52\n\tpriority 150\n\tadvert_int 0.1\n'
		printf '\ttrack_script {\n\t\tchk_f\n\t}\n\tvirtual_ipaddress {\n\t\t192.0.2.242/24\n\t}\n}\n'
	} > "$LAB_DIR/h1.new"
	mv "$LAB_DIR/h1.new" "$LAB_DIR/h1.conf"
	start_vrrpctl
	st2() {
		"$V" status --json --control "$CTL" | jq -r ".instances[1].$1"
	}
	lab_wait 5 eval '[ "$(st effective_priority)" = 90 ]'
	lab_wait 5 eval '[ "$(st2 state)" = FAULT ]'
	touch "$LAB_DIR/ok"
	kill -HUP "$VPID"
	lab_wait 5 grep -q "reloaded, 2 instances" "$LAB_DIR/vrrpctl.log"
	sleep 1
	"$V" status --control "$CTL"
	# every track is healthy: nothing of the old failures may stay applied
	[ "$(st failed_tracks)" = "" ]
	[ "$(st effective_priority)" = 150 ]
	[ "$(st2 failed_tracks)" = "" ]
	[ "$(st2 state)" = MASTER ]
}

# ------------------------------------------------ stale hook, whole group

@test "vrrpctl stale notify_master: its whole process group is terminated, a child that ignores SIGTERM cannot finish the promotion" {
	cat > "$LAB_DIR/promote" <<EOF2
#!/bin/sh
echo \$\$ > $LAB_DIR/pg
sh -c 'trap "" TERM; sleep 2; touch $LAB_DIR/promoted' &
wait
EOF2
	chmod +x "$LAB_DIR/promote"
	conf h1 150 "notify_master $LAB_DIR/promote"
	start_vrrpctl
	lab_wait 5 test -s "$LAB_DIR/pg"
	"$V" demote --control "$CTL" VI_1
	lab_wait 5 grep -q "terminating stale hook" "$LAB_DIR/vrrpctl.log"
	lab_wait 5 no_vip h1
	sleep 3
	[ ! -e "$LAB_DIR/promoted" ]
	pg=$(cat "$LAB_DIR/pg")
	run pgrep -a -g "$pg"
	echo "$output"
	[ "$status" -eq 1 ]
}
