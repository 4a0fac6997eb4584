#!/usr/bin/env bats
# vrrpctl run's core: the pure hook queue (unit program), the hook
# timeout, in-process VIP add and GARP on takeover, the control socket's
# per-client deadline, VIP changes on reload, sd_notify.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	cd "$BATS_TEST_DIRNAME/.."
	V="$VIPKIT_BIN/vrrpctl"
}

teardown() {
	lab_teardown
}

@test "unit: hook queue (order, one at a time, stale termination, timeout, unknown pid, full)" {
	[ -x "$VIPKIT_UNIT/hookq" ] || { echo "unit program hookq not built (make all)"; false; }
	run "$VIPKIT_UNIT/hookq"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *" 0 failed"* ]]
}
