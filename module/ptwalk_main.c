// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk - report the page tables of a process, level by level.
 *
 * Files:
 *   /sys/kernel/debug/ptwalk/walk    root only; any pid (query, then read)
 *   /sys/kernel/debug/ptwalk/status  which walker is used, and why
 *   /proc/ptwalk                     any user; the caller's own address
 *                                    space only, PFNs hidden without
 *                                    CAP_SYS_ADMIN (like pagemap)
 *
 * The query syntax and output formats are documented in include/ptwalk.h.
 *
 * Reading follows pagemap_read(): the target's mm is pinned for the read,
 * the mmap lock is taken killable for one bounded chunk at a time, and the
 * output is copied to user space only after the lock is dropped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kprobes.h>
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
#include <asm/cpufeature.h>
#include "ptwalk_compat.h"
#include "ptwalk_internal.h"

static char *walker = "auto";
module_param(walker, charp, 0444);
MODULE_PARM_DESC(walker,
		 "auto (kernel walker where provably safe), kernel or builtin");

static int ptwalk_default_walker;
static const char *ptwalk_walker_reason = "not resolved";
static struct dentry *ptwalk_dir;
static struct proc_dir_entry *ptwalk_proc;

/* Live objects, shown in status so tests can check nothing leaks. */
static atomic_t ptwalk_open_files = ATOMIC_INIT(0);
static atomic_t ptwalk_buffers = ATOMIC_INIT(0);
static atomic_long_t ptwalk_queries = ATOMIC_LONG_INIT(0);
/* Kernel memory of live readers now and at most (status: bytes, bytes_peak). */
static atomic_long_t ptwalk_bytes = ATOMIC_LONG_INIT(0);
static atomic_long_t ptwalk_bytes_peak = ATOMIC_LONG_INIT(0);
/* mmap-lock holds and the longest one since load (status). */
static atomic_long_t ptwalk_lock_holds = ATOMIC_LONG_INIT(0);
static atomic64_t ptwalk_lock_hold_max = ATOMIC64_INIT(0);

/*
 * Readers' buffers.  A 64 KiB kmalloc() is an order-4 compound page from
 * the page allocator on every query (measured: a third of a GiB-of-THP
 * query); a cache keeps them.  Whitelisted whole for copy_to_user()
 * (CONFIG_HARDENED_USERCOPY).  kvmalloc() when the cache has none.
 *
 * With init_on_alloc (Debian's default) every allocation from the cache
 * is also zeroed, 64 KiB per query: about 85 us of a 190 us one-THP query
 * in a 6.1 guest.  So one buffer is kept between debugfs queries.  Its old
 * bytes never reach user space (a reader copies only what its own query
 * wrote) and it only ever passes between debugfs readers, who may walk any
 * process anyway; /proc/ptwalk readers always get a zeroed buffer.
 */
static struct kmem_cache *ptwalk_buf_cache;
static char *ptwalk_spare_buf;

static void ptwalk_buf_alloc(struct ptwalk_ctx *ctx, bool debugfs)
{
	ctx->buf_debugfs = debugfs;
	ctx->buf = debugfs ? xchg(&ptwalk_spare_buf, NULL) : NULL;
	if (!ctx->buf)
		ctx->buf = kmem_cache_alloc(ptwalk_buf_cache,
					    GFP_KERNEL | __GFP_NOWARN);
	ctx->buf_cached = ctx->buf != NULL;
	if (!ctx->buf)
		ctx->buf = kvmalloc(PTWALK_BUF_SIZE, GFP_KERNEL);
}

static void ptwalk_buf_free(struct ptwalk_ctx *ctx)
{
	if (!ctx->buf_cached) {
		kvfree(ctx->buf);
		return;
	}
	if (ctx->buf_debugfs && !cmpxchg(&ptwalk_spare_buf, NULL, ctx->buf))
		return;
	kmem_cache_free(ptwalk_buf_cache, ctx->buf);
}

/* What one reader's query allocates: its context and its buffer. */
#define PTWALK_CTX_BYTES	((long)(sizeof(struct ptwalk_ctx) + PTWALK_BUF_SIZE))

static void ptwalk_note_bytes(long delta)
{
	long now = atomic_long_add_return(delta, &ptwalk_bytes);
	long peak = atomic_long_read(&ptwalk_bytes_peak);

	while (now > peak &&
	       !atomic_long_try_cmpxchg(&ptwalk_bytes_peak, &peak, now))
		;
}

