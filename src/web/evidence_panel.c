/*
 * evidence_panel.c: the "Bewijsstukken" panel of a review page (web/evidence_panel.h): a table
 * of the files with type, size, who added them, the scan status in words and a download link
 * (never a preview: files are only offered as downloads, web/page_evidence.c), a remove button
 * for the uploading organisation, and the upload form. The form posts multipart to
 * /toetsingen/{id}/bewijsstukken with the CSRF token in the query string (web/http.h uploads).
 */
#include "web/evidence_panel.h"
#include "core/buf.h"
#include "core/common.h"
#include "domain/evidence.h"
#include "web/page.h"
#include "web/page_kit.h"

static const char *size_text(struct arena *a, int64_t bytes)
{
    if (bytes < 1024)
        return arena_printf(a, _("%lld bytes"), (long long)bytes);
    if (bytes < 1024 * 1024)
        return arena_printf(a, _("%lld KiB"), (long long)((bytes + 1023) / 1024));
    return arena_printf(a, _("%.1f MiB"), (double)bytes / (1024.0 * 1024.0));
}

static void upload_form(struct html *h, struct http_req *req, const struct review *r,
                        int64_t criterion_id)
{
    struct arena *a = req->arena;
    /* A multipart body is streamed to disk before it is parsed: the CSRF token travels in
     * the action's query string (web/http.h). */
    struct buf action;
    buf_init(&action, BUF_MAX_SMALL);
    const char *path = arena_printf(a, "/toetsingen/%lld/bewijsstukken?csrf=", (long long)r->id);
    if (!path || buf_append_str(&action, path) ||
        buf_append_urlenc(&action, req->csrf_token ? req->csrf_token : "",
                          req->csrf_token ? strlen(req->csrf_token) : 0))
        buf_reset(&action);
    const char *full = arena_strdup(a, action.len ? buf_cstr(&action) : "/");
    buf_release(&action);
    html_raw(h, "<form class=\"utrecht-form\" method=\"post\" enctype=\"multipart/form-data\"");
    html_url_attr(h, "action", full);
    html_raw(h, ">");
    const char *back = arena_printf(a, "%s#bewijsstukken", req->path ? req->path : "/");
    html_raw(h, "<input type=\"hidden\" name=\"terug\"");
    html_attr(h, "value", back);
    html_raw(h, ">");
    if (criterion_id > 0) {
        html_raw(h, "<input type=\"hidden\" name=\"criterium\"");
        html_attr_int(h, "value", criterion_id);
        html_raw(h, ">");
    } else {
        struct review_item *items = NULL;
        int n = 0;
        if (review_items(a, req->app->store, &req->actor, r->id, &items, &n) == 0 && n > 0) {
            html_raw(h, "<div class=\"utrecht-form-field\"><label class=\"utrecht-form-label\" "
                        "for=\"ev-criterium\">");
            html_text(h, _("Bij criterium (niet verplicht)"));
            html_raw(h, "</label><select class=\"utrecht-select\" id=\"ev-criterium\" "
                        "name=\"criterium\"><option value=\"\">");
            html_text(h, _("De toetsing als geheel"));
            html_raw(h, "</option>");
            for (int i = 0; i < n; i++) {
                if (!items[i].applicable)
                    continue;
                html_raw(h, "<option");
                html_attr_int(h, "value", items[i].criterion_id);
                html_raw(h, ">");
                html_text(h, items[i].code);
                html_text(h, " ");
                html_text(h, items[i].text);
                html_raw(h, "</option>");
            }
            html_raw(h, "</select></div>");
        }
    }
    html_raw(h, "<div class=\"utrecht-form-field\"><label class=\"utrecht-form-label\" "
                "for=\"ev-bestand\">");
    html_text(h, _("Bestand"));
    html_raw(h, "</label><p class=\"utrecht-form-field-description\" id=\"ev-bestand-hint\">");
    html_text(h, _("PDF, Word (docx), Excel (xlsx), OpenDocument-tekst (odt), PNG of JPEG; "
                   "hoogstens 20 MiB per bestand, 200 MiB en 200 bestanden per toetsing."));
    html_raw(h, "</p><input class=\"utrecht-textbox\" type=\"file\" id=\"ev-bestand\" "
                "name=\"bestand\" required aria-describedby=\"ev-bestand-hint\" "
                "accept=\".pdf,.docx,.xlsx,.odt,.png,.jpg,.jpeg\"></div>");
    form_submit(h, _("Bewijsstuk toevoegen"));
    html_raw(h, "</form>");
}

int evidence_panel(struct html *h, struct http_req *req, const struct review *r,
                   int64_t criterion_id)
{
    struct arena *a = req->arena;
    struct evidence_file *fs = NULL;
    int n = 0;
    html_raw(h, "<section class=\"evidence-panel\" id=\"bewijsstukken\" "
                "aria-labelledby=\"bewijsstukken-kop\"><h2 id=\"bewijsstukken-kop\">");
    html_text(h, _("Bewijsstukken"));
    html_raw(h, "</h2>");
    int ret = evidence_list(a, req->app->store, &req->actor, r, criterion_id, &fs, &n);
    if (ret) {
        kit_para(h, _("De bewijsstukken kunnen nu niet worden getoond."));
        html_raw(h, "</section>");
        return ret;
    }
    if (n == 0) {
        kit_para(h, _("Er zijn nog geen bewijsstukken toegevoegd."));
    } else {
        static const char *const heads[] = {N_("Bestand"),         N_("Soort"),     N_("Grootte"),
                                            N_("Toegevoegd door"), N_("Virusscan"), N_("Actie")};
        const char *th[6];
        for (int i = 0; i < 6; i++)
            th[i] = _(heads[i]);
        table_begin(h, _("Bewijsstukken bij deze toetsing"), th, 6);
        for (int i = 0; i < n; i++) {
            const struct evidence_file *f = &fs[i];
            const char *href = arena_printf(a, "/toetsingen/%lld/bewijsstukken/%lld",
                                            (long long)r->id, (long long)f->id);
            table_row_begin(h);
            if (f->scan == SCAN_BESMET)
                table_cell(h, f->name);
            else
                table_cell_link(h, href, f->name);
            table_cell(h, evidence_type_label(f->type));
            table_cell(h, size_text(a, f->size));
            table_cell(h,
                       arena_printf(a, "%s (%s)", f->uploaded_by_name ? f->uploaded_by_name : "-",
                                    f->org_name ? f->org_name : "-"));
            table_cell(h, evidence_scan_label(f->scan));
            html_raw(h, "<td>");
            if (evidence_may_remove(&req->actor, r, f))
                form_button(h, req, arena_printf(a, "%s/verwijderen", href), _("Verwijderen"),
                            true);
            html_raw(h, "</td>");
            table_row_end(h);
        }
        table_end(h);
    }
    if (evidence_may_upload(&req->actor, r, a))
        upload_form(h, req, r, criterion_id);
    html_raw(h, "</section>");
    return 0;
}
