/*
 * sd_notify(3)'s protocol, for Type=notify units (see sdnotify.h).
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sdnotify.h"

int
sdnotify_addr(const char *name, struct sockaddr_un *sun, socklen_t *len)
{
	size_t n;

	if (name == NULL || (name[0] != '/' && name[0] != '@') ||
	    (n = strlen(name)) < 2 || n > sizeof(sun->sun_path) ||
	    (name[0] == '/' && n == sizeof(sun->sun_path))) {
		errno = EINVAL;
		return -1;
	}
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, name, n);
	if (name[0] == '@') {
		/* Abstract: a leading NUL, and the length counts exactly. */
		sun->sun_path[0] = '\0';
		*len = offsetof(struct sockaddr_un, sun_path) + n;
	} else
		*len = offsetof(struct sockaddr_un, sun_path) + n + 1;
	return 0;
}

int
sdnotify(const char *state)
{
	return sdnotify_to(getenv("NOTIFY_SOCKET"), state);
}

int
sdnotify_to(const char *name, const char *state)
{
	struct sockaddr_un sun;
	socklen_t len;
	ssize_t r;
	int fd, saved;

	if (name == NULL || name[0] == '\0')
		return 0;
	if (sdnotify_addr(name, &sun, &len) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	do
		r = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
		    (struct sockaddr *)&sun, len);
	while (r == -1 && errno == EINTR);
	saved = errno;
	close(fd);
	if (r == -1) {
		errno = saved;
		return -1;
	}
	return 1;
}
