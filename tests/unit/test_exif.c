/*
 * test_exif.c — the EXIF reader against handcrafted TIFF structures.
 *
 * The parser sees attacker bytes from every phone photo, so besides the
 * eight orientations in both byte orders this feeds it every kind of broken
 * offset. Each input is copied into a heap block of exactly its length so
 * that AddressSanitizer reports any read past the end.
 */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "decode/exif.h"

/* Run the parser on an exact-size heap copy. */
static df_exif_info parse(const uint8_t *b, size_t n)
{
    uint8_t *copy = malloc(n ? n : 1);
    ck_assert_ptr_nonnull(copy);
    if (n)
        memcpy(copy, b, n);
    df_exif_info info;
    df_exif_parse(copy, n, &info);
    ck_assert_int_eq(df_exif_orientation(copy, n), info.orientation);
    free(copy);
    return info;
}

static int orient(const uint8_t *b, size_t n) { return parse(b, n).orientation; }

/* ---- a tiny TIFF writer ------------------------------------------------ */

typedef struct ent {
    uint16_t tag, type;
    uint32_t count, value; /* SHORT values are written inline in 2 bytes */
} ent;

static void w16(uint8_t *p, int be, uint32_t v)
{
    p[be ? 0 : 1] = (uint8_t)(v >> 8);
    p[be ? 1 : 0] = (uint8_t)v;
}

static void w32(uint8_t *p, int be, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[be ? i : 3 - i] = (uint8_t)(v >> (24 - 8 * i));
}

/* "Exif\0\0" + header + IFD0 at TIFF offset 8 + next-IFD 0. Returns the
 * length; the TIFF offset just past the IFD is 8 + 2 + 12*n + 4. */
static size_t build(uint8_t *buf, int be, const ent *e, int n)
{
    memcpy(buf, "Exif\0\0", 6);
    uint8_t *t = buf + 6;
    memcpy(t, be ? "MM" : "II", 2);
    w16(t + 2, be, 42);
    w32(t + 4, be, 8);
    w16(t + 8, be, (uint32_t)n);
    for (int i = 0; i < n; i++) {
        uint8_t *p = t + 10 + 12 * i;
        w16(p, be, e[i].tag);
        w16(p + 2, be, e[i].type);
        w32(p + 4, be, e[i].count);
        memset(p + 8, 0, 4);
        if (e[i].type == 3)
            w16(p + 8, be, e[i].value);
        else
            w32(p + 8, be, e[i].value);
    }
    w32(t + 10 + 12 * n, be, 0);
    return 6 + 8 + 2 + 12 * (size_t)n + 4;
}

/* ---- literal files, as a camera writes them ---------------------------- */

START_TEST(literal_little_endian)
{
    static const uint8_t b[] = {
        'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, /* header */
        2, 0,                                                  /* 2 entries */
        0x0f, 0x01, 2, 0, 5, 0, 0, 0, 38, 0, 0, 0,             /* Make at 38 */
        0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0,              /* Orientation 6 */
        0, 0, 0, 0, 'A', 'c', 'm', 'e', 0, 0};
    ck_assert_int_eq(orient(b, sizeof b), 6);
}
END_TEST

START_TEST(literal_big_endian)
{
    static const uint8_t b[] = {
        'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42, 0, 0, 0, 8,
        0, 1,
        0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 8, 0, 0,
        0, 0, 0, 0};
    ck_assert_int_eq(orient(b, sizeof b), 8);
}
END_TEST

START_TEST(all_values_both_orders)
{
    uint8_t b[64];
    for (int be = 0; be <= 1; be++)
        for (uint32_t v = 0; v <= 10; v++) {
            ent e[] = {{0x0100, 4, 1, 640}, {0x0112, 3, 1, v}};
            size_t n = build(b, be, e, 2);
            ck_assert_int_eq(orient(b, n), v >= 1 && v <= 8 ? (int)v : 1);
        }
    ent big[] = {{0x0112, 3, 1, 0xFFFF}};
    size_t n = build(b, 0, big, 1);
    ck_assert_int_eq(orient(b, n), 1);
}
END_TEST

START_TEST(wrong_type_or_count)
{
    uint8_t b[64];
    ent as_long[] = {{0x0112, 4, 1, 6}};
    ck_assert_int_eq(orient(b, build(b, 0, as_long, 1)), 1);
    ent two[] = {{0x0112, 3, 2, 6}};
    ck_assert_int_eq(orient(b, build(b, 1, two, 1)), 1);
    ent zero[] = {{0x0112, 3, 0, 6}};
    ck_assert_int_eq(orient(b, build(b, 0, zero, 1)), 1);
    ent none[] = {{0x010f, 2, 4, 0}, {0x0110, 2, 4, 0}};
    ck_assert_int_eq(orient(b, build(b, 0, none, 2)), 1);
    /* the first occurrence decides, also when a later one looks valid */
    ent dup[] = {{0x0112, 3, 1, 3}, {0x0112, 3, 1, 6}};
    ck_assert_int_eq(orient(b, build(b, 1, dup, 2)), 3);
    ent bad_then_good[] = {{0x0112, 4, 1, 3}, {0x0112, 3, 1, 6}};
    ck_assert_int_eq(orient(b, build(b, 1, bad_then_good, 2)), 1);
}
END_TEST