/**
 * ptwalk_note_lock_hold - account one mmap-lock hold for the status file
 * @ns: how long the lock was held
 *
 * Locking: none needed; called after the lock is dropped.
 */
void ptwalk_note_lock_hold(u64 ns)
{
	s64 max = atomic64_read(&ptwalk_lock_hold_max);

	atomic_long_inc(&ptwalk_lock_holds);
	while ((s64)ns > max &&
	       !atomic64_try_cmpxchg(&ptwalk_lock_hold_max, &max, ns))
		;
}

/**
 * struct ptwalk_file - state of one open walk file
 * @lock: serialises writes and reads on this file
 * @procfs: opened through /proc/ptwalk (own process only)
 * @opener_mm: procfs: the opener's mm (mmgrab), the only one it may query
 * @show_phys: the opener may see PFNs (CAP_SYS_ADMIN at open, like pagemap)
 * @ctx: the current query and its output, or NULL
 * @why: reason the last query failed, shown by read
 * @pos: stream offset of ctx->buf[0]
 * @off: bytes of ctx->buf already returned
 * @started: header emitted
 * @eof: nothing more to produce
 */
struct ptwalk_file {
	struct mutex lock;
	bool procfs;
	bool show_phys;
	struct mm_struct *opener_mm;
	struct ptwalk_ctx *ctx;
	const char *why;
	loff_t pos;
	size_t off;
	bool started;
	bool eof;
};

static const char *ptwalk_walker_name(int w)
{
	return w == PTWALK_WALKER_KERNEL ? "kernel" : "builtin";
}

#define PTWALK_ENDBR64	0xfa1e0ff3U	/* f3 0f 1e fa */

/*
 * Find walk_page_range() (not exported) through a kprobe registered
 * disabled, so no code is patched, and decide whether it may be called
 * through a pointer.  On a CPU enforcing IBT an indirect call must land on
 * an ENDBR, which apply_seal_endbr() removes from functions whose address
 * the kernel never takes (walk_page_range is one): then only the builtin
 * walker is safe.
 */
static int ptwalk_resolve_kernel_walker(void)
{
	struct kprobe kp = {
		.symbol_name = "walk_page_range",
		.flags = KPROBE_FLAG_DISABLED,
	};
	unsigned long addr, start;
	u32 insn = 0, before = 0;
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		ptwalk_walker_reason = "walk_page_range not found (kprobes unavailable)";
		return ret;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);

	/* kprobes skip an intact ENDBR: kp.addr is then function + 4. */
	start = addr;
	if (!get_kernel_nofault(before, (u32 *)(addr - 4)) &&
	    before == PTWALK_ENDBR64)
		start = addr - 4;
	if (get_kernel_nofault(insn, (u32 *)start)) {
		ptwalk_walker_reason = "walk_page_range unreadable";
		return -EFAULT;
	}
	if (cpu_feature_enabled(X86_FEATURE_IBT) && insn != PTWALK_ENDBR64) {
		ptwalk_walker_reason =
			"IBT enforced and walk_page_range has no ENDBR (sealed)";
		return -EOPNOTSUPP;
	}
	ptwalk_kernel_walk = (ptwalk_walk_fn)start;
	ptwalk_walker_reason = cpu_feature_enabled(X86_FEATURE_IBT) ?
		"IBT enforced, walk_page_range has an ENDBR" :
		"IBT not enforced on this CPU";
	return 0;
}

static int ptwalk_pick_walker(void)
{
	int ret = ptwalk_resolve_kernel_walker();

	if (!strcmp(walker, "builtin")) {
		ptwalk_default_walker = PTWALK_WALKER_BUILTIN;
	} else if (!strcmp(walker, "kernel")) {
		if (ret) {
			pr_err("walker=kernel refused: %s\n", ptwalk_walker_reason);
			return ret;
		}
		ptwalk_default_walker = PTWALK_WALKER_KERNEL;
	} else if (!strcmp(walker, "auto")) {
		ptwalk_default_walker = ret ? PTWALK_WALKER_BUILTIN :
					      PTWALK_WALKER_KERNEL;
	} else {
		pr_err("walker must be auto, kernel or builtin, not '%s'\n", walker);
		return -EINVAL;
	}
	return 0;
}

