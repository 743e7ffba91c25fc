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
#include <libgen.h>
#include <limits.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

size_t pagemap_range(pid_t pid, unsigned long addr, size_t n, uint64_t *out)
{
	char path[64];
	ssize_t got;
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/pagemap");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	got = pread(fd, out, n * PTWALK_PM_ENTRY_BYTES,
		    addr / (uint64_t)getpagesize() * PTWALK_PM_ENTRY_BYTES);
	close(fd);
	return got > 0 ? (size_t)got / PTWALK_PM_ENTRY_BYTES : 0;
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

void ptwalk_rec_vma(const union ptwalk_record *r, struct ptwalk_vma *v)
{
	/* Format 3: struct ptwalk_vma.  Needs a module that writes it. */
	*v = r->vma;
}

static bool stream_grow(struct ptwalk_stream *s, size_t *cap)
{
	struct ptwalk_rec *e;
	size_t *vo;

	if (s->n < *cap)
		return true;
	*cap = *cap ? *cap * 2 : 64;
	e = realloc(s->e, *cap * sizeof(*e));
	if (!e)
		return false;
	s->e = e;
	vo = realloc(s->vma_of, *cap * sizeof(*vo));
	if (!vo)
		return false;
	s->vma_of = vo;
	return true;
}

const char *ptwalk_parse(const char *buf, size_t len, struct ptwalk_stream *s,
			 char *why, size_t wlen)
{
	size_t off, cap = 0, vcap = 0;
	bool prev_entry = false, ended = false;

	memset(s, 0, sizeof(*s));
	if (len < sizeof(s->hdr)) {
		snprintf(why, wlen, "%zu bytes: shorter than the header", len);
		return why;
	}
	memcpy(&s->hdr, buf, sizeof(s->hdr));
	if (s->hdr.magic != PTWALK_MAGIC || s->hdr.version != PTWALK_VERSION ||
	    s->hdr.hdr_size < sizeof(s->hdr) || s->hdr.rec_size < PTWALK_REC_SIZE) {
		snprintf(why, wlen, "bad header: magic 0x%llx version %u sizes %u/%u",
			 (unsigned long long)s->hdr.magic, s->hdr.version,
			 s->hdr.hdr_size, s->hdr.rec_size);
		return why;
	}
	if ((len - s->hdr.hdr_size) % s->hdr.rec_size) {
		snprintf(why, wlen, "%zu bytes: not header + whole records", len);
		return why;
	}
	for (off = s->hdr.hdr_size; off < len; off += s->hdr.rec_size) {
		union ptwalk_record r;
		struct ptwalk_vma v;
		unsigned int i;

		memcpy(&r, buf + off, sizeof(r));
		if (ended) {
			snprintf(why, wlen, "record after END at byte %zu", off);
			return why;
		}
		switch (r.type.type) {
		case PTWALK_REC_ENTRY:
			if (!stream_grow(s, &cap))
				goto nomem;
			s->e[s->n] = r.entry;
			s->vma_of[s->n++] = s->nvma ? s->nvma - 1 : (size_t)-1;
			prev_entry = true;
			break;
		case PTWALK_REC_MORE:
			if (!prev_entry || !r.more.count || r.more.count > PTWALK_MORE_MAX) {
				snprintf(why, wlen, "MORE of %u after no entry at byte %zu",
					 r.more.count, off);
				return why;
			}
			for (i = 0; i < r.more.count; i++) {
				struct ptwalk_rec e;
				int form;

				if (!stream_grow(s, &cap))
					goto nomem;
				e = s->e[s->n - 1];
				form = ptwalk_raw_pfn_form_arch(e.raw, e.pfn, e.shift,
								s->hdr.arch);
				e.vaddr += 1ULL << e.shift;
				e.pfn = r.more.pfn[i];
				e.raw = (e.raw & ~ptwalk_raw_pfn_mask(s->hdr.arch)) |
					ptwalk_raw_pfn_field_arch(e.pfn, form, e.shift,
								  s->hdr.arch);
				s->e[s->n] = e;
				s->vma_of[s->n] = s->vma_of[s->n - 1];
				s->n++;
			}
			break;
		case PTWALK_REC_SWAPRUN:
			if (!prev_entry || !r.swaprun.count ||
			    r.swaprun.count > PTWALK_SWAPRUN_MAX ||
			    s->e[s->n - 1].kind != PTWALK_K_SWAP) {
				snprintf(why, wlen, "SWAPRUN of %u after no swap entry at byte %zu",
					 r.swaprun.count, off);
				return why;
			}
			s->swapruns++;
			for (i = 0; i < r.swaprun.count; i++) {
				struct ptwalk_rec e;

				if (!stream_grow(s, &cap))
					goto nomem;
				e = s->e[s->n - 1];
				ptwalk_swap_next(&e, !!(s->hdr.flags & PTWALK_H_PHYS_HIDDEN));
				s->e[s->n] = e;
				s->vma_of[s->n] = s->vma_of[s->n - 1];
				s->n++;
			}
			break;
		case PTWALK_REC_VMA:
			if (s->nvma == vcap) {
				struct ptwalk_vma *vs;

				vcap = vcap ? vcap * 2 : 8;
				vs = realloc(s->vma, vcap * sizeof(*vs));
				if (!vs)
					goto nomem;
				s->vma = vs;
			}
			ptwalk_rec_vma(&r, &v);
			s->vma[s->nvma++] = v;
			prev_entry = false;
			break;
		case PTWALK_REC_END:
			s->end = r.end;
			ended = true;
			break;
		case PTWALK_REC_NAME:
		case PTWALK_REC_LEVEL:
			prev_entry = false;
			break;
		default:
			snprintf(why, wlen, "record type %u at byte %zu", r.type.type, off);
			return why;
		}
	}
	if (!ended) {
		snprintf(why, wlen, "no END record (truncated)");
		return why;
	}
	return NULL;
nomem:
	snprintf(why, wlen, "out of memory");
	return why;
}

void ptwalk_stream_free(struct ptwalk_stream *s)
{
	free(s->e);
	free(s->vma_of);
	free(s->vma);
	memset(s, 0, sizeof(*s));
}

char *ptwalk_names_join(uint32_t v, uint32_t mask, const char *const *tab,
			char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < 32; i++)
		if (v & mask & (1U << i) && tab[i])
			n += snprintf(buf + n, len > n ? len - n : 0, "%s%s",
				      n ? "," : "", tab[i]);
	if (!n)
		snprintf(buf, len, "-");
	return buf;
}

const char *ptwalk_cli_path(void)
{
	static char path[PATH_MAX];
	const char *env = getenv("PTWALK_CLI");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return "../user/ptwalk";
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/../user/ptwalk", dirname(exe));
	return path;
}

int ptwalk_run(char *const argv[], char *out, size_t len)
{
	size_t have = 0;
	int pfd[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe(pfd))
		return -1;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -1;
	}
	if (!pid) {
		dup2(pfd[1], STDOUT_FILENO);
		dup2(pfd[1], STDERR_FILENO);
		close(pfd[0]);
		close(pfd[1]);
		execv(argv[0], argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		char sink[512];

		/* Past @len, drain: the child must never block on a full pipe. */
		if (have < len - 1)
			n = read(pfd[0], out + have, len - 1 - have);
		else
			n = read(pfd[0], sink, sizeof(sink));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (have < len - 1)
			have += n;
	}
	out[have] = '\0';
	close(pfd[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
