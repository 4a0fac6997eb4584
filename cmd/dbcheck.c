/*
 * dbcheck: a MySQL/MariaDB health and role check, and an HTTP / HAProxy
 * agent-check server for the same check.
 *
 * Server model: one process, one event loop (epoll, non-blocking sockets)
 * for the clients, and one worker thread that owns the only database
 * connection and runs checks one at a time. A client whose request is
 * complete waits for the next check result; clients that arrive while a
 * check runs share that check's result. A result younger than --cache-ms
 * is served at once. A slow or silent client only holds its own slot
 * until its deadline; the database is never touched from the event loop.
 */
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "cli.h"
#include "db.h"
#include "dbstatus.h"
#include "http.h"
#include "json.h"
#include "log.h"

#define MAX_CLIENTS		512
#define CLIENT_TIMEOUT_MS	5000

static const char usage[] =
"usage: dbcheck [connection options] [-r ROLE] [--max-lag S] [--query SQL]\n"
"               [-j] [-q]\n"
"       dbcheck [connection options] [-r ROLE] [--max-lag S]\n"
"               --serve-http ADDR:PORT | --serve-agent ADDR:PORT [--cache-ms N]\n"
"Check a MySQL/MariaDB server: exit 0 healthy, 1 unhealthy, 2 usage,\n"
"3 could not decide (access denied, missing privilege).\n"
"\n"
"  -r, --role ROLE            primary, replica, writable or any\n"
"                             (default: connect and run a query)\n"
"      --max-lag S            a replica lagging more than S seconds is unhealthy\n"
"      --query SQL            run SQL instead of the trivial query\n"
"  -j, --json                 print a JSON object (HTTP: JSON body)\n"
"  -q, --quiet                no human line\n"
"      --serve-http ADDR:PORT answer HTTP health checks (HAProxy httpchk)\n"
"      --serve-agent ADDR:PORT answer HAProxy agent-check\n"
"      --cache-ms N           serve a result up to N ms old (default 0)\n"
"  -h, --help                 this text\n"
"  -V, --version              version\n"
"\n"
DB_USAGE;

enum {
	OPT_MAX_LAG = 0x1000,
	OPT_QUERY,
	OPT_SERVE_HTTP,
	OPT_SERVE_AGENT,
	OPT_CACHE_MS
};

static const struct option longopts[] = {
	DB_LONGOPTS,
	{ "role", required_argument, NULL, 'r' },
	{ "max-lag", required_argument, NULL, OPT_MAX_LAG },
	{ "query", required_argument, NULL, OPT_QUERY },
	{ "serve-http", required_argument, NULL, OPT_SERVE_HTTP },
	{ "serve-agent", required_argument, NULL, OPT_SERVE_AGENT },
	{ "cache-ms", required_argument, NULL, OPT_CACHE_MS },
	CLI_LONGOPTS_COMMON,
	{ NULL, 0, NULL, 0 }
};

/* The check: options, the one connection, the last observation. */
static struct db_opts opts;
static struct db conn;
static struct db_check check = { DB_ROLE_ALIVE, -1 };
static const char *query;
static int json_out;

static const char *
role_label(void)
{
	return db_role_name(check.role);
}

