#!/usr/bin/env bats
# vrrp-listen: crafted packets get their verdicts, every link layer is
# stripped, keepalived's real adverts (v2 + PASS auth, v3 over IPv6) are
# decoded live and from a pcap exactly as tshark decodes them, --watch sees
# a keepalived takeover and a split brain of two vrrp-announce processes,
# and the exit codes, man page and completions keep their promises.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	cd "$BATS_TEST_DIRNAME/.."
	L=$VIPKIT_BIN/vrrp-listen
	CRAFT=$VIPKIT_TOOLS/vrrp-craft
	[ -x "$L" ] || { echo "vrrp-listen not built (make all)" >&2; return 1; }
	[ -x "$CRAFT" ] || { echo "vrrp-craft not built (make all)" >&2; return 1; }
	command -v jq >/dev/null || { echo "jq not found (run t/deps.sh)" >&2; return 1; }
	TMP=$(mktemp -d "$BATS_TMPDIR/vrrp-listen.XXXXXX")
}

teardown() {
	lab_teardown
	rm -rf "$TMP"
}

# verdicts FILE [ARGS...]: the verdict column of vrrp-listen --read.
verdicts() {
	local f=$1
	shift
	"$L" -r "$f" "$@" | awk '{ print $NF }' | paste -sd' '
}

@test "vrrp-listen: unit tests of the watch table (simulated clock)" {
	run "$VIPKIT_UNIT/watch_test"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *", 0 failed"* ]]
}

@test "vrrp-listen: unit tests of link-layer stripping (capture)" {
	run "$VIPKIT_UNIT/capture_test"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *", 0 failed"* ]]
}

@test "vrrp-listen: crafted packets each get their verdict, text and JSON" {
	"$CRAFT" -o "$TMP/c.pcap" good-v2 good-v3 good-v6 bad-checksum ttl-254 \
	    truncated bad-version bad-type bad-addr-count auth \
	    v6,ttl=1 v3,cksum=bad v6,cut=7 v3,count=0 v2,ipcut=4
	run verdicts "$TMP/c.pcap"
	[ "$status" -eq 0 ]
	[ "$output" = "ok ok ok bad-checksum bad-ttl truncated bad-version bad-type bad-addr-count ok bad-ttl bad-checksum truncated bad-addr-count truncated" ]

	run -0 "$L" --read "$TMP/c.pcap" --json
	[ "$(echo "$output" | wc -l)" -eq 15 ]
	run -0 jq -r '.verdict' <<<"$output"
	[ "$(echo "$output" | paste -sd' ')" = "ok ok ok bad-checksum bad-ttl truncated bad-version bad-type bad-addr-count ok bad-ttl bad-checksum truncated bad-addr-count truncated" ]

	# The fields of a good v2 packet, and the ttl of a bad one.
	run -0 "$L" -r "$TMP/c.pcap" -j -c 1
	run -0 jq -r '[.src, .dst, .ttl, .version, .vrid, .priority, .interval_cs, (.addresses | join(",")), .checksum, .verdict, .auth_type] | @tsv' <<<"$output"
	[ "$output" = "$(printf '192.0.2.1\t224.0.0.18\t255\t2\t51\t100\t100\t192.0.2.100\tv2\tok\t0')" ]
	run -0 "$L" -r "$TMP/c.pcap" -j
	[ "$(jq -r 'select(.verdict == "bad-ttl") | .ttl' <<<"$output" | paste -sd' ')" = "254 1" ]
	[ "$(jq -r 'select(.verdict == "bad-checksum") | .checksum' <<<"$output" | paste -sd' ')" = "bad bad" ]
	[ "$(jq -r 'select(.verdict == "truncated") | .checksum' <<<"$output" | paste -sd' ')" = "null null null" ]
}

