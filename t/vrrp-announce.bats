#!/usr/bin/env bats
# vrrp-announce: what it puts on the wire, as tshark decodes it from a
# capture on the lab bridge; keepalived as the other router; lib/sock's
# receive side (t/tools/vrrp-recv-once); every error path.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	VA=$VIPKIT_BIN/vrrp-announce
	RECV=$VIPKIT_TOOLS/vrrp-recv-once
}

teardown() {
	lab_teardown
}

lab2() {
	lab_init
	lab_host h1 1
	lab_host h2 2
}

# fields PCAP [tshark options] -e FIELD...: VRRP packets only (not the
# copies inside ICMP errors), space separated, one line per packet.
fields() {
	local pcap=$1
	shift
	tshark -r "$pcap" -Y 'vrrp && !icmp && !icmpv6' -T fields \
	    -E separator=' ' -E occurrence=a -E aggregator=, "$@" 2>/dev/null
}

cap_start() {
	lab_tshark_start sw br0 "$LAB_DIR/${1:-p}.pcap" "ip proto 112 or ip6 proto 112"
}

# cap_stop N [NAME]: stop once N VRRP packets are in the file (at most 5 s).
cap_stop() {
	lab_capture_wait "$LAB_DIR/${2:-p}.pcap" "$1" 'vrrp && !icmp && !icmpv6'
}

# capture_h1 N CMD...: capture everything VRRP on the bridge while CMD
# runs in h1 and N packets arrive; CMD's result is in $status/$output.
capture_h1() {
	local n=$1
	shift
	cap_start
	run lab_exec h1 "$@"
	cap_stop "$n"
}

# ---------------------------------------------------------------- the wire

@test "vrrp-announce: v2 with PASS auth, as tshark decodes it" {
	lab2
	printf 'secret1\n' > "$LAB_DIR/pass"
	capture_h1 1 "$VA" -i eth0 -r 51 -p 150 -v 2 -t 3 \
	    -a "$LAB_DIR/pass" -c 1 192.0.2.230 192.0.2.231
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "sent v2 vrid 51 priority 150 interval 3.00s 192.0.2.1 -> 224.0.0.18 on eth0: 192.0.2.230 192.0.2.231" ]
	run fields "$LAB_DIR/p.pcap" -e ip.src -e ip.dst -e ip.ttl \
	    -e vrrp.version -e vrrp.type -e vrrp.virt_rtr_id -e vrrp.prio \
	    -e vrrp.addr_count -e vrrp.auth_type -e vrrp.adver_int \
	    -e vrrp.checksum.status -e vrrp.ip_addr -e vrrp.auth_string
	echo "$output"
	[ "$output" = "192.0.2.1 224.0.0.18 255 2 1 51 150 2 1 3 1 192.0.2.230,192.0.2.231 secret1" ]
}

@test "vrrp-announce: v3/IPv4 priority 0, checksum with the pseudo-header by default" {
	lab2
	capture_h1 2 "$VA" -q -i eth0 -r 52 -p 0 -t 0.1 -c 2 192.0.2.232
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run fields "$LAB_DIR/p.pcap" -e ip.src -e ip.dst -e ip.ttl \
	    -e vrrp.version -e vrrp.virt_rtr_id -e vrrp.prio \
	    -e vrrp.addr_count -e vrrp.short_adver_int -e vrrp.ip_addr \
	    -e vrrp.checksum.status
	echo "$output"
	[ "${lines[0]}" = "192.0.2.1 224.0.0.18 255 3 52 0 1 10 192.0.2.232 1" ]
	[ "${lines[1]}" = "${lines[0]}" ]
	[ "${#lines[@]}" -eq 2 ]
	# Under the RFC 9568 reading the same packets are wrong.
	run fields "$LAB_DIR/p.pcap" -o vrrp.v3_checksum_as_in_v2:TRUE \
	    -e vrrp.checksum.status
	[ "$output" = "$(printf '0\n0')" ]
}

