// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk - report the page tables of a process, level by level.
 *
 * Files:
 *   /sys/kernel/debug/ptwalk/walk    root only; any pid (query, then read)
 *   /sys/kernel/debug/ptwalk/status  which walker is used and why, live
 *                                    objects and memory (ptwalk_status_show)
 *   /proc/ptwalk                     any user; the caller's own address
 *                                    space only, PFNs hidden without
 *                                    CAP_SYS_ADMIN (like pagemap)
 *
 * The query syntax and output formats are documented in include/ptwalk.h.
 * This file is the interface: files, queries, buffers and the cursor.  The
 * walk is ptwalk_walk.c, every output byte ptwalk_fmt.c, the choice of
 * walker and the mmap lock ptwalk_walker.c, the entry bits the arch file.
 *
 * Reading follows pagemap_read(): the target's mm is pinned for the read,
 * the mmap lock is taken killable for one bounded chunk at a time, the
 * output is made into a buffer that lives for one read(2) only, and it is
 * copied to user space only after the lock is dropped.  Everything a
 * reader makes the module allocate is charged to the reader's memory
 * cgroup; between reads an open file keeps its cursor and less than one
 * unit of output (PTWALK_UNIT_MAX), never a buffer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/proc_fs.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/security.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>
#include "ptwalk_arch.h"
#include "ptwalk_fmt.h"
#include "ptwalk_internal.h"
#include "ptwalk_kernel.h"
#include "ptwalk_walk.h"
#include "ptwalk_walker.h"
#include "ptwalk_who.h"

static struct dentry *ptwalk_dir;
static struct proc_dir_entry *ptwalk_proc;

/* Live objects, shown in status so tests can check nothing leaks. */
static atomic_t ptwalk_open_files = ATOMIC_INIT(0);
static atomic_t ptwalk_answers = ATOMIC_INIT(0);
static atomic_t ptwalk_buffers = ATOMIC_INIT(0);
static atomic_long_t ptwalk_queries = ATOMIC_LONG_INIT(0);
/*
 * Kernel memory readers hold (status): "bytes" now and "bytes_peak", read
 * buffers included; "idle_bytes", what open files keep between calls
 * (their state, answers' cursors and left-over output).  ksize() of each
 * allocation, so slab rounding counts.
 */
static atomic_long_t ptwalk_bytes = ATOMIC_LONG_INIT(0);
static atomic_long_t ptwalk_bytes_peak = ATOMIC_LONG_INIT(0);
static atomic_long_t ptwalk_idle_bytes = ATOMIC_LONG_INIT(0);

/*
 * Read buffers.  A 64 KiB kmalloc() is an order-4 compound page from the
 * page allocator on every read (measured: a third of a GiB-of-THP query);
 * a cache keeps them.  SLAB_ACCOUNT charges each to the reader's memory
 * cgroup; whitelisted whole for copy_to_user() (HARDENED_USERCOPY).  A
 * short read gets a kmalloc() of about its own size instead.
 *
 * With init_on_alloc (Debian's default) every allocation from the cache
 * is also zeroed, 64 KiB per read: about 85 us of a 190 us one-THP query
 * in a 6.1 guest.  So one buffer is kept between debugfs reads.  Its old
 * bytes never reach user space (a read copies only what it wrote) and it
 * only ever passes between debugfs readers, who may walk any process
 * anyway; /proc/ptwalk readers always get a fresh buffer.
 */
static struct kmem_cache *ptwalk_buf_cache;
static char *ptwalk_spare_buf;

/*
 * What a reader makes the module allocate: charged to its memory cgroup,
 * and refused (ENOMEM, the reason readable) rather than retried or OOM
 * killing inside the cgroup when its limit is reached.
 */
#define PTWALK_GFP_READER	(GFP_KERNEL_ACCOUNT | __GFP_NORETRY | __GFP_NOWARN)