@test "vrrp-listen: v3 IPv4 is ok with either checksum variant and says which" {
	"$CRAFT" -o "$TMP/ck.pcap" good-v3 good-v3-rfc9568 good-v6 good-v2 \
	    v3,cksum=rfc9568,vrid=9,prio=200,int=0.25,addrs=192.0.2.7+192.0.2.8
	run -0 "$L" -r "$TMP/ck.pcap" --json
	run -0 jq -r '[.version, .vrid, .checksum, .verdict] | @tsv' <<<"$output"
	[ "$output" = "$(printf '3\t51\tpseudo-header\tok\n3\t51\trfc9568\tok\n3\t51\tpseudo-header\tok\n2\t51\tv2\tok\n3\t9\trfc9568\tok')" ]
	run -0 "$L" -r "$TMP/ck.pcap"
	[[ "${lines[0]}" == *" v3 vrid 51 prio 100 int 1.00s addrs 192.0.2.100 cksum pseudo-header ok" ]]
	[[ "${lines[1]}" == *" cksum rfc9568 ok" ]]
	[[ "${lines[4]}" == *" 192.0.2.1 ttl 255 v3 vrid 9 prio 200 int 0.25s addrs 192.0.2.7,192.0.2.8 cksum rfc9568 ok" ]]
	# tshark, which expects the pseudo-header, agrees on the default one.
	run -0 tshark -r "$TMP/ck.pcap" -T fields -e vrrp.checksum.status
	[ "$(echo "$output" | grep -v '^Running' | paste -sd' ')" = "1 0 1 1 0" ]
}

@test "vrrp-listen: --auth-pass-file turns a wrong or missing password into auth-mismatch" {
	"$CRAFT" -o "$TMP/a.pcap" auth good-v2 v2,pass=secret99 good-v3
	printf 'secret\n' > "$TMP/right"
	printf 'wrong\n' > "$TMP/wrong"
	run verdicts "$TMP/a.pcap"
	[ "$output" = "ok ok ok ok" ]
	run verdicts "$TMP/a.pcap" --auth-pass-file "$TMP/right"
	# secret99 is cut to 8 bytes like keepalived does: "secret99" != "secret"
	[ "$output" = "ok auth-mismatch auth-mismatch ok" ]
	run verdicts "$TMP/a.pcap" -a "$TMP/wrong"
	[ "$output" = "auth-mismatch auth-mismatch auth-mismatch ok" ]
	run -2 "$L" -r "$TMP/a.pcap" -a "$TMP/no-such-file"
	[[ "$output" == *"$TMP/no-such-file"* ]]
	[[ "$output" == "vrrp-listen: --auth-pass-file: $TMP/no-such-file: cannot read: "* ]]
	# An empty password is a mistake, not "no password".
	printf '\n' > "$TMP/empty"
	run -2 "$L" -r "$TMP/a.pcap" -a "$TMP/empty"
	[[ "$output" == "vrrp-listen: --auth-pass-file: $TMP/empty: the first line is empty"* ]]
}

@test "vrrp-listen: every link layer is stripped: Ethernet, 802.1Q, QinQ, SLL, SLL2, raw, null" {
	local link args
	for args in "-l en10mb" "-l en10mb --vlan 10" "-l en10mb --vlan 100 --vlan 200" \
	    "-l sll" "-l sll --vlan 5" "-l sll2" "-l raw" "-l null"; do
		# shellcheck disable=SC2086
		"$CRAFT" -o "$TMP/l.pcap" $args good-v2 good-v6 bad-checksum
		run verdicts "$TMP/l.pcap"
		[ "$output" = "ok ok bad-checksum" ] || { echo "$args: $output"; false; }
		run -0 "$L" -r "$TMP/l.pcap" -j -c 2
		[ "$(jq -r '.src' <<<"$output" | paste -sd' ')" = "192.0.2.1 fe80::1" ] ||
		    { echo "$args: $output"; false; }
	done
}

@test "vrrp-listen: --vrid filters, --count stops with 0, a file that ends first gives 1" {
	"$CRAFT" -o "$TMP/v.pcap" v2,vrid=1 v2,vrid=2 v3,vrid=2 v6,vrid=3 v2,vrid=2
	run -0 "$L" -r "$TMP/v.pcap" --vrid 2
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == *" vrid 2 "* && "${lines[2]}" == *" vrid 2 "* ]]
	run -0 "$L" -r "$TMP/v.pcap" --vrid 2 --count 2
	[ "${#lines[@]}" -eq 2 ]
	run -1 "$L" -r "$TMP/v.pcap" --vrid 2 --count 4
	[ "${#lines[@]}" -eq 3 ]
	run -0 "$L" -r "$TMP/v.pcap" --vrid 200
	[ -z "$output" ]
	run -0 "$L" -r "$TMP/v.pcap" -c 5
	[ "${#lines[@]}" -eq 5 ]
}

