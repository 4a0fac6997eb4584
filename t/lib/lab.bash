# Lab helpers for bats: hosts are network namespaces joined by veth pairs to
# one bridge that lives in a namespace of its own. Only 192.0.2.0/24 and
# 2001:db8::/64 are used inside, loopback for servers. Every name carries a
# per-test random prefix (vk<hex>-), and lab_teardown removes it all.
#
#   setup()    { load lib/lab; lab_init; lab_host h1 1; lab_host h2 2; }
#   teardown() { lab_teardown; }
#
# Host NAME with index I gets eth0 = 192.0.2.I/24, 2001:db8::I/64,
# MAC 02:00:5e:10:00:I (hex); the bridge is br0 in namespace "sw".

: "${VIPKIT_BIN:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)/build/bin}"
: "${VIPKIT_UNIT:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)/build/t/unit}"
: "${VIPKIT_TOOLS:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)/build/t/tools}"
export VIPKIT_BIN VIPKIT_UNIT VIPKIT_TOOLS
PATH="$VIPKIT_BIN:$PATH"

lab_fail() {
	echo "lab: $*" >&2
	return 1
}

# Run a lab-building command; on failure say what could not be built.
lab_do() {
	local out
	if ! out=$("$@" 2>&1); then
		lab_fail "cannot build the lab: '$*' failed: $out"
		return 1
	fi
}

lab_init() {
	[ "$(id -u)" -eq 0 ] || { lab_fail "the lab needs root"; return 1; }
	command -v ip >/dev/null || { lab_fail "ip (iproute2) not found"; return 1; }
	LAB=vk$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
	LAB_DIR=$(mktemp -d "/tmp/vipkit-$LAB.XXXXXX")
	LAB_HOSTS=""
	mkdir -p /run/vipkit-lab
	echo "$BASHPID" > "/run/vipkit-lab/$LAB.pid"
	: > "$LAB_DIR/pids"
	export LAB LAB_DIR
	lab_do ip netns add "$LAB-sw" || return 1
	lab_do ip -n "$LAB-sw" link set lo up || return 1
	ip netns exec "$LAB-sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
	    net.ipv6.conf.default.disable_ipv6=1 >/dev/null 2>&1
	lab_do ip -n "$LAB-sw" link add br0 type bridge stp_state 0 \
	    forward_delay 0 mcast_snooping 0 || return 1
	lab_do ip -n "$LAB-sw" link set br0 up || return 1
}

# lab_ns NAME: the namespace of host NAME (or "sw" for the bridge).
lab_ns() {
	echo "$LAB-$1"
}

# lab_host NAME INDEX: a host namespace with eth0 on the bridge.
lab_host() {
	local name=$1 idx=$2 ns="$LAB-$1" mac
	[ "$idx" -ge 1 ] && [ "$idx" -le 199 ] || { lab_fail "host index $idx not in 1..199"; return 1; }
	mac=$(printf '02:00:5e:10:00:%02x' "$idx")
	lab_do ip netns add "$ns" || return 1
	LAB_HOSTS="$LAB_HOSTS $name"
	lab_do ip -n "$ns" link set lo up || return 1
	lab_do ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
	    net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_ra=0 \
	    net.ipv6.conf.default.router_solicitations=0 || return 1
	lab_do ip -n "$ns" link add eth0 address "$mac" type veth \
	    peer name "$name" netns "$LAB-sw" || return 1
	lab_do ip -n "$LAB-sw" link set "$name" master br0 up || return 1
	lab_do ip -n "$ns" addr add "192.0.2.$idx/24" dev eth0 || return 1
	lab_do ip -n "$ns" addr add "2001:db8::$idx/64" dev eth0 nodad || return 1
	lab_do ip -n "$ns" link set eth0 up || return 1
}

# lab_mac NAME: the MAC address of host NAME's eth0.
lab_mac() {
	ip netns exec "$LAB-$1" cat /sys/class/net/eth0/address
}

# lab_lladdr NAME: the IPv6 link-local address of host NAME's eth0.
lab_lladdr() {
	ip -n "$LAB-$1" -6 -o addr show dev eth0 scope link |
	    awk '{ sub("/.*", "", $4); print $4; exit }'
}

# lab_exec NAME CMD...: run CMD inside host NAME.
lab_exec() {
	local ns="$LAB-$1"
	shift
	ip netns exec "$ns" "$@"
}

