/*
 * vrrpctl run: the VRRP router. One process, one epoll set: a timerfd
 * (CLOCK_MONOTONIC) armed at the earliest deadline, a signalfd (TERM, INT,
 * HUP, CHLD), one raw socket per interface+family+source, the pidfds of
 * running hooks and track scripts, a netlink link-change socket and the
 * control socket. Nothing in the loop waits for a child.
 */
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "cli.h"
#include "clock.h"
#include "conf.h"
#include "fsm.h"
#include "garp.h"
#include "hookq.h"
#include "iface.h"
#include "json.h"
#include "log.h"
#include "proc.h"
#include "sdnotify.h"
#include "sock.h"
#include "vrrp.h"
#include "vrrpctl.h"

#define KILL_GRACE_US		(1000000LL)
#define STOP_HOOK_MAX_US	(10 * 1000000LL)
#define CTL_CLIENT_US		(2 * 1000000LL)	/* to send the request */
#define CTL_MAX_CLIENTS		16	/* waiting for their request */

static const char run_usage[] =
"usage: vrrpctl run [-h] [-f FILE] [-c SOCKET] [--hook-timeout S] [--syslog]\n"
"\n"
"Run the VRRP router for the instances of FILE in the foreground.\n"
"\n"
"  -f, --config FILE    the config (default " VRRPCTL_DEFAULT_CONF ")\n"
"  -c, --control PATH   control socket (default " VRRPCTL_DEFAULT_SOCK ")\n"
"      --hook-timeout S each notify hook may run S seconds (0.001 to 3600,\n"
"                       default 30), then SIGTERM and SIGKILL 1 s later\n"
"      --syslog         log to syslog instead of stderr\n"
"  -h, --help           show this help\n"
"\n"
"Signals: TERM/INT stop (a Master sends priority 0 and removes its VIPs),\n"
"HUP reloads the config (an invalid one is reported and not used).\n"
"Exit status: 0 stopped by a signal, 2 usage or configuration error,\n"
"3 system error.\n";

enum src_kind {
	EV_SIG, EV_TIMER, EV_SOCK, EV_CTL, EV_CLIENT, EV_NL, EV_HOOK, EV_TRACK
};

struct evsrc {
	enum src_kind	 kind;
	void		*p;
};

struct rsock {
	struct vrrp_sock s;
	struct evsrc	 ev;
	uint64_t	 unknown_vrid;	/* packets for no instance of ours */
	int		 refs;
};

enum { DROP_TTL, DROP_CKSUM, DROP_VERSION, DROP_AUTH, DROP_OTHER, DROP_MAX };
static const char *drop_names[DROP_MAX] = {
	"ttl", "checksum", "version", "auth", "malformed"
};

struct inst {
	struct conf_instance *ci;	/* in the current config */
	struct fsm	 f;
	struct rsock	*rs;
	struct hookq	 q;
	struct proc	 hp;		/* the running hook's process */
	struct evsrc	 hev;
	uint64_t	 drops[DROP_MAX];
	char		 failed[256];	/* failed track names, for status */
	int64_t		 refresh_at;	/* garp_master_refresh */
	int64_t		 garp2_at;	/* garp_master_delay: second burst */
	int64_t		 garp_at;	/* next round of a burst, 0 = none */
	int64_t		 garp_ivl;	/* between rounds */
	int		 garp_left;	/* rounds still to send */
};

struct tscript {
	struct conf_script *cs;
	struct proc	 p;
	int		 running;
	int64_t		 next_at;	/* next run */
	int64_t		 deadline;	/* timeout (then SIGKILL) */
	int		 termed;
	int		 ok;		/* current result */
	int		 streak;	/* consecutive results against ok */
	struct evsrc	 ev;
};

static struct {
	const char	*path;
	const char	*ctlpath;
	struct conf	 c;
	struct inst	*in;
	int		 nin;
	struct rsock   **rs;
	int		 nrs;
	struct tscript	*ts;
	int		 nts;
	int		 ep, tfd, sfd, ctlfd, nlfd;
	struct evsrc	 ev_sig, ev_timer, ev_ctl, ev_nl;
	int		 pkfd;		/* AF_PACKET, for gratuitous ARP / NA */
	uid_t		 uid;
	gid_t		 gid;
	char		*user;		/* script user, NULL: root */
	int64_t		 hook_timeout_us;	/* --hook-timeout */
	char		*notify;	/* $NOTIFY_SOCKET, or NULL */
} R;

static int64_t
now_us(void)
{
	return mono_us();
}

/* Tell systemd (Type=notify) when $NOTIFY_SOCKET is set. */
static void
notify_systemd(const char *state)
{
	if (sdnotify_to(R.notify, state) == -1)
		log_warn("NOTIFY_SOCKET %s: %s", R.notify, strerror(errno));
}

static void
ep_add(int fd, struct evsrc *ev)
{
	struct epoll_event e = { .events = EPOLLIN, .data.ptr = ev };

	if (fd < 0)	/* a child without a pidfd: SIGCHLD reaps it */
		return;
	if (epoll_ctl(R.ep, EPOLL_CTL_ADD, fd, &e) == -1)
		log_err("epoll_ctl: %s", strerror(errno));
}

/* ------------------------------------------------------------ commands */

static char *
xstrdup(const char *s)
{
	char *r = strdup(s);

	if (r == NULL)
		die(EXIT_UNKNOWN, "out of memory");
	return r;
}

/* The file a command word names: as is with a '/', else found on PATH. */
static int
resolve_cmd(const char *cmd, char *buf, size_t len)
{
	const char *path, *p, *e;

	if (strchr(cmd, '/') != NULL) {
		snprintf(buf, len, "%s", cmd);
		return 0;
	}
	path = getenv("PATH");
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; *p != '\0'; p = *e ? e + 1 : e) {
		e = strchr(p, ':');
		if (e == NULL)
			e = p + strlen(p);
		snprintf(buf, len, "%.*s/%s", (int)(e - p), p, cmd);
		if (access(buf, X_OK) == 0)
			return 0;
	}
	return -1;
}