static void ptwalk_note_bytes(long delta)
{
	long now = atomic_long_add_return(delta, &ptwalk_bytes);
	long peak = atomic_long_read(&ptwalk_bytes_peak);

	while (now > peak &&
	       !atomic_long_try_cmpxchg(&ptwalk_bytes_peak, &peak, now))
		;
}

/* Memory an open file keeps between calls: counted in and out here. */
static void *ptwalk_idle_alloc(size_t size)
{
	void *p = kzalloc(size, PTWALK_GFP_READER);

	if (p) {
		atomic_long_add(ksize(p), &ptwalk_idle_bytes);
		ptwalk_note_bytes(ksize(p));
	}
	return p;
}

static void ptwalk_idle_free(void *p)
{
	if (!p)
		return;
	atomic_long_sub(ksize(p), &ptwalk_idle_bytes);
	ptwalk_note_bytes(-(long)ksize(p));
	kfree(p);
}

/* This read's buffer, for a request of @count bytes (ctx->buf, ->cap). */
static int ptwalk_buf_alloc(struct ptwalk_ctx *ctx, bool debugfs, size_t count)
{
	size_t cap = min_t(size_t, PTWALK_BUF_SIZE, count + PTWALK_UNIT_MAX);

	ctx->buf = NULL;
	if (debugfs || cap == PTWALK_BUF_SIZE) {
		cap = PTWALK_BUF_SIZE;
		if (debugfs)
			ctx->buf = xchg(&ptwalk_spare_buf, NULL);
		if (!ctx->buf)
			ctx->buf = kmem_cache_alloc(ptwalk_buf_cache, PTWALK_GFP_READER);
	} else {
		ctx->buf = kmalloc(cap, PTWALK_GFP_READER);
	}
	if (!ctx->buf)
		return -ENOMEM;
	ctx->cap = cap;
	atomic_inc(&ptwalk_buffers);
	ptwalk_note_bytes(cap);
	return 0;
}

static void ptwalk_buf_free(struct ptwalk_ctx *ctx, bool debugfs)
{
	if (!ctx->buf)
		return;
	atomic_dec(&ptwalk_buffers);
	ptwalk_note_bytes(-(long)ctx->cap);
	if (ctx->cap != PTWALK_BUF_SIZE)
		kfree(ctx->buf);
	else if (!debugfs || cmpxchg(&ptwalk_spare_buf, NULL, ctx->buf))
		kmem_cache_free(ptwalk_buf_cache, ctx->buf);
	ctx->buf = NULL;
	ctx->cap = 0;
}

/**
 * struct ptwalk_file - state of one open walk file
 * @lock: serialises writes and reads on this file
 * @procfs: opened through /proc/ptwalk (own process only)
 * @opener_mm: procfs: the opener's mm (mmgrab), the only one it may query
 * @show_phys: the opener may see PFNs (CAP_SYS_ADMIN at open, like pagemap)
 * @ctx: the current query and its cursor, or NULL
 * @why: reason the last query failed, shown by read
 * @why_off: bytes of the reason already returned
 * @pos: bytes of the answer returned so far
 * @left: output made by an earlier read and not yet returned, less than
 *	one unit (PTWALK_UNIT_MAX), or NULL
 * @left_len: bytes in @left
 * @left_off: bytes of @left already returned
 */
struct ptwalk_file {
	struct mutex lock;
	bool procfs;
	bool show_phys;
	struct mm_struct *opener_mm;
	struct ptwalk_ctx *ctx;
	const char *why;
	size_t why_off;
	loff_t pos;
	char *left;
	size_t left_len;
	size_t left_off;
};

static void ptwalk_ctx_free(struct ptwalk_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->mm)
		mmdrop(ctx->mm);
	ptwalk_kernel_free(ctx);
	ptwalk_idle_free(ctx->who);
	ptwalk_idle_free(ctx->sums);
	atomic_dec(&ptwalk_answers);
	ptwalk_idle_free(ctx);
}

static void ptwalk_left_free(struct ptwalk_file *pf)
{
	ptwalk_idle_free(pf->left);
	pf->left = NULL;
	pf->left_len = 0;
	pf->left_off = 0;
}

