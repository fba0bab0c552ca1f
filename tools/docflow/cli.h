/* cli.h — subcommands of the docflow tool, one file each. */
#ifndef DF_CLI_H
#define DF_CLI_H

/* `docflow recall`: how often labelled values appear in the text docflow
 * (or another OCR command) reads. tools/docflow/recall.c. */
int cmd_recall(int argc, char **argv);

#endif
