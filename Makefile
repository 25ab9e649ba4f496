# The two commands of the README: `make run` and `make test`. Everything else is for developers.
SWIFT ?= swift
FUZZ_SECONDS ?= 60
BIN_DEBUG = .build/debug/sluice
BIN_RELEASE = .build/release/sluice

.PHONY: run test build release deps bench fuzz fixtures clean

deps:
	@scripts/install-deps.sh

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

run: release
	$(BIN_RELEASE) run --config etc/sluice.conf

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	bench/run.sh

fuzz: deps
	Fuzz/run.sh $(FUZZ_SECONDS)

fixtures: deps
	scripts/make-fixtures.sh

clean:
	rm -rf .build Fuzz/out bench/out
