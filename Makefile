# The two commands of the README: `make run` and `make test`. Everything else is for developers and operators.
SWIFT ?= swift
FUZZ_SECONDS ?= 60
PREFIX ?= /usr/local
# The release binary carries the Swift runtime (static stdlib): it runs from /usr/local/bin without the toolchain.
RELEASE_FLAGS = -c release --static-swift-stdlib
BIN_RELEASE = .build/release/sluice

.PHONY: run test build release deps bench fuzz fixtures install clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product sluice

# The supervisor in the foreground on etc/sluice.conf (a fake:// stream on port 8080); Ctrl-C stops it.
# Its runtime directory (control socket, pid file) is .build/run: `sluice ctl --runtime-dir .build/run streams`.
run: release
	@echo "Sluice on http://localhost:8080 -- open http://localhost:8080/demo/index.m3u8 (HLS) or"
	@echo "http://localhost:8080/demo/mpegts (MPEG-TS) in a player; Ctrl-C stops it."
	$(BIN_RELEASE) run --config etc/sluice.conf --runtime-dir $(CURDIR)/.build/run

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench:
	@scripts/install-deps.sh bench
	bench/run.sh

fuzz: deps
	Fuzz/run.sh $(FUZZ_SECONDS)

fixtures: deps
	scripts/make-fixtures.sh

# The binary, the config (never overwriting an existing one) and the systemd unit. Then:
# systemctl daemon-reload && systemctl enable --now sluice
install: release
	install -D -m 755 $(BIN_RELEASE) $(DESTDIR)$(PREFIX)/bin/sluice
	install -d $(DESTDIR)/etc/sluice
	@if [ -e $(DESTDIR)/etc/sluice/sluice.conf ]; then echo "keeping the existing /etc/sluice/sluice.conf"; \
	else install -m 644 etc/sluice.conf $(DESTDIR)/etc/sluice/sluice.conf; fi
	install -D -m 644 systemd/sluice.service $(DESTDIR)/etc/systemd/system/sluice.service

clean:
	rm -rf .build Fuzz/out bench/out
