#!/usr/bin/env bash
# Benchmark: vrrpctl against keepalived 2.2, side by side in one lab run.
#
# (a) Takeover overhead beyond Master_Down_Interval, VRRP v3 at 0.1 s
#     adverts. h1 is the master (vrrp-announce, priority 200), h2 the
#     backup under test (priority 100, same keepalived.conf for both
#     daemons). h1 is killed with SIGKILL; on the bridge capture, from
#     h1's last advert to h2's first advert and to h2's first gratuitous
#     ARP for the VIP, minus Master_Down_Interval
#     (3 * 10 cs + (256 - 100) * 10 / 256 cs = 0.3609375 s). Medians.
# (b) Footprint: 100 instances (VRIDs 1..100, one VIP each, v3, 1 s
#     adverts, priority 100) alone on h1, so all become MASTER; after
#     they settle, resident memory (VmRSS; keepalived: parent + VRRP
#     child) and CPU (utime+stime+cutime+cstime delta over the window, as
#     % of one core).
# Usage: t/bench/vrrpctl.sh [RUNS [WINDOW]]  (default 5 takeovers per side,
# 20 s window; root; uses the t/lib lab)
set -eu

RUNS=${1:-5}
WINDOW=${2:-20}
T=$(cd "$(dirname "$0")/.." && pwd)
BATS_TEST_DIRNAME=$T
. "$T/lib/lab.bash"

for c in vrrpctl vrrp-announce vip-add garp-send; do
	[ -x "$VIPKIT_BIN/$c" ] || { echo "vrrpctl-bench: $VIPKIT_BIN/$c not built (make)" >&2; exit 3; }
done
for c in keepalived tshark dumpcap ip; do
	command -v "$c" >/dev/null || { echo "vrrpctl-bench: $c not found (t/deps.sh)" >&2; exit 3; }
done

V=$VIPKIT_BIN/vrrpctl
VIP=192.0.2.240
MDI=0.3609375
HZ=$(getconf CLK_TCK)

lab_init
trap lab_teardown EXIT
lab_host h1 1
lab_host h2 2

fail() {
	echo "vrrpctl-bench: $*" >&2
	exit 1
}

median() {
	sort -n | awk '{ a[n++] = $1 } END { if (n == 0) { print "nan"; exit }
	    print (n % 2) ? a[int(n / 2)] : (a[n / 2 - 1] + a[n / 2]) / 2 }'
}

has_vip() {
	lab_exec "$1" ip -4 -o addr show dev eth0 | grep -q " $2/24 "
}

no_vip() {
	! has_vip "$@"
}

# ------------------------------------------------------------ (a) takeover

# takeover_conf FILE: one v3 instance, VRID 51, priority 100, 0.1 s.
takeover_conf() {
	printf 'global_defs {\n\trouter_id h2\n\tvrrp_version 3\n}\n' > "$1"
	printf 'vrrp_instance VI_1 {\n\tstate BACKUP\n\tinterface eth0\n' >> "$1"
	printf '\tvirtual_router_id 51\n\tpriority 100\n\tadvert_int 0.1\n' >> "$1"
	printf '\tvirtual_ipaddress {\n\t\t%s/24\n\t}\n}\n' "$VIP" >> "$1"
}

# takeover SIDE: RUNS kills of the master on h1 with SIDE as h2's backup;
# one kill stamp per line in $LAB_DIR/SIDE.kills.
takeover() {
	local side=$1 i pid
	: > "$LAB_DIR/$side.kills"
	for ((i = 0; i < RUNS; i++)); do
		lab_bg h1 "$LAB_DIR/announce.log" vrrp-announce -q \
		    --interface eth0 --vrid 51 --priority 200 --interval 0.1 "$VIP"
		pid=$LAB_PID
		# h2 hears the higher priority, stays or falls back to BACKUP
		lab_wait 10 no_vip h2 "$VIP" || fail "$side: h2 does not leave MASTER"
		sleep 1
		has_vip h2 "$VIP" && fail "$side: h2 took the VIP while h1 announces"
		date +%s.%N >> "$LAB_DIR/$side.kills"
		kill -KILL "$pid"
		wait "$pid" 2>/dev/null || :
		lab_wait 10 has_vip h2 "$VIP" || fail "$side: h2 did not take over"
		sleep 0.5
	done
}

PCAP=$LAB_DIR/takeover.pcap
takeover_conf "$LAB_DIR/h2.conf"
lab_tshark_start sw br0 "$PCAP" "ip proto 112 or arp"