/* Run one check on the kept connection; verdict in v, JSON in j if set. */
static void
run_check(struct db_verdict *v, struct json *j)
{
	struct db_observation o;
	const char *q = query;
	const struct db_replica_status *rs = &o.rs;

	if (q == NULL && check.role == DB_ROLE_ALIVE)
		q = "SELECT 1";
	memset(&o, 0, sizeof(o));
	db_rs_init(&o.rs);
	db_observe(&conn, q, check.role != DB_ROLE_ALIVE,
	    check.role == DB_ROLE_ANY || check.role == DB_ROLE_PRIMARY ||
	    check.role == DB_ROLE_REPLICA, &o);
	db_evaluate(&check, &o, v);
	if (j != NULL) {
		json_reset(j);
		json_obj_begin(j, NULL);
		json_bool(j, "healthy", v->code == EXIT_YES);
		json_int(j, "code", v->code);
		json_str(j, "role", role_label());
		json_str(j, "reason", v->reason);
		json_str(j, "role_seen", v->role_seen);
		if (o.read_only >= 0)
			json_bool(j, "read_only", o.read_only);
		else
			json_null(j, "read_only");
		if (o.asked_replica && rs->present) {
			json_str(j, "io_running", db_thread_name(rs->io_running));
			json_str(j, "sql_running",
			    db_thread_name(rs->sql_running));
			if (rs->lag >= 0)
				json_int(j, "lag", rs->lag);
			else
				json_null(j, "lag");
			json_int(j, "last_io_errno", rs->last_io_errno);
			json_int(j, "last_sql_errno", rs->last_sql_errno);
			json_str(j, "source", rs->source_host);
		} else {
			json_null(j, "io_running");
			json_null(j, "sql_running");
			json_null(j, "lag");
		}
		json_int(j, "weight", v->weight);
		if (o.cls != DB_OK)
			json_str(j, "error_class", db_class_name(o.cls));
		json_str(j, "server", conn.server[0] != '\0' ? conn.server :
		    NULL);
		json_obj_end(j);
	}
	db_rs_free(&o.rs);
}

static int
one_shot(int quiet)
{
	struct db_verdict v;
	struct json j;

	json_init(&j);
	run_check(&v, json_out ? &j : NULL);
	db_close(&conn);
	if (json_out)
		printf("%s\n", json_text(&j));
	else if (v.code == EXIT_UNKNOWN)
		fprintf(stderr, "%s: %s: %s\n", cli_progname, role_label(),
		    v.reason);
	else if (!quiet)
		printf("%s: %s: %s\n", cli_progname, role_label(), v.reason);
	json_free(&j);
	if (fflush(stdout) != 0)
		return EXIT_UNKNOWN;
	return v.code;
}

/* ---- the server ---- */

enum evkind { EV_LISTEN_HTTP, EV_LISTEN_AGENT, EV_RESULT, EV_SIGNAL,
    EV_CLIENT };

struct ev {
	enum evkind	 kind;
	int		 fd;
};

enum cstate { C_READ, C_WAIT, C_WRITE };

struct client {
	struct ev	 ev;		/* first: epoll data points here */
	int		 agent;
	enum cstate	 state;
	int		 head, minor;
	unsigned long long want;	/* check generation it waits for */
	long long	 deadline;	/* ms, CLOCK_MONOTONIC */
	size_t		 inlen, outlen, outoff;
	int		 dead;		/* closed; freed after the batch */
	struct client	*next, *prev;
	char		 out[1024];
	char		 in[HTTP_MAX_REQUEST];
};

static int epfd;
static struct client *clients, *graveyard;
static int nclients;

/* Shared with the worker thread under mu. */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static unsigned long long req_gen, done_gen;
static int stopping;
static struct db_verdict shared_v;
static char shared_json[2048];
static int result_fd;

/* Owned by the event loop: the last result, formatted once for every client. */
static struct db_verdict last_v;
static char last_body[800];		/* HTTP body */
static char last_agent[256];		/* agent-check line */
static size_t last_agent_len;
static int have_result;
static long long result_ms;
static long long cache_ms;
static int last_code = -1;
static char last_reason[sizeof(last_v.reason)];

static void *
worker(void *arg)
{
	struct db_verdict v;
	struct json j;
	unsigned long long g;
	uint64_t one = 1;

	(void)arg;
	json_init(&j);
	for (;;) {
		pthread_mutex_lock(&mu);
		while (!stopping && done_gen == req_gen)
			pthread_cond_wait(&cv, &mu);
		if (stopping) {
			pthread_mutex_unlock(&mu);
			break;
		}
		g = req_gen;
		pthread_mutex_unlock(&mu);

		run_check(&v, json_out ? &j : NULL);

		pthread_mutex_lock(&mu);
		shared_v = v;
		if (json_out)
			snprintf(shared_json, sizeof(shared_json), "%s",
			    json_text(&j));
		done_gen = g;
		pthread_mutex_unlock(&mu);
		if (write(result_fd, &one, sizeof(one)) < 0 && errno != EAGAIN)
			log_warn("eventfd: %s", strerror(errno));
	}
	json_free(&j);
	db_close(&conn);
	return NULL;
}