/* Forget the current answer; the next read says @why.  Under pf->lock. */
static void ptwalk_drop_answer(struct ptwalk_file *pf, const char *why)
{
	ptwalk_ctx_free(pf->ctx);
	pf->ctx = NULL;
	ptwalk_left_free(pf);
	pf->why = why;
	pf->why_off = 0;
	pf->pos = 0;
}

static int ptwalk_open(struct inode *inode, struct file *file, bool procfs)
{
	struct ptwalk_file *pf;

	pf = ptwalk_idle_alloc(sizeof(*pf));
	if (!pf)
		return -ENOMEM;
	mutex_init(&pf->lock);
	pf->procfs = procfs;
	/* Decided at open, like pagemap: passing the fd on does not widen it. */
	pf->show_phys = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
	pf->why = "no query yet: write one first, e.g. 'pid=self'";
	/*
	 * Like pagemap, bind /proc/ptwalk to the address space that opened
	 * it: an fd kept across exec of a setuid program, or passed to another
	 * process, never shows a different address space.
	 */
	if (procfs) {
		pf->opener_mm = current->mm;
		if (!pf->opener_mm) {
			ptwalk_idle_free(pf);
			return -EINVAL;
		}
		mmgrab(pf->opener_mm);
	}
	file->private_data = pf;
	atomic_inc(&ptwalk_open_files);
	/*
	 * A stream: no seeks, no pread, and no f_pos_lock, which the VFS
	 * would otherwise hold (uninterruptibly) across a read stalled in
	 * copy_to_user() and make every other call on the file wait for it.
	 */
	return stream_open(inode, file);
}

static int ptwalk_open_debugfs(struct inode *inode, struct file *file)
{
	return ptwalk_open(inode, file, false);
}

static int ptwalk_release(struct inode *inode, struct file *file)
{
	struct ptwalk_file *pf = file->private_data;

	ptwalk_ctx_free(pf->ctx);
	ptwalk_left_free(pf);
	if (pf->opener_mm)
		mmdrop(pf->opener_mm);
	mutex_destroy(&pf->lock);
	ptwalk_idle_free(pf);
	atomic_dec(&ptwalk_open_files);
	return 0;
}

/* Pin the target's mm (mmgrab) after the access checks. */
static int ptwalk_get_target(struct ptwalk_file *pf, struct ptwalk_ctx *ctx)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid;

	if (pf->procfs && ctx->q.pid && ctx->q.pid != task_tgid_vnr(current)) {
		pf->why = "/proc/ptwalk shows only the caller's own address space";
		return -EPERM;
	}
	if (!ctx->q.pid) {
		pid = get_task_pid(current, PIDTYPE_TGID);
	} else {
		pid = find_get_pid(ctx->q.pid);
		if (!pid) {
			pf->why = "no such process";
			return -ESRCH;
		}
	}
	task = get_pid_task(pid, PIDTYPE_TGID);
	if (!task)
		task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task) {
		pf->why = "no such process";
		return -ESRCH;
	}
	if (task->flags & PF_KTHREAD) {
		put_task_struct(task);
		pf->why = "kernel thread: it has no user address space";
		return -EINVAL;
	}
	ctx->pid = ctx->q.pid ? ctx->q.pid : task_tgid_vnr(current);
	get_task_comm(ctx->comm, task);
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm) {
		pf->why = "process has exited (zombie or exiting): no address space";
		return -ESRCH;
	}
	if (pf->procfs && mm != pf->opener_mm) {
		mmput(mm);
		pf->why = "/proc/ptwalk was opened by another address space (exec?)";
		return -EPERM;
	}
	mmgrab(mm);
	mmput(mm);
	ctx->mm = mm;
	return 0;
}

