// SPDX-License-Identifier: GPL-2.0
/*
 * Guest side of the free page hinting test and benchmark: does memory the
 * guest frees leave the host, how fast, and does the guest lose nothing by
 * it?  RSS_FILE holds QEMU's resident memory in KiB, written by the host
 * every 0.2 s (scripts/run-qemu).
 *
 *   hinting-memtest check MIB RSS_FILE TIMEOUT_S [PERCENT]
 *	Fill MIB of anonymous memory with a pattern, verify it, free it; wait
 *	until QEMU's RSS has dropped by at least PERCENT (default 80) of MIB
 *	below its level while the memory was held, for at most TIMEOUT_S.  Then allocate MIB
 *	again, check that it reads as zero, write a fresh pattern, wait while
 *	hinting reports the other frees, and verify it.  Exit 0 when all of
 *	that held, else 1, naming the first wrong page or what stayed.
 *   hinting-memtest timeline MIB RSS_FILE SECONDS
 *	Fill and free MIB; print "T KIB" (seconds since the free, QEMU's RSS)
 *	every 0.1 s for SECONDS, or until 2 s after 90% of MIB has left, then
 *	"seconds_to_90pct T" (or "none").
 *   hinting-memtest frag MIB RSS_FILE SECONDS
 *	Fill MIB in 4 KiB pages (no THP), free every other page, wait
 *	SECONDS, print "fragmented_returned F": the fraction of the freed
 *	half that left QEMU's RSS.
 *   hinting-memtest churn MIB RSS_FILE SECONDS
 *	Two processes, each for SECONDS: map MIB / 2 in 4 KiB pages, fill it
 *	with a pattern of the process and round, wait up to 20 ms, free
 *	every other page, wait again, verify the pages still held, unmap.
 *	Exit 1 naming the first page that lost its data: hinting reported
 *	memory still in use.
 *   hinting-memtest reuse MIB RSS_FILE SECONDS
 *	For SECONDS, map MIB in transparent huge pages, write a word of each
 *	page, unmap, and again: a loop that frees and reuses the same memory
 *	in blocks hinting reports.  Prints "reuse_rounds N".
 *   hinting-memtest fraghold MIB RSS_FILE SECONDS
 *	Fill MIB in 4 KiB pages, free every other page, print
 *	"fragments_ready", then hold the rest for SECONDS or until SIGTERM:
 *	half of MIB free in single pages, which hinting cannot report at its
 *	default min_order.  Verifies the pages held before it exits.
 *   hinting-memtest pcpfree MIB RSS_FILE SECONDS
 *	On one CPU: fill MIB in 4 KiB pages (no THP), free it, and print
 *	"pcp_pages_after_free N": the pages that CPU's per-CPU free lists
 *	hold right after the free (/proc/zoneinfo, every zone).  Then wait
 *	up to SECONDS for 80% of MIB to leave QEMU's RSS; exit 1 if it did
 *	not.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define WORDS (PAGE / 8)

static const char *rss_file;

static long host_rss_kib(void)
{
	FILE *f = fopen(rss_file, "r");
	long kib = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &kib) != 1)
		kib = -1;
	fclose(f);
	return kib;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The value of word @w of page @p in round @seed. */
static uint64_t pattern(size_t p, size_t w, uint64_t seed)
{
	return (seed << 48) ^ ((uint64_t)p << 12) ^ w ^ 0x5a5a000000000000ULL;
}

static uint64_t *map(size_t bytes, int thp)
{
	void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (m == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	if (!thp)
		madvise(m, bytes, MADV_NOHUGEPAGE);
	return m;
}

static void fill(uint64_t *m, size_t pages, uint64_t seed)
{
	for (size_t p = 0; p < pages; p++)
		for (size_t w = 0; w < WORDS; w++)
			m[p * WORDS + w] = pattern(p, w, seed);
}

/* Whether every page holds the pattern (or zeroes); names the first that does not. */
static int verify(const uint64_t *m, size_t pages, uint64_t seed, int zero)
{
	for (size_t p = 0; p < pages; p++)
		for (size_t w = 0; w < WORDS; w++) {
			uint64_t want = zero ? 0 : pattern(p, w, seed);

			if (m[p * WORDS + w] != want) {
				printf("page %zu word %zu: %#llx, expected %#llx\n",
				       p, w, (unsigned long long)m[p * WORDS + w],
				       (unsigned long long)want);
				return 0;
			}
		}
	return 1;
}

/* Fill and verify @bytes, wait for the host to see them, return QEMU's RSS. */
static long hold(uint64_t **m, size_t bytes, int thp)
{
	*m = map(bytes, thp);
	fill(*m, bytes / PAGE, 1);
	if (!verify(*m, bytes / PAGE, 1, 0)) {
		printf("FAIL: the pattern did not survive before the free\n");
		exit(1);
	}
	sleep(1);	/* the host samples every 0.2 s */
	return host_rss_kib();
}

/*
 * The lowest QEMU RSS seen within @seconds, stopping early once it is @want
 * KiB below @held.
 */
static long lowest_rss(long held, long want, double seconds)
{
	double t0 = now();
	long kib, low = held;

	while (now() - t0 < seconds) {
		kib = host_rss_kib();
		if (kib >= 0 && kib < low)
			low = kib;
		if (held - low >= want)
			break;
		usleep(100000);
	}
	return low;
}

static int check(size_t mib, double timeout, long percent)
{
	size_t bytes = mib << 20, pages = bytes / PAGE;
	long held, low, want = mib * 1024 * percent / 100;
	uint64_t *m;
	double t0;

	held = hold(&m, bytes, 1);
	printf("host RSS: %ld MiB holding %zu MiB\n", held >> 10, mib);
	munmap(m, bytes);
	t0 = now();
	low = lowest_rss(held, want, timeout);
	printf("host RSS: %ld MiB after the free, %ld MiB returned (%.0f%%) in %.1f s\n",
	       low >> 10, (held - low) >> 10, 100.0 * (held - low) / (mib * 1024),
	       now() - t0);
	if (held - low < want) {
		printf("FAIL: less than %ld%% of %zu MiB left the host within %.0f s\n",
		       percent, mib, timeout);
		return 1;
	}

	/* Memory allocated again holds no stale data and keeps new data. */
	m = map(bytes, 1);
	if (!verify(m, pages, 0, 1)) {
		printf("FAIL: memory allocated after the free is not zero\n");
		return 1;
	}
	fill(m, pages, 2);
	sleep(3);	/* while hinting reports what else was freed */
	if (!verify(m, pages, 2, 0)) {
		printf("FAIL: a page lost its data while hinting ran\n");
		return 1;
	}
	printf("allocated %zu MiB again: read as zero, kept a fresh pattern\n", mib);
	munmap(m, bytes);
	return 0;
}

static int timeline(size_t mib, double seconds)
{
	size_t bytes = mib << 20;
	long held, kib, want = mib * 1024 * 9 / 10;
	double t0, t, reached = -1;
	uint64_t *m;

	held = hold(&m, bytes, 1);
	munmap(m, bytes);
	t0 = now();
	while ((t = now() - t0) < seconds && (reached < 0 || t < reached + 2)) {
		kib = host_rss_kib();
		printf("%.2f %ld\n", t, kib);
		if (reached < 0 && kib >= 0 && held - kib >= want)
			reached = t;
		usleep(100000);
	}
	if (reached < 0)
		printf("seconds_to_90pct none\n");
	else
		printf("seconds_to_90pct %.2f\n", reached);
	return 0;
}

/* Free every other page of @m, filled by hold() */
static void free_odd_pages(uint64_t *m, size_t pages)
{
	for (size_t p = 1; p < pages; p += 2)
		madvise((char *)m + p * PAGE, PAGE, MADV_DONTNEED);
}

/* 0 when the pages free_odd_pages() left kept hold()'s pattern, else 1 */
static int check_even_pages(const uint64_t *m, size_t pages)
{
	for (size_t p = 0; p < pages; p += 2)
		for (size_t w = 0; w < WORDS; w++)
			if (m[p * WORDS + w] != pattern(p, w, 1)) {
				printf("FAIL: page %zu, still held, lost its data\n", p);
				return 1;
			}
	return 0;
}

static int frag(size_t mib, double seconds)
{
	size_t bytes = mib << 20, pages = bytes / PAGE;
	long held, low;
	uint64_t *m;

	held = hold(&m, bytes, 0);
	free_odd_pages(m, pages);
	low = lowest_rss(held, LONG_MAX, seconds);
	if (check_even_pages(m, pages))
		return 1;
	printf("host RSS: %ld MiB holding %zu MiB, %ld MiB after freeing every other page\n",
	       held >> 10, mib, low >> 10);
	printf("fragmented_returned %.3f\n", (double)(held - low) / (mib * 512));
	munmap(m, bytes);
	return 0;
}

/* One churn process: 0 when every page held kept its data, else 1. */
static int churn_worker(size_t mib, double seconds, unsigned int id)
{
	size_t bytes = (mib << 20) / 2, pages = bytes / PAGE;
	double t0 = now();
	unsigned long rounds = 0;

	srand(id + 1);
	while (now() - t0 < seconds) {
		uint64_t seed = ((uint64_t)id << 40) | ++rounds;
		uint64_t *m = map(bytes, 0);

		fill(m, pages, seed);
		usleep(rand() % 20000);
		for (size_t p = 1; p < pages; p += 2)
			madvise((char *)m + p * PAGE, PAGE, MADV_DONTNEED);
		usleep(rand() % 20000);
		for (size_t p = 0; p < pages; p += 2)
			for (size_t w = 0; w < WORDS; w++)
				if (m[p * WORDS + w] != pattern(p, w, seed)) {
					printf("FAIL: process %u round %lu: page %zu word %zu: %#llx, expected %#llx\n",
					       id, rounds, p, w,
					       (unsigned long long)m[p * WORDS + w],
					       (unsigned long long)pattern(p, w, seed));
					return 1;
				}
		munmap(m, bytes);
	}
	printf("churn: process %u: %lu rounds, every page held kept its data\n", id, rounds);
	return 0;
}

static int churn(size_t mib, double seconds)
{
	int failed = 0;

	fflush(stdout);
	for (unsigned int id = 0; id < 2; id++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			return 1;
		}
		if (!pid) {
			int rc = churn_worker(mib, seconds, id);

			fflush(stdout);
			_exit(rc);
		}
	}
	for (unsigned int id = 0; id < 2; id++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status))
			failed = 1;
	}
	return failed;
}

static int reuse(size_t mib, double seconds)
{
	size_t bytes = mib << 20;
	double t0 = now();
	unsigned long rounds = 0;

	while (now() - t0 < seconds) {
		uint64_t *m = map(bytes, 1);

		madvise(m, bytes, MADV_HUGEPAGE);
		for (size_t p = 0; p < bytes / PAGE; p++)
			m[p * WORDS] = p;
		munmap(m, bytes);
		rounds++;
	}
	printf("reuse_rounds %lu\n", rounds);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_term(int sig)
{
	stop = 1;
}

static int fraghold(size_t mib, double seconds)
{
	size_t bytes = mib << 20, pages = bytes / PAGE;
	double t0;
	uint64_t *m;

	signal(SIGTERM, on_term);
	hold(&m, bytes, 0);
	free_odd_pages(m, pages);
	printf("fragments_ready\n");
	fflush(stdout);
	t0 = now();
	while (!stop && now() - t0 < seconds)
		usleep(100000);
	if (check_even_pages(m, pages))
		return 1;
	printf("fraghold: every page held kept its data\n");
	munmap(m, bytes);
	return 0;
}

/* Pages on @cpu's per-CPU free lists, over every zone; -1 if unreadable */
static long pcp_pages(int cpu)
{
	FILE *f = fopen("/proc/zoneinfo", "r");
	char line[256];
	long total = -1, n;
	int c, mine = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " cpu: %d", &c) == 1)
			mine = c == cpu;
		else if (mine && sscanf(line, " count: %ld", &n) == 1)
			total = (total < 0 ? 0 : total) + n;
		else if (!strncmp(line, "Node", 4))
			mine = 0;
	}
	fclose(f);
	return total;
}

static int pcpfree(size_t mib, double seconds)
{
	size_t bytes = mib << 20;
	int cpu = sched_getcpu();
	long held, low, pcp, want = mib * 1024 * 8 / 10;
	cpu_set_t set;
	uint64_t *m;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (cpu < 0 || sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return 1;
	}
	held = hold(&m, bytes, 0);
	munmap(m, bytes);
	pcp = pcp_pages(cpu);
	printf("pcp_pages_after_free %ld cpu %d\n", pcp, cpu);
	low = lowest_rss(held, want, seconds);
	printf("host RSS: %ld MiB holding %zu MiB, %ld MiB returned\n",
	       held >> 10, mib, (held - low) >> 10);
	if (pcp < 0 || held - low < want) {
		printf("FAIL: %s\n", pcp < 0 ? "no per-CPU counts in /proc/zoneinfo" :
		       "less than 80% left the host");
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	double seconds;
	size_t mib;

	long percent = argc == 6 ? atol(argv[5]) : 80;

	if (argc < 5 || argc > 6 || atol(argv[2]) <= 0 || atof(argv[4]) <= 0 ||
	    percent <= 0 || percent > 100) {
		fprintf(stderr, "usage: %s check|timeline|frag|churn|reuse|fraghold|pcpfree MIB RSS_FILE SECONDS [PERCENT]\n",
			argv[0]);
		return 2;
	}
	mib = atol(argv[2]);
	rss_file = argv[3];
	seconds = atof(argv[4]);
	if (host_rss_kib() < 0) {
		fprintf(stderr, "cannot read the host's RSS from %s\n", rss_file);
		return 1;
	}
	if (!strcmp(argv[1], "check"))
		return check(mib, seconds, percent);
	if (!strcmp(argv[1], "timeline"))
		return timeline(mib, seconds);
	if (!strcmp(argv[1], "frag"))
		return frag(mib, seconds);
	if (!strcmp(argv[1], "churn"))
		return churn(mib, seconds);
	if (!strcmp(argv[1], "reuse"))
		return reuse(mib, seconds);
	if (!strcmp(argv[1], "fraghold"))
		return fraghold(mib, seconds);
	if (!strcmp(argv[1], "pcpfree"))
		return pcpfree(mib, seconds);
	fprintf(stderr, "unknown mode '%s': check, timeline, frag, churn, reuse, fraghold or pcpfree\n",
		argv[1]);
	return 2;
}