static void ptwalk_ctx_free(struct ptwalk_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->mm)
		mmdrop(ctx->mm);
	if (ctx->buf)
		ptwalk_note_bytes(-PTWALK_CTX_BYTES);
	ptwalk_buf_free(ctx);
	atomic_dec(&ptwalk_buffers);
	kfree(ctx);
}

static int ptwalk_open(struct inode *inode, struct file *file, bool procfs)
{
	struct ptwalk_file *pf;

	pf = kzalloc(sizeof(*pf), GFP_KERNEL);
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
			kfree(pf);
			return -EINVAL;
		}
		mmgrab(pf->opener_mm);
	}
	file->private_data = pf;
	atomic_inc(&ptwalk_open_files);
	return nonseekable_open(inode, file);
}

static int ptwalk_open_debugfs(struct inode *inode, struct file *file)
{
	return ptwalk_open(inode, file, false);
}

static int ptwalk_open_procfs(struct inode *inode, struct file *file)
{
	return ptwalk_open(inode, file, true);
}

static int ptwalk_release(struct inode *inode, struct file *file)
{
	struct ptwalk_file *pf = file->private_data;

	ptwalk_ctx_free(pf->ctx);
	if (pf->opener_mm)
		mmdrop(pf->opener_mm);
	mutex_destroy(&pf->lock);
	kfree(pf);
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

static ssize_t ptwalk_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct ptwalk_file *pf = file->private_data;
	char kbuf[PTWALK_QUERY_MAX + 1];
	struct ptwalk_ctx *ctx;
	const char *why = NULL;
	int ret;

	if (count > PTWALK_QUERY_MAX) {
		mutex_lock(&pf->lock);
		ptwalk_ctx_free(pf->ctx);
		pf->ctx = NULL;
		pf->why = "query longer than 256 bytes";
		mutex_unlock(&pf->lock);
		return -EINVAL;
	}
	if (copy_from_user(kbuf, ubuf, count))
		return -EFAULT;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return -ENOMEM;
	ptwalk_buf_alloc(ctx, !pf->procfs);
	atomic_inc(&ptwalk_buffers);
	if (!ctx->buf) {
		ptwalk_ctx_free(ctx);
		return -ENOMEM;
	}
	ptwalk_note_bytes(PTWALK_CTX_BYTES);
	ptwalk_buf_reset(ctx);
	ctx->online_sec = ULONG_MAX;

	mutex_lock(&pf->lock);
	ptwalk_ctx_free(pf->ctx);
	pf->ctx = NULL;
	pf->pos = 0;
	pf->off = 0;
	pf->started = false;
	pf->eof = false;

	ret = ptwalk_parse_query(kbuf, count, &ctx->q, &why);
	if (ret) {
		pf->why = why;
		goto fail;
	}
	if (!pf->procfs && !ctx->q.has_pid) {
		pf->why = "pid= is required (a number, or 'self')";
		ret = -EINVAL;
		goto fail;
	}
	ctx->start = 0;
	ctx->end = TASK_SIZE_MAX;
	if (ctx->q.single || ctx->q.has_range) {
		if (ctx->q.end > TASK_SIZE_MAX) {
			pf->why = "address beyond user space (kernel or non-canonical)";
			ret = -EINVAL;
			goto fail;
		}
		ctx->start = ctx->q.start & PAGE_MASK;
		ctx->end = PAGE_ALIGN(ctx->q.end);
	}
	ctx->walker = ctx->q.walker ? ctx->q.walker : ptwalk_default_walker;
	if (ctx->walker == PTWALK_WALKER_KERNEL && !ptwalk_kernel_walk) {
		pf->why = "kernel walker unavailable here (see status)";
		ret = -EOPNOTSUPP;
		goto fail;
	}
	ctx->show_phys = pf->show_phys;
	ctx->next = ctx->start;
	ctx->vma_start = ULONG_MAX;
	ret = ptwalk_get_target(pf, ctx);
	if (ret)
		goto fail;

	pf->ctx = ctx;
	pf->why = NULL;
	atomic_long_inc(&ptwalk_queries);
	mutex_unlock(&pf->lock);
	/* The answer is read from offset 0 of this same open file. */
	*ppos = 0;
	return count;

fail:
	mutex_unlock(&pf->lock);
	ptwalk_ctx_free(ctx);
	return ret;
}

