#!/usr/bin/env bash
# vrrpctl under valgrind through a few flaps: alone it becomes MASTER,
# keepalived 2.2 (priority 200) on the peer preempts it, keepalived's
# SIGTERM (priority 0) hands mastership back, demote/resume, a SIGHUP
# reload (once valid, once invalid), then SIGTERM. Fails when valgrind
# reports any error or a definite/possible leak (exit 9), or a step does
# not happen.
# Usage: t/lib/vrrpctl-valgrind.sh   (root; uses the t/lib lab; run by
# t/vrrpctl-valgrind.bats). Valgrind has no pidfd_open, so this also proves
# that vrrpctl reaps its hooks through SIGCHLD when pidfds are missing.
set -eu

T=$(cd "$(dirname "$0")/.." && pwd)
BATS_TEST_DIRNAME=$T
. "$T/lib/lab.bash"

[ -x "$VIPKIT_BIN/vrrpctl" ] || { echo "vrrpctl-valgrind: $VIPKIT_BIN/vrrpctl not built (make)" >&2; exit 3; }
for c in valgrind keepalived ip; do
	command -v "$c" >/dev/null || { echo "vrrpctl-valgrind: $c not found (t/deps.sh)" >&2; exit 3; }
done

V=$VIPKIT_BIN/vrrpctl
VIP=192.0.2.240

lab_init
trap lab_teardown EXIT
lab_host h1 1
lab_host h2 2
CTL=$LAB_DIR/ctl.sock
VLOG=$LAB_DIR/valgrind.log

fail() {
	echo "vrrpctl-valgrind: $*" >&2
	[ -f "$VLOG" ] && tail -40 "$VLOG" >&2
	exit 1
}

# conf FILE ROUTER PRIORITY
conf() {
	printf 'global_defs {\n\trouter_id %s\n\tvrrp_version 3\n}\n' "$2" > "$1"
	printf 'vrrp_instance VI_1 {\n\tstate BACKUP\n\tinterface eth0\n' >> "$1"
	printf '\tvirtual_router_id 51\n\tpriority %s\n\tadvert_int 1\n' "$3" >> "$1"
	printf '\tvirtual_ipaddress {\n\t\t%s/24\n\t}\n}\n' "$VIP" >> "$1"
}

has_vip() {
	lab_exec "$1" ip -4 -o addr show dev eth0 | grep -q " $VIP/24 "
}

no_vip() {
	! has_vip "$1"
}

state_is() {
	"$V" status --control "$CTL" | grep -q "^VI_1: $1 "
}

step() {
	echo "vrrpctl-valgrind: $*"
}

conf "$LAB_DIR/h1.conf" h1 150
conf "$LAB_DIR/h2.conf" h2 200

lab_bg h1 "$VLOG" valgrind --leak-check=full --error-exitcode=9 \
    "$V" run -f "$LAB_DIR/h1.conf" --control "$CTL"
VPID=$LAB_PID
lab_wait 30 test -S "$CTL" || fail "vrrpctl did not start"
lab_wait 30 has_vip h1 || fail "vrrpctl alone did not become MASTER"
step "alone: MASTER"

lab_keepalived h2 "$LAB_DIR/h2.conf"
KPID=$LAB_KEEPALIVED_PID
lab_wait 30 has_vip h2 || fail "keepalived did not preempt"
lab_wait 30 no_vip h1 || fail "vrrpctl kept the VIP after preemption"
lab_wait 10 state_is BACKUP || fail "vrrpctl not BACKUP after preemption"
step "keepalived preempted: BACKUP"

kill -TERM "$KPID"
wait "$KPID" 2>/dev/null || :
lab_wait 30 has_vip h1 || fail "vrrpctl did not take over from keepalived's priority 0"
lab_wait 10 state_is MASTER || fail "vrrpctl not MASTER after keepalived left"
step "keepalived left: MASTER"

"$V" demote --control "$CTL" VI_1 || fail "demote failed"
lab_wait 30 no_vip h1 || fail "demote kept the VIP"
lab_wait 10 state_is BACKUP || fail "not BACKUP after demote"
"$V" resume --control "$CTL" VI_1 || fail "resume failed"
lab_wait 30 has_vip h1 || fail "resume did not take the VIP back"
step "demote/resume: BACKUP, MASTER again"

conf "$LAB_DIR/h1.conf" h1 140
kill -HUP "$VPID"
lab_wait 30 bash -c "'$V' status --control '$CTL' | grep -q '^VI_1: MASTER priority 140 '" ||
    fail "SIGHUP did not load priority 140"
printf 'vrrp_instance VI_1 {\n\tbogus_key 1\n}\n' > "$LAB_DIR/h1.conf"
kill -HUP "$VPID"
sleep 2
state_is MASTER || fail "an invalid reload disturbed the running instance"
"$V" status --control "$CTL" | grep -q '^VI_1: MASTER priority 140 ' ||
    fail "an invalid reload replaced the running config"
step "SIGHUP: valid reload applied, invalid one rejected"

kill -TERM "$VPID"
set +e
wait "$VPID"
rc=$?
set -e
no_vip h1 || fail "SIGTERM left the VIP on h1"
grep -q "ERROR SUMMARY" "$VLOG" || fail "valgrind did not finish"
grep -E "ERROR SUMMARY|definitely lost|indirectly lost|possibly lost|All heap blocks" "$VLOG" | sed 's/^==[0-9]*== /  /'
[ "$rc" -eq 0 ] || fail "vrrpctl under valgrind exited $rc (9: valgrind errors or leaks)"
grep -q "ERROR SUMMARY: 0 errors" "$VLOG" || fail "valgrind reported errors"
step "SIGTERM: clean exit, valgrind clean"
