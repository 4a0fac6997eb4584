# vipkit: small programs that keep a database reachable behind one virtual IP.
# make            build every program (cmd/*.c, cmd/*/) against lib/
# make check      run the bats suite (SANITIZE=1: on an ASan+UBSan build)
# make fuzz       run every fuzz target for FUZZ_SECONDS each
# make bench      run the benchmarks side by side with the tools users pick today
# make install    PREFIX (default /usr/local), DESTDIR; SYSTEMDUNITDIR, EXAMPLESDIR

VERSION   = 0.1.0
PREFIX   ?= /usr/local
DESTDIR  ?=
BINDIR    = $(PREFIX)/bin
SBINDIR   = $(PREFIX)/sbin
MANDIR    = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
# zsh looks in vendor-completions for packages (PREFIX=/usr), in
# site-functions for local installs (/usr/local/share/zsh/site-functions).
ZSHCOMPDIR  = $(if $(filter /usr,$(PREFIX)),$(PREFIX)/share/zsh/vendor-completions,$(PREFIX)/share/zsh/site-functions)
# The systemd unit and the sample config (never installed into /etc).
SYSTEMDUNITDIR = $(PREFIX)/lib/systemd/system
EXAMPLESDIR = $(PREFIX)/share/doc/vipkit
# etc/*.in get the installed paths.
SUBST = sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
        -e 's|@EXAMPLESDIR@|$(EXAMPLESDIR)|g'

CC       ?= cc
PKG_CONFIG ?= pkg-config
PKGS      = libnl-3.0 libnl-route-3.0 libmariadb libpcap

SANITIZE ?=
ifeq ($(SANITIZE),1)
BUILD    ?= build-san
SANFLAGS  = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD    ?= build
SANFLAGS  =
endif

WARN      = -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE \
            -DVIPKIT_VERSION='"$(VERSION)"' -Ilib \
            $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS) -Wl,--as-needed
LDLIBS_PKG = $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null) -lm

# Programs: cmd/NAME.c or cmd/NAME/*.c. Programs users run without root
# privileges go to bin, the ones that touch the network to sbin.
PROG_SRCS = $(wildcard cmd/*.c)
PROG_DIRS = $(patsubst %/,%,$(wildcard cmd/*/))
PROGS     = $(sort $(patsubst cmd/%.c,%,$(PROG_SRCS)) $(patsubst cmd/%,%,$(PROG_DIRS)))
BIN_PROGS = $(filter dbcheck wait-replica-caught-up set-readonly vrrp-listen,$(PROGS))
SBIN_PROGS = $(filter-out $(BIN_PROGS),$(PROGS))

