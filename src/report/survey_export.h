/*
 * survey_export.h: disclosed survey results (metrics/survey_result.h) as a file for a
 * spreadsheet: CSV for Dutch Excel (UTF-8 with BOM, ';', CRLF, decimal comma) and XLSX. One row
 * per question, answer and column (total or breakdown value); hidden figures are "." with the
 * reason. Text goes through export_safe_text (report/export.h), so nothing a resident or an
 * editor wrote can run as a formula.
 */
#ifndef DUIDING_REPORT_SURVEY_EXPORT_H
#define DUIDING_REPORT_SURVEY_EXPORT_H

#include "core/arena.h"
#include "core/err.h"
#include "domain/questionnaire.h"
#include "metrics/survey_result.h"
#include <stddef.h>

/* Label of a breakdown value (gemeente name, aanbieder name, category label); NULL: the code. */
typedef const char *(*survey_label_fn)(void *ctx, enum survey_dim d, const char *code);

struct survey_export_meta {
    const char *title;    /* the questionnaire's title */
    const char *rounds;   /* which rounds, in words */
    const char *audience; /* the audience's label */
    survey_label_fn label;
    void *label_ctx;
    const char *tmp_dir; /* XLSX temp directory */
};

int survey_export_csv(const struct questionnaire *q, const struct survey_result *r,
                      const struct survey_export_meta *m, struct arena *a, const char **out,
                      size_t *len, struct err_ctx *e);
int survey_export_xlsx(const struct questionnaire *q, const struct survey_result *r,
                       const struct survey_export_meta *m, struct arena *a, const char **out,
                       size_t *len, struct err_ctx *e);

#endif
