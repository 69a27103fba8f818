# Aisle — build, test and demo. Every target installs the system packages it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

EXT        := $(CURDIR)/build/aisle.so
PHP        := php -dextension=$(EXT) -dmemory_limit=1G
CARGO      ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: help deps build ext bin test test-rust test-php lint demo bench bench-vault bench-catalog bench-redact bench-license clean

help:
	@echo "make demo   build the extension and run php/examples against it"
	@echo "make test   install what is missing, build, run every test layer"
	@echo "make bench  run the benchmarks in tests/bench (slow)"

deps:
	@scripts/install-deps.sh core

# The vendor binary first: building it rebuilds the cdylib without PHP bindings,
# so the extension is built last and copied out of target/.
build: deps bin ext

bin:
	$(CARGO) build --release --locked --bin aisle-license

ext:
	$(CARGO) build --release --locked --lib --features php
	@mkdir -p build && cp target/release/libaisle.so $(EXT)
	@$(PHP) --ri aisle

test: build lint test-rust test-php
	@echo "make test: every layer passed"

lint:
	$(CARGO) clippy --release --locked --all-targets --features php -- -D warnings
	@for f in php/aisle.stub.php php/examples/*.php tests/bench/*.php; do php -l $$f >/dev/null || exit 1; done
	@echo "lint: clippy and php -l clean"

test-rust:
	$(CARGO) test --release --locked

test-php:
	AISLE_EXT=$(EXT) $(PHP) /usr/bin/phpunit --configuration tests/php/phpunit.xml

demo: build
	@for f in php/examples/*.php; do echo; echo "=== $$f"; $(PHP) $$f || exit 1; done

bench: build bench-vault bench-catalog bench-redact bench-license

bench-vault:
	$(PHP) tests/bench/vault.php

bench-redact:
	$(PHP) tests/bench/redact.php

bench-license:
	$(PHP) tests/bench/license.php

bench-catalog:
	AISLE_EXT=$(EXT) $(PHP) tests/bench/catalog.php

clean:
	rm -rf build target