static int
user_ids(const char *name, uid_t *uid, gid_t *gid)
{
	struct passwd *pw;

	if ((pw = getpwnam(name)) == NULL)
		return -1;
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/*
 * How to run a command: as the script user, and checked by
 * enable_script_security, when user is set. Returns 0, or -1 (logged)
 * when it is refused.
 */
static int
cmd_spec(struct proc_spec *sp, char *const *argv, int user, const char *runas,
    const char *who)
{
	char path[PATH_MAX], why[512];
	const char *uname = runas ? runas : R.user;

	memset(sp, 0, sizeof(*sp));
	sp->argv = argv;
	sp->out_fd = -1;
	sp->err_fd = -1;
	if (user) {
		if (R.c.g.enable_script_security) {
			if (resolve_cmd(argv[0], path, sizeof(path)) == -1) {
				log_err("%s: %s: not found", who, argv[0]);
				return -1;
			}
			if (proc_script_secure(path, why, sizeof(why)) == -1) {
				log_err("%s: refused (enable_script_security): %s",
				    who, why);
				return -1;
			}
		}
		if (uname != NULL && strcmp(uname, "root") != 0) {
			if (user_ids(uname, &sp->uid, &sp->gid) == -1) {
				log_err("%s: %s: no such user", who, uname);
				return -1;
			}
			sp->set_user = 1;
			sp->user = uname;
		}
	}
	return 0;
}

/*
 * Start a command without waiting. Returns 0, or -1 (logged) when it was
 * refused or could not start.
 */
static int
cmd_start(struct proc *p, char *const *argv, int user, const char *runas,
    const char *who)
{
	struct proc_spec sp;

	if (cmd_spec(&sp, argv, user, runas, who) == -1)
		return -1;
	if (proc_start(p, &sp) == -1) {
		log_err("%s: %s: %s", who, argv[0], strerror(errno));
		return -1;
	}
	return 0;
}

/* -------------------------------------------------------- hook queues */

/* Queue a hook; a full queue is said, not silent. */
static void
hook_push(struct inst *in, char *const *argv, int user, const char *runas)
{
	if (hookq_push(&in->q, argv, user, runas) == -1)
		log_err("%s: hook queue full (%d), not running %s",
		    in->ci->name, HOOKQ_MAX, argv[0]);
}

static void
hook_signal(struct inst *in, const struct hookq_action *a)
{
	const char *cmd = a->job != NULL ? a->job->argv[0] : "?";

	if (a->type == HOOKQ_TERM) {
		if (a->why == HOOKQ_WHY_STALE)
			log_warn("%s: state changed: terminating stale hook %s",
			    in->ci->name, cmd);
		else
			log_warn("%s: hook %s: timed out, terminating",
			    in->ci->name, cmd);
		if (proc_kill(&in->hp, SIGTERM) == -1 && errno != ESRCH)
			log_err("%s: CANNOT TERMINATE hook %s (pid %d): %s; "
			    "it may still act on the old state", in->ci->name,
			    cmd, (int)in->hp.pid, strerror(errno));
	} else if (a->type == HOOKQ_KILL) {
		log_warn("%s: hook %s: still running, killing", in->ci->name,
		    cmd);
		if (proc_kill(&in->hp, SIGKILL) == -1 && errno != ESRCH)
			log_err("%s: CANNOT KILL hook %s (pid %d): %s; it may "
			    "still act on the old state", in->ci->name, cmd,
			    (int)in->hp.pid, strerror(errno));
	}
}

/* Carry out what the queue says until it has nothing to do. */
static void
hook_next(struct inst *in, int64_t now)
{
	struct hookq_action a;

	while (hookq_step(&in->q, now, &a) != HOOKQ_NONE) {
		if (a.type != HOOKQ_START) {
			hook_signal(in, &a);
			continue;
		}
		if (cmd_start(&in->hp, a.job->argv, a.job->user,
		    a.job->runas, in->ci->name) == -1) {
			hookq_failed(&in->q);
			continue;
		}
		hookq_started(&in->q, in->hp.pid, now);
		in->hev.kind = EV_HOOK;
		in->hev.p = in;
		ep_add(in->hp.pidfd, &in->hev);
	}
}

/* The state changed: terminate a running hook, drop the rest. */
static void
hook_flush(struct inst *in, int64_t now)
{
	struct hookq_action a;

	hookq_flush(&in->q, now, &a);
	hook_signal(in, &a);
}

static void
hook_reaped(struct inst *in, int64_t now)
{
	const struct hookq_job *j = hookq_current(&in->q);
	char st[64];
	pid_t pid = in->hp.pid;

	/* A terminated hook's children die with it (lib/proc): a stale
	 * promotion must not finish in a child that ignored SIGTERM. */
	if (j == NULL || proc_reap(&in->hp) != 1)
		return;
	proc_status_str(in->hp.status, st, sizeof(st));
	if (!WIFEXITED(in->hp.status) || WEXITSTATUS(in->hp.status) != 0)
		log_warn("%s: hook %s: %s", in->ci->name, j->argv[0], st);
	proc_close(&in->hp);
	hookq_reaped(&in->q, pid);
	hook_next(in, now);
}

static const char *
vip_dev(const struct conf_instance *ci, const struct conf_vip *v)
{
	return v->dev[0] ? v->dev : ci->interface;
}

/* The i-th address of virtual_ipaddress then virtual_ipaddress_excluded. */
static const struct conf_vip *
vip_at(const struct conf_instance *ci, int i)
{
	return i < ci->nvips ? &ci->vips[i] : &ci->evips[i - ci->nvips];
}

static void
vip_vaddr(const struct conf_vip *v, struct vaddr *va)
{
	memset(va, 0, sizeof(*va));
	va->family = v->addr.family;
	memcpy(va->a.b, v->addr.u.bytes, 16);
	va->prefixlen = v->addr.prefixlen;
	va->prefix_given = 1;
}

/*
 * Add (add 1) or remove one VIP of instance ci on its interface,
 * in-process through netlink (lib/addr, as vip-add does). Logged when it
 * changed something or failed.
 */
static void
vip_set(const struct conf_instance *ci, const struct conf_vip *v, int add)
{
	const char *dev = vip_dev(ci, v);
	char a[ADDR_STRLEN];
	struct vaddr va;
	unsigned idx;
	int r;

	vip_vaddr(v, &va);
	addr_format(&va, a, sizeof(a));
	if ((idx = iface_index(dev)) == 0) {
		if (add)
			log_err("%s: adding %s: %s: no such interface",
			    ci->name, a, dev);
		return;
	}
	if (add)
		r = addr_nl_add(idx, &va, v->label[0] ? v->label : NULL, NULL);
	else
		r = addr_nl_del(idx, &va, NULL);
	if (r == -1)
		log_err("%s: %s %s %s %s: %s", ci->name,
		    add ? "adding" : "removing", a, add ? "to" : "from", dev,
		    strerror(errno));
	else if (r == ADDR_ADDED)
		log_info("%s: added %s to %s", ci->name, a, dev);
	else if (r == ADDR_REMOVED)
		log_info("%s: removed %s from %s", ci->name,
		    addr_ntop(&va, a, sizeof(a)), dev);
}

/* Every VIP of ci on (add 1) or off. */
static void
vips_set(const struct conf_instance *ci, int add)
{
	int i;

	for (i = 0; i < ci->nvips + ci->nevips; i++)
		vip_set(ci, vip_at(ci, i), add);
}

/*
 * One round: one gratuitous ARP / unsolicited NA per VIP on the shared
 * packet socket. Each interface is read once per round (index, MAC, and
 * the link-local address when there are IPv6 VIPs), not once per VIP.
 */
#define GARP_ROUND_IFS	8
static void
garp_round(struct inst *in)
{
	const struct conf_instance *ci = in->ci;
	struct {
		const char		*dev;
		struct garp_iface	 gi;
		int			 err;	/* errno of garp_iface_get */
	} ifs[GARP_ROUND_IFS], one, *c;
	uint8_t frame[GARP_NA_LEN];
	char a[ADDR_STRLEN];
	struct vaddr va;
	size_t len;
	int nifs = 0, n = ci->nvips + ci->nevips, i, k, want6 = 0;

	for (i = 0; i < n; i++)
		if (vip_at(ci, i)->addr.family == AF_INET6)
			want6 = 1;
	for (i = 0; i < n; i++) {
		const struct conf_vip *v = vip_at(ci, i);
		const char *dev = vip_dev(ci, v);

		for (c = NULL, k = 0; k < nifs; k++)
			if (strcmp(ifs[k].dev, dev) == 0)
				c = &ifs[k];
		if (c == NULL) {
			c = nifs < GARP_ROUND_IFS ? &ifs[nifs++] : &one;
			c->dev = dev;
			c->err = garp_iface_get(dev, want6, &c->gi) == -1 ?
			    errno : 0;
		}
		vip_vaddr(v, &va);
		errno = c->err;
		if (c->err != 0 || (len = garp_frame(&c->gi, &va, 0, frame,
		    sizeof(frame), NULL)) == 0 ||
		    garp_send(R.pkfd, c->gi.ifindex, frame, len) == -1)
			log_warn("%s: gratuitous %s for %s on %s: %s",
			    ci->name, va.family == AF_INET ? "ARP" : "NA",
			    addr_ntop(&va, a, sizeof(a)), dev,
			    errno == ENOTSUP ? "not an Ethernet interface" :
			    errno == ENODEV ? "no such interface" :
			    strerror(errno));
	}
}

/*
 * A burst of count rounds: the first now, the others from the timer,
 * vrrp_garp_interval apart (vrrp_gna_interval with IPv6 addresses; the
 * larger when both), all at once when it is 0.
 */
static void
garp_burst(struct inst *in, int count, int64_t now)
{
	const struct conf_instance *ci = in->ci;
	int64_t ivl = 0;
	int i;

	for (i = 0; i < ci->nvips + ci->nevips; i++) {
		int64_t x = vip_at(ci, i)->addr.family == AF_INET ?
		    R.c.g.garp_interval_us : R.c.g.gna_interval_us;

		if (x > ivl)
			ivl = x;
	}
	if (count < 1)
		count = 1;
	in->garp_left = 0;
	in->garp_at = 0;
	in->garp_ivl = ivl;
	garp_round(in);
	count--;
	if (ivl == 0) {
		while (count-- > 0)
			garp_round(in);
		return;
	}
	in->garp_left = count;
	if (count > 0)
		in->garp_at = now + ivl;
}

/* Timer: the next round of a burst in progress. */
static void
garp_timer(struct inst *in, int64_t now)
{
	if (in->garp_at == 0 || in->garp_at > now)
		return;
	if (in->f.state != FSM_MASTER || in->garp_left <= 0) {
		in->garp_left = 0;
		in->garp_at = 0;
		return;
	}
	garp_round(in);
	in->garp_at = --in->garp_left > 0 ? now + in->garp_ivl : 0;
}

/* The `notify` command with keepalived's arguments appended. */
struct notify_argv {
	char	*w[PROC_MAX_ARGS + 5];
	char	 prio[16];
};

static char **
notify_argv(struct notify_argv *na, const struct conf_exec *ex,
    const struct conf_instance *ci, const char *state, int prio)
{
	int i, k;

	snprintf(na->prio, sizeof(na->prio), "%d", prio);
	for (k = 0, i = 0; i < ex->argc && k < PROC_MAX_ARGS; i++)
		na->w[k++] = ex->argv[i];
	na->w[k++] = "INSTANCE";
	na->w[k++] = ci->name;
	na->w[k++] = (char *)state;
	na->w[k++] = na->prio;
	na->w[k] = NULL;
	return na->w;
}

/* notify_<state> and `notify INSTANCE NAME STATE PRIORITY`. */
static void
queue_notify(struct inst *in, int which, const char *state)
{
	struct conf_instance *ci = in->ci;
	struct conf_exec *ex = ci->notify[which];
	struct notify_argv na;

	if (ex != NULL && ex->argv != NULL)
		hook_push(in, ex->argv, 1, ex->user);
	ex = ci->notify[CONF_NOTIFY_ANY];
	if (ex != NULL && ex->argv != NULL)
		hook_push(in, notify_argv(&na, ex, ci, state,
		    fsm_priority(&in->f)), 1, ex->user);
}

/* ------------------------------------------------------------ sending */

static void
send_advert(struct inst *in, int prio)
{
	struct conf_instance *ci = in->ci;
	struct vrrp_pkt pkt;
	uint8_t buf[VRRP_MAX_LEN];
	union vrrp_ip dst;
	int len, i, n;

	memset(&pkt, 0, sizeof(pkt));
	pkt.family = ci->family;
	pkt.version = ci->version;
	pkt.type = VRRP_TYPE_ADVERT;
	pkt.vrid = ci->vrid;
	pkt.priority = prio;
	pkt.interval_cs = ci->advert_cs;
	if (ci->version == 2 && ci->auth_type == VRRP_AUTH_PASS) {
		pkt.auth_type = VRRP_AUTH_PASS;
		memcpy(pkt.auth, ci->auth_pass, strlen(ci->auth_pass));
	}
	for (i = 0, n = 0; i < ci->nvips; i++) {
		if (ci->vips[i].addr.family != ci->family)
			continue;
		memcpy(ci->family == AF_INET ? (void *)&pkt.addrs.v4[n] :
		    (void *)&pkt.addrs.v6[n], ci->vips[i].addr.u.bytes,
		    ci->family == AF_INET ? 4 : 16);
		n++;
	}
	pkt.naddrs = n;
	memcpy(&pkt.src, &in->rs->s.src, sizeof(pkt.src));
	for (i = 0; i < (ci->npeers ? ci->npeers : 1); i++) {
		if (ci->npeers)
			memcpy(&dst, ci->peers[i].u.bytes, sizeof(dst));
		else
			vrrp_sock_group(ci->family, &dst);
		memcpy(&pkt.dst, &dst, sizeof(pkt.dst));
		len = vrrp_encode(&pkt, ci->v3_checksum_as_v2, buf, sizeof(buf));
		if (len < 0) {
			log_err("%s: cannot encode an advertisement",
			    ci->name);
			return;
		}
		if (vrrp_sock_send(&in->rs->s, buf, len,
		    ci->npeers ? &dst : NULL) == -1)
			log_warn("%s: sending an advertisement on %s: %s",
			    ci->name, in->rs->s.ifname, strerror(errno));
	}
}

/* Carry out the fsm's actions in order. */
static void
run_actions(struct inst *in, const struct fsm_actions *a, int64_t now)
{
	int i;

	for (i = 0; i < a->n; i++) {
		if (a->v[i].type == FSM_A_STATE) {
			hook_flush(in, now);
			break;
		}
	}
	for (i = 0; i < a->n; i++) {
		const struct fsm_action *x = &a->v[i];

		switch (x->type) {
		case FSM_A_SEND:
			send_advert(in, x->priority);
			break;
		case FSM_A_VIPS_ADD:
			/* In-process, before any hook: the addresses and
			 * the first GARP right after the advertisement. */
			vips_set(in->ci, 1);
			garp_burst(in, in->ci->garp_master_repeat, now);
			break;
		case FSM_A_VIPS_DEL:
			in->garp_left = 0;
			in->garp_at = 0;
			vips_set(in->ci, 0);
			break;
		case FSM_A_ADVER_TIMER:
		case FSM_A_DOWN_TIMER:
			break;
		case FSM_A_STATE:
			log_info("%s: %s -> %s", in->ci->name,
			    fsm_state_name(x->from), fsm_state_name(x->to));
			if (x->to == FSM_MASTER)
				queue_notify(in, CONF_NOTIFY_MASTER, "MASTER");
			else if (x->to == FSM_BACKUP)
				queue_notify(in, CONF_NOTIFY_BACKUP, "BACKUP");
			else if (x->to == FSM_FAULT)
				queue_notify(in, CONF_NOTIFY_FAULT, "FAULT");
			in->refresh_at = x->to == FSM_MASTER &&
			    in->ci->garp_master_refresh_s > 0 ? now +
			    in->ci->garp_master_refresh_s * 1000000LL : 0;
			in->garp2_at = x->to == FSM_MASTER &&
			    in->ci->garp_master_delay_s > 0 ? now +
			    in->ci->garp_master_delay_s * 1000000LL : 0;
			break;
		}
	}
	hook_next(in, now);
}

/* ------------------------------------------------------------ receive */

static struct inst *
inst_by_vrid(const struct rsock *rs, int vrid)
{
	int i;

	for (i = 0; i < R.nin; i++)
		if (R.in[i].rs == rs && R.in[i].ci->vrid == vrid)
			return &R.in[i];
	return NULL;
}

static void
sock_input(struct rsock *rs, int64_t now)
{
	uint8_t buf[VRRP_SOCK_BUFLEN];
	struct vrrp_rcv rcv;
	struct vrrp_pkt pkt;
	struct vrrp_expect exp;
	struct fsm_actions a;
	struct fsm_advert ad;
	enum vrrp_verdict v;
	struct inst *in;
	int k;

	for (k = 0; k < 64; k++) {
		if (vrrp_sock_recv(&rs->s, buf, sizeof(buf), &rcv) == -1) {
			if (errno != EAGAIN && errno != EWOULDBLOCK &&
			    errno != EBADMSG)
				log_warn("%s: receive: %s", rs->s.ifname,
				    strerror(errno));
			if (errno != EBADMSG)
				return;
			continue;
		}
		if (rcv.msglen < 2)
			continue;	/* no VRID to count it against */
		in = inst_by_vrid(rs, rcv.msg[1]);
		if (in == NULL) {
			rs->unknown_vrid++;
			continue;
		}
		if (memcmp(&rcv.src, &rs->s.src, rs->s.family == AF_INET ?
		    4 : 16) == 0)
			continue;	/* our own */
		/* TTL: vrrp_rcv_decode knows whether the kernel gave it. */
		memset(&exp, 0, sizeof(exp));
		if (in->ci->version == 2 && in->ci->auth_type == VRRP_AUTH_PASS)
			exp.auth_pass = in->ci->auth_pass;
		else if (in->ci->version == 2)
			exp.auth_none = 1;
		v = vrrp_rcv_decode(&rcv, &pkt, &exp);
		if (v == VRRP_OK && pkt.version != in->ci->version)
			v = VRRP_BAD_VERSION;
		if (v != VRRP_OK) {
			switch (v) {
			case VRRP_BAD_TTL:
				in->drops[DROP_TTL]++;
				break;
			case VRRP_BAD_CHECKSUM:
				in->drops[DROP_CKSUM]++;
				break;
			case VRRP_BAD_VERSION:
				in->drops[DROP_VERSION]++;
				break;
			case VRRP_AUTH_MISMATCH:
				in->drops[DROP_AUTH]++;
				break;
			default:
				in->drops[DROP_OTHER]++;
				break;
			}
			log_debug("%s: dropped a packet: %s", in->ci->name,
			    vrrp_verdict_name(v));
			continue;
		}
		memset(&ad, 0, sizeof(ad));
		ad.priority = pkt.priority;
		ad.interval_cs = pkt.interval_cs;
		memcpy(ad.src, &pkt.src, rs->s.family == AF_INET ? 4 : 16);
		a.n = 0;
		fsm_advert(&in->f, now, &ad, &a);
		run_actions(in, &a, now);
	}
}

/* ------------------------------------------------------------ tracking */

/* One track's result into the instance's fault, weight sum and the list
 * of failed tracks (for status). */
static void
track_one(struct inst *in, size_t *off, const char *name, int ok, int weight,
    int *fault, int *delta)
{
	size_t o = *off;

	if (ok) {
		if (weight > 0)
			*delta += weight;
		return;
	}
	if (o < sizeof(in->failed))
		*off += snprintf(in->failed + o, sizeof(in->failed) - o,
		    "%s%s", o ? " " : "", name);
	if (weight == 0)
		*fault = 1;
	else if (weight < 0)
		*delta += weight;
}

/* Every instance's tracks into its state machine (which ignores what did
 * not change). */
static void
track_apply(int64_t now)
{
	int i, j, fault, delta;
	struct inst *in;
	struct fsm_actions a;
	size_t off;

	for (i = 0; i < R.nin; i++) {
		in = &R.in[i];
		fault = 0;
		delta = 0;
		in->failed[0] = '\0';
		off = 0;
		for (j = 0; j < in->ci->ntscripts; j++) {
			struct conf_track_script *t = &in->ci->tscripts[j];

			track_one(in, &off, t->name, R.ts[t->script].ok,
			    t->weight, &fault, &delta);
		}
		for (j = 0; j < in->ci->ntifs; j++)
			track_one(in, &off, in->ci->tifs[j].name,
			    iface_is_up(in->ci->tifs[j].name) == 1,
			    in->ci->tifs[j].weight, &fault, &delta);
		if (!in->ci->dont_track_primary)
			track_one(in, &off, in->ci->interface,
			    iface_is_up(in->ci->interface) == 1, 0, &fault,
			    &delta);
		if (off >= sizeof(in->failed))
			in->failed[sizeof(in->failed) - 1] = '\0';
		a.n = 0;
		fsm_set_fault(&in->f, now, fault, &a);
		fsm_set_track(&in->f, now, delta, &a);
		run_actions(in, &a, now);
	}
}

static void
track_result(struct tscript *s, int ok, int64_t now)
{
	if (ok == s->ok) {
		s->streak = 0;
		return;
	}
	s->streak++;
	if (s->streak >= (ok ? s->cs->rise : s->cs->fall)) {
		s->ok = ok;
		s->streak = 0;
		log_info("track_script %s: %s", s->cs->name,
		    ok ? "succeeded" : "failed");
		track_apply(now);
	}
}

static void
track_timer(struct tscript *s, int64_t now)
{
	if (s->running) {
		if (s->deadline > now)
			return;
		if (!s->termed) {
			log_warn("track_script %s: timed out, terminating",
			    s->cs->name);
			proc_kill(&s->p, SIGTERM);
			s->termed = 1;
		} else
			proc_kill(&s->p, SIGKILL);
		s->deadline = now + KILL_GRACE_US;
		return;
	}
	if (s->next_at > now)
		return;
	s->next_at = now + s->cs->interval_ms * 1000;
	if (cmd_start(&s->p, s->cs->exec.argv, 1, s->cs->exec.user,
	    s->cs->name) == -1) {
		track_result(s, 0, now);
		return;
	}
	s->running = 1;
	s->termed = 0;
	s->deadline = now + s->cs->timeout_ms * 1000;
	s->ev.kind = EV_TRACK;
	s->ev.p = s;
	ep_add(s->p.pidfd, &s->ev);
}

static void
track_reaped(struct tscript *s, int64_t now)
{
	int ok;

	if (proc_reap(&s->p) != 1)
		return;
	ok = !s->termed && WIFEXITED(s->p.status) &&
	    WEXITSTATUS(s->p.status) == 0;
	proc_close(&s->p);
	s->running = 0;
	track_result(s, ok, now);
}

/*
 * SIGCHLD: reap whatever finished. Children are normally seen through
 * their pidfds; this covers a child whose pidfd could not be opened
 * (kernels before 5.3, valgrind), so no hook is ever waited for forever.
 */
static void
reap_all(int64_t now)
{
	int i;

	for (i = 0; i < R.nin; i++)
		if (hookq_current(&R.in[i].q) != NULL)
			hook_reaped(&R.in[i], now);
	for (i = 0; i < R.nts; i++)
		if (R.ts[i].running)
			track_reaped(&R.ts[i], now);
}

/* ------------------------------------------------------------ control */

static void
status_text(FILE *o, int json)
{
	struct json j;
	char a[ADDR_STRLEN];
	int i, k;

	json_init(&j);
	if (json) {
		json_obj_begin(&j, NULL);
		json_arr_begin(&j, "instances");
	}
	for (i = 0; i < R.nin; i++) {
		struct inst *in = &R.in[i];
		struct conf_instance *ci = in->ci;
		struct conf_addr ma;
		uint64_t total = 0;

		memset(&ma, 0, sizeof(ma));
		ma.family = ci->family;
		if (in->f.state == FSM_MASTER)
			memcpy(ma.u.bytes, &in->rs->s.src, 16);
		else
			memcpy(ma.u.bytes, in->f.master_addr, 16);
		for (k = 0; k < DROP_MAX; k++)
			total += in->drops[k];
		if (json) {
			json_obj_begin(&j, NULL);
			json_str(&j, "name", ci->name);
			json_str(&j, "state", fsm_state_name(in->f.state));
			json_int(&j, "priority", ci->priority);
			json_int(&j, "effective_priority",
			    fsm_priority(&in->f));
			json_bool(&j, "demoted", in->f.demoted);
			json_int(&j, "vrid", ci->vrid);
			json_int(&j, "version", ci->version);
			json_str(&j, "interface", ci->interface);
			if (in->f.state == FSM_MASTER || in->f.master_known)
				json_str(&j, "master", conf_addr_str(&ma, a,
				    sizeof(a)));
			else
				json_null(&j, "master");
			json_arr_begin(&j, "vips");
			for (k = 0; k < ci->nvips; k++) {
				char b[ADDR_STRLEN + 8];

				conf_addr_str(&ci->vips[k].addr, a, sizeof(a));
				snprintf(b, sizeof(b), "%s/%d", a,
				    ci->vips[k].addr.prefixlen);
				json_str(&j, NULL, b);
			}
			json_arr_end(&j);
			json_str(&j, "failed_tracks", in->failed);
			json_obj_begin(&j, "dropped");
			for (k = 0; k < DROP_MAX; k++)
				json_int(&j, drop_names[k], in->drops[k]);
			json_obj_end(&j);
			json_int(&j, "rx_adverts", in->f.stats.rx_adverts);
			json_int(&j, "rx_interval_mismatch",
			    in->f.stats.rx_interval_mismatch);
			json_int(&j, "tx_adverts", in->f.stats.tx_adverts);
			json_int(&j, "became_master",
			    in->f.stats.became_master);
			json_obj_end(&j);
			continue;
		}
		fprintf(o, "%s: %s priority %d (effective %d%s) vrid %d "
		    "v%d %s master %s", ci->name, fsm_state_name(in->f.state),
		    ci->priority, fsm_priority(&in->f),
		    in->f.demoted ? ", demoted" : "", ci->vrid, ci->version,
		    ci->interface, in->f.state == FSM_MASTER ||
		    in->f.master_known ? conf_addr_str(&ma, a, sizeof(a)) :
		    "unknown");
		fprintf(o, " vips");
		for (k = 0; k < ci->nvips; k++)
			fprintf(o, " %s/%d", conf_addr_str(&ci->vips[k].addr,
			    a, sizeof(a)), ci->vips[k].addr.prefixlen);
		fprintf(o, " failed-tracks %s dropped %llu",
		    in->failed[0] ? in->failed : "none",
		    (unsigned long long)total);
		for (k = 0; k < DROP_MAX; k++)
			if (in->drops[k])
				fprintf(o, " %s=%llu", drop_names[k],
				    (unsigned long long)in->drops[k]);
		fprintf(o, "\n");
	}
	if (json) {
		json_arr_end(&j);
		json_obj_end(&j);
		fprintf(o, "%s\n", json_text(&j));
	}
	json_free(&j);
}

/* A control connection waiting for its request line, until deadline. */
struct client {
	int		fd;
	int64_t		deadline;
	struct evsrc	ev;
};

static struct client *clients[CTL_MAX_CLIENTS];

static void
client_close(struct client *cl)
{
	int i;

	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (clients[i] == cl)
			clients[i] = NULL;
	close(cl->fd);	/* also leaves the epoll set */
	free(cl);
}

/* A new connection: into the epoll set, never read here. */
static void
ctl_accept(int64_t now)
{
	struct timeval tv = { 0, 200000 };
	struct client *cl;
	int fd, i, j;

	fd = accept4(R.ctlfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (fd == -1)
		return;
	for (i = 0; i < CTL_MAX_CLIENTS && clients[i] != NULL; i++)
		;
	if (i == CTL_MAX_CLIENTS) {
		/* Full: the oldest makes room, so silent clients cannot
		 * lock out a real request. */
		for (i = 0, j = 1; j < CTL_MAX_CLIENTS; j++)
			if (clients[j]->deadline < clients[i]->deadline)
				i = j;
		log_warn("control: %d connections wait for a request, "
		    "closing the oldest", CTL_MAX_CLIENTS);
		client_close(clients[i]);
	}
	if ((cl = calloc(1, sizeof(*cl))) == NULL) {
		close(fd);
		return;
	}
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	cl->fd = fd;
	cl->deadline = now + CTL_CLIENT_US;
	cl->ev.kind = EV_CLIENT;
	cl->ev.p = cl;
	clients[i] = cl;
	ep_add(fd, &cl->ev);
}

/* Timer: a client that sent no request in time is closed. */
static void
ctl_expire(int64_t now)
{
	int i;

	for (i = 0; i < CTL_MAX_CLIENTS; i++) {
		if (clients[i] == NULL || clients[i]->deadline > now)
			continue;
		log_warn("control: no request within %lld s, connection "
		    "closed", (long long)(CTL_CLIENT_US / 1000000));
		client_close(clients[i]);
	}
}

static int64_t
ctl_deadline(void)
{
	int64_t d = 0;
	int i;

	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (clients[i] != NULL && (d == 0 ||
		    clients[i]->deadline < d))
			d = clients[i]->deadline;
	return d;
}

/* One request per connection: a line in, "CODE\n" and text out. */
static void
ctl_input(struct client *cl, int64_t now)
{
	char req[256], *out = NULL, *nl, *arg;
	size_t outlen = 0;
	ssize_t n;
	FILE *o;
	int fd = cl->fd, code = EXIT_YES, i;
	struct fsm_actions a;

	n = recv(fd, req, sizeof(req) - 1, MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		client_close(cl);
		return;
	}
	/* Answered below, out of the set: no longer a waiting client. */
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (clients[i] == cl)
			clients[i] = NULL;
	epoll_ctl(R.ep, EPOLL_CTL_DEL, fd, NULL);
	free(cl);
	/* The answer is small: written at once (bounded by SO_SNDTIMEO). */
	fcntl(fd, F_SETFL, 0);
	req[n] = '\0';
	if ((nl = strchr(req, '\n')) != NULL)
		*nl = '\0';
	if ((o = open_memstream(&out, &outlen)) == NULL) {
		close(fd);
		return;
	}
	arg = strchr(req, ' ');
	if (arg != NULL)
		*arg++ = '\0';
	if (strcmp(req, "status") == 0)
		status_text(o, arg != NULL && strcmp(arg, "json") == 0);
	else if ((strcmp(req, "demote") == 0 || strcmp(req, "resume") == 0) &&
	    arg != NULL) {
		i = conf_find_instance(&R.c, arg);
		if (i < 0) {
			fprintf(o, "%s: no such instance\n", arg);
			code = EXIT_NO;
		} else {
			a.n = 0;
			if (req[0] == 'd')
				fsm_demote(&R.in[i].f, now, &a);
			else
				fsm_resume(&R.in[i].f, now, &a);
			log_info("%s: %s by control request", arg,
			    req[0] == 'd' ? "demoted" : "resumed");
			run_actions(&R.in[i], &a, now);
			fprintf(o, "%s: %s, priority %d\n", arg,
			    fsm_state_name(R.in[i].f.state),
			    fsm_priority(&R.in[i].f));
		}
	} else {
		fprintf(o, "bad request\n");
		code = EXIT_USAGE;
	}
	fclose(o);
	dprintf(fd, "%d\n", code);
	if (out != NULL)
		(void)!write(fd, out, outlen);
	free(out);
	close(fd);
}

/* What ctl_open bound, so that only that socket file is removed. */
static struct stat ctl_st;

static int
ctl_open(const char *path)
{
	struct sockaddr_un sun;
	mode_t old;
	int fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		log_err("%s: control socket path too long", path);
		return -1;
	}
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1) {
		log_err("%s: control socket: %s", path, strerror(errno));
		return -1;
	}
	/* A socket file nobody answers on is left by a crash: replace it. */
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0) {
		log_err("%s: another vrrpctl is running", path);
		close(fd);
		return -1;
	}
	unlink(path);
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1 ||
	    listen(fd, 8) == -1) {
		umask(old);
		log_err("%s: control socket: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	chmod(path, 0600);
	if (stat(path, &ctl_st) == -1)
		memset(&ctl_st, 0, sizeof(ctl_st));
	return fd;
}

/* Remove the control socket, unless the path now names another one (a
 * second vrrpctl started while this one was stopping). */
static void
ctl_unlink(const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && st.st_dev == ctl_st.st_dev &&
	    st.st_ino == ctl_st.st_ino)
		unlink(path);
}

