#!/usr/bin/env bats
# vrrpctl run / status / demote / resume in the lab: vrrpctl on h1,
# keepalived 2.2 on h2 with the same config syntax, VRID 51, VIP
# 192.0.2.240/24. Election, takeover on link down, preemption back,
# priority-0 handover on SIGTERM, v2 PASS, the control commands, a
# track_script FAULT, the stale-hook termination, config errors.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	load lib/vrrpctl-lab
	cd "$BATS_TEST_DIRNAME/.."
	V="$VIPKIT_BIN/vrrpctl"
}

teardown() {
	lab_teardown
}

# conf NAME VERSION PRIORITY ADVERT [EXTRA-INSTANCE-LINES...]: a
# keepalived.conf for one instance VI_1, written to $LAB_DIR/NAME.conf.
# EXTRA lines go inside vrrp_instance; $PRE goes before it.
conf() {
	local name=$1 version=$2 prio=$3 adv=$4 l
	shift 4
	{
		printf 'global_defs {\n\trouter_id %s\n\tvrrp_version %s\n}\n' "$name" "$version"
		printf '%s\n' "${PRE:-}"
		printf 'vrrp_instance VI_1 {\n\tstate BACKUP\n\tinterface eth0\n'
		printf '\tvirtual_router_id 51\n\tpriority %s\n\tadvert_int %s\n' "$prio" "$adv"
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

state_is() {
	"$V" status --control "$CTL" | grep -q "^VI_1: $1 "
}

# -------------------------------------------------------------- options

@test "vrrpctl run/status/demote/resume: --help, bad options, usage errors" {
	run "$V" run --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: vrrpctl run"* ]]
	run "$V" status --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: vrrpctl status"* ]]
	run "$V" demote --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: vrrpctl demote"* ]]
	run --separate-stderr "$V" run --bogus
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"usage: vrrpctl run"* ]]
	run --separate-stderr "$V" status -x
	[ "$status" -eq 2 ]
	run --separate-stderr "$V" demote
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"exactly one instance name"* ]]
	run --separate-stderr "$V" resume a b
	[ "$status" -eq 2 ]
	run "$V" --help
	[[ "$output" == *"demote [-c SOCKET] NAME"* ]]
}

@test "vrrpctl status: no daemon is exit 3 naming the socket and the reason" {
	run --separate-stderr "$V" status --control /tmp/vipkit-none-$$.sock
	[ "$status" -eq 3 ]
	[[ "$stderr" == "vrrpctl: /tmp/vipkit-none-$$.sock: cannot reach the daemon: No such file or directory (is 'vrrpctl run' running? another socket: --control PATH)" ]]
	run --separate-stderr "$V" demote -c /tmp/vipkit-none-$$.sock VI_1
	[ "$status" -eq 3 ]
}

@test "vrrpctl run: a config error exits 2 with every FILE:LINE, nothing started" {
	local d
	d=$(mktemp -d)
	printf 'vrrp_instance VI_1 {\n\tinterface eth0\n\tvirtual_router_id 300\n\tbogus_key 1\n}\n' > "$d/bad.conf"
	run --separate-stderr "$V" run -f "$d/bad.conf" --control "$d/ctl.sock"
	echo "$stderr"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"$d/bad.conf:3: "* ]]
	[[ "$stderr" == *"$d/bad.conf:4: "* ]]
	[ ! -e "$d/ctl.sock" ]
	rm -rf "$d"
}

# ------------------------------------------------------------- v3 IPv4