@test "vrrp-announce: --checksum-rfc9568 is bad for tshark's default, good with v3_checksum_as_in_v2" {
	lab2
	capture_h1 1 "$VA" -q -i eth0 -r 53 --checksum-rfc9568 -c 1 192.0.2.233
	[ "$status" -eq 0 ]
	run fields "$LAB_DIR/p.pcap" -e vrrp.version -e vrrp.virt_rtr_id \
	    -e vrrp.checksum.status
	[ "$output" = "3 53 0" ]
	run fields "$LAB_DIR/p.pcap" -o vrrp.v3_checksum_as_in_v2:TRUE \
	    -e vrrp.checksum.status
	[ "$output" = "1" ]
}

@test "vrrp-announce: v3/IPv6 from the link-local address to ff02::12, hop limit 255" {
	lab2
	local ll
	ll=$(lab_lladdr h1)
	[[ "$ll" == fe80::* ]]
	capture_h1 1 "$VA" -i eth0 -r 54 -p 255 -t 40.95 -c 1 \
	    2001:db8::230 2001:db8::231
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$output" = "sent v3 vrid 54 priority 255 interval 40.95s $ll -> ff02::12 on eth0: 2001:db8::230 2001:db8::231" ]
	run fields "$LAB_DIR/p.pcap" -e ipv6.src -e ipv6.dst -e ipv6.hlim \
	    -e vrrp.version -e vrrp.virt_rtr_id -e vrrp.prio \
	    -e vrrp.addr_count -e vrrp.short_adver_int -e vrrp.ipv6_addr \
	    -e vrrp.checksum.status
	echo "$output"
	[ "$output" = "$ll ff02::12 255 3 54 255 2 4095 2001:db8::230,2001:db8::231 1" ]
}

@test "vrrp-announce: --count sends exactly N, paced by --interval" {
	lab2
	local t0 t1
	cap_start
	t0=$(date +%s%N)
	run lab_exec h1 "$VA" -i eth0 -r 55 -t 0.25 -c 5 192.0.2.234
	t1=$(date +%s%N)
	# a sixth packet would show up within this second
	sleep 1
	cap_stop 5
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 5 ]
	run fields "$LAB_DIR/p.pcap" -e frame.time_relative -e vrrp.virt_rtr_id
	echo "$output"
	[ "${#lines[@]}" -eq 5 ]
	# four gaps of 0.25 s: at least 0.9 s from the first to the last
	awk 'NR == 1 { f = $1 } END { exit !($1 - f >= 0.9 && $1 - f < 2.5) }' \
	    <<<"$output"
	[ $(( (t1 - t0) / 1000000 )) -ge 1000 ]
}

@test "vrrp-announce: --unicast sends to each peer and not to the group" {
	lab2
	lab_host h3 3
	capture_h1 4 "$VA" -j -i eth0 -r 56 -c 2 -t 0.1 -u 192.0.2.2 \
	    --unicast 192.0.2.3 192.0.2.235
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == *'"seq":1,'*'"dst":"192.0.2.2"'* ]]
	[[ "${lines[1]}" == *'"seq":1,'*'"dst":"192.0.2.3"'* ]]
	[[ "${lines[3]}" == *'"seq":2,'*'"dst":"192.0.2.3"'* ]]
	run fields "$LAB_DIR/p.pcap" -e ip.src -e ip.dst -e ip.ttl \
	    -e vrrp.virt_rtr_id -e vrrp.checksum.status
	echo "$output"
	[ "$output" = "$(printf '%s\n' "192.0.2.1 192.0.2.2 255 56 1" \
	    "192.0.2.1 192.0.2.3 255 56 1" "192.0.2.1 192.0.2.2 255 56 1" \
	    "192.0.2.1 192.0.2.3 255 56 1")" ]
}

@test "vrrp-announce: --unicast over IPv6 carries a checksum for the peer" {
	lab2
	capture_h1 1 "$VA" -q -i eth0 -r 57 -c 1 -u 2001:db8::2 2001:db8::235
	[ "$status" -eq 0 ]
	run fields "$LAB_DIR/p.pcap" -e ipv6.dst -e ipv6.hlim -e vrrp.checksum.status
	[ "$output" = "2001:db8::2 255 1" ]
}

