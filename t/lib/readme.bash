# Helpers for the README recipe tests (t/recipe-*.bats).
#
# The README marks every block a test runs with a first line
#
#     # file: NAME        a file (config, script, SQL) named NAME
#     # run: NAME         commands, one per line
#     # output: NAME      what a command printed
#
# inside an indented block (4 spaces). readme_block NAME prints that block
# without the marker line and without the 4-space indent: it ends at the
# first non-blank line indented less than 4 spaces or at the next marker,
# trailing blank lines dropped. NAME must occur exactly once, so a renamed or duplicated block
# fails the test instead of testing something else.

: "${README:=$(cd "$BATS_TEST_DIRNAME/.." && pwd)/README}"

readme_block() {
	local name=$1 n
	n=$(grep -cFx -e "    # file: $name" -e "    # run: $name" \
	    -e "    # output: $name" "$README")
	if [ "$n" != 1 ]; then
		echo "readme: block '$name' occurs $n times in $README (want 1)" >&2
		return 1
	fi
	awk -v a="    # file: $name" -v b="    # run: $name" \
	    -v c="    # output: $name" '
		!on && ($0 == a || $0 == b || $0 == c) { on = 1; next }
		on && /[^ ]/ && !/^    / { exit }
		on && /^    # (file|run|output): / { exit }
		on { sub(/^    /, ""); buf[++n] = $0 }
		END {
			while (n > 0 && buf[n] ~ /^ *$/) n--
			for (i = 1; i <= n; i++) print buf[i]
		}' "$README"
}

# readme_joined NAME: block NAME with folded lines joined: a line ending
# in " \" continues with the next one (its leading blanks become one space).
readme_joined() {
	readme_block "$1" | awk '
		{
			s = $0
			if (cont) { sub(/^[ \t]+/, "", s); line = line " " s }
			else line = s
		}
		line ~ / \\$/ { sub(/ \\$/, "", line); cont = 1; next }
		{ print line; cont = 0 }
		END { if (cont) print line }'
}

# readme_file NAME DEST [SED-SCRIPT]: write block NAME to DEST, edited by
# the sed script when one is given (the test documents each substitution).
readme_file() {
	local name=$1 dest=$2 ed=${3:-}
	mkdir -p "$(dirname "$dest")"
	if [ -n "$ed" ]; then
		readme_block "$name" | sed -e "$ed" > "$dest"
	else
		readme_block "$name" > "$dest"
	fi
	[ -s "$dest" ] || { echo "readme: block '$name' is empty" >&2; return 1; }
	case $(head -c 2 "$dest") in '#!') chmod 755 "$dest" ;; esac
}

# readme_line NAME PREFIX: the one line of block NAME that starts with
# PREFIX (exactly one must).
readme_line() {
	local out n
	out=$(readme_block "$1" | awk -v p="$2" 'index($0, p) == 1') || return 1
	n=$(printf '%s' "$out" | grep -c .)
	if [ "$n" != 1 ]; then
		echo "readme: block '$1' has $n lines starting with '$2' (want 1)" >&2
		return 1
	fi
	printf '%s\n' "$out"
}

# ------------------------------------------------------------------
# MariaDB servers inside lab hosts, so that a recipe's addresses work as
# written: NAME's server listens on 192.0.2.IDX:3306 in namespace
# $LAB-NAME (and on its unix socket, which the tests use as root).
# Needs lab_init and db_lab_init first. Uses db_start from t/lib/db.bash
# through a mariadbd shim that enters the namespace named by DB_NETNS.

recipe_db_shim() {
	RECIPE_SHIM=$DB_LAB/shim
	mkdir -p "$RECIPE_SHIM"
	cat > "$RECIPE_SHIM/mariadbd" <<-'EOF'
	#!/bin/sh
	d=$(command -v /usr/sbin/mariadbd || command -v /usr/bin/mariadbd)
	if [ -n "${DB_NETNS:-}" ]; then
		exec ip netns exec "$DB_NETNS" "$d" "$@"
	fi
	exec "$d" "$@"
	EOF
	chmod 755 "$RECIPE_SHIM/mariadbd"
	export RECIPE_SHIM
}

# recipe_db_host NAME IDX SERVER_ID [mariadbd options]: lab host NAME with
# a MariaDB server on 192.0.2.IDX:3306.
recipe_db_host() {
	local name=$1 idx=$2 id=$3
	shift 3
	[ -n "${RECIPE_SHIM:-}" ] || recipe_db_shim
	lab_host "$name" "$idx" || return 1
	DB_NETNS="$LAB-$name" PATH="$RECIPE_SHIM:$PATH" db_start "$name" "$id" \
	    --bind-address="192.0.2.$idx" --port=3306 "$@"
}

# recipe_db_restart NAME IDX SERVER_ID [options]: start a stopped server again.
recipe_db_restart() {
	local name=$1 idx=$2 id=$3
	shift 3
	DB_NETNS="$LAB-$name" PATH="$RECIPE_SHIM:$PATH" db_start "$name" "$id" \
	    --bind-address="192.0.2.$idx" --port=3306 "$@"
}

# recipe_replicate REPLICA PRIMARY_IDX: GTID replication from
# 192.0.2.PRIMARY_IDX:3306 over the lab network, running.
recipe_replicate() {
	db_sql "$1" "CHANGE MASTER TO MASTER_HOST='192.0.2.$2',
	    MASTER_PORT=3306, MASTER_USER='repl',
	    MASTER_PASSWORD='$DB_REPL_PW', MASTER_USE_GTID=slave_pos,
	    MASTER_CONNECT_RETRY=1; START SLAVE" || return 1
	db_wait_field "$1" Slave_IO_Running Yes || return 1
	db_wait_field "$1" Slave_SQL_Running Yes
}

# recipe_ro NAME: the server's @@read_only (0 or 1).
recipe_ro() {
	db_sql "$1" "SELECT @@read_only"
}

# recipe_has_vip HOST ADDR: ADDR is on HOST's eth0.
recipe_has_vip() {
	lab_exec "$1" ip -4 -o addr show dev eth0 | grep -q " $2/"
}

recipe_no_vip() {
	! recipe_has_vip "$@"
}