/* Start the answer again from its header (a new query, or a read at 0). */
static void ptwalk_rewind(struct ptwalk_ctx *ctx)
{
	ctx->phase = PTWALK_PH_HEADER;
	ctx->end_status = PTWALK_END_COMPLETE;
	ctx->error = 0;
	ctx->next = ctx->start;
	ctx->vma_start = ULONG_MAX;
	ctx->run_pages = 0;
	ctx->emitted = 0;
	ctx->vmas = 0;
	ctx->have_last = false;
	ctx->last_gen = 0;
	ctx->swap_next_raw = 0;
}

/*
 * A pfn= query (who maps): it looks into every process, so only root on
 * debugfs may ask; /proc/ptwalk refuses it whoever asks.
 * Return: 0, or -errno with pf->why set.
 */
static int ptwalk_setup_who(struct ptwalk_file *pf, struct ptwalk_ctx *ctx)
{
	int ret;

	if (pf->procfs) {
		pf->why = "pfn= (who maps) looks into every process: debugfs only, not /proc/ptwalk";
		return -EPERM;
	}
	if (!pf->show_phys) {
		pf->why = "pfn= (who maps) needs CAP_SYS_ADMIN";
		return -EPERM;
	}
	ctx->walker = ctx->q.walker ? ctx->q.walker : ptwalk_walker_default();
	if (!ptwalk_walker_available(ctx->walker)) {
		pf->why = "kernel walker unavailable here (see status)";
		return -EOPNOTSUPP;
	}
	ctx->who = ptwalk_idle_alloc(sizeof(*ctx->who));
	if (!ctx->who) {
		pf->why = "out of memory (or the memory cgroup's limit reached)";
		return -ENOMEM;
	}
	ctx->show_phys = true;
	ctx->online_sec = ULONG_MAX;
	ret = ptwalk_who_setup(ctx, &pf->why);
	if (ret)
		return ret;
	ctx->start = ctx->q.start;
	ctx->end = ctx->q.end;
	ptwalk_rewind(ctx);
	ctx->next = 0;
	return 0;
}

/*
 * kernel=1 or kaddr=: the kernel's page tables.  Kernel addresses are
 * KASLR secrets: only root (CAP_SYS_ADMIN at open) on debugfs may ask.
 * pid= picks the PGD (the kernel half is the same in every one; the user
 * half and the KPTI user copy are the process's); default the reader.
 * Return: 0, or -errno with pf->why set.
 */
static int ptwalk_setup_kernel(struct ptwalk_file *pf, struct ptwalk_ctx *ctx)
{
	int ret;

	if (pf->procfs) {
		pf->why = "kernel=1/kaddr= show kernel addresses (KASLR secrets): debugfs only, not /proc/ptwalk";
		return -EPERM;
	}
	if (!pf->show_phys) {
		pf->why = "kernel=1/kaddr= need CAP_SYS_ADMIN";
		return -EPERM;
	}
	ret = ptwalk_kernel_setup(ctx, &pf->why);
	if (ret)
		return ret;
	ret = ptwalk_get_target(pf, ctx);
	if (ret)
		return ret;
	ptwalk_rewind(ctx);
	return 0;
}

/*
 * Parse the query in @kbuf into @ctx and pin its target.
 * Return: 0, or -errno with pf->why set.
 */