@test "vrrp-announce: --source picks the address sent from (IPv4 and IPv6)" {
	lab2
	lab_exec h1 ip addr add 192.0.2.11/24 dev eth0
	cap_start
	run lab_exec h1 "$VA" -q -i eth0 -r 58 -c 1 --source 192.0.2.11 192.0.2.236
	[ "$status" -eq 0 ]
	run lab_exec h1 "$VA" -q -i eth0 -r 59 -c 1 -s 2001:db8::1 2001:db8::236
	[ "$status" -eq 0 ]
	cap_stop 2
	run fields "$LAB_DIR/p.pcap" -e ip.src -e ipv6.src -e vrrp.virt_rtr_id \
	    -e vrrp.checksum.status
	echo "$output"
	[ "${lines[0]}" = "192.0.2.11  58 1" ]
	[ "${lines[1]}" = " 2001:db8::1 59 1" ]
}

@test "vrrp-announce: --json prints one object per advertisement" {
	lab2
	run lab_exec h1 "$VA" -q --json --interface eth0 --vrid 60 --priority 7 \
	    --interval 0.5 --count 1 192.0.2.237
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == '{"time":'*',"seq":1,"interface":"eth0","src":"192.0.2.1","dst":"224.0.0.18","ttl":255,"version":3,"vrid":60,"priority":7,"interval_cs":50,"addresses":["192.0.2.237"],"auth":null,"checksum":"pseudo-header","bytes":12}' ]]
}

@test "vrrp-announce: SIGTERM and SIGINT stop it with exit 0 and nothing more is sent" {
	lab2
	local sig pid rc n
	for sig in TERM INT; do
		cap_start "$sig"
		lab_bg h1 "$LAB_DIR/$sig.log" "$VA" -i eth0 -r 61 -t 0.2 192.0.2.238
		pid=$LAB_PID
		lab_wait 5 grep -q "vrid 61" "$LAB_DIR/$sig.log"
		sleep 0.5
		kill -"$sig" "$pid"
		rc=0
		wait "$pid" || rc=$?
		[ "$rc" -eq 0 ]
		n=$(wc -l < "$LAB_DIR/$sig.log")
		# anything sent after the signal would show up within this second
		sleep 1.2
		cap_stop "$n" "$sig"
		run fields "$LAB_DIR/$sig.pcap" -e vrrp.virt_rtr_id
		echo "$sig: $n lines, ${#lines[@]} packets"
		[ "$n" -ge 2 ]
		[ "${#lines[@]}" -eq "$n" ]
	done
}

# ------------------------------------------------------- keepalived interop

# keepalived_backup VERSION [AUTH]: keepalived on h2, BACKUP, priority 100,
# VRID 71, 1 s adverts, VIP 192.0.2.240.
keepalived_backup() {
	local version=$1 pass=${2:-}
	{
		printf 'global_defs {\n\trouter_id h2\n\tvrrp_version %s\n}\n' "$version"
		printf 'vrrp_instance VI_1 {\n\tstate BACKUP\n\tinterface eth0\n'
		printf '\tvirtual_router_id 71\n\tpriority 100\n\tadvert_int 1\n'
		if [ -n "$pass" ]; then
			printf '\tauthentication {\n\t\tauth_type PASS\n'
			printf '\t\tauth_pass %s\n\t}\n' "$pass"
		fi
		printf '\tvirtual_ipaddress {\n\t\t192.0.2.240/24\n\t}\n}\n'
	} > "$LAB_DIR/ka.conf"
	lab_keepalived h2 "$LAB_DIR/ka.conf"
}

