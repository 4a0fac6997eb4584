#!/usr/bin/env bats
# vrrpctl and the wire, in the lab: receive validation (forged adverts
# from h2 are dropped and counted in `vrrpctl status --json`, and never
# move the state), the gratuitous ARP schedule (garp_master_delay /
# _repeat / _refresh / _refresh_repeat) captured on the bridge, and
# --syslog (log lines reach /dev/log with the program name as ident).
# vrrpctl runs on h1 (192.0.2.1); h2 (192.0.2.2) forges.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	load lib/vrrpctl-lab
	vrrpctl_lab
	FORGE="$VIPKIT_TOOLS/vrrp-forge"
}

teardown() {
	lab_teardown
}

has_addr() {
	lab_exec "$1" ip -4 -o addr show dev eth0 | grep -q " $2/24 "
}

# st INSTANCE FIELD: one field of INSTANCE in `vrrpctl status --json`.
st() {
	"$V" status --json --control "$CTL" |
	    jq -r --arg n "$1" ".instances[] | select(.name == \$n) | .$2"
}

state_is() {
	[ "$(st "$1" state)" = "$2" ]
}

# counters INSTANCE: received, interval mismatches and every drop counter.
counters() {
	"$V" status --json --control "$CTL" |
	    jq -r --arg n "$1" '.instances[] | select(.name == $n) |
	    "rx=\(.rx_adverts) interval=\(.rx_interval_mismatch) ttl=\(.dropped.ttl) checksum=\(.dropped.checksum) version=\(.dropped.version) auth=\(.dropped.auth) malformed=\(.dropped.malformed)"'
}

stepdowns() {
	grep -c "$1: MASTER -> BACKUP" "$LAB_DIR/vrrpctl.log" || :
}

# forge ARGS...: vrrp-forge on h2, two packets 50 ms apart by default.
forge() {
	lab_exec h2 "$FORGE" -i eth0 -c 2 -g 50 "$@"
}

# expect INSTANCE COUNTERS: wait (forged packets take a moment) until the
# counters read COUNTERS, then show them.
counters_are() {
	[ "$(counters "$1")" = "$2" ]
}

expect() {
	lab_wait 3 counters_are "$1" "$2" || :
	run counters "$1"
	echo "$1: $output"
	[ "$output" = "$2" ]
}

# ------------------------------------------------------ receive validation

@test "vrrpctl receive validation: v2 interval, TTL, checksum, VRID, PASS and version mismatches are dropped and counted, never obeyed" {
	cat > "$LAB_DIR/h1.conf" <<EOF
global_defs {
	router_id h1
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 100
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass secret1
	}
	virtual_ipaddress {
		192.0.2.240/24
	}
}
EOF
	start_vrrpctl
	# Master_Down_Interval 3 * 1 s + 0.61 s
	lab_wait 8 state_is VI_1 MASTER
	has_addr h1 192.0.2.240
	base="rx=0 interval=0 ttl=0 checksum=0 version=0 auth=0 malformed=0"
	expect VI_1 "$base"
	# every forged advert claims priority 200, which would win if obeyed
	# RFC 3768 7.1: an advert interval other than ours (2 s, not 1 s)
	forge -r 51 -v 2 -p 200 -t 200 -a secret1 192.0.2.240
	expect VI_1 "rx=2 interval=2 ttl=0 checksum=0 version=0 auth=0 malformed=0"
	# TTL 254 and TTL 1
	forge -r 51 -v 2 -p 200 -t 100 -a secret1 -T 254 192.0.2.240
	forge -r 51 -v 2 -p 200 -t 100 -a secret1 -T 1 192.0.2.240
	expect VI_1 "rx=2 interval=2 ttl=4 checksum=0 version=0 auth=0 malformed=0"
	# a damaged checksum
	forge -r 51 -v 2 -p 200 -t 100 -a secret1 -b 192.0.2.240
	expect VI_1 "rx=2 interval=2 ttl=4 checksum=2 version=0 auth=0 malformed=0"
	# another password, and none at all
	forge -r 51 -v 2 -p 200 -t 100 -a wrong 192.0.2.240
	forge -r 51 -v 2 -p 200 -t 100 192.0.2.240
	expect VI_1 "rx=2 interval=2 ttl=4 checksum=2 version=0 auth=4 malformed=0"
	# a v3 advert for this v2 instance
	forge -r 51 -v 3 -p 200 -t 100 192.0.2.240
	expect VI_1 "rx=2 interval=2 ttl=4 checksum=2 version=2 auth=4 malformed=0"
	# another VRID: not ours, no counter of this instance moves
	forge -r 52 -v 2 -p 200 -t 100 -a secret1 192.0.2.240
	sleep 0.3
	expect VI_1 "rx=2 interval=2 ttl=4 checksum=2 version=2 auth=4 malformed=0"
	# none of it moved the state
	state_is VI_1 MASTER
	has_addr h1 192.0.2.240
	[ "$(st VI_1 master)" = 192.0.2.1 ]
	[ "$(stepdowns VI_1)" -eq 0 ]
	run "$V" status --control "$CTL"
	echo "$output"
	[[ "$output" == *" dropped 12 ttl=4 checksum=2 version=2 auth=4" ]]
	# the control: the same advert, valid, makes the Master step down
	forge -r 51 -v 2 -p 200 -t 100 -a secret1 -c 1 192.0.2.240
	lab_wait 3 state_is VI_1 BACKUP
	[ "$(st VI_1 master)" = 192.0.2.2 ]
	[ "$(stepdowns VI_1)" -eq 1 ]
	expect VI_1 "rx=3 interval=2 ttl=4 checksum=2 version=2 auth=4 malformed=0"
}