/* ------------------------------------------------------------ set up */

static struct rsock *
rsock_get(const struct conf_instance *ci)
{
	const void *src = ci->src.family ? ci->src.u.bytes : NULL;
	struct rsock *rs;
	char why[256];
	int i;

	for (i = 0; i < R.nrs; i++) {
		rs = R.rs[i];
		if (rs->s.family == ci->family &&
		    strcmp(rs->s.ifname, ci->interface) == 0 &&
		    (src == NULL || memcmp(&rs->s.src, src,
		    ci->family == AF_INET ? 4 : 16) == 0)) {
			rs->refs++;
			return rs;
		}
	}
	rs = calloc(1, sizeof(*rs));
	if (rs == NULL)
		die(EXIT_UNKNOWN, "out of memory");
	if (vrrp_sock_open(&rs->s, ci->family, ci->interface, src,
	    VRRP_SOCK_RECV | VRRP_SOCK_NONBLOCK) == -1) {
		log_err("%s: %s: %s", ci->name, ci->interface,
		    vrrp_sock_error(&rs->s, errno, why, sizeof(why)));
		free(rs);
		return NULL;
	}
	rs->ev.kind = EV_SOCK;
	rs->ev.p = rs;
	rs->refs = 1;
	ep_add(rs->s.fd, &rs->ev);
	R.rs = realloc(R.rs, (R.nrs + 1) * sizeof(*R.rs));
	if (R.rs == NULL)
		die(EXIT_UNKNOWN, "out of memory");
	R.rs[R.nrs++] = rs;
	return rs;
}

