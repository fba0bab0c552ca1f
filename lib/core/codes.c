/* codes.c — stable names for error codes, version and format strings. */
#include "docflow/docflow.h"

static const char *const code_names[] = {
    [DF_OK] = "ok",
    [DF_E_INVALID_ARGUMENT] = "invalid_argument",
    [DF_E_NO_MEMORY] = "out_of_memory",
    [DF_E_FILE_NOT_FOUND] = "file_not_found",
    [DF_E_IO] = "io_error",
    [DF_E_EMPTY_FILE] = "empty_file",
    [DF_E_FILE_TOO_LARGE] = "file_too_large",
    [DF_E_TOO_MANY_PAGES] = "too_many_pages",
    [DF_E_IMAGE_TOO_LARGE] = "image_too_large",
    [DF_E_UNSUPPORTED_FORMAT] = "unsupported_format",
    [DF_E_CORRUPT_FILE] = "corrupt_file",
    [DF_E_TRUNCATED_FILE] = "truncated_file",
    [DF_E_PASSWORD_PROTECTED] = "password_protected",
    [DF_E_OCR_UNAVAILABLE] = "ocr_unavailable",
    [DF_E_TIMEOUT] = "timeout",
    [DF_E_CANCELLED] = "cancelled",
    [DF_E_INTERNAL] = "internal_error",
};

const char *df_code_name(df_code code)
{
    if ((unsigned)code >= sizeof code_names / sizeof *code_names || !code_names[code])
        return "unknown_error";
    return code_names[code];
}

const char *df_version(void)
{
    return DF_VERSION_STRING;
}

const char *df_supported_formats(void)
{
    return "PDF, JPEG, PNG, WEBP, TIFF, BMP, HEIC/HEIF, AVIF";
}
