// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Benchmark build of the packet processor: the same pipeline (the entry
 * file is included whole, maps and all) plus programs that make
 * BPF_PROG_TEST_RUN's repeat loop measure it fairly.
 *
 * BPF_PROG_TEST_RUN runs the program `repeat` times over ONE buffer and
 * keeps the program's writes, so a NAT rewrite would see its own output on
 * the next round, and metadata would pile up. bench_pipeline therefore saves
 * the frame's head first and puts it (and the metadata pointer) back after
 * the pipeline ran; bench_harness does the same save/restore around nothing,
 * so its cost can be set against it. bench_floor is the trivial XDP_PASS;
 * bench_conn_lookup parses the frame and looks its tuple up in conns, nothing
 * else: the least any stateful program pays per packet.
 */
#include "../../bpf/src/xdpgate.bpf.c"

/* Bytes saved and restored per run: larger than every benchmark frame
 * (Ethernet + IPv6 + TCP with options is 94 bytes). */
#define BENCH_SAVE 128

struct bench_buf {
	__u8 bytes[BENCH_SAVE];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_buf);
} bench_save SEC(".maps");

static __always_inline int bench_run(struct xdp_md *ctx, int run_pipeline)
{
	__u32 zero = 0, len = ctx->data_end - ctx->data;
	struct bench_buf *buf = bpf_map_lookup_elem(&bench_save, &zero);
	int action = XDP_PASS;

	if (!buf || len < BENCH_SAVE)
		return XDP_ABORTED;
	if (bpf_xdp_load_bytes(ctx, 0, buf->bytes, BENCH_SAVE))
		return XDP_ABORTED;
	if (run_pipeline)
		action = xg_process(ctx);
	if (ctx->data_meta < ctx->data && bpf_xdp_adjust_meta(ctx, ctx->data - ctx->data_meta))
		return XDP_ABORTED;
	if (bpf_xdp_store_bytes(ctx, 0, buf->bytes, BENCH_SAVE))
		return XDP_ABORTED;
	return action;
}

SEC("xdp")
int bench_floor(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("xdp")
int bench_harness(struct xdp_md *ctx)
{
	return bench_run(ctx, 0);
}

SEC("xdp")
int bench_pipeline(struct xdp_md *ctx)
{
	return bench_run(ctx, 1);
}

SEC("xdp")
int bench_conn_lookup(struct xdp_md *ctx)
{
	struct xg_pkt pkt = {};

	if (parse_packet(ctx, &pkt) != XG_PARSE_OK)
		return XDP_ABORTED;
	return bpf_map_lookup_elem(&conns, &pkt.tuple) ? XDP_PASS : XDP_DROP;
}
