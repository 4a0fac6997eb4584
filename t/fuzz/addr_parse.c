/*
 * Fuzz the address/prefix parser and the label check. Whatever parses
 * must print and parse back to the same address and prefix.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vaddr v, w;
	const char *e;
	char *s, buf[ADDR_STRLEN];
	int allow;

	if (size > 256)
		return 0;
	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	for (allow = 0; allow <= 1; allow++) {
		if (addr_parse(s, allow, &v, &e) == -1) {
			if (e == NULL || *e == '\0')
				abort();
			continue;
		}
		if (v.prefixlen < 1 ||
		    v.prefixlen > (v.family == AF_INET ? 32 : 128))
			abort();
		if (!allow && v.prefix_given)
			abort();
		addr_format(&v, buf, sizeof(buf));
		if (addr_parse(buf, 1, &w, &e) == -1 || !addr_same(&v, &w) ||
		    w.prefixlen != v.prefixlen)
			abort();
		addr_ntop(&v, buf, sizeof(buf));
		if (addr_parse(buf, 0, &w, &e) == -1 || !addr_same(&v, &w))
			abort();
	}
	/* "LABEL\0IFNAME" */
	if (memchr(data, '\0', size) != NULL)
		(void)addr_label_check(s, s + strlen(s) + 1 <= s + size ?
		    s + strlen(s) + 1 : "", &e);
	else
		(void)addr_label_check(s, "eth0", &e);
	free(s);
	return 0;
}
