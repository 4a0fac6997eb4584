/*
 * The VRRP state machine of RFC 3768 (v2) and RFC 5798 (v3), plus Fault
 * (failed tracking) and an administrative demote. Pure: time is a
 * parameter (monotonic microseconds), inputs are calls, outputs are
 * actions appended to a list the caller carries out in order.
 *
 * Timers are absolute deadlines kept in the struct (adver_at, down_at;
 * 0 = disarmed) and also reported as actions. The caller sleeps until
 * fsm_next_deadline() and then calls fsm_tick().
 *
 * Timings (all in microseconds, integer arithmetic, truncated):
 *   v2: Skew_Time = (256 - Priority) * 1 s / 256
 *       Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time
 *   v3: Skew_Time = ((256 - Priority) * Master_Adver_Interval) / 256
 *       Master_Down_Interval = 3 * Master_Adver_Interval + Skew_Time
 *       and a Backup adopts the Master's advertised interval.
 */
#ifndef VIPKIT_FSM_H
#define VIPKIT_FSM_H

#include <stdint.h>

enum fsm_state { FSM_INIT, FSM_BACKUP, FSM_MASTER, FSM_FAULT };

struct fsm_config {
	int		version;	/* 2 or 3 */
	int		family;		/* AF_INET / AF_INET6 (address compare) */
	int		priority;	/* configured, 1..255; 255 = owner */
	int		advert_cs;	/* our Advertisement_Interval, centiseconds */
	int		preempt;	/* 0: nopreempt */
	int64_t		preempt_delay_us;
	uint8_t		self_addr[16];	/* our primary address, network order */
};

/* A received advertisement that passed packet validation. */
struct fsm_advert {
	int		priority;	/* 0..255 */
	int		interval_cs;	/* v2: seconds * 100 */
	uint8_t		src[16];	/* IP source, network order (4 or 16 used) */
};

enum fsm_action_type {
	FSM_A_SEND,		/* send an advertisement with .priority */
	FSM_A_VIPS_ADD,		/* add the VIPs, then gratuitous ARP / NA */
	FSM_A_VIPS_DEL,		/* remove the VIPs */
	FSM_A_ADVER_TIMER,	/* Adver_Timer: .deadline, 0 = disarm */
	FSM_A_DOWN_TIMER,	/* Master_Down_Timer: .deadline, 0 = disarm */
	FSM_A_STATE		/* entered .to from .from: run .to's hooks */
};

struct fsm_action {
	enum fsm_action_type type;
	int		priority;	/* FSM_A_SEND */
	int64_t		deadline;	/* timers */
	enum fsm_state	from, to;	/* FSM_A_STATE */
};

#define FSM_MAX_ACTIONS	8

struct fsm_actions {
	struct fsm_action v[FSM_MAX_ACTIONS];
	int		n;
};

/* Counters, for status. */
struct fsm_stats {
	uint64_t	rx_adverts;		/* handed to fsm_advert() */
	uint64_t	rx_interval_mismatch;	/* v2: discarded, interval differs */
	uint64_t	rx_prio0;		/* priority 0 received */
	uint64_t	rx_lower_discarded;	/* lower priority, ignored */
	uint64_t	became_master;
	uint64_t	tx_adverts;
};

struct fsm {
	struct fsm_config cfg;
	enum fsm_state	state;
	int		track_delta;	/* sum of track weights now applied */
	int		fault;		/* fault condition present */
	int		demoted;	/* admin demote: priority 0, stay Backup */
	int		master_adver_cs;	/* v3: learned; v2: own */
	int64_t		adver_at;	/* Adver_Timer deadline, 0 = off */
	int64_t		down_at;	/* Master_Down_Timer deadline, 0 = off */
	int64_t		preempt_at;	/* preempt_delay: lower master seen, 0 = no */
	int		master_known;	/* a Master is advertising (Backup) */
	uint8_t		master_addr[16];
	int		master_priority;
	struct fsm_stats stats;
};

/* Set up in FSM_INIT; no action. */
void	fsm_init(struct fsm *, const struct fsm_config *);

/* The priority we advertise now: 0 when demoted, else configured +
 * track weights clamped to 1..254 (an owner's 255 never changes). */
int	fsm_priority(const struct fsm *);

/* Skew_Time and Master_Down_Interval for the current priority (and the
 * Master's interval under v3), microseconds. */
int64_t	fsm_skew_us(const struct fsm *);
int64_t	fsm_master_down_us(const struct fsm *);
/* Our Advertisement_Interval in microseconds. */
int64_t	fsm_adver_us(const struct fsm *);

/* The earliest armed deadline, or 0 when none. */
int64_t	fsm_next_deadline(const struct fsm *);

/* Startup event (RFC: leave Initialize). */
void	fsm_startup(struct fsm *, int64_t now, struct fsm_actions *);
/* A received advertisement (already validated as a packet). */
void	fsm_advert(struct fsm *, int64_t now, const struct fsm_advert *,
	    struct fsm_actions *);
/* Fire every timer whose deadline is <= now. */
void	fsm_tick(struct fsm *, int64_t now, struct fsm_actions *);
/* Track weights changed: delta is the new sum of applied weights. */
void	fsm_set_track(struct fsm *, int64_t now, int delta,
	    struct fsm_actions *);
/* A fault track failed (on = 1) or all recovered (on = 0). */
void	fsm_set_fault(struct fsm *, int64_t now, int on, struct fsm_actions *);
/* Shutdown event: a Master sends priority 0 and releases the VIPs. */
void	fsm_shutdown(struct fsm *, int64_t now, struct fsm_actions *);
/* Admin demote: priority 0, release the VIPs, stay Backup; and resume. */
void	fsm_demote(struct fsm *, int64_t now, struct fsm_actions *);
void	fsm_resume(struct fsm *, int64_t now, struct fsm_actions *);

/* "INIT", "BACKUP", "MASTER", "FAULT". */
const char *fsm_state_name(enum fsm_state);

#endif
