// SPDX-License-Identifier: GPL-2.0
/*
 * libptwalk.c - query ptwalk.ko and parse its binary answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libptwalk.h"
#include "ptwalk_names.h"

#define DEBUGFS_WALK	"/sys/kernel/debug/ptwalk/walk"
#define PROC_WALK	"/proc/ptwalk"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

void ptw_free(struct ptw_result *res)
{
	free(res->vmas);
	free(res->recs);
	free(res->rec_vma);
	free(res->levels);
	memset(res, 0, sizeof(*res));
}

static int grow(void **p, size_t *cap, size_t n, size_t size)
{
	void *np;

	if (n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 64;
	np = realloc(*p, *cap * size);
	if (!np)
		return -1;
	*p = np;
	return 0;
}

int ptw_parse(const void *buf, size_t len, struct ptw_result *res,
	      char *err, size_t errlen)
{
	const unsigned char *p = buf;
	size_t off, vcap = 0, rcap = 0, vmcap = 0, lcap = 0;
	struct ptwalk_hdr hdr;

	memset(res, 0, sizeof(*res));
	if (len < sizeof(hdr))
		return fail(err, errlen, "not a ptwalk stream: %zu bytes", len);
	memcpy(&hdr, p, sizeof(hdr));
	if (hdr.magic != PTWALK_MAGIC)
		return fail(err, errlen, "not a ptwalk stream (bad magic)");
	if (hdr.version != PTWALK_VERSION)
		return fail(err, errlen, "ptwalk stream version %u, this tool reads %u",
			    hdr.version, PTWALK_VERSION);
	if (hdr.hdr_size < sizeof(hdr) || hdr.hdr_size > len ||
	    hdr.rec_size < sizeof(struct ptwalk_rec) || hdr.rec_size > 4096)
		return fail(err, errlen, "corrupt ptwalk header (sizes %u/%u)",
			    hdr.hdr_size, hdr.rec_size);
	if ((len - hdr.hdr_size) % hdr.rec_size)
		return fail(err, errlen, "truncated ptwalk stream (%zu stray bytes)",
			    (len - hdr.hdr_size) % hdr.rec_size);
	res->hdr = hdr;
	res->hdr.comm[sizeof(res->hdr.comm) - 1] = '\0';

	for (off = hdr.hdr_size; off < len; off += hdr.rec_size) {
		struct ptwalk_rec r;

		memcpy(&r, p + off, sizeof(r));
		switch (r.type) {
		case PTWALK_REC_VMA:
			if (grow((void **)&res->vmas, &vcap, res->nvmas, sizeof(*res->vmas)))
				goto nomem;
			memset(&res->vmas[res->nvmas], 0, sizeof(*res->vmas));
			res->vmas[res->nvmas].start = r.vaddr;
			res->vmas[res->nvmas].end = r.swap_offset;
			res->vmas[res->nvmas].pgoff = r.raw;
			res->vmas[res->nvmas].flags = r.bits;
			res->nvmas++;
			break;
		case PTWALK_REC_NAME: {
			struct ptw_vma *v;
			size_t have, n;

			if (!res->nvmas) {
				ptw_free(res);
				return fail(err, errlen, "corrupt stream: name before any VMA");
			}
			v = &res->vmas[res->nvmas - 1];
			have = strlen(v->name);
			n = strnlen((const char *)p + off, PTWALK_NAME_BYTES);
			if (have + n < sizeof(v->name))
				memcpy(v->name + have, p + off, n);
			break;
		}
		case PTWALK_REC_ENTRY:
			if (r.kind > PTWALK_K_UNKNOWN || r.level > PTWALK_LVL_PGD ||
			    (r.shift != 12 && r.shift != 21 && r.shift != 30)) {
				ptw_free(res);
				return fail(err, errlen, "corrupt entry record at offset %zu", off);
			}
			if (grow((void **)&res->recs, &rcap, res->nrecs, sizeof(*res->recs)) ||
			    grow((void **)&res->rec_vma, &vmcap, res->nrecs, sizeof(size_t)))
				goto nomem;
			res->recs[res->nrecs] = r;
			res->rec_vma[res->nrecs] = res->nvmas ? res->nvmas - 1 : 0;
			res->nrecs++;
			break;
		case PTWALK_REC_LEVEL:
			if (grow((void **)&res->levels, &lcap, res->nlevels, sizeof(r)))
				goto nomem;
			res->levels[res->nlevels++] = r;
			break;
		default:
			ptw_free(res);
			return fail(err, errlen, "corrupt stream: record type %u at offset %zu",
				    r.type, off);
		}
	}
	return 0;
nomem:
	ptw_free(res);
	return fail(err, errlen, "out of memory");
}

/* What went wrong, in words a person can act on. */
static int explain_open(const char *path, int e, char *err, size_t errlen)
{
	if (e == ENOENT) {
		/* The module makes both files: only one missing is debugfs. */
		if (access(PROC_WALK, F_OK) == 0)
			return fail(err, errlen,
				    "debugfs is not mounted: sudo mount -t debugfs none /sys/kernel/debug");
		return fail(err, errlen,
			    "ptwalk.ko is not loaded: run 'sudo insmod ptwalk.ko' (or 'sudo modprobe ptwalk')");
	}
	if (e == EACCES)
		return fail(err, errlen,
			    "%s: permission denied: run as root to inspect other processes (/proc/ptwalk shows only your own)",
			    path);
	if (e == EPERM)
		return fail(err, errlen,
			    "%s: refused: the kernel is locked down (Secure Boot); use /proc/ptwalk for your own process",
			    path);
	return fail(err, errlen, "%s: %s", path, strerror(e));
}