static void
rsock_put(struct rsock *rs)
{
	int i;

	if (rs == NULL || --rs->refs > 0)
		return;
	for (i = 0; i < R.nrs; i++)
		if (R.rs[i] == rs)
			R.rs[i] = R.rs[--R.nrs];
	vrrp_sock_close(&rs->s);
	free(rs);
}

static int
inst_setup(struct inst *in, struct conf_instance *ci, int keep)
{
	struct fsm_config fc;

	in->ci = ci;
	if (!keep) {
		in->rs = rsock_get(ci);
		if (in->rs == NULL)
			return -1;
		hookq_init(&in->q, R.hook_timeout_us, KILL_GRACE_US);
	}
	memset(&fc, 0, sizeof(fc));
	fc.version = ci->version;
	fc.family = ci->family;
	fc.priority = ci->priority;
	fc.advert_cs = ci->advert_cs;
	fc.preempt = ci->preempt;
	fc.preempt_delay_us = ci->preempt_delay_ms * 1000;
	memcpy(fc.self_addr, &in->rs->s.src, ci->family == AF_INET ? 4 : 16);
	if (keep) {
		in->f.cfg = fc;
		return 0;
	}
	fsm_init(&in->f, &fc);
	return 0;
}

static void
scripts_setup(int64_t now)
{
	int i;

	R.nts = R.c.nscripts;
	R.ts = calloc(R.nts ? R.nts : 1, sizeof(*R.ts));
	if (R.ts == NULL)
		die(EXIT_UNKNOWN, "out of memory");
	for (i = 0; i < R.nts; i++) {
		R.ts[i].cs = &R.c.scripts[i];
		R.ts[i].ok = !R.c.scripts[i].init_fail;
		R.ts[i].next_at = now;
	}
}