@test "vrrpctl run: v3 0.1 s vs keepalived: election, link-down takeover, preemption back, status" {
	vrrpctl_lab
	conf h1 3 150 0.1
	conf h2 3 100 0.1
	start_vrrpctl
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h1
	lab_wait 10 grep -q "Entering BACKUP STATE" "$(ka_log)"
	sleep 1
	no_vip h2
	run grep -c "Entering MASTER STATE" "$(ka_log)"
	[ "$output" -eq 0 ]
	grep -q "VI_1: BACKUP -> MASTER" "$LAB_DIR/vrrpctl.log"
	# status, human and JSON
	run "$V" status --control "$CTL"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "VI_1: MASTER priority 150 (effective 150) vrid 51 v3 eth0 master 192.0.2.1 vips 192.0.2.240/24 failed-tracks none dropped 0" ]]
	run "$V" status --json --control "$CTL"
	[ "$status" -eq 0 ]
	[ "$(jq -r '.instances[0].state' <<<"$output")" = MASTER ]
	[ "$(jq -r '.instances[0].vrid' <<<"$output")" = 51 ]
	[ "$(jq -r '.instances[0].vips[0]' <<<"$output")" = 192.0.2.240/24 ]
	# the master's link goes down: keepalived takes over within
	# Master_Down_Interval (3 * 0.1 s + skew 0.06 s) plus slack
	t0=$(date +%s%N)
	lab_exec h1 ip link set eth0 down
	lab_wait 5 has_vip h2
	ms=$(ms_since "$t0")
	echo "takeover after $ms ms"
	[ "$ms" -lt 1500 ]
	lab_wait 5 state_is FAULT
	run "$V" status --json --control "$CTL"
	[ "$(jq -r '.instances[0].failed_tracks' <<<"$output")" = eth0 ]
	no_vip h1
	# link back: vrrpctl (150) preempts keepalived (100)
	lab_exec h1 ip link set eth0 up
	lab_wait 10 has_vip h1
	lab_wait 5 no_vip h2
	lab_wait 5 state_is MASTER
	[ "$(grep -c "Entering BACKUP STATE" "$(ka_log)")" -ge 2 ]
}

@test "vrrpctl run: SIGTERM of the master sends priority 0, keepalived takes over at once, VIP removed, notify_stop runs" {
	vrrpctl_lab
	conf h1 3 150 1 "notify_stop \"/bin/touch $LAB_DIR/stopped\""
	conf h2 3 100 1
	start_vrrpctl
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h1
	lab_wait 10 grep -q "Entering BACKUP STATE" "$(ka_log)"
	sleep 0.5
	t0=$(date +%s%N)
	kill -TERM "$VPID"
	lab_wait 5 has_vip h2
	ms=$(ms_since "$t0")
	echo "takeover after $ms ms"
	# without priority 0 keepalived waits 3 * 1 s + skew
	[ "$ms" -lt 2000 ]
	grep -q "Backup received priority 0 advertisement" "$(ka_log)"
	wait "$VPID" || { echo "vrrpctl exited $?"; false; }
	no_vip h1
	[ -e "$LAB_DIR/stopped" ]
	[ ! -e "$CTL" ]
}

@test "vrrpctl run: start-up removes a VIP a crashed run left behind" {
	vrrpctl_lab
	lab_exec h1 ip addr add 192.0.2.240/24 dev eth0
	conf h2 3 200 0.1
	conf h1 3 100 0.1
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h2
	start_vrrpctl
	lab_wait 5 no_vip h1
	grep -q "VI_1: removed 192.0.2.240 from eth0" "$LAB_DIR/vrrpctl.log"
	lab_wait 5 state_is BACKUP
	sleep 0.5
	run "$V" status --json --control "$CTL"
	echo "$output"
	[ "$(jq -r '.instances[0].master' <<<"$output")" = 192.0.2.2 ]
}

# ------------------------------------------------------------- v2 PASS

