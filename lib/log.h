/*
 * Messages: "PROG: text" on stderr, or syslog for daemons.
 */
#ifndef VIPKIT_LOG_H
#define VIPKIT_LOG_H

enum log_level { LOG_LVL_ERR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* Use syslog (facility daemon) instead of stderr. */
void	log_use_syslog(int on);
/* Messages above this level are dropped (default LOG_LVL_INFO). */
void	log_set_level(enum log_level);
/* Prefix every stderr line with a monotonic timestamp (daemons). */
void	log_set_timestamps(int on);

void	log_err(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *, ...) __attribute__((format(printf, 1, 2)));
/* log_err() then exit(code). */
void	die(int code, const char *, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

#endif