static void
client_close(struct client *c)
{
	epoll_ctl(epfd, EPOLL_CTL_DEL, c->ev.fd, NULL);
	close(c->ev.fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		clients = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	nclients--;
	c->dead = 1;
	c->next = graveyard;
	graveyard = c;
}

static void
bury_clients(void)
{
	struct client *c;

	while ((c = graveyard) != NULL) {
		graveyard = c->next;
		free(c);
	}
}

static void
set_events(struct client *c, uint32_t events)
{
	struct epoll_event e;

	memset(&e, 0, sizeof(e));
	e.events = events;
	e.data.ptr = c;
	epoll_ctl(epfd, EPOLL_CTL_MOD, c->ev.fd, &e);
}

/* Write what is pending; close when done or broken. */
static void
client_flush(struct client *c)
{
	ssize_t n;
	char sink[512];

	while (c->outoff < c->outlen) {
		n = send(c->ev.fd, c->out + c->outoff, c->outlen - c->outoff,
		    MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			set_events(c, EPOLLOUT);
			return;
		}
		if (n <= 0) {
			client_close(c);
			return;
		}
		c->outoff += (size_t)n;
	}
	/* Done: say so, drop what the client may still send, close. */
	shutdown(c->ev.fd, SHUT_WR);
	while (recv(c->ev.fd, sink, sizeof(sink), MSG_DONTWAIT) > 0)
		;
	client_close(c);
}

/* Send the first len bytes of c->out. */
static void
client_send(struct client *c, size_t len)
{
	c->outlen = len;
	c->outoff = 0;
	c->state = C_WRITE;
	c->deadline = mono_ms() + CLIENT_TIMEOUT_MS;
	client_flush(c);
}

static void
http_reply(struct client *c, int status, const char *body)
{
	client_send(c, http_format_response(c->out, sizeof(c->out), c->minor,
	    status, c->head, body));
}

/* Answer a waiting client from the last result. */
static void
client_answer(struct client *c)
{
	if (c->agent) {
		memcpy(c->out, last_agent, last_agent_len);
		client_send(c, last_agent_len);
		return;
	}
	http_reply(c, last_v.code == EXIT_YES ? 200 : 503, last_body);
}

/* The client needs a result: a cached one, the running check's, or a new one. */
static void
client_need_result(struct client *c)
{
	if (cache_ms > 0 && have_result && mono_ms() - result_ms <= cache_ms) {
		client_answer(c);
		return;
	}
	pthread_mutex_lock(&mu);
	if (req_gen == done_gen) {
		req_gen++;
		pthread_cond_signal(&cv);
	}
	c->want = req_gen;
	pthread_mutex_unlock(&mu);
	c->state = C_WAIT;
	c->deadline = 0;
	set_events(c, 0);
}

static void
client_read(struct client *c)
{
	struct http_request req;
	enum http_parse r;
	ssize_t n;
	char msg[128];
	int eof = 0;

	for (;;) {
		if (c->inlen == sizeof(c->in))
			break;
		n = recv(c->ev.fd, c->in + c->inlen, sizeof(c->in) - c->inlen,
		    0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n < 0) {
			client_close(c);
			return;
		}
		if (n == 0) {
			/* A client may half-close after its request. */
			eof = 1;
			break;
		}
		c->inlen += (size_t)n;
	}
	r = http_parse_request(c->in, c->inlen, &req);
	if (r == HTTP_INCOMPLETE) {
		if (eof)
			client_close(c);
		return;
	}
	if (eof)
		set_events(c, 0);
	c->minor = req.minor;
	if (r == HTTP_BAD) {
		c->head = 0;
		snprintf(msg, sizeof(msg), "bad request: %s\n", req.error);
		http_reply(c, 400, msg);
		return;
	}
	c->head = req.method == HTTP_HEAD;
	if (req.method == HTTP_OTHER) {
		http_reply(c, 405, "method not allowed\n");
		return;
	}
	client_need_result(c);
}

static void
accept_clients(struct ev *l)
{
	struct epoll_event e;
	struct client *c;
	int fd, one = 1;

	for (;;) {
		fd = accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK)
				log_warn("accept: %s", strerror(errno));
			return;
		}
		if (nclients >= MAX_CLIENTS ||
		    (c = calloc(1, sizeof(*c))) == NULL) {
			close(fd);
			continue;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		c->ev.kind = EV_CLIENT;
		c->ev.fd = fd;
		c->agent = l->kind == EV_LISTEN_AGENT;
		c->minor = 1;
		c->deadline = mono_ms() + CLIENT_TIMEOUT_MS;
		c->next = clients;
		if (clients != NULL)
			clients->prev = c;
		clients = c;
		nclients++;
		memset(&e, 0, sizeof(e));
		e.events = c->agent ? 0 : EPOLLIN;
		e.data.ptr = c;
		if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) != 0) {
			log_warn("epoll_ctl: %s", strerror(errno));
			client_close(c);
			continue;
		}
		if (c->agent)
			client_need_result(c);
	}
}