@test "vrrpctl run: v2 PASS with keepalived; a wrong password is dropped and counted" {
	vrrpctl_lab
	conf h1 2 100 1 'authentication {' 'auth_type PASS' 'auth_pass secret1' '}'
	conf h2 2 150 1 'authentication {' 'auth_type PASS' 'auth_pass secret1' '}'
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h2
	start_vrrpctl
	sleep 4.5
	state_is BACKUP
	no_vip h1
	run "$V" status --json --control "$CTL"
	[ "$(jq -r '.instances[0].master' <<<"$output")" = 192.0.2.2 ]
	[ "$(jq -r '.instances[0].dropped.auth' <<<"$output")" = 0 ]
	[ "$(jq -r '.instances[0].rx_adverts' <<<"$output")" -ge 3 ]
	# keepalived leaves: vrrpctl takes over
	kill -TERM "$LAB_KEEPALIVED_PID"
	lab_wait 5 has_vip h1
	state_is MASTER
	kill -TERM "$VPID"
	wait "$VPID"
	wait "$LAB_KEEPALIVED_PID" || :
	# a different password: keepalived's adverts are dropped as auth
	conf h1 2 100 1 'authentication {' 'auth_type PASS' 'auth_pass other' '}'
	rm -f "$CTL"
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h2
	start_vrrpctl
	sleep 2
	run "$V" status --json --control "$CTL"
	echo "$output"
	[ "$(jq -r '.instances[0].dropped.auth' <<<"$output")" -ge 1 ]
	[ "$(jq -r '.instances[0].rx_adverts' <<<"$output")" = 0 ]
}

# ---------------------------------------------------- demote and resume

@test "vrrpctl demote/resume: priority 0 handover, stays BACKUP at 0, resume preempts back" {
	vrrpctl_lab
	conf h1 3 150 0.1
	conf h2 3 100 0.1
	start_vrrpctl
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h1
	lab_wait 10 grep -q "Entering BACKUP STATE" "$(ka_log)"
	run --separate-stderr "$V" demote --control "$CTL" VI_9
	[ "$status" -eq 1 ]
	[[ "$stderr" == "vrrpctl: VI_9: no such instance" ]]
	run "$V" demote --control "$CTL" VI_1
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "VI_1: BACKUP, priority 0" ]]
	lab_wait 5 has_vip h2
	lab_wait 5 no_vip h1
	sleep 1
	run "$V" status --json --control "$CTL"
	[ "$(jq -r '.instances[0].state' <<<"$output")" = BACKUP ]
	[ "$(jq -r '.instances[0].effective_priority' <<<"$output")" = 0 ]
	[ "$(jq -r '.instances[0].priority' <<<"$output")" = 150 ]
	[ "$(jq -r '.instances[0].master' <<<"$output")" = 192.0.2.2 ]
	no_vip h1
	run "$V" resume --control "$CTL" VI_1
	[ "$status" -eq 0 ]
	lab_wait 5 has_vip h1
	lab_wait 5 no_vip h2
	lab_wait 5 state_is MASTER
}

# ------------------------------------------------------- tracking

@test "vrrpctl run: a failing track_script (weight 0) moves to FAULT, releases the VIP; recovery preempts back" {
	vrrpctl_lab
	touch "$LAB_DIR/healthy"
	PRE="vrrp_script chk {
	script \"/usr/bin/test -f $LAB_DIR/healthy\"
	interval 0.2
	fall 2
	rise 1
}"
	conf h1 3 150 0.1 'track_script {' 'chk' '}'
	PRE= conf h2 3 100 0.1
	start_vrrpctl
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h1
	rm "$LAB_DIR/healthy"
	lab_wait 5 has_vip h2
	lab_wait 5 no_vip h1
	state_is FAULT
	run "$V" status --json --control "$CTL"
	[ "$(jq -r '.instances[0].failed_tracks' <<<"$output")" = chk ]
	grep -q "VI_1: MASTER -> FAULT" "$LAB_DIR/vrrpctl.log"
	touch "$LAB_DIR/healthy"
	lab_wait 10 has_vip h1
	lab_wait 5 state_is MASTER
}

# ------------------------------------------------------------ hooks

