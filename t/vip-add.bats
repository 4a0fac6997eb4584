#!/usr/bin/env bats
# vip-add: add / remove / check an address through netlink, idempotently,
# with the exit codes and messages of the contract. Each test gets a fresh
# host namespace h1 (eth0 = 192.0.2.1/24, 2001:db8::1/64).

setup() {
	load lib/lab
	lab_init
	lab_host h1 1
}

teardown() {
	lab_teardown
}

# The addresses (with prefix) that eth0 of h1 has for a given address.
copies() {
	ip -n "$LAB-h1" -o addr show dev eth0 | awk -v a="$1" \
	    '{ split($4, p, "/"); if (p[1] == a) print $4 }'
}

@test "vip-add: --help, --version, bad options and arguments" {
	run vip-add --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" == "usage: vip-add "* ]]
	run vip-add -h
	[ "$status" -eq 0 ]
	run vip-add --version
	[ "$status" -eq 0 ]
	[[ "$output" == "vip-add (vipkit) "* ]]
	run vip-add --bogus 192.0.2.230/24 dev eth0
	[ "$status" -eq 2 ]
	[[ "$output" == *"usage: vip-add"* ]]
	run vip-add 192.0.2.230/24 eth0
	[ "$status" -eq 2 ]
	[[ "$output" == *"expected ADDRESS[/PREFIX] dev IFACE"* ]]
	run vip-add 192.0.2.230/24
	[ "$status" -eq 2 ]
	run vip-add --del --check 192.0.2.230/24 dev eth0
	[ "$status" -eq 2 ]
	[[ "$output" == *"--del and --check exclude each other"* ]]
	run vip-add --del --label eth0:vip 192.0.2.230/24 dev eth0
	[ "$status" -eq 2 ]
	[[ "$output" == *"--label applies when adding"* ]]
}

@test "vip-add: man page renders without warnings, completions load" {
	run sh -c "man --warnings -l '$BATS_TEST_DIRNAME/../man1/vip-add.1' 2>&1 >/dev/null"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run man -l "$BATS_TEST_DIRNAME/../man1/vip-add.1"
	[[ "$output" == *"EXIT STATUS"* ]]
	local dir=$BATS_TEST_DIRNAME/../completions
	run bash -c 'source "$1" &&
	    COMP_WORDS=(vip-add 192.0.2.230/24 d); COMP_CWORD=2; _vip_add;
	    echo "k: ${COMPREPLY[*]}";
	    COMP_WORDS=(vip-add -l eth0:x 192.0.2.230/24 dev l); COMP_CWORD=5; _vip_add;
	    echo "i: ${COMPREPLY[*]}";
	    COMP_WORDS=(vip-add --de); COMP_CWORD=1; _vip_add;
	    echo "o: ${COMPREPLY[*]}"' _ "$dir/vip-add"
	[ "$status" -eq 0 ]
	[[ "$output" == *"k: dev"* ]]
	[[ "$output" == *"i: lo"* ]]
	[[ "$output" == *"o: --del"* ]]
	run zsh -c 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D;
	    print -r -- $_comps[vip-add]' _ "$dir"
	[ "$status" -eq 0 ]
	[ "$output" = "_vip-add" ]
}

@test "vip-add: add, add again, check, delete, delete again (IPv4)" {
	run lab_exec h1 vip-add 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "added 192.0.2.230/24 to eth0" ]
	[ "$(copies 192.0.2.230)" = "192.0.2.230/24" ]
	run lab_exec h1 vip-add 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.230/24 already present on eth0" ]
	[ "$(copies 192.0.2.230)" = "192.0.2.230/24" ]
	run lab_exec h1 vip-add --check 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.230/24 present on eth0" ]
	# usable: another host reaches it
	lab_host h2 2
	lab_exec h2 ping -c1 -W2 192.0.2.230
	run lab_exec h1 vip-add --del 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "removed 192.0.2.230/24 from eth0" ]
	[ -z "$(copies 192.0.2.230)" ]
	run lab_exec h1 vip-add --del 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "192.0.2.230/24 already absent from eth0" ]
	run lab_exec h1 vip-add -c 192.0.2.230/24 dev eth0
	[ "$status" -eq 1 ]
	[ "$output" = "192.0.2.230/24 absent from eth0" ]
	# the host's own address is untouched
	[ "$(copies 192.0.2.1)" = "192.0.2.1/24" ]
}

