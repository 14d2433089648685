// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * xg-replay: loads the packet processor and replays kernel-suite fixtures
 * through BPF_PROG_TEST_RUN. Built statically so that it runs in a bare
 * initramfs on any kernel under test (bpf/test/check-kernels.sh).
 *
 *   xg-replay [--tc TC_OBJECT] OBJECT [FIXTURE...]
 *
 * Without fixtures it only loads OBJECT (and TC_OBJECT over OBJECT's maps and
 * settings, as the daemon does) and prints the verifier's instruction count
 * per program. A run names its program; it is looked up in either object. The fixtures are written by the Java kernel
 * suite (datapath/src/test/.../kernel/FixtureRecorder.java), one file per
 * suite, one line per step; the format is described in bpf/README.md.
 * Exit status: 0 all passed, 1 a check failed, 2 bad input or load failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define MAX_FRAME 65536

struct replay {
	const char *object_path;
	const char *tc_path; /* the same pipeline built for tc, or NULL */
	struct bpf_object *tc_obj;
	const char *fixture;
	unsigned long line_no;
	struct bpf_object *obj;
	struct ring_buffer *events;
	int ncpus;
	char suite[128];
	char case_name[512];
	int case_failed;
	unsigned long cases, runs, checks, failed_cases;
	/* the last test run, checked by the "expect" line that follows it */
	int last_retval;
	unsigned char last_out[MAX_FRAME + 64];
	unsigned int last_out_len, last_meta_len;
	int has_run;
};

static void fail(struct replay *r, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "FAIL %s: %s (%s:%lu): ", r->suite, r->case_name, r->fixture, r->line_no);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (!r->case_failed)
		r->failed_cases++;
	r->case_failed = 1;
}

static void die(struct replay *r, const char *fmt, ...)
{
	va_list ap;

	if (r->fixture)
		fprintf(stderr, "xg-replay: %s:%lu: ", r->fixture, r->line_no);
	else
		fprintf(stderr, "xg-replay: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static int hexval(struct replay *r, char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	die(r, "bad hex digit '%c'", c);
	return 0;
}

/* "-" is the empty string of bytes. Returns the byte count. */
static size_t unhex(struct replay *r, const char *hex, unsigned char *out, size_t cap)
{
	size_t n = strlen(hex);

	if (strcmp(hex, "-") == 0)
		return 0;
	if (n % 2 || n / 2 > cap)
		die(r, "hex field of %zu digits (room for %zu bytes)", n, cap);
	for (size_t i = 0; i < n / 2; i++)
		out[i] = hexval(r, hex[2 * i]) << 4 | hexval(r, hex[2 * i + 1]);
	return n / 2;
}

static void print_hex(FILE *f, const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", b[i]);
}

static struct bpf_map *map_named(struct replay *r, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(r->obj, name);

	if (!m)
		die(r, "no map '%s' in %s", name, r->object_path);
	return m;
}

static int is_percpu(const struct bpf_map *m)
{
	enum bpf_map_type t = bpf_map__type(m);

	return t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_PERCPU_HASH ||
	       t == BPF_MAP_TYPE_LRU_PERCPU_HASH;
}

static int is_array(const struct bpf_map *m)
{
	enum bpf_map_type t = bpf_map__type(m);

	return t == BPF_MAP_TYPE_ARRAY || t == BPF_MAP_TYPE_PERCPU_ARRAY || t == BPF_MAP_TYPE_DEVMAP;
}

/* Reads one value. A per-CPU value is given as the sum over CPUs of its
 * 64-bit words (fixtures hold counters as the user sees them). */
static int map_read(struct replay *r, struct bpf_map *m, const void *key, unsigned char *value)
{
	size_t vsize = bpf_map__value_size(m);

	if (!is_percpu(m))
		return bpf_map_lookup_elem(bpf_map__fd(m), key, value) ? -errno : 0;

	size_t stride = (vsize + 7) & ~7UL;
	unsigned char *all = calloc(r->ncpus, stride);
	if (bpf_map_lookup_elem(bpf_map__fd(m), key, all)) {
		int err = -errno;
		free(all);
		return err;
	}
	memset(value, 0, vsize);
	for (size_t w = 0; w + 8 <= vsize; w += 8) {
		unsigned long long sum = 0, v;
		for (int c = 0; c < r->ncpus; c++) {
			memcpy(&v, all + c * stride + w, 8);
			sum += v;
		}
		memcpy(value + w, &sum, 8);
	}
	free(all);
	return 0;
}

/* Writes one value; a per-CPU value goes to CPU 0, the others are zeroed,
 * so the sum is what the fixture says. */
static int map_write(struct replay *r, struct bpf_map *m, const void *key, const unsigned char *value)
{
	size_t vsize = bpf_map__value_size(m);
	int rc;

	if (!is_percpu(m))
		return bpf_map_update_elem(bpf_map__fd(m), key, value, BPF_ANY) ? -errno : 0;
	size_t stride = (vsize + 7) & ~7UL;
	unsigned char *all = calloc(r->ncpus, stride);
	memcpy(all, value, vsize);
	rc = bpf_map_update_elem(bpf_map__fd(m), key, all, BPF_ANY) ? -errno : 0;
	free(all);
	return rc;
}

static int discard_event(void *ctx, void *data, size_t size)
{
	return 0;
}

static void close_object(struct replay *r)
{
	ring_buffer__free(r->events);
	r->events = NULL;
	bpf_object__close(r->tc_obj);
	r->tc_obj = NULL;
	bpf_object__close(r->obj);
	r->obj = NULL;
}

static void open_object(struct replay *r)
{
	close_object(r);
	r->obj = bpf_object__open_file(r->object_path, NULL);
	if (!r->obj)
		die(r, "open %s: %s", r->object_path, strerror(errno));
	if (r->tc_path) {
		r->tc_obj = bpf_object__open_file(r->tc_path, NULL);
		if (!r->tc_obj)
			die(r, "open %s: %s", r->tc_path, strerror(errno));
	}
}

static void print_verified_of(struct replay *r, struct bpf_object *obj)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
			die(r, "info of program %s: %s", bpf_program__name(p), strerror(errno));
		printf("verified %s %u\n", bpf_program__name(p), info.verified_insns);
	}
}

