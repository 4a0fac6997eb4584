#!/usr/bin/env bats
# garp-send: a VIP moves from h1 to h2 (vip-add / vip-add --del), garp-send
# on h2 makes h3's ARP and neighbour entries point to h2's MAC without h3
# sending anything; tshark on the bridge checks every frame.
#
# Linux updates an existing ARP entry from a gratuitous ARP and an existing
# neighbour entry from an unsolicited NA with the Override flag; it creates
# no new entry unless arp_accept / accept_untracked_na are set. So h3 first
# talks to the VIP (entry = h1's MAC), and its receive sysctls are set
# explicitly to the kernel defaults that allow the update:
# drop_gratuitous_arp=0, drop_unsolicited_na=0, arp_accept=0.

setup() {
	load lib/lab
	lab_init
	lab_host h1 1
	lab_host h2 2
	lab_host h3 3
	lab_exec h3 sysctl -qw net.ipv4.conf.eth0.drop_gratuitous_arp=0 \
	    net.ipv4.conf.eth0.arp_accept=0 net.ipv6.conf.eth0.drop_unsolicited_na=0
	MAC1=$(lab_mac h1)
	MAC2=$(lab_mac h2)
	MAC3=$(lab_mac h3)
	PCAP=$LAB_DIR/garp.pcap
}

teardown() {
	lab_teardown
}

# neigh HOST ADDRESS: the lladdr HOST has for ADDRESS.
neigh() {
	ip -n "$LAB-$1" neigh show "$2" dev eth0 |
	    awk '{ for (i = 1; i < NF; i++) if ($i == "lladdr") print $(i + 1) }'
}

# Put the VIPs on h1 and make h3 learn h1's MAC for them.
vip_on_h1() {
	lab_exec h1 vip-add -q 192.0.2.230/24 dev eth0
	lab_exec h1 vip-add -q 2001:db8::230/64 dev eth0
	lab_exec h3 ping -c1 -W2 192.0.2.230 >/dev/null
	lab_exec h3 ping -c1 -W2 2001:db8::230 >/dev/null
	[ "$(neigh h3 192.0.2.230)" = "$MAC1" ]
	[ "$(neigh h3 2001:db8::230)" = "$MAC1" ]
}

# Move them to h2; h3 still points to h1 until someone tells it.
move_to_h2() {
	lab_exec h1 vip-add -q --del 192.0.2.230/24 dev eth0
	lab_exec h1 vip-add -q --del 2001:db8::230/64 dev eth0
	lab_exec h2 vip-add -q 192.0.2.230/24 dev eth0
	lab_exec h2 vip-add -q 2001:db8::230/64 dev eth0
	[ "$(neigh h3 192.0.2.230)" = "$MAC1" ]
	[ "$(neigh h3 2001:db8::230)" = "$MAC1" ]
}

# capture_wait N FILTER: stop the capture once it holds N frames matching
# FILTER (at most 5 s).
capture_wait() {
	lab_capture_wait "$PCAP" "$1" "$2"
}

fields() {
	tshark -r "$PCAP" -Y "$1" -T fields -E separator=' ' "${@:2}" 2>/dev/null
}

@test "garp-send: --help, --version, bad options, man page, completions" {
	run garp-send --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: garp-send "* ]]
	run garp-send --version
	[ "$status" -eq 0 ]
	[[ "$output" == "garp-send (vipkit) "* ]]
	run garp-send --bogus 192.0.2.230 dev eth0
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: garp-send"* ]]
	run garp-send 192.0.2.230 eth0
	[ "$status" -eq 2 ]
	[[ "$output" == *"expected ADDRESS dev IFACE"* ]]
	run sh -c "man --warnings -l '$BATS_TEST_DIRNAME/../man1/garp-send.1' 2>&1 >/dev/null"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	local dir=$BATS_TEST_DIRNAME/../completions
	run bash -c 'source "$1" &&
	    COMP_WORDS=(garp-send -c 2 192.0.2.230 ""); COMP_CWORD=4; _garp_send;
	    echo "k: ${COMPREPLY[*]}";
	    COMP_WORDS=(garp-send 192.0.2.230 dev l); COMP_CWORD=3; _garp_send;
	    echo "i: ${COMPREPLY[*]}";
	    COMP_WORDS=(garp-send --rep); COMP_CWORD=1; _garp_send;
	    echo "o: ${COMPREPLY[*]}"' _ "$dir/garp-send"
	[ "$status" -eq 0 ]
	[[ "$output" == *"k: dev"* ]]
	[[ "$output" == *"i: lo"* ]]
	[[ "$output" == *"o: --reply"* ]]
	run zsh -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D;
	    print -r -- $_comps[garp-send]' _ "$dir"
	[ "$status" -eq 0 ]
	[ "$output" = "_garp-send" ]
}

