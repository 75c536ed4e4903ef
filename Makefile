# mtobs — build, test, install. See README.md.
PREFIX ?= /usr/local
CONFIGURATION ?= debug
ARGS ?=
SWIFT ?= swift

.PHONY: run build test unit lint docs docs-check bench install uninstall clean

## Build mtobs and run it (make run ARGS="version --client"). Without ARGS: `mtobs health` on the
## shipped example stack, served by the stand-in API server (scripts/first-run).
run: build
	@bin=$$($(SWIFT) build -c $(CONFIGURATION) --show-bin-path); \
	$(if $(strip $(ARGS)),"$$bin/mtobs" $(ARGS),scripts/first-run "$$bin")

build:
	@scripts/install-deps
	$(SWIFT) build -c $(CONFIGURATION) --product mtobs

## Everything CI runs: unit and black-box tests, the generated-files drift check, the format check.
test:
	@scripts/install-deps --test
	$(SWIFT) build --build-tests
	# One test at a time: the black-box suites start many kubectl children, and on a small CI
	# machine running them all at once starves the time limits the process tests assert.
	$(SWIFT) test --skip-build --no-parallel
	scripts/generate-docs --check
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

lint:
	$(SWIFT) format lint --strict --recursive Package.swift Sources Tests

docs:
	scripts/generate-docs

docs-check:
	scripts/generate-docs --check

## Start-up and health benchmarks; results go to docs/benchmarks.md.
bench:
	@scripts/install-deps --bench
	scripts/bench

## Installs nothing system-wide besides mtobs's own files: a missing build dependency is named, not installed.
install:
	@scripts/install-deps --check
	# A static Swift runtime halves start-up time (docs/benchmarks.md).
	$(SWIFT) build -c release --static-swift-stdlib --product mtobs
	$(SWIFT) build -c release --static-swift-stdlib --product mtobs-exec-child
	PREFIX='$(PREFIX)' DESTDIR='$(DESTDIR)' scripts/install "$$($(SWIFT) build -c release --show-bin-path)"

## Removes exactly the files install put in place (scripts/install --uninstall).
uninstall:
	PREFIX='$(PREFIX)' DESTDIR='$(DESTDIR)' scripts/install --uninstall

clean:
	rm -rf .build
