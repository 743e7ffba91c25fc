// SPDX-License-Identifier: GPL-2.0
/*
 * ptwalk_load_test - the module loads, shows its files with the right
 * modes, picks the walker it was asked for, refuses bad parameters and
 * unloads without a trace, twenty times in a row.
 *
 * Runs as root in a guest (scripts/check); $PTWALK_KO names the module.
 * Leaves the module unloaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ptwalk_util.h"

static void ensure_unloaded(struct __test_metadata *_metadata)
{
	if (ptwalk_loaded())
		ASSERT_EQ(0, ptwalk_unload());
}

static mode_t mode_of(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return (mode_t)-1;
	return st.st_mode & 07777;
}

TEST(files_and_modes)
{
	char *walker;

	ensure_unloaded(_metadata);
	ASSERT_EQ(0, ptwalk_load(NULL));
	/*
	 * debugfs: root only (its mount point is 0700 too; the directory
	 * itself is debugfs's 0755).  procfs: anyone, own address space only.
	 */
	EXPECT_EQ((mode_t)0755, mode_of(PTWALK_DEBUGFS));
	EXPECT_EQ((mode_t)0600, mode_of(PTWALK_WALK));
	EXPECT_EQ((mode_t)0400, mode_of(PTWALK_STATUS));
	EXPECT_EQ((mode_t)0666, mode_of("/proc/ptwalk"));
	walker = ptwalk_status("walker");
	ASSERT_NE(NULL, walker);
	EXPECT_TRUE(!strcmp(walker, "kernel") || !strcmp(walker, "builtin"));
	free(walker);
	ASSERT_EQ(0, ptwalk_unload());
	EXPECT_EQ((mode_t)-1, mode_of(PTWALK_DEBUGFS));
	EXPECT_EQ((mode_t)-1, mode_of("/proc/ptwalk"));
}

/* walker=PARAM loads and reports WANT as the walker in use. */
static void check_walker(struct __test_metadata *_metadata, const char *param,
			 const char *want)
{
	char params[64], *w;

	ensure_unloaded(_metadata);
	snprintf(params, sizeof(params), "walker=%s", param);
	ASSERT_EQ(0, ptwalk_load(params));
	w = ptwalk_status("walker");
	ASSERT_NE(NULL, w);
	EXPECT_STREQ(want, w);
	free(w);
	w = ptwalk_status("walker_param");
	ASSERT_NE(NULL, w);
	EXPECT_STREQ(param, w);
	free(w);
	ASSERT_EQ(0, ptwalk_unload());
}

TEST(walker_builtin)
{
	check_walker(_metadata, "builtin", "builtin");
}

/* Under QEMU's TCG no CPU enforces IBT: the kernel walker must be usable. */
TEST(walker_kernel)
{
	char *ibt;

	ensure_unloaded(_metadata);
	ASSERT_EQ(0, ptwalk_load(NULL));
	ibt = ptwalk_status("ibt");
	ASSERT_NE(NULL, ibt);
	ASSERT_EQ(0, ptwalk_unload());
	if (strcmp(ibt, "not enforced")) {
		free(ibt);
		SKIP(return, "IBT enforced here: walker=kernel may be refused");
	}
	free(ibt);
	check_walker(_metadata, "kernel", "kernel");
	check_walker(_metadata, "auto", "kernel");
}

/*
 * Where an indirect call to walk_page_range() could trap (kCFI kernels,
 * CPUs enforcing IBT with the ENDBR sealed), the kernel walker is refused:
 * walker=kernel does not load, auto picks the builtin one and says why.
 * simulate= runs those paths here, where neither exists.
 */
