/* cli.h — subcommands of the docflow tool, one file each. */
#ifndef DF_CLI_H
#define DF_CLI_H

/* `docflow recall`: how often labelled values appear in the text docflow
 * (or another OCR command) reads. tools/docflow/recall.c. */
int cmd_recall(int argc, char **argv);

/* `docflow eval`: extraction accuracy per field on a labelled folder, with
 * a baseline check for CI. tools/docflow/eval.c, docs/eval.md. */
int cmd_eval(int argc, char **argv);

#endif