static void print_verified(struct replay *r)
{
	print_verified_of(r, r->obj);
	if (r->tc_obj)
		print_verified_of(r, r->tc_obj);
}

/* The tc object runs over the loaded object's maps (every map but libbpf's
 * per-object global-data ones) with a copy of its settings (.rodata). */
static void load_tc_object(struct replay *r)
{
	struct bpf_map *m, *theirs;
	const void *settings;
	size_t size, ours;
	int err;

	bpf_object__for_each_map(m, r->tc_obj) {
		if (strchr(bpf_map__name(m), '.'))
			continue;
		theirs = map_named(r, bpf_map__name(m));
		if (bpf_map__reuse_fd(m, bpf_map__fd(theirs)))
			die(r, "reuse map %s in %s: %s", bpf_map__name(m), r->tc_path, strerror(errno));
	}
	settings = bpf_map__initial_value(map_named(r, ".rodata"), &size);
	m = bpf_object__find_map_by_name(r->tc_obj, ".rodata");
	if (!m || !bpf_map__initial_value(m, &ours) || ours != size || bpf_map__set_initial_value(m, settings, size))
		die(r, ".rodata of %s is not laid out as that of %s", r->tc_path, r->object_path);
	err = bpf_object__load(r->tc_obj);
	if (err)
		die(r, "load %s: %s (the verifier's log is above)", r->tc_path, strerror(-err));
}

static void load_object(struct replay *r)
{
	int err = bpf_object__load(r->obj);

	if (err)
		die(r, "load %s: %s (the verifier's log is above)", r->object_path, strerror(-err));
	if (r->tc_obj)
		load_tc_object(r);
	struct bpf_map *ev = bpf_object__find_map_by_name(r->obj, "events");
	if (ev) {
		r->events = ring_buffer__new(bpf_map__fd(ev), discard_event, NULL, NULL);
		if (!r->events)
			die(r, "ring buffer on map events: %s", strerror(errno));
	}
}

/* The key and value buffers a line's map operation needs. */
struct kv {
	struct bpf_map *map;
	unsigned char key[256];
	unsigned char value[65536];
	unsigned char mask[65536];
	size_t vsize;
};

