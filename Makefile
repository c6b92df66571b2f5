# A thin layer over Meson. Every target installs what it needs first (scripts/deps).
BUILD      ?= build
TSAN_BUILD ?= build-tsan
ASAN_BUILD ?= build-asan
CONCBENCH  := $(BUILD)/concbench
RUN        := $(CONCBENCH) run

.PHONY: all deps build test test-tsan test-asan bench micro bench-io bench-seed bench-cpu bench-claims bench-scale bench-harness report check-report soak clean format

all: build

deps:
	@scripts/deps

build: deps
	@test -f $(BUILD)/build.ninja || meson setup $(BUILD)
	meson compile -C $(BUILD)

test: build
	meson test -C $(BUILD) --print-errorlogs

# The tests built with clang++ and ThreadSanitizer.
test-tsan: deps
	@test -f $(TSAN_BUILD)/build.ninja || CXX=clang++ meson setup $(TSAN_BUILD) \
		-Db_sanitize=thread -Db_lundef=false -Dbuildtype=debugoptimized -Dplots=disabled
	meson compile -C $(TSAN_BUILD)
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
		meson test -C $(TSAN_BUILD) --print-errorlogs

# The tests built with AddressSanitizer and UndefinedBehaviorSanitizer. g++, because clang 14
# cannot compile coroutines with -fsanitize=address ("cannot represent a difference across
# sections").
test-asan: deps
	@test -f $(ASAN_BUILD)/build.ninja || meson setup $(ASAN_BUILD) \
		-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized -Dplots=disabled
	meson compile -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		meson test -C $(ASAN_BUILD) --print-errorlogs

# The default suite (about 2 minutes on 2 cores): waiting and computing on every backend. The
# blocking pools (pool, tbb: `threads` = cores) skip 10,000 sleeps, which take 10,000 x 10 ms /
# threads, as sync does; their 1,000 sleeps take 5 s a run, about 45 s of the suite for both.
bench: build
	$(RUN) --backend all --workload sleep,cpu \
		--param sleep.tasks=10,100,1000,10000 --param sync.sleep.tasks=10,100,1000 --param ms=10 \
		--param pool.sleep.tasks=10,100,1000 --param tbb.sleep.tasks=10,100,1000 \
		--param cpu.tasks=2,8 --param work=80 \
		--repetitions 3 --warmup 1

# Everything that waits, against the local delay server (started by the harness) and real
# files: many concurrent web requests and sleeps; file reads and write+fsync (io_uring on the
# async backends); fan-out with join, race and timeout; and requests followed by CPU work
# (mixed), inline on the loop or offloaded. Where a model waits one task at a time (sync) or
# `threads` at a time (pool, tbb) it gets the smaller sizes: 1000 x 20 ms in a row is 20 s.
bench-io: build
	$(RUN) --backend all --workload http,sleep,file,fanout,mixed \
		--param http.requests=100,1000,5000 --param sync.http.requests=100,1000 \
		--param pool.http.requests=100,1000 --param tbb.http.requests=100,1000 \
		--param http.delay_ms=0,20 \
		--param sleep.tasks=100,1000,10000 --param sync.sleep.tasks=100 --param ms=20 \
		--param pool.sleep.tasks=100,1000 --param tbb.sleep.tasks=100,1000 \
		--param file.mode=read,write-fsync --param files=64 --param file_kb=1024 \
		--param fanout.mode=join,race,timeout --param fanout.tasks=10 --param k=10,100 \
		--param sync.fanout.k=10 --param pool.fanout.k=10 --param tbb.fanout.k=10 \
		--param fanout.delay_ms=20 --param spread_ms=1 --param deadline_ms=60 \
		--param mixed.requests=1000 --param mixed.concurrency=100 --param mixed.delay_ms=0 \
		--param cpu_us=0,100,1000 \
		--param async.mixed.offload=inline,pool,tbb --param async-mt.mixed.offload=inline,pool,tbb \
		--repetitions 3 --warmup 1

# The whole-process table with hyperfine: one `concbench run-one` per backend.
bench-seed: build
	scripts/bench-seed

# The harness's own cost per run at 10, 1,000 and 10,000 empty cells, and planning 100,000.
bench-harness: build
	scripts/harness-overhead $(CONCBENCH)

# The http workload with faults on, every backend, for SOAK_MINUTES (default 10). Not in CI.
soak: build
	scripts/soak

# CPU work only, where async cannot help and only cores count, and the cost of spawning and
# joining a million tasks (skynet). threads fails skynet as a recorded result: a thread per
# task runs into the pid and map-count limits long before a million.
bench-cpu: build
	$(RUN) --backend all --workload cpu,skynet --param cpu.tasks=1,2,4,8,16 --param work=80 \
		--param skynet.leaves=1000000 --repetitions 5

# The cells behind every claim of the report's Claims section (docs/claims.md), about 3 minutes.
bench-claims: build
	scripts/bench-claims

# Many waiting tasks, sync left out (10,000 x 100 ms in a row would take 1000 s).
bench-scale: build
	$(RUN) --backend threads,async,async-mt --workload sleep \
		--param tasks=100:100000:*10 --param ms=100 --repetitions 3

# Google Benchmark micro-benchmarks of each backend's primitives: its own JSON in
# results/micro-<UTC time>/micro.json (tools/compare.py compares two), results/micro-latest
# pointing at it, and the report of that folder (a table of ns per operation and a chart).
# MICRO_ARGS passes more flags, e.g. MICRO_ARGS=--benchmark_repetitions=5.
MICRO_ARGS ?=
micro: build
	@dir=micro-$$(date -u +%Y%m%dT%H%M%SZ) && mkdir -p results/$$dir && \
	$(BUILD)/concbench-micro --benchmark_out=results/$$dir/micro.json \
		--benchmark_out_format=json $(MICRO_ARGS) && \
	ln -sfn $$dir results/micro-latest && \
	$(CONCBENCH) report results/$$dir

# Summaries, charts and reports again for the newest result folder.
report: build
	$(CONCBENCH) report results/latest

# report.html rendered in headless Chromium with every image loaded.
check-report: build
	@scripts/deps chromium
	scripts/check-report

clean:
	rm -rf $(BUILD) $(TSAN_BUILD) $(ASAN_BUILD)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')
