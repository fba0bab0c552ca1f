/*
 * config.c — `docflow serve --config FILE`: every flag from a file.
 *
 * Why it exists: an on-prem server is started by systemd or a container
 * with a dozen settings; a file the operator keeps under configuration
 * management is easier to review than a long command line, and keeps
 * paths (TLS keys) out of `ps`. The file has one setting per line, named
 * as the long flag without its dashes:
 *
 *     # comments and blank lines are ignored
 *     listen = 0.0.0.0:8443
 *     tls-cert = /etc/docflow/cert.pem
 *     metrics-public = true
 *
 * A flag that takes no value is set with true (false leaves it off). The
 * file is turned into "--name=value" arguments placed before the command
 * line's, so a flag given on the command line wins. Unknown names are the
 * option parser's to refuse, with the same message as on the command line.
 *
 * Contents: config_argv; config_free.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFIG_MAX_LINE 4096
#define CONFIG_MAX_ENTRIES 64

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* One line into out[*n] ("--name" or "--name=value"); 0, or -1 with err. */
static int config_line(char *line, const char *path, int lineno, char **out, int *n, char *err)
{
    char *s = trim(line);
    if (!*s || *s == '#')
        return 0;
    char *eq = strchr(s, '=');
    if (!eq) {
        snprintf(err, 512, "%.300s:%d: expected 'name = value'", path, lineno);
        return -1;
    }
    *eq = '\0';
    char *name = trim(s), *value = trim(eq + 1);
    if (!*name || name[0] == '-' || strspn(name, "abcdefghijklmnopqrstuvwxyz-") != strlen(name)) {
        snprintf(err, 512, "%.300s:%d: '%.60s' is not a setting name (the flag without --)",
                 path, lineno, name);
        return -1;
    }
    if (*n == CONFIG_MAX_ENTRIES) {
        snprintf(err, 512, "%.300s: more than %d settings", path, CONFIG_MAX_ENTRIES);
        return -1;
    }
    if (!strcmp(value, "false"))
        return 0;
    size_t len = strlen(name) + strlen(value) + 4;
    if (!(out[*n] = malloc(len))) {
        snprintf(err, 512, "out of memory");
        return -1;
    }
    if (!strcmp(value, "true"))
        snprintf(out[*n], len, "--%s", name);
    else
        snprintf(out[*n], len, "--%s=%s", name, value);
    (*n)++;
    return 0;
}

char **config_argv(const char *path, int argc, char **argv, int *new_argc, char *err)
{
    char line[CONFIG_MAX_LINE];
    char *entries[CONFIG_MAX_ENTRIES];
    int n = 0, lineno = 0, rc = 0;
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, 512, "cannot read --config %.400s: %s", path, strerror(errno));
        return NULL;
    }
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            snprintf(err, 512, "%.300s:%d: line longer than %d bytes", path, lineno,
                     CONFIG_MAX_LINE - 2);
            rc = -1;
        } else {
            rc = config_line(line, path, lineno, entries, &n, err);
        }
    }
    fclose(f);
    char **out = rc == 0 ? calloc((size_t)(argc + n + 1), sizeof *out) : NULL;
    if (!out) {
        if (rc == 0)
            snprintf(err, 512, "out of memory");
        for (int i = 0; i < n; i++)
            free(entries[i]);
        return NULL;
    }
    out[0] = argv[0]; /* the command's name, then the file's, then the command line's */
    memcpy(out + 1, entries, (size_t)n * sizeof *out);
    memcpy(out + 1 + n, argv + 1, (size_t)(argc - 1) * sizeof *out);
    *new_argc = argc + n;
    return out;
}

void config_free(char **argv, int file_entries)
{
    if (!argv)
        return;
    for (int i = 1; i <= file_entries; i++)
        free(argv[i]);
    free(argv);
}