static void
result_ready(void)
{
	struct client *c, *next;
	unsigned long long g;
	uint64_t cnt;

	if (read(result_fd, &cnt, sizeof(cnt)) < 0)
		return;
	pthread_mutex_lock(&mu);
	last_v = shared_v;
	if (json_out)
		snprintf(last_body, sizeof(last_body), "%.790s\n", shared_json);
	g = done_gen;
	pthread_mutex_unlock(&mu);
	if (!json_out)
		snprintf(last_body, sizeof(last_body), "%s: %.700s\n",
		    role_label(), last_v.reason);
	last_agent_len = db_agent_reply(&last_v, role_label(), last_agent,
	    sizeof(last_agent));
	have_result = 1;
	result_ms = mono_ms();
	if (last_v.code != last_code || (last_v.code != EXIT_YES &&
	    strncmp(last_v.reason, last_reason, strcspn(last_reason, "(")) !=
	    0)) {
		if (last_v.code == EXIT_YES)
			log_info("%s: %s", role_label(), last_v.reason);
		else
			log_warn("%s: %s", role_label(), last_v.reason);
		last_code = last_v.code;
		snprintf(last_reason, sizeof(last_reason), "%s",
		    last_v.reason);
	}
	for (c = clients; c != NULL; c = next) {
		next = c->next;
		if (c->state == C_WAIT && c->want <= g)
			client_answer(c);
	}
}

static void
expire_clients(void)
{
	struct client *c, *next;
	long long now = mono_ms();

	for (c = clients; c != NULL; c = next) {
		next = c->next;
		if (c->deadline != 0 && now >= c->deadline)
			client_close(c);
	}
}

static int
next_timeout(void)
{
	struct client *c;
	long long soonest = -1, now = mono_ms(), d;

	for (c = clients; c != NULL; c = c->next) {
		if (c->deadline == 0)
			continue;
		d = c->deadline - now;
		if (d < 0)
			d = 0;
		if (soonest < 0 || d < soonest)
			soonest = d;
	}
	return (int)soonest;
}

