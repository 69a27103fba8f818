# Aisle — build, test and demo. Every target installs the system packages it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

EXT        := $(CURDIR)/build/aisle.so
PHP        := php -dextension=$(EXT) -dmemory_limit=1G
CARGO      ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: help deps build ext bin i18n i18n-check test test-rust test-php test-fuzz fuzz test-wordpress test-compat e2e-deps lint demo demo-stop test-demo bench bench-vault bench-catalog bench-knowledge bench-redact bench-license bench-sync bench-feeds bench-chat bench-channels bench-load clean dist test-dist test-relevance test-production screenshots

help:
	@echo "make demo   build the extension, run php/examples, start a WooCommerce demo store at http://127.0.0.1:8080 (make demo-stop)"
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
	@# A new file renamed into place: PHP processes that have the old one mapped keep it intact.
	@mkdir -p build && cp target/release/libaisle.so $(EXT).new && mv -f $(EXT).new $(EXT)
	@$(PHP) --ri aisle

test: build lint test-rust test-php test-fuzz test-wordpress test-production test-compat test-demo test-dist test-relevance
	@echo "make test: every layer passed"

lint:
	$(CARGO) clippy --release --locked --all-targets --features php -- -D warnings
	@for f in php/aisle.stub.php php/examples/*.php tests/bench/*.php tests/fuzz/*.php; do php -l $$f >/dev/null || exit 1; done
	@echo "lint: clippy and php -l clean"

test-rust:
	$(CARGO) test --release --locked

test-php:
	AISLE_EXT=$(EXT) $(PHP) /usr/bin/phpunit --configuration tests/php/phpunit.xml

# Every extension class fuzzed from PHP (tests/fuzz/run.php): 10,000 seeded cases per class, each class's
# campaign in a child process (a crash or hang is a finding, not the end of the run), then 100,000 calls per
# class with RSS and PHP's heap checked for growth. A finding fails the target and is shrunk into
# tests/fuzz/regressions/, which tests/php/FuzzRegressionTest.php replays. About a minute.
test-fuzz:
	AISLE_EXT=$(EXT) $(PHP) tests/fuzz/run.php --seed=20261201 --cases=10000

# Longer runs, not part of make test: make fuzz SEED=123 CASES=100000 (a new seed each run by default).
fuzz:
	AISLE_EXT=$(EXT) $(PHP) tests/fuzz/run.php --seed=$(or $(SEED),$(shell date +%s)) --cases=$(or $(CASES),100000)

# Search relevance (tests/relevance/): shopper queries over WooCommerce's sample catalog, a generated
# catalog and small French and Arabic ones; fails when a language's hit@3 drops below baseline.json.
# --misses lists what is missed, --update-baseline raises the floor.
test-relevance:
	$(PHP) tests/relevance/run.php

# Real WordPress 7.0.4 + WooCommerce 11.0.1 (the pinned release archives: tests/wordpress/Platform.php)
# + private MariaDB + the plugin, with headless Chromium for the widget, checkout and admin screens.
test-wordpress: build e2e-deps i18n-check
	@for f in plugin/aisle/*.php plugin/aisle/includes/*.php plugin/aisle/includes/*/*.php tests/wordpress/*.php tests/wordpress/*/*.php; do php -l $$f >/dev/null || exit 1; done
	AISLE_EXT=$(EXT) $(PHP) /usr/bin/phpunit --configuration tests/wordpress/phpunit.xml

# The smoke suite (activate, sync, chat card, order status, uninstall) on the oldest supported
# pair, WordPress 6.8.3 + WooCommerce 9.9.5.
test-compat: build e2e-deps
	AISLE_PLATFORM=oldest AISLE_EXT=$(EXT) $(PHP) /usr/bin/phpunit --configuration tests/wordpress/phpunit-smoke.xml

e2e-deps:
	@scripts/install-deps.sh wordpress browser dist
	@cmp -s tests/e2e/package-lock.json tests/e2e/node_modules/.aisle-lock 2>/dev/null \
		|| (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.aisle-lock)