static void
user_setup(void)
{
	uid_t u;
	gid_t g;

	free(R.user);
	R.user = NULL;
	if (R.c.g.script_user != NULL)
		R.user = xstrdup(R.c.g.script_user);
	else if (user_ids("keepalived_script", &u, &g) == 0)
		R.user = xstrdup("keepalived_script");
}

/*
 * A STOP hook, waited for: the event loop is over. At most the hook
 * timeout or STOP_HOOK_MAX_US, whichever is less, then SIGTERM, then
 * SIGKILL after the grace period.
 */
static void
stop_hook(struct inst *in, char *const *argv, const char *runas)
{
	struct proc_spec sp;
	struct proc p;
	int64_t lim;
	char st[64];

	if (cmd_spec(&sp, argv, 1, runas, in->ci->name) == -1)
		return;
	lim = R.hook_timeout_us < STOP_HOOK_MAX_US ? R.hook_timeout_us :
	    STOP_HOOK_MAX_US;
	switch (proc_run(&p, &sp, (int)(lim / 1000),
	    (int)(KILL_GRACE_US / 1000))) {
	case -1:
		log_err("%s: %s: %s", in->ci->name, argv[0], strerror(errno));
		break;
	case 1:
		log_warn("%s: hook %s: timed out after %lld ms, terminated",
		    in->ci->name, argv[0], (long long)(lim / 1000));
		break;
	default:
		if (!WIFEXITED(p.status) || WEXITSTATUS(p.status) != 0)
			log_warn("%s: hook %s: %s", in->ci->name, argv[0],
			    proc_status_str(p.status, st, sizeof(st)));
	}
}