static void check_refused(struct __test_metadata *_metadata, const char *sim,
			  const char *reason)
{
	char params[64], *s;

	ensure_unloaded(_metadata);
	snprintf(params, sizeof(params), "simulate=%s walker=kernel", sim);
	EXPECT_EQ(-EOPNOTSUPP, ptwalk_load(params)) TH_LOG("%s", params);
	EXPECT_FALSE(ptwalk_loaded());
	ensure_unloaded(_metadata);
	snprintf(params, sizeof(params), "simulate=%s", sim);
	ASSERT_EQ(0, ptwalk_load(params)) TH_LOG("%s", params);
	s = ptwalk_status("walker");
	ASSERT_NE(NULL, s);
	EXPECT_STREQ("builtin", s);
	free(s);
	s = ptwalk_status("kernel_walker");
	ASSERT_NE(NULL, s);
	EXPECT_NE(NULL, strstr(s, "unavailable")) TH_LOG("%s", s);
	EXPECT_NE(NULL, strstr(s, reason)) TH_LOG("%s", s);
	free(s);
	ASSERT_EQ(0, ptwalk_unload());
}

TEST(kernel_walker_refused_under_kcfi)
{
	check_refused(_metadata, "cfi", "kCFI");
}

/* simulate=ibt: x86's IBT, or arm64's BTI, as if the landing pad were gone. */
TEST(kernel_walker_refused_under_ibt)
{
	check_refused(_metadata, "ibt",
		      PTWALK_TEST_ARCH == PTWALK_ARCH_ARM64 ? "BTI" : "IBT");
}

TEST(walker_bad_param)
{
	ensure_unloaded(_metadata);
	EXPECT_EQ(-EINVAL, ptwalk_load("walker=bogus"));
	EXPECT_FALSE(ptwalk_loaded());
	EXPECT_EQ(-EINVAL, ptwalk_load("simulate=bogus"));
	EXPECT_FALSE(ptwalk_loaded());
}

/* An open debugfs file pins the module; an open /proc/ptwalk does not. */
TEST(rmmod_with_open_files)
{
	char buf[64];
	int dfd, pfd;

	ensure_unloaded(_metadata);
	ASSERT_EQ(0, ptwalk_load(NULL));
	dfd = open(PTWALK_WALK, O_RDWR);
	ASSERT_LE(0, dfd);
	pfd = open("/proc/ptwalk", O_RDWR);
	ASSERT_LE(0, pfd);
	ASSERT_EQ(8, write(pfd, "pid=self", 8));
	EXPECT_NE(0, ptwalk_unload());
	EXPECT_TRUE(ptwalk_loaded());
	/* Still fully usable while rmmod was refused. */
	ASSERT_EQ(8, write(dfd, "pid=self", 8));
	EXPECT_LT(0, read(dfd, buf, sizeof(buf)));
	close(dfd);
	/* The procfs file is cut off by rmmod: reads fail, close is fine. */
	ASSERT_EQ(0, ptwalk_unload());
	EXPECT_FALSE(ptwalk_loaded());
	EXPECT_EQ(-1, read(pfd, buf, sizeof(buf)));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(0, close(pfd));
}

FIXTURE(cycles) {
	int dummy;
};

FIXTURE_SETUP(cycles)
{
}

FIXTURE_TEARDOWN(cycles)
{
}

/* PTWALK_LOAD_CYCLES (default 20; make stress uses 1000). */
TEST_F_TIMEOUT(cycles, load_unload, 900)
{
	const char *env = getenv("PTWALK_LOAD_CYCLES");
	int i, n = env ? atoi(env) : 20;

	if (n <= 0)
		n = 20;
	ensure_unloaded(_metadata);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, ptwalk_load(NULL)) TH_LOG("load %d", i);
		ASSERT_EQ(0, access(PTWALK_WALK, F_OK));
		ASSERT_EQ(0, ptwalk_unload()) TH_LOG("unload %d", i);
		ASSERT_FALSE(ptwalk_loaded());
	}
	/* Nothing left behind (the runner also checks dmesg for WARN/BUG). */
	EXPECT_NE(0, access(PTWALK_DEBUGFS, F_OK));
	EXPECT_NE(0, access("/proc/ptwalk", F_OK));
}

TEST_HARNESS_MAIN
