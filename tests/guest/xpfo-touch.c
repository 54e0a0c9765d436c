// SPDX-License-Identifier: GPL-2.0
/*
 * Guest side of the test of XPFO's direct-map access catch
 * (CONFIG_XPFO_DEBUG): own one page, written with a pattern, then ask the
 * XPFO probe to read it through page_address(), as a kernel bug would.
 * The kernel must warn, naming the code, put the page back into the direct
 * map and let the read finish with the right byte.
 *
 *   xpfo-touch [thp]
 *	Prints the probe's answers ("before: ...", "touch: ...") and the
 *	page's pfn ("pfn 0x..."); exits 0 when the page was unmapped before,
 *	the read returned the pattern and the page is mapped afterwards, 1
 *	when not (saying what), 4 when the kernel has no "touch" (built
 *	without CONFIG_XPFO_DEBUG).  With "thp" the page is the first of a
 *	THP removed from the direct map as one entry (up to 16 THPs are
 *	faulted in to find one; exit 4 when none is): the whole THP must be
 *	mapped afterwards, its last page too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROBE "/sys/kernel/debug/xpfo/probe"
#define XPFO_TOUCH_THPS	16

static int ask(const char *cmd, char *answer, size_t len)
{
	int fd = open(PROBE, O_RDWR), n;

	if (fd < 0)
		return -errno;
	if (write(fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd)) {
		n = -errno;
		close(fd);
		return n;
	}
	n = read(fd, answer, len - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	answer[n] = '\0';
	answer[strcspn(answer, "\n")] = '\0';
	return 0;
}

int main(int argc, char **argv)
{
	const size_t huge = 2UL << 20;
	long psize = sysconf(_SC_PAGESIZE);
	char cmd[64], before[256], after[256];
	int xpfo, mapped, ret, thp = argc > 1 && !strcmp(argv[1], "thp");
	size_t len = thp ? huge : (size_t)psize;
	unsigned char *map, *page;
	unsigned int byte;
	unsigned long pfn;

	/* THPs: up to XPFO_TOUCH_THPS, until one is out as one entry */
	map = mmap(NULL, (XPFO_TOUCH_THPS + 1) * len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	page = (unsigned char *)(((unsigned long)map + len - 1) & ~(len - 1));
	if (thp && madvise(page, XPFO_TOUCH_THPS * len, MADV_HUGEPAGE)) {
		printf("no MADV_HUGEPAGE\n");
		return 4;
	}
	for (int i = 0; i < (thp ? XPFO_TOUCH_THPS : 1); i++, page += len) {
		memset(page, 0xa5, len);
		snprintf(cmd, sizeof(cmd), "va %lx", (unsigned long)page);
		if (ask(cmd, before, sizeof(before))) {
			fprintf(stderr, "probe %s failed\n", cmd);
			return 1;
		}
		if (!thp || strstr(before, "huge=1"))
			break;
	}
	printf("before: %s\n", before);
	if (sscanf(before, "enabled=%*d pfn=%lx xpfo=%d mapped=%d",
		   &pfn, &xpfo, &mapped) != 3 || !xpfo || mapped) {
		printf("the page was not out of the direct map to begin with\n");
		return 1;
	}
	if (thp && !strstr(before, "huge=1")) {
		printf("none of %d THPs was removed as one entry\n",
		       XPFO_TOUCH_THPS);
		return 4;
	}
	printf("pfn %#lx\n", pfn);
	snprintf(cmd, sizeof(cmd), "touch %lx", (unsigned long)page);
	ret = ask(cmd, after, sizeof(after));
	if (ret == -EOPNOTSUPP) {
		printf("no touch command (CONFIG_XPFO_DEBUG not set)\n");
		return 4;
	}
	if (ret) {
		printf("touch failed: %s\n", strerror(-ret));
		return 1;
	}
	printf("touch: %s\n", after);
	if (sscanf(after, "byte=%x enabled=%*d pfn=%*x xpfo=%d mapped=%d",
		   &byte, &xpfo, &mapped) != 3) {
		printf("cannot parse the answer\n");
		return 1;
	}
	if (byte != 0xa5 || xpfo || !mapped) {
		printf("expected byte=0xa5, xpfo=0, mapped=1\n");
		return 1;
	}
	if (page[len - 1] != 0xa5) {
		printf("the page lost its data\n");
		return 1;
	}
	if (thp) {	/* the whole THP went back, its last page too */
		snprintf(cmd, sizeof(cmd), "va %lx",
			 (unsigned long)page + len - psize);
		if (ask(cmd, after, sizeof(after)) ||
		    sscanf(after, "enabled=%*d pfn=%*x xpfo=%d mapped=%d",
			   &xpfo, &mapped) != 2 || xpfo || !mapped) {
			printf("the THP's last page: %s\n", after);
			return 1;
		}
		printf("last page: %s\n", after);
	}
	return 0;
}