static int ptwalk_setup_query(struct ptwalk_file *pf, struct ptwalk_ctx *ctx,
			      const char *kbuf, size_t count)
{
	const char *why = NULL;
	int ret;

	ret = ptwalk_parse_query(kbuf, count, &ctx->q, &why);
	if (ret) {
		pf->why = why;
		return ret;
	}
	if (ctx->q.who)
		return ptwalk_setup_who(pf, ctx);
	if (ctx->q.kernel || ctx->q.kaddr)
		return ptwalk_setup_kernel(pf, ctx);
	if (!pf->procfs && !ctx->q.has_pid) {
		pf->why = "pid= is required (a number, or 'self')";
		return -EINVAL;
	}
	ctx->start = 0;
	ctx->end = TASK_SIZE_MAX;
	if (ctx->q.single || ctx->q.has_range) {
		if (ctx->q.end > TASK_SIZE_MAX) {
			pf->why = "address beyond user space (kernel or non-canonical)";
			return -EINVAL;
		}
		ctx->start = ctx->q.start & PAGE_MASK;
		ctx->end = PAGE_ALIGN(ctx->q.end);
	}
	ctx->walker = ctx->q.walker ? ctx->q.walker : ptwalk_walker_default();
	if (!ptwalk_walker_available(ctx->walker)) {
		pf->why = "kernel walker unavailable here (see status)";
		return -EOPNOTSUPP;
	}
	if (ctx->q.format == PTWALK_FMT_SUMMARY) {
		ctx->sums = ptwalk_idle_alloc(sizeof(*ctx->sums));
		if (!ctx->sums) {
			pf->why = "out of memory (or the memory cgroup's limit reached)";
			return -ENOMEM;
		}
	}
	ctx->show_phys = pf->show_phys;
	ctx->online_sec = ULONG_MAX;
	ret = ptwalk_get_target(pf, ctx);
	if (ret)
		return ret;
	ptwalk_rewind(ctx);
	return 0;
}

/*
 * A query replaces the file's answer.  Every sleep on the caller's behalf
 * is interruptible: a reader stalled in copy_to_user() (a userfaultfd or
 * FUSE-backed buffer) holds pf->lock, and a writer waiting for it must
 * stay killable and interruptible.
 */
static ssize_t ptwalk_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct ptwalk_file *pf = file->private_data;
	char kbuf[PTWALK_QUERY_MAX + 1];
	struct ptwalk_ctx *ctx;
	const char *why = NULL;
	int ret = 0;

	if (count > PTWALK_QUERY_MAX) {
		why = "query longer than 256 bytes";
		ret = -EINVAL;
	} else if (copy_from_user(kbuf, ubuf, count)) {
		/* Copied before the lock: a stalled copy holds nothing. */
		why = "the query could not be read (bad address)";
		ret = -EFAULT;
	}
	if (mutex_lock_interruptible(&pf->lock))
		return -EINTR;
	ptwalk_drop_answer(pf, why);
	if (ret)
		goto out_unlock;
	/*
	 * An answer kept between reads costs its file about 1 KiB
	 * (trust_test.idle_answer_cost): the context stays in kmalloc-512.
	 */
	BUILD_BUG_ON(sizeof(*ctx) > 512);
	ctx = ptwalk_idle_alloc(sizeof(*ctx));
	if (!ctx) {
		pf->why = "out of memory (or the memory cgroup's limit reached)";
		ret = -ENOMEM;
		goto out_unlock;
	}
	atomic_inc(&ptwalk_answers);
	ret = ptwalk_setup_query(pf, ctx, kbuf, count);
	if (ret) {
		ptwalk_ctx_free(ctx);
		goto out_unlock;
	}
	pf->ctx = ctx;
	atomic_long_inc(&ptwalk_queries);
	mutex_unlock(&pf->lock);
	/* The answer is read from its start through this same open file. */
	return count;

out_unlock:
	mutex_unlock(&pf->lock);
	return ret;
}

/*
 * One phase step of a single-address answer: the level records, which go
 * out together (at most five, so the whole buffer is theirs).
 * Return: 0 or -errno.
 */
static int ptwalk_produce_translate(struct ptwalk_ctx *ctx)
{
	size_t soft = ctx->soft;
	int ret;

	if (!mmget_not_zero(ctx->mm)) {
		ctx->end_status = PTWALK_END_EXITED;
		ctx->phase = PTWALK_PH_TAIL;
		return 0;
	}
	ctx->soft = ctx->cap;
	ret = ptwalk_translate(ctx);
	ctx->soft = soft;
	mmput(ctx->mm);
	if (!ret)
		ctx->phase = PTWALK_PH_WALK;
	return ret;
}

/*
 * One chunk of the walk (ptwalk_walk_chunk()).  An error other than being
 * killed ends the answer, said in the end record, never silently.
 * Return: 0, or -EINTR when the reader is dying.
 */
