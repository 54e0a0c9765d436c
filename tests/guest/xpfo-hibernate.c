// SPDX-License-Identifier: GPL-2.0
/*
 * Hibernation with owned pages:
 *
 *   xpfo-hibernate MIB
 *
 * Fills MIB MiB of anonymous memory (half of it in THPs) with a pattern,
 * locks itself in memory (after the resume the root filesystem, 9p, is
 * gone: nothing may be paged in from it), asks the probe how many of the
 * pages XPFO holds and how many THPs keep their 2 MiB direct-map entry
 * whole, and writes "disk" to /sys/power/state.  That write returns in the
 * resumed kernel: the pattern and the probe's answers are checked, the
 * result printed ("xk-hibernate: resumed: ..."), and the machine powered
 * off.
 * Exits 1, with a message, when hibernation is refused.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/reboot.h>
#include <unistd.h>

#define THP	(2UL << 20)
#define PROBE	"/sys/kernel/debug/xpfo/probe"

static unsigned char val(size_t i)
{
	return (unsigned char)(i * 13 + (i >> 12) * 7 + 1);
}

struct census {
	size_t probed, held, huge, whole;
};

/*
 * Ask the probe about every 64th page of @p: how many XPFO holds, how many
 * belong to a THP it removed whole, and of those how many still have their
 * 2 MiB entry (level 2), as XPFO left it.
 */
static void census(const unsigned char *p, size_t len, struct census *c)
{
	int fd, n, x, huge, level;
	char buf[192];
	size_t i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < len; i += 64 * 4096) {
		fd = open(PROBE, O_RDWR);
		if (fd < 0)
			return;
		n = snprintf(buf, sizeof(buf), "va %lx", (unsigned long)(p + i));
		if (write(fd, buf, n) == n && (n = read(fd, buf, sizeof(buf) - 1)) > 0) {
			buf[n] = '\0';
			if (sscanf(buf, "enabled=%*d pfn=%*x xpfo=%d mapped=%*d cpus=%*d mapped_cpus=%*d huge=%d free=%*d level=%d",
				   &x, &huge, &level) == 3) {
				c->probed++;
				c->held += x;
				c->huge += huge;
				c->whole += huge && level == 2;
			}
		}
		close(fd);
	}
}

int main(int argc, char **argv)
{
	size_t len, i, bad = 0;
	struct census before, after;
	unsigned char *raw, *p;
	int fd;

	if (argc != 2 || atoi(argv[1]) <= 0) {
		fprintf(stderr, "usage: xpfo-hibernate MIB\n");
		return 2;
	}
	len = (size_t)atoi(argv[1]) << 20;
	raw = mmap(NULL, len + THP, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED) {
		perror("xk-hibernate: mmap");
		return 1;
	}
	p = (unsigned char *)(((uintptr_t)raw + THP - 1) & ~(THP - 1));
	madvise(p, len / 2, MADV_HUGEPAGE);
	madvise(p + len / 2, len / 2, MADV_NOHUGEPAGE);
	for (i = 0; i < len; i++)
		p[i] = val(i);
	census(p, len, &before);
	fd = open("/sys/power/state", O_WRONLY);
	if (fd < 0 || mlockall(MCL_CURRENT | MCL_FUTURE)) {
		perror("xk-hibernate: /sys/power/state or mlockall");
		return 1;
	}
	printf("xk-hibernate: %zu MiB filled, XPFO holds %zu of %zu pages probed, %zu in THPs with their 2 MiB entry whole; hibernating\n",
	       len >> 20, before.held, before.probed, before.whole);
	fflush(stdout);
	if (write(fd, "disk", 4) != 4) {
		printf("xk-hibernate: writing disk to /sys/power/state: %s\n",
		       strerror(errno));
		return 1;
	}
	for (i = 0; i < len; i++)
		bad += p[i] != val(i);
	census(p, len, &after);
	printf("xk-hibernate: resumed: %zu MiB %s (%zu bytes differ), XPFO holds %zu of %zu pages probed, %zu in THPs with their 2 MiB entry whole, %s\n",
	       len >> 20, bad ? "CORRUPTED" : "intact", bad, after.held,
	       after.probed, after.whole,
	       after.held == before.held && after.whole == before.whole &&
	       after.huge == after.whole ? "state as before" : "STATE CHANGED");
	fflush(stdout);
	/* No sync(): the 9p shares did not survive the resume */
	reboot(RB_POWER_OFF);
	return 1;
}