# A real store in .demo/: MariaDB + php -S with the extension, WordPress 7.0.4 + WooCommerce 11.0.1
# with WooCommerce's sample catalog, orders and pages, Aisle synced (built-in answerer). A second
# run reuses a healthy demo. AISLE_DEMO_PORT=8081 for another port. scripts/demo-wordpress.php.
demo: build
	@for f in php/examples/*.php; do echo; echo "=== $$f"; $(PHP) $$f || exit 1; done
	@scripts/install-deps.sh wordpress
	@echo; AISLE_EXT=$(EXT) $(PHP) scripts/demo-wordpress.php

# Stops exactly the processes make demo started (.demo/*.pid).
demo-stop:
	@php scripts/demo-wordpress.php stop

# make demo, as the Quick start runs it, in its own folder and port (scripts/test-demo.sh).
test-demo: build
	@scripts/install-deps.sh wordpress
	scripts/test-demo.sh

bench: build bench-vault bench-catalog bench-knowledge bench-redact bench-license bench-sync bench-chat bench-channels

bench-vault:
	$(PHP) tests/bench/vault.php

bench-redact:
	$(PHP) tests/bench/redact.php

bench-license:
	$(PHP) tests/bench/license.php

# Knowledge extraction (Chromium PDFs, DOCX) side by side with pdftotext and pure PHP (ZipArchive +
# DOMDocument): MB/s, pages/s, peak memory, share of words recovered; passage search p95 at 10,000
# passages beside 100,000 products. The corpus is cached in tests/artifacts/bench-knowledge/.
bench-knowledge: build
	@scripts/install-deps.sh knowledge-bench
	AISLE_EXT=$(EXT) $(PHP) -dmemory_limit=2G tests/bench/knowledge.php

bench-catalog:
	AISLE_EXT=$(EXT) $(PHP) tests/bench/catalog.php

# Agent feeds at 100,000 products (PRODUCTS=...): Aisle's feed vs a wc_get_products() generator, UCP search vs the Store API.
bench-feeds: build
	@scripts/install-deps.sh wordpress
	AISLE_EXT=$(EXT) $(PHP) tests/bench/feeds.php $(or $(PRODUCTS),100000)

bench-sync: build
	@scripts/install-deps.sh wordpress
	AISLE_EXT=$(EXT) $(PHP) tests/bench/sync.php $(or $(PRODUCTS),10000)

# POST chat (built-in answerer) p50/p95 next to GET /wp-json/ on the same server; widget bytes.
# Channels (issue 18): a signed WhatsApp delivery's server time against GET /wp-json/, and the
# signature check against PHP's hash_hmac + hash_equals.
bench-channels: build
	@scripts/install-deps.sh wordpress
	AISLE_EXT=$(EXT) $(PHP) tests/bench/channels.php $(or $(REQUESTS),200)

bench-chat: build
	@scripts/install-deps.sh wordpress
	AISLE_EXT=$(EXT) $(PHP) tests/bench/chat.php $(or $(REQUESTS),500)

# The production stack (tests/production/Stack.php): nginx with a fastcgi_cache page cache, PHP-FPM 8.2
# (pm = dynamic, the extension by its own ini), MariaDB, Redis behind an object-cache.php drop-in; the
# stack's own tests and its faults (Redis down, provider failures, an FPM worker killed, MariaDB
# restarted mid-sync). Part of make test.
test-production: build e2e-deps
	@scripts/install-deps.sh wordpress production
	@for f in tests/production/*.php tests/production/*/*.php; do php -l $$f >/dev/null || exit 1; done
	AISLE_EXT=$(EXT) $(PHP) /usr/bin/phpunit --configuration tests/production/phpunit.xml

# Load on the production stack at 50, 100 and 200 concurrent sessions (LEVELS=50,100,200; LOAD_SECONDS=10
# a run, LOAD_WORKERS=16 FPM children): throughput, p50/p95/p99, statuses, FPM saturation, queries per
# chat, memory per worker, and every answered chat checked in the database. tests/bench/load.php.
LEVELS ?= 50,100,200
bench-load: build
	@scripts/install-deps.sh wordpress production
	AISLE_EXT=$(EXT) $(PHP) tests/bench/load.php $(LEVELS)

# Release artifacts in dist/: the plugin zip (aisle-<AISLE_VERSION>.zip) and the extension as a
# Debian package for PHP 8.2 (php8.2-aisle_<version>_<arch>.deb). scripts/dist.sh, packaging/.
dist: ext
	@scripts/install-deps.sh dist
	scripts/dist.sh all

# Checks both for real: zip layout and readme, composer.json, then installs, upgrades, removes and
# purges the .deb on this machine (root; refuses if php8.2-aisle is already there). scripts/test-dist.sh.
test-dist: dist
	scripts/test-dist.sh


