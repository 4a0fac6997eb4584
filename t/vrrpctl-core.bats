#!/usr/bin/env bats
# vrrpctl run's core: the pure hook queue (unit program), the hook
# timeout, in-process VIP add and GARP on takeover, the control socket's
# per-client deadline, VIP changes on reload, sd_notify.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	cd "$BATS_TEST_DIRNAME/.."
	V="$VIPKIT_BIN/vrrpctl"
}

teardown() {
	lab_teardown
}

@test "unit: hook queue (order, one at a time, stale termination, timeout, unknown pid, full)" {
	[ -x "$VIPKIT_UNIT/hookq" ] || { echo "unit program hookq not built (make all)"; false; }
	run "$VIPKIT_UNIT/hookq"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" 0 failed"* ]]
}

# lab1: h1 alone.
lab1() {
	lab_init
	lab_host h1 1
	CTL=$LAB_DIR/ctl.sock
}

# conf1 [EXTRA-INSTANCE-LINES...]: one v3 0.1 s instance VI_1 (VRID 51,
# priority 150, VIP 192.0.2.240/24) in $LAB_DIR/h1.conf; $GLOBAL goes in
# global_defs.
conf1() {
	local l
	{
		printf 'global_defs {\n\trouter_id h1\n\tvrrp_version 3\n%s\n}\n' "${GLOBAL:-}"
		printf 'vrrp_instance VI_1 {\n\tstate BACKUP\n\tinterface eth0\n'
		printf '\tvirtual_router_id 51\n\tpriority 150\n\tadvert_int 0.1\n'
		for l in "$@"; do
			printf '\t%s\n' "$l"
		done
		printf '\tvirtual_ipaddress {\n\t\t192.0.2.240/24\n\t}\n}\n'
	} > "$LAB_DIR/h1.conf"
}

# start_vrrpctl [OPTIONS...]: vrrpctl run on h1.
start_vrrpctl() {
	lab_bg h1 "$LAB_DIR/vrrpctl.log" "$V" run -f "$LAB_DIR/h1.conf" --control "$CTL" "$@"
	VPID=$LAB_PID
	lab_wait 5 test -S "$CTL"
}

has_ip() {
	lab_exec h1 ip -o addr show dev eth0 | grep -q " $1 "
}

no_ip() {
	! has_ip "$1"
}

@test "vrrpctl run --hook-timeout: a hook past it is terminated, the next one runs; bad values exit 2" {
	run --separate-stderr "$V" run --hook-timeout 0 -f /nonexistent
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"--hook-timeout"* ]]
	run --separate-stderr "$V" run --hook-timeout 1x -f /nonexistent
	[ "$status" -eq 2 ]
	run --separate-stderr "$V" run --hook-timeout 3601 -f /nonexistent
	[ "$status" -eq 2 ]
	run "$V" run --help
	[[ "$output" == *"--hook-timeout S"* ]]
	lab1
	cat > "$LAB_DIR/hang" <<EOF
#!/bin/sh
echo hang-start >> $LAB_DIR/order
sleep 20
echo hang-end >> $LAB_DIR/order
EOF
	printf '#!/bin/sh\necho "notify $*" >> %s/order\n' "$LAB_DIR" > "$LAB_DIR/notify"
	chmod +x "$LAB_DIR/hang" "$LAB_DIR/notify"
	conf1 "notify_master $LAB_DIR/hang" "notify $LAB_DIR/notify"
	start_vrrpctl --hook-timeout 0.5
	lab_wait 5 grep -q hang-start "$LAB_DIR/order"
	t0=$(date +%s%N)
	lab_wait 5 grep -q "notify INSTANCE VI_1 MASTER 150" "$LAB_DIR/order"
	ms=$(( ($(date +%s%N) - t0) / 1000000 ))
	echo "notify ran $ms ms after notify_master started"
	cat "$LAB_DIR/order"
	# 0.5 s timeout; not the 20 s the hook wanted
	[ "$ms" -ge 300 ]
	[ "$ms" -lt 2500 ]
	grep -q "VI_1: hook $LAB_DIR/hang: timed out, terminating" "$LAB_DIR/vrrpctl.log"
	run grep -c hang-end "$LAB_DIR/order"
	[ "$output" -eq 0 ]
	kill -TERM "$VPID"
	wait "$VPID"
}