# Announce priority 200 while keepalived starts and waits well past its
# Master_Down_Interval (3 * 1 s + skew): it must stay BACKUP and silent.
# Then priority 0: it must take over within about its skew time (0.6 s),
# far sooner than the 3.6 s it would wait without it.
interop() {
	local ka=$LAB_DIR/keepalived.h2.log ann t0 t1
	shift 0
	cap_start ka
	lab_bg h1 "$LAB_DIR/ann.log" "$VA" -q -i eth0 -r 71 -p 200 -t 1 "$@" 192.0.2.240
	ann=$LAB_PID
	sleep 0.3
	keepalived_backup "$KA_VERSION" "${KA_PASS:-}"
	lab_wait 10 grep -q "Entering BACKUP STATE" "$ka"
	sleep 5
	run grep -c "Entering MASTER STATE" "$ka"
	[ "$output" -eq 0 ]
	run fields "$LAB_DIR/ka.pcap" -e ip.src
	[[ "$output" == *192.0.2.1* ]]
	[[ "$output" != *192.0.2.2* ]]
	kill -TERM "$ann"
	wait "$ann"
	t0=$(date +%s%N)
	run lab_exec h1 "$VA" -q -i eth0 -r 71 -p 0 -t 1 -c 1 "$@" 192.0.2.240
	[ "$status" -eq 0 ]
	lab_wait 5 grep -q "Entering MASTER STATE" "$ka"
	t1=$(date +%s%N)
	echo "takeover after $(( (t1 - t0) / 1000000 )) ms"
	[ $(( (t1 - t0) / 1000000 )) -lt 2500 ]
	grep -q "Backup received priority 0 advertisement" "$ka"
	# keepalived now advertises, and lib/sock's receive side decodes it.
	run lab_exec h1 "$RECV" -4 -i eth0 -n 1 -w 3000 ${KA_PASS:+-a "$KA_PASS"}
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" == "src=192.0.2.2 dst=224.0.0.18 ttl=255 "*" verdict=ok version=$KA_VERSION vrid=71 priority=100 interval_cs=100 "*"addrs=192.0.2.240" ]]
	cap_stop 8 ka
	run fields "$LAB_DIR/ka.pcap" -e ip.src -e vrrp.prio
	echo "$output"
	[[ "$output" == *"192.0.2.1 0"* ]]
	[[ "$output" == *"192.0.2.2 100"* ]]
}

@test "vrrp-announce: keepalived (v3) stays BACKUP under priority 200, takes over on priority 0" {
	lab2
	KA_VERSION=3
	interop
}

@test "vrrp-announce: keepalived (v2, PASS auth) accepts our password and stays BACKUP, takes over on priority 0" {
	lab2
	KA_VERSION=2
	KA_PASS=secret1
	printf 'secret1\n' > "$LAB_DIR/pass"
	interop -v 2 -a "$LAB_DIR/pass"
}

# ------------------------------------------------- lib/sock receive side

@test "lib/sock: a receiving socket gets v2, v3/IPv4 (both checksums) and v3/IPv6 with src, dst and TTL" {
	lab2
	printf 'secret1\n' > "$LAB_DIR/pass"
	lab_bg h2 "$LAB_DIR/r4" "$RECV" -4 -i eth0 -n 3 -w 8000 -a secret1
	local r4=$LAB_PID
	lab_bg h2 "$LAB_DIR/r6" "$RECV" -6 -i eth0 -n 2 -w 8000
	local r6=$LAB_PID
	lab_wait 5 grep -q listening "$LAB_DIR/r4"
	lab_wait 5 grep -q listening "$LAB_DIR/r6"
	lab_exec h1 "$VA" -q -i eth0 -r 81 -p 0 -t 0.1 -c 1 192.0.2.100 192.0.2.101
	lab_exec h1 "$VA" -q -i eth0 -r 82 -c 1 --checksum-rfc9568 192.0.2.100
	lab_exec h1 "$VA" -q -i eth0 -r 83 -v 2 -a "$LAB_DIR/pass" -c 1 192.0.2.100
	lab_exec h1 "$VA" -q -i eth0 -r 84 -c 1 2001:db8::100
	# the same kind of socket sends too
	run lab_exec h1 "$RECV" -6 -i eth0 -x 2001:db8::99 -w 100
	wait "$r4"
	wait "$r6"
	cat "$LAB_DIR/r4" "$LAB_DIR/r6"
	local ll
	ll=$(lab_lladdr h1)
	run cat "$LAB_DIR/r4"
	[ "${lines[0]}" = "listening on eth0 ifindex 2 joined=1" ]
	[ "${lines[1]}" = "src=192.0.2.1 dst=224.0.0.18 ttl=255 ifindex=2 len=16 verdict=ok version=3 vrid=81 priority=0 interval_cs=10 checksum=pseudo-header addrs=192.0.2.100,192.0.2.101" ]
	[ "${lines[2]}" = "src=192.0.2.1 dst=224.0.0.18 ttl=255 ifindex=2 len=12 verdict=ok version=3 vrid=82 priority=100 interval_cs=100 checksum=rfc9568 addrs=192.0.2.100" ]
	[ "${lines[3]}" = "src=192.0.2.1 dst=224.0.0.18 ttl=255 ifindex=2 len=20 verdict=ok version=2 vrid=83 priority=100 interval_cs=100 checksum=v2 addrs=192.0.2.100" ]
	run cat "$LAB_DIR/r6"
	[ "${lines[1]}" = "src=$ll dst=ff02::12 ttl=255 ifindex=2 len=24 verdict=ok version=3 vrid=84 priority=100 interval_cs=100 checksum=pseudo-header addrs=2001:db8::100" ]
	[ "${lines[2]}" = "src=$ll dst=ff02::12 ttl=255 ifindex=2 len=24 verdict=ok version=3 vrid=99 priority=1 interval_cs=100 checksum=pseudo-header addrs=2001:db8::99" ]
}