static int ptwalk_produce_chunk(struct ptwalk_ctx *ctx)
{
	int ret;

	if (ctx->next >= ctx->end) {
		ctx->phase = PTWALK_PH_TAIL;
		return 0;
	}
	if (fatal_signal_pending(current))
		return -EINTR;
	if (!mmget_not_zero(ctx->mm)) {
		ctx->end_status = PTWALK_END_EXITED;
		ctx->phase = PTWALK_PH_TAIL;
		return 0;
	}
	ret = ptwalk_walk_chunk(ctx);
	mmput(ctx->mm);
	if (ret == -EINTR)
		return ret;	/* killed: the answer dies with it */
	if (ret) {
		ctx->end_status = PTWALK_END_STOPPED;
		ctx->error = ret;
		ctx->phase = PTWALK_PH_TAIL;
		return 0;
	}
	cond_resched();
	return 0;
}

/*
 * Fill ctx->buf (emptied first) with the next piece of the answer, up to
 * about ctx->soft bytes.  The mmap lock is held only inside
 * ptwalk_walk_chunk()/ptwalk_translate(), never across the copy.
 * Return: 0 (ctx->phase == PTWALK_PH_EOF once all is produced) or -errno
 * when the reader is dying; never a positive value.
 */
static int ptwalk_produce(struct ptwalk_ctx *ctx)
{
	int ret = 0;

	ptwalk_buf_reset(ctx);
	while (!ret && !ctx->full) {
		switch (ctx->phase) {
		case PTWALK_PH_HEADER:
			if (ctx->kern)
				ptwalk_kernel_header(ctx);
			else
				ptwalk_emit_header(ctx);
			ctx->phase = ctx->q.single ? PTWALK_PH_TRANSLATE : PTWALK_PH_WALK;
			break;
		case PTWALK_PH_TRANSLATE:
			ret = ptwalk_produce_translate(ctx);
			break;
		case PTWALK_PH_WALK:
			ret = ctx->who ? ptwalk_who_chunk(ctx) :
			      ctx->kern ? ptwalk_kernel_chunk(ctx) :
					 ptwalk_produce_chunk(ctx);
			break;
		case PTWALK_PH_TAIL:
			if (ctx->kern ? 0 : ctx->who ? ptwalk_who_tail(ctx) :
			    ptwalk_emit_tail(ctx))
				return 0;	/* printed by the next read */
			ctx->phase = PTWALK_PH_END;
			break;
		case PTWALK_PH_END:
			if (ptwalk_emit_end(ctx))
				return 0;
			ctx->phase = PTWALK_PH_EOF;
			return 0;
		default:
			return 0;
		}
	}
	return ret < 0 ? ret : 0;
}

/* Hand out what an earlier read made and could not return.  Under pf->lock. */
static ssize_t ptwalk_read_left(struct ptwalk_file *pf, char __user *ubuf,
				size_t count)
{
	size_t n = min(count, pf->left_len - pf->left_off);

	if (copy_to_user(ubuf, pf->left + pf->left_off, n))
		return -EFAULT;
	pf->left_off += n;
	if (pf->left_off == pf->left_len)
		ptwalk_left_free(pf);
	return n;
}

/*
 * copy_to_user() of an answer by 8-byte stores.  On x86 CPUs without
 * FSRM, copy_to_user() of 64 bytes or more is "rep movsb", which QEMU's
 * TCG (the guests every test and bench of this project run in) executes a
 * byte per iteration: for text answers (about 170 bytes an entry against
 * pagemap's 8) that was a fifth of the cost.  A fault is -EFAULT, as any
 * short copy_to_user() is below.
 */