# lab_bg NAME LOG CMD...: start CMD in the background inside host NAME,
# output to LOG; the pid is in LAB_PID and is killed by lab_teardown.
lab_bg() {
	local ns="$LAB-$1" log=$2
	shift 2
	ip netns exec "$ns" "$@" >"$log" 2>&1 3>&- </dev/null &
	LAB_PID=$!
	echo "$LAB_PID" >> "$LAB_DIR/pids"
}

# lab_wait SECONDS CMD...: poll CMD every 50 ms until it succeeds.
lab_wait() {
	local limit=$1 i=0 n
	shift
	n=$((limit * 20))
	while [ $i -lt $n ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.05
		i=$((i + 1))
	done
	lab_fail "timed out after ${limit}s waiting for: $*"
}

# lab_tshark_start NAME IFACE PCAP [FILTER]: capture inside NAME ("sw" for
# the bridge) until lab_tshark_stop. Waits until the capture really runs.
lab_tshark_start() {
	local name=$1 iface=$2 pcap=$3 filter=${4:-}
	command -v dumpcap >/dev/null || { lab_fail "dumpcap (tshark) not found"; return 1; }
	local log="$LAB_DIR/dumpcap.$BASHPID.$RANDOM.log"
	if [ -n "$filter" ]; then
		ip netns exec "$LAB-$name" dumpcap -q -i "$iface" -f "$filter" \
		    -w "$pcap" -P >"$log" 2>&1 3>&- </dev/null &
	else
		ip netns exec "$LAB-$name" dumpcap -q -i "$iface" -w "$pcap" \
		    -P >"$log" 2>&1 3>&- </dev/null &
	fi
	LAB_TSHARK_PID=$!
	echo "$LAB_TSHARK_PID" >> "$LAB_DIR/pids"
	if ! lab_wait 10 grep -q "Capturing on" "$log"; then
		cat "$log" >&2
		lab_fail "capture on $name/$iface did not start"
		return 1
	fi
	# dumpcap reports before the socket sees packets; give it a moment.
	sleep 0.2
}

# lab_capture_wait PCAP N [FILTER] [SECONDS]: dumpcap hands packets to the
# file in blocks, up to about a second late, so a packet sent just before
# lab_tshark_stop can be missing. Wait until PCAP holds N packets matching
# the display FILTER (default: all) or SECONDS pass (default 5), then stop
# the capture. The caller's assertions say whether enough arrived.
lab_capture_wait() {
	local pcap=$1 n=$2 filter=${3:-} limit=${4:-5} i
	for ((i = 0; i < limit * 20; i++)); do
		[ "$(tshark -r "$pcap" ${filter:+-Y "$filter"} 2>/dev/null | wc -l)" -ge "$n" ] && break
		sleep 0.05
	done
	lab_tshark_stop
}

lab_tshark_stop() {
	local pid=${1:-$LAB_TSHARK_PID}
	sleep 0.2
	kill -INT "$pid" 2>/dev/null || :
	wait "$pid" 2>/dev/null
	return 0
}

# lab_keepalived NAME CONF: run keepalived's VRRP part inside NAME.
lab_keepalived() {
	local name=$1 conf=$2
	command -v keepalived >/dev/null || { lab_fail "keepalived not found"; return 1; }
	lab_bg "$name" "$LAB_DIR/keepalived.$name.log" keepalived -n -l -D -P \
	    -f "$conf" -p "$LAB_DIR/keepalived.$name.pid" \
	    -r "$LAB_DIR/keepalived.$name.vrrp.pid" \
	    -i "$name"
	LAB_KEEPALIVED_PID=$LAB_PID
}

lab_teardown() {
	local pid ns h
	[ -n "${LAB:-}" ] || return 0
	if [ -f "$LAB_DIR/pids" ]; then
		while read -r pid; do
			kill -TERM "$pid" 2>/dev/null || :
		done < "$LAB_DIR/pids"
	fi
	for h in $LAB_HOSTS sw; do
		ns="$LAB-$h"
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -TERM "$pid" 2>/dev/null || :
		done
	done
	sleep 0.1
	for h in $LAB_HOSTS sw; do
		ns="$LAB-$h"
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			kill -KILL "$pid" 2>/dev/null || :
		done
		ip netns del "$ns" 2>/dev/null || :
	done
	if [ -f "$LAB_DIR/pids" ]; then
		while read -r pid; do
			kill -KILL "$pid" 2>/dev/null || :
		done < "$LAB_DIR/pids"
	fi
	rm -f "/run/vipkit-lab/$LAB.pid"
	if [ -n "${LAB_KEEP:-}" ]; then
		echo "lab: kept $LAB_DIR" >&2
	else
		rm -rf "$LAB_DIR"
	fi
	LAB=
}
