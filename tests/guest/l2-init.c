// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the nested (L2) guest of the end-to-end tests: the only file of
 * its initramfs, built static.  It keeps writing tagged pages and obeys
 * commands read from the serial console, so that the L1 side can migrate it
 * and free memory in it while checking that nothing it wrote is lost.
 *
 * Kernel command line (the kernel hands "name=value" words it does not know
 * to init as environment variables):
 *   xk_mib=N    the writer's region, N MiB (default 64; 0: no writer)
 *   xk_rate=P   pages the writer dirties per second (default 0: no limit)
 *
 * The writer sweeps its region page by page, round after round.  Before it
 * writes page P in round R, P must still hold the tag of round R - 1 (zero
 * in round 1) in its first and its last word: a page that lost a write, on
 * the way to another host or anywhere else, is caught on the next sweep and
 * reported as "l2: MISMATCH page P ...".
 *
 * Commands, one a line: "SEQ WORD [MIB]"; each is answered by one line
 * "l2: SEQ ok ..." or "l2: SEQ FAIL ...".
 *   SEQ status       rounds, pages written, mismatches so far
 *   SEQ fill MIB     map MIB of anonymous memory, fill it with a pattern
 *   SEQ free         check that pattern, unmap it (free page hinting takes
 *                    it from here)
 *   SEQ refill       map as much again: it must read as zero; fill it
 *   SEQ check        the refilled memory must still hold its pattern
 *   SEQ verify       stop the writer; every page must hold its last tag
 *   SEQ lose         undo the last write (the harness's test that a lost
 *                    write is caught)
 *   SEQ tainted      print the kernel's taint flags as the L1 guest's init
 *                    does ("xk-guest: tainted N", read by find-splats)
 *   SEQ poweroff     power the guest off
 * Once a second it prints "l2: t=S round=R written=W mismatches=M".
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define WORDS (PAGE / 8)
#define MAGIC 0x6c32000000000000ULL

static uint64_t *region;		/* the writer's pages */
static size_t npages, pos;		/* pages; next page to write */
static uint64_t round_no = 1;		/* the round being written */
static uint64_t written, mismatches;
static int stopped;

static uint64_t *filled;		/* memory of fill/free/refill */
static size_t filled_bytes;
static uint64_t fill_seed;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t tag(size_t p, uint64_t r)
{
	return r ? MAGIC ^ (r << 32) ^ p : 0;
}

static void check_page(size_t p, uint64_t r)
{
	uint64_t *w = region + p * WORDS, want = tag(p, r);

	if (w[0] == want && w[WORDS - 1] == want)
		return;
	if (mismatches++ < 16)
		printf("l2: MISMATCH page %zu (guest-virtual offset %#zx): words %#llx %#llx, want %#llx (round %llu)\n",
		       p, p * PAGE, (unsigned long long)w[0],
		       (unsigned long long)w[WORDS - 1],
		       (unsigned long long)want, (unsigned long long)r);
}

static void write_some(size_t n)
{
	while (n--) {
		uint64_t *w = region + pos * WORDS;

		check_page(pos, round_no - 1);
		w[0] = w[WORDS - 1] = tag(pos, round_no);
		written++;
		if (++pos == npages) {
			pos = 0;
			round_no++;
		}
	}
}

/* Pages below pos hold round_no's tag, the others round_no - 1's. */
static uint64_t verify_region(void)
{
	uint64_t before = mismatches;

	for (size_t p = 0; p < npages; p++)
		check_page(p, p < pos ? round_no : round_no - 1);
	return mismatches - before;
}

static uint64_t pattern(size_t i, uint64_t seed)
{
	return (seed << 40) ^ (i * 0x9e3779b97f4a7c15ULL);
}

static void *map_anon(size_t bytes)
{
	void *m = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return m == MAP_FAILED ? NULL : m;
}

static void fill_words(uint64_t seed)
{
	for (size_t i = 0; i < filled_bytes / 8; i++)
		filled[i] = pattern(i, seed);
}

/* The first word of the filled memory that does not hold @want, or -1. */
static long bad_word(int zero)
{
	for (size_t i = 0; i < filled_bytes / 8; i++)
		if (filled[i] != (zero ? 0 : pattern(i, fill_seed)))
			return i;
	return -1;
}

