#!/usr/bin/env bats
# make install / make uninstall. One install into a DESTDIR with
# PREFIX=/opt/vk is checked against an explicit list of files and modes;
# the programs run from there, the man pages render and man finds them,
# the completions load from the installed directories, the systemd unit
# passes systemd-analyze verify and names the installed vrrpctl, and the
# installed sample config, run by the installed vrrpctl in the lab with
# only the unit's capabilities, promotes and fences through its hooks.
# Uninstall leaves no file. Default and /usr prefixes put completions
# and the unit where zsh, man and systemd look.

bats_require_minimum_version 1.5.0

# Where each program goes: the list make install is held to.
BIN_PROGS="dbcheck set-readonly vrrp-listen wait-replica-caught-up"
SBIN_PROGS="garp-send vip-add vrrp-announce vrrpctl"
PFX=/opt/vk
CAPS="CAP_NET_RAW CAP_NET_ADMIN CAP_SETUID CAP_SETGID CAP_KILL"

# inst TARGET VAR=VALUE...: make with the suite's build of the programs.
inst() {
	# Run by bats directly, VIPKIT_BIN may be unset: never BUILD=. (that
	# would build into the source tree).
	make -s "$@" BUILD="$(dirname "${VIPKIT_BIN:-$PWD/build/bin}")" \
	    SANITIZE="${VIPKIT_SANITIZE:-}"
}

setup_file() {
	cd "$BATS_TEST_DIRNAME/.."
	# Under /run, whose parents only root can write: the sample test runs
	# its hooks with enable_script_security.
	DEST=$(mktemp -d /run/vipkit-install.XXXXXX)
	chmod 755 "$DEST"
	export DEST
	if ! inst install DESTDIR="$DEST" PREFIX="$PFX" >"$BATS_FILE_TMPDIR/install.log" 2>&1; then
		cat "$BATS_FILE_TMPDIR/install.log" >&2
		return 1
	fi
}

teardown_file() {
	[ -n "${DEST:-}" ] && rm -rf "$DEST"
}

setup() {
	load lib/lab
	cd "$BATS_TEST_DIRNAME/.."
	ROOT=$DEST$PFX
	UNIT=$ROOT/lib/systemd/system/vrrpctl.service
	SAMPLE=$ROOT/share/doc/vipkit/vrrpctl.conf.sample
	STUBS=""
}

teardown() {
	lab_teardown
	[ -n "$STUBS" ] && rm -rf "$STUBS"
	return 0
}

# ---------------------------------------------------------------- the tree

@test "install: the tree is exactly the expected list, with the right modes" {
	progs=$(ls cmd | sed 's/\.c$//' | sort | tr '\n' ' ')
	listed=$(printf '%s\n' $BIN_PROGS $SBIN_PROGS | sort | tr '\n' ' ')
	[ "$progs" = "$listed" ] ||
	    { echo "cmd/ has: $progs; this test lists: $listed"; false; }
	want=$(
		for p in $BIN_PROGS; do echo "755 $PFX/bin/$p"; done
		for p in $SBIN_PROGS; do echo "755 $PFX/sbin/$p"; done
		for p in $BIN_PROGS $SBIN_PROGS; do
			echo "644 $PFX/share/man/man1/$p.1"
			echo "644 $PFX/share/bash-completion/completions/$p"
			echo "644 $PFX/share/zsh/site-functions/_$p"
		done
		echo "644 $PFX/lib/systemd/system/vrrpctl.service"
		echo "644 $PFX/share/doc/vipkit/vrrpctl.conf.sample"
	)
	want=$(echo "$want" | sort)
	got=$(cd "$DEST" && find . ! -type d -printf '%m /%P\n' | sort)
	[ "$got" = "$want" ] ||
	    { diff <(echo "$want") <(echo "$got"); false; }
	wantdirs=$(printf '%s\n' /opt $PFX $PFX/bin $PFX/sbin $PFX/lib \
	    $PFX/lib/systemd $PFX/lib/systemd/system $PFX/share \
	    $PFX/share/man $PFX/share/man/man1 $PFX/share/bash-completion \
	    $PFX/share/bash-completion/completions $PFX/share/zsh \
	    $PFX/share/zsh/site-functions $PFX/share/doc $PFX/share/doc/vipkit | sort)
	gotdirs=$(cd "$DEST" && find . -mindepth 1 -type d -printf '/%P\n' | sort)
	[ "$gotdirs" = "$wantdirs" ] ||
	    { diff <(echo "$wantdirs") <(echo "$gotdirs"); false; }
	# The installed files are the built and written ones.
	for p in $BIN_PROGS; do cmp "$VIPKIT_BIN/$p" "$ROOT/bin/$p"; done
	for p in $SBIN_PROGS; do cmp "$VIPKIT_BIN/$p" "$ROOT/sbin/$p"; done
	for p in $BIN_PROGS $SBIN_PROGS; do
		cmp "man1/$p.1" "$ROOT/share/man/man1/$p.1"
		cmp "completions/$p" "$ROOT/share/bash-completion/completions/$p"
		cmp "completions/_$p" "$ROOT/share/zsh/site-functions/_$p"
	done
}

