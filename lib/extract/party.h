/*
 * party.h — what vendor.c (the parties' names and addresses) and vendorid.c
 * (their tax ids) share: the regions that party labels open.
 *
 * Private to lib/extract.
 */
#ifndef DF_EXTRACT_PARTY_H
#define DF_EXTRACT_PARTY_H

#include <stddef.h>

#include "extract/fields_int.h"

/* Rows a party region runs down its column, at most. */
#define PARTY_MAX_ROWS 8
/* Party regions kept per document. */
#define PARTY_MAX_REGIONS 8

typedef struct fx_region {
    int page;
    size_t lines[PARTY_MAX_ROWS + 1];
    size_t n;
    int kind;         /* 0 customer, 1 ship-to, 2 vendor */
    size_t label_end; /* on lines[0] */
    float y0;
} fx_region;

/* 1 when line li of page p is one of R's lines. */
int fx_in_region(const fx_region *R, int p, size_t li);

/* Where the vendor's name was read: page and layout line; page -1 when no
 * name was found. */
typedef struct fx_vendor_line {
    int page;
    size_t li;
} fx_vendor_line;

/* The customer's and the vendor's tax ids (x->customer_tax_id,
 * x->vendor_tax_id) chosen among every tax id of the document, given the
 * party regions and where the vendor's name is (vendorid.c). */
void fx_party_ids(fx_doc *d, df_extraction *x, const fx_region *R, size_t nr,
                  fx_vendor_line vname);

#endif