@test "vrrpctl receive validation: configured without authentication, a v2 PASS advert is an auth-type mismatch, dropped and counted" {
	cat > "$LAB_DIR/h1.conf" <<EOF
global_defs {
	router_id h1
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 100
	advert_int 1
	virtual_ipaddress {
		192.0.2.240/24
	}
}
EOF
	start_vrrpctl
	lab_wait 8 state_is VI_1 MASTER
	expect VI_1 "rx=0 interval=0 ttl=0 checksum=0 version=0 auth=0 malformed=0"
	# RFC 3768 7.1: the auth type must match ours (none)
	forge -r 51 -v 2 -p 200 -t 100 -a secret1 192.0.2.240
	expect VI_1 "rx=0 interval=0 ttl=0 checksum=0 version=0 auth=2 malformed=0"
	state_is VI_1 MASTER
	[ "$(stepdowns VI_1)" -eq 0 ]
	# the control: the same advert without authentication is obeyed
	forge -r 51 -v 2 -p 200 -t 100 -c 1 192.0.2.240
	lab_wait 3 state_is VI_1 BACKUP
	expect VI_1 "rx=1 interval=0 ttl=0 checksum=0 version=0 auth=2 malformed=0"
}

@test "vrrpctl receive validation, v3 IPv4: both checksum variants accepted (with v3_checksum_as_v2 too), a damaged one or a bad TTL dropped" {
	for variant in "" v3_checksum_as_v2; do
		cat > "$LAB_DIR/h1.conf" <<EOF
global_defs {
	router_id h1
	vrrp_version 3
}
vrrp_instance VI_3 {
	state BACKUP
	interface eth0
	virtual_router_id 53
	priority 100
	advert_int 0.1
	$variant
	virtual_ipaddress {
		192.0.2.243/24
	}
}
EOF
		rm -f "$LAB_DIR/vrrpctl.log"
		start_vrrpctl
		lab_wait 5 state_is VI_3 MASTER
		# what it sends: tshark and vrrp-listen name the checksum variant
		run -0 lab_exec h2 "$VIPKIT_BIN/vrrp-listen" -i eth0 -d 53 -c 2 -t 5 --json
		echo "$output"
		if [ -n "$variant" ]; then
			[ "$(jq -r .checksum <<<"${lines[0]}")" = rfc9568 ]
		else
			[ "$(jq -r .checksum <<<"${lines[0]}")" = pseudo-header ]
		fi
		[ "$(jq -r .verdict <<<"${lines[0]}")" = ok ]
		# damaged checksum, TTL 254: dropped, the Master stays
		forge -r 53 -v 3 -p 200 -t 10 -b 192.0.2.243
		forge -r 53 -v 3 -p 200 -t 10 -T 254 192.0.2.243
		expect VI_3 "rx=0 interval=0 ttl=2 checksum=2 version=0 auth=0 malformed=0"
		state_is VI_3 MASTER
		[ "$(stepdowns VI_3)" -eq 0 ]
		# valid with the pseudo-header: obeyed (steps down, then takes
		# over again 0.36 s later when h2 stays silent)
		forge -r 53 -v 3 -p 200 -t 10 -c 1 192.0.2.243
		lab_wait 3 eval '[ "$(stepdowns VI_3)" -eq 1 ]'
		lab_wait 3 state_is VI_3 MASTER
		# valid without it (RFC 9568): obeyed as well
		forge -r 53 -v 3 -p 200 -t 10 -c 1 -9 192.0.2.243
		lab_wait 3 eval '[ "$(stepdowns VI_3)" -eq 2 ]'
		lab_wait 3 state_is VI_3 MASTER
		expect VI_3 "rx=2 interval=0 ttl=2 checksum=2 version=0 auth=0 malformed=0"
		kill -TERM "$VPID"
		wait "$VPID"
	done
}