@test "garp-send: after a takeover, h3's ARP and NDP entries point to the new owner" {
	vip_on_h1
	move_to_h2
	lab_tshark_start sw br0 "$PCAP" "arp or icmp6"
	run lab_exec h2 garp-send 192.0.2.230 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "sent 3 gratuitous ARP requests for 192.0.2.230 on eth0 ($MAC2)" ]
	run lab_exec h2 garp-send 2001:db8::230/64 dev eth0
	[ "$status" -eq 0 ]
	local ll2
	ll2=$(lab_lladdr h2)
	[ "$output" = "sent 3 unsolicited neighbor advertisements for 2001:db8::230 on eth0 ($MAC2) from $ll2" ]
	capture_wait 6 "arp || icmpv6.type == 136"
	[ "$(neigh h3 192.0.2.230)" = "$MAC2" ]
	[ "$(neigh h3 2001:db8::230)" = "$MAC2" ]
	# h3 sent no ARP and no neighbour discovery meanwhile
	[ -z "$(fields "eth.src == $MAC3 && (arp || icmpv6.type >= 133)" -e frame.number)" ]

	# three well-formed gratuitous ARP requests
	run fields "arp" -e eth.dst -e eth.src -e arp.opcode -e arp.isgratuitous \
	    -e arp.src.hw_mac -e arp.src.proto_ipv4 -e arp.dst.hw_mac -e arp.dst.proto_ipv4
	echo "$output"
	[ "${#lines[@]}" -eq 3 ]
	for l in "${lines[@]}"; do
		[ "$l" = "ff:ff:ff:ff:ff:ff $MAC2 1 1 $MAC2 192.0.2.230 00:00:00:00:00:00 192.0.2.230" ]
	done
	# three well-formed unsolicited NAs
	run fields "icmpv6.type == 136" -e eth.dst -e eth.src -e ipv6.src -e ipv6.dst \
	    -e ipv6.hlim -e icmpv6.checksum.status -e icmpv6.nd.na.flag.r \
	    -e icmpv6.nd.na.flag.s -e icmpv6.nd.na.flag.o \
	    -e icmpv6.nd.na.target_address -e icmpv6.opt.linkaddr
	echo "$output"
	[ "${#lines[@]}" -eq 3 ]
	for l in "${lines[@]}"; do
		[ "$l" = "33:33:00:00:00:01 $MAC2 $ll2 ff02::1 255 1 0 0 1 2001:db8::230 $MAC2" ]
	done
	# tshark finds nothing to complain about
	[ -z "$(fields "_ws.expert.severity >= warning" -e frame.number)" ]
}

@test "garp-send: --reply sends gratuitous ARP replies that also move the entry" {
	vip_on_h1
	move_to_h2
	lab_tshark_start sw br0 "$PCAP" arp
	run lab_exec h2 garp-send --reply -c 1 192.0.2.230 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "sent 1 gratuitous ARP reply for 192.0.2.230 on eth0 ($MAC2)" ]
	capture_wait 1 arp
	[ "$(neigh h3 192.0.2.230)" = "$MAC2" ]
	run fields "arp" -e eth.dst -e arp.opcode -e arp.isgratuitous \
	    -e arp.src.hw_mac -e arp.src.proto_ipv4 -e arp.dst.hw_mac -e arp.dst.proto_ipv4
	[ "$output" = "ff:ff:ff:ff:ff:ff 2 1 $MAC2 192.0.2.230 $MAC2 192.0.2.230" ]
	run lab_exec h2 garp-send --reply 2001:db8::230 dev eth0
	[ "$status" -eq 2 ]
	[[ "$output" == *"--reply applies to IPv4 (ARP) only"* ]]
}