@test "vrrpctl run: takeover adds the VIP and sends the GARP burst in-process, before notify_master; second burst after garp_master_delay" {
	lab1
	printf '#!/bin/sh\nip -4 -o addr show dev eth0 | grep -q 192.0.2.240 && echo vip-present >> %s/order\necho master >> %s/order\n' \
	    "$LAB_DIR" "$LAB_DIR" > "$LAB_DIR/master"
	chmod +x "$LAB_DIR/master"
	GLOBAL=$'\tvrrp_garp_interval 0.1' conf1 "notify_master $LAB_DIR/master" \
	    'garp_master_repeat 3' 'garp_master_delay 1' \
	    'virtual_ipaddress_excluded {' '2001:db8::240/64' '}'
	lab_tshark_start sw br0 "$LAB_DIR/g.pcap" "arp or ip proto 112 or icmp6"
	start_vrrpctl
	lab_wait 5 has_ip 192.0.2.240/24
	lab_wait 5 has_ip 2001:db8::240/64
	lab_wait 5 grep -q master "$LAB_DIR/order"
	sleep 1.6
	lab_capture_wait "$LAB_DIR/g.pcap" 6 "arp.isgratuitous == 1"
	# the hook saw the address already there
	[ "$(head -1 "$LAB_DIR/order")" = vip-present ]
	grep -q "VI_1: added 192.0.2.240/24 to eth0" "$LAB_DIR/vrrpctl.log"
	grep -q "VI_1: added 2001:db8::240/64 to eth0" "$LAB_DIR/vrrpctl.log"
	# two bursts of 3 gratuitous ARPs from h1's MAC, rounds 0.1 s apart
	run --separate-stderr tshark -r "$LAB_DIR/g.pcap" -Y "arp.isgratuitous == 1 && arp.src.proto_ipv4 == 192.0.2.240" \
	    -T fields -e frame.time_epoch -e arp.src.hw_mac
	echo "$output"
	[ "${#lines[@]}" -eq 6 ]
	mac=$(lab_mac h1)
	[ "$(grep -c "$mac" <<<"$output")" -eq 6 ]
	t=($(cut -f1 <<<"$output"))
	awk -v a="${t[0]}" -v b="${t[1]}" -v c="${t[2]}" -v d="${t[3]}" 'BEGIN {
		exit !(b - a > 0.07 && b - a < 0.3 && c - b > 0.07 && c - b < 0.3 &&
		    d - a > 0.9 && d - a < 1.6) }'
	# the first GARP follows the first priority-150 advert closely
	adv=$(tshark -r "$LAB_DIR/g.pcap" -Y "vrrp && vrrp.prio == 150" -T fields -e frame.time_epoch 2>/dev/null | head -1)
	echo "first advert $adv, first GARP ${t[0]}"
	awk -v a="$adv" -v g="${t[0]}" 'BEGIN { exit !(g >= a && g - a < 0.05) }'
	# unsolicited NAs for the IPv6 address, Override set, target the VIP
	run --separate-stderr tshark -r "$LAB_DIR/g.pcap" -Y "icmpv6.type == 136 && icmpv6.nd.na.target_address == 2001:db8::240 && icmpv6.nd.na.flag.o == 1" -T fields -e frame.time_epoch
	echo "$output"
	[ "${#lines[@]}" -eq 6 ]
	kill -TERM "$VPID"
	wait "$VPID"
	no_ip 192.0.2.240/24
	no_ip 2001:db8::240/64
}

# fds PID: open descriptors of PID.
fds() {
	ls "/proc/$1/fd" | wc -l
}

