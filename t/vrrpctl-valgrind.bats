#!/usr/bin/env bats
# vrrpctl under valgrind through flaps against keepalived (preempted,
# handed back, demote/resume, SIGHUP valid and invalid, SIGTERM): no
# memory errors, no leaks. valgrind does not implement pidfd_open, so the
# run also proves that hooks are reaped through SIGCHLD without pidfds (a
# stale vip-add hook used to be waited for forever, and the VIP stayed).

setup() {
	load lib/lab
}

@test "vrrpctl: valgrind-clean through flaps; hooks reaped by SIGCHLD without pidfds" {
	bin=$VIPKIT_BIN
	if [ "${VIPKIT_SANITIZE:-}" = 1 ]; then
		# valgrind cannot run ASan binaries: use a plain build
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$BATS_TEST_DIRNAME/.." \
		    SANITIZE= BUILD=build build/bin/vrrpctl build/bin/vip-add build/bin/garp-send
		bin=$(cd "$BATS_TEST_DIRNAME/.." && pwd)/build/bin
	fi
	run env VIPKIT_BIN="$bin" bash "$BATS_TEST_DIRNAME/lib/vrrpctl-valgrind.sh"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"keepalived preempted: BACKUP"* ]]
	[[ "$output" == *"SIGTERM: clean exit, valgrind clean"* ]]
}
