/*
 * crashpoint.h — named places where a test may have the server die.
 *
 * Why it exists: "nothing accepted is lost, duplicated or orphaned after a
 * crash" must be tested at the moments where a crash hurts most, which a
 * kill -9 from outside hits only by luck: mid-upload, between a batch's
 * file renames and its commit, mid-extraction, between a result and its
 * commit, between the janitor's store change and its folder removal. Each
 * such place calls crash_point(); with the environment variable
 *
 *     DOCFLOW_TEST_CRASH=POINT[/DETAIL][#N]
 *
 * the server sends itself SIGKILL the Nth time (default: the first) it
 * reaches POINT (with that DETAIL, when one is given: the uploaded file
 * name at "upload" and "extract"). Without the variable a crash point costs
 * one test of a flag. The points: upload, adopt, commit, extract, result,
 * janitor (docs/server.md, "Crashes and restarts").
 *
 * Contents: crash_init; crash_armed; crash_point.
 */
#ifndef DF_SERVER_CRASHPOINT_H
#define DF_SERVER_CRASHPOINT_H

/* Read DOCFLOW_TEST_CRASH (server start, before any thread). */
void crash_init(void);
/* 1 when a crash point is set for `point` (lets a caller skip work that
 * only finds the detail). */
int crash_armed(const char *point);
/* Die here (SIGKILL) when this is the armed point's Nth arrival. */
void crash_point(const char *point, const char *detail);

#endif