/* @kbuf: 8-byte aligned (kmalloc()). */
static int ptwalk_copy_out(char __user *ubuf, const char *kbuf, size_t n)
{
	size_t i = 0;

	if (!user_access_begin(ubuf, n))
		return -EFAULT;
	for (; i + 8 <= n; i += 8)
		unsafe_put_user(*(const u64 *)(kbuf + i),
				(u64 __user *)(ubuf + i), efault);
	for (; i < n; i++)
		unsafe_put_user(kbuf[i], ubuf + i, efault);
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/* The answer's next bytes, made for this read.  Under pf->lock. */
static ssize_t ptwalk_read_answer(struct ptwalk_file *pf, char __user *ubuf,
				  size_t count)
{
	struct ptwalk_ctx *ctx = pf->ctx;
	ssize_t done = 0;
	int ret;

	if (ctx->phase == PTWALK_PH_EOF)
		return 0;
	ret = ptwalk_buf_alloc(ctx, !pf->procfs, count);
	if (ret)
		return ret;
	while (count && ctx->phase != PTWALK_PH_EOF) {
		size_t n;

		ctx->soft = min(count, ctx->cap - PTWALK_UNIT_MAX);
		ret = ptwalk_produce(ctx);
		if (ret)
			break;
		n = min(count, ctx->len);
		/* No lock of the target is held here. */
		if (ptwalk_copy_out(ubuf + done, ctx->buf, n)) {
			ret = -EFAULT;
			break;
		}
		done += n;
		count -= n;
		if (n < ctx->len) {
			/* Less than one unit: kept for the next read. */
			pf->left = ptwalk_idle_alloc(ctx->len - n);
			if (!pf->left) {
				ret = -ENOMEM;
				break;
			}
			memcpy(pf->left, ctx->buf + n, ctx->len - n);
			pf->left_len = ctx->len - n;
			break;
		}
	}
	ptwalk_buf_free(ctx, !pf->procfs);
	if (ret == -ENOMEM || ret == -EFAULT) {
		/* Bytes of the answer are lost: it cannot go on, say why. */
		ptwalk_drop_answer(pf, ret == -ENOMEM ?
				   "out of memory (or the memory cgroup's limit reached) during the answer" :
				   "the answer could not be copied (bad address) and was dropped");
	}
	return done ? done : ret;
}

static ssize_t ptwalk_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	struct ptwalk_file *pf = file->private_data;
	ssize_t ret = 0;

	if (mutex_lock_interruptible(&pf->lock))
		return -EINTR;
	if (!pf->ctx) {
		/*
		 * A failed or missing query: say why, once, wherever the file
		 * offset is (a failed write does not move it).
		 */
		char msg[160];
		size_t n = scnprintf(msg, sizeof(msg), "error: %s\n", pf->why);

		if (pf->why_off < n) {
			ret = min(count, n - pf->why_off);
			if (copy_to_user(ubuf, msg + pf->why_off, ret))
				ret = -EFAULT;
			else
				pf->why_off += ret;
		}
		goto out;
	}
	if (pf->left)
		ret = ptwalk_read_left(pf, ubuf, count);
	else if (count)
		ret = ptwalk_read_answer(pf, ubuf, count);
	if (ret > 0)
		pf->pos += ret;
out:
	mutex_unlock(&pf->lock);
	return ret;
}

static const struct file_operations ptwalk_walk_fops = {
	.owner		= THIS_MODULE,
	.open		= ptwalk_open_debugfs,
	.release	= ptwalk_release,
	.read		= ptwalk_read,
	.write		= ptwalk_write,
};

/*
 * procfs has no file owner: rmmod may run while /proc/ptwalk is open, and
 * proc_remove() then waits for calls in progress.  A call holds a module
 * reference for its duration, so a reader stalled in copy_to_user() makes
 * rmmod fail with EBUSY instead of waiting for it; once unloading has
 * begun, new calls fail with ENODEV.
 */
static int ptwalk_open_procfs(struct inode *inode, struct file *file)
{
	int ret;

	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	ret = ptwalk_open(inode, file, true);
	module_put(THIS_MODULE);
	return ret;
}

static ssize_t ptwalk_proc_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	ssize_t ret;

	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	ret = ptwalk_read(file, ubuf, count, ppos);
	module_put(THIS_MODULE);
	return ret;
}