static void ptwalk_header(struct ptwalk_file *pf, struct ptwalk_ctx *ctx)
{
	u32 flags = (ctx->show_phys ? 0 : PTWALK_H_PHYS_HIDDEN) |
		    (pgtable_l5_enabled() ? PTWALK_H_LA57 : 0) |
		    (ctx->q.single ? PTWALK_H_SINGLE : 0);

	if (ctx->q.format == PTWALK_FMT_BINARY) {
		struct ptwalk_hdr *h = (struct ptwalk_hdr *)ctx->buf;

		memset(h, 0, sizeof(*h));
		h->magic = PTWALK_MAGIC;
		h->version = PTWALK_VERSION;
		h->hdr_size = sizeof(*h);
		h->rec_size = sizeof(struct ptwalk_rec);
		h->walker = ctx->walker;
		h->pid = ctx->pid;
		h->flags = flags;
		h->start = ctx->q.single ? ctx->q.start : ctx->start;
		h->end = ctx->end;
		memcpy(h->comm, ctx->comm, sizeof(h->comm));
		ctx->len = sizeof(*h);
		return;
	}
	ptwalk_printf(ctx, "# ptwalk %d pid=%d comm=%s walker=%s range=0x%lx-0x%lx paging=%d phys=%s%s\n",
		      PTWALK_VERSION, ctx->pid, ctx->comm,
		      ptwalk_walker_name(ctx->walker), ctx->start, ctx->end,
		      pgtable_l5_enabled() ? 5 : 4,
		      ctx->show_phys ? "shown" : "hidden",
		      ctx->q.single ? " single" : "");
	ptwalk_printf(ctx, "# not an atomic snapshot: the process runs on, entries may change while read\n");
	if (ctx->q.single)
		ptwalk_printf(ctx, "# translate 0x%llx\n", ctx->q.start);
}

/*
 * Fill ctx->buf with the next piece of output.  The mmap lock is held only
 * inside ptwalk_walk_chunk()/ptwalk_translate(), never across the copy.
 */
static int ptwalk_produce(struct ptwalk_file *pf)
{
	struct ptwalk_ctx *ctx = pf->ctx;
	struct mm_struct *mm = ctx->mm;
	int ret = 0;

	pf->pos += ctx->len;
	ptwalk_buf_reset(ctx);
	pf->off = 0;

	if (!pf->started) {
		pf->started = true;
		ptwalk_header(pf, ctx);
		if (ctx->q.single) {
			if (!mmget_not_zero(mm))
				goto exited;
			ret = ptwalk_translate(ctx);
			mmput(mm);
			if (ret)
				return ret;
		}
		return 0;
	}

	while (ctx->next < ctx->end && !ctx->len) {
		if (fatal_signal_pending(current))
			return -EINTR;
		if (!mmget_not_zero(mm))
			goto exited;
		ret = ptwalk_walk_chunk(ctx);
		mmput(mm);
		if (ret)
			return ret;
		cond_resched();
	}
	if (ctx->next >= ctx->end) {
		if (ptwalk_flush_run(ctx))
			return 0;	/* printed once this buffer is read */
		if (ctx->q.single && !ctx->emitted && ctx->q.format != PTWALK_FMT_BINARY &&
		    ptwalk_printf(ctx, "0x%012llx 4K pte raw=0x0000000000000000 kind=none\n",
				  ctx->q.start & PAGE_MASK))
			return 0;
		ctx->emitted = 1;
		pf->eof = true;
	}
	return 0;

exited:
	if (ctx->q.format != PTWALK_FMT_BINARY)
		ptwalk_printf(ctx, "# the process exited\n");
	pf->eof = true;
	return 0;
}