@test "vip-add: --json reports each action, -q prints nothing" {
	run lab_exec h1 vip-add --json 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = '{"action":"added","address":"192.0.2.230/24","dev":"eth0"}' ]
	run lab_exec h1 vip-add -j 192.0.2.230/24 dev eth0
	[ "$output" = '{"action":"already-present","address":"192.0.2.230/24","dev":"eth0","present_as":"192.0.2.230/24","prefix_differs":false,"label":"eth0"}' ]
	run lab_exec h1 vip-add --json --check 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[[ "$output" == '{"action":"present",'* ]]
	run lab_exec h1 vip-add --json --del 192.0.2.230/24 dev eth0
	[[ "$output" == '{"action":"removed","address":"192.0.2.230/24",'* ]]
	run lab_exec h1 vip-add --json --del 192.0.2.230/24 dev eth0
	[ "$output" = '{"action":"absent","address":"192.0.2.230/24","dev":"eth0"}' ]
	run lab_exec h1 vip-add --json --check 192.0.2.230/24 dev eth0
	[ "$status" -eq 1 ]
	[ "$output" = '{"action":"absent","address":"192.0.2.230/24","dev":"eth0"}' ]
	run lab_exec h1 vip-add -q 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run lab_exec h1 vip-add -q 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run lab_exec h1 vip-add -q --check 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run lab_exec h1 vip-add -q --del 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run lab_exec h1 vip-add -q --check 192.0.2.230/24 dev eth0
	[ "$status" -eq 1 ]
	[ -z "$output" ]
}

@test "vip-add: without a prefix the VIP is a /32 (IPv4) or /128 (IPv6)" {
	run lab_exec h1 vip-add 192.0.2.230 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "added 192.0.2.230/32 to eth0" ]
	[ "$(copies 192.0.2.230)" = "192.0.2.230/32" ]
	run lab_exec h1 vip-add 2001:db8::230 dev eth0
	[ "$output" = "added 2001:db8::230/128 to eth0" ]
	[ "$(copies 2001:db8::230)" = "2001:db8::230/128" ]
}

@test "vip-add: present with another prefix counts as present, is said, never added twice" {
	ip -n "$LAB-h1" addr add 192.0.2.230/32 dev eth0
	run lab_exec h1 vip-add 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[[ "$output" == *"192.0.2.230/24 already present on eth0"* ]]
	[[ "$output" == *"vip-add: warning: 192.0.2.230 is on eth0 as /32, not /24; left as it is"* ]]
	[ "$(copies 192.0.2.230)" = "192.0.2.230/32" ]
	run lab_exec h1 vip-add --json 192.0.2.230/24 dev eth0 2>/dev/null
	[[ "$output" == *'"present_as":"192.0.2.230/32","prefix_differs":true'* ]]
	# --check is by address; --del removes every copy, whatever its prefix
	run lab_exec h1 vip-add --check 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	ip -n "$LAB-h1" addr add 192.0.2.230/24 dev eth0
	[ "$(copies 192.0.2.230 | wc -l)" -eq 2 ]
	run lab_exec h1 vip-add --del 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "removed 192.0.2.230/24 from eth0 (2 copies)" ]
	[ -z "$(copies 192.0.2.230)" ]
}

@test "vip-add: concurrent adds of one VIP leave exactly one copy" {
	local i pids=""
	for i in 1 2 3 4 5 6 7 8; do
		lab_exec h1 vip-add -q 192.0.2.230/24 dev eth0 &
		pids="$pids $!"
	done
	for i in $pids; do
		wait "$i"
	done
	[ "$(copies 192.0.2.230)" = "192.0.2.230/24" ]
}

@test "vip-add: --label sets the IPv4 label; a label not starting with IFACE is refused" {
	run lab_exec h1 vip-add --label eth0:vip 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	run ip -n "$LAB-h1" -o -4 addr show dev eth0 label eth0:vip
	[[ "$output" == *"192.0.2.230/24"* ]]
	run lab_exec h1 vip-add --json -l eth0:vip 192.0.2.230/24 dev eth0
	[[ "$output" == *'"label":"eth0:vip"'* ]]
	run lab_exec h1 vip-add --label eth1:vip 192.0.2.231/24 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "vip-add: eth1:vip: label must be the interface name or start with 'IFACE:' (eth0)" ]
	run lab_exec h1 vip-add --label eth0:much-too-long 192.0.2.231/24 dev eth0
	[ "$status" -eq 2 ]
	[[ "$output" == *"label longer than 15 bytes"* ]]
	run lab_exec h1 vip-add --label eth0:vip 2001:db8::230/64 dev eth0
	[ "$status" -eq 2 ]
	[[ "$output" == *"--label applies to IPv4 addresses only"* ]]
	[ -z "$(copies 192.0.2.231)" ]
	[ -z "$(copies 2001:db8::230)" ]
}