static void command(char *line)
{
	char word[16] = "";
	long seq = -1, mib = 0, bad;
	int n = sscanf(line, "%ld %15s %ld", &seq, word, &mib);

	if (n < 2) {
		if (strspn(line, " \r\n") != strlen(line))
			printf("l2: ignored '%s'\n", strtok(line, "\r\n"));
		return;
	}
	if (!strcmp(word, "status")) {
		printf("l2: %ld ok round=%llu written=%llu mismatches=%llu\n", seq,
		       (unsigned long long)round_no, (unsigned long long)written,
		       (unsigned long long)mismatches);
	} else if (!strcmp(word, "fill") && n == 3 && mib > 0 && !filled) {
		filled_bytes = (size_t)mib << 20;
		filled = map_anon(filled_bytes);
		if (!filled) {
			printf("l2: %ld FAIL mmap %ld MiB: %s\n", seq, mib, strerror(errno));
			return;
		}
		fill_seed = 1;
		fill_words(fill_seed);
		printf("l2: %ld ok filled %ld MiB\n", seq, mib);
	} else if (!strcmp(word, "free") && filled) {
		bad = bad_word(0);
		munmap(filled, filled_bytes);
		filled = NULL;
		if (bad >= 0)
			printf("l2: %ld FAIL word %ld lost its pattern before the free\n", seq, bad);
		else
			printf("l2: %ld ok freed %zu MiB\n", seq, filled_bytes >> 20);
	} else if (!strcmp(word, "refill") && !filled && filled_bytes) {
		filled = map_anon(filled_bytes);
		if (!filled) {
			printf("l2: %ld FAIL mmap: %s\n", seq, strerror(errno));
			return;
		}
		bad = bad_word(1);
		fill_seed++;
		fill_words(fill_seed);
		if (bad >= 0)
			printf("l2: %ld FAIL word %ld of the memory allocated again is not zero\n",
			       seq, bad);
		else
			printf("l2: %ld ok refilled %zu MiB: read as zero, fresh pattern written\n",
			       seq, filled_bytes >> 20);
	} else if (!strcmp(word, "check") && filled) {
		bad = bad_word(0);
		if (bad >= 0)
			printf("l2: %ld FAIL word %ld lost its pattern\n", seq, bad);
		else
			printf("l2: %ld ok %zu MiB hold their pattern\n", seq, filled_bytes >> 20);
	} else if (!strcmp(word, "verify")) {
		uint64_t bad_pages;

		stopped = 1;
		bad_pages = verify_region();
		if (bad_pages || mismatches)
			printf("l2: %ld FAIL %llu pages wrong now, %llu mismatches in all (%zu pages, %llu rounds)\n",
			       seq, (unsigned long long)bad_pages,
			       (unsigned long long)mismatches, npages,
			       (unsigned long long)round_no - 1);
		else
			printf("l2: %ld ok verified %zu pages, %llu full rounds, %llu writes, no mismatch\n",
			       seq, npages, (unsigned long long)round_no - 1,
			       (unsigned long long)written);
	} else if (!strcmp(word, "lose") && written) {
		size_t p = pos ? pos - 1 : npages - 1;
		uint64_t r = pos ? round_no - 1 : round_no - 2;

		region[p * WORDS] = region[p * WORDS + WORDS - 1] = tag(p, r);
		printf("l2: %ld ok page %zu set back to round %llu\n", seq, p,
		       (unsigned long long)r);
	} else if (!strcmp(word, "tainted")) {
		FILE *f = fopen("/proc/sys/kernel/tainted", "r");
		long t = -1;

		if (f && fscanf(f, "%ld", &t) != 1)
			t = -1;
		if (f)
			fclose(f);
		printf("xk-guest: tainted %ld\n", t);
		printf("l2: %ld %s tainted %ld\n", seq, t == 0 ? "ok" : "FAIL", t);
	} else if (!strcmp(word, "poweroff")) {
		printf("l2: %ld ok powering off\n", seq);
		fflush(stdout);
		sync();
		reboot(RB_POWER_OFF);
	} else {
		printf("l2: %ld FAIL unknown or out-of-order command '%s'\n", seq, word);
	}
}

/* Read what the console has for us, run each complete line. */
static void poll_console(int timeout_ms)
{
	static char buf[256];
	static size_t len;
	struct pollfd pfd = { .fd = 0, .events = POLLIN };
	char *nl;
	ssize_t r;

	if (poll(&pfd, 1, timeout_ms) <= 0)
		return;
	r = read(0, buf + len, sizeof(buf) - 1 - len);
	if (r <= 0)
		return;
	len += r;
	buf[len] = 0;
	while ((nl = strchr(buf, '\n')) || (nl = strchr(buf, '\r'))) {
		*nl = 0;
		command(buf);
		memmove(buf, nl + 1, len - (nl + 1 - buf) + 1);
		len -= nl + 1 - buf;
	}
	if (len == sizeof(buf) - 1)
		len = 0;	/* a line too long for a command */
}

static void console(void)
{
	struct termios t;
	int fd;

	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	if (tcgetattr(0, &t) == 0) {
		t.c_lflag &= ~(ECHO | ECHONL);
		tcsetattr(0, TCSANOW, &t);
	}
}

static long env_num(const char *name, long def)
{
	const char *v = getenv(name);
	char *end;
	long n;

	if (!v)
		return def;
	n = strtol(v, &end, 10);
	if (*v == 0 || *end || n < 0) {
		printf("l2: bad %s='%s', using %ld\n", name, v, def);
		return def;
	}
	return n;
}

int main(void)
{
	long mib, rate;
	double t0, next_status;

	if (getpid() == 1)
		console();
	setvbuf(stdout, NULL, _IOLBF, 0);
	mib = env_num("xk_mib", 64);
	rate = env_num("xk_rate", 0);
	npages = ((size_t)mib << 20) / PAGE;
	if (npages) {
		region = map_anon(npages * PAGE);
		if (!region) {
			printf("l2: FAIL mmap %ld MiB: %s\n", mib, strerror(errno));
			npages = 0;
		}
	}
	printf("l2: ready, writer over %ld MiB at %s%ld pages/s\n", mib,
	       rate ? "" : "no limit, ", rate);
	t0 = now();
	next_status = t0 + 1;
	for (;;) {
		double t = now();

		if (npages && !stopped) {
			/* Keep to the rate: write what is due, in steps of 64 pages. */
			if (!rate || written < (t - t0) * rate)
				write_some(64);
			else
				poll_console(2);
		} else {
			poll_console(100);
		}
		if (t >= next_status) {
			printf("l2: t=%.0f round=%llu written=%llu mismatches=%llu\n",
			       t - t0, (unsigned long long)round_no,
			       (unsigned long long)written,
			       (unsigned long long)mismatches);
			next_status += 1;
			/*
			 * A writer behind its rate does not poll above: answer
			 * commands at least once a second all the same (a slow
			 * guest, e.g. one faulting its memory back in after a
			 * migration, polled only every 4096 pages, tens of
			 * seconds apart).
			 */
			poll_console(0);
		}
		if (npages && !stopped && written % 4096 == 0)
			poll_console(0);
	}
}