/* Read @fd to its end into malloc'd memory; @path names it in errors. */
static int read_to_end(int fd, const char *path, void **bufp, size_t *lenp,
		       char *err, size_t errlen)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap), *nb;
	ssize_t n;

	if (!buf)
		return fail(err, errlen, "out of memory");
	while ((n = read(fd, buf + len, cap - len)) > 0) {
		len += n;
		if (len < cap)
			continue;
		nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			return fail(err, errlen, "out of memory");
		}
		buf = nb;
		cap *= 2;
	}
	if (n < 0) {
		n = errno;
		free(buf);
		return fail(err, errlen, "reading %s: %s", path, strerror((int)n));
	}
	*bufp = buf;
	*lenp = len;
	return 0;
}

int ptw_query(pid_t pid, const char *query, struct ptw_result *res,
	      char *err, size_t errlen)
{
	void *buf;
	size_t len;
	int ret;

	if (ptw_query_raw(pid, query, &buf, &len, err, errlen))
		return -1;
	ret = ptw_parse(buf, len, res, err, errlen);
	free(buf);
	return ret;
}

int ptw_query_raw(pid_t pid, const char *query, void **bufp, size_t *lenp,
		  char *err, size_t errlen)
{
	char q[PTWALK_QUERY_MAX + 1], why[256] = "";
	const char *path = DEBUGFS_WALK;
	ssize_t n;
	int fd, e;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM || errno == ENOENT) &&
	    pid == getpid()) {
		e = errno;
		fd = open(PROC_WALK, O_RDWR | O_CLOEXEC);
		if (fd >= 0)
			path = PROC_WALK;
		else
			errno = e;
	}
	if (fd < 0)
		return explain_open(path, errno, err, errlen);
	snprintf(q, sizeof(q), "pid=%d %s format=binary", (int)pid, query ? query : "");
	if (write(fd, q, strlen(q)) < 0) {
		e = errno;
		/* The module leaves a one-line reason to read back. */
		n = read(fd, why, sizeof(why) - 1);
		close(fd);
		if (n > 7 && !strncmp(why, "error: ", 7)) {
			why[n] = '\0';
			why[strcspn(why, "\n")] = '\0';
			return fail(err, errlen, "pid %d: %s", (int)pid, why + 7);
		}
		return fail(err, errlen, "pid %d: %s", (int)pid, strerror(e));
	}
	e = read_to_end(fd, path, bufp, lenp, err, errlen);
	close(fd);
	return e;
}

int ptw_read_file(const char *path, void **bufp, size_t *lenp, char *err,
		  size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return fail(err, errlen, "%s: %s", path, strerror(errno));
	ret = read_to_end(fd, path, bufp, lenp, err, errlen);
	close(fd);
	return ret;
}

uint64_t ptw_pages(const struct ptwalk_rec *r)
{
	return 1ULL << (r->shift - 12);
}

bool ptw_mergeable(const struct ptwalk_rec *a, size_t count,
		   const struct ptwalk_rec *b, bool phys_hidden)
{
	if (a->level != b->level || a->kind != b->kind || a->bits != b->bits ||
	    a->page != b->page || a->cow != b->cow || a->node != b->node ||
	    a->order != b->order || a->sub != b->sub || a->pkey != b->pkey ||
	    a->swap_type != b->swap_type)
		return false;
	if (b->vaddr != a->vaddr + (count << a->shift))
		return false;
	if (phys_hidden)
		return true;
	if (a->kind == PTWALK_K_SWAP)
		return b->swap_offset == a->swap_offset + count;
	return b->pfn == a->pfn + count * ptw_pages(a);
}

char *ptw_names(char *buf, size_t len, uint32_t v, uint32_t mask,
		const char *const *tab)
{
	size_t at = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 32; i++) {
		if (!(v & mask & (1U << i)) || !tab[i])
			continue;
		at += snprintf(buf + at, at < len ? len - at : 0, "%s%s",
			       at ? "," : "", tab[i]);
	}
	if (!at)
		snprintf(buf, len, "-");
	return buf;
}

char *ptw_size(char *buf, size_t len, uint64_t bytes)
{
	static const char unit[] = "KMGTP";
	double v = bytes / 1024.0;
	int u = 0;

	while (v >= 1024 && u < 4) {
		v /= 1024;
		u++;
	}
	if (v == (uint64_t)v)
		snprintf(buf, len, "%llu%c", (unsigned long long)v, unit[u]);
	else
		snprintf(buf, len, "%.1f%c", v, unit[u]);
	return buf;
}

const char *ptw_cow_words(unsigned int cow)
{
	switch (cow) {
	case PTWALK_COW_WRITABLE:
		return "writable now: a write goes straight through";
	case PTWALK_COW_REUSE:
		return "next write faults and reuses this page (only this mapping has it)";
	case PTWALK_COW_COPY:
		return "next write faults and copies the page (copy-on-write)";
	case PTWALK_COW_NONE:
		return "no copy-on-write: shared or read-only mapping";
	case PTWALK_COW_UFFD:
		return "a write is reported to userfaultfd (write-protected)";
	default:
		return "not present: a write faults a page in";
	}
}