/* ADDR:PORT, [ADDR]:PORT, :PORT or PORT (loopback). Exit 2 when bad. */
static int
listen_on(const char *opt, const char *spec, struct ev *ev, enum evkind kind)
{
	struct addrinfo hints, *ai;
	char host[256], port[16], shown[300];
	const char *colon;
	union {
		struct sockaddr sa;
		struct sockaddr_in sin;
		struct sockaddr_in6 sin6;
		struct sockaddr_storage ss;
	} addr;
	socklen_t alen = sizeof(addr);
	int fd, one = 1, rc;
	long long p;
	const char *errstr;

	if (spec[0] == '[') {
		colon = strstr(spec, "]:");
		if (colon == NULL || (size_t)(colon - spec - 1) >= sizeof(host))
			cli_usage_error("%s: '%s': expected [ADDR]:PORT", opt,
			    spec);
		memcpy(host, spec + 1, (size_t)(colon - spec - 1));
		host[colon - spec - 1] = '\0';
		colon++;
	} else if ((colon = strrchr(spec, ':')) != NULL) {
		if ((size_t)(colon - spec) >= sizeof(host))
			cli_usage_error("%s: '%s': address too long", opt, spec);
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
	} else {
		host[0] = '\0';
		colon = spec - 1;
	}
	if (host[0] == '\0')
		snprintf(host, sizeof(host), "127.0.0.1");
	if (parse_int(colon + 1, 0, 65535, &p, &errstr) != 0)
		cli_usage_error("%s: '%s': port %s", opt, spec, errstr);
	snprintf(port, sizeof(port), "%lld", p);
	memset(&hints, 0, sizeof(hints));
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0)
		cli_usage_error("%s: '%s': not a numeric address (%s)", opt,
		    host, gai_strerror(rc));
	fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		die(EXIT_UNKNOWN, "%s: socket: %s", opt, strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0)
		die(EXIT_UNKNOWN, "%s: %s: bind: %s", opt, spec,
		    strerror(errno));
	freeaddrinfo(ai);
	if (listen(fd, 128) != 0)
		die(EXIT_UNKNOWN, "%s: %s: listen: %s", opt, spec,
		    strerror(errno));
	if (getsockname(fd, &addr.sa, &alen) == 0) {
		char a[INET6_ADDRSTRLEN] = "?";

		if (addr.sa.sa_family == AF_INET) {
			inet_ntop(AF_INET, &addr.sin.sin_addr, a, sizeof(a));
			snprintf(shown, sizeof(shown), "%s:%u", a,
			    ntohs(addr.sin.sin_port));
		} else {
			inet_ntop(AF_INET6, &addr.sin6.sin6_addr, a, sizeof(a));
			snprintf(shown, sizeof(shown), "[%s]:%u", a,
			    ntohs(addr.sin6.sin6_port));
		}
		log_info("%s: listening on %s", opt + 2, shown);
	}
	ev->kind = kind;
	ev->fd = fd;
	return fd;
}

static void
add_ev(struct ev *ev)
{
	struct epoll_event e;

	memset(&e, 0, sizeof(e));
	e.events = EPOLLIN;
	e.data.ptr = ev;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, ev->fd, &e) != 0)
		die(EXIT_UNKNOWN, "epoll_ctl: %s", strerror(errno));
}

