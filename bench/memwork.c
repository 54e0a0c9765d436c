// SPDX-License-Identifier: GPL-2.0
/*
 * In-guest work for the benchmarks (bench/xpfo, bench/hinting), one kind
 * per run:
 *
 *   memwork fault MIB LOOPS   map MIB of anonymous memory, write one byte
 *                             per page, unmap; LOOPS times (the manner of
 *                             will-it-scale page_fault1)
 *   memwork thp MIB LOOPS     the same with MADV_HUGEPAGE: THP faults
 *   memwork thpsplit MIB LOOPS
 *                             THP faults, then every THP split into base
 *                             pages (debugfs split_huge_pages, as
 *                             split_huge_page_test does), then unmap
 *   memwork fork MIB LOOPS    fork a child that writes one byte per page of
 *                             a MIB heap (copy-on-write) and exits; LOOPS
 *                             times
 *   memwork file MIB LOOPS    write MIB to a file in DIR ($XK_WORK_DIR, or
 *                             /tmp), read it back, delete it; LOOPS times
 *
 * It prints the number of pages touched, for the flushes-per-allocation
 * figure.
 *
 *   memwork cputime CMD [ARG...]
 *                             run CMD and print "cputime USER_US SYS_US",
 *                             the CPU time of CMD and the children it
 *                             waited for (wait4()'s rusage), in us; fails
 *                             when CMD does
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static long fault(size_t size, long loops, long psz, int advice)
{
	long pages = 0;

	for (long l = 0; l < loops; l++) {
		char *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED)
			die("mmap");
		madvise(p, size, advice);
		for (size_t off = 0; off < size; off += psz, pages++)
			p[off] = 1;
		munmap(p, size);
	}
	return pages;
}

static long thp_split(size_t size, long loops, long psz)
{
	const size_t huge = 2UL << 20;
	long pages = 0;

	for (long l = 0; l < loops; l++) {
		char *map = mmap(NULL, size + huge, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		char *p, cmd[128];
		int fd, len;

		if (map == MAP_FAILED)
			die("mmap");
		p = (char *)(((unsigned long)map + huge - 1) & ~(huge - 1));
		madvise(p, size, MADV_HUGEPAGE);
		for (size_t off = 0; off < size; off += psz, pages++)
			p[off] = 1;
		fd = open("/sys/kernel/debug/split_huge_pages", O_WRONLY);
		if (fd < 0)
			die("/sys/kernel/debug/split_huge_pages");
		len = snprintf(cmd, sizeof(cmd), "%d,0x%lx,0x%lx", getpid(),
			       (unsigned long)p, (unsigned long)p + size);
		if (write(fd, cmd, len) != len)
			die("split_huge_pages");
		close(fd);
		munmap(map, size + huge);
	}
	return pages;
}

static long fork_loop(size_t size, long loops, long psz)
{
	char *heap = malloc(size);
	long pages = 0;

	if (!heap)
		die("malloc");
	memset(heap, 1, size);
	for (long l = 0; l < loops; l++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (!pid) {
			for (size_t off = 0; off < size; off += psz)
				heap[off] = 2;
			_exit(0);
		}
		if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			die("child");
		pages += size / psz;
	}
	free(heap);
	return pages;
}

static long file_loop(size_t size, long loops, long psz)
{
	const char *dir = getenv("XK_WORK_DIR") ?: "/tmp";
	char path[4096], buf[65536];
	long pages = 0;

	snprintf(path, sizeof(path), "%s/memwork.%d", dir, getpid());
	memset(buf, 3, sizeof(buf));
	for (long l = 0; l < loops; l++) {
		int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

		if (fd < 0)
			die(path);
		for (size_t done = 0; done < size; done += sizeof(buf))
			if (write(fd, buf, sizeof(buf)) != sizeof(buf))
				die("write");
		if (lseek(fd, 0, SEEK_SET) < 0)
			die("lseek");
		for (size_t done = 0; done < size; done += sizeof(buf))
			if (read(fd, buf, sizeof(buf)) != sizeof(buf) || buf[0] != 3)
				die("read");
		close(fd);
		unlink(path);
		pages += size / psz;
	}
	return pages;
}

static int cputime(char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		execvp(argv[0], argv);
		die(argv[0]);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		die("wait4");
	printf("cputime %ld %ld\n",
	       (long)ru.ru_utime.tv_sec * 1000000 + ru.ru_utime.tv_usec,
	       (long)ru.ru_stime.tv_sec * 1000000 + ru.ru_stime.tv_usec);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	long psz = sysconf(_SC_PAGESIZE), loops, pages;
	size_t size;

	if (argc > 2 && !strcmp(argv[1], "cputime"))
		return cputime(argv + 2);
	if (argc != 4 || (loops = atol(argv[3])) <= 0 || atol(argv[2]) <= 0) {
		fprintf(stderr, "usage: %s fault|thp|thpsplit|fork|file MIB LOOPS\n", argv[0]);
		return 2;
	}
	size = (size_t)atol(argv[2]) << 20;
	if (!strcmp(argv[1], "fault"))	/* 4K pages, as page_fault1 */
		pages = fault(size, loops, psz, MADV_NOHUGEPAGE);
	else if (!strcmp(argv[1], "thp"))
		pages = fault(size, loops, psz, MADV_HUGEPAGE);
	else if (!strcmp(argv[1], "thpsplit"))
		pages = thp_split(size, loops, psz);
	else if (!strcmp(argv[1], "fork"))
		pages = fork_loop(size, loops, psz);
	else if (!strcmp(argv[1], "file"))
		pages = file_loop(size, loops, psz);
	else {
		fprintf(stderr, "%s: unknown work '%s'\n", argv[0], argv[1]);
		return 2;
	}
	printf("%ld\n", pages);
	return 0;
}