@test "lib/sock: a wrong v2 password, a unicast advert and a TTL below 255 are seen as such" {
	lab2
	printf 'other\n' > "$LAB_DIR/pass"
	lab_bg h2 "$LAB_DIR/r4" "$RECV" -4 -i eth0 -n 1 -w 8000 -a secret1
	local r=$LAB_PID
	lab_wait 5 grep -q listening "$LAB_DIR/r4"
	lab_exec h1 "$VA" -q -i eth0 -r 85 -v 2 -a "$LAB_DIR/pass" -c 1 192.0.2.100
	wait "$r"
	run cat "$LAB_DIR/r4"
	[[ "${lines[1]}" == "src=192.0.2.1 dst=224.0.0.18 ttl=255 "*" verdict=auth-mismatch version=2 vrid=85 "* ]]
	# h1 reaches h3 (192.0.2.130) only through h2, which forwards: TTL 254.
	lab_host h3 130
	lab_exec h2 sysctl -qw net.ipv4.ip_forward=1
	lab_exec h2 sysctl -qw net.ipv4.conf.all.send_redirects=0 \
	    net.ipv4.conf.eth0.send_redirects=0
	lab_exec h1 ip route add 192.0.2.128/25 via 192.0.2.2
	lab_bg h3 "$LAB_DIR/r3" "$RECV" -4 -i eth0 -n 2 -w 8000
	r=$LAB_PID
	lab_wait 5 grep -q listening "$LAB_DIR/r3"
	lab_exec h2 "$VA" -q -i eth0 -r 86 -c 1 -u 192.0.2.130 192.0.2.100
	lab_exec h1 "$VA" -q -i eth0 -r 87 -c 1 -u 192.0.2.130 192.0.2.100
	wait "$r"
	run cat "$LAB_DIR/r3"
	echo "$output"
	[[ "${lines[1]}" == "src=192.0.2.2 dst=192.0.2.130 ttl=255 "*" verdict=ok version=3 vrid=86 "* ]]
	[[ "${lines[2]}" == "src=192.0.2.1 dst=192.0.2.130 ttl=254 "*" verdict=bad-ttl version=3 vrid=87 "* ]]
}

# ---------------------------------------------------------------- errors

@test "vrrp-announce: --help, --version, -V and a bad option" {
	run "$VA" --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: vrrp-announce -i IF -r VRID"* ]]
	[[ "$output" == *"--checksum-rfc9568"* ]]
	run "$VA" --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^vrrp-announce\ \(vipkit\)\ [0-9] ]]
	run "$VA" -V
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^vrrp-announce\ \(vipkit\)\ [0-9] ]]
	run --separate-stderr "$VA" --bogus
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"usage: vrrp-announce"* ]]
	[[ "$stderr" == "vrrp-announce: unrecognized option '--bogus'"* ]]
}

# usage_err EXPECTED-MESSAGE ARGS...: exit 2, the message on stderr,
# nothing on stdout.
usage_err() {
	local want=$1
	shift
	run --separate-stderr "$VA" "$@"
	echo "args: $* -> $status: $stderr"
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"$want"* ]]
}