@test "install: the installed programs run and report the version" {
	version=$(sed -n 's/^VERSION *= *//p' Makefile)
	[ -n "$version" ]
	for p in $BIN_PROGS; do
		run "$ROOT/bin/$p" --version
		[ "$status" -eq 0 ] && [ "$output" = "$p (vipkit) $version" ] ||
		    { echo "$p: exit $status: $output"; false; }
	done
	for p in $SBIN_PROGS; do
		run "$ROOT/sbin/$p" --version
		[ "$status" -eq 0 ] && [ "$output" = "$p (vipkit) $version" ] ||
		    { echo "$p: exit $status: $output"; false; }
	done
}

@test "install: man finds the installed pages, which render without warnings" {
	for p in $BIN_PROGS $SBIN_PROGS; do
		run man -M "$ROOT/share/man" -w "$p"
		[ "$status" -eq 0 ] && [ "$output" = "$ROOT/share/man/man1/$p.1" ] ||
		    { echo "man -w $p: $output"; false; }
		warnings=$(MANWIDTH=80 man --warnings -l "$ROOT/share/man/man1/$p.1" 2>&1 >/dev/null)
		[ -z "$warnings" ] || { echo "$p.1: $warnings"; false; }
	done
	# vrrpctl(1) names what the install added.
	text=$(MANWIDTH=200 man -l "$ROOT/share/man/man1/vrrpctl.1" 2>/dev/null |
	    sed -n '/^FILES/,/^EXIT STATUS/p')
	[[ "$text" == *"/lib/systemd/system/vrrpctl.service"* ]]
	[[ "$text" == *"/share/doc/vipkit/vrrpctl.conf.sample"* ]]
	[[ "$text" == *"VRRPCTL_CONFIG"* ]]
}

@test "install: bash-completion and zsh load the completions from the installed directories" {
	for p in $BIN_PROGS $SBIN_PROGS; do
		run env XDG_DATA_DIRS="$ROOT/share" bash -c \
		    "source /usr/share/bash-completion/bash_completion; __load_completion $p && complete -p $p"
		[ "$status" -eq 0 ] && [[ "$output" == "complete "*" $p" ]] ||
		    { echo "bash, $p: exit $status: $output"; false; }
	done
	run zsh -fc "fpath=($ROOT/share/zsh/site-functions \$fpath); autoload -U compinit; compinit -u -D; for c in $BIN_PROGS $SBIN_PROGS; do print \"\$c=\${_comps[\$c]}\"; done"
	[ "$status" -eq 0 ]
	for p in $BIN_PROGS $SBIN_PROGS; do
		[[ "$output" == *"$p=_$p"* ]] || { echo "zsh: $p not registered: $output"; false; }
	done
}

