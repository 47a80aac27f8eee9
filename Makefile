# payhook: `make build` produces pkg/, `make test` runs every test, `make dev` serves the demo.
# Each target installs what it needs on a fresh machine and is quick when it is there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := build
# A recipe that fails leaves no half-made target behind (e.g. a wasm that bindgen
# wrote but wasm-opt did not optimise), so the next run makes it again.
.DELETE_ON_ERROR:

WASM_TARGET := wasm32-unknown-unknown
RAW_WASM := target/$(WASM_TARGET)/release/payhook_wasm.wasm
# The HAPI-only wasm (`payhook/hapi`): --no-default-features, in its own target
# directory so that the two builds never invalidate each other's cache.
HAPI_TARGET_DIR := target/hapi
RAW_HAPI_WASM := $(HAPI_TARGET_DIR)/$(WASM_TARGET)/release/payhook_wasm.wasm
GEN := pkg/gen
# The licence texts and the changelog live at the repository root (one copy in git);
# `make build` copies them into pkg/ (git-ignored there) so that npm packs them.
PKG_DOCS := pkg/LICENSE-MIT pkg/LICENSE-APACHE pkg/CHANGELOG.md
# --flatten --rereloop before -Oz, run to a fixed point: ~0.6 KB gzip smaller than
# -Oz alone, same speed (bench/hitpay.mjs), ~5 s instead of ~3 s.
WASM_OPT_FLAGS := --flatten --rereloop -Oz --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	--enable-mutable-globals --enable-reference-types --enable-multivalue --strip-debug --strip-producers
APT_UPDATED := target/.apt-updated
# binaryen from npm (pinned in package-lock.json): Debian's older wasm-opt breaks
# wasm-bindgen's externref table.
WASM_OPT := node_modules/.bin/wasm-opt

.PHONY: FORCE build pack test dev load bench setup-rust setup-node setup-chromium apt-install lint test-rust test-types test-node clean fuzz fuzz-replay

## ---------------------------------------------------------------- setup

setup-rust:
	@rustup target list --installed | grep -qx '$(WASM_TARGET)' || rustup target add $(WASM_TARGET)
	@rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@rustup component list --installed | grep -q '^clippy' || rustup component add clippy

setup-node: node_modules/.installed

# `npm install --no-save` installs exactly what package-lock.json pins. (`npm ci`
# refuses this lockfile here: the registry mirror lacks other platforms' optional
# rollup binaries, which npm then leaves out of the lockfile.)
node_modules/.installed: package.json package-lock.json
	npm install --no-save --no-audit --no-fund
	@touch $@

setup-chromium:
	@command -v chromium >/dev/null || $(MAKE) --no-print-directory apt-install PKG=chromium

apt-install:
	@mkdir -p target
	@[ -f $(APT_UPDATED) ] || { apt-get update -qq && touch $(APT_UPDATED); }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PKG) >/dev/null

## ---------------------------------------------------------------- build

# pkg/gen/payhook_core* (every export, `payhook`) and pkg/gen/payhook_hapi* (the
# HAPI exports only, `payhook/hapi`); each wasm also inlined in a JS module,
# <name>_wasm.js, that the browser and Node entries load; pkg/gen/cjs (the CommonJS
# build); the package's copies of the licence texts and changelog.
build: $(GEN)/payhook_core.js $(GEN)/payhook_core_bg.wasm $(GEN)/payhook_hapi.js $(GEN)/payhook_hapi_bg.wasm \
		$(GEN)/payhook_core_wasm.js $(GEN)/payhook_hapi_wasm.js $(GEN)/api.js $(GEN)/.cjs-built $(PKG_DOCS)
	@for file in payhook_core_bg.wasm payhook_core_wasm.js payhook_hapi_bg.wasm payhook_hapi_wasm.js; do \
		printf 'pkg/gen/%s: %s bytes raw, %s bytes gzip\n' $$file \
			$$(wc -c < $(GEN)/$$file) $$(gzip -9c $(GEN)/$$file | wc -c); \
	done

