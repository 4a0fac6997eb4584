/*
 * systemd's readiness protocol without libsystemd: one datagram of
 * "NAME=value" lines to the unix socket named by $NOTIFY_SOCKET (a path,
 * or "@name" for the abstract namespace). Nothing happens when the
 * variable is unset, so a daemon calls it unconditionally.
 */
#ifndef VIPKIT_SDNOTIFY_H
#define VIPKIT_SDNOTIFY_H

#include <sys/socket.h>
#include <sys/un.h>

/*
 * The socket address of a $NOTIFY_SOCKET value: "/path" or "@abstract".
 * Returns 0 and the address length in *len, or -1 (errno EINVAL for an
 * empty, relative or too long name). Pure.
 */
int	sdnotify_addr(const char *name, struct sockaddr_un *sun,
	    socklen_t *len);

/*
 * Send state (e.g. "READY=1", "STOPPING=1") to $NOTIFY_SOCKET. Returns 1
 * when sent, 0 when $NOTIFY_SOCKET is unset or empty, -1 with errno set
 * on failure.
 */
int	sdnotify(const char *state);
/* The same to the socket name (NULL or "": nothing, 0). */
int	sdnotify_to(const char *name, const char *state);

#endif