@test "install: default and /usr prefixes put files where zsh, man and systemd look" {
	zfpath=$(zsh -fc 'print -l $fpath')
	units=$(systemd-analyze unit-paths)
	manp=$(manpath -g)
	for prefix in /usr/local /usr; do
		d=$(mktemp -d /run/vipkit-install.XXXXXX)
		if [ "$prefix" = /usr/local ]; then
			inst install DESTDIR="$d"	# PREFIX's default
			zdir=/usr/local/share/zsh/site-functions
		else
			inst install DESTDIR="$d" PREFIX=/usr
			zdir=/usr/share/zsh/vendor-completions
		fi
		[ -f "$d$zdir/_vrrpctl" ] || { echo "no $zdir/_vrrpctl"; rm -rf "$d"; false; }
		grep -qx "$zdir" <<<"$zfpath" || { echo "$zdir not in zsh's fpath"; rm -rf "$d"; false; }
		[ -f "$d$prefix/lib/systemd/system/vrrpctl.service" ] || { rm -rf "$d"; false; }
		grep -qx "$prefix/lib/systemd/system" <<<"$units" ||
		    { echo "$prefix/lib/systemd/system: not a unit path"; rm -rf "$d"; false; }
		grep -q "^ExecStart=$prefix/sbin/vrrpctl run " "$d$prefix/lib/systemd/system/vrrpctl.service" ||
		    { rm -rf "$d"; false; }
		[ -f "$d$prefix/share/man/man1/vrrpctl.1" ] || { rm -rf "$d"; false; }
		[[ ":$manp:" == *":$prefix/share/man:"* ]] ||
		    { echo "$prefix/share/man not in man's path: $manp"; rm -rf "$d"; false; }
		[ -x "$d$prefix/sbin/vrrpctl" ] && [ -x "$d$prefix/bin/dbcheck" ] || { rm -rf "$d"; false; }
		inst uninstall DESTDIR="$d" PREFIX="$prefix"
		left=$(find "$d" ! -type d)
		rm -rf "$d"
		[ -z "$left" ] || { echo "left after uninstall: $left"; false; }
	done
}

# ---------------------------------------------------------------- the unit

@test "install: the unit runs the installed vrrpctl and systemd-analyze verify accepts it" {
	! grep -n '@[A-Z]*@' "$UNIT"
	grep -qx "ExecStart=$PFX/sbin/vrrpctl run -f \${VRRPCTL_CONFIG}" "$UNIT"
	[ "$(grep -c '^ExecStart=' "$UNIT")" -eq 1 ]
	# verify needs the programs it names: a copy whose paths point into
	# DESTDIR, with the installed man page for Documentation=.
	mkdir "$BATS_TEST_TMPDIR/u"
	sed "s|$PFX/|$ROOT/|g" "$UNIT" > "$BATS_TEST_TMPDIR/u/vrrpctl.service"
	run env MANPATH="$ROOT/share/man" systemd-analyze verify "$BATS_TEST_TMPDIR/u/vrrpctl.service"
	[ "$status" -eq 0 ] && [ -z "$output" ] || { echo "verify: $output"; false; }
	# The check sees mistakes: a misspelt key, a missing program.
	sed 's/^KillMode=/KilMode=/' "$UNIT" | sed "s|$PFX/|$ROOT/|g" > "$BATS_TEST_TMPDIR/u/vrrpctl.service"
	run env MANPATH="$ROOT/share/man" systemd-analyze verify "$BATS_TEST_TMPDIR/u/vrrpctl.service"
	[[ "$output" == *"KilMode"* ]]
	run env MANPATH="$ROOT/share/man" systemd-analyze verify "$UNIT"
	[[ "$output" == *"$PFX/sbin/vrrpctl"*"not executable"* ]]
}

