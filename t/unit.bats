#!/usr/bin/env bats
# Runs the C unit-test programs built from t/unit/*.c. Each file is its own
# test here, so a failure names the module.

setup() {
	load lib/lab
}

run_unit() {
	[ -x "$VIPKIT_UNIT/$1" ] || { echo "unit program $1 not built (make all)" >&2; return 1; }
	run "$VIPKIT_UNIT/$1"
	echo "$output"
	[ "$status" -eq 0 ]
}

@test "unit: cli number parsing and the JSON writer" {
	run_unit cli_test
}

@test "unit: VRRP codec against real keepalived adverts and damaged variants" {
	run_unit vrrp_test
}

@test "unit: running commands with timeouts, process groups, users; script security" {
	run_unit proc_test
}