CTL=$LAB_DIR/ctl.sock
lab_bg h2 "$LAB_DIR/vrrpctl.h2.log" "$V" run -f "$LAB_DIR/h2.conf" --control "$CTL"
VPID=$LAB_PID
lab_wait 5 test -S "$CTL" || fail "vrrpctl did not start: $(cat "$LAB_DIR/vrrpctl.h2.log")"
takeover vrrpctl
kill -TERM "$VPID"
wait "$VPID" 2>/dev/null || :
lab_wait 5 no_vip h2 "$VIP" || fail "vrrpctl left the VIP behind"

lab_keepalived h2 "$LAB_DIR/h2.conf"
KPID=$LAB_KEEPALIVED_PID
lab_wait 10 grep -q "Entering BACKUP STATE" "$LAB_DIR/keepalived.h2.log" ||
    fail "keepalived did not start: $(tail -5 "$LAB_DIR/keepalived.h2.log")"
takeover keepalived
kill -TERM "$KPID"
wait "$KPID" 2>/dev/null || :

sleep 1.2
lab_tshark_stop
tshark -r "$PCAP" -Y "vrrp && ip.src == 192.0.2.1" -T fields \
    -e frame.time_epoch 2>/dev/null > "$LAB_DIR/h1.adv"
tshark -r "$PCAP" -Y "vrrp && ip.src == 192.0.2.2 && vrrp.prio > 0" -T fields \
    -e frame.time_epoch 2>/dev/null > "$LAB_DIR/h2.adv"
tshark -r "$PCAP" -Y "arp.isgratuitous == 1 && arp.src.proto_ipv4 == $VIP" \
    -T fields -e frame.time_epoch 2>/dev/null > "$LAB_DIR/h2.garp"

# overhead SIDE: per kill, "ADVERT_MS GARP_MS" beyond Master_Down_Interval,
# from h1's last advert before the kill.
overhead() {
	awk -v mdi="$MDI" '
	FILENAME ~ /h1.adv$/ { a1[n1++] = $1; next }
	FILENAME ~ /h2.adv$/ { a2[n2++] = $1; next }
	FILENAME ~ /h2.garp$/ { g[ng++] = $1; next }
	{
		k = $1; last = ""; adv = ""; garp = ""
		for (i = 0; i < n1; i++) if (a1[i] <= k) last = a1[i]
		for (i = 0; i < n2; i++) if (a2[i] > k) { adv = a2[i]; break }
		for (i = 0; i < ng; i++) if (g[i] > k) { garp = g[i]; break }
		if (last == "" || adv == "" || garp == "")
			next
		printf "%.3f %.3f\n", (adv - last - mdi) * 1000, (garp - last - mdi) * 1000
	}' "$LAB_DIR/h1.adv" "$LAB_DIR/h2.adv" "$LAB_DIR/h2.garp" "$LAB_DIR/$1.kills"
}

overhead vrrpctl > "$LAB_DIR/vrrpctl.o"
overhead keepalived > "$LAB_DIR/keepalived.o"
nv=$(wc -l < "$LAB_DIR/vrrpctl.o")
nk=$(wc -l < "$LAB_DIR/keepalived.o")
[ "$nv" -eq "$RUNS" ] && [ "$nk" -eq "$RUNS" ] ||
    fail "saw $nv and $nk of $RUNS complete takeovers on the wire"
va=$(cut -d' ' -f1 "$LAB_DIR/vrrpctl.o" | median)
vg=$(cut -d' ' -f2 "$LAB_DIR/vrrpctl.o" | median)
ka=$(cut -d' ' -f1 "$LAB_DIR/keepalived.o" | median)
kg=$(cut -d' ' -f2 "$LAB_DIR/keepalived.o" | median)
echo "vrrpctl: takeover beyond Master_Down_Interval ($MDI s), v3 0.1 s, median of $RUNS"
printf '  %-12s first advert %8.3f ms   first GARP %8.3f ms   (runs: %s)\n' \
    vrrpctl "$va" "$vg" "$(cut -d' ' -f1 "$LAB_DIR/vrrpctl.o" | tr '\n' ' ')" \
    keepalived "$ka" "$kg" "$(cut -d' ' -f1 "$LAB_DIR/keepalived.o" | tr '\n' ' ')"