@test "vrrpctl run: a control client that never sends is closed after 2 s; at most 16 wait, the oldest makes room; status still answers" {
	lab1
	conf1
	start_vrrpctl
	lab_wait 5 has_ip 192.0.2.240/24
	base=$(fds "$VPID")
	# 20 silent clients; each line: seconds until the daemon closed it
	python3 - "$CTL" > "$LAB_DIR/silent" <<'PY' &
import socket, sys, time
t0 = time.monotonic()
socks = []
for _ in range(20):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    socks.append(s)
for s in socks:
    s.settimeout(6)
    try:
        s.recv(1)
        print("%.2f" % (time.monotonic() - t0))
    except socket.timeout:
        print("held")
PY
	pypid=$!
	sleep 0.7
	held=$(fds "$VPID")
	echo "descriptors: $base before, $held with 20 silent clients"
	[ "$held" -le $((base + 16)) ]
	[ "$held" -ge $((base + 10)) ]
	# the daemon still answers while they wait
	run "$V" status --control "$CTL"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == "VI_1: MASTER "* ]]
	wait "$pypid"
	cat "$LAB_DIR/silent"
	[ "$(wc -l < "$LAB_DIR/silent")" -eq 20 ]
	! grep -q held "$LAB_DIR/silent"
	# the oldest ones at once (room for newer ones and for status), the
	# others after 2 s (not before)
	[ "$(awk '$1 >= 1.8 && $1 < 4' "$LAB_DIR/silent" | wc -l)" -ge 10 ]
	[ "$(awk '$1 < 0.5' "$LAB_DIR/silent" | wc -l)" -ge 4 ]
	[ "$(fds "$VPID")" -eq "$base" ]
	grep -q "control: no request within 2 s, connection closed" "$LAB_DIR/vrrpctl.log"
	grep -q "control: 16 connections wait for a request, closing the oldest" "$LAB_DIR/vrrpctl.log"
	kill -TERM "$VPID"
	wait "$VPID"
}

@test "vrrpctl run: SIGHUP on a kept Master removes dropped VIPs now, adds and GARPs new ones, keeps the others" {
	lab1
	conf1 'virtual_ipaddress_excluded {' '192.0.2.241/24' '2001:db8::241/64' '}'
	start_vrrpctl
	lab_wait 5 has_ip 192.0.2.241/24
	lab_wait 5 has_ip 2001:db8::241/64
	has_ip 192.0.2.240/24
	lab_tshark_start sw br0 "$LAB_DIR/r.pcap" "arp"
	conf1 'virtual_ipaddress_excluded {' '192.0.2.242/24' '2001:db8::241/64' '}'
	kill -HUP "$VPID"
	lab_wait 5 grep -q "reloaded, 1 instance" "$LAB_DIR/vrrpctl.log"
	lab_wait 5 no_ip 192.0.2.241/24
	has_ip 192.0.2.242/24
	has_ip 192.0.2.240/24
	has_ip 2001:db8::241/64
	grep -q "VI_1: removed 192.0.2.241 from eth0" "$LAB_DIR/vrrpctl.log"
	grep -q "VI_1: added 192.0.2.242/24 to eth0" "$LAB_DIR/vrrpctl.log"
	# the kept addresses were never taken off
	run grep -c "removed 192.0.2.240\|removed 2001:db8::241" "$LAB_DIR/vrrpctl.log"
	[ "$output" -eq 0 ]
	lab_capture_wait "$LAB_DIR/r.pcap" 5 "arp.isgratuitous == 1 && arp.src.proto_ipv4 == 192.0.2.242"
	run --separate-stderr tshark -r "$LAB_DIR/r.pcap" -Y "arp.isgratuitous == 1 && arp.src.proto_ipv4 == 192.0.2.242" -T fields -e arp.src.hw_mac
	echo "$output"
	[ "${#lines[@]}" -ge 5 ]
	[ "${lines[0]}" = "$(lab_mac h1)" ]
	"$V" status --control "$CTL" | grep -q "^VI_1: MASTER "
	kill -TERM "$VPID"
	wait "$VPID"
	no_ip 192.0.2.242/24
	no_ip 192.0.2.240/24
}