static void parse_kv(struct replay *r, struct kv *kv, const char *map, const char *key, const char *value,
		     const char *mask)
{
	kv->map = map_named(r, map);
	kv->vsize = bpf_map__value_size(kv->map);
	if (unhex(r, key, kv->key, sizeof(kv->key)) != bpf_map__key_size(kv->map))
		die(r, "key of map %s is not %u bytes", map, bpf_map__key_size(kv->map));
	if (value && unhex(r, value, kv->value, sizeof(kv->value)) != kv->vsize)
		die(r, "value of map %s is not %zu bytes", map, kv->vsize);
	memset(kv->mask, 0xff, kv->vsize);
	if (mask && strcmp(mask, "-") != 0 && unhex(r, mask, kv->mask, sizeof(kv->mask)) != kv->vsize)
		die(r, "mask of map %s is not %zu bytes", map, kv->vsize);
}

static int equal_masked(const unsigned char *a, const unsigned char *b, const unsigned char *mask, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((a[i] ^ b[i]) & mask[i])
			return 0;
	return 1;
}

static struct bpf_program *program_named(struct replay *r, const char *name)
{
	struct bpf_program *p = bpf_object__find_program_by_name(r->obj, name);

	if (!p && r->tc_obj)
		p = bpf_object__find_program_by_name(r->tc_obj, name);
	if (!p)
		die(r, "no program '%s' in %s%s%s", name, r->object_path, r->tc_path ? " or " : "",
		    r->tc_path ? r->tc_path : " (a tc run needs --tc)");
	return p;
}

static void do_run(struct replay *r, const char *prog_name, const char *ifindex, const char *meta_hex,
		   const char *frame_hex)
{
	static unsigned char in[MAX_FRAME + 64];
	struct bpf_program *p = program_named(r, prog_name);
	int tc = bpf_program__type(p) == BPF_PROG_TYPE_SCHED_CLS;
	size_t meta_len, frame_len;
	struct xdp_md ctx = {};
	struct __sk_buff skb = {};

	meta_len = unhex(r, meta_hex, in, 64);
	if (tc && meta_len)
		die(r, "a tc run takes no metadata");
	frame_len = unhex(r, frame_hex, in + meta_len, MAX_FRAME);
	ctx.data = meta_len;
	ctx.data_end = meta_len + frame_len;
	ctx.ingress_ifindex = strtoul(ifindex, NULL, 10);
	skb.ifindex = ctx.ingress_ifindex; /* the device the skb arrives on */

	LIBBPF_OPTS(bpf_test_run_opts, opts,
		.data_in = in,
		.data_size_in = meta_len + frame_len,
		.data_out = r->last_out,
		.data_size_out = sizeof(r->last_out),
		.ctx_in = tc ? (void *)&skb : (void *)&ctx,
		.ctx_size_in = tc ? sizeof(skb) : sizeof(ctx),
		.ctx_out = tc ? (void *)&skb : (void *)&ctx,
		.ctx_size_out = tc ? sizeof(skb) : sizeof(ctx),
		.repeat = 1);
	if (bpf_prog_test_run_opts(bpf_program__fd(p), &opts))
		die(r, "test run of %s: %s", prog_name, strerror(errno));
	r->last_retval = opts.retval;
	r->last_out_len = opts.data_size_out;
	r->last_meta_len = tc ? 0 : ctx.data; /* the kernel reports offsets from data_meta */
	if (r->last_meta_len > r->last_out_len)
		die(r, "test run of %s reported %u bytes of metadata in %u bytes out", prog_name, r->last_meta_len,
		    r->last_out_len);
	r->has_run = 1;
	r->runs++;
	if (r->events)
		ring_buffer__consume(r->events);
}

static void do_expect(struct replay *r, const char *retval, const char *meta_hex, const char *meta_mask_hex,
		      const char *frame_hex)
{
	static unsigned char want[MAX_FRAME + 64], mask[64];
	size_t meta_len, frame_len;
	int want_retval = atoi(retval);

	if (!r->has_run)
		die(r, "expect without a run");
	r->has_run = 0;
	r->checks++;
	if (r->last_retval != want_retval) {
		fail(r, "action %d, want %d", r->last_retval, want_retval);
		return;
	}
	meta_len = unhex(r, meta_hex, want, 64);
	memset(mask, 0xff, sizeof(mask));
	if (strcmp(meta_mask_hex, "-") != 0 && unhex(r, meta_mask_hex, mask, sizeof(mask)) != meta_len)
		die(r, "metadata mask length differs from the metadata");
	frame_len = unhex(r, frame_hex, want + meta_len, MAX_FRAME);
	if (r->last_meta_len != meta_len || !equal_masked(r->last_out, want, mask, meta_len)) {
		fail(r, "metadata differs");
		fprintf(stderr, "  got  ");
		print_hex(stderr, r->last_out, r->last_meta_len);
		fprintf(stderr, "\n  want ");
		print_hex(stderr, want, meta_len);
		fputc('\n', stderr);
		return;
	}
	if (r->last_out_len - r->last_meta_len != frame_len ||
	    memcmp(r->last_out + r->last_meta_len, want + meta_len, frame_len) != 0) {
		fail(r, "output frame differs");
		fprintf(stderr, "  got  ");
		print_hex(stderr, r->last_out + r->last_meta_len, r->last_out_len - r->last_meta_len);
		fprintf(stderr, "\n  want ");
		print_hex(stderr, want + meta_len, frame_len);
		fputc('\n', stderr);
	}
}