static ssize_t ptwalk_proc_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	ssize_t ret;

	if (!try_module_get(THIS_MODULE))
		return -ENODEV;
	ret = ptwalk_write(file, ubuf, count, ppos);
	module_put(THIS_MODULE);
	return ret;
}

static const struct proc_ops ptwalk_proc_ops = {
	.proc_open	= ptwalk_open_procfs,
	.proc_release	= ptwalk_release,
	.proc_read	= ptwalk_proc_read,
	.proc_write	= ptwalk_proc_write,
};

static int ptwalk_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "version: %d\n", PTWALK_VERSION);
	seq_printf(m, "kernel: %s\n", utsname()->release);
	seq_printf(m, "paging: %d-level\n", ptwalk_arch_paging_levels());
	ptwalk_walker_status(m);
	ptwalk_kernel_status(m);
	seq_printf(m, "open_files: %d\n", atomic_read(&ptwalk_open_files));
	seq_printf(m, "answers: %d\n", atomic_read(&ptwalk_answers));
	seq_printf(m, "buffers: %d\n", atomic_read(&ptwalk_buffers));
	seq_printf(m, "queries: %ld\n", atomic_long_read(&ptwalk_queries));
	seq_printf(m, "bytes: %ld\n", atomic_long_read(&ptwalk_bytes));
	seq_printf(m, "bytes_peak: %ld\n", atomic_long_read(&ptwalk_bytes_peak));
	seq_printf(m, "idle_bytes: %ld\n", atomic_long_read(&ptwalk_idle_bytes));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ptwalk_status);

static int __init ptwalk_init(void)
{
	const char *why;
	int ret;

	ret = ptwalk_arch_check(&why);
	if (ret) {
		pr_err("cannot decode this kernel's page tables: %s\n", why);
		return ret;
	}
	ret = ptwalk_walker_init();
	if (ret)
		return ret;
	ptwalk_kernel_init();

	ptwalk_buf_cache = kmem_cache_create_usercopy("ptwalk_buf", PTWALK_BUF_SIZE,
						      0, SLAB_ACCOUNT, 0,
						      PTWALK_BUF_SIZE, NULL);
	if (!ptwalk_buf_cache)
		return -ENOMEM;

	ptwalk_dir = debugfs_create_dir("ptwalk", NULL);
	if (IS_ERR(ptwalk_dir)) {
		pr_err("cannot create debugfs directory (debugfs disabled or locked down?)\n");
		kmem_cache_destroy(ptwalk_buf_cache);
		return PTR_ERR(ptwalk_dir);
	}
	debugfs_create_file("walk", 0600, ptwalk_dir, NULL, &ptwalk_walk_fops);
	debugfs_create_file("status", 0400, ptwalk_dir, NULL, &ptwalk_status_fops);

	ptwalk_proc = proc_create("ptwalk", 0666, NULL, &ptwalk_proc_ops);
	if (!ptwalk_proc) {
		debugfs_remove_recursive(ptwalk_dir);
		kmem_cache_destroy(ptwalk_buf_cache);
		pr_err("cannot create /proc/ptwalk\n");
		return -ENOMEM;
	}

	/* debugfs refuses non-world-readable files under lockdown. */
	if (security_locked_down(LOCKDOWN_DEBUGFS))
		pr_warn("kernel locked down: %s/walk will refuse access; /proc/ptwalk (own process) still works\n",
			"/sys/kernel/debug/ptwalk");
	return 0;
}

static void __exit ptwalk_exit(void)
{
	/* Both wait for their files' readers: every buffer is back after. */
	proc_remove(ptwalk_proc);
	debugfs_remove_recursive(ptwalk_dir);
	if (ptwalk_spare_buf)
		kmem_cache_free(ptwalk_buf_cache, ptwalk_spare_buf);
	kmem_cache_destroy(ptwalk_buf_cache);
	ptwalk_walker_exit();
}

module_init(ptwalk_init);
module_exit(ptwalk_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The ptwalk authors");
MODULE_DESCRIPTION("Report a process's page tables through debugfs and procfs");
