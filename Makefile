# lanchat: `make run` and `make test` install what is missing, build, and run.
SWIFT      ?= swift
PREFIX     ?= /usr/local
BUILD_DIR  := .build
# Debug builds compile C at -O0; BoringSSL's Ed25519 then doubles the simulator's run time, so its
# C (and only C) is optimised. Every debug build uses the same flags, or each would rebuild it.
DEBUG_FLAGS := -Xcc -O2
# What building needs, and what the tests need on top (the virtual LAN and its selftest's probes,
# unit checks, the benchmark peer, the shell script check, the terminal the chat is tested in).
BUILD_PACKAGES := libavahi-compat-libdnssd-dev libsqlite3-dev libncurses-dev pkg-config
# What building the Debian package needs (dpkg-shlibdeps, strip), and checking it.
DEB_PACKAGES   := dpkg-dev binutils lintian
TEST_PACKAGES  := $(BUILD_PACKAGES) $(DEB_PACKAGES) avahi-daemon avahi-utils dbus iproute2 iputils-ping nftables systemd procps util-linux shellcheck tcpdump socat tmux debootstrap sqlite3
# The shell scripts: scripts/* and the package's maintainer scripts with a sh or bash #! line, and
# the files scripts/lan sources.
SHELL_SCRIPTS   = $(shell grep -lsE '^#!.*[/ ](ba)?sh$$' scripts/* packaging/deb/*) $(wildcard scripts/lan.d/*.sh)

# Fuzzing: the separate package Fuzz/ builds one libFuzzer executable per decoder of network and
# control-socket input (release, with AddressSanitizer); `make test` replays its corpus and crashes.
FUZZ_TARGETS := entry entry-signed datagram sealed-datagram sync-frame sync-vector control-request
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := Fuzz/.build
FUZZ_PACKAGE := --package-path Fuzz --scratch-path $(FUZZ_BUILD)

.PHONY: all build release deb package-test run test bench bench-quick install uninstall deps deps-test deps-bench check-units check-scripts clean fuzz fuzz-build fuzz-seeds

all: build

deps:
	@scripts/install-packages $(BUILD_PACKAGES)

deps-test:
	@scripts/install-packages $(TEST_PACKAGES)

build: deps
	$(SWIFT) build $(DEBUG_FLAGS)

release: deps
	$(SWIFT) build -c release

# The Debian package, for the Debian release this machine runs (the binaries link its glibc), in
# .build/deb/; DEB_REVISION numbers rebuilds of one version. Only the two shipped binaries are built,
# with no RUNPATH: they load no library of their own.
DEB_REVISION ?= 1
MAN_DIR      := $(BUILD_DIR)/man
DEB_DIR      := $(BUILD_DIR)/deb
# The package's files and man pages are dated by the last commit, so one tree builds one package.
ifndef SOURCE_DATE_EPOCH
SOURCE_DATE_EPOCH := $(shell git log -1 --format=%ct 2>/dev/null || date +%s)
endif
export SOURCE_DATE_EPOCH
MAN_DATE     := $(shell date -u -d @$(SOURCE_DATE_EPOCH) +%F)
deb: deps
	@scripts/install-packages $(DEB_PACKAGES)
	$(SWIFT) build -c release --disable-local-rpath --product lanchatd
	$(SWIFT) build -c release --disable-local-rpath --product lanchat
	$(SWIFT) build -c release --product generate-manual
	rm -rf $(MAN_DIR) && mkdir -p $(MAN_DIR)
	$(BUILD_DIR)/release/generate-manual $(BUILD_DIR)/release/lanchat --section 1 --output-directory $(MAN_DIR) --date $(MAN_DATE)
	$(BUILD_DIR)/release/generate-manual $(BUILD_DIR)/release/lanchatd --section 8 --output-directory $(MAN_DIR) --date $(MAN_DATE)
	scripts/build-deb $(BUILD_DIR)/release $(MAN_DIR) $(DEB_DIR) $(DEB_REVISION)

# Builds the package, and from the same binaries a rebuild as revision 2 to upgrade to, checks it with
# lintian, and installs, uses, upgrades and purges it under real systemd (scripts/package-test).
package-test: deps-test
	rm -rf $(DEB_DIR)
	$(MAKE) deb DEB_REVISION=1
	scripts/build-deb $(BUILD_DIR)/release $(MAN_DIR) $(DEB_DIR) 2
	lintian --fail-on warning $(DEB_DIR)/lanchat_*-1_*.deb
	scripts/package-test $(DEB_DIR)/lanchat_*-1_*.deb $(DEB_DIR)/lanchat_*-2_*.deb

# Runs this user's daemon in the foreground; mDNS uses the desktop's Avahi when it runs.
run: release
	@echo "lanchatd starting; in another terminal: $(BUILD_DIR)/release/lanchat send 'hello'"
	exec $(BUILD_DIR)/release/lanchatd

# Three runs: the CPU-heavy simulation must not starve the process tests of the test runner's
# threads, and the virtual LAN tests (root, network namespaces) run one at a time, after
# scripts/lan-selftest has checked the virtual LAN itself (with lanchatd from the debug build).
test: deps-test check-scripts
	$(SWIFT) build --build-tests $(DEBUG_FLAGS)
	scripts/check-units $(BUILD_DIR)/debug
	$(SWIFT) test --skip-build --skip 'LanChatSimulatorTests|LANTests'
	scripts/lan-selftest
	$(SWIFT) test --skip-build --filter LANTests
	$(SWIFT) test --skip-build --filter LanChatSimulatorTests
	$(MAKE) package-test

# Serf (the comparison), valgrind (instruction counts) and matplotlib (the plot) are optional: without
# them their parts are skipped.
deps-bench: deps
	@scripts/install-packages valgrind binutils || echo "valgrind cannot be installed here; the benchmark skips instruction counts"
	@scripts/install-packages serf || echo "serf cannot be installed here; the benchmark skips its rows"
	@# Debian's package enables an agent on all interfaces; the benchmark starts its own on loopback.
	@systemctl disable --now serf >/dev/null 2>&1 || true
	@python3 -c 'import matplotlib' 2>/dev/null || python3 -m pip install -q matplotlib || echo "matplotlib unavailable; no plot"

bench: deps-bench
	$(SWIFT) build -c release
	$(BUILD_DIR)/release/lanchat-bench

bench-quick: deps-bench
	$(SWIFT) build -c release
	$(BUILD_DIR)/release/lanchat-bench --quick

# Each fuzzer is built on its own: fuzz-seeds, a plain executable, cannot link libFuzzer's main.
fuzz-build: deps
	for target in $(FUZZ_TARGETS); do \
		$(SWIFT) build -c release $(FUZZ_PACKAGE) --product fuzz-$$target \
			-Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library || exit 1; \
	done

# Each target for FUZZ_SECONDS, one after the other (FUZZ_FLAGS: more libFuzzer options); new
# crash inputs land in Fuzz/crashes/<target>/.
fuzz: fuzz-build
	scripts/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Rewrites Fuzz/corpus from the encoders of today (after a format change; make test says when).
fuzz-seeds: deps
	$(SWIFT) build $(FUZZ_PACKAGE) --product fuzz-seeds
	$(FUZZ_BUILD)/debug/fuzz-seeds Fuzz/corpus

check-units: build
	scripts/check-units $(BUILD_DIR)/debug

check-scripts: deps-test
	shellcheck -x $(SHELL_SCRIPTS)

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)/etc/systemd/system $(DESTDIR)/etc/systemd/user
	install -m 0755 $(BUILD_DIR)/release/lanchatd $(BUILD_DIR)/release/lanchat $(DESTDIR)$(PREFIX)/bin/
	sed 's|@BINDIR@|$(PREFIX)/bin|g' systemd/lanchatd.service > $(DESTDIR)/etc/systemd/system/lanchatd.service
	sed 's|@BINDIR@|$(PREFIX)/bin|g' systemd/user/lanchatd.service > $(DESTDIR)/etc/systemd/user/lanchatd.service
	sed 's|@BINDIR@|$(PREFIX)/bin|g' systemd/user/lanchat-notify.service > $(DESTDIR)/etc/systemd/user/lanchat-notify.service
	install -m 0644 systemd/lanchatd.sysusers $(DESTDIR)/usr/lib/sysusers.d/lanchat.conf 2>/dev/null || \
		(install -d $(DESTDIR)/usr/lib/sysusers.d && install -m 0644 systemd/lanchatd.sysusers $(DESTDIR)/usr/lib/sysusers.d/lanchat.conf)
	install -d $(DESTDIR)$(PREFIX)/share/lanchat
	install -m 0644 systemd/network-key.conf $(DESTDIR)$(PREFIX)/share/lanchat/network-key.conf
	@echo "installed; system service: systemd-sysusers && systemctl enable --now lanchatd"
	@echo "           per-user:       systemctl --user enable --now lanchatd"
	@echo "           notifications:  systemctl --user enable --now lanchat-notify (needs libnotify-bin)"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/lanchatd $(DESTDIR)$(PREFIX)/bin/lanchat
	rm -f $(DESTDIR)/etc/systemd/system/lanchatd.service $(DESTDIR)/etc/systemd/user/lanchatd.service
	rm -f $(DESTDIR)/etc/systemd/user/lanchat-notify.service
	rm -f $(DESTDIR)/usr/lib/sysusers.d/lanchat.conf
	rm -rf $(DESTDIR)$(PREFIX)/share/lanchat

clean:
	rm -rf $(BUILD_DIR) $(FUZZ_BUILD)
