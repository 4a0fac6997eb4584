/*
 * vrrpctl: the subcommands, one function each, dispatched by main.c.
 */
#ifndef VRRPCTL_H
#define VRRPCTL_H

/* keepalived's path, so vrrpctl is a drop-in. */
#define VRRPCTL_DEFAULT_CONF	"/etc/keepalived/keepalived.conf"
/* The daemon's control socket (root only, mode 0600). */
#define VRRPCTL_DEFAULT_SOCK	"/run/vrrpctl.sock"

/* Each returns the exit status; argv[0] is the subcommand's name. */
int	cmd_check(int argc, char **argv);
int	cmd_run(int argc, char **argv);
int	cmd_status(int argc, char **argv);
int	cmd_demote(int argc, char **argv);
int	cmd_resume(int argc, char **argv);

#endif
