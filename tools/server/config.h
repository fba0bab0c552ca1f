/*
 * config.h — `docflow serve --config FILE` (config.c): settings from a file
 * as flags, before the command line's.
 */
#ifndef DF_SERVER_CONFIG_H
#define DF_SERVER_CONFIG_H

/* argv with the file's settings as "--name[=value]" after argv[0] and the
 * rest of argv after them (the command line wins); *new_argc set. The
 * --config flag itself stays in argv (the parser skips it). NULL with err
 * (512 bytes) naming the file and line. Free with config_free(out, *new_argc - argc). */
char **config_argv(const char *path, int argc, char **argv, int *new_argc, char *err);
void config_free(char **argv, int file_entries);

#endif
