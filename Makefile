# staffsurvey — see README.md. `make run` and `make test` are the two commands that matter.

GO      ?= go
DB      ?= staffsurvey.db
ADDR    ?= 127.0.0.1:8080
# A count, not a duration: duration-based -fuzztime races the fuzz coordinator's deadline in
# go1.26 (go.dev/issue/75804) and fails spuriously with "context deadline exceeded".
FUZZTIME ?= 100000x

.PHONY: run test build assets fuzz bench vet clean

## run: the service on a fresh or existing staffsurvey.db, with demo data when it is empty
run: assets
	@echo "run: building bin/staffsurvey — the first build downloads and compiles the dependencies, about a minute"
	$(GO) build -o bin/staffsurvey ./cmd/staffsurvey
	@echo "run: starting the server on $(DB) (demo data if it is empty); Ctrl-C stops it"
	bin/staffsurvey --db $(DB) serve --addr $(ADDR) --demo

## test: every test — vet, unit, end-to-end, browser (when chromium is installed; axe-core from
## node_modules checks accessibility), fuzz seeds, short fuzzing; the ballot box's sealing once
## more with CIRCL's and curve25519-voi's portable Go instead of their assembly (purego), which a
## CPU without AVX2 or BMI2 runs
test: assets vet node_modules/.package-lock.json
	$(GO) test -race -count=1 -timeout 30m ./...
	$(GO) test -count=1 -tags purego ./survey/ballot
	$(MAKE) fuzz

build: assets
	$(GO) build -o bin/staffsurvey ./cmd/staffsurvey

vet:
	$(GO) vet ./...
	$(GO) vet -tags loadtest ./cmd/loadgen ./survey/storage   # loadgen -seal aes (keyfile.go)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

## assets: echarts, built from the npm registry's package into web/static/vendor (committed, so go build
## works without npm). web/assets/echarts.js registers only the chart types and components the pages
## use; esbuild (a devDependency) bundles it with echarts' core. The copy is rebuilt only when its
## banner's version differs from package-lock.json; after editing the entry, `make assets-build`.
ECHARTS_VERSION = $(shell sed -n '/"node_modules\/echarts"/,/"version"/s/.*"version": "\([^"]*\)".*/\1/p' package-lock.json)
ECHARTS_BANNER = /*! echarts $(ECHARTS_VERSION), custom build of web/assets/echarts.js (Apache-2.0, echarts.LICENSE) */
assets:
	@if grep -qF '$(ECHARTS_BANNER)' web/static/vendor/echarts.min.js 2>/dev/null; then \
		echo "assets: echarts $(ECHARTS_VERSION) (custom build) is in web/static/vendor"; \
	else \
		$(MAKE) assets-build; \
	fi

.PHONY: assets-build
assets-build:
	npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p web/static/vendor
	node_modules/.bin/esbuild web/assets/echarts.js --bundle --minify --format=iife --target=es2017 \
		--legal-comments=none '--banner:js=$(ECHARTS_BANNER)' --outfile=web/static/vendor/echarts.min.js
	cp node_modules/echarts/LICENSE web/static/vendor/echarts.LICENSE
	@grep -qF '$(ECHARTS_BANNER)' web/static/vendor/echarts.min.js || { echo "assets: echarts.min.js is not a build of echarts $(ECHARTS_VERSION)"; exit 1; }

## node_modules: the packages of package-lock.json — axe-core, a devDependency the browser tests
## run on every answering page (CI must have it: the test fails there without it)
node_modules/.package-lock.json: package-lock.json
	@if command -v npm >/dev/null; then npm ci --ignore-scripts --no-audit --no-fund; \
	else echo "npm not found: the browser tests skip axe-core (CI installs npm)"; fi

## fuzz: each fuzz target for FUZZTIME beyond its seed corpus
FUZZ_TARGETS = ./survey:FuzzParse ./survey/ballot:FuzzParseShare ./survey:FuzzReadCSV ./survey:FuzzParseToken ./survey:FuzzUnmarshalBinary ./web/answer:FuzzParseForm ./web/answer:FuzzParseJSONSubmission ./web/answer:FuzzCheckJSON:20000x ./web/answer:FuzzMembers:20000x ./jatext:FuzzNames:2000x ./jatext:FuzzFind:20000x
## A target may give its own count (pkg:Name:COUNTx): the morphological analyser behind
## FuzzNames takes milliseconds per long input, so it gets fewer runs than the parsers.
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; count=$${rest#"$$name"}; count=$${count#:}; count=$${count:-$(FUZZTIME)}; \
		echo "fuzz $$pkg $$name ($$count)"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $$count $$pkg || exit 1; \
	done

## bench: the benchmarks reported in BENCHMARKS.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
