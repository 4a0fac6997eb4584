#!/bin/bash
# vrrp-listen --read against tshark -r -T fields on the same 200,000-packet
# capture (VRRPv2 IPv4 with PASS auth and VRRPv3 IPv6, as keepalived sends
# them), side by side; prints both times and the ratio. Bounded: tshark gets
# at most BENCH_TIMEOUT seconds (default 300).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
: "${VIPKIT_BIN:=$here/build/bin}"
: "${VIPKIT_TOOLS:=$here/build/t/tools}"
N=${BENCH_PACKETS:-200000}
LIMIT=${BENCH_TIMEOUT:-300}

for p in "$VIPKIT_BIN/vrrp-listen" "$VIPKIT_TOOLS/vrrp-craft"; do
	[ -x "$p" ] || { echo "bench: $p not built (make all)" >&2; exit 3; }
done
command -v tshark >/dev/null || { echo "bench: tshark not found (t/deps.sh)" >&2; exit 3; }

dir=$(mktemp -d /tmp/vipkit-bench-listen.XXXXXX)
trap 'rm -rf "$dir"' EXIT
pcap=$dir/vrrp.pcap
"$VIPKIT_TOOLS/vrrp-craft" -o "$pcap" -n $((N / 2)) -s 0.5 \
    v2,src=192.0.2.1,prio=150,pass=secret,addrs=192.0.2.200+192.0.2.201 \
    v6,src=fe80::5eff:fe10:1,vrid=52,prio=120,addrs=2001:db8::200 || exit 3

now() { date +%s%N; }		# nanoseconds

# Both must decode every packet; then time them, output to /dev/null.
lines=$("$VIPKIT_BIN/vrrp-listen" --read "$pcap" | grep -c ' ok$')
[ "$lines" -eq "$N" ] || { echo "bench: vrrp-listen found $lines ok packets, not $N" >&2; exit 3; }

# Best of three for the fast one; tshark once (it takes seconds).
best=
for i in 1 2 3; do
	t0=$(now)
	"$VIPKIT_BIN/vrrp-listen" --read "$pcap" > /dev/null || { echo "bench: vrrp-listen failed" >&2; exit 3; }
	t=$(($(now) - t0))
	if [ -z "$best" ] || [ "$t" -lt "$best" ]; then best=$t; fi
done

t0=$(now)
timeout "$LIMIT" tshark -r "$pcap" -T fields -e frame.time_epoch -e ip.src \
    -e ipv6.src -e ip.ttl -e ipv6.hlim -e vrrp.version -e vrrp.virt_rtr_id \
    -e vrrp.prio -e vrrp.adver_int -e vrrp.short_adver_int -e vrrp.ip_addr \
    -e vrrp.ipv6_addr -e vrrp.checksum.status > /dev/null 2>&1
rc=$?
ts=$(($(now) - t0))
if [ $rc -ne 0 ]; then
	echo "bench: tshark failed or passed the ${LIMIT}s limit (exit $rc)" >&2
	exit 3
fi

awk -v n="$N" -v a="$best" -v b="$ts" 'BEGIN {
	printf "vrrp-listen vs tshark on %d packets: %.3f s vs %.2f s, %.1fx faster\n",
	    n, a / 1e9, b / 1e9, b / a
}'
