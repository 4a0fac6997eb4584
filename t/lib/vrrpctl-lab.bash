# Helpers shared by the vrrpctl behaviour tests (load after lib/lab):
# two hosts h1 (192.0.2.1, runs vrrpctl) and h2 (192.0.2.2), the control
# socket in the lab directory.
#
#   setup() { load lib/lab; load lib/vrrpctl-lab; vrrpctl_lab; }

# vrrpctl_lab: the lab, V (the vrrpctl under test) and CTL.
vrrpctl_lab() {
	cd "$BATS_TEST_DIRNAME/.." || return 1
	V="$VIPKIT_BIN/vrrpctl"
	lab_init
	lab_host h1 1
	lab_host h2 2
	CTL=$LAB_DIR/ctl.sock
}

# start_vrrpctl [ARGS...]: vrrpctl run on h1 with $LAB_DIR/h1.conf, log in
# $LAB_DIR/vrrpctl.log, pid in VPID; returns once the control socket is up.
start_vrrpctl() {
	lab_bg h1 "$LAB_DIR/vrrpctl.log" "$V" run -f "$LAB_DIR/h1.conf" --control "$CTL" "$@"
	VPID=$LAB_PID
	lab_wait 5 test -S "$CTL"
}

# ms_since T0: milliseconds since date +%s%N gave T0.
ms_since() {
	echo $(( ($(date +%s%N) - $1) / 1000000 ))
}
