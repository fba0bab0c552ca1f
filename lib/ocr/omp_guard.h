/*
 * omp_guard.h — Tesseract kept to the calling thread, and its OpenMP regions
 * run as plain calls while it is, its line images stored without deflating
 * (omp_guard.c says why and how).
 *
 * Every call into Tesseract is made between df_omp_guard_enter() and
 * df_omp_guard_leave() on the same thread; guards nest. Thread-safe: the
 * state is the calling thread's.
 *
 * Private to lib/.
 */
#ifndef DF_OMP_GUARD_H
#define DF_OMP_GUARD_H

#include <stddef.h>

typedef struct df_omp_guard {
    int saved_max_active_levels; /* the caller's OpenMP setting, restored */
    int saved_inline;            /* the enclosing guard's state, restored */
} df_omp_guard;

df_omp_guard df_omp_guard_enter(void);
void df_omp_guard_leave(df_omp_guard g);

/* OpenMP regions the calling thread has run as plain calls so far (tests). */
size_t df_omp_guard_inlined(void);
/* PNGs the calling thread has written stored, not deflated, so far (tests). */
size_t df_line_pngs_stored(void);

#endif