/* Stop an instance: kill its hooks, priority 0 if Master, VIPs off,
 * notify_stop and notify ... STOP (waited for, bounded). */
static void
inst_stop(struct inst *in, int64_t now)
{
	struct fsm_actions a;
	struct notify_argv na;
	struct conf_exec *ex;
	enum fsm_state was = in->f.state;
	int i;

	hook_flush(in, now);
	if (hookq_current(&in->q) != NULL) {
		proc_kill(&in->hp, SIGKILL);
		while (proc_reap(&in->hp) == 0)
			usleep(1000);
		proc_close(&in->hp);
	}
	hookq_free(&in->q);
	a.n = 0;
	fsm_shutdown(&in->f, now, &a);
	for (i = 0; i < a.n; i++)
		if (a.v[i].type == FSM_A_SEND)
			send_advert(in, a.v[i].priority);
	vips_set(in->ci, 0);	/* also what was never ours: stopping */
	/* fsm_shutdown() has reset the state: name the one we left. */
	if (was == FSM_MASTER)
		log_info("%s: MASTER -> STOP (sent priority 0)", in->ci->name);
	else
		log_info("%s: %s -> STOP", in->ci->name, fsm_state_name(was));
	ex = in->ci->notify[CONF_NOTIFY_STOP];
	if (ex != NULL && ex->argv != NULL)
		stop_hook(in, ex->argv, ex->user);
	ex = in->ci->notify[CONF_NOTIFY_ANY];
	if (ex != NULL && ex->argv != NULL)
		stop_hook(in, notify_argv(&na, ex, in->ci, "STOP",
		    in->ci->priority), ex->user);
	rsock_put(in->rs);
	in->rs = NULL;
}