@test "vrrp-announce: usage errors exit 2 and say what is wrong" {
	printf '123456789\n' > "$BATS_TEST_TMPDIR/long"
	printf '12345678\n' > "$BATS_TEST_TMPDIR/eight"
	: > "$BATS_TEST_TMPDIR/empty"
	usage_err "--interface is required" -r 1 192.0.2.1
	usage_err "--vrid is required" -i eth0 192.0.2.1
	usage_err "no virtual address given" -i eth0 -r 1
	usage_err "--vrid: '0' is out of range (1 to 255)" -i eth0 -r 0 192.0.2.1
	usage_err "--vrid: '256' is out of range (1 to 255)" -i eth0 -r 256 192.0.2.1
	usage_err "--vrid: 'x' is not a whole number" -i eth0 -r x 192.0.2.1
	usage_err "--priority: '256' is out of range (0 to 255)" -i eth0 -r 1 -p 256 192.0.2.1
	usage_err "--priority: '-1' is out of range (0 to 255)" -i eth0 -r 1 -p -1 192.0.2.1
	usage_err "--version: '4' is out of range (2 to 3)" -i eth0 -r 1 --version 4 192.0.2.1
	usage_err "--interval: '0.5': VRRP version 2 needs whole seconds from 1 to 255" \
	    -i eth0 -r 1 -v 2 -t 0.5 192.0.2.1
	usage_err "--interval: '256': VRRP version 2 needs whole seconds from 1 to 255" \
	    -i eth0 -r 1 -v 2 -t 256 192.0.2.1
	usage_err "--interval: '0.001' has more than 2 decimals" -i eth0 -r 1 -t 0.001 192.0.2.1
	usage_err "--interval: '41' is out of range (0.01 to 40.95)" -i eth0 -r 1 -t 41 192.0.2.1
	usage_err "--interval: '0' is out of range (0.01 to 40.95)" -i eth0 -r 1 -t 0 192.0.2.1
	usage_err "--count: '0' is out of range" -i eth0 -r 1 -c 0 192.0.2.1
	usage_err "VRRP version 2 is IPv4 only (RFC 3768); use --version 3 for IPv6 addresses" \
	    -i eth0 -r 1 -v 2 2001:db8::1
	usage_err "'2001:db8::1' is IPv6, but the virtual addresses are IPv4: all addresses must be of one family" \
	    -i eth0 -r 1 192.0.2.1 2001:db8::1
	usage_err "--unicast: '2001:db8::2' is IPv6, but the virtual addresses are IPv4" \
	    -i eth0 -r 1 -u 2001:db8::2 192.0.2.1
	usage_err "--source: '192.0.2.1' is IPv4, but the virtual addresses are IPv6" \
	    -i eth0 -r 1 -s 192.0.2.1 2001:db8::1
	usage_err "vrrp-announce: '192.0.2.300': not an address" -i eth0 -r 1 192.0.2.300
	usage_err "vrrp-announce: '192.0.2.0/24': takes an address without a prefix length" \
	    -i eth0 -r 1 192.0.2.0/24
	usage_err "vrrp-announce: --unicast: 'peer': not an address" -i eth0 -r 1 -u peer 192.0.2.1
	usage_err "vrrp-announce: --unicast: '224.0.0.18': a multicast address is not usable" \
	    -i eth0 -r 1 -u 224.0.0.18 192.0.2.1
	usage_err "vrrp-announce: --source: '::': the unspecified address is not usable" \
	    -i eth0 -r 1 -s :: 2001:db8::1
	usage_err "--auth-pass-file: authentication exists only in VRRP version 2" \
	    -i eth0 -r 1 -a "$BATS_TEST_TMPDIR/eight" 192.0.2.1
	usage_err "--auth-pass-file: $BATS_TEST_TMPDIR/long: the password is 9 bytes, VRRP allows at most 8" \
	    -i eth0 -r 1 -v 2 -a "$BATS_TEST_TMPDIR/long" 192.0.2.1
	usage_err "--auth-pass-file: $BATS_TEST_TMPDIR/empty: the first line is empty" \
	    -i eth0 -r 1 -v 2 -a "$BATS_TEST_TMPDIR/empty" 192.0.2.1
	usage_err "--auth-pass-file: $BATS_TEST_TMPDIR/nope: No such file or directory" \
	    -i eth0 -r 1 -v 2 -a "$BATS_TEST_TMPDIR/nope" 192.0.2.1
	usage_err "--checksum-rfc9568 applies to VRRP version 3 over IPv4 only" \
	    -i eth0 -r 1 -v 2 --checksum-rfc9568 192.0.2.1
	usage_err "--checksum-rfc9568 applies to VRRP version 3 over IPv4 only" \
	    -i eth0 -r 1 --checksum-rfc9568 2001:db8::1
	usage_err "vrrp-announce: option '--version' requires an argument" -i eth0 -r 1 192.0.2.1 --version
}