@test "iface: a labelled primary address is still the primary (vrrp-announce's source)" {
	# getifaddrs names an IPv4 address by its label: eth0:p is eth0's
	ip -n "$LAB-h1" addr del 192.0.2.1/24 dev eth0
	lab_exec h1 vip-add -q --label eth0:p 192.0.2.1/24 dev eth0
	run lab_exec h1 vrrp-announce -q -j -c 1 -i eth0 -r 7 192.0.2.230
	[ "$status" -eq 0 ]
	[[ "$output" == *'"src":"192.0.2.1"'* ]]
	# an unlabelled secondary does not take its place
	lab_exec h1 vip-add -q 192.0.2.9/24 dev eth0
	run lab_exec h1 vrrp-announce -q -j -c 1 -i eth0 -r 7 192.0.2.230
	[ "$status" -eq 0 ]
	[[ "$output" == *'"src":"192.0.2.1"'* ]]
	# --source names a labelled address: it is on eth0 all the same
	run lab_exec h1 vrrp-announce -q -j -c 1 -i eth0 -r 7 -s 192.0.2.1 192.0.2.230
	[ "$status" -eq 0 ]
	[[ "$output" == *'"src":"192.0.2.1"'* ]]
	run lab_exec h1 vrrp-announce -q -j -c 1 -i eth0 -r 7 -s 192.0.2.77 192.0.2.230
	[ "$status" -ne 0 ]
}

@test "vip-add: an IPv6 VIP is never tentative, even where DAD is on" {
	lab_exec h1 sysctl -qw net.ipv6.conf.eth0.accept_dad=1
	# the control: a plain add on this interface is tentative
	ip -n "$LAB-h1" addr add 2001:db8::231/64 dev eth0
	run ip -n "$LAB-h1" -6 addr show dev eth0
	[[ "$output" == *"2001:db8::231/64 scope global tentative"* ]]
	run lab_exec h1 vip-add 2001:db8::230/64 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "added 2001:db8::230/64 to eth0" ]
	run ip -n "$LAB-h1" -6 -o addr show dev eth0
	local line
	line=$(echo "$output" | grep '2001:db8::230/64')
	[ -n "$line" ]
	[[ "$line" != *tentative* ]]
	[[ "$line" == *nodad* ]]
	# usable at once: another host reaches it
	lab_host h2 2
	lab_exec h2 ping -c1 -W2 2001:db8::230
	run lab_exec h1 vip-add 2001:db8::230/64 dev eth0
	[ "$output" = "2001:db8::230/64 already present on eth0" ]
	run lab_exec h1 vip-add --json --check 2001:db8::230/64 dev eth0
	[ "$status" -eq 0 ]
	[[ "$output" == *'"tentative":false,"dadfailed":false'* ]]
	# the tentative one is present but not usable: --check says no
	run lab_exec h1 vip-add --check 2001:db8::231/64 dev eth0
	[ "$status" -eq 1 ]
	[[ "$output" == *"is tentative"* ]]
	[[ "$output" == *"2001:db8::231/64 present on eth0 but not usable"* ]]
	run lab_exec h1 vip-add --del 2001:db8::230/64 dev eth0
	[ "$status" -eq 0 ]
	[ -z "$(copies 2001:db8::230)" ]
}

@test "vip-add: bad address or prefix exits 2 and names it" {
	run lab_exec h1 vip-add 192.0.2.300/24 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "vip-add: 192.0.2.300/24: not an address" ]
	run lab_exec h1 vip-add 192.0.2.30/33 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "vip-add: 192.0.2.30/33: prefix length must be 1 to 32" ]
	run lab_exec h1 vip-add 2001:db8::230/129 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "vip-add: 2001:db8::230/129: prefix length must be 1 to 128" ]
	run lab_exec h1 vip-add 224.0.0.18/32 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "vip-add: 224.0.0.18/32: a multicast address is not usable" ]
	run lab_exec h1 vip-add --check eth0 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "vip-add: eth0: not an address" ]
	run lab_exec h1 vip-add fe80::230%eth0/64 dev eth0
	[ "$status" -eq 2 ]
	[ "$output" = "vip-add: fe80::230%eth0/64: a zone index (%IFACE) is not accepted; the interface is named on its own" ]
}

