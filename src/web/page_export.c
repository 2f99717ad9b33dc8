/*
 * page_export.c: the download buttons of an indicator view: GET /indicatoren/{id}/export.csv
 * and /export.xlsx. They take the same query parameters as the indicator page
 * (figures_parse_query) and fetch the view through figures_view, so a file holds exactly the
 * disclosed figures the page shows to this user — never more.
 */
#include "core/common.h"
#include "core/log.h"
#include "report/export.h"
#include "web/figures.h"
#include "web/page.h"
#include "web/router.h"

enum fmt { FMT_CSV, FMT_XLSX };

static void fail(struct http_req *req, int rc, const struct err_ctx *e)
{
    switch (rc) {
    case ERR_INVALID:
        page_error(req, 400, e->msg[0] ? e->msg : _("Deze vraag kan niet worden beantwoord."));
        return;
    case ERR_DENIED:
        page_error(req, 403, _("U kunt deze cijfers niet inzien."));
        return;
    case ERR_NOT_FOUND:
        page_error(req, 404, NULL);
        return;
    default:
        page_error(req, 500, NULL);
        return;
    }
}

static void export(struct http_req *req, enum fmt f)
{
    int64_t id;
    struct figures_opts o;
    struct mx_view v;
    struct err_ctx e = {0};
    const char *body = NULL;
    size_t len = 0;

    if (http_param_id_or_404(req, 0, &id))
        return;
    memset(&o, 0, sizeof o);
    int rc = figures_parse_query(req, &o, &e);
    if (rc == 0) {
        o.ind_id = id;
        rc = figures_view(req, &o, &v, &e);
    }
    if (rc != 0) {
        fail(req, rc, &e);
        return;
    }
    struct export_meta m = {
        .label = figures_label,
        .label_ctx = req,
        .tmp_dir = arena_printf(req->arena, "%s/tmp", req->app->cfg->data_dir),
    };
    rc = f == FMT_CSV ? export_csv(&v, &m, req->arena, &body, &len, &e)
                      : export_xlsx(&v, &m, req->arena, &body, &len, &e);
    if (rc != 0) {
        log_error("export.fail", "rid", req->rid, "msg", e.msg, NULL);
        page_error(req, 500, NULL);
        return;
    }
    const char *name = export_file_name(req->arena, &v, f == FMT_CSV ? "csv" : "xlsx");
    req->resp.status = 200;
    req->resp.content_type =
        f == FMT_CSV ? "text/csv; charset=utf-8"
                     : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    req->resp.body = body;
    req->resp.body_len = len;
    /* export_file_name keeps to [a-z0-9_.-], so the name needs no quoting rules. */
    http_resp_header(req, "Content-Disposition",
                     arena_printf(req->arena, "attachment; filename=\"%s\"", name));
}

static void export_csv_page(struct http_req *req)
{
    export(req, FMT_CSV);
}

static void export_xlsx_page(struct http_req *req)
{
    export(req, FMT_XLSX);
}

const struct route export_page_routes[] = {
    {"GET", "/indicatoren/{id}/export.csv", export_csv_page, 0, "indicator.export.csv"},
    {"GET", "/indicatoren/{id}/export.xlsx", export_xlsx_page, 0, "indicator.export.xlsx"},
    ROUTES_END,
};