@test "vrrpctl receive validation, v3 IPv6: a hop limit other than 255 or a damaged checksum is dropped and counted; a valid advert is obeyed" {
	cat > "$LAB_DIR/h1.conf" <<EOF
vrrp_instance VI_6 {
	state BACKUP
	interface eth0
	virtual_router_id 61
	priority 100
	advert_int 0.1
	virtual_ipaddress {
		2001:db8::240/64
	}
}
EOF
	start_vrrpctl
	lab_wait 5 state_is VI_6 MASTER
	forge -6 -r 61 -v 3 -p 200 -t 10 -T 64 2001:db8::240
	forge -6 -r 61 -v 3 -p 200 -t 10 -b 2001:db8::240
	expect VI_6 "rx=0 interval=0 ttl=2 checksum=2 version=0 auth=0 malformed=0"
	state_is VI_6 MASTER
	[ "$(stepdowns VI_6)" -eq 0 ]
	forge -6 -r 61 -v 3 -p 200 -t 10 -c 1 2001:db8::240
	lab_wait 3 eval '[ "$(stepdowns VI_6)" -eq 1 ]'
	expect VI_6 "rx=1 interval=0 ttl=2 checksum=2 version=0 auth=0 malformed=0"
}

# -------------------------------------------------------------- GARP

@test "vrrpctl garp_master_delay 1 / repeat 3 / refresh 2 / refresh_repeat 2: the gratuitous ARPs on the wire, per VIP" {
	cat > "$LAB_DIR/h1.conf" <<EOF
global_defs {
	router_id h1
	vrrp_version 3
}
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 150
	advert_int 0.1
	garp_master_delay 1
	garp_master_repeat 3
	garp_master_refresh 2
	garp_master_refresh_repeat 2
	virtual_ipaddress {
		192.0.2.240/24
		192.0.2.241/24
	}
}
EOF
	lab_tshark_start sw br0 "$LAB_DIR/g.pcap" arp
	start_vrrpctl
	lab_wait 5 has_addr h1 192.0.2.241
	# 3 at once, 3 after 1 s, 2 at 2 s and 2 at 4 s: 10 per VIP by 4.x s
	sleep 4.6
	lab_capture_wait "$LAB_DIR/g.pcap" 20 'arp.src.proto_ipv4 == arp.dst.proto_ipv4'
	mac=$(lab_mac h1)
	for vip in 192.0.2.240 192.0.2.241; do
		# gratuitous: sender = target = the VIP, from h1's MAC, broadcast
		run --separate-stderr tshark -r "$LAB_DIR/g.pcap" -Y "arp.src.proto_ipv4 == $vip" \
		    -T fields -e frame.time_epoch -e arp.dst.proto_ipv4 \
		    -e arp.src.hw_mac -e eth.dst
		[ "$status" -eq 0 ]
		echo "$output" > "$LAB_DIR/$vip.rows"
		cut -f2- "$LAB_DIR/$vip.rows" | sort | uniq -c
		[ "$(cut -f2- "$LAB_DIR/$vip.rows" | sort -u)" = "$(printf '%s\t%s\tff:ff:ff:ff:ff:ff' "$vip" "$mac")" ]
		# bursts by time from the first frame, with slack
		run awk -F'\t' 'NR == 1 { t0 = $1 } {
			d = $1 - t0
			if (d < 0.5) b = "0s"
			else if (d >= 0.6 && d < 1.5) b = "1s"
			else if (d >= 1.6 && d < 2.6) b = "2s"
			else if (d >= 3.5 && d < 4.6) b = "4s"
			else b = "off-schedule(" d ")"
			n[b]++; order[b] = order[b] ? order[b] : NR
		} END {
			printf "0s=%d 1s=%d 2s=%d 4s=%d", n["0s"], n["1s"], n["2s"], n["4s"]
			for (b in n) if (b ~ /^off/) printf " %s=%d", b, n[b]
		}' "$LAB_DIR/$vip.rows"
		echo "$vip: $output"
		[ "$output" = "0s=3 1s=3 2s=2 4s=2" ]
	done
}