# sys_err HOST EXPECTED-MESSAGE ARGS...: exit 3 inside HOST, message on stderr.
sys_err() {
	local host=$1 want=$2
	shift 2
	run --separate-stderr lab_exec "$host" "$@"
	echo "args: $* -> $status: $stderr"
	[ "$status" -eq 3 ]
	[ "$stderr" = "$want" ]
}

@test "vrrp-announce: cannot send: exit 3 naming the interface and the reason" {
	lab_init
	lab_host h1 1
	cap_start
	sys_err h1 "vrrp-announce: eth9: no such interface" \
	    "$VA" -i eth9 -r 1 -c 1 192.0.2.100
	sys_err h1 "vrrp-announce: eth0: 192.0.2.77 is not an address of this interface" \
	    "$VA" -i eth0 -r 1 -c 1 -s 192.0.2.77 192.0.2.100
	sys_err h1 "vrrp-announce: lo: no IPv6 link-local address to send from" \
	    "$VA" -i lo -r 1 -c 1 2001:db8::100
	sys_err h1 "vrrp-announce: eth0: raw socket: Operation not permitted (raw sockets need CAP_NET_RAW)" \
	    setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	    --bounding-set=-all "$VA" -i eth0 -r 1 -c 1 192.0.2.100
	lab_exec h1 ip link set eth0 down
	sys_err h1 "vrrp-announce: eth0: send to 224.0.0.18: Network is unreachable" \
	    "$VA" -i eth0 -r 1 -c 1 192.0.2.100
	lab_exec h1 ip link set eth0 up
	lab_exec h1 ip addr del 192.0.2.1/24 dev eth0
	sys_err h1 "vrrp-announce: eth0: no IPv4 address to send from" \
	    "$VA" -i eth0 -r 1 -c 1 192.0.2.100
	lab_exec h1 ip -6 addr flush dev eth0 scope link
	sys_err h1 "vrrp-announce: eth0: no IPv6 link-local address to send from" \
	    "$VA" -i eth0 -r 1 -c 1 2001:db8::100
	sleep 1.2
	lab_tshark_stop
	run fields "$LAB_DIR/p.pcap" -e vrrp.virt_rtr_id
	[ -z "$output" ]
}

# ------------------------------------------------- man page, completions

@test "vrrp-announce: the man page renders without warnings" {
	local page=$BATS_TEST_DIRNAME/../man1/vrrp-announce.1
	run --separate-stderr man --warnings -l "$page"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[[ "$output" == *"EXIT STATUS"* ]]
	[[ "$output" == *"--checksum-rfc9568"* ]]
}

@test "vrrp-announce: bash completion offers interfaces and versions, zsh completion loads" {
	local dir=$BATS_TEST_DIRNAME/../completions
	run bash -c 'source "$1" &&
	    COMP_WORDS=(vrrp-announce --version ""); COMP_CWORD=2; _vrrp_announce;
	    echo "v: ${COMPREPLY[*]}";
	    COMP_WORDS=(vrrp-announce -i ""); COMP_CWORD=2; _vrrp_announce;
	    echo "i: ${COMPREPLY[*]}";
	    COMP_WORDS=(vrrp-announce --chec); COMP_CWORD=1; _vrrp_announce;
	    echo "o: ${COMPREPLY[*]}"' _ "$dir/vrrp-announce"
	echo "$output"
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "v: 2 3" ]
	[[ "${lines[1]}" == "i: "*lo* ]]
	[ "${lines[2]}" = "o: --checksum-rfc9568" ]
	run zsh -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D;
	    print -r -- $_comps[vrrp-announce]' _ "$dir"
	[ "$status" -eq 0 ]
	[ "$output" = "_vrrp-announce" ]
	zsh -n "$dir/_vrrp-announce"
}
