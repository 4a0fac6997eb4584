/*
 * Who is master, per VRID and address family, from the advertisements
 * seen on a link. Pure: fed decoded packets with their timestamps (a
 * simulated clock in tests, the capture time in vrrp-listen), it returns
 * events.
 *
 * A source is "active" while its last advertisement is no older than its
 * advertisement interval plus half an interval of slack for jitter.
 *
 * - NEW_MASTER: the first source advertising a VRID with priority > 0.
 * - TAKEOVER: the master changed: a source advertises while the master is
 *   no longer active (it left with priority 0 or fell silent), or it
 *   preempts an active master with a higher priority (equal priority:
 *   the higher IP address wins, as in RFC 3768/5798).
 * - LEFT: a source advertised priority 0 ("I am leaving"); when it was the
 *   master, the VRID has no master until the next advertisement.
 * - SPLIT_BRAIN: two sources keep advertising the same VRID with
 *   priority > 0, each within one interval of the other's advertisement.
 *   A single advertisement in flight during a normal preemption does not
 *   count: each of the two must have advertised at least twice while the
 *   other was active. Reported once per episode; the episode ends when a
 *   source advertises with no rival active.
 */
#ifndef VIPKIT_WATCH_H
#define VIPKIT_WATCH_H

#include <stdint.h>
#include <netinet/in.h>

#include "vrrp.h"

#define WATCH_SOURCES	4	/* sources remembered per VRID and family */
#define WATCH_MAX_EVENTS 3	/* events one packet can cause */

enum watch_kind {
	WATCH_NEW_MASTER = 1,
	WATCH_TAKEOVER,
	WATCH_LEFT,
	WATCH_SPLIT_BRAIN
};

/* One advertiser as the watch last saw it. */
struct watch_src {
	struct in6_addr	addr;		/* IPv4 in the first 4 bytes */
	uint8_t		priority;
	uint16_t	interval_cs;
	int64_t		last_ms;	/* time of its last advertisement */
	int		overlap;	/* adverts in a row while a rival was active */
	int		used;
};

struct watch_event {
	enum watch_kind	 kind;
	int		 family;
	uint8_t		 vrid;
	int64_t		 time_ms;
	struct watch_src cur;		/* the new master / leaver / one side */
	struct watch_src old;		/* takeover: the previous master;
					   split brain: the other side */
	int		 has_old;	/* takeover after no master: 0 */
};

struct watch_vrid {
	struct watch_src src[WATCH_SOURCES];
	int		 master;	/* index in src, -1: none */
	struct watch_src prev;		/* the master that left last */
	int		 has_prev;
	int		 split;		/* a split brain is being reported */
};

struct watch {
	struct watch_vrid v[2][256];	/* [IPv6?][vrid] */
};

/* The name of an event kind: "new-master", "takeover", "left",
 * "split-brain". */
const char	*watch_kind_name(enum watch_kind);

void	watch_init(struct watch *);

/*
 * Feed one advertisement that decoded ok, seen at now_ms (milliseconds on
 * any monotonic scale). Writes up to WATCH_MAX_EVENTS events to ev and
 * returns how many.
 */
int	watch_feed(struct watch *, const struct vrrp_pkt *pkt, int64_t now_ms,
	    struct watch_event *ev);

/* The current master of (family, vrid), or NULL. */
const struct watch_src *watch_master(const struct watch *, int family,
	    uint8_t vrid);

#endif
