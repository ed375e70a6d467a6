/* enospc.c - an LD_PRELOAD shim that fills the disk on demand.
 *
 * Writes (write, pwrite, writev, pwritev) to files below $POORT_ENOSPC_DIR
 * succeed until $POORT_ENOSPC_AFTER bytes have been written in this
 * process; the write that would go past fails with ENOSPC, as on a full
 * disk, and so do every later write and fsync/fdatasync of such files.
 * Other files (stdout, stderr) are untouched. With $POORT_ENOSPC_REPORT set,
 * the number of bytes written is stored in that file at exit (to find the
 * interesting limits).
 * Unsetting $POORT_ENOSPC_AFTER frees the disk again; poort_enospc_written()
 * tells a preloaded test how much has been written so far.
 * Used by test_diskfull.c on the real poortctl binary and by
 * test_diskfull_live.c on one long-lived store handle.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

ssize_t write(int fd, const void *buf, size_t n);
ssize_t pwrite(int fd, const void *buf, size_t n, off_t off);
ssize_t writev(int fd, const struct iovec *iov, int cnt);
ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off);
int fsync(int fd);
int fdatasync(int fd);

static unsigned long long written;
static int tripped;   /* a write has failed: the disk is full from now on */

/* Whether fd is a file below the watched directory. */
static int watched(int fd)
{
	const char *dir = getenv("POORT_ENOSPC_DIR");
	char link[64], path[4096];
	ssize_t n;

	if (!dir || !*dir || fd < 3)
		return 0;
	snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof path - 1);
	if (n <= 0)
		return 0;
	path[n] = 0;
	return strncmp(path, dir, strlen(dir)) == 0;
}

/* Whether a write of n more bytes to fd must fail; counts it if not. */
static int full(int fd, size_t n)
{
	const char *after = getenv("POORT_ENOSPC_AFTER");

	if (!watched(fd))
		return 0;
	if (!after) {
		tripped = 0;   /* unset again: space is back (test_diskfull_live) */
		written += n;
		return 0;
	}
	if (tripped || written + n > strtoull(after, NULL, 10))
		return tripped = 1;
	written += n;
	return 0;
}

static int exhausted(int fd)
{
	return tripped && getenv("POORT_ENOSPC_AFTER") && watched(fd);
}

unsigned long long poort_enospc_written(void);
unsigned long long poort_enospc_written(void)
{
	return written;
}

__attribute__((destructor)) static void report(void)
{
	const char *path = getenv("POORT_ENOSPC_REPORT");
	FILE *f;

	if (path && *path && (f = fopen(path, "w"))) {
		fprintf(f, "%llu\n", written);
		fclose(f);
	}
}

#define REAL(name)                                 \
	static __typeof__(&name) real_##name;      \
	if (!real_##name)                          \
		real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(write);
	if (full(fd, n))
		return errno = ENOSPC, -1;
	return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	REAL(pwrite);
	if (full(fd, n))
		return errno = ENOSPC, -1;
	return real_pwrite(fd, buf, n, off);
}

static size_t iov_len(const struct iovec *iov, int cnt)
{
	size_t n = 0;
	for (int i = 0; i < cnt; i++)
		n += iov[i].iov_len;
	return n;
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
	REAL(writev);
	if (full(fd, iov_len(iov, cnt)))
		return errno = ENOSPC, -1;
	return real_writev(fd, iov, cnt);
}

ssize_t pwritev(int fd, const struct iovec *iov, int cnt, off_t off)
{
	REAL(pwritev);
	if (full(fd, iov_len(iov, cnt)))
		return errno = ENOSPC, -1;
	return real_pwritev(fd, iov, cnt, off);
}

int fsync(int fd)
{
	REAL(fsync);
	if (exhausted(fd))
		return errno = ENOSPC, -1;
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	REAL(fdatasync);
	if (exhausted(fd))
		return errno = ENOSPC, -1;
	return real_fdatasync(fd);
}