# The screenshots the repository keeps (tests/screenshots/, issue 15), copied from what the e2e
# tests of make test-wordpress left in tests/artifacts/; a missing one fails.
SCREENSHOTS = admin-tab-overview admin-tab-chats admin-tab-leads admin-tab-settings \
	admin-settings-assistant admin-settings-appearance admin-settings-ai admin-settings-catalog admin-settings-advanced \
	admin-live-preview admin-yellow-accent admin-validation admin-sync-progress admin-lead-delete-confirm \
	admin-transcript admin-chats-list admin-live-view admin-dashboard admin-add-to-faq widget-lead-fields \
	widget-experience-tt5-shop-1280 widget-experience-tt5-accent-ffe14d widget-experience-tt5-lead-390 \
	widget-experience-tt1-shop-1280 widget-experience-tt1-lead-390 widget-experience-classic-shop-1280 widget-experience-classic-lead-390 \
	lead-email theme-tt1-product-1280 theme-tt5-product-390
screenshots:
	@mkdir -p tests/screenshots
	@for s in $(SCREENSHOTS); do cp tests/artifacts/$$s.png tests/screenshots/ || exit 1; done
	@echo "tests/screenshots: $(words $(SCREENSHOTS)) screenshots"
clean:
	rm -rf build target

# Regenerates the plugin's translation template (committed).
pot:
	xgettext --language=PHP --from-code=UTF-8 --add-comments=translators: \
		--keyword=__ --keyword=_e --keyword=esc_html__ --keyword=esc_html_e --keyword=esc_attr__ --keyword=esc_attr_e \
		--keyword=_x:1,2c --keyword=_n:1,2 --package-name=Aisle --package-version=0.1.0 \
		-o plugin/aisle/languages/aisle.pot \
		plugin/aisle/aisle.php plugin/aisle/includes/*.php plugin/aisle/includes/*/*.php
	xgettext --join-existing --language=JavaScript --from-code=UTF-8 --add-comments=translators: \
		--keyword=__ --keyword=_x:1,2c --keyword=_n:1,2 -o plugin/aisle/languages/aisle.pot \
		plugin/aisle/assets/admin.js plugin/aisle/assets/channels.js plugin/aisle/assets/knowledge.js plugin/aisle/assets/live.js
	@sed -i -e "s/charset=CHARSET/charset=UTF-8/" -e "s/PACKAGE VERSION/Aisle 0.1.0/" \
		-e "1s/.*/# Translations of Aisle, the AI sales assistant for WooCommerce./" \
		-e "2s/.*/# Copyright (C) 2026 Aisle/" \
		-e "3s/.*/# This file is distributed under the same license as the Aisle plugin (GPL-2.0-or-later)./" -e "4,6{/^#/d}" \
		-e "s|^\"Report-Msgid-Bugs-To: .*|\"Report-Msgid-Bugs-To: \\\\n\"|" \
		-e "/^\"Plural-Forms: /a \"X-Domain: aisle\\\\n\"" \
		-e "s/^\"PO-Revision-Date: YEAR.*/\"PO-Revision-Date: $$(date -u '+%Y-%m-%d %H:%M+0000')\\\\n\"/" \
		-e "s/^\"Last-Translator: .*/\"Last-Translator: Aisle\\\\n\"/" \
		-e "s/^\"Language-Team: .*/\"Language-Team: Aisle\\\\n\"/" plugin/aisle/languages/aisle.pot
	@echo "pot: after a string changed, per language: msgmerge --update aisle-xx.po aisle.pot; then make i18n"

# Compiles the translations (committed): each language's .mo for PHP, and the admin scripts'
# JSON files (scripts/po2json.py) that wp_set_script_translations() hands to wp.i18n.
i18n:
	@for f in plugin/aisle/languages/*.po; do msgfmt --check -o $${f%.po}.mo $$f || exit 1; done
	/usr/bin/python3 scripts/po2json.py

# Every shipped language is complete, and the committed translations are what their .po files
# say (run in test-wordpress). msgmerge a new template, translate what it adds, then make i18n.
i18n-check:
	@for f in plugin/aisle/languages/*.po; do \
		s=$$(LC_ALL=C msgfmt --check --statistics -o /dev/null $$f 2>&1) || { echo "$$s"; exit 1; }; \
		case "$$s" in *untranslated*|*fuzzy*) echo "i18n: $$f is not complete: $$s"; exit 1;; esac; \
		cmp -s $${f%.po}.mo <(msgfmt -o - $$f) || { echo "i18n: $${f%.po}.mo is not what $$f compiles to (make i18n)"; exit 1; }; \
	done
	@/usr/bin/python3 scripts/po2json.py --check
	@echo "i18n: every .po compiles; the scripts' JSON files match them"
