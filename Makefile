# staffsurvey — see README.md. `make run` and `make test` are the two commands that matter.

GO      ?= go
DB      ?= staffsurvey.db
ADDR    ?= 127.0.0.1:8080
FUZZTIME ?= 5s

.PHONY: run test build assets fuzz bench vet clean

## run: the service on a fresh or existing staffsurvey.db, with demo data when it is empty
run: assets
	$(GO) run ./cmd/staffsurvey --db $(DB) serve --addr $(ADDR) --demo

## test: every test — vet, unit, end-to-end, browser (when chromium is installed), fuzz seeds, short fuzzing
test: assets vet
	$(GO) test -race -count=1 ./...
	$(MAKE) fuzz

build: assets
	$(GO) build -o bin/staffsurvey ./cmd/staffsurvey

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt would change:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

## assets: echarts, fetched from the npm registry into web/static/vendor (committed, so go build works without npm)
assets:
	@true

## fuzz: each fuzz target for FUZZTIME beyond its seed corpus
FUZZ_TARGETS = ./survey:FuzzParse ./survey:FuzzReadCSV
fuzz:
	@for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	done

## bench: the benchmarks reported in BENCHMARKS.md
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin
