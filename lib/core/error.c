/* error.c — df_err and the diagnostics sink (see error.h).
 *
 * Messages carry text from outside: MuPDF's and libtiff's messages quote
 * names from the file, and callers quote paths. Both are formatted through
 * lib/core/utf8.h, so a message is valid UTF-8 and a long one is cut
 * between characters, never inside one (issue 17). */
#include "core/error.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

df_code df_err_set(df_err *err, df_code code, const char *fmt, ...)
{
    if (!err || err->code != DF_OK)
        return err ? err->code : code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    df_utf8_vformat(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void df_diag_vemit(const df_diag *d, df_diag_level level, const char *fmt, va_list ap)
{
    if (!d || !d->fn)
        return;
    char buf[1024];
    size_t n = df_utf8_vformat(buf, sizeof buf, fmt, ap);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        buf[--n] = '\0';
    d->fn(d->userdata, level, buf);
}

void df_diag_emit(const df_diag *d, df_diag_level level, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    df_diag_vemit(d, level, fmt, ap);
    va_end(ap);
}