@test "vip-add: no such interface, no permission, netlink failure exit 3" {
	run lab_exec h1 vip-add 192.0.2.230/24 dev nosuch0
	[ "$status" -eq 3 ]
	[ "$output" = "vip-add: nosuch0: no such interface" ]
	run lab_exec h1 vip-add --check 192.0.2.230/24 dev nosuch0
	[ "$status" -eq 3 ]
	run lab_exec h1 vip-add --del 192.0.2.230/24 dev averyveryverylongname0
	[ "$status" -eq 3 ]
	[ "$output" = "vip-add: averyveryverylongname0: no such interface" ]
	# without CAP_NET_ADMIN
	run lab_exec h1 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    vip-add 192.0.2.230/24 dev eth0
	[ "$status" -eq 3 ]
	[ "$output" = "vip-add: cannot add 192.0.2.230/24 on eth0: permission denied (needs CAP_NET_ADMIN)" ]
	ip -n "$LAB-h1" addr add 192.0.2.230/24 dev eth0
	run lab_exec h1 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    vip-add --del 192.0.2.230/24 dev eth0
	[ "$status" -eq 3 ]
	[ "$output" = "vip-add: cannot remove 192.0.2.230/24 on eth0: permission denied (needs CAP_NET_ADMIN)" ]
	[ "$(copies 192.0.2.230)" = "192.0.2.230/24" ]
	# reading needs no privilege
	run lab_exec h1 setpriv --reuid=65534 --regid=65534 --clear-groups \
	    vip-add --check 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	# the kernel refuses: IPv6 is disabled on the interface
	lab_exec h1 sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
	run lab_exec h1 vip-add 2001:db8::230/64 dev eth0
	[ "$status" -eq 3 ]
	[[ "$output" == "vip-add: cannot add 2001:db8::230/64 on eth0: netlink: "* ]]
	[[ "$output" == *"(is IPv6 disabled on eth0?)" ]]
}

@test "vip-add: removing a primary address warns that its secondaries went too" {
	ip -n "$LAB-h1" addr del 192.0.2.1/24 dev eth0
	lab_exec h1 sysctl -qw net.ipv4.conf.eth0.promote_secondaries=0 \
	    net.ipv4.conf.all.promote_secondaries=0
	lab_exec h1 vip-add -q 192.0.2.230/24 dev eth0
	ip -n "$LAB-h1" addr add 192.0.2.231/24 dev eth0
	run lab_exec h1 vip-add --del 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: 192.0.2.230/24 was the primary address of its subnet on eth0: the kernel removed its 1 secondary address too"* ]]
	[ -z "$(copies 192.0.2.231)" ]
	# with promote_secondaries the secondary stays and nothing is said
	lab_exec h1 sysctl -qw net.ipv4.conf.eth0.promote_secondaries=1
	lab_exec h1 vip-add -q 192.0.2.230/24 dev eth0
	ip -n "$LAB-h1" addr add 192.0.2.231/24 dev eth0
	run lab_exec h1 vip-add --del 192.0.2.230/24 dev eth0
	[ "$output" = "removed 192.0.2.230/24 from eth0" ]
	[ "$(copies 192.0.2.231)" = "192.0.2.231/24" ]
	# so does the kernel when only "all" has it on
	ip -n "$LAB-h1" addr del 192.0.2.231/24 dev eth0
	lab_exec h1 sysctl -qw net.ipv4.conf.eth0.promote_secondaries=0 \
	    net.ipv4.conf.all.promote_secondaries=1
	lab_exec h1 vip-add -q 192.0.2.230/24 dev eth0
	ip -n "$LAB-h1" addr add 192.0.2.231/24 dev eth0
	run lab_exec h1 vip-add --del 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ "$output" = "removed 192.0.2.230/24 from eth0" ]
	[ "$(copies 192.0.2.231)" = "192.0.2.231/24" ]
}

@test "vip-add: a VIP that another interface holds too is named in a warning" {
	ip -n "$LAB-h1" link add dum0 type veth peer name dum1
	ip -n "$LAB-h1" link set dum0 up
	ip -n "$LAB-h1" addr add 192.0.2.230/32 dev dum0
	run lab_exec h1 vip-add 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "vip-add: warning: 192.0.2.230 is also on dum0; two interfaces holding it confuse neighbours and routing (remove it there: vip-add --del 192.0.2.230 dev dum0)" ]
	[ "${lines[1]}" = "added 192.0.2.230/24 to eth0" ]
	[ "$(copies 192.0.2.230)" = "192.0.2.230/24" ]
	run lab_exec h1 vip-add --check 192.0.2.230/24 dev eth0
	[ "$status" -eq 0 ]
	[[ "$output" == *"warning: 192.0.2.230 is also on dum0;"* ]]
	# nothing is said when it is on this interface only
	ip -n "$LAB-h1" addr del 192.0.2.230/32 dev dum0
	run lab_exec h1 vip-add 192.0.2.230/24 dev eth0
	[ "$output" = "192.0.2.230/24 already present on eth0" ]
}

@test "unit: address parsing and printing (addr_test)" {
	[ -x "$VIPKIT_UNIT/addr_test" ] || { echo "addr_test not built" >&2; return 1; }
	run "$VIPKIT_UNIT/addr_test"
	echo "$output"
	[ "$status" -eq 0 ]
}
