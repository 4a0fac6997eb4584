#include <sys/ioctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>

#include "iface.h"

unsigned
iface_index(const char *ifname)
{
	unsigned idx;

	if (ifname == NULL || strlen(ifname) >= IF_NAMESIZE) {
		errno = ENODEV;
		return 0;
	}
	idx = if_nametoindex(ifname);
	if (idx == 0 && errno == ENXIO)
		errno = ENODEV;
	return idx;
}

static int
ifreq_ioctl(const char *ifname, unsigned long req, struct ifreq *ifr)
{
	int fd, rc, saved;

	if (ifname == NULL || strlen(ifname) >= IF_NAMESIZE) {
		errno = ENODEV;
		return -1;
	}
	memset(ifr, 0, sizeof(*ifr));
	memcpy(ifr->ifr_name, ifname, strlen(ifname));
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -1;
	rc = ioctl(fd, req, ifr);
	saved = errno;
	close(fd);
	errno = saved;
	if (rc == -1 && errno == ENXIO)
		errno = ENODEV;
	return rc;
}

int
iface_hwaddr(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr;

	if (ifreq_ioctl(ifname, SIOCGIFHWADDR, &ifr) == -1)
		return -1;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return ifr.ifr_hwaddr.sa_family;
}

int
iface_is_up(const char *ifname)
{
	struct ifreq ifr;

	if (ifreq_ioctl(ifname, SIOCGIFFLAGS, &ifr) == -1)
		return -1;
	return (ifr.ifr_flags & IFF_UP) && (ifr.ifr_flags & IFF_RUNNING);
}

/*
 * getifaddrs names an IPv4 address by its label: "eth0", or "eth0:NAME"
 * for a labelled one (interface names cannot hold a ':'). IPv6 addresses
 * carry the interface name.
 */
static int
on_iface(const char *name, const char *ifname)
{
	size_t n = strlen(ifname);

	return strncmp(name, ifname, n) == 0 &&
	    (name[n] == '\0' || name[n] == ':');
}

static int
first_addr(const char *ifname, int family, void *out)
{
	struct ifaddrs *ifa, *i;
	struct sockaddr_in6 *s6;
	int found = 0;

	if (iface_index(ifname) == 0)
		return -1;
	if (getifaddrs(&ifa) == -1)
		return -1;
	for (i = ifa; i != NULL && !found; i = i->ifa_next) {
		if (i->ifa_addr == NULL || i->ifa_addr->sa_family != family ||
		    !on_iface(i->ifa_name, ifname))
			continue;
		if (family == AF_INET) {
			memcpy(out, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr,
			    sizeof(struct in_addr));
			found = 1;
		} else {
			s6 = (struct sockaddr_in6 *)(void *)i->ifa_addr;
			if (IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr)) {
				memcpy(out, &s6->sin6_addr, sizeof(struct in6_addr));
				found = 1;
			}
		}
	}
	freeifaddrs(ifa);
	if (!found) {
		errno = EADDRNOTAVAIL;
		return -1;
	}
	return 0;
}

int
iface_primary_v4(const char *ifname, struct in_addr *out)
{
	return first_addr(ifname, AF_INET, out);
}

int
iface_linklocal_v6(const char *ifname, struct in6_addr *out)
{
	return first_addr(ifname, AF_INET6, out);
}
