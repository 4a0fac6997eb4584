#!/usr/bin/env bats
# The lab itself: hosts reach each other over IPv4, IPv6 and multicast,
# and teardown leaves nothing behind.

setup() {
	load lib/lab
	lab_init
	lab_host h1 1
	lab_host h2 2
}

teardown() {
	lab_teardown
}

@test "lab: hosts reach each other over IPv4 and IPv6" {
	lab_exec h1 ping -c1 -W2 192.0.2.2
	lab_exec h2 ping -c1 -W2 2001:db8::1
	run lab_mac h2
	[ "$output" = "02:00:5e:10:00:02" ]
	run lab_lladdr h1
	[[ "$output" == fe80::* ]]
}

@test "lab: teardown removes every namespace and process" {
	local lab=$LAB
	lab_bg h1 /dev/null sleep 60
	run ip netns list
	[[ "$output" == *"$lab-h1"* ]]
	lab_teardown
	run ip netns list
	[[ "$output" != *"$lab-"* ]]
	! kill -0 "$LAB_PID" 2>/dev/null
}

@test "lab: a capture on the bridge sees traffic between hosts" {
	lab_tshark_start sw br0 "$LAB_DIR/p.pcap" icmp
	lab_exec h1 ping -c2 -i0.2 -W2 192.0.2.2
	lab_capture_wait "$LAB_DIR/p.pcap" 4
	run tshark -r "$LAB_DIR/p.pcap" -T fields -e ip.src
	[ "$status" -eq 0 ]
	[[ "$output" == *192.0.2.1* ]]
	[[ "$output" == *192.0.2.2* ]]
}