static void do_want(struct replay *r, struct kv *kv, const char *map)
{
	static unsigned char got[65536];
	int err = map_read(r, kv->map, kv->key, got);

	r->checks++;
	if (err) {
		fail(r, "map %s: entry missing (%s)", map, strerror(-err));
		map_write(r, kv->map, kv->key, kv->value);
		return;
	}
	if (!equal_masked(got, kv->value, kv->mask, kv->vsize)) {
		fail(r, "map %s: entry differs", map);
		fprintf(stderr, "  key  ");
		print_hex(stderr, kv->key, bpf_map__key_size(kv->map));
		fprintf(stderr, "\n  got  ");
		print_hex(stderr, got, kv->vsize);
		fprintf(stderr, "\n  want ");
		print_hex(stderr, kv->value, kv->vsize);
		fputc('\n', stderr);
		map_write(r, kv->map, kv->key, kv->value); /* the next steps start from the right state */
	}
}

static void do_gone(struct replay *r, struct kv *kv, const char *map)
{
	static unsigned char got[65536];

	r->checks++;
	if (map_read(r, kv->map, kv->key, got) == 0) {
		fail(r, "map %s: entry present, want none", map);
		bpf_map_delete_elem(bpf_map__fd(kv->map), kv->key);
	}
}

static void do_count(struct replay *r, const char *map, const char *count)
{
	struct bpf_map *m = map_named(r, map);
	unsigned char key[256], next[256];
	unsigned long n = 0, want = strtoul(count, NULL, 10);
	void *prev = NULL;

	while (bpf_map_get_next_key(bpf_map__fd(m), prev, next) == 0) {
		memcpy(key, next, sizeof(key));
		prev = key;
		n++;
	}
	r->checks++;
	if (n != want)
		fail(r, "map %s holds %lu entries, want %lu", map, n, want);
}

static void end_case(struct replay *r)
{
	if (r->case_name[0])
		r->cases++;
	r->case_failed = 0;
}

/* Splits a line into at most max space-separated fields; the last keeps the rest. */
static int split(char *line, char **f, int max)
{
	int n = 0;

	while (*line && n < max) {
		f[n++] = line;
		if (n == max)
			break;
		char *sp = strchr(line, ' ');
		if (!sp)
			break;
		*sp = 0;
		line = sp + 1;
	}
	return n;
}

