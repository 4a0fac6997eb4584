#!/usr/bin/env bash
# Benchmark: time from the start of a takeover command to the VIP usable and
# its first gratuitous ARP on the wire, vipkit (vip-add && garp-send) against
# iproute2 + iputils (ip addr add && arping -U), side by side in one lab.
#
# Each run starts with the VIP absent, takes a realtime stamp inside the host
# namespace, runs the pair, and the first GARP for the VIP that the bridge
# captures after the stamp ends the measurement (pcap stamps use the same
# clock). The address is usable when the add command returns, which is before
# the GARP is sent in both pairs, so the GARP's time covers both.
# Usage: t/bench/vip-garp.sh [RUNS]   (default 20; root; uses the t/lib lab)
set -eu

RUNS=${1:-20}
T=$(cd "$(dirname "$0")/.." && pwd)
BATS_TEST_DIRNAME=$T
. "$T/lib/lab.bash"

for c in vip-add garp-send; do
	[ -x "$VIPKIT_BIN/$c" ] || { echo "vip-garp: $VIPKIT_BIN/$c not built (make)" >&2; exit 3; }
done
for c in arping tshark ip; do
	command -v "$c" >/dev/null || { echo "vip-garp: $c not found (t/deps.sh)" >&2; exit 3; }
done

VIP=192.0.2.230
lab_init
trap lab_teardown EXIT
lab_host h1 1
lab_host h2 2
PCAP=$LAB_DIR/bench.pcap
lab_tshark_start sw br0 "$PCAP" arp

# One side: RUNS timed takeovers inside h1; prints one start stamp per line.
run_side() {
	lab_exec h1 env PATH="$VIPKIT_BIN:$PATH" RUNS="$RUNS" VIP="$VIP" \
	    SIDE="$1" bash -c '
	set -e
	for ((i = 0; i < RUNS; i++)); do
		ip addr del "$VIP/24" dev eth0 2>/dev/null || :
		sleep 0.15
		t0=$EPOCHREALTIME
		if [ "$SIDE" = vipkit ]; then
			vip-add -q "$VIP/24" dev eth0 &&
			    garp-send -q -c 1 "$VIP" dev eth0
		else
			ip addr add "$VIP/24" dev eth0 &&
			    arping -q -U -c 1 -w 1 -I eth0 "$VIP" || :
		fi
		t1=$EPOCHREALTIME
		echo "$t0 $t1"
	done
	ip addr del "$VIP/24" dev eth0'
}

run_side vipkit > "$LAB_DIR/vipkit.t"
run_side iproute > "$LAB_DIR/iproute.t"
total=$((RUNS * 2))
for ((i = 0; i < 100; i++)); do
	n=$(tshark -r "$PCAP" -Y "arp.src.proto_ipv4 == $VIP" 2>/dev/null | wc -l)
	[ "$n" -ge "$total" ] && break
	sleep 0.1
done
lab_tshark_stop
tshark -r "$PCAP" -Y "arp.isgratuitous == 1 && arp.src.proto_ipv4 == $VIP" \
    -T fields -e frame.time_epoch 2>/dev/null > "$LAB_DIR/wire.t"

# For each start stamp, the first GARP at or after it: latency in ms.
latencies() {
	awk 'NR == FNR { w[n++] = $1; next }
	    { for (i = 0; i < n; i++) if (w[i] >= $1) {
		printf "%.3f %.3f\n", (w[i] - $1) * 1000, ($2 - $1) * 1000; break } }' \
	    "$LAB_DIR/wire.t" "$1"
}
median() {
	sort -n | awk '{ a[n++] = $1 } END { if (n == 0) { print "nan"; exit }
	    print (n % 2) ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2 }'
}

latencies "$LAB_DIR/vipkit.t" > "$LAB_DIR/vipkit.l"
latencies "$LAB_DIR/iproute.t" > "$LAB_DIR/iproute.l"
nv=$(wc -l < "$LAB_DIR/vipkit.l")
ni=$(wc -l < "$LAB_DIR/iproute.l")
if [ "$nv" -ne "$RUNS" ] || [ "$ni" -ne "$RUNS" ]; then
	echo "vip-garp: saw $nv and $ni of $RUNS GARPs on the wire" >&2
	exit 1
fi
mv=$(cut -d' ' -f1 "$LAB_DIR/vipkit.l" | median)
mi=$(cut -d' ' -f1 "$LAB_DIR/iproute.l" | median)
cv=$(cut -d' ' -f2 "$LAB_DIR/vipkit.l" | median)
ci=$(cut -d' ' -f2 "$LAB_DIR/iproute.l" | median)
echo "vip-garp: VIP added + first GARP on the wire, median of $RUNS runs each"
printf '  %-36s %8.3f ms   (whole command %8.3f ms)\n' \
    "vip-add && garp-send -c 1" "$mv" "$cv" \
    "ip addr add && arping -U -c 1" "$mi" "$ci"
awk -v a="$mi" -v b="$mv" -v c="$ci" -v d="$cv" 'BEGIN {
	printf "  ratio (ip+arping / vipkit): %.2fx to the first GARP, %.2fx whole command\n",
	    a / b, c / d }'