@test "vrrp-listen: --watch on crafted pcaps: new master, left, takeover, SPLIT-BRAIN" {
	# .1 is master; it leaves with priority 0 and .2 takes over; then .1
	# preempts with a higher priority (no split brain from that).
	"$CRAFT" -o "$TMP/t.pcap" \
	    v2,src=192.0.2.1,prio=150,t=0 v2,src=192.0.2.1,prio=150,t=1 \
	    v2,src=192.0.2.1,prio=0,t=1.5 v2,src=192.0.2.2,prio=100,t=2 \
	    v2,src=192.0.2.2,prio=100,t=3 v2,src=192.0.2.1,prio=150,t=3.5 \
	    v2,src=192.0.2.1,prio=150,t=4.5 v2,src=192.0.2.1,prio=150,t=5.5
	run -0 "$L" -r "$TMP/t.pcap" --watch
	echo "$output"
	[ "${#lines[@]}" -eq 4 ]
	[[ "${lines[0]}" == *"Z vrid 51 ipv4: new master 192.0.2.1 priority 150" ]]
	[[ "${lines[1]}" == *"Z vrid 51 ipv4: 192.0.2.1 left (priority 0)" ]]
	[[ "${lines[2]}" == *"Z vrid 51 ipv4: takeover: master 192.0.2.2 priority 100, was 192.0.2.1 priority 0" ]]
	[[ "${lines[3]}" == *"Z vrid 51 ipv4: takeover: master 192.0.2.1 priority 150, was 192.0.2.2 priority 100" ]]
	[[ "$output" != *SPLIT-BRAIN* ]]

	# Two routers keep advertising VRID 51 half an interval apart.
	"$CRAFT" -o "$TMP/s.pcap" -n 6 -s 0.33 v3,src=192.0.2.1 v3,src=192.0.2.2 v6
	run -0 "$L" -r "$TMP/s.pcap" -w
	echo "$output"
	[ "$(grep -c SPLIT-BRAIN <<<"$output")" -eq 1 ]
	[[ "$output" == *"vrid 51 ipv4: SPLIT-BRAIN 192.0.2."?" priority 100 and 192.0.2."?" priority 100 both advertise"* ]]
	# The IPv6 router of the same VRID is a table of its own.
	[[ "$output" == *"vrid 51 ipv6: new master fe80::1 priority 100"* ]]
	[[ "$output" != *"ipv6: SPLIT"* ]]
	run -0 "$L" -r "$TMP/s.pcap" -w -j
	run -0 jq -r 'select(.event == "split-brain") | [.vrid, .family, .priority, .other_priority, (.src != .other_src)] | @tsv' <<<"$output"
	[ "$output" = "$(printf '51\tipv4\t100\t100\ttrue')" ]
}

@test "vrrp-listen: a missing file, a bad interface: exit 3 naming it" {
	run -3 "$L" -r "$TMP/nope.pcap"
	[[ "$output" == "vrrp-listen: $TMP/nope.pcap: "* ]]
	run -3 "$L" -i vkno-such-if0
	echo "$output"
	[[ "$output" == "vrrp-listen: vkno-such-if0: "* ]]
	[[ "$output" == *"no such"* ]]
	# A pcap of 802.11 frames (link type 105): not a link layer we strip.
	printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\151\000\000\000' > "$TMP/wifi.pcap"
	run -3 "$L" -r "$TMP/wifi.pcap"
	[ "$output" = "vrrp-listen: $TMP/wifi.pcap: unsupported link-layer type IEEE802_11" ]
	echo garbage > "$TMP/garbage.pcap"
	run -3 "$L" -r "$TMP/garbage.pcap"
	[[ "$output" == "vrrp-listen: $TMP/garbage.pcap: "* ]]
}

