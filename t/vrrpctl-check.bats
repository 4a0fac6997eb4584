#!/usr/bin/env bats
# vrrpctl check: keepalived.conf files (the seed article's, keepalived's
# own man page values and sample) check clean; every broken config gives
# its exact FILE:LINE messages (listed as "# expect: LINE: message" at the
# top of each t/data/conf/bad-*.conf); includes with globs; the default
# path is keepalived's. Also the C unit programs of conf and fsm.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	cd "$BATS_TEST_DIRNAME/.."
	V="$VIPKIT_BIN/vrrpctl"
	D=t/data/conf
}

@test "vrrpctl: --help, -V, bad option, bad or missing command" {
	run "$V" --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: vrrpctl"* ]]
	[[ "$output" == *"check [-q] [-f FILE]"* ]]
	run "$V" -V
	[ "$status" -eq 0 ]
	[[ "$output" == "vrrpctl (vipkit) "* ]]
	run --separate-stderr "$V" --bogus
	[ "$status" -eq 2 ]
	[ -z "$output" ]
	[[ "$stderr" == *"usage: vrrpctl"* ]]
	run --separate-stderr "$V" frobnicate
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"vrrpctl: frobnicate: unknown command"* ]]
	run --separate-stderr "$V"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"no command given"* ]]
	run "$V" check --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: vrrpctl check"* ]]
	run --separate-stderr "$V" check -x
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"usage: vrrpctl check"* ]]
	run --separate-stderr "$V" check -f "$D/seed000-primary.conf" extra
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"unexpected argument 'extra'"* ]]
}

@test "vrrpctl: man page renders without warnings, completions load" {
	run sh -c "man --warnings -l man1/vrrpctl.1 2>&1 >/dev/null"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run sh -c "man -l man1/vrrpctl.1 | col -b"
	[[ "$output" == *"keepalived"* ]]
	[[ "$output" == *"MIGRATING FROM KEEPALIVED"* ]]
	run bash -c 'source completions/vrrpctl && complete -p vrrpctl'
	[ "$status" -eq 0 ]
	[[ "$output" == *"_vrrpctl"* ]]
	# The bash completion offers the subcommands and, after -f, files.
	run bash -c 'source completions/vrrpctl
		COMP_WORDS=(vrrpctl ch); COMP_CWORD=1; _vrrpctl; echo "${COMPREPLY[*]}"'
	[ "$output" = "check" ]
	run zsh -fc 'autoload -Uz compinit; compinit -u; source completions/_vrrpctl' 2>&1
	[ "$status" -eq 0 ]
}

@test "vrrpctl check: the seed article's keepalived.conf examples are valid" {
	for f in seed000-primary seed000-secondary; do
		run --separate-stderr "$V" check -f "$D/$f.conf"
		[ "$status" -eq 0 ]
		[ "$output" = "$D/$f.conf: 1 instance, 0 scripts: ok" ]
		[ -z "$stderr" ]
	done
	run --separate-stderr "$V" check -f "$D/seed000-script.conf"
	[ "$status" -eq 0 ]
	[ "$output" = "$D/seed000-script.conf: 1 instance, 1 script: ok" ]
	[ -z "$stderr" ]
	run --separate-stderr "$V" check -q -f "$D/seed000-script.conf"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "vrrpctl check: keepalived's man page values and its sample config are valid" {
	run --separate-stderr "$V" check -f "$D/manpage-vrrp.conf"
	[ "$status" -eq 0 ]
	[ "$output" = "$D/manpage-vrrp.conf: 2 instances, 2 scripts: ok" ]
	[ -z "$stderr" ]
	run --separate-stderr "$V" check -f "$D/keepalived-sample-localcheck.conf"
	[ "$status" -eq 0 ]
	[ "$output" = "$D/keepalived-sample-localcheck.conf: 9 instances, 5 scripts: ok" ]
	[ -z "$stderr" ]
}

@test "vrrpctl check: each broken config gives its exact FILE:LINE errors, exit 2" {
	local f n=0 want got
	for f in "$D"/bad-*.conf; do
		want=$(sed -n "s|^# expect: |$f:|p" "$f" | sed "s|FILE|$f|")
		[ -n "$want" ] || { echo "$f: no expectations"; false; }
		run --separate-stderr "$V" check -f "$f"
		[ "$status" -eq 2 ] || { echo "$f: exit $status"; false; }
		[ -z "$output" ]
		got=$(printf '%s\n' "$stderr" | grep -v ': warning: ' | grep -v '^vrrpctl: ')
		[ "$got" = "$want" ] || { echo "$f:"; diff <(echo "$want") <(echo "$got"); false; }
		# The last line counts the errors.
		[[ "$stderr" == *"vrrpctl: $f: $(echo "$want" | wc -l) error"* ]]
		n=$((n + 1))
	done
	[ "$n" -ge 8 ]
}

@test "vrrpctl check: unsupported keywords (LVS, sync groups, smtp) are errors, never ignored" {
	run --separate-stderr "$V" check -f "$D/bad-unsupported.conf"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"$D/bad-unsupported.conf:28: virtual_server: LVS is not supported by vrrpctl"* ]]
	[[ "$stderr" == *"$D/bad-unsupported.conf:15: unsupported keyword 'vrrp_sync_group'"* ]]
	# Nothing inside a rejected block is reported again (real_server, TCP_CHECK).
	[[ "$stderr" != *real_server* ]]
	[[ "$stderr" != *TCP_CHECK* ]]
	run --separate-stderr "$V" check -f "$D/bad-keepalived-sample-smtp.conf"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *":25: unsupported keyword 'smtp_alert' in vrrp_instance"* ]]
	[[ "$stderr" == *": warning: 192.168.200.18: listed twice"* ]]
}