awk -v va="$va" -v vg="$vg" -v ka="$ka" -v kg="$kg" 'BEGIN {
	printf "  difference (vrrpctl - keepalived): advert %+.3f ms, GARP %+.3f ms\n",
	    va - ka, vg - kg
	if (va > 0 && vg > 0)
		printf "  ratio (keepalived / vrrpctl): advert %.2fx, GARP %.2fx\n",
		    ka / va, kg / vg }'

# ----------------------------------------------------------- (b) footprint

N=100
FCONF=$LAB_DIR/h1-100.conf
{
	printf 'global_defs {\n\trouter_id h1\n\tvrrp_version 3\n}\n'
	for ((i = 1; i <= N; i++)); do
		printf 'vrrp_instance VI_%d {\n\tstate BACKUP\n\tinterface eth0\n' "$i"
		printf '\tvirtual_router_id %d\n\tpriority 100\n\tadvert_int 1\n' "$i"
		printf '\tvirtual_ipaddress {\n\t\t192.0.2.%d/24\n\t}\n}\n' $((100 + i))
	done
} > "$FCONF"

all_vips() {
	[ "$(lab_exec h1 ip -4 -o addr show dev eth0 | grep -c ' 192\.0\.2\.[12][0-9][0-9]/24 ')" -eq "$N" ]
}

rss_kb() {
	local p s=0
	for p in "$@"; do
		s=$((s + $(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status")))
	done
	echo "$s"
}

ticks() {
	local p s=0
	for p in "$@"; do
		# fields after the ")" of comm: utime stime cutime cstime = 12..15
		s=$((s + $(sed 's/^.*) //' "/proc/$p/stat" | awk '{ print $12 + $13 + $14 + $15 }')))
	done
	echo "$s"
}

# footprint SIDE PID...: prints "RSS_KB CPU_PERCENT".
footprint() {
	local side=$1 t0 t1 c0 c1
	shift
	lab_wait 30 all_vips || fail "$side: not all $N instances became MASTER"
	# past the second GARP burst (garp_master_delay 5 s)
	sleep 7
	c0=$(ticks "$@")
	t0=$(date +%s.%N)
	sleep "$WINDOW"
	c1=$(ticks "$@")
	t1=$(date +%s.%N)
	awk -v r="$(rss_kb "$@")" -v c="$((c1 - c0))" -v hz="$HZ" -v t0="$t0" -v t1="$t1" \
	    'BEGIN { printf "%d %.3f\n", r, 100 * c / hz / (t1 - t0) }'
}

CTL1=$LAB_DIR/ctl1.sock
lab_bg h1 "$LAB_DIR/vrrpctl.h1.log" "$V" run -f "$FCONF" --control "$CTL1"
VPID=$LAB_PID
lab_wait 5 test -S "$CTL1" || fail "vrrpctl did not start: $(cat "$LAB_DIR/vrrpctl.h1.log")"
read -r vrss vcpu < <(footprint vrrpctl "$VPID")
vstates=$("$V" status --control "$CTL1" | grep -c ': MASTER ' || :)
kill -TERM "$VPID"
wait "$VPID" 2>/dev/null || :
lab_wait 10 bash -c "! ip netns exec $LAB-h1 ip -4 -o addr show dev eth0 | grep -q ' 192\.0\.2\.[12][0-9][0-9]/24 '" ||
    fail "vrrpctl left VIPs behind"
[ "$vstates" -eq "$N" ] || fail "vrrpctl: $vstates of $N instances MASTER"

lab_keepalived h1 "$FCONF"
KPID=$LAB_KEEPALIVED_PID
lab_wait 10 test -s "$LAB_DIR/keepalived.h1.vrrp.pid" || fail "keepalived VRRP child did not start"
KCHILD=$(cat "$LAB_DIR/keepalived.h1.vrrp.pid")
read -r krss kcpu < <(footprint keepalived "$KPID" "$KCHILD")

echo "vrrpctl: $N instances, v3 1 s adverts, all MASTER, ${WINDOW} s window"
printf '  %-12s RSS %8.1f MB   CPU %6.3f %% of one core\n' \
    vrrpctl "$(awk -v k="$vrss" 'BEGIN { print k / 1024 }')" "$vcpu" \
    keepalived "$(awk -v k="$krss" 'BEGIN { print k / 1024 }')" "$kcpu"
awk -v vr="$vrss" -v kr="$krss" -v vc="$vcpu" -v kc="$kcpu" 'BEGIN {
	printf "  ratio (vrrpctl / keepalived): RSS %.2fx", vr / kr
	if (kc > 0)
		printf ", CPU %.2fx", vc / kc
	printf "\n" }'