static void replay_file(struct replay *r, const char *path)
{
	static struct kv kv;
	FILE *f = fopen(path, "r");
	char *line = NULL, *fl[8];
	size_t cap = 0;
	ssize_t len;

	if (!f)
		die(r, "open fixture %s: %s", path, strerror(errno));
	r->fixture = path;
	r->line_no = 0;
	r->case_name[0] = 0;
	snprintf(r->suite, sizeof(r->suite), "%s", path);
	while ((len = getline(&line, &cap, f)) > 0) {
		r->line_no++;
		if (line[len - 1] == '\n')
			line[--len] = 0;
		if (!len || line[0] == '#')
			continue;
		if (!strncmp(line, "case ", 5)) { /* the name is the rest of the line */
			end_case(r);
			snprintf(r->case_name, sizeof(r->case_name), "%s", line + 5);
			continue;
		}
		int n = split(line, fl, 8);
		const char *op = fl[0];
#define NEED(k) do { if (n != (k)) die(r, "'%s' takes %d fields, got %d", op, (k) - 1, n - 1); } while (0)
		if (!strcmp(op, "xdpgate-fixture")) {
			NEED(2);
			if (strcmp(fl[1], "1"))
				die(r, "fixture format %s, this runner reads 1", fl[1]);
		} else if (!strcmp(op, "interfaces")) {
			char name[IF_NAMESIZE];
			NEED(2);
			/* runs arrive on, and maps name, ifindex 1 .. N: they must exist here */
			for (unsigned long i = 1; i <= strtoul(fl[1], NULL, 10); i++)
				if (!if_indextoname(i, name))
					die(r, "the fixture needs network interfaces with ifindex 1 to %s; ifindex %lu is "
					    "missing (check-kernels.sh creates them)", fl[1], i);
		} else if (!strcmp(op, "suite")) {
			NEED(2);
			snprintf(r->suite, sizeof(r->suite), "%s", fl[1]);
		} else if (!strcmp(op, "open")) {
			NEED(1);
			open_object(r);
		} else if (!strcmp(op, "size")) {
			NEED(3);
			if (bpf_map__set_max_entries(map_named(r, fl[1]), strtoul(fl[2], NULL, 10)))
				die(r, "resize map %s", fl[1]);
		} else if (!strcmp(op, "rodata")) {
			static unsigned char data[65536];
			struct bpf_map *m;
			size_t want;
			NEED(2);
			m = map_named(r, ".rodata");
			bpf_map__initial_value(m, &want);
			if (unhex(r, fl[1], data, sizeof(data)) != want)
				die(r, ".rodata of %s is %zu bytes", r->object_path, want);
			if (bpf_map__set_initial_value(m, data, want))
				die(r, "set .rodata");
		} else if (!strcmp(op, "load")) {
			NEED(1);
			load_object(r);
		} else if (!strcmp(op, "put")) {
			NEED(4);
			parse_kv(r, &kv, fl[1], fl[2], fl[3], NULL);
			int err = map_write(r, kv.map, kv.key, kv.value);
			if (err)
				die(r, "write map %s: %s", fl[1], strerror(-err));
		} else if (!strcmp(op, "del")) {
			NEED(3);
			parse_kv(r, &kv, fl[1], fl[2], NULL, NULL);
			if (bpf_map_delete_elem(bpf_map__fd(kv.map), kv.key) && errno != ENOENT)
				die(r, "delete from map %s: %s", fl[1], strerror(errno));
		} else if (!strcmp(op, "run")) {
			NEED(5);
			do_run(r, fl[1], fl[2], fl[3], fl[4]);
		} else if (!strcmp(op, "expect")) {
			NEED(5);
			do_expect(r, fl[1], fl[2], fl[3], fl[4]);
		} else if (!strcmp(op, "want")) {
			NEED(5);
			parse_kv(r, &kv, fl[1], fl[2], fl[3], fl[4]);
			do_want(r, &kv, fl[1]);
		} else if (!strcmp(op, "gone")) {
			NEED(3);
			parse_kv(r, &kv, fl[1], fl[2], NULL, NULL);
			if (is_array(kv.map))
				die(r, "'gone' on array map %s", fl[1]);
			do_gone(r, &kv, fl[1]);
		} else if (!strcmp(op, "count")) {
			NEED(3);
			do_count(r, fl[1], fl[2]);
		} else {
			die(r, "unknown step '%s'", op);
		}
#undef NEED
	}
	end_case(r);
	free(line);
	fclose(f);
}

int main(int argc, char **argv)
{
	static struct replay r;

	int first = 1;

	if (argc > 2 && !strcmp(argv[1], "--tc")) {
		r.tc_path = argv[2];
		first = 3;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: xg-replay [--tc TC_OBJECT] OBJECT [FIXTURE...]\n");
		return 2;
	}
	r.object_path = argv[first];
	r.ncpus = libbpf_num_possible_cpus();
	if (r.ncpus <= 0)
		die(&r, "cannot count possible CPUs");
	open_object(&r);
	load_object(&r);
	print_verified(&r);
	for (int i = first + 1; i < argc; i++) {
		unsigned long cases = r.cases, runs = r.runs, failed = r.failed_cases;

		replay_file(&r, argv[i]);
		printf("replay %s: %lu cases, %lu runs, %lu failed\n", r.suite, r.cases - cases, r.runs - runs,
		       r.failed_cases - failed);
	}
	close_object(&r);
	if (argc > first + 1)
		printf("replay total: %lu cases, %lu runs, %lu checks, %lu failed\n", r.cases, r.runs, r.checks,
		       r.failed_cases);
	return r.failed_cases ? 1 : 0;
}
