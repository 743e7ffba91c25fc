// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_util.c - helpers for ptwalk's selftests (see ptwalk_util.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ptwalk_util.h"

const char *ptwalk_ko_path(void)
{
	const char *ko = getenv("PTWALK_KO");

	return ko && *ko ? ko : "ptwalk.ko";
}

int ptwalk_load(const char *params)
{
	int fd = open(ptwalk_ko_path(), O_RDONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	return ret;
}

int ptwalk_unload(void)
{
	return syscall(SYS_delete_module, "ptwalk", O_NONBLOCK) ? -errno : 0;
}

bool ptwalk_loaded(void)
{
	return access("/sys/module/ptwalk", F_OK) == 0;
}

char *ptwalk_query(const char *path, const char *query, size_t *lenp)
{
	size_t cap = 1 << 16, len = 0;
	char *buf;
	int fd, err;
	ssize_t n;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (write(fd, query, strlen(query)) != (ssize_t)strlen(query)) {
		err = errno;
		close(fd);
		errno = err;
		return NULL;
	}
	buf = malloc(cap);
	if (!buf) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	for (;;) {
		if (cap - len < 4096) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				close(fd);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			err = errno;
			free(buf);
			close(fd);
			errno = err;
			return NULL;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

char *ptwalk_status(const char *key)
{
	char line[256], *val = NULL;
	size_t klen = strlen(key);
	FILE *f = fopen(PTWALK_STATUS, "re");

	if (!f)
		return NULL;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			line[strcspn(line, "\n")] = '\0';
			val = strdup(line + klen + 2);
			break;
		}
	}
	fclose(f);
	return val;
}

const char *ptwalk_find_entry(const char *text, unsigned long addr,
			      char *line, size_t len)
{
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *end;
		unsigned long a;

		if (p[0] == '0' && p[1] == 'x') {
			a = strtoul(p, &end, 16);
			if (*end == ' ' && a == addr) {
				if (n >= len)
					n = len - 1;
				memcpy(line, p, n);
				line[n] = '\0';
				return line;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

bool ptwalk_field(const char *line, const char *key, char *val, size_t len)
{
	char pat[64];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), " %s=", key);
	p = strstr(line, pat);
	if (!p)
		return false;
	p += strlen(pat);
	n = strcspn(p, " \n");
	if (n >= len)
		n = len - 1;
	memcpy(val, p, n);
	val[n] = '\0';
	return true;
}

bool ptwalk_field_u64(const char *line, const char *key, uint64_t *v)
{
	char val[64], *end;

	if (!ptwalk_field(line, key, val, sizeof(val)))
		return false;
	*v = strtoull(val, &end, 0);
	return end != val && (*end == '\0' || *end == '-');
}

bool ptwalk_field_has(const char *line, const char *key, const char *name)
{
	char val[256], *tok, *save = NULL;

	if (!ptwalk_field(line, key, val, sizeof(val)))
		return false;
	for (tok = strtok_r(val, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		if (!strcmp(tok, name))
			return true;
	return false;
}

static uint64_t read_u64_at(const char *path, uint64_t index)
{
	uint64_t v = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return 0;
	if (pread(fd, &v, sizeof(v), index * sizeof(v)) != sizeof(v))
		v = 0;
	close(fd);
	return v;
}

uint64_t pagemap_entry(pid_t pid, unsigned long addr)
{
	char path[64];

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/pagemap");
	return read_u64_at(path, addr / (uint64_t)getpagesize());
}

uint64_t kpageflags(uint64_t pfn)
{
	return read_u64_at("/proc/kpageflags", pfn);
}

uint64_t kpagecount(uint64_t pfn)
{
	return read_u64_at("/proc/kpagecount", pfn);
}

int ptwalk_count_lines(const char *text, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = text;
	int count = 0;

	while (p && *p) {
		if (!strncmp(p, prefix, n))
			count++;
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return count;
}

void ptwalk_dmesg_tail(void)
{
	if (system("dmesg | grep -i ptwalk | tail -n 5 >&2") < 0)
		perror("dmesg");
}

bool ptwalk_write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok;

	if (fd < 0)
		return false;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok;
}

bool ptwalk_read_file(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return true;
}

const char *ptwalk_swap_setup(void)
{
	char buf[4096];

	if (ptwalk_read_file("/proc/swaps", buf, sizeof(buf)) && strstr(buf, "/dev/"))
		return NULL;
	if (access("/sys/block/zram0", F_OK) &&
	    system("modprobe zram num_devices=1 >/dev/null 2>&1"))
		return "modprobe zram failed";
	if (access("/sys/block/zram0/disksize", F_OK))
		return "no /sys/block/zram0";
	ptwalk_write_file("/sys/block/zram0/disksize", "512M");
	if (system("mkswap /dev/zram0 >/dev/null 2>&1"))
		return "mkswap /dev/zram0 failed";
	if (swapon("/dev/zram0", 0) && errno != EBUSY)
		return "swapon /dev/zram0 failed";
	return NULL;
}

bool ptwalk_drop_to_nobody(void)
{
	/* Changing uid makes a process undumpable: its /proc/self/pagemap too. */
	return !setgroups(0, NULL) && !setresgid(65534, 65534, 65534) &&
	       !setresuid(65534, 65534, 65534) && geteuid() != 0 &&
	       !prctl(PR_SET_DUMPABLE, 1);
}

long ptwalk_env_long(const char *name, long def)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	v = strtol(s, &end, 0);
	return *end || v <= 0 ? def : v;
}

double ptwalk_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

bool ptwalk_wait_rss(pid_t pid, long kb)
{
	char path[64], line[256];
	double t0 = ptwalk_now();

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	while (ptwalk_now() - t0 < 60) {
		FILE *f = fopen(path, "re");
		long rss = 0;

		if (!f)
			return false;
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "VmRSS: %ld", &rss) == 1)
				break;
		fclose(f);
		if (rss >= kb)
			return true;
		usleep(20000);
	}
	return false;
}

pid_t ptwalk_spawn_touched(size_t mb, bool nohugepage)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *p = mmap(NULL, mb << 20, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		size_t i;

		if (p == MAP_FAILED)
			_exit(1);
		if (nohugepage)
			madvise(p, mb << 20, MADV_NOHUGEPAGE);
		for (i = 0; i < mb << 20; i += 4096)
			p[i] = 1;
		for (;;)
			pause();
	}
	return pid;
}
