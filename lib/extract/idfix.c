/*
 * idfix.c — an invoice number's letter prefix read back from its look-alikes.
 *
 * Invoice numbers often start with a short letter prefix ("TI/", "INV-").
 * Set in a sans font, OCR reads its I as 1 or reads the I twice ("T1/0502",
 * "TI1/1697"). The number is otherwise exact, so only the first segment is
 * touched, and only towards a prefix listed in models/id-prefixes.txt: a
 * prefix nobody listed is never invented.
 */
#include "extract/fields_int.h"

#include <string.h>
#include <strings.h>

#include "extract/chars.h"

/* The letter a digit is read for; 0 when none. */
static char letter_of(char c)
{
    static const char map[][2] = {{'1', 'I'}, {'0', 'O'}, {'5', 'S'}, {'8', 'B'}, {'2', 'Z'}, {'6', 'G'}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (map[i][0] == c)
            return map[i][1];
    return 0;
}

static int listed(const df_fields_model *m, const char *s, size_t n)
{
    for (size_t i = 0; i < m->idprefix.n; i++)
        if (m->idprefix.v[i].klen == n && strncasecmp(m->idprefix.v[i].key, s, n) == 0)
            return 1;
    return 0;
}

void fx_fix_id_prefix(const df_fields_model *m, char *id)
{
    if (!id)
        return;
    size_t n = 0, letters = 0, digits = 0;
    while (df_c_alnum((unsigned char)id[n])) {
        letters += df_c_alpha((unsigned char)id[n]) != 0;
        digits += df_c_digit((unsigned char)id[n]) != 0;
        n++;
    }
    /* a first segment, ended by a separator, mixing letters and digits */
    if (!letters || !digits || n > DF_ID_PREFIX_MAX || (id[n] != '/' && id[n] != '-') ||
        listed(m, id, n))
        return;
    /* "TI1": the prefix's last letter read again as its digit */
    if (n >= 3 && digits == 1 && letter_of(id[n - 1]) &&
        (id[n - 2] & ~0x20) == letter_of(id[n - 1]) && listed(m, id, n - 1)) {
        memmove(id + n - 1, id + n, strlen(id + n) + 1);
        return;
    }
    /* "T1": each digit the letter it stands for */
    char seg[DF_ID_PREFIX_MAX];
    for (size_t i = 0; i < n; i++) {
        seg[i] = df_c_digit((unsigned char)id[i]) ? letter_of(id[i]) : id[i];
        if (!seg[i])
            return;
    }
    if (listed(m, seg, n))
        memcpy(id, seg, n);
}
