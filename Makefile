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
	if [ -z '$(ARGS)' ]; then scripts/first-run "$$bin"; else "$$bin/mtobs" $(ARGS); fi

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
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/libexec/mtobs/plugins.d $(DESTDIR)$(PREFIX)/share/mtobs/deploy \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $$($(SWIFT) build -c release --show-bin-path)/mtobs $(DESTDIR)$(PREFIX)/bin/mtobs
	install -m 755 $$($(SWIFT) build -c release --show-bin-path)/mtobs-exec-child \
	  $(DESTDIR)$(PREFIX)/libexec/mtobs/mtobs-exec-child
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 completions/mtobs.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mtobs
	install -m 644 completions/_mtobs $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mtobs
	install -m 644 completions/mtobs.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/mtobs.fish
	cp -R deploy/. $(DESTDIR)$(PREFIX)/share/mtobs/deploy/
	cp -R plugins.d/. $(DESTDIR)$(PREFIX)/libexec/mtobs/plugins.d/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mtobs $(DESTDIR)$(PREFIX)/libexec/mtobs/mtobs-exec-child $(DESTDIR)$(PREFIX)/share/man/man1/mtobs*.1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mtobs $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mtobs \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/mtobs.fish
	rm -rf $(DESTDIR)$(PREFIX)/share/mtobs $(DESTDIR)$(PREFIX)/libexec/mtobs

clean:
	rm -rf .build