@test "vrrpctl check: include with globs, relative to the including file" {
	local dir=$PWD/$D/include
	# From another directory: includes resolve against the file's own dir.
	run --separate-stderr sh -c "cd / && '$V' check -f '$dir/main.conf'"
	[ "$status" -eq 0 ]
	[ "$output" = "$dir/main.conf: 1 instance, 1 script: ok" ]
	[ -z "$stderr" ]
	# An error in an included file names that file; so does a duplicate VRID
	# across files.
	run --separate-stderr "$V" check -f "$D/include/bad-main.conf"
	[ "$status" -eq 2 ]
	[ "$(printf '%s\n' "$stderr" | head -2)" = "$D/include/bad/err.conf:1: vrrp_instance VI_BAD: virtual_router_id 77 on eth0 (IPv4) is already used by vrrp_instance VI_INC at $D/include/conf.d/20-instance.conf:1
$D/include/bad/err.conf:7: unsupported keyword 'lvs_sync_daemon' in vrrp_instance" ]
	# A cycle is an error, not a hang.
	run --separate-stderr timeout 10 "$V" check -f "$D/include/cycle/a.conf"
	[ "$status" -eq 2 ]
	[[ "$stderr" == "$D/include/cycle/b.conf:1: include $D/include/cycle/a.conf: include cycle"* ]]
	# A glob that matches nothing warns; a missing plain file is an error.
	local tmp=$BATS_TEST_TMPDIR
	cp "$D/seed000-primary.conf" "$tmp/k.conf"
	printf 'include none/*.conf\ninclude nothere.conf\n' >> "$tmp/k.conf"
	run --separate-stderr "$V" check -f "$tmp/k.conf"
	[ "$status" -eq 2 ]
	[ "$stderr" = "$tmp/k.conf:16: include $tmp/nothere.conf: no such file
$tmp/k.conf:15: warning: include $tmp/none/*.conf: no file matches
vrrpctl: $tmp/k.conf: 1 error" ]
}

@test "vrrpctl check: default config is keepalived's; a missing file is exit 2" {
	local tmp=$BATS_TEST_TMPDIR/etc-keepalived
	mkdir -p "$tmp"
	cp "$D/seed000-script.conf" "$tmp/keepalived.conf"
	# A private mount namespace: /etc/keepalived (from the keepalived
	# package) shows our file only inside it.
	[ -d /etc/keepalived ] || { echo "/etc/keepalived missing: run t/deps.sh"; false; }
	run --separate-stderr unshare --mount --propagation private sh -c \
	    "mount --bind '$tmp' /etc/keepalived && exec '$V' check"
	[ "$status" -eq 0 ]
	[ "$output" = "/etc/keepalived/keepalived.conf: 1 instance, 1 script: ok" ]
	run --separate-stderr "$V" check -f "$tmp/nope.conf"
	[ "$status" -eq 2 ]
	[ "$stderr" = "$tmp/nope.conf: No such file or directory
vrrpctl: $tmp/nope.conf: 1 error" ]
}

@test "vrrpctl status: a stale or root-only control socket says what to do, exit 3" {
	local sock=$BATS_TEST_TMPDIR/ctl.sock
	# A socket file nobody listens on (a daemon that died).
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$sock"
	run --separate-stderr "$V" status -c "$sock"
	[ "$status" -eq 3 ]
	[ "$stderr" = "vrrpctl: $sock: cannot reach the daemon: Connection refused (the daemon that made this socket is gone: start 'vrrpctl run')" ]
	chmod 755 "$BATS_TEST_TMPDIR"
	chmod 600 "$sock"
	run --separate-stderr setpriv --reuid=nobody --regid=nogroup --clear-groups "$V" status -c "$sock"
	[ "$status" -eq 3 ]
	[ "$stderr" = "vrrpctl: $sock: cannot reach the daemon: Permission denied (the control socket is root-only: run as root)" ]
	# Something else listens there: its answer is not taken for a status.
	rm -f "$sock"
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.bind(sys.argv[1]); s.listen(1); s.settimeout(10)
c, _ = s.accept(); c.recv(100); c.sendall(b"hello\n0\n"); c.close()' "$sock" &
	local i
	for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.1; done
	run --separate-stderr "$V" status -c "$sock"
	wait
	[ "$status" -eq 3 ]
	[ "$stderr" = "vrrpctl: $sock: not an answer of vrrpctl run: 'hello' (is --control the right socket?)" ]
}

@test "unit: conf parser (structs, quoting, includes, messages)" {
	run "$VIPKIT_UNIT/conf_test"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *", 0 failed" ]]
}

@test "unit: fsm against RFC 3768/5798 timings" {
	run "$VIPKIT_UNIT/fsm_test"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *", 0 failed" ]]
}
