// SPDX-License-Identifier: GPL-2.0
/*
 * A QEMU TCG plugin: guest instructions executed per kernel translation
 * block, in sections.  Each time the vCPU enters the block at address
 * "mark" (a kernel function the guest calls between pieces of work, such
 * as drop_caches_sysctl_handler), the counts gathered since the last mark
 * are written out and cleared.  Output, to the file "out":
 *
 *   section N
 *   user COUNT                (instructions below the kernel's half)
 *   ADDRESS COUNT             (a kernel block's start, hex, and its count)
 *
 * Built with: gcc -O2 -shared -fPIC -o insn-profile.so insn-profile.c
 * Loaded with: -plugin FILE,out=PATH,mark=0xADDRESS, under -icount and
 * single-threaded TCG (the counters are not atomic).
 *
 * A block counts whole when it starts: an exception in its middle (a page
 * fault) or an I/O access QEMU executes again counts up to a block's
 * length too much, alike in both boots of a comparison but for the faults
 * one of them has more of.  The totals are therefore close to, not equal
 * to, the -icount clock's.
 *
 * QEMU's plugin API is declared here, the calls this plugin makes only:
 * they are unchanged since plugin API version 1, and QEMU 8.0 to 10.0
 * load a plugin that says version 2.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
typedef struct {
	const char *target_name;
	struct { int min, cur; } version;
	bool system_emulation;
} qemu_info_t;
typedef void (*tb_trans_cb)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*udata_cb)(unsigned int vcpu_index, void *userdata);
typedef void (*atexit_cb)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, tb_trans_cb cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, udata_cb cb,
					  int flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, atexit_cb cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);

__attribute__((visibility("default"))) int qemu_plugin_version = 2;

/* One per kernel block address, shared by its translations. */
struct block {
	uint64_t vaddr;
	uint64_t count;
	struct block *next;
};

/* One per translation: its size in instructions may differ from another's. */
struct trans {
	struct block *block;
	uint64_t insns;
};

#define HASH_BITS 16
static struct block *hash[1 << HASH_BITS];
static uint64_t user, mark;
static unsigned int section;
static FILE *out;

static struct block *block_of(uint64_t vaddr)
{
	struct block **b = &hash[(vaddr >> 2) & ((1 << HASH_BITS) - 1)];

	for (; *b; b = &(*b)->next)
		if ((*b)->vaddr == vaddr)
			return *b;
	*b = calloc(1, sizeof(**b));
	if (!*b) {
		perror("insn-profile");
		exit(1);
	}
	(*b)->vaddr = vaddr;
	return *b;
}

static void dump(void)
{
	unsigned int i;
	struct block *b;

	fprintf(out, "section %u\nuser %" PRIu64 "\n", section++, user);
	user = 0;
	for (i = 0; i < 1 << HASH_BITS; i++)
		for (b = hash[i]; b; b = b->next)
			if (b->count) {
				fprintf(out, "%" PRIx64 " %" PRIu64 "\n", b->vaddr, b->count);
				b->count = 0;
			}
	fflush(out);
}

static void exec_user(unsigned int vcpu, void *data)
{
	user += (uintptr_t)data;
}

static void exec_kernel(unsigned int vcpu, void *data)
{
	struct trans *t = data;

	t->block->count += t->insns;
}

static void exec_mark(unsigned int vcpu, void *data)
{
	dump();
	exec_kernel(vcpu, data);
}

static void trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	size_t n = qemu_plugin_tb_n_insns(tb);
	struct trans *t;

	if (!(vaddr >> 63)) {
		qemu_plugin_register_vcpu_tb_exec_cb(tb, exec_user, 0, (void *)(uintptr_t)n);
		return;
	}
	t = malloc(sizeof(*t));
	if (!t) {
		perror("insn-profile");
		exit(1);
	}
	t->block = block_of(vaddr);
	t->insns = n;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, vaddr == mark ? exec_mark : exec_kernel, 0, t);
}

static void at_exit(qemu_plugin_id_t id, void *data)
{
	dump();
	fclose(out);
}

__attribute__((visibility("default")))
int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
	const char *path = NULL;
	int i;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			path = argv[i] + 4;
		else if (!strncmp(argv[i], "mark=", 5))
			mark = strtoull(argv[i] + 5, NULL, 16);
		else {
			fprintf(stderr, "insn-profile: unknown argument '%s'\n", argv[i]);
			return -1;
		}
	}
	if (!path || !mark) {
		fprintf(stderr, "insn-profile: needs out=PATH and mark=0xADDRESS\n");
		return -1;
	}
	out = fopen(path, "w");
	if (!out) {
		perror(path);
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
