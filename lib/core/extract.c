/*
 * extract.c — df_extract_file / df_extract_memory: one document, on the
 * calling thread, through the same job steps the batch driver uses
 * (job.h), pages one after the other.
 */
#include "core/job.h"

#include <stddef.h>

static df_code run(df_job *j, df_result **out)
{
    df_reader *rd = NULL;
    if (df_job_open(j, NULL, &rd) == DF_OK) {
        df_ocr_lease lease = {j->e->ocr, NULL};
        for (size_t i = 0; i < j->doc.npages; i++) {
            df_err err = {0};
            if (df_job_page(j, rd, &lease, i, &err) != DF_OK) {
                df_job_fail(j, i, &err);
                break;
            }
        }
        df_ocr_lease_end(&lease);
    }
    df_reader_free(rd);
    *out = df_job_finish(j);
    df_job_release_data(j);
    return (*out)->code;
}

df_code df_extract_memory(df_engine *e, const void *data, size_t len, const char *name,
                          df_result **out)
{
    if (!out)
        return DF_E_INVALID_ARGUMENT;
    *out = NULL;
    df_job j = {0};
    if (df_job_start_memory(&j, e, data, len, name) != DF_OK)
        return DF_E_NO_MEMORY;
    return run(&j, out);
}

df_code df_extract_file(df_engine *e, const char *path, df_result **out)
{
    if (!out)
        return DF_E_INVALID_ARGUMENT;
    *out = NULL;
    df_job j = {0};
    if (df_job_start_file(&j, e, path) != DF_OK)
        return DF_E_NO_MEMORY;
    return run(&j, out);
}