@test "vrrpctl run: hooks in order; a stale notify_master is terminated when mastership is lost" {
	vrrpctl_lab
	cat > "$LAB_DIR/slow-master" <<EOF
#!/bin/sh
echo started >> $LAB_DIR/order
ip -4 -o addr show dev eth0 | grep -q 192.0.2.240 && echo vip-present >> $LAB_DIR/order
sleep 3
touch $LAB_DIR/promoted
EOF
	cat > "$LAB_DIR/notify" <<EOF
#!/bin/sh
echo "notify \$*" >> $LAB_DIR/order
EOF
	chmod +x "$LAB_DIR/slow-master" "$LAB_DIR/notify"
	conf h1 3 150 0.1 "notify_master $LAB_DIR/slow-master" "notify $LAB_DIR/notify"
	conf h2 3 100 0.1
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 grep -q "Entering MASTER STATE" "$(ka_log)"
	# vrrpctl preempts; its notify_master starts after vip-add ...
	start_vrrpctl
	lab_wait 5 grep -q started "$LAB_DIR/order"
	grep -q vip-present "$LAB_DIR/order"
	# ... and mastership is lost while it sleeps
	"$V" demote --control "$CTL" VI_1
	lab_wait 5 grep -q "terminating stale hook" "$LAB_DIR/vrrpctl.log"
	lab_wait 5 no_vip h1
	lab_wait 5 grep -q "notify INSTANCE VI_1 BACKUP 0" "$LAB_DIR/order"
	sleep 4
	[ ! -e "$LAB_DIR/promoted" ]
	# the MASTER `notify` was dropped with the stale queue
	run grep -c "notify INSTANCE VI_1 MASTER" "$LAB_DIR/order"
	[ "$output" -eq 0 ]
	cat "$LAB_DIR/order"
}

@test "vrrpctl run: enable_script_security refuses a notify script writable by others" {
	vrrpctl_lab
	mkdir -m 0755 "$LAB_DIR/s"
	printf '#!/bin/sh\ntouch %s/ran\n' "$LAB_DIR" > "$LAB_DIR/s/master"
	chmod 0777 "$LAB_DIR/s/master"
	PRE=""
	conf h1 3 150 0.1 "notify_master $LAB_DIR/s/master"
	sed -i 's/^\trouter_id h1$/\trouter_id h1\n\tenable_script_security\n\tscript_user root/' "$LAB_DIR/h1.conf"
	start_vrrpctl
	lab_wait 5 has_vip h1
	lab_wait 5 grep -q "refused (enable_script_security)" "$LAB_DIR/vrrpctl.log"
	grep "refused" "$LAB_DIR/vrrpctl.log" | grep -q "$LAB_DIR/s/master"
	sleep 0.5
	[ ! -e "$LAB_DIR/ran" ]
}

# ------------------------------------------------------------ reload

@test "vrrpctl run: SIGHUP with an invalid config keeps the running one; a valid one applies" {
	vrrpctl_lab
	conf h1 3 150 0.1
	start_vrrpctl
	lab_wait 5 has_vip h1
	cp "$LAB_DIR/h1.conf" "$LAB_DIR/good.conf"
	printf 'vrrp_instance VI_2 {\n\tfrobnicate\n}\n' >> "$LAB_DIR/h1.conf"
	kill -HUP "$VPID"
	lab_wait 5 grep -q "reload refused" "$LAB_DIR/vrrpctl.log"
	grep -q "h1.conf:[0-9]*: " "$LAB_DIR/vrrpctl.log"
	state_is MASTER
	has_vip h1
	sed 's/priority 150/priority 120/' "$LAB_DIR/good.conf" > "$LAB_DIR/h1.conf"
	kill -HUP "$VPID"
	lab_wait 5 grep -q "reloaded, 1 instance" "$LAB_DIR/vrrpctl.log"
	run "$V" status --json --control "$CTL"
	[ "$(jq -r '.instances[0].priority' <<<"$output")" = 120 ]
	[ "$(jq -r '.instances[0].state' <<<"$output")" = MASTER ]
	has_vip h1
	# a clean stop after two reloads (exit 0; under ASan also no leak)
	kill -TERM "$VPID"
	wait "$VPID"
	no_vip h1
}

# ------------------------------------------------------ IPv6, unicast

has_vip6() {
	lab_exec "$1" ip -6 -o addr show dev eth0 | grep -q ' 2001:db8::240/64 '
}

no_vip6() {
	! has_vip6 "$1"
}