START_TEST(bad_headers)
{
    uint8_t b[64];
    ent e[] = {{0x0112, 3, 1, 6}};
    size_t n = build(b, 0, e, 1);
    ck_assert_int_eq(orient(b, n), 6);
    ck_assert_int_eq(orient(NULL, 0), 1);
    ck_assert_int_eq(df_exif_orientation(NULL, 100), 1);
    uint8_t c[64];
    memcpy(c, b, n);
    c[5] = 'x'; /* "Exif\0x" */
    ck_assert_int_eq(orient(c, n), 1);
    memcpy(c, b, n);
    c[6] = 'I', c[7] = 'M';
    ck_assert_int_eq(orient(c, n), 1);
    memcpy(c, b, n);
    c[8] = 43; /* BigTIFF-ish magic */
    ck_assert_int_eq(orient(c, n), 1);
    /* TIFF header alone, or less */
    for (size_t k = 0; k <= 14; k++)
        ck_assert_int_eq(orient(b, k), 1);
}
END_TEST

START_TEST(bad_ifd_offsets)
{
    uint8_t b[64];
    ent e[] = {{0x0112, 3, 1, 6}};
    size_t n = build(b, 1, e, 1);
    const uint32_t offs[] = {0, 4, 7, (uint32_t)(n - 6), (uint32_t)(n - 6 - 1),
                             0x7FFFFFFF, 0xFFFFFFFF, 0xFFFFFFF8};
    for (size_t i = 0; i < sizeof offs / sizeof *offs; i++) {
        w32(b + 6 + 4, 1, offs[i]);
        ck_assert_int_eq(orient(b, n), 1);
    }
}
END_TEST

START_TEST(entry_count_lies)
{
    uint8_t b[64];
    ent e[] = {{0x0100, 4, 1, 1}, {0x0112, 3, 1, 7}};
    size_t n = build(b, 0, e, 2);
    /* Claims 65535 entries: the two present are still read, nothing past. */
    w16(b + 6 + 8, 0, 0xFFFF);
    ck_assert_int_eq(orient(b, n), 7);
    ck_assert_int_eq(orient(b, n - 4), 7); /* no next-IFD field */
    ck_assert_int_eq(orient(b, n - 5), 1); /* orientation entry cut short */
    /* Every prefix of a valid file is safe and never invents a value. */
    for (size_t k = 0; k < n; k++) {
        int o = orient(b, k);
        ck_assert(o == 1 || o == 7);
    }
}
END_TEST

START_TEST(resolution)
{
    uint8_t b[96];
    for (int be = 0; be <= 1; be++) {
        /* rational stored after the IFD: TIFF offset 8 + 2 + 12*3 + 4 = 50 */
        ent e[] = {{0x011A, 5, 1, 50}, {0x0128, 3, 1, 2}, {0x0112, 3, 1, 5}};
        size_t n = build(b, be, e, 3);
        w32(b + n, be, 600);
        w32(b + n + 4, be, 2);
        df_exif_info in = parse(b, n + 8);
        ck_assert_int_eq(in.orientation, 5);
        ck_assert(fabs(in.xres - 300.0) < 1e-9);
        /* centimetres */
        w16(b + 6 + 10 + 12 + 8, be, 3);
        in = parse(b, n + 8);
        ck_assert(fabs(in.xres - 300 * 2.54) < 1e-9);
        /* "no absolute unit": an aspect ratio, not a resolution */
        w16(b + 6 + 10 + 12 + 8, be, 1);
        ck_assert(parse(b, n + 8).xres == 0);
        w16(b + 6 + 10 + 12 + 8, be, 2);
        /* zero denominator, value cut off, offsets out of range */
        w32(b + n + 4, be, 0);
        ck_assert(parse(b, n + 8).xres == 0);
        w32(b + n + 4, be, 2);
        ck_assert(parse(b, n + 7).xres == 0);
        const uint32_t offs[] = {0, 4, 0xFFFFFFFC, 0xFFFFFFFF, (uint32_t)n};
        for (size_t i = 0; i < sizeof offs / sizeof *offs; i++) {
            w32(b + 6 + 10 + 8, be, offs[i]);
            in = parse(b, n + 8);
            ck_assert(in.xres == 0);
            ck_assert_int_eq(in.orientation, 5);
        }
    }
    /* without ResolutionUnit the TIFF default is inches */
    ent e[] = {{0x011A, 5, 1, 26}};
    size_t n = build(b, 0, e, 1);
    w32(b + n, 0, 72);
    w32(b + n + 4, 0, 1);
    ck_assert(fabs(parse(b, n + 8).xres - 72.0) < 1e-9);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("exif");
    TCase *tc = tcase_create("parse");
    tcase_add_test(tc, literal_little_endian);
    tcase_add_test(tc, literal_big_endian);
    tcase_add_test(tc, all_values_both_orders);
    tcase_add_test(tc, wrong_type_or_count);
    tcase_add_test(tc, bad_headers);
    tcase_add_test(tc, bad_ifd_offsets);
    tcase_add_test(tc, entry_count_lies);
    tcase_add_test(tc, resolution);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
