/*
 * print.c — what the docflow tool prints is valid UTF-8.
 *
 * Why it exists: the tool's messages and reports quote paths, and a Linux
 * path may hold any byte but '/' and NUL (a Latin-1 "caf\xE9.pdf"); printed
 * as it is, one such name makes the tool's stderr or a --text stream
 * unreadable for a strict reader (issue 17). The library already gives
 * valid JSON, text and messages; cli_printf repairs the rest by the same
 * rule (df_utf8_sanitize), after formatting, so each call site stays an
 * ordinary printf.
 */
#include <docflow/docflow.h>

#include "cli.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

int cli_printf(FILE *f, const char *fmt, ...)
{
    va_list ap;
    char *raw = NULL;
    va_start(ap, fmt);
    int n = vasprintf(&raw, fmt, ap);
    va_end(ap);
    if (n < 0)
        return fputs("docflow: out of memory\n", stderr) < 0 ? -1 : 0;
    char *shown = df_utf8_sanitize(raw);
    free(raw);
    int rc = fputs(shown ? shown : "docflow: out of memory\n", shown ? f : stderr);
    df_free(shown);
    return rc < 0 ? -1 : 0;
}
