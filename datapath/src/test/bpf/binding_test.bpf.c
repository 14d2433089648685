// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Fixture for the libbpf binding's kernel tests: one map of each type the binding handles and
 * programs whose effects a test can observe. Not part of the product.
 */
#include <linux/bpf.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_helpers.h>

/* One ring buffer record per packet the XDP program sees. */
struct binding_record {
	__u32 len;
	__u8 first_byte;
	__u8 verdict;
	__u16 seq;
};

/* Exercises the Btf reader: a nested struct, arrays (one of two dimensions), an enum member. */
enum binding_colour {
	BINDING_RED = 1,
	BINDING_GREEN = 2,
	BINDING_BLUE = 4,
};

struct binding_btf_probe {
	__u32 id;
	__be16 port;
	__u8 bytes[6];
	__u16 grid[2][3];
	struct binding_record record;
	enum binding_colour colour;
};

struct binding_lpm_key {
	__u32 prefixlen;
	__u8 addr[4];
};

/* slot 0: packets seen by binding_xdp */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} packet_count SEC(".maps");

/* slot 0: packets seen, per CPU */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} percpu_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} hash_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 16);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct binding_lpm_key);
	__type(value, __u32);
} lpm_map SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} records SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct binding_btf_probe);
} btf_probe SEC(".maps");

/* Counts every frame, drops those whose first byte is 0xff, passes the rest. */
SEC("xdp")
int binding_xdp(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u32 zero = 0;
	__u64 *count = bpf_map_lookup_elem(&packet_count, &zero);
	__u64 *percpu = bpf_map_lookup_elem(&percpu_count, &zero);
	struct binding_record rec = {};
	int verdict = XDP_PASS;

	if (count)
		__sync_fetch_and_add(count, 1);
	if (percpu)
		*percpu += 1;
	rec.len = data_end - data;
	if (data + 1 <= data_end) {
		rec.first_byte = *(__u8 *)data;
		if (rec.first_byte == 0xff)
			verdict = XDP_DROP;
	}
	rec.verdict = verdict;
	rec.seq = count ? (__u16)*count : 0;
	bpf_ringbuf_output(&records, &rec, sizeof(rec), 0);
	return verdict;
}

/* Lets everything through; only its attachment is observed. */
SEC("tc")
int binding_tc(struct __sk_buff *skb)
{
	return TC_ACT_OK;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
