#!/bin/sh
# Install every Debian package the build, the tests and the benchmarks need.
# Idempotent: installs only what is missing. Run as root on Debian 12.
set -eu

PKGS="build-essential pkg-config clang libclang-rt-14-dev llvm
libnl-3-dev libnl-route-3-dev libmariadb-dev libpcap-dev
bats iproute2 iputils-ping iputils-arping procps psmisc curl
keepalived tshark mariadb-server mariadb-client haproxy
hyperfine valgrind man-db groff-base bash-completion zsh socat jq
systemd openssl"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done

if [ "${1:-}" = "--list-missing" ]; then
	echo $missing
	exit 0
fi

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: missing packages:$missing (run as root to install)" >&2
	exit 3
fi

echo "deps.sh: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture: answer no, non-interactively.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
# Packages with services (mariadb, haproxy, keepalived) must not start them:
# the tests start their own instances.
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	made_policy=1
fi
rc=0
apt-get install -y -qq --no-install-recommends $missing || rc=$?
[ "$made_policy" = 1 ] && rm -f "$policy"
exit $rc
