/*
 * test_process.c — df_process_setup (docflow.h), by the page faults it is
 * there to save. Each test runs in its own process (Check forks), so the
 * process-wide settings of one never reach another.
 *
 * Minor page faults are counted with getrusage around a pass that reads
 * and then writes one byte of every page of a buffer: on a page the process
 * has not written yet that costs two faults (zero page, then copy), and on
 * a page already written none. The "without" tests show that the
 * allocations measured really start on unwritten pages, so the "with"
 * tests could fail.
 */
#include <check.h>
#include <leptonica/allheaders.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "docflow/docflow.h"
#include "testutil.h"

#define PAGE 4096
/* 8192 x 4096 at 8 bpp: 32 MiB, far above glibc's default mmap threshold,
 * so without settings it is a fresh mapping */
#define PIX_W 8192
#define PIX_H 4096
#define BUF_BYTES (48u * 1024 * 1024)

static long minor_faults(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_minflt;
}

/* faults taken by a read-then-write of one byte in each page of [p, p+n) */
static long touch_faults(void *p, size_t n)
{
    volatile unsigned char *b = p;
    long f0 = minor_faults();
    for (size_t i = 0; i < n; i += PAGE)
        b[i] = (unsigned char)(b[i] + 1);
    return minor_faults() - f0;
}

static long pix_touch_faults(void)
{
    PIX *pix = pixCreateNoInit(PIX_W, PIX_H, 8);
    ck_assert_ptr_nonnull(pix);
    long f = touch_faults(pixGetData(pix), (size_t)pixGetWpl(pix) * 4 * PIX_H);
    pixDestroy(&pix);
    return f;
}

START_TEST(unknown_flags_refused)
{
    ck_assert_int_eq(df_process_setup(0x80u), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_process_setup(DF_PROCESS_ALL | 0x4u), DF_E_INVALID_ARGUMENT);
    ck_assert_int_eq(df_process_setup(0), DF_OK);
}
END_TEST

START_TEST(pixels_unwritten_without_setup)
{
    /* pixCreateNoInit wrote only each row's last word: most pages of an
     * 8 KiB-row image are still unwritten */
    long pages = (long)PIX_W * PIX_H / PAGE;
    ck_assert_int_gt(pix_touch_faults(), pages / 4);
}
END_TEST

START_TEST(pixels_prefaulted_with_setup)
{
    ck_assert_int_eq(df_process_setup(DF_PROCESS_PREFAULT_PIXELS), DF_OK);
    long pages = (long)PIX_W * PIX_H / PAGE;
    ck_assert_int_lt(pix_touch_faults(), pages / 100);
    /* and the buffer goes back through free(): a second image is fine */
    ck_assert_int_lt(pix_touch_faults(), pages / 100);
}
END_TEST

/* a buffer written, freed and allocated again: faults on the second one */
static long reuse_faults(void)
{
    unsigned char *a = malloc(BUF_BYTES);
    ck_assert_ptr_nonnull(a);
    touch_faults(a, BUF_BYTES);
    free(a);
    unsigned char *b = malloc(BUF_BYTES);
    ck_assert_ptr_nonnull(b);
    long f = touch_faults(b, BUF_BYTES);
    free(b);
    return f;
}

/* glibc's malloc only: a sanitizer's allocator keeps freed blocks in
 * quarantine and ignores mallopt, so there the settings mean nothing */
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
#define GLIBC_MALLOC 1
#endif

START_TEST(freed_memory_returned_without_setup)
{
#if GLIBC_MALLOC
    ck_assert_int_gt(reuse_faults(), (long)(BUF_BYTES / PAGE) / 2);
#endif
}
END_TEST

START_TEST(freed_memory_kept_with_setup)
{
    ck_assert_int_eq(df_process_setup(DF_PROCESS_KEEP_FREED_MEMORY), DF_OK);
#if GLIBC_MALLOC
    ck_assert_int_lt(reuse_faults(), (long)(BUF_BYTES / PAGE) / 100);
#endif
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("process");
    TCase *t = tcase_create("process");
    tcase_add_test(t, unknown_flags_refused);
    tcase_add_test(t, pixels_unwritten_without_setup);
    tcase_add_test(t, pixels_prefaulted_with_setup);
    tcase_add_test(t, freed_memory_returned_without_setup);
    tcase_add_test(t, freed_memory_kept_with_setup);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    return df_test_run(suite());
}
