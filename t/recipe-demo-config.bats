#!/usr/bin/env bats
# README recipe 3 shows the demo's configuration, t/demo/vrrpctl.conf,
# without its comments and with long lines folded. The block must say what
# the file says (so the two cannot drift apart), and the file, filled in as
# the demo fills it in, must be valid for vrrpctl and for keepalived. The
# demo's own test (t/demo.bats) runs it.

bats_require_minimum_version 1.5.0

setup() {
	load lib/lab
	load lib/readme
	cd "$BATS_TEST_DIRNAME/.."
	T=$(mktemp -d /tmp/vipkit-recipe3.XXXXXX)
}

teardown() {
	rm -rf "$T"
}

# normal: drop comments and blank lines, squeeze blanks, trim.
normal() {
	sed -e 's/^[[:space:]]*[#!].*//' -e 's/[[:space:]]\+/ /g' \
	    -e 's/^ //' -e 's/ $//' | grep -v '^$'
}

@test "recipe 3: the README block is t/demo/vrrpctl.conf, comments aside" {
	[ -s t/demo/vrrpctl.conf ]
	readme_joined t/demo/vrrpctl.conf | normal > "$T/readme"
	normal < t/demo/vrrpctl.conf > "$T/file"
	[ "$(wc -l < "$T/file")" -gt 20 ]
	diff -u "$T/file" "$T/readme"
	# and nothing in the block is longer than the README's 80 columns
	[ "$(readme_block t/demo/vrrpctl.conf | awk 'length($0) > 76' | wc -l)" -eq 0 ]
}

@test "recipe 3: the demo config, filled in, passes vrrpctl check; keepalived 2.2 refuses its sub-second check interval" {
	sed -e 's/@NODE@/a/g' -e 's/@PRIORITY@/150/g' -e "s|@ETC@|$T|g" \
	    -e "s|@HOOKLOG@|$T/hooks.log|g" t/demo/vrrpctl.conf > "$T/a.conf"
	! grep -q '@[A-Z]*@' "$T/a.conf"
	run vrrpctl check -f "$T/a.conf"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"1 instance, 1 script: ok" ]]
	# keepalived 2.2 wants whole seconds for a vrrp_script's interval
	# and timeout, as the README says
	run keepalived --config-test -f "$T/a.conf"
	[ "$status" -ne 0 ]
	[[ "$output" == *"vrrp script interval '0.3' must be between 1 and"* ]]
}
