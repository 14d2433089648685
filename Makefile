# xdpgate build. `make` builds everything, `sudo make test` runs every test, `sudo make run`
# starts the lab; each first installs the Debian packages it needs (tools/deps.sh).
CLANG     ?= clang
MVN       ?= mvn -B -ntp
MULTIARCH := $(shell gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)
CLANG_RESOURCE = $(shell $(CLANG) -print-resource-dir)

BPF_DIR   := bpf
BPF_OUT   := $(BPF_DIR)/build
BPF_OBJ   := $(BPF_OUT)/xdpgate.bpf.o
# The same pipeline at tc ingress (bpf/src/hook.h): loaded beside BPF_OBJ, over its maps.
BPF_TC_OBJ := $(BPF_OUT)/xdpgate_tc.bpf.o
BPF_SRCS  := $(wildcard $(BPF_DIR)/src/*.c)
BPF_HDRS  := $(wildcard $(BPF_DIR)/include/*.h $(BPF_DIR)/src/*.h)
# -I/usr/include/$(MULTIARCH) is for the kernel's asm/ UAPI headers only; check-headers.sh
# refuses any glibc header that would come in through it (bpf/README.md, "Headers").
BPF_CFLAGS := -O2 -g -target bpf -mcpu=v3 -Wall -Wextra -Werror -Wno-unused-parameter \
              -I$(BPF_DIR)/include -I/usr/include/$(MULTIARCH)
# The replay runner for make check-kernels: static, so it runs in a bare initramfs.
REPLAY    := $(BPF_OUT)/xg-replay
FIXTURES  := $(BPF_OUT)/fixtures

BENCH_OBJ := bench/build/xdpgate_bench.bpf.o
FLOOR_OBJ := bench/build/floor.bpf.o

.PHONY: all deps bpf bpf-headers java run bench-lab bench-afxdp bench-gateway bench-dns bench-smtp bench-ftp bench-tls test test-bpf test-unit \
        test-load fixtures check-kernels check-fresh image bench clean deploy-manifest

all: bpf java

# The one install step (quiet when everything is there); see tools/deps.sh for the groups.
deps:
	@tools/deps.sh build run test

bpf: $(BPF_OBJ) $(BPF_TC_OBJ) bpf-headers

$(BPF_OBJ): $(BPF_DIR)/src/xdpgate.bpf.c $(BPF_HDRS)
	@mkdir -p $(BPF_OUT)
	$(CLANG) $(BPF_CFLAGS) -MD -MF $(BPF_OUT)/xdpgate.bpf.d -c $< -o $@
	@$(BPF_DIR)/check-headers.sh $(BPF_OUT)/xdpgate.bpf.d $(MULTIARCH) $(CLANG_RESOURCE)

$(BPF_TC_OBJ): $(BPF_DIR)/src/xdpgate.bpf.c $(BPF_HDRS)
	@mkdir -p $(BPF_OUT)
	$(CLANG) $(BPF_CFLAGS) -DXG_HOOK_TC -MD -MF $(BPF_OUT)/xdpgate_tc.bpf.d -c $< -o $@
	@$(BPF_DIR)/check-headers.sh $(BPF_OUT)/xdpgate_tc.bpf.d $(MULTIARCH) $(CLANG_RESOURCE)

# Every header compiles on its own (each states its own includes), at both hooks (xsk.h is XDP
# only: it refuses tc).
bpf-headers: $(BPF_OUT)/headers.ok
$(BPF_OUT)/headers.ok: $(BPF_HDRS)
	@mkdir -p $(BPF_OUT)
	@for h in $(BPF_HDRS); do \
	    $(CLANG) $(BPF_CFLAGS) -Wno-unused-function -I$(BPF_DIR)/src -fsyntax-only -x c $$h || exit 1; \
	    [ "$${h##*/}" = xsk.h ] || \
	    $(CLANG) $(BPF_CFLAGS) -DXG_HOOK_TC -Wno-unused-function -I$(BPF_DIR)/src -fsyntax-only -x c $$h || exit 1; \
	done
	@touch $@

$(REPLAY): $(BPF_DIR)/test/replay.c
	@mkdir -p $(BPF_OUT)
	gcc -static -O2 -Wall -Wextra -Werror -Wno-unused-parameter -o $@ $< -lbpf -lelf -lz

$(BENCH_OBJ): bench/bpf/xdpgate_bench.bpf.c $(BPF_HDRS)
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -I$(BPF_DIR)/src -c $< -o $@

# The floors bench-lab measures against: a bare XDP_PASS program and a bare tc FIB forwarder.
$(FLOOR_OBJ): bench/bpf/floor.bpf.c
	@mkdir -p $(dir $@)
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

java: bpf
	$(MVN) -DskipTests install

# The embedded lab: three namespaces, the daemon attached in the middle one, until Ctrl-C.
run:
	@[ "$$(id -u)" = 0 ] || { echo "make run: the lab needs root (namespaces, BPF): sudo make run, or make run from a root shell" >&2; exit 1; }
	$(MAKE) deps
	$(MAKE) all
	lab/run.sh

# Every test: unit, kernel (BPF_PROG_TEST_RUN), lab end-to-end, and the kernel suite replayed
# on Debian 12's 6.1 kernel (needs root; under CI=true nothing skips).
test: deps
	$(BPF_DIR)/test/check-headers-test.sh
	$(MAKE) test-load
	$(MAKE) check-kernels
	$(MAKE) image
	$(MVN) install