# ------------------------------------------------------------ syslog

@test "vrrpctl run --syslog: transitions go to /dev/log as 'vrrpctl[PID]: ...' at daemon.info, not to stderr" {
	cat > "$LAB_DIR/h1.conf" <<EOF
vrrp_instance VI_1 {
	state BACKUP
	interface eth0
	virtual_router_id 51
	priority 150
	advert_int 0.1
	version 3
	virtual_ipaddress {
		192.0.2.240/24
	}
}
EOF
	HOST_DEVLOG=$(stat -c %F /dev/log 2>&1 || :)
	# our own /dev/log: a datagram sink bound in LAB_DIR, mounted over
	# /dev/log in a private mount namespace of vrrpctl's alone (a tmpfs
	# /dev holding the few device nodes a daemon uses), so the host's
	# syslog is neither used nor touched
	"$VIPKIT_TOOLS/dgram-sink" -w 60 "$LAB_DIR/log.sock" > "$LAB_DIR/syslog.txt" 2>&1 3>&- &
	echo $! >> "$LAB_DIR/pids"
	lab_wait 5 test -S "$LAB_DIR/log.sock"
	mkdir "$LAB_DIR/olddev"
	lab_bg h1 "$LAB_DIR/vrrpctl.log" unshare -m --propagation private sh -ec '
		d=$1; shift
		mount --bind /dev "$d/olddev"
		mount -t tmpfs -o mode=0755 vipkit-dev /dev
		for n in null zero full random urandom; do
			: > "/dev/$n"
			mount --bind "$d/olddev/$n" "/dev/$n"
		done
		: > /dev/log
		mount --bind "$d/log.sock" /dev/log
		exec "$@"' sh "$LAB_DIR" "$V" run -f "$LAB_DIR/h1.conf" --control "$CTL" --syslog
	VPID=$LAB_PID
	lab_wait 5 test -S "$CTL"
	lab_wait 5 has_addr h1 192.0.2.240
	lab_wait 5 grep -q "VI_1: BACKUP -> MASTER" "$LAB_DIR/syslog.txt"
	cat "$LAB_DIR/syslog.txt"
	# <30> = LOG_DAEMON | LOG_INFO; the ident is the program name, with
	# the daemon's pid
	pid=$(ip netns pids "$LAB-h1" | while read -r p; do
		[ "$(cat /proc/$p/comm 2>/dev/null)" = vrrpctl ] && echo "$p"
	done | head -1)
	[ -n "$pid" ]
	grep -Eq "^<30>.*vrrpctl\[$pid\]: VI_1: BACKUP -> MASTER$" "$LAB_DIR/syslog.txt"
	grep -Eq "^<30>.*vrrpctl\[$pid\]: VI_1: INIT -> BACKUP$" "$LAB_DIR/syslog.txt"
	# nothing of it on stderr
	run grep -c -- "->" "$LAB_DIR/vrrpctl.log"
	cat "$LAB_DIR/vrrpctl.log"
	[ "$output" -eq 0 ]
	# the stop is logged there too
	kill -TERM "$pid"
	lab_wait 5 grep -q "vrrpctl\[$pid\]: VI_1: MASTER -> STOP" "$LAB_DIR/syslog.txt"
	# and the host's /dev/log is as it was
	[ "$(stat -c %F /dev/log 2>&1 || :)" = "$HOST_DEVLOG" ]
}