static void
inst_start(struct inst *in, int64_t now)
{
	struct fsm_actions a;

	vips_set(in->ci, 0);	/* what a crashed run left behind */
	a.n = 0;
	fsm_startup(&in->f, now, &a);
	run_actions(in, &a, now);
}

static void
scripts_free(void)
{
	int i;

	for (i = 0; i < R.nts; i++) {
		if (R.ts[i].running) {
			proc_kill(&R.ts[i].p, SIGKILL);
			while (proc_reap(&R.ts[i].p) == 0)
				usleep(1000);
			proc_close(&R.ts[i].p);
		}
	}
	free(R.ts);
	R.ts = NULL;
	R.nts = 0;
}

static int
vip_same(const struct conf_instance *a, const struct conf_vip *va,
    const struct conf_instance *b, const struct conf_vip *vb)
{
	return va->addr.family == vb->addr.family &&
	    va->addr.prefixlen == vb->addr.prefixlen &&
	    memcmp(va->addr.u.bytes, vb->addr.u.bytes, 16) == 0 &&
	    strcmp(vip_dev(a, va), vip_dev(b, vb)) == 0;
}

static int
vip_in(const struct conf_instance *ci, const struct conf_instance *of,
    const struct conf_vip *v)
{
	int i;

	for (i = 0; i < ci->nvips + ci->nevips; i++)
		if (vip_same(ci, vip_at(ci, i), of, v))
			return 1;
	return 0;
}

/*
 * Reload of a Master that is kept: the addresses gone from the new
 * config come off the interface now, the new ones go on. Returns 1 when
 * one was added (it gets a GARP burst once the new config is in place).
 */
static int
vips_reload(const struct conf_instance *o, const struct conf_instance *n)
{
	int i, added = 0;

	for (i = 0; i < o->nvips + o->nevips; i++)
		if (!vip_in(n, o, vip_at(o, i)))
			vip_set(o, vip_at(o, i), 0);
	for (i = 0; i < n->nvips + n->nevips; i++) {
		if (!vip_in(o, n, vip_at(n, i))) {
			vip_set(n, vip_at(n, i), 1);
			added = 1;
		}
	}
	return added;
}

/*
 * SIGHUP. Instances with the same name, interface, VRID, version and
 * family keep their state and running hooks and take the new parameters
 * (priority, interval, preempt, VIPs for the next transition, hooks);
 * the others are stopped as on SIGTERM, new ones start in INIT. Track
 * scripts restart with their initial state.
 */
static void
reload(int64_t now)
{
	struct conf nc;
	struct inst *nin;
	int i, j, r, *regarp;

	r = conf_load(R.path, NULL, &nc);
	if (r == -1) {
		if (nc.nerrors == 0)	/* not read at all */
			log_err("%s: %s", R.path, strerror(errno));
		for (i = 0; i < nc.nerrors; i++)
			log_err("%s", nc.errors[i].text);
		log_err("%s: reload refused, keeping the running config",
		    R.path);
		conf_free(&nc);
		return;
	}
	for (i = 0; i < nc.nwarnings; i++)
		log_warn("%s", nc.warnings[i].text);
	nin = calloc(nc.ninstances ? nc.ninstances : 1, sizeof(*nin));
	regarp = calloc(nc.ninstances ? nc.ninstances : 1, sizeof(*regarp));
	if (nin == NULL || regarp == NULL)
		die(EXIT_UNKNOWN, "out of memory");
	/* Stop what goes away or changes identity. */
	for (i = 0; i < R.nin; i++) {
		struct conf_instance *o = R.in[i].ci, *n;

		j = conf_find_instance(&nc, o->name);
		n = j >= 0 ? &nc.instances[j] : NULL;
		if (n != NULL && n->vrid == o->vrid && n->version ==
		    o->version && n->family == o->family &&
		    strcmp(n->interface, o->interface) == 0 &&
		    n->src.family == o->src.family &&
		    memcmp(&n->src.u, &o->src.u, sizeof(n->src.u)) == 0) {
			if (R.in[i].f.state == FSM_MASTER)
				regarp[j] = vips_reload(o, n);
			nin[j] = R.in[i];
			nin[j].ci = NULL;	/* mark: kept */
			continue;
		}
		inst_stop(&R.in[i], now);
	}
	scripts_free();
	free(R.in);
	conf_free(&R.c);
	R.c = nc;
	R.in = nin;
	R.nin = nc.ninstances;
	user_setup();
	scripts_setup(now);
	for (i = 0; i < R.nin; i++) {
		int keep = R.in[i].ci == NULL && R.in[i].rs != NULL;

		if (inst_setup(&R.in[i], &R.c.instances[i], keep) == -1)
			continue;
		if (!keep) {
			inst_start(&R.in[i], now);
			continue;
		}
		if (hookq_current(&R.in[i].q) != NULL &&
		    R.in[i].hp.pidfd >= 0) {
			/* The array moved: point the pidfd's event here. */
			struct epoll_event e = { .events = EPOLLIN,
			    .data.ptr = &R.in[i].hev };

			R.in[i].hev.p = &R.in[i];
			epoll_ctl(R.ep, EPOLL_CTL_MOD, R.in[i].hp.pidfd, &e);
		}
		if (regarp[i] && R.in[i].f.state == FSM_MASTER)
			garp_burst(&R.in[i], R.c.instances[i].garp_master_repeat,
			    now);
	}
	free(regarp);
	log_info("%s: reloaded, %d instance%s", R.path, R.nin,
	    R.nin == 1 ? "" : "s");
	track_apply(now);
}

static void
arm_timer(void)
{
	struct itimerspec it;
	int64_t d = 0, t;
	int i;

#define EARLIEST(x) do { t = (x); if (t > 0 && (d == 0 || t < d)) d = t; } while (0)
	for (i = 0; i < R.nin; i++) {
		if (R.in[i].rs == NULL)
			continue;
		EARLIEST(fsm_next_deadline(&R.in[i].f));
		EARLIEST(hookq_deadline(&R.in[i].q));
		EARLIEST(R.in[i].refresh_at);
		EARLIEST(R.in[i].garp2_at);
		EARLIEST(R.in[i].garp_at);
	}
	for (i = 0; i < R.nts; i++) {
		if (R.ts[i].cs->exec.argv == NULL)
			continue;
		EARLIEST(R.ts[i].running ? R.ts[i].deadline : R.ts[i].next_at);
	}
	EARLIEST(ctl_deadline());
#undef EARLIEST
	memset(&it, 0, sizeof(it));
	if (d > 0) {
		it.it_value.tv_sec = d / 1000000;
		it.it_value.tv_nsec = (d % 1000000) * 1000;
	}
	timerfd_settime(R.tfd, TFD_TIMER_ABSTIME, &it, NULL);
}

static void
timers(int64_t now)
{
	struct fsm_actions a;
	int i;

	for (i = 0; i < R.nin; i++) {
		struct inst *in = &R.in[i];

		if (in->rs == NULL)
			continue;
		if (fsm_next_deadline(&in->f) > 0 &&
		    fsm_next_deadline(&in->f) <= now) {
			a.n = 0;
			fsm_tick(&in->f, now, &a);
			run_actions(in, &a, now);
		}
		if (in->refresh_at > 0 && in->refresh_at <= now) {
			in->refresh_at = now +
			    in->ci->garp_master_refresh_s * 1000000LL;
			if (in->f.state == FSM_MASTER)
				garp_burst(in,
				    in->ci->garp_master_refresh_repeat, now);
		}
		if (in->garp2_at > 0 && in->garp2_at <= now) {
			in->garp2_at = 0;
			if (in->f.state == FSM_MASTER)
				garp_burst(in, in->ci->garp_master_repeat,
				    now);
		}
		garp_timer(in, now);
		hook_next(in, now);
	}
	for (i = 0; i < R.nts; i++)
		if (R.ts[i].cs->exec.argv != NULL)
			track_timer(&R.ts[i], now);
}

