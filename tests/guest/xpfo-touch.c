// SPDX-License-Identifier: GPL-2.0
/*
 * Guest side of the test of XPFO's direct-map access catch
 * (CONFIG_XPFO_DEBUG): own one page, written with a pattern, then ask the
 * XPFO probe to read it through page_address(), as a kernel bug would.
 * The kernel must warn, naming the code, put the page back into the direct
 * map and let the read finish with the right byte.
 *
 *   xpfo-touch
 *	Prints the probe's answers ("before: ...", "touch: ...") and the
 *	page's pfn ("pfn 0x..."); exits 0 when the page was unmapped before,
 *	the read returned the pattern and the page is mapped afterwards, 1
 *	when not (saying what), 4 when the kernel has no "touch" (built
 *	without CONFIG_XPFO_DEBUG).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROBE "/sys/kernel/debug/xpfo/probe"

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

int main(void)
{
	long psize = sysconf(_SC_PAGESIZE);
	char cmd[64], before[256], after[256];
	unsigned int byte;
	unsigned long pfn;
	int xpfo, mapped, ret;
	unsigned char *page;

	page = mmap(NULL, psize, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	memset(page, 0xa5, psize);
	snprintf(cmd, sizeof(cmd), "va %lx", (unsigned long)page);
	if (ask(cmd, before, sizeof(before))) {
		fprintf(stderr, "probe %s failed\n", cmd);
		return 1;
	}
	printf("before: %s\n", before);
	if (sscanf(before, "enabled=%*d pfn=%lx xpfo=%d mapped=%d",
		   &pfn, &xpfo, &mapped) != 3 || !xpfo || mapped) {
		printf("the page was not out of the direct map to begin with\n");
		return 1;
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
	if (page[psize - 1] != 0xa5) {
		printf("the page lost its data\n");
		return 1;
	}
	return 0;
}