static ssize_t ptwalk_read(struct file *file, char __user *ubuf, size_t count,
			   loff_t *ppos)
{
	struct ptwalk_file *pf = file->private_data;
	struct ptwalk_ctx *ctx;
	ssize_t done = 0;
	int ret = 0;

	if (mutex_lock_interruptible(&pf->lock))
		return -EINTR;
	ctx = pf->ctx;
	if (!ctx) {
		/*
		 * A failed or missing query: say why, once, wherever the file
		 * offset is (a failed write does not move it).
		 */
		char msg[128];
		int n = scnprintf(msg, sizeof(msg), "error: %s\n", pf->why);

		if (pf->off < n) {
			done = min_t(size_t, count, n - pf->off);
			if (copy_to_user(ubuf, msg + pf->off, done))
				done = -EFAULT;
			else
				pf->off += done;
		}
		goto out;
	}
	/* Reading again from 0 re-runs the query; other seeks are refused. */
	if (*ppos == 0 && (pf->pos || pf->off || pf->started)) {
		pf->pos = 0;
		pf->off = 0;
		ptwalk_buf_reset(ctx);
		ctx->have_last = false;
		pf->started = false;
		pf->eof = false;
		ctx->next = ctx->start;
		ctx->vma_start = ULONG_MAX;
		ctx->run_pages = 0;
		ctx->emitted = 0;
	}
	if (*ppos != pf->pos + pf->off) {
		done = -EINVAL;
		goto out;
	}

	while (count) {
		size_t n;

		if (pf->off == ctx->len) {
			if (pf->eof)
				break;
			ret = ptwalk_produce(pf);
			if (ret)
				break;
			continue;
		}
		n = min(count, ctx->len - pf->off);
		/* No lock of the target is held here. */
		if (copy_to_user(ubuf + done, ctx->buf + pf->off, n)) {
			ret = -EFAULT;
			break;
		}
		pf->off += n;
		done += n;
		count -= n;
	}
	*ppos = pf->pos + pf->off;
	if (!done && ret)
		done = ret;
out:
	mutex_unlock(&pf->lock);
	return done;
}

static const struct file_operations ptwalk_walk_fops = {
	.owner		= THIS_MODULE,
	.open		= ptwalk_open_debugfs,
	.release	= ptwalk_release,
	.read		= ptwalk_read,
	.write		= ptwalk_write,
};

static const struct proc_ops ptwalk_proc_ops = {
	.proc_open	= ptwalk_open_procfs,
	.proc_release	= ptwalk_release,
	.proc_read	= ptwalk_read,
	.proc_write	= ptwalk_write,
};

static int ptwalk_status_show(struct seq_file *m, void *v)
{
	seq_printf(m, "version: %d\n", PTWALK_VERSION);
	seq_printf(m, "kernel: %s\n", utsname()->release);
	seq_printf(m, "walker: %s\n", ptwalk_walker_name(ptwalk_default_walker));
	seq_printf(m, "walker_param: %s\n", walker);
	seq_printf(m, "kernel_walker: %s (%s)\n",
		   ptwalk_kernel_walk ? "available" : "unavailable",
		   ptwalk_walker_reason);
	seq_printf(m, "ibt: %s\n", cpu_feature_enabled(X86_FEATURE_IBT) ?
		   "enforced" : "not enforced");
	seq_printf(m, "paging: %d-level\n", pgtable_l5_enabled() ? 5 : 4);
	seq_printf(m, "open_files: %d\n", atomic_read(&ptwalk_open_files));
	seq_printf(m, "buffers: %d\n", atomic_read(&ptwalk_buffers));
	seq_printf(m, "queries: %ld\n", atomic_long_read(&ptwalk_queries));
	seq_printf(m, "bytes: %ld\n", atomic_long_read(&ptwalk_bytes));
	seq_printf(m, "bytes_peak: %ld\n", atomic_long_read(&ptwalk_bytes_peak));
	seq_printf(m, "lock_holds: %ld\n", atomic_long_read(&ptwalk_lock_holds));
	seq_printf(m, "lock_hold_max_ns: %lld\n", atomic64_read(&ptwalk_lock_hold_max));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ptwalk_status);

static int __init ptwalk_init(void)
{
	int ret;

	BUILD_BUG_ON(sizeof(struct ptwalk_rec) != 64);
	BUILD_BUG_ON(offsetof(struct ptwalk_rec, type) != PTWALK_NAME_BYTES);

	ret = ptwalk_pick_walker();
	if (ret)
		return ret;

	ptwalk_buf_cache = kmem_cache_create_usercopy("ptwalk_buf", PTWALK_BUF_SIZE,
						      0, 0, 0, PTWALK_BUF_SIZE, NULL);
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
	pr_info("walker %s (kernel walk_page_range %s: %s), %d-level paging\n",
		ptwalk_walker_name(ptwalk_default_walker),
		ptwalk_kernel_walk ? "usable" : "not usable",
		ptwalk_walker_reason, pgtable_l5_enabled() ? 5 : 4);
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
}

module_init(ptwalk_init);
module_exit(ptwalk_exit);
MODULE_LICENSE("GPL");
MODULE_AUTHOR("The ptwalk authors");
MODULE_DESCRIPTION("Report a process's page tables through debugfs and procfs");
