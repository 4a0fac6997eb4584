#!/usr/bin/env bats
# The README itself: plain text in 80 columns, the first screen gives the
# two commands, every block marked "# file:", "# run:" or "# output:" is
# used by a recipe test, and the block extractor (t/lib/readme.bash) does
# what the recipe tests rely on.

bats_require_minimum_version 1.5.0

setup() {
	load lib/readme
	cd "$BATS_TEST_DIRNAME/.."
}

@test "README: plain text, 80 columns, no tabs, no markdown headings" {
	run awk 'length($0) > 80 { print FNR": "$0 }' README
	echo "$output"
	[ -z "$output" ]
	! grep -n "$(printf '\t')" README
	! grep -nE '^#+ |^```' README
}

@test "README: the first screen says what it is for and gives make demo and make check" {
	head -24 README > "$BATS_TEST_TMPDIR/first"
	grep -q "virtual IP" "$BATS_TEST_TMPDIR/first"
	grep -qE '^    make demo +# ' "$BATS_TEST_TMPDIR/first"
	grep -qE '^    make check +# ' "$BATS_TEST_TMPDIR/first"
	# the install section names the unit and the sample configuration
	for f in etc/*.in; do
		grep -q "$f" README || { echo "README does not name $f"; false; }
	done
	grep -q "vrrpctl.conf.sample" README
	grep -q "DESTDIR" README
	# one paragraph per program
	for p in vrrp-announce vrrp-listen vip-add garp-send dbcheck \
	    wait-replica-caught-up set-readonly vrrpctl; do
		grep -qE "^$p - " README || { echo "no paragraph for $p"; false; }
	done
}

@test "README: every marked block is exercised by a recipe test" {
	local name kind found missing=0
	while IFS= read -r name; do
		found=
		for kind in block file joined line; do
			if grep -qF -e "readme_$kind $name" -e "readme_$kind \"$name\"" t/recipe-*.bats; then
				found=1
			fi
		done
		[ -n "$found" ] || { echo "not used by any test: $name"; missing=1; }
	done < <(sed -n 's/^    # \(file\|run\|output\): //p' README)
	[ "$missing" = 0 ]
	[ "$(sed -n 's/^    # \(file\|run\|output\): //p' README | wc -l)" -ge 20 ]
	# and every name is unique
	[ -z "$(sed -n 's/^    # \(file\|run\|output\): //p' README | sort | uniq -d)" ]
}

@test "readme.bash: blocks end at the next marker or text; missing and duplicate names fail; folds join" {
	README=$BATS_TEST_TMPDIR/R
	cat > "$README" <<-'EOF2'
	Intro.

	    # file: a.conf
	    one {
	        two
	    }

	    three
	    # run: cmds
	    echo a \
	        b
	    echo c
	Text.

	    # output: same
	    x
	    # output: same
	    y
	EOF2
	run readme_block a.conf
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'one {\n    two\n}\n\nthree')" ]
	run readme_block cmds
	[ "${lines[0]}" = 'echo a \' ]
	run readme_joined cmds
	[ "$output" = "$(printf 'echo a b\necho c')" ]
	run readme_line cmds "echo c"
	[ "$output" = "echo c" ]
	run readme_line cmds "echo"
	[ "$status" -ne 0 ]
	run --separate-stderr readme_block nonesuch
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"'nonesuch' occurs 0 times"* ]]
	run --separate-stderr readme_block same
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"'same' occurs 2 times"* ]]
	readme_file a.conf "$BATS_TEST_TMPDIR/out/a.conf" 's/two/2/'
	grep -q '^    2$' "$BATS_TEST_TMPDIR/out/a.conf"
}
