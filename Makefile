# xdpgate build. `make` builds everything, `sudo make test` runs every test.
CLANG     ?= clang
MVN       ?= mvn -B -ntp
MULTIARCH := $(shell gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)

BPF_DIR   := bpf
BPF_OUT   := $(BPF_DIR)/build
BPF_OBJ   := $(BPF_OUT)/xdpgate.bpf.o
BPF_SRCS  := $(wildcard $(BPF_DIR)/src/*.c)
BPF_HDRS  := $(wildcard $(BPF_DIR)/include/*.h $(BPF_DIR)/src/*.h)
BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 -Wall -Wextra -Werror -Wno-unused-parameter \
              -I$(BPF_DIR)/include -I/usr/include/$(MULTIARCH)

BENCH_OBJ := bench/build/xdpgate_bench.bpf.o

.PHONY: all bpf java run bench-lab bench-afxdp bench-gateway test test-bpf test-unit test-load bench clean

all: bpf java

bpf: $(BPF_OBJ)

$(BPF_OBJ): $(BPF_DIR)/src/xdpgate.bpf.c $(BPF_HDRS)
	@mkdir -p $(BPF_OUT)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BENCH_OBJ): bench/bpf/xdpgate_bench.bpf.c $(BPF_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -I$(BPF_DIR)/src -c $< -o $@

java: bpf
	$(MVN) -DskipTests install

# The embedded lab: three namespaces, the daemon attached in the middle one, until Ctrl-C.
run: all
	lab/run.sh

# Every test: pure Java unit tests and the kernel suite (needs root; under CI=true it never skips).
test: test-load
	$(MVN) install

# The object also loads through the standard tool, not only through our binding.
test-load: bpf
	@if [ "$$(id -u)" != 0 ] && [ "$$CI" != true ]; then echo "test-load skipped: needs root"; exit 0; fi; \
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf; \
	d=/sys/fs/bpf/xdpgate-loadall-$$$$; \
	bpftool prog loadall $(BPF_OBJ) $$d && rm -rf $$d && echo "bpftool prog loadall $(BPF_OBJ): ok"

# Kernel tests only: the packet processor loaded into this kernel, driven by BPF_PROG_TEST_RUN.
test-bpf: test-load
	$(MVN) install -Dgroups=kernel -Dsurefire.failIfNoSpecifiedTests=false

# Unit tests that need neither root nor a BPF-capable kernel.
test-unit: bpf
	$(MVN) install -DexcludedGroups=kernel

# ns/packet table written to bench/results/; see bench/README.md.
bench: bpf $(BENCH_OBJ)
	$(MVN) -DskipTests install
	$(MVN) -pl bench exec:java

# Frames/s through AF_XDP on a veth pair: bare reflector vs the gateway runtime;
# writes bench/results/afxdp-runtime.md.
bench-afxdp: bpf
	$(MVN) -DskipTests install
	$(MVN) -pl bench exec:java@afxdp

# wrk through the lab: direct, the xdpgate HTTP gateway, Squid intercept; writes
# bench/results/http-gateway.md. Needs wrk nginx-light squid iptables bc.
bench-gateway: all
	bench/lab/http-gateway.sh

# iperf3 and wrk through the lab: no firewall, xdpgate, iptables, nftables (10 and 10,000 rules);
# writes bench/results/lab-throughput.md. Needs iperf3 wrk nginx-light iptables nftables.
bench-lab: all
	bench/lab/throughput.sh

clean:
	rm -rf $(BPF_OUT) bench/build
	$(MVN) clean