@test "vrrpctl run: SIGHUP adding a VIP to a Master while notify_master runs: the hook's end is seen, the next hooks run at once" {
	lab1
	printf '#!/bin/sh\necho slow-start >> %s/order\nsleep 2\necho slow-end >> %s/order\n' \
	    "$LAB_DIR" "$LAB_DIR" > "$LAB_DIR/slow"
	printf '#!/bin/sh\necho "notify $*" >> %s/order\n' "$LAB_DIR" > "$LAB_DIR/notify"
	chmod +x "$LAB_DIR/slow" "$LAB_DIR/notify"
	conf1 "notify_master $LAB_DIR/slow" "notify $LAB_DIR/notify"
	start_vrrpctl
	lab_wait 5 grep -q slow-start "$LAB_DIR/order"
	conf1 "notify_master $LAB_DIR/slow" "notify $LAB_DIR/notify" \
	    'virtual_ipaddress_excluded {' '192.0.2.242/24' '}'
	kill -HUP "$VPID"
	lab_wait 5 grep -q "reloaded, 1 instance" "$LAB_DIR/vrrpctl.log"
	lab_wait 5 has_ip 192.0.2.242/24
	! grep -q slow-end "$LAB_DIR/order"
	lab_wait 5 grep -q slow-end "$LAB_DIR/order"
	# the queue saw notify_master end: notify runs now, not at the 30 s
	# hook timeout
	lab_wait 3 grep -q "notify INSTANCE VI_1 MASTER 150" "$LAB_DIR/order"
	# and the queue is free for the next transition's hooks
	"$V" demote --control "$CTL" VI_1
	lab_wait 3 grep -q "notify INSTANCE VI_1 BACKUP 0" "$LAB_DIR/order"
	cat "$LAB_DIR/order"
	! grep -q "timed out\|terminating stale hook" "$LAB_DIR/vrrpctl.log"
	kill -TERM "$VPID"
	wait "$VPID"
}

mono_us() {
	python3 -c 'import time; print(int(time.monotonic() * 1000000))'
}

@test "vrrpctl run: sd_notify READY=1, RELOADING=1 + MONOTONIC_USEC then READY=1 on SIGHUP, STOPPING=1 on SIGTERM (path and abstract socket)" {
	lab1
	printf '#!/bin/sh\nenv > %s/hook.env\n' "$LAB_DIR" > "$LAB_DIR/envhook"
	chmod +x "$LAB_DIR/envhook"
	conf1 "notify_master $LAB_DIR/envhook"
	# a filesystem socket
	lab_bg h1 "$LAB_DIR/socat.log" socat -u UNIX-RECV:"$LAB_DIR/notify.sock" \
	    OPEN:"$LAB_DIR/notify.out",creat,append
	lab_wait 5 test -S "$LAB_DIR/notify.sock"
	export NOTIFY_SOCKET=$LAB_DIR/notify.sock
	start_vrrpctl
	unset NOTIFY_SOCKET
	lab_wait 5 grep -q "^READY=1" "$LAB_DIR/notify.out"
	test -S "$CTL"
	lab_wait 5 test -s "$LAB_DIR/hook.env"
	# hooks do not inherit the daemon's notify socket
	! grep -q NOTIFY_SOCKET "$LAB_DIR/hook.env"
	t0=$(mono_us)
	kill -HUP "$VPID"
	lab_wait 5 grep -q "reloaded, 1 instance" "$LAB_DIR/vrrpctl.log"
	t1=$(mono_us)
	lab_wait 5 test "$(grep -c "^READY=1" "$LAB_DIR/notify.out")" -eq 2
	cat "$LAB_DIR/notify.out"
	grep -q "^RELOADING=1$" "$LAB_DIR/notify.out"
	us=$(sed -n 's/^MONOTONIC_USEC=\([0-9]*\)$/\1/p' "$LAB_DIR/notify.out")
	echo "MONOTONIC_USEC $us between $t0 and $t1"
	[ "$us" -ge "$t0" ] && [ "$us" -le "$t1" ]
	kill -TERM "$VPID"
	wait "$VPID"
	lab_wait 5 grep -q "^STOPPING=1$" "$LAB_DIR/notify.out"
	# in order: READY, RELOADING, MONOTONIC_USEC, READY, STOPPING
	run grep -o '^[A-Z_]*' "$LAB_DIR/notify.out"
	[ "$(echo $output)" = "READY STATUS RELOADING MONOTONIC_USEC READY STOPPING" ]
	# an abstract socket ("@name", per network namespace: the listener
	# runs in h1 too)
	rm -f "$CTL"
	lab_bg h1 "$LAB_DIR/socat2.log" socat -u ABSTRACT-RECV:vrrpctl-test-$$ \
	    OPEN:"$LAB_DIR/notify2.out",creat,append
	sleep 0.3
	export NOTIFY_SOCKET=@vrrpctl-test-$$
	start_vrrpctl
	unset NOTIFY_SOCKET
	lab_wait 5 grep -q "^READY=1" "$LAB_DIR/notify2.out"
	kill -TERM "$VPID"
	wait "$VPID"
	lab_wait 5 grep -q "^STOPPING=1$" "$LAB_DIR/notify2.out"
	! grep -q NOTIFY_SOCKET "$LAB_DIR/vrrpctl.log"
}