# key FILE SECTION KEY: the values of KEY in [SECTION], one per line.
key() {
	awk -v sec="[$2]" -v k="$3" '
		/^\[/ { in_sec = ($0 == sec); next }
		in_sec && index($0, k "=") == 1 { print substr($0, length(k) + 2) }
	' "$1"
}

@test "install: the unit's keys: notify, restart policy, stop, capabilities, no hook-breaking sandbox" {
	[ "$(key "$UNIT" Service Type)" = notify ]
	[ "$(key "$UNIT" Service NotifyAccess)" = main ]
	[ "$(key "$UNIT" Service Restart)" = on-failure ]
	[ "$(key "$UNIT" Service RestartSec)" = 2s ]
	[ "$(key "$UNIT" Service RestartPreventExitStatus)" = 2 ]
	[ "$(key "$UNIT" Service KillMode)" = mixed ]
	[ "$(key "$UNIT" Service TimeoutStopSec)" = 60s ]
	[ "$(key "$UNIT" Service Environment)" = "VRRPCTL_CONFIG=/etc/vipkit/vrrpctl.conf" ]
	[ "$(key "$UNIT" Service EnvironmentFile)" = "-/etc/default/vrrpctl" ]
	[ "$(key "$UNIT" Service ExecReload)" = "$PFX/sbin/vrrpctl check -q -f \${VRRPCTL_CONFIG}
/bin/kill -HUP \$MAINPID" ]
	[ "$(key "$UNIT" Service CapabilityBoundingSet)" = "$CAPS" ]
	[ "$(key "$UNIT" Install WantedBy)" = multi-user.target ]
	# Root, like keepalived; nothing that would break the user's hooks.
	for k in User DynamicUser AmbientCapabilities NoNewPrivileges PrivateNetwork \
	    PrivateTmp ProtectHome MemoryDenyWriteExecute PrivateDevices \
	    ProtectKernelTunables RuntimeDirectory; do
		[ -z "$(key "$UNIT" Service "$k")" ] || { echo "$k is set"; false; }
	done
	[ "$(key "$UNIT" Service ProtectSystem)" = true ]
	# The reload check is a command the installed vrrpctl runs: 0 for the
	# sample, 2 for a broken file.
	run "$ROOT/sbin/vrrpctl" check -q -f "$SAMPLE"
	[ "$status" -eq 0 ] && [ -z "$output" ]
	printf 'vrrp_instance X {\n\tpriority 0\n}\n' > "$BATS_TEST_TMPDIR/bad.conf"
	run "$ROOT/sbin/vrrpctl" check -q -f "$BATS_TEST_TMPDIR/bad.conf"
	[ "$status" -eq 2 ]
}

# ---------------------------------------------------------------- the sample

@test "install: the sample config checks clean and names the installed programs" {
	run "$ROOT/sbin/vrrpctl" check -f "$SAMPLE"
	[ "$status" -eq 0 ]
	[ "$output" = "$SAMPLE: 1 instance, 1 script: ok" ]
	! grep -n '@[A-Z]*@' "$SAMPLE"
	# Every program it runs is one of the installed ones, by its full path.
	used=$(grep -o "$PFX/[a-z]*/[a-z-]*" "$SAMPLE" | sort -u)
	[ "$used" = "$PFX/bin/dbcheck
$PFX/bin/set-readonly
$PFX/bin/wait-replica-caught-up" ]
	for u in $used; do [ -x "$DEST$u" ]; done
	# The unit's default file is where the sample says to copy it.
	grep -q '^! Copy it to /etc/vipkit/vrrpctl.conf ' "$SAMPLE"
}

# stub NAME BODY: a root-owned hook stand-in in $STUBS that logs its
# uid and arguments to $STUBS/log, then runs BODY.
stub() {
	printf '#!/bin/sh\necho "$(id -u) %s $*" >> %s/log\n%s\n' "$1" "$STUBS" "$2" > "$STUBS/$1"
	chmod 755 "$STUBS/$1"
}

# hooks: the log without the track script's lines.
hooks() {
	grep -v ' dbcheck ' "$STUBS/log" || true
}

has_vip() {
	lab_exec h1 ip -4 -o addr show dev eth0 | grep -q ' 192\.0\.2\.230/24 '
}

@test "install: the installed vrrpctl runs the sample with only the unit's capabilities: promotes, fences, kills a stale promotion" {
	STUBS=$(mktemp -d /run/vipkit-stubs.XXXXXX)
	chmod 755 "$STUBS"
	: > "$STUBS/log"
	chmod 666 "$STUBS/log"
	# dbcheck fails while $STUBS/fail exists; set-readonly off without
	# --force is refused (a replica), wait-replica-caught-up takes 30 s
	# while $STUBS/slow exists.
	stub dbcheck "[ ! -e $STUBS/fail ]"
	stub set-readonly 'case "$1 $2" in "off -q") exit 1;; esac; exit 0'
	stub wait-replica-caught-up "[ -e $STUBS/slow ] && sleep 30; echo \"\$(id -u) wait-replica-caught-up done\" >> $STUBS/log"
	# The sample as installed, with the stubs in place of the programs
	# and hooks run as nobody (setuid, and CAP_KILL to end them).
	sed -e "s|$PFX/bin/|$STUBS/|g" -e 's|script_user root |script_user nobody |' \
	    "$SAMPLE" > "$STUBS/vrrpctl.conf"
	[ "$(grep -o "$STUBS/" "$STUBS/vrrpctl.conf" | wc -l)" -eq 6 ]
	grep -q 'script_user nobody ' "$STUBS/vrrpctl.conf"
	"$ROOT/sbin/vrrpctl" check -q -f "$STUBS/vrrpctl.conf"
	nobody=$(id -u nobody)

	lab_init
	lab_host h1 1
	caps=$(echo "$CAPS" | tr 'A-Z ' 'a-z\n' | sed 's/^cap_/+/' | paste -sd,)
	lab_bg h1 "$LAB_DIR/vrrpctl.log" setpriv --bounding-set "-all,$caps" -- \
	    "$ROOT/sbin/vrrpctl" run -f "$STUBS/vrrpctl.conf" --control "$LAB_DIR/ctl.sock"
	VPID=$LAB_PID

	# Alone on the link: MASTER, the VIP, then the promotion in order:
	# refused, caught up, forced.
	lab_wait 15 has_vip || { cat "$LAB_DIR/vrrpctl.log"; false; }
	lab_wait 10 grep -q ' set-readonly off --force ' "$STUBS/log" ||
	    { cat "$LAB_DIR/vrrpctl.log" "$STUBS/log"; false; }
	hooks | tail -4 > "$BATS_TEST_TMPDIR/promo"
	run cat "$BATS_TEST_TMPDIR/promo"
	[ "${lines[0]}" = "$nobody set-readonly off -q --defaults-file /etc/vipkit/admin.cnf -S /run/mysqld/mysqld.sock" ] ||
	    { cat "$STUBS/log"; false; }
	[ "${lines[1]}" = "$nobody wait-replica-caught-up -q -t 120 --defaults-file /etc/vipkit/admin.cnf -S /run/mysqld/mysqld.sock" ]
	[ "${lines[2]}" = "$nobody wait-replica-caught-up done" ]
	[ "${lines[3]}" = "$nobody set-readonly off --force -q --defaults-file /etc/vipkit/admin.cnf -S /run/mysqld/mysqld.sock" ]
	grep -q "^$nobody dbcheck -q --defaults-file /etc/vipkit/monitor.cnf -S /run/mysqld/mysqld.sock$" "$STUBS/log"

	# The database fails: FAULT, fenced, VIP gone.
	touch "$STUBS/slow" "$STUBS/fail"
	lab_wait 15 eval '! has_vip' || { cat "$LAB_DIR/vrrpctl.log"; false; }
	lab_wait 10 eval 'hooks | tail -1 | grep -qx "$nobody set-readonly on --kill-sessions -q --defaults-file /etc/vipkit/admin.cnf -S /run/mysqld/mysqld.sock"' ||
	    { cat "$STUBS/log"; false; }
	grep -q 'VI_DB: MASTER -> FAULT' "$LAB_DIR/vrrpctl.log"

	# It recovers and is promoted again, but fails while the replica is
	# still catching up: the promotion is killed, never forced, and
	# the node is fenced.
	nwait=$(grep -c ' wait-replica-caught-up -q ' "$STUBS/log")
	rm "$STUBS/fail"
	lab_wait 20 eval '[ "$(grep -c " wait-replica-caught-up -q " "$STUBS/log")" -gt "$nwait" ]' ||
	    { cat "$LAB_DIR/vrrpctl.log" "$STUBS/log"; false; }
	forced=$(grep -c ' set-readonly off --force ' "$STUBS/log")
	touch "$STUBS/fail"
	lab_wait 15 eval '! has_vip'
	lab_wait 10 eval 'hooks | tail -1 | grep -q " set-readonly on --kill-sessions "' ||
	    { cat "$STUBS/log"; false; }
	sleep 1
	[ "$(grep -c ' set-readonly off --force ' "$STUBS/log")" -eq "$forced" ]
	[ "$(hooks | tail -2 | head -1)" = "$nobody wait-replica-caught-up -q -t 120 --defaults-file /etc/vipkit/admin.cnf -S /run/mysqld/mysqld.sock" ] ||
	    { cat "$STUBS/log"; false; }
	! pgrep -f "$STUBS/wait-replica-caught-up"
	kill -0 "$VPID"
}

# ---------------------------------------------------------------- uninstall

@test "install: uninstall removes every file and the vipkit doc directory" {
	inst uninstall DESTDIR="$DEST" PREFIX="$PFX"
	left=$(find "$DEST" ! -type d)
	[ -z "$left" ] || { echo "left after uninstall: $left"; false; }
	[ ! -e "$ROOT/share/doc/vipkit" ]
	# Shared directories stay (other packages use them).
	[ -d "$ROOT/share/man/man1" ]
	# Uninstalling again is harmless.
	inst uninstall DESTDIR="$DEST" PREFIX="$PFX"
}