# Cargo runs every time (it knows when the wasm is stale, and leaves the file
# untouched when it is not); bindgen and wasm-opt (~5 s) run only when their wasm
# or the tools changed.
$(RAW_WASM): FORCE | setup-rust
	cargo build -p payhook-wasm --lib --release --target $(WASM_TARGET)

$(RAW_HAPI_WASM): FORCE | setup-rust
	cargo build -p payhook-wasm --lib --release --target $(WASM_TARGET) --no-default-features --target-dir $(HAPI_TARGET_DIR)

# What turns a raw wasm into pkg/gen/: the bindgen xtask (pinned by Cargo.lock),
# wasm-opt (node_modules) and the flags above.
POSTPROCESS := Cargo.lock xtask/Cargo.toml $(wildcard xtask/src/*.rs) node_modules/.installed Makefile

# $(call wasm-pkg,<raw wasm>,<name>): pkg/gen/<name>.js and pkg/gen/<name>_bg.wasm.
define wasm-pkg
cargo run --quiet -p xtask -- bindgen $(1) $(GEN) $(2)
$(WASM_OPT) $(WASM_OPT_FLAGS) $(GEN)/$(2)_bg.wasm -o $(GEN)/$(2)_bg.wasm
endef

$(GEN)/payhook_core.js $(GEN)/payhook_core_bg.wasm &: $(RAW_WASM) $(POSTPROCESS)
	$(call wasm-pkg,$(RAW_WASM),payhook_core)

$(GEN)/payhook_hapi.js $(GEN)/payhook_hapi_bg.wasm &: $(RAW_HAPI_WASM) $(POSTPROCESS)
	$(call wasm-pkg,$(RAW_HAPI_WASM),payhook_hapi)

# The JavaScript and TypeScript generated from the bindings crate's schema
# (bindings/src/schema.rs, bindings/src/exports.rs), after checking the schema
# against wasm-bindgen's declarations of both builds' raw exports.
GENERATED := $(GEN)/api.js $(GEN)/api-hapi.js $(GEN)/api.d.ts $(GEN)/constants.js $(GEN)/constants.d.ts
$(GENERATED) &: $(GEN)/payhook_core.js $(GEN)/payhook_hapi.js $(wildcard bindings/src/*.rs) src/error.rs src/limits.rs $(POSTPROCESS)
	cargo run --quiet -p xtask -- gen $(GEN)

# The wasm, gzipped and base64-encoded in a JS module (no bundler has to find a .wasm).
$(GEN)/%_wasm.js: $(GEN)/%_bg.wasm scripts/inline-wasm.mjs
	node scripts/inline-wasm.mjs $< $@

# pkg/gen/cjs: the CommonJS twins of the Node entries and the .d.cts declarations
# (`require('payhook')` on Node releases without require(esm)), transformed from
# whatever the ES modules are by esbuild (scripts/cjs.mjs, ~0.2 s of CPU).
$(GEN)/.cjs-built: $(wildcard pkg/*.js pkg/*.d.ts) $(GEN)/payhook_core.js $(GEN)/payhook_hapi.js $(GENERATED) $(GEN)/payhook_core_wasm.js $(GEN)/payhook_hapi_wasm.js scripts/cjs.mjs node_modules/.installed
	node scripts/cjs.mjs
	@touch $@

$(PKG_DOCS): pkg/%: %
	cp $< $@

# payhook-<version>.tgz in target/pack/, the version from Cargo.toml (which must be
# pkg/package.json's): what `npm publish` would upload, for `npm install <file>`.
pack: build
	node scripts/pack.mjs target/pack

## ---------------------------------------------------------------- test

lint: setup-rust
	cargo fmt --all --check
	cargo clippy -p payhook-wasm --lib --release --target $(WASM_TARGET) -- -D warnings
	cargo clippy -p payhook-wasm --lib --release --target $(WASM_TARGET) --no-default-features --target-dir $(HAPI_TARGET_DIR) -- -D warnings
	cargo clippy -p payhook --all-targets --features serde -- -D warnings
	cargo clippy --workspace --all-targets -- -D warnings

test-rust: setup-rust
	cargo test --workspace
	cargo test -p payhook --features serde --test serde

test-node: build setup-node setup-chromium
	node --test --test-concurrency=1 tests/node/*.test.mjs

test-types: build setup-node
	node_modules/.bin/tsc -p tests/types
	node_modules/.bin/tsc -p tests/types/esnext

test: lint test-rust test-types test-node fuzz-replay
	@echo 'make test: all suites passed'

## ---------------------------------------------------------------- fuzz

# The fuzz crate (fuzz/, its own workspace) on stable, without libFuzzer: lint it,
# type-check its targets, and replay the committed corpus (fuzz/corpus/<target>/)
# through the same checks the targets run. Seconds, not minutes.
fuzz-replay: setup-rust
	cargo fmt --manifest-path fuzz/Cargo.toml --check
	cargo clippy --manifest-path fuzz/Cargo.toml --no-default-features --all-targets -- -D warnings
	cargo test --manifest-path fuzz/Cargo.toml --no-default-features --lib

# Runs the fuzz targets under libFuzzer (nightly; cargo-fuzz is installed from crates.io
# when missing): FUZZ_SECONDS each (default 600), FUZZ_JOBS at a time (default 2), then
# merges what they found into fuzz/corpus/. `make fuzz FUZZ_TARGETS=hitpay_webhook
# FUZZ_SECONDS=60` runs one. Findings land in fuzz/artifacts/<target>/ (see fuzz/README.md).
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 2
FUZZ_TARGETS ?=
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_JOBS=$(FUZZ_JOBS) fuzz/fuzz.sh $(FUZZ_TARGETS)

## ---------------------------------------------------------------- run

# The reference Worker (worker/) under `wrangler dev` on 127.0.0.1:8787, offline:
# local D1 (migrations applied first) and queue, the demo (www/) at /.
dev: build setup-node
	node worker/scripts/assemble-public.mjs
	@[ -f worker/.dev.vars ] || { cp worker/.dev.vars.example worker/.dev.vars; \
		echo 'created worker/.dev.vars from worker/.dev.vars.example'; }
	@mkdir -p .wrangler-home/logs
	cd worker && export WRANGLER_SEND_METRICS=false WRANGLER_SEND_ERROR_REPORTS=false WRANGLER_HIDE_BANNER=true \
		CLOUDFLARE_CF_FETCH_ENABLED=false XDG_CONFIG_HOME='$(CURDIR)/.wrangler-home' \
		WRANGLER_LOG_PATH='$(CURDIR)/.wrangler-home/logs' CI=true && \
		../node_modules/.bin/wrangler d1 migrations apply DB --local && \
		echo 'payhook reference Worker: http://127.0.0.1:8787/ (demo at /; secrets in worker/.dev.vars)' && \
		exec ../node_modules/.bin/wrangler dev --ip 127.0.0.1 --port 8787 --show-interactive-dev-session=false

# A mixed stream of LOAD_WEBHOOKS webhooks (every provider; duplicates, tampered
# and oversized ones mixed in) at LOAD_CONCURRENCY, against wrangler dev started
# as `dev` starts it (its own port and fresh local state), then the proof that
# nothing was lost (worker/scripts/load.mjs). LOAD_URL=http://127.0.0.1:8787
# loads a running `make dev` instead. `make test` runs 200 (tests/node/load.test.mjs).
LOAD_WEBHOOKS ?= 2000
LOAD_CONCURRENCY ?= 50
LOAD_URL ?=
load: build setup-node
	node worker/scripts/load.mjs --webhooks $(LOAD_WEBHOOKS) --concurrency $(LOAD_CONCURRENCY) $(if $(LOAD_URL),--url '$(LOAD_URL)')

bench: build setup-node
	node bench/hitpay.mjs && node bench/workerd.mjs && node bench/startup.mjs && node bench/size.mjs

clean:
	rm -rf target $(GEN) $(PKG_DOCS) node_modules
