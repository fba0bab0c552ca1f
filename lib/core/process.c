/*
 * process.c — df_process_setup: the allocator settings a program running
 * several docflow workers wants, which a library must not make on its own.
 *
 * Why the file exists: two workers in one process reached 0.90 of the
 * speed-up of two tesseract processes on 40 mixed documents and 0.82 on
 * 60 receipts (bench/batch.sh, its default case and `receipts`). Traced with `perf record -e tlb:tlb_flush`: 98 % of the
 * TLB flushes came from Leptonica's pixCreateNoInit, which mallocs a
 * buffer and then sets each row's pad bits (a read, then a write of the
 * row's last word). On a page the kernel has not given the process yet,
 * the read maps the shared zero page and the write replaces it, and the
 * replacement must be flushed from every core running the process: one
 * interrupt to the other worker's core per page of every new image.
 * 30 receipts, 2 workers: 166 000 such interrupts (6 with 1 worker);
 * separate processes never send them. Writing each new page first maps
 * it writable at once: 74. Keeping freed memory in the heap instead of
 * returning it (glibc's default trims the heap above 128 KiB free and
 * maps anything of 128 KiB or more on its own) halves the page faults
 * besides (426 000 -> 128 000 on those receipts with 1 worker).
 *
 * Contents
 *   prefault_alloc()     Leptonica's allocator: malloc, then one write a page
 *   df_process_setup()   (docflow.h)
 */
#include "docflow/docflow.h"

#include <leptonica/allheaders.h>
#include <stdlib.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/* One write every this many bytes reaches every page (pages are 4 KiB or
 * larger on every platform docflow builds for). */
#define PREFAULT_STRIDE 4096
/* Below this a buffer comes from the heap: more than a 2x-scaled A4 page
 * at 8 bpp (22 MB), so page images are reused rather than mapped anew. */
#define KEEP_MMAP_THRESHOLD (64 * 1024 * 1024)
/* Freed memory the heap keeps before it gives any back: a few page images
 * per worker. The process stays at its peak instead of shrinking. */
#define KEEP_TRIM_THRESHOLD (512 * 1024 * 1024)

static void *prefault_alloc(size_t n)
{
    char *p = malloc(n);
    if (p)
        for (size_t i = 0; i < n; i += PREFAULT_STRIDE)
            ((volatile char *)p)[i] = 0;
    return p;
}

df_code df_process_setup(unsigned flags)
{
    if (flags & ~(unsigned)DF_PROCESS_ALL)
        return DF_E_INVALID_ARGUMENT;
    if (flags & DF_PROCESS_PREFAULT_PIXELS)
        setPixMemoryManager(prefault_alloc, free);
#if defined(__GLIBC__)
    /* best effort: a sanitizer's allocator takes mallopt and ignores it */
    if (flags & DF_PROCESS_KEEP_FREED_MEMORY) {
        mallopt(M_MMAP_THRESHOLD, KEEP_MMAP_THRESHOLD);
        mallopt(M_TRIM_THRESHOLD, KEEP_TRIM_THRESHOLD);
    }
#endif
    return DF_OK;
}