@test "vrrpctl run: --help, -V, bad option; man page renders and documents the new options; completions know --hook-timeout" {
	run "$V" run --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--hook-timeout S"* ]]
	run "$V" -V
	[ "$status" -eq 0 ]
	[[ "$output" == *vrrpctl* ]]
	run --separate-stderr "$V" run --hook-timeout
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"usage: vrrpctl run"* ]]
	run --separate-stderr man --warnings -l man1/vrrpctl.1
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	page=$(MANWIDTH=200 man -l man1/vrrpctl.1 2>/dev/null)
	for w in "--hook-timeout" NOTIFY_SOCKET "READY=1" "within 2 seconds" "added 192.0.2.240/24 to eth0"; do
		grep -qF -- "$w" <<<"$page" || { echo "man page lacks: $w"; false; }
	done
	run bash -c 'source completions/vrrpctl; COMP_WORDS=(vrrpctl run --h); COMP_CWORD=2; _vrrpctl; echo "${COMPREPLY[*]}"'
	[[ "$output" == *--hook-timeout* ]]
	grep -q -- '--hook-timeout=' completions/_vrrpctl
	run zsh -c 'autoload -Uz compinit && compinit -u -D && fpath=(completions $fpath) && autoload -Uz _vrrpctl && whence -w _vrrpctl'
	[ "$status" -eq 0 ]
}

@test "vrrpctl run: SIGTERM logs the state it leaves (BACKUP -> STOP, FAULT -> STOP), not INIT" {
	lab1
	# advert_int 10: Master_Down_Interval is 30 s, so it stays BACKUP.
	conf1
	sed -i 's/advert_int 0.1/advert_int 10/' "$LAB_DIR/h1.conf"
	start_vrrpctl
	lab_wait 5 grep -q "VI_1: INIT -> BACKUP" "$LAB_DIR/vrrpctl.log"
	kill -TERM "$VPID"
	lab_wait 5 grep -q "VI_1: BACKUP -> STOP" "$LAB_DIR/vrrpctl.log"
	! grep -q "INIT -> STOP" "$LAB_DIR/vrrpctl.log"
	# A link that is down: FAULT, then FAULT -> STOP. The first daemon
	# may still be stopping: a second one takes over the path, and the
	# first must not remove the new socket when it exits.
	rm -f "$CTL"
	conf1 "track_interface {" "eth0" "}"
	lab_exec h1 ip link set eth0 down
	: > "$LAB_DIR/vrrpctl.log"
	start_vrrpctl
	lab_wait 5 grep -q "VI_1: .* -> FAULT" "$LAB_DIR/vrrpctl.log"
	test -S "$CTL"
	kill -TERM "$VPID"
	lab_wait 5 grep -q "VI_1: FAULT -> STOP" "$LAB_DIR/vrrpctl.log"
}

@test "vrrpctl run: a stopping daemon removes only its own control socket, not a successor's" {
	lab1
	conf1
	sed -i 's/advert_int 0.1/advert_int 10/' "$LAB_DIR/h1.conf"
	start_vrrpctl
	first=$VPID
	# the path is taken over by a second daemon (with a VRID of its own)
	rm -f "$CTL"
	sed 's/virtual_router_id 51/virtual_router_id 52/' "$LAB_DIR/h1.conf" > "$LAB_DIR/h1b.conf"
	lab_bg h1 "$LAB_DIR/vrrpctl2.log" "$V" run -f "$LAB_DIR/h1b.conf" --control "$CTL"
	second=$LAB_PID
	lab_wait 5 test -S "$CTL"
	kill -TERM "$first"
	lab_wait 5 sh -c "! kill -0 $first 2>/dev/null"
	test -S "$CTL"
	run "$V" status --control "$CTL"
	[ "$status" -eq 0 ]
	[[ "$output" == *"VI_1"* ]]
	kill -TERM "$second"
	lab_wait 5 sh -c "! test -e '$CTL'"
}