@test "vrrp-listen: --help, --version, bad options and values exit 2" {
	run -0 "$L" --help
	[[ "${lines[0]}" == "usage: vrrp-listen "* ]]
	[[ "$output" == *"--auth-pass-file"* && "$output" == *"--watch"* ]]
	run -0 "$L" -V
	[[ "$output" == "vrrp-listen (vipkit) "* ]]
	run -2 --separate-stderr "$L" --bogus
	[ -z "$output" ]
	[[ "$stderr" == *"usage: vrrp-listen"* ]]
	run -2 "$L"
	[[ "$output" == *"exactly one of --interface and --read"* ]]
	run -2 "$L" -i lo -r x.pcap
	run -2 "$L" -r x.pcap --vrid 0
	[[ "$output" == *"--vrid"* ]]
	run -2 "$L" -r x.pcap --vrid 256
	run -2 "$L" -r x.pcap --count 0
	run -2 "$L" -r x.pcap --timeout soon
	[[ "$output" == *"--timeout"* ]]
	run -2 "$L" -r x.pcap extra
}

@test "vrrp-listen: the man page renders cleanly, the completions load" {
	warnings=$(MANWIDTH=80 man --warnings -l man1/vrrp-listen.1 2>&1 >/dev/null)
	[ -z "$warnings" ]
	text=$(MANWIDTH=80 man -l man1/vrrp-listen.1 2>/dev/null)
	for s in SYNOPSIS DESCRIPTION OPTIONS "EXIT STATUS" EXAMPLES "SEE ALSO" \
	    --auth-pass-file --watch SPLIT-BRAIN bad-addr-count rfc9568; do
		[[ "$text" == *"$s"* ]] || { echo "man page lacks $s"; false; }
	done
	run -0 bash -c 'source completions/vrrp-listen && complete -p vrrp-listen &&
	    COMP_WORDS=(vrrp-listen --wa); COMP_CWORD=1; _vrrp_listen; echo "${COMPREPLY[*]}"'
	[[ "$output" == *"-F _vrrp_listen vrrp-listen"* ]]
	[ "${lines[-1]}" = "--watch" ]
	run -0 zsh -fc 'fpath=(completions $fpath); autoload -Uz compinit; compinit -u -d '"$TMP"'/zcd; print -r -- ${_comps[vrrp-listen]}'
	[ "$output" = "_vrrp-listen" ]
	run -0 zsh -n completions/_vrrp-listen
}

keepalived_conf() {	# FILE STATE PRIO
	cat > "$1" <<EOF
global_defs {
	router_id $2
	vrrp_version 2
}
vrrp_instance V4 {
	state $2
	interface eth0
	virtual_router_id 51
	priority $3
	advert_int 1
	authentication {
		auth_type PASS
		auth_pass vkpass1
	}
	virtual_ipaddress {
		192.0.2.200/24
		192.0.2.201/24
	}
}
vrrp_instance V6 {
	state $2
	interface eth0
	virtual_router_id 52
	priority $3
	advert_int 1
	virtual_ipaddress {
		2001:db8::200/64
	}
}
EOF
}

# The fields tshark and vrrp-listen both give, one packet per line:
# src ttl version vrid priority interval_cs addresses
TSHARK_FIELDS='-e ip.src -e ipv6.src -e ip.ttl -e ipv6.hlim -e vrrp.version -e vrrp.virt_rtr_id -e vrrp.prio -e vrrp.adver_int -e vrrp.short_adver_int -e vrrp.ip_addr -e vrrp.ipv6_addr'
tshark_rows() {
	# shellcheck disable=SC2086
	tshark -r "$1" -Y vrrp -T fields -E separator=/t $TSHARK_FIELDS 2>/dev/null |
	    awk -F'\t' '{
		src = $1 != "" ? $1 : $2; ttl = $3 != "" ? $3 : $4
		iv = $8 != "" ? $8 * 100 : $9
		addrs = $10 != "" ? $10 : $11
		print src "\t" ttl "\t" $5 "\t" $6 "\t" $7 "\t" iv "\t" addrs
	    }'
}
listen_rows() {
	jq -r '[.src, .ttl, .version, .vrid, .priority, .interval_cs, (.addresses | join(","))] | @tsv'
}