# The datapath kernel suite, recorded as fixtures for the replay runner (bpf/README.md).
fixtures: bpf
	rm -rf $(FIXTURES)
	$(MVN) -pl datapath test -Dgroups=kernel -Dtest='*KernelTest' -Dsurefire.failIfNoSpecifiedTests=false \
	    -Dxdpgate.fixtures.dir=$(abspath $(FIXTURES))

# The object loads and gives the fixtures' verdicts on this kernel and on Debian 12's 6.1 (qemu).
check-kernels: bpf $(REPLAY)
	@if [ "$$(id -u)" != 0 ] && [ "$$CI" != true ]; then echo "check-kernels skipped: needs root"; exit 0; fi; \
	$(MAKE) fixtures && $(BPF_DIR)/test/check-kernels.sh $(BPF_OBJ) $(BPF_TC_OBJ) $(REPLAY) $(FIXTURES)

# A clean Debian 12 root (debootstrap): the install step's build group, then make bpf and the
# Java build inside it; fails when the install list is short of anything the build needs.
check-fresh:
	tools/check-fresh.sh

# deploy/xdpgate.yaml (kubectl apply -f) rendered anew from the chart's defaults; a test keeps the two
# equal, so after a chart change run this and commit both.
deploy-manifest:
	$(MVN) -q -pl control-plane -am test -Dtest=DeployManifestTest -Dsurefire.failIfNoSpecifiedTests=false \
	    -Dxdpgate.deploy.write=true

# The node daemon's container image, xdpgate:0.1.0-SNAPSHOT and :latest (helm/image/Dockerfile),
# on a Debian 12 base imported from debootstrap once (no image registry here; XDPGATE_IMAGE_BASE=
# debian:bookworm-slim where one is). Starts dockerd when none runs. The jar is packaged, not
# installed: the image needs no ~/.m2 artifacts. ContainerImageKernelTest runs it (make test).
image: bpf
	@tools/deps.sh image
	$(MVN) -q -DskipTests -pl control-plane -am package
	tools/image.sh

# The object also loads through the standard tool, not only through our binding.
test-load: bpf
	@if [ "$$(id -u)" != 0 ] && [ "$$CI" != true ]; then echo "test-load skipped: needs root"; exit 0; fi; \
	mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf; \
	for o in $(BPF_OBJ) $(BPF_TC_OBJ); do \
	    d=/sys/fs/bpf/xdpgate-loadall-$$$$; \
	    bpftool prog loadall $$o $$d && rm -rf $$d && echo "bpftool prog loadall $$o: ok" || exit 1; \
	done

# Kernel tests only: the packet processor loaded into this kernel, driven by BPF_PROG_TEST_RUN.
test-bpf: test-load image
	$(MVN) install -Dgroups=kernel -Dsurefire.failIfNoSpecifiedTests=false

# Unit tests that need neither root nor a BPF-capable kernel.
test-unit: bpf
	$(MVN) install -DexcludedGroups=kernel

# ns/packet table written to bench/results/, then a million connections in the kernel's tables
# (bench/results/connection-scale.md); see bench/README.md.
bench: deps bpf $(BENCH_OBJ)
	$(MVN) -DskipTests install
	$(MVN) -pl bench exec:java
	$(MVN) -pl bench exec:java@scale

# Frames/s through AF_XDP on a veth pair: bare reflector vs the gateway runtime;
# writes bench/results/afxdp-runtime.md.
bench-afxdp: bpf
	$(MVN) -DskipTests install
	$(MVN) -pl bench exec:java@afxdp

# wrk through the lab: direct, the xdpgate HTTP gateway, Squid intercept; writes
# bench/results/http-gateway.md. Installs tools/deps.sh's bench group (wrk, nginx, Squid ...).
bench-gateway: all
	@tools/deps.sh bench
	bench/lab/http-gateway.sh

# dnsperf through the lab: direct, the xdpgate DNS gateway, dnsdist with the same allow list;
# writes bench/results/dns-gateway.md. Installs tools/deps.sh's bench group.
bench-dns: all
	@tools/deps.sh bench
	bench/lab/dns-gateway.sh

# smtp-source through the SMTP gateway vs direct (bench/results/smtp-gateway.md)
bench-smtp: all
	@tools/deps.sh run
	bench/lab/smtp-gateway.sh

# wrk over HTTPS, a handshake per request, through the TLS gateway vs direct (bench/results/tls-gateway.md)
bench-tls: all
	@tools/deps.sh bench
	bench/lab/tls-gateway.sh

# curl ftp:// 50 MB, data connection by expectation, vs direct (bench/results/ftp-gateway.md)
bench-ftp: all
	@tools/deps.sh run bench
	bench/lab/ftp-gateway.sh

# iperf3 and wrk through the lab: no firewall, xdpgate, iptables, nftables (10 and 10,000 rules);
# writes bench/results/lab-throughput.md. Installs tools/deps.sh's bench group.
bench-lab: all $(FLOOR_OBJ)
	@tools/deps.sh bench
	bench/lab/throughput.sh

clean:
	rm -rf $(BPF_OUT) bench/build
	$(MVN) clean
