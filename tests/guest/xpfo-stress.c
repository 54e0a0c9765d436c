// SPDX-License-Identifier: GPL-2.0
/*
 * Soak workloads for XPFO that stress-ng does not have, each checking its
 * data, for SECONDS seconds:
 *
 *   xpfo-stress uring-fixed FILE SECONDS
 *	io_uring with a registered (fixed) buffer in a THP: WRITE_FIXED a
 *	pattern from one half into FILE, READ_FIXED it back into the other
 *	half, compare.  The kernel reaches the pinned pages through
 *	kmap_local_page().
 *   xpfo-stress odirect-split DEV SECONDS
 *	O_DIRECT reads of a block device into a THP (pinned while the I/O
 *	runs) in one thread, while another splits the THP (debugfs
 *	split_huge_pages) or its PMD mapping and makes it whole again with
 *	MADV_COLLAPSE; every read must match the data written first.
 *
 * Exits 0 when every check passed, 1 with a message otherwise.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

#define THP	(2UL << 20)

static void die(const char *what)
{
	fprintf(stderr, "xpfo-stress: %s: %s\n", what, strerror(errno));
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A 2 MiB-aligned, MADV_HUGEPAGE mapping of @len bytes, touched. */
static unsigned char *thp_alloc(size_t len)
{
	unsigned char *raw, *p;

	raw = mmap(NULL, len + THP, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		die("mmap");
	p = (unsigned char *)(((uintptr_t)raw + THP - 1) & ~(THP - 1));
	madvise(p, len, MADV_HUGEPAGE);
	memset(p, 0, len);
	return p;
}

static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 31 + seed * 7 + (i >> 12));
}

struct ring {
	int fd;
	unsigned int *sq_head, *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static void ring_init(struct ring *r)
{
	struct io_uring_params p = { 0 };
	unsigned char *sq, *cq;

	r->fd = syscall(__NR_io_uring_setup, 4, &p);
	if (r->fd < 0)
		die("io_uring_setup");
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		  IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		  IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		       IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED)
		die("mmap io_uring");
	r->sq_head = (unsigned int *)(sq + p.sq_off.head);
	r->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)(sq + p.sq_off.array);
	r->cq_head = (unsigned int *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
}

/* One fixed-buffer read or write, waited for; returns its result. */
static int ring_rw(struct ring *r, int op, int fd, void *buf, unsigned int len,
		   off_t off)
{
	unsigned int tail = *r->sq_tail, idx = tail & *r->sq_mask, head;
	struct io_uring_sqe *sqe = &r->sqes[idx];
	int res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)buf;
	sqe->len = len;
	sqe->off = off;
	sqe->buf_index = 0;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		die("io_uring_enter");
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE)) {
		errno = EAGAIN;
		die("no completion");
	}
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

static int uring_fixed(const char *path, double secs)
{
	const size_t half = THP / 2;
	unsigned char *buf = thp_alloc(THP);
	struct iovec iov = { .iov_base = buf, .iov_len = THP };
	unsigned int round = 0;
	double end = now() + secs;
	struct ring r;
	int fd, res;

	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(path);
	ring_init(&r);
	if (syscall(__NR_io_uring_register, r.fd, IORING_REGISTER_BUFFERS,
		    &iov, 1) < 0)
		die("IORING_REGISTER_BUFFERS");
	do {
		fill(buf, half, round);
		memset(buf + half, 0, half);
		res = ring_rw(&r, IORING_OP_WRITE_FIXED, fd, buf, half, 0);
		if (res != (int)half) {
			fprintf(stderr, "xpfo-stress: WRITE_FIXED: %d\n", res);
			return 1;
		}
		res = ring_rw(&r, IORING_OP_READ_FIXED, fd, buf + half, half, 0);
		if (res != (int)half) {
			fprintf(stderr, "xpfo-stress: READ_FIXED: %d\n", res);
			return 1;
		}
		if (memcmp(buf, buf + half, half)) {
			fprintf(stderr, "xpfo-stress: round %u: fixed buffer read back differs\n",
				round);
			return 1;
		}
		round++;
	} while (now() < end);
	printf("xpfo-stress: uring-fixed: %u rounds of %zu KiB, data intact\n",
	       round, half >> 10);
	close(r.fd);
	close(fd);
	return 0;
}

static unsigned char *split_buf;
static volatile int split_stop;
static unsigned long splits;

/*
 * Split the THP (debugfs split_huge_pages, for this range of this
 * process, refused while an O_DIRECT read pins it), or break its PMD
 * mapping (zap one page outside the read), then collapse it again.
 */
static void *splitter(void *arg)
{
	int dbg = open("/sys/kernel/debug/split_huge_pages", O_WRONLY);
	char cmd[96];
	int n;

	(void)arg;
	n = snprintf(cmd, sizeof(cmd), "%d,%#lx,%#lx", getpid(),
		     (unsigned long)split_buf, (unsigned long)split_buf + THP);
	while (!split_stop) {
		if (dbg < 0 || !(splits & 1))
			madvise(split_buf + THP / 2, 4096, MADV_DONTNEED);
		else if (write(dbg, cmd, n) != n)
			die("split_huge_pages");
		madvise(split_buf, THP, MADV_COLLAPSE);
		splits++;
	}
	if (dbg >= 0)
		close(dbg);
	return NULL;
}

static int odirect_split(const char *dev, double secs)
{
	const size_t len = 1UL << 20;
	unsigned char *want = malloc(len);
	unsigned long reads = 0;
	double end = now() + secs;
	pthread_t t;
	int fd, dfd, rc = 0;

	split_buf = thp_alloc(THP);
	fd = open(dev, O_RDWR);
	if (fd < 0 || !want)
		die(dev);
	fill(want, len, 99);
	if (pwrite(fd, want, len, 0) != (ssize_t)len || fsync(fd))
		die("pwrite");
	dfd = open(dev, O_RDONLY | O_DIRECT);
	if (dfd < 0)
		die("O_DIRECT open");
	if (pthread_create(&t, NULL, splitter, NULL))
		die("pthread_create");
	do {
		memset(split_buf, 0, len);
		if (pread(dfd, split_buf, len, 0) != (ssize_t)len) {
			perror("xpfo-stress: O_DIRECT pread");
			rc = 1;
			break;
		}
		if (memcmp(split_buf, want, len)) {
			fprintf(stderr, "xpfo-stress: read %lu: O_DIRECT data differs\n",
				reads);
			rc = 1;
			break;
		}
		reads++;
	} while (now() < end);
	split_stop = 1;
	pthread_join(t, NULL);
	if (!rc)
		printf("xpfo-stress: odirect-split: %lu reads of 1 MiB, %lu split/collapse rounds, data intact\n",
		       reads, splits);
	close(dfd);
	close(fd);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "uring-fixed"))
		return uring_fixed(argv[2], atof(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "odirect-split"))
		return odirect_split(argv[2], atof(argv[3]));
	fprintf(stderr, "usage: xpfo-stress uring-fixed FILE SECONDS | odirect-split DEV SECONDS\n");
	return 2;
}