@test "vrrp-listen: keepalived's v2 (PASS auth) and v3/IPv6 adverts, live and from a pcap, agree with tshark" {
	lab_init
	lab_host h1 1
	lab_host h2 2
	keepalived_conf "$LAB_DIR/k.conf" MASTER 150
	printf 'vkpass1\n' > "$LAB_DIR/pass"
	lab_tshark_start sw br0 "$LAB_DIR/k.pcap" "ip proto 112 or ip6 proto 112"
	lab_keepalived h1 "$LAB_DIR/k.conf"
	# Live, in another host: 3 packets of each instance.
	run -0 --separate-stderr lab_exec h2 timeout 30 "$L" --interface eth0 \
	    --count 6 --json --auth-pass-file "$LAB_DIR/pass" --timeout 20
	echo "$output"
	echo "$output" > "$LAB_DIR/live.json"
	lab_tshark_stop
	[ "$(jq -r .verdict "$LAB_DIR/live.json" | sort -u)" = ok ]
	[ "$(jq -r 'select(.vrid == 51) | [.family, .version, .priority, .checksum, .auth_type] | @tsv' "$LAB_DIR/live.json" | sort -u)" = "$(printf 'ipv4\t2\t150\tv2\t1')" ]
	[ "$(jq -r 'select(.vrid == 52) | [.family, .version, .dst, .checksum] | @tsv' "$LAB_DIR/live.json" | sort -u)" = "$(printf 'ipv6\t3\tff02::12\tpseudo-header')" ]
	[ "$(jq -r 'select(.vrid == 52) | .src' "$LAB_DIR/live.json" | sort -u)" = "$(lab_lladdr h1)" ]

	# tshark's view of the same adverts from the bridge.
	tshark_rows "$LAB_DIR/k.pcap" > "$LAB_DIR/tshark.rows"
	cat "$LAB_DIR/tshark.rows"
	[ "$(wc -l < "$LAB_DIR/tshark.rows")" -ge 6 ]
	grep -q "^192.0.2.1	255	2	51	150	100	192.0.2.200,192.0.2.201$" "$LAB_DIR/tshark.rows"
	grep -q "	255	3	52	150	100	2001:db8::200$" "$LAB_DIR/tshark.rows"
	# Live: the same distinct adverts as tshark saw.
	[ "$(listen_rows < "$LAB_DIR/live.json" | sort -u)" = "$(sort -u "$LAB_DIR/tshark.rows")" ]
	# From the pcap: packet by packet, field by field, all ok.
	"$L" --read "$LAB_DIR/k.pcap" --json -a "$LAB_DIR/pass" > "$LAB_DIR/read.json"
	diff <(listen_rows < "$LAB_DIR/read.json") "$LAB_DIR/tshark.rows"
	[ "$(jq -r .verdict "$LAB_DIR/read.json" | sort -u)" = ok ]
	# The wrong password is noticed on keepalived's real packets.
	printf 'vkpass2\n' > "$LAB_DIR/wrong"
	[ "$("$L" -r "$LAB_DIR/k.pcap" -j -a "$LAB_DIR/wrong" --vrid 51 | jq -r .verdict | sort -u)" = auth-mismatch ]
}