LIB_SRCS  = $(wildcard lib/*.c)
LIB_OBJS  = $(patsubst lib/%.c,$(BUILD)/lib/%.o,$(LIB_SRCS))
LIBA      = $(BUILD)/libvipkit.a

UNIT_SRCS = $(wildcard t/unit/*.c)
UNITS     = $(patsubst t/unit/%.c,$(BUILD)/t/unit/%,$(UNIT_SRCS))
# Helper programs the tests use (packet crafters, pcap writers).
TOOL_SRCS = $(wildcard t/tools/*.c)
TOOLS     = $(patsubst t/tools/%.c,$(BUILD)/t/tools/%,$(TOOL_SRCS))

FUZZ_SRCS = $(wildcard t/fuzz/*.c)
FUZZERS   = $(patsubst t/fuzz/%.c,build-fuzz/%,$(FUZZ_SRCS))
FUZZ_SECONDS ?= 30

PROG_BINS = $(addprefix $(BUILD)/bin/,$(PROGS))

.PHONY: all check test unit fuzz bench demo install uninstall clean deps distclean
.SUFFIXES:
.DELETE_ON_ERROR:

all: $(PROG_BINS) $(UNITS) $(TOOLS)

$(BUILD)/lib/%.o: lib/%.c $(wildcard lib/*.h) | $(BUILD)/lib
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBA): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

# One rule per program so a program can be built alone: make build/bin/vip-add
define PROG_RULE
$(BUILD)/bin/$(1): $(wildcard cmd/$(1).c cmd/$(1)/*.c) $(wildcard cmd/$(1)/*.h) $(LIBA) | $(BUILD)/bin
	$$(CC) $$(ALL_CFLAGS) -Icmd/$(1) -o $$@ $(wildcard cmd/$(1).c cmd/$(1)/*.c) $(LIBA) $$(ALL_LDFLAGS) $$(LDLIBS_PKG)
endef
$(foreach p,$(PROGS),$(eval $(call PROG_RULE,$(p))))

$(BUILD)/t/unit/%: t/unit/%.c t/unit/unit.h $(LIBA) | $(BUILD)/t/unit
	$(CC) $(ALL_CFLAGS) -It/unit -o $@ $< $(LIBA) $(ALL_LDFLAGS) $(LDLIBS_PKG)

$(BUILD)/t/tools/%: t/tools/%.c $(LIBA) | $(BUILD)/t/tools
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIBA) $(ALL_LDFLAGS) $(LDLIBS_PKG)

$(BUILD)/lib $(BUILD)/bin $(BUILD)/t/unit $(BUILD)/t/tools build-fuzz:
	mkdir -p $@

# Install missing Debian packages through the repo's own script (as root).
deps:
	@missing=$$(sh t/deps.sh --list-missing); \
	if [ -n "$$missing" ]; then echo "make: missing packages:$$missing"; sh t/deps.sh; fi

# The suite: bats files in t/, run against the programs in $(BUILD)/bin.
# Fails when any test fails or is skipped; prints "N passed, N failed, N skipped".
check: deps
	$(MAKE) all
	VIPKIT_BIN=$(CURDIR)/$(BUILD)/bin VIPKIT_UNIT=$(CURDIR)/$(BUILD)/t/unit \
	VIPKIT_TOOLS=$(CURDIR)/$(BUILD)/t/tools VIPKIT_SANITIZE=$(SANITIZE) sh t/run-bats $(TESTS)
test: check

# Fuzzing: clang's libFuzzer with ASan+UBSan, bounded by FUZZ_SECONDS per target.
FUZZ_CFLAGS = -std=gnu11 -g -O1 -D_GNU_SOURCE -Ilib -DVIPKIT_VERSION='"$(VERSION)"' \
              -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
              $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
build-fuzz/%: t/fuzz/%.c $(LIB_SRCS) $(wildcard lib/*.h) | build-fuzz
	clang $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(LDLIBS_PKG)

# Every target for FUZZ_SECONDS, FUZZ_JOBS at a time (one per core).
FUZZ_JOBS ?= 2
fuzz: deps $(FUZZERS)
	@$(MAKE) --no-print-directory -j$(FUZZ_JOBS) \
	    $(FUZZERS:build-fuzz/%=fuzz-run-%)

# Not .PHONY (make skips pattern rules for phony targets); no such file.
fuzz-run-%: build-fuzz/%
	@set -e; name=$*; corpus=t/data/fuzz/$$name; \
	work=$$(mktemp -d); cp -r $$corpus/. $$work/ 2>/dev/null || true; \
	echo "fuzz: $$name for $(FUZZ_SECONDS)s"; \
	$< -max_total_time=$(FUZZ_SECONDS) -timeout=5 -rss_limit_mb=1024 \
	    -print_final_stats=0 $$work $$corpus 2>build-fuzz/$$name.log \
	    || { tail -40 build-fuzz/$$name.log; rm -rf $$work; exit 1; }; \
	rm -rf $$work; echo "fuzz: $$name: $$(tail -1 build-fuzz/$$name.log)"

bench: deps all
	@set -e; for b in t/bench/*.sh; do \
		[ -e "$$b" ] || continue; \
		VIPKIT_BIN=$(CURDIR)/$(BUILD)/bin VIPKIT_TOOLS=$(CURDIR)/$(BUILD)/t/tools \
		    bash "$$b"; \
	done

# The failover demo (as root): a MariaDB primary/replica pair behind a VIP in
# network namespaces, the primary killed, the failover as a timeline.
demo:
	@$(MAKE) deps all
	@VIPKIT_BIN=$(CURDIR)/$(BUILD)/bin t/demo/run

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR) \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR)
	for p in $(BIN_PROGS); do install -m 755 $(BUILD)/bin/$$p $(DESTDIR)$(BINDIR)/$$p; done
	for p in $(SBIN_PROGS); do install -m 755 $(BUILD)/bin/$$p $(DESTDIR)$(SBINDIR)/$$p; done
	for m in man1/*.1; do [ -e "$$m" ] && install -m 644 $$m $(DESTDIR)$(MANDIR)/; done; true
	for c in completions/[!_]*; do [ -e "$$c" ] && install -m 644 $$c $(DESTDIR)$(BASHCOMPDIR)/; done; true
	for c in completions/_*; do [ -e "$$c" ] && install -m 644 $$c $(DESTDIR)$(ZSHCOMPDIR)/; done; true
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(EXAMPLESDIR)
	$(SUBST) etc/vrrpctl.service.in > $(DESTDIR)$(SYSTEMDUNITDIR)/vrrpctl.service
	chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/vrrpctl.service
	$(SUBST) etc/vrrpctl.conf.sample.in > $(DESTDIR)$(EXAMPLESDIR)/vrrpctl.conf.sample
	chmod 644 $(DESTDIR)$(EXAMPLESDIR)/vrrpctl.conf.sample

uninstall:
	for p in $(BIN_PROGS); do rm -f $(DESTDIR)$(BINDIR)/$$p; done
	for p in $(SBIN_PROGS); do rm -f $(DESTDIR)$(SBINDIR)/$$p; done
	for m in man1/*.1; do rm -f $(DESTDIR)$(MANDIR)/$${m#man1/}; done
	for c in completions/[!_]*; do rm -f $(DESTDIR)$(BASHCOMPDIR)/$${c#completions/}; done
	for c in completions/_*; do rm -f $(DESTDIR)$(ZSHCOMPDIR)/$${c#completions/}; done
	rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/vrrpctl.service $(DESTDIR)$(EXAMPLESDIR)/vrrpctl.conf.sample
	rmdir $(DESTDIR)$(EXAMPLESDIR) 2>/dev/null || true

clean:
	rm -rf build build-san build-fuzz
