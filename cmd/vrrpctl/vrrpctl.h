/*
 * vrrpctl: the subcommands, one function each, dispatched by main.c.
 */
#ifndef VRRPCTL_H
#define VRRPCTL_H

/* keepalived's path, so vrrpctl is a drop-in. */
#define VRRPCTL_DEFAULT_CONF	"/etc/keepalived/keepalived.conf"

/* Each returns the exit status; argv[0] is the subcommand's name. */
int	cmd_check(int argc, char **argv);

#endif