static int
serve(const char *http_spec, const char *agent_spec)
{
	struct ev lhttp, lagent, evres, evsig;
	struct epoll_event evs[64];
	struct signalfd_siginfo si;
	pthread_t th;
	sigset_t set;
	int n, i, running = 1, rc;

	signal(SIGPIPE, SIG_IGN);
	if ((epfd = epoll_create1(EPOLL_CLOEXEC)) < 0)
		die(EXIT_UNKNOWN, "epoll_create1: %s", strerror(errno));
	if (http_spec != NULL) {
		listen_on("--serve-http", http_spec, &lhttp, EV_LISTEN_HTTP);
		add_ev(&lhttp);
	}
	if (agent_spec != NULL) {
		listen_on("--serve-agent", agent_spec, &lagent,
		    EV_LISTEN_AGENT);
		add_ev(&lagent);
	}
	if ((result_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
		die(EXIT_UNKNOWN, "eventfd: %s", strerror(errno));
	evres.kind = EV_RESULT;
	evres.fd = result_fd;
	add_ev(&evres);
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((evsig.fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC)) < 0)
		die(EXIT_UNKNOWN, "signalfd: %s", strerror(errno));
	evsig.kind = EV_SIGNAL;
	add_ev(&evsig);
	if ((rc = pthread_create(&th, NULL, worker, NULL)) != 0)
		die(EXIT_UNKNOWN, "pthread_create: %s", strerror(rc));
	/* A first check at start: logs the state and opens the connection. */
	pthread_mutex_lock(&mu);
	req_gen++;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);

	while (running) {
		n = epoll_wait(epfd, evs, (int)(sizeof(evs) / sizeof(evs[0])),
		    next_timeout());
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die(EXIT_UNKNOWN, "epoll_wait: %s", strerror(errno));
		}
		for (i = 0; i < n; i++) {
			struct ev *ev = evs[i].data.ptr;
			struct client *c;

			switch (ev->kind) {
			case EV_LISTEN_HTTP:
			case EV_LISTEN_AGENT:
				accept_clients(ev);
				break;
			case EV_RESULT:
				result_ready();
				break;
			case EV_SIGNAL:
				if (read(ev->fd, &si, sizeof(si)) > 0)
					running = 0;
				break;
			case EV_CLIENT:
				c = (struct client *)ev;
				if (c->dead)
					break;
				if (evs[i].events & (EPOLLERR | EPOLLHUP))
					client_close(c);
				else if (c->state == C_READ)
					client_read(c);
				else if (c->state == C_WRITE)
					client_flush(c);
				break;
			}
		}
		expire_clients();
		bury_clients();
	}
	log_info("stopping");
	pthread_mutex_lock(&mu);
	stopping = 1;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	pthread_join(th, NULL);
	while (clients != NULL)
		client_close(clients);
	bury_clients();
	return EXIT_YES;
}

int
main(int argc, char *argv[])
{
	const char *http_spec = NULL, *agent_spec = NULL;
	int cache_given = 0;
	struct cli_common co = { 0, 0 };
	int ch;

	cli_init(argv[0]);
	db_opts_init(&opts, "dbcheck");
	while ((ch = getopt_long(argc, argv, DB_SHORTOPTS "r:" CLI_OPTS_COMMON, longopts,
	    NULL)) != -1) {
		if (db_opts_handle(&opts, ch, optarg))
			continue;
		switch (ch) {
		case 'r':
			if (db_role_parse(optarg, &check.role) != 0 ||
			    check.role == DB_ROLE_ALIVE)
				cli_usage_error("--role: '%s': expected "
				    "primary, replica, writable or any",
				    optarg);
			break;
		case OPT_MAX_LAG:
			check.max_lag = cli_int("--max-lag", optarg, 0,
			    86400 * 365);
			break;
		case OPT_QUERY:
			if (*optarg == '\0')
				cli_usage_error("--query: empty query");
			query = optarg;
			break;
		case OPT_SERVE_HTTP:
			http_spec = optarg;
			break;
		case OPT_SERVE_AGENT:
			agent_spec = optarg;
			break;
		case OPT_CACHE_MS:
			cache_ms = cli_int("--cache-ms", optarg, 0, 3600000);
			cache_given = 1;
			break;
		default:
			cli_common_opt(ch, usage, &co);
		}
	}
	json_out = co.json;
	if (optind != argc)
		cli_usage_error("unexpected argument '%s'", argv[optind]);
	if (check.max_lag >= 0 && check.role != DB_ROLE_REPLICA &&
	    check.role != DB_ROLE_ANY)
		cli_usage_error("--max-lag needs --role replica or any");
	db_opts_finish(&opts);
	db_init(&conn, &opts);
	if (http_spec != NULL || agent_spec != NULL)
		return serve(http_spec, agent_spec);
	if (cache_given)	/* even 0: a one-shot check has nothing to share */
		cli_usage_error("--cache-ms needs --serve-http or --serve-agent");
	/*
	 * libmariadb sleeps 1 us after connect(); with the default 50 us
	 * timer slack that sleep costs about 60 us of a ~2 ms check.
	 */
	prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
	return one_shot(co.quiet);
}