static int
nl_open(void)
{
	struct sockaddr_nl sa;
	int fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_ROUTE);
	if (fd == -1)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.nl_family = AF_NETLINK;
	sa.nl_groups = RTMGRP_LINK;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "config",	required_argument,	NULL, 'f' },
		{ "control",	required_argument,	NULL, 'c' },
		{ "syslog",	no_argument,		NULL, 'S' },
		{ "hook-timeout", required_argument,	NULL, 'T' },
		CLI_LONGOPT_HELP,
		{ NULL,		0,			NULL, 0 }
	};
	struct epoll_event evs[32];
	struct signalfd_siginfo si;
	sigset_t set;
	char nlbuf[8192];
	ssize_t n;
	struct cli_common co = { 0, 0 };
	int ch, i, r, use_syslog = 0, stop = 0;
	int64_t now;
	uint64_t exp;

	R.path = VRRPCTL_DEFAULT_CONF;
	R.hook_timeout_us = HOOKQ_TIMEOUT_US;
	R.ctlpath = VRRPCTL_DEFAULT_SOCK;
	while ((ch = getopt_long(argc, argv, "f:c:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			R.path = optarg;
			break;
		case 'c':
			R.ctlpath = optarg;
			break;
		case 'S':
			use_syslog = 1;
			break;
		case 'T':
			R.hook_timeout_us = cli_fixed("--hook-timeout", optarg,
			    3, 1, 3600000) * 1000;
			break;
		default:
			cli_common_opt(ch, run_usage, &co);
		}
	}
	if (optind != argc)
		cli_usage_error("run: unexpected argument '%s'", argv[optind]);
	log_use_syslog(use_syslog);
	log_set_timestamps(!use_syslog);

	r = conf_load(R.path, NULL, &R.c);
	for (i = 0; i < R.c.nerrors; i++)
		fprintf(stderr, "%s\n", R.c.errors[i].text);
	for (i = 0; i < R.c.nwarnings; i++)
		fprintf(stderr, "%s\n", R.c.warnings[i].text);
	if (r == -1) {
		if (R.c.nerrors == 0)
			die(EXIT_UNKNOWN, "%s: %s", R.path, strerror(errno));
		log_err("%s: %d error%s, not started", R.path, R.c.nerrors,
		    R.c.nerrors == 1 ? "" : "s");
		conf_free(&R.c);
		return EXIT_USAGE;
	}
	/* systemd's socket is ours: hooks do not inherit it. */
	if (getenv("NOTIFY_SOCKET") != NULL) {
		R.notify = xstrdup(getenv("NOTIFY_SOCKET"));
		unsetenv("NOTIFY_SOCKET");
	}
	/* Opened once, first: the raw sockets need CAP_NET_RAW. */
	if ((R.pkfd = garp_open_any()) == -1)
		die(EXIT_UNKNOWN, "cannot open a packet socket for gratuitous "
		    "ARP: %s%s", strerror(errno), errno == EPERM ?
		    " (needs CAP_NET_RAW)" : "");
	user_setup();

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((R.ep = epoll_create1(EPOLL_CLOEXEC)) == -1 ||
	    (R.sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK)) == -1 ||
	    (R.tfd = timerfd_create(CLOCK_MONOTONIC,
	    TFD_CLOEXEC | TFD_NONBLOCK)) == -1)
		die(EXIT_UNKNOWN, "event loop: %s", strerror(errno));
	R.ev_sig.kind = EV_SIG;
	R.ev_timer.kind = EV_TIMER;
	R.ev_ctl.kind = EV_CTL;
	R.ev_nl.kind = EV_NL;
	ep_add(R.sfd, &R.ev_sig);
	ep_add(R.tfd, &R.ev_timer);
	if ((R.ctlfd = ctl_open(R.ctlpath)) == -1)
		return EXIT_UNKNOWN;
	ep_add(R.ctlfd, &R.ev_ctl);
	if ((R.nlfd = nl_open()) == -1)
		die(EXIT_UNKNOWN, "netlink: %s", strerror(errno));
	ep_add(R.nlfd, &R.ev_nl);

	now = now_us();
	R.nin = R.c.ninstances;
	R.in = calloc(R.nin ? R.nin : 1, sizeof(*R.in));
	if (R.in == NULL)
		die(EXIT_UNKNOWN, "out of memory");
	for (i = 0; i < R.nin; i++) {
		if (inst_setup(&R.in[i], &R.c.instances[i], 0) == -1) {
			ctl_unlink(R.ctlpath);
			return EXIT_UNKNOWN;
		}
	}
	scripts_setup(now);
	log_info("%s: %d instance%s, control %s", R.path, R.nin,
	    R.nin == 1 ? "" : "s", R.ctlpath);
	for (i = 0; i < R.nin; i++)
		inst_start(&R.in[i], now);
	track_apply(now);
	notify_systemd("READY=1\nSTATUS=running\n");

	while (!stop) {
		arm_timer();
		n = epoll_wait(R.ep, evs, sizeof(evs) / sizeof(evs[0]), -1);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			die(EXIT_UNKNOWN, "epoll_wait: %s", strerror(errno));
		}
		now = now_us();
		for (i = 0; i < n && !stop; i++) {
			struct evsrc *ev = evs[i].data.ptr;

			switch (ev->kind) {
			case EV_SIG:
				while (read(R.sfd, &si, sizeof(si)) ==
				    sizeof(si)) {
					if (si.ssi_signo == SIGTERM ||
					    si.ssi_signo == SIGINT)
						stop = 1;
					else if (si.ssi_signo == SIGCHLD)
						reap_all(now);
					else if (si.ssi_signo == SIGHUP) {
						log_info("SIGHUP: reloading %s",
						    R.path);
						snprintf(nlbuf, sizeof(nlbuf),
						    "RELOADING=1\n"
						    "MONOTONIC_USEC=%lld\n",
						    (long long)now_us());
						notify_systemd(nlbuf);
						reload(now);
						notify_systemd("READY=1\n");
						/* evs may name freed state */
						n = 0;
						break;
					}
				}
				break;
			case EV_TIMER:
				(void)!read(R.tfd, &exp, sizeof(exp));
				timers(now);
				break;
			case EV_SOCK:
				sock_input(ev->p, now);
				break;
			case EV_CTL:
				ctl_accept(now);
				break;
			case EV_CLIENT:
				ctl_input(ev->p, now);
				break;
			case EV_NL:
				while (recv(R.nlfd, nlbuf, sizeof(nlbuf), 0) > 0)
					;
				track_apply(now);
				break;
			case EV_HOOK:
				hook_reaped(ev->p, now);
				break;
			case EV_TRACK:
				track_reaped(ev->p, now);
				break;
			}
		}
		/* Timers due while we handled other events. */
		timers(now_us());
		/* Not in timers(): evs may still name a client it closes. */
		ctl_expire(now_us());
	}
	notify_systemd("STOPPING=1\n");
	now = now_us();
	log_info("stopping");
	for (i = 0; i < R.nin; i++)
		if (R.in[i].rs != NULL)
			inst_stop(&R.in[i], now);
	scripts_free();
	for (i = 0; i < CTL_MAX_CLIENTS; i++)
		if (clients[i] != NULL)
			client_close(clients[i]);
	close(R.ctlfd);
	close(R.pkfd);
	ctl_unlink(R.ctlpath);
	free(R.in);
	free(R.rs);
	free(R.user);
	free(R.notify);
	conf_free(&R.c);
	return EXIT_YES;
}