@test "vrrp-listen: --watch reports a keepalived takeover (master leaves with priority 0)" {
	lab_init
	lab_host h1 1
	lab_host h2 2
	lab_host h3 3
	keepalived_conf "$LAB_DIR/master.conf" MASTER 150
	keepalived_conf "$LAB_DIR/backup.conf" BACKUP 100
	lab_bg h3 "$LAB_DIR/watch.out" "$L" -i eth0 --watch --vrid 51 --timeout 40
	local watch=$LAB_PID
	sleep 0.3
	lab_keepalived h1 "$LAB_DIR/master.conf"
	local master=$LAB_KEEPALIVED_PID
	lab_wait 15 grep -q "new master 192.0.2.1 priority 150" "$LAB_DIR/watch.out"
	lab_keepalived h2 "$LAB_DIR/backup.conf"
	# The backup listens for a while; the master keeps the VRID.
	sleep 2
	kill -TERM "$master"
	lab_wait 15 grep -q "takeover: master 192.0.2.2 priority 100" "$LAB_DIR/watch.out"
	kill -TERM "$watch"
	wait "$watch" || { echo "watch exit $?"; false; }
	cat "$LAB_DIR/watch.out"
	run -0 cat "$LAB_DIR/watch.out"
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == *"Z vrid 51 ipv4: new master 192.0.2.1 priority 150" ]]
	[[ "${lines[1]}" == *"Z vrid 51 ipv4: 192.0.2.1 left (priority 0)" ]]
	[[ "${lines[2]}" == *"Z vrid 51 ipv4: takeover: master 192.0.2.2 priority 100, was 192.0.2.1 priority 0" ]]
}

@test "vrrp-listen: --watch reports SPLIT-BRAIN of two vrrp-announce routers" {
	[ -x "$VIPKIT_BIN/vrrp-announce" ] || { echo "vrrp-announce not built" >&2; false; }
	lab_init
	lab_host h1 1
	lab_host h2 2
	lab_host h3 3
	lab_bg h3 "$LAB_DIR/watch.out" "$L" -i eth0 --watch --json --vrid 71 --timeout 30
	local watch=$LAB_PID
	sleep 0.3
	lab_bg h1 "$LAB_DIR/a1.log" "$VIPKIT_BIN/vrrp-announce" -q -i eth0 -r 71 -p 100 -c 15 192.0.2.210
	sleep 0.5
	lab_bg h2 "$LAB_DIR/a2.log" "$VIPKIT_BIN/vrrp-announce" -q -i eth0 -r 71 -p 90 -c 15 192.0.2.210
	lab_wait 15 grep -q split-brain "$LAB_DIR/watch.out"
	kill -TERM "$watch"
	wait "$watch" || { echo "watch exit $?"; false; }
	cat "$LAB_DIR/watch.out"
	run -0 jq -r '[.event, .vrid, .src, .priority, (.old_src // .other_src // "-"), (.old_priority // .other_priority // "-")] | @tsv' "$LAB_DIR/watch.out"
	[ "${lines[0]}" = "$(printf 'new-master\t71\t192.0.2.1\t100\t-\t-')" ]
	[ "$(grep -c split-brain <<<"$output")" -eq 1 ]
	grep -Eq "^split-brain	71	192.0.2.[12]	(100|90)	192.0.2.[12]	(100|90)$" <<<"$output"
	# The lower priority router never takes over.
	[[ "$output" != *takeover* ]]
}

@test "vrrp-listen: --timeout with nothing to see exits 1; --count on a live link exits 0" {
	lab_init
	lab_host h1 1
	lab_host h2 2
	local t0=$SECONDS
	run -1 lab_exec h2 "$L" -i eth0 --timeout 1.5
	[ -z "$output" ]
	[ $((SECONDS - t0)) -le 5 ]
	lab_bg h1 "$LAB_DIR/a.log" "$VIPKIT_BIN/vrrp-announce" -q -i eth0 -r 5 -v 2 -t 1 -c 20 192.0.2.99
	run -0 lab_exec h2 "$L" -i eth0 --count 2 --timeout 10
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == *" 192.0.2.1 ttl 255 v2 vrid 5 prio 100 int 1.00s addrs 192.0.2.99 ok" ]]
	# The "any" pseudo-interface (Linux cooked capture) works too.
	run -0 lab_exec h2 "$L" -i any --count 1 --timeout 10 --json
	[ "$(jq -r '[.src, .vrid, .verdict] | @tsv' <<<"$output")" = "$(printf '192.0.2.1\t5\tok')" ]
	# Without --count, a timeout after packets were seen is success.
	run -0 lab_exec h2 "$L" -i eth0 --timeout 1.5
	[ "${#lines[@]}" -ge 1 ]
	# --count not reached before --timeout: 1.
	run -1 lab_exec h2 "$L" -i eth0 --vrid 6 --count 1 --timeout 1
}
