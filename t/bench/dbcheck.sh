#!/bin/bash
# dbcheck against what the source material uses, side by side, one run:
#  1. one-shot: dbcheck --role replica vs the seed's shell check
#     (mysql -e "show slave status\G" | grep Running | grep -c Yes),
#     hyperfine, RUNS runs each;
#     dbcheck runs without a shell, as keepalived runs a track_script
#     command line (split into words, exec'd); the seed's pipeline needs one.
#  2. servers: dbcheck --serve-http vs a fork-per-request responder running
#     that shell check (the xinetd pattern, here served by socat), REQS
#     sequential requests each from one curl process, ROUNDS rounds that
#     alternate between the two; the median round of each is compared.
#     Both answer every request with a fresh check (dbcheck's default
#     --cache-ms 0: every request queries the database).
# Loopback only; a MariaDB primary + replica started for the run; both
# checks use the same replica, the same account and the same option file.
set -eu
cd "$(dirname "$0")/../.."
: "${VIPKIT_BIN:=$PWD/build/bin}"
RUNS=${RUNS:-200}
REQS=${REQS:-200}
ROUNDS=${ROUNDS:-3}
for b in hyperfine socat curl mariadb; do
	command -v "$b" >/dev/null || { echo "bench: $b not found (t/deps.sh)" >&2; exit 3; }
done
. t/lib/db.bash
db_lab_init
trap db_lab_teardown EXIT
db_lab_pair p r >/dev/null
cnf=$DB_LAB/monitor.cnf
db_defaults_file "$cnf" monitor "$DB_MONITOR_PW"
sock=$(db_sock r)
mysql=$(command -v mysql || command -v mariadb)
shell_check="$mysql --defaults-file=$cnf -S $sock -e 'show slave status\\G' | grep Running | grep -c Yes"

# Both checks agree before they are timed.
"$VIPKIT_BIN/dbcheck" --defaults-file "$cnf" -S "$sock" --role replica -q
[ "$(sh -c "$shell_check")" = 3 ] || [ "$(sh -c "$shell_check")" = 2 ] ||
    { echo "bench: the shell check does not see a running replica" >&2; exit 3; }

echo "== one-shot check, $RUNS runs each (hyperfine)"
hyperfine -N --warmup 10 --runs "$RUNS" --style basic \
    --export-json "$DB_LAB/oneshot.json" \
    -n dbcheck "$VIPKIT_BIN/dbcheck --defaults-file $cnf -S $sock --role replica -q" \
    -n "mysql|grep" "sh -c \"$shell_check\"" \
    -n "dbcheck --version (start-up floor)" "$VIPKIT_BIN/dbcheck --version" |
    grep -E 'Time|Benchmark' || :
read -r t_db t_sh t_floor < <(awk -F'"mean":' 'NF > 1 { for (i = 2; i <= NF; i++) { split($i, a, ","); m[n++] = a[1] } }
    END { printf "%.6f %.6f %.6f\n", m[0], m[1], m[2] }' <(tr -d ' \n' < "$DB_LAB/oneshot.json"))

echo "== HTTP check server, $REQS sequential requests each (one curl)"
"$VIPKIT_BIN/dbcheck" --defaults-file "$cnf" -S "$sock" --role replica \
    --serve-http 127.0.0.1:0 2>"$DB_LAB/srv.log" &
echo $! >> "$DB_LAB/pids"
for i in $(seq 1 100); do
	grep -qs 'serve-http: listening' "$DB_LAB/srv.log" && break
	sleep 0.05
done
hp=$(sed -n 's/.*serve-http: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$DB_LAB/srv.log")

cat > "$DB_LAB/xinetd-check.sh" <<SH
#!/bin/sh
# The seed's per-request responder: one process and one login per check.
read -r line
n=\$($shell_check)
if [ "\$n" -ge 2 ]; then
	printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nup\n'
else
	printf 'HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\ndown\n'
fi
SH
chmod 755 "$DB_LAB/xinetd-check.sh"
sp=$(db_free_port)
socat "TCP-LISTEN:$sp,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:$DB_LAB/xinetd-check.sh" 2>/dev/null &
echo $! >> "$DB_LAB/pids"
for i in $(seq 1 100); do
	curl -s -m 5 -o /dev/null "http://127.0.0.1:$sp/" && break
	sleep 0.05
done

# run_curl PORT: REQS sequential GETs from one curl; prints seconds.
run_curl() {
	local cfg=$DB_LAB/curl.$1 t0 t1 ok
	: > "$cfg"
	for i in $(seq 1 "$REQS"); do
		printf 'url = "http://127.0.0.1:%s/"\noutput = "/dev/null"\n' "$1" >> "$cfg"
	done
	t0=$(date +%s%N)
	ok=$(curl -s -m 60 -K "$cfg" -w '%{http_code}\n' | grep -c '^200$')
	t1=$(date +%s%N)
	[ "$ok" -eq "$REQS" ] || { echo "bench: only $ok of $REQS answered 200 on port $1" >&2; exit 1; }
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f\n", (b - a) / 1e9 }'
}
run_curl "$hp" >/dev/null	# warm-up, both
run_curl "$sp" >/dev/null
all_db="" all_sh=""
for r in $(seq 1 "$ROUNDS"); do
	all_db="$all_db $(run_curl "$hp")"
	all_sh="$all_sh $(run_curl "$sp")"
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
s_db=$(echo "$all_db" | median)
s_sh=$(echo "$all_sh" | median)
awk -v a="$all_db" -v b="$all_sh" -v n="$REQS" 'BEGIN {
	k = split(a, x, " "); split(b, y, " ")
	printf "   round:"; for (i = 1; i <= k; i++) printf "  %d", i; printf "\n"
	printf "   dbcheck --serve-http checks/s:"; for (i = 1; i <= k; i++) printf " %.0f", n / x[i]; printf "\n"
	printf "   fork-per-check checks/s:      "; for (i = 1; i <= k; i++) printf " %.0f", n / y[i]; printf "\n"
}'

awk -v t_db="$t_db" -v t_sh="$t_sh" -v t_floor="$t_floor" -v s_db="$s_db" -v s_sh="$s_sh" -v n="$REQS" 'BEGIN {
	printf "one-shot:  dbcheck %.2f ms/check, mysql|grep %.2f ms/check: dbcheck %.1fx faster (goal 5x)\n",
	    t_db * 1000, t_sh * 1000, t_sh / t_db
	printf "           5x needs <= %.2f ms; dbcheck --version (exec + loading libmariadb, libssl, libcrypto; no connection) alone: %.2f ms\n",
	    t_sh * 1000 / 5, t_floor * 1000
	printf "http:      dbcheck --serve-http %.0f checks/s, fork-per-check %.0f checks/s (median rounds): %.1fx more (goal 30x)\n",
	    n / s_db, n / s_sh, s_sh / s_db
}'