@test "garp-send: --count and --interval set the number and spacing" {
	lab_exec h2 vip-add -q 192.0.2.230/24 dev eth0
	lab_tshark_start sw br0 "$PCAP" arp
	run lab_exec h2 garp-send -q -c 4 -i 0.3 192.0.2.230 dev eth0
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	capture_wait 4 "arp.isgratuitous == 1"
	run fields "arp.isgratuitous == 1" -e frame.time_relative
	echo "$output"
	[ "${#lines[@]}" -eq 4 ]
	# first to last: 3 intervals of 0.3 s (slack for a busy machine)
	awk -v a="${lines[0]}" -v b="${lines[3]}" \
	    'BEGIN { d = b - a; exit !(d >= 0.85 && d < 2.5) }'
	run lab_exec h2 garp-send --json -c 2 -i 0 192.0.2.230 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "{\"address\":\"192.0.2.230\",\"dev\":\"eth0\",\"type\":\"arp-request\",\"mac\":\"$MAC2\",\"sent\":2,\"interval\":0.000,\"configured\":true}" ]
	run lab_exec h2 garp-send -c 0 192.0.2.230 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "garp-send: --count: '0' is out of range (1 to 1000)" ]
	run lab_exec h2 garp-send -c 1001 192.0.2.230 dev eth0
	[ "$status" -eq 2 ]
	run lab_exec h2 garp-send -i 0.0001 192.0.2.230 dev eth0
	[ "$status" -eq 2 ]
	run lab_exec h2 garp-send -i soon 192.0.2.230 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "garp-send: --interval: 'soon' is not a number" ]
	run lab_exec h2 garp-send -i 61 192.0.2.230 dev eth0
	[ "$status" -eq 2 ]
}

@test "garp-send: refuses an address not configured (exit 1) unless --force" {
	lab_tshark_start sw br0 "$PCAP" "arp or icmp6"
	run lab_exec h2 garp-send 192.0.2.240 dev eth0
	[ "$status" -eq 1 ]
	[ "$output" = "garp-send: 192.0.2.240: not configured on eth0 (--force announces it anyway)" ]
	run lab_exec h2 garp-send 2001:db8::240 dev eth0
	[ "$status" -eq 1 ]
	# the address on another host is not ours either
	run lab_exec h2 garp-send 192.0.2.1 dev eth0
	[ "$status" -eq 1 ]
	run lab_exec h2 garp-send --force --json -c 1 192.0.2.241 dev eth0
	[ "$status" -eq 0 ]
	[[ "$output" == *'"sent":1,'*'"configured":false}' ]]
	capture_wait 1 "arp.src.proto_ipv4 == 192.0.2.241"
	[ -z "$(fields "arp.src.proto_ipv4 == 192.0.2.240 || icmpv6.nd.na.target_address == 2001:db8::240 || arp.src.proto_ipv4 == 192.0.2.1" -e frame.number)" ]
	[ "$(fields "arp.src.proto_ipv4 == 192.0.2.241" -e arp.isgratuitous)" = "1" ]
}

@test "garp-send: a tentative IPv6 address is not announced" {
	lab_exec h2 sysctl -qw net.ipv6.conf.eth0.accept_dad=1 \
	    net.ipv6.conf.eth0.dad_transmits=3
	ip -n "$LAB-h2" addr add 2001:db8::240/64 dev eth0
	run ip -n "$LAB-h2" -6 addr show dev eth0
	[[ "$output" == *"2001:db8::240/64 scope global tentative"* ]]
	run lab_exec h2 garp-send 2001:db8::240 dev eth0
	[ "$status" -eq 1 ]
	[ "$output" = "garp-send: 2001:db8::240: tentative on eth0 (--force announces it anyway)" ]
}

@test "garp-send: errors exit 2 or 3 and name the thing" {
	run lab_exec h2 garp-send 192.0.2.300 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "garp-send: 192.0.2.300: not an address" ]
	run lab_exec h2 garp-send 192.0.2.2 dev nosuch0
	[ "$status" -eq 3 ]
	[ "$output" = "garp-send: nosuch0: no such interface" ]
	run lab_exec h2 garp-send 127.0.0.1 dev lo
	[ "$status" -eq 2 ]
	[ "$output" = "garp-send: lo: not an Ethernet interface (ARP hardware type 772)" ]
	run lab_exec h2 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    garp-send 192.0.2.2 dev eth0
	[ "$status" -eq 3 ]
	[ "$output" = "garp-send: eth0: cannot open a packet socket: Operation not permitted (needs CAP_NET_RAW)" ]
	ip -n "$LAB-h2" link set eth0 down
	run lab_exec h2 garp-send 192.0.2.2 dev eth0
	[ "$status" -eq 3 ]
	[ "$output" = "garp-send: 192.0.2.2: cannot send on eth0: interface is down" ]
}

@test "unit: gratuitous ARP and NA frames, byte for byte (garp_test)" {
	[ -x "$VIPKIT_UNIT/garp_test" ] || { echo "garp_test not built" >&2; return 1; }
	run "$VIPKIT_UNIT/garp_test"
	echo "$output"
	[ "$status" -eq 0 ]
}
