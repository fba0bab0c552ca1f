/*
 * words.h — amounts written in words, to cross-check the numeric total.
 *
 * Indian invoices print "Amount Chargeable (in words): Rupees Fifty Nine
 * Thousand Only"; Malaysian and US ones "Ringgit Malaysia ... and Sen ...",
 * "USD One Thousand Two Hundred and 50/100". The words come from
 * models/numwords.txt (numbers, incl. lakh and crore), models/moneywords.txt
 * (major/minor unit words and fillers like "only") and the labels that
 * introduce them from models/wordlabels.txt.
 *
 * Grammar: number words add (twenty + six), "hundred" multiplies the group
 * before it, a scale (thousand, lakh, crore, million...) multiplies what came
 * since the last larger scale ("Two Thousand Crore" = 2000 * 10^7). The
 * fraction of the major unit is either a minor word with its number ("and
 * Paise Fifty", "and Fifty Paise", "Sen Fifty") or "NN/100"; it must be
 * below 100. A phrase ending in "and Paise" lost its fraction (OCR put the
 * rest on another line): it is partial, its whole units known. Words may be
 * separated by spaces, newlines, '-', ',' and '.'.
 */
#ifndef DF_VALIDATE_WORDS_H
#define DF_VALIDATE_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "extract/model.h"

typedef struct df_words_amount {
    int64_t minor;     /* value in hundredths */
    char currency[4];  /* ISO code implied by a unit word ("Rupees"), or "" */
    size_t start, end; /* byte span of the phrase, unit words and "Only" included */
    int partial;       /* 1: the fraction's words were cut off ("... Sixteen and Paise"
                          ending the phrase): minor holds the whole units, x 100 */
} df_words_amount;

/* 1 when the phrase says v: exactly, or for a partial phrase, v's whole units. */
int df_words_say(const df_words_amount *w, int64_t v);

/* Parse the phrase starting at byte `from` (leading separators skipped).
 * Returns 1 and fills *out when at least one number word was read. */
int df_words_parse(const df_model *m, const char *s, size_t len, size_t from, df_words_amount *out);

/* The first amount in words introduced by a label of models/wordlabels.txt
 * ("Amount in words:", "Rupees", ...). Returns 1 and fills *out, else 0. */
int df_words_find(const df_model *m, const char *s, size_t len, df_words_amount *out);

#endif
