/*
 * Fuzz the config parser from a memory buffer. Includes go through an
 * in-memory reader: "self" is the input itself (so include cycles and
 * nesting are reached), names starting with 'n' do not exist, any other
 * name is a small valid file.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static const uint8_t *in_data;
static size_t in_len;

static const char other[] =
    "vrrp_script inc {\n script /bin/true\n}\n";

static int
fz_read(void *arg, const char *path, char **buf, size_t *len)
{
	const char *src;
	size_t n;

	(void)arg;
	if (path[0] == 'n' || strstr(path, "/n") != NULL) {
		errno = ENOENT;
		return -1;
	}
	if (strcmp(path, "self") == 0) {
		src = (const char *)in_data;
		n = in_len;
	} else {
		src = other;
		n = sizeof(other) - 1;
	}
	if ((*buf = malloc(n + 1)) == NULL)
		return -1;
	memcpy(*buf, src, n);
	*len = n;
	return 0;
}

static int
fz_glob(void *arg, const char *pattern, char ***paths)
{
	(void)arg;
	if ((*paths = calloc(2, sizeof(**paths))) == NULL)
		return -1;
	if (((*paths)[0] = strdup(pattern)) == NULL) {
		free(*paths);
		return -1;
	}
	return 1;
}

static char *
fz_canon(void *arg, const char *path)
{
	(void)arg;
	return strdup(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const struct conf_reader rd = {
		fz_read, fz_glob, fz_canon, NULL
	};
	struct conf c;
	int i;

	in_data = data;
	in_len = len;
	conf_parse_mem("self", (const char *)data, len, &rd, &c);
	/* Touch what the daemon would read. */
	for (i = 0; i < c.nerrors; i++)
		if (strlen(c.errors[i].text) == 0)
			abort();
	for (i = 0; i < c.ninstances; i++) {
		const struct conf_instance *in = &c.instances[i];
		int k;

		for (k = 0; k < in->ntscripts; k++)
			if (c.nerrors == 0 && (in->tscripts[k].script < 0 ||
			    in->tscripts[k].script >= c.nscripts))
				abort();
	}
	conf_free(&c);
	return 0;
}
