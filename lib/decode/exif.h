/*
 * exif.h — the two EXIF facts docflow needs from a photo: how it is meant to
 * be displayed (Orientation) and, as a fallback for JPEGs without a JFIF
 * density, its stated resolution.
 *
 * Receipts are mostly phone photos, and phones store the picture sideways
 * with an Orientation tag; OCR on the unrotated pixels reads nothing. The
 * input is attacker-controlled, so the parser reads only IFD0, checks every
 * offset against the buffer and visits a bounded number of entries.
 * Private to lib/.
 */
#ifndef DF_DECODE_EXIF_H
#define DF_DECODE_EXIF_H

#include <stddef.h>
#include <stdint.h>

typedef struct df_exif_info {
    int orientation;   /* 1..8; 1 when absent or invalid */
    double xres;       /* XResolution in dots per inch; 0 when absent/invalid */
} df_exif_info;

/* Parse an APP1 payload that starts with "Exif\0\0" followed by a TIFF
 * header. Never fails: missing or malformed data gives the defaults. */
void df_exif_parse(const uint8_t *app1, size_t len, df_exif_info *out);

/* Orientation only (1..8, 1 when absent or invalid). */
int df_exif_orientation(const uint8_t *app1, size_t len);

#endif