@test "vrrpctl run: v3 over IPv6 at 0.1 s with keepalived: election, priority-0 handover on SIGTERM" {
	vrrpctl_lab
	for h in h1:150 h2:100; do
		printf 'vrrp_instance VI_6 {\n\tstate BACKUP\n\tinterface eth0\n\tvirtual_router_id 61\n\tpriority %s\n\tadvert_int 0.1\n\tvirtual_ipaddress {\n\t\t2001:db8::240/64\n\t}\n}\n' "${h#*:}" > "$LAB_DIR/${h%:*}.conf"
	done
	start_vrrpctl
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip6 h1
	lab_wait 10 grep -q "Entering BACKUP STATE" "$(ka_log)"
	sleep 1
	no_vip6 h2
	run "$V" status --json --control "$CTL"
	[ "$(jq -r '.instances[0].master' <<<"$output")" = "$(lab_lladdr h1)" ]
	[ "$(jq -r '.instances[0].version' <<<"$output")" = 3 ]
	kill -TERM "$VPID"
	lab_wait 5 has_vip6 h2
	grep -q "Backup received priority 0 advertisement" "$(ka_log)"
	wait "$VPID"
	no_vip6 h1
}

@test "vrrpctl run: unicast peers with keepalived: election and takeover" {
	vrrpctl_lab
	conf h1 3 150 0.1 'unicast_src_ip 192.0.2.1' 'unicast_peer {' '192.0.2.2' '}'
	conf h2 3 100 0.1 'unicast_src_ip 192.0.2.2' 'unicast_peer {' '192.0.2.1' '}'
	lab_tshark_start sw br0 "$LAB_DIR/u.pcap" "ip proto 112"
	start_vrrpctl
	lab_keepalived h2 "$LAB_DIR/h2.conf"
	lab_wait 10 has_vip h1
	lab_wait 10 grep -q "Entering BACKUP STATE" "$(ka_log)"
	sleep 1.5
	lab_tshark_stop
	no_vip h2
	# vrrpctl's adverts went to the peer, not to the group
	run --separate-stderr tshark -r "$LAB_DIR/u.pcap" -Y 'vrrp && ip.src == 192.0.2.1' -T fields -e ip.dst
	echo "$output"
	[ "${#lines[@]}" -ge 5 ]
	[[ "$output" != *224.0.0.18* ]]
	[[ "${lines[0]}" == 192.0.2.2 ]]
	kill -TERM "$VPID"
	lab_wait 5 has_vip h2
	wait "$VPID"
}

# ---------------------------------------------------------------- docs

@test "vrrpctl: man page renders cleanly and documents run, status, demote, resume; completions load" {
	run man --warnings -l man1/vrrpctl.1
	[ "$status" -eq 0 ]
	run --separate-stderr man --warnings -l man1/vrrpctl.1
	[ -z "$stderr" ]
	for w in "vrrpctl run" "vrrpctl status" "vrrpctl demote" "vrrpctl resume"; do
		grep -q "$w" <(MANWIDTH=200 man -l man1/vrrpctl.1 2>/dev/null)
	done
	run bash -c 'source completions/vrrpctl; COMP_WORDS=(vrrpctl ""); COMP_CWORD=1; _vrrpctl; echo "${COMPREPLY[*]}"'
	[ "$output" = "check run status demote resume" ]
	d=$(mktemp -d)
	printf 'vrrp_instance VI_A {\n}\nvrrp_instance VI_B {\n}\n' > "$d/k.conf"
	run env VRRPCTL_CONF="$d/k.conf" bash -c 'source completions/vrrpctl; COMP_WORDS=(vrrpctl demote VI_); COMP_CWORD=2; _vrrpctl; echo "${COMPREPLY[*]}"'
	[ "$output" = "VI_A VI_B" ]
	run env VRRPCTL_CONF="$d/k.conf" bash -c 'source completions/vrrpctl; COMP_WORDS=(vrrpctl status -); COMP_CWORD=2; _vrrpctl; echo "${COMPREPLY[*]}"'
	[[ "$output" == *--json* ]]
	rm -rf "$d"
	run zsh -c 'autoload -Uz compinit && compinit -u -D && fpath=(completions $fpath) && autoload -Uz _vrrpctl && whence -w _vrrpctl'
	[ "$status" -eq 0 ]
	[[ "$output" == *function* ]]
}
