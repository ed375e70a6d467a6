/* slowfsync.c - LD_PRELOAD shim: every fsync, fdatasync and msync takes an
 * extra 5-20 ms, like an SD card on a Raspberry Pi. For benchmarks only. */
#include <dlfcn.h>
#include <stdint.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static __thread uint32_t seed;

static void slow(void)
{
	struct timespec ts;

	if (!seed)
		seed = (uint32_t)(uintptr_t)&ts ^ (uint32_t)time(NULL);
	seed = seed * 1103515245u + 12345u;
	ts.tv_sec = 0;
	ts.tv_nsec = (5 + (long)((seed >> 16) % 16)) * 1000000L;   /* 5..20 ms */
	nanosleep(&ts, NULL);
}

int fsync(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	slow();
	return real(fd);
}

int fdatasync(int fd)
{
	static int (*real)(int);

	if (!real)
		real = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	slow();
	return real(fd);
}

int msync(void *addr, size_t len, int flags)
{
	static int (*real)(void *, size_t, int);

	if (!real)
		real = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "msync");
	slow();
	return real(addr, len, flags);
}
