#!/usr/bin/env bats
# The promises every program keeps, checked for each program in cmd/:
# -h/--help to stdout with exit 0, -V/--version, a bad option -> usage on
# stderr and exit 2, a man page that renders without warnings, bash and
# zsh completions that load. `make install` is tested in t/install.bats.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	cd "$BATS_TEST_DIRNAME/.."
	PROGS=$(ls cmd | sed 's/\.c$//' | sort)
	[ -n "$PROGS" ]
}

@test "conventions: every program answers --help, -h, --version, -V" {
	for p in $PROGS; do
		[ -x "$VIPKIT_BIN/$p" ] || { echo "$p: not built"; false; }
		run "$VIPKIT_BIN/$p" --help
		[ "$status" -eq 0 ] || { echo "$p --help: exit $status"; false; }
		[[ "$output" == *sage* ]] || { echo "$p --help: no usage: $output"; false; }
		run "$VIPKIT_BIN/$p" -h
		[ "$status" -eq 0 ] || { echo "$p -h: exit $status"; false; }
		run "$VIPKIT_BIN/$p" --version
		[ "$status" -eq 0 ] || { echo "$p --version: exit $status"; false; }
		[[ "$output" == "$p (vipkit) "* ]] || { echo "$p --version: $output"; false; }
		run "$VIPKIT_BIN/$p" -V
		[ "$status" -eq 0 ] || { echo "$p -V: exit $status"; false; }
	done
}

@test "conventions: a bad option prints usage to stderr and exits 2" {
	for p in $PROGS; do
		run --separate-stderr "$VIPKIT_BIN/$p" --no-such-option-here
		[ "$status" -eq 2 ] || { echo "$p: bad option gave exit $status"; false; }
		[ -z "$output" ] || { echo "$p: bad option wrote to stdout: $output"; false; }
		[ -n "$stderr" ] || { echo "$p: bad option said nothing on stderr"; false; }
	done
}

@test "conventions: every program has a man page that renders without warnings" {
	for p in $PROGS; do
		[ -f "man1/$p.1" ] || { echo "$p: man1/$p.1 missing"; false; }
		warnings=$(MANWIDTH=80 man --warnings -l "man1/$p.1" 2>&1 >/dev/null)
		[ -z "$warnings" ] || { echo "$p: man page warnings: $warnings"; false; }
		text=$(MANWIDTH=80 man -l "man1/$p.1" 2>/dev/null)
		for sec in NAME SYNOPSIS DESCRIPTION "EXIT STATUS" EXAMPLES; do
			[[ "$text" == *"$sec"* ]] || { echo "$p: man page lacks $sec"; false; }
		done
	done
}

@test "conventions: every program has bash and zsh completions that load" {
	for p in $PROGS; do
		[ -f "completions/$p" ] || { echo "$p: no bash completion"; false; }
		run bash -c "source /usr/share/bash-completion/bash_completion 2>/dev/null; source completions/$p && complete -p $p"
		[ "$status" -eq 0 ] || { echo "$p: bash completion does not register: $output"; false; }
		[ -f "completions/_$p" ] || { echo "$p: no zsh completion"; false; }
		head -1 "completions/_$p" | grep -q "^#compdef.*$p" ||
		    { echo "$p: zsh completion lacks #compdef $p"; false; }
		run zsh -c "autoload -U compinit; compinit -u -D; fpath=($PWD/completions \$fpath); autoload -U _$p && whence -w _$p"
		[ "$status" -eq 0 ] || { echo "$p: zsh completion does not load: $output"; false; }
		zsh -n "completions/_$p" || { echo "$p: zsh completion has a syntax error"; false; }
	done
}
