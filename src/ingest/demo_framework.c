/*
 * demo_framework.c: the demo region's quality framework (see demo_framework.h): created
 * through the domain and filled through the real import, so the shipped CSV is also an
 * import test that runs on every `duiding demo`.
 */
#include "ingest/demo_framework.h"
#include "core/common.h"
#include "core/resource.h"
#include "domain/demo_data.h"
#include "domain/framework.h"
#include "domain/org.h"
#include "ingest/framework_import.h"

static const struct actor demo_actor = {
    .user_id = -1, .org_kind = ORG_REGION, .roles = ROLE_ALL, .display_name = "demo"};

int demo_framework_generate(struct store *s, struct demo_framework_summary *out, struct err_ctx *e)
{
    struct arena *a = arena_new(0);
    struct org *reg = NULL;
    int nreg = 0, total = 0, rc;
    memset(out, 0, sizeof *out);
    if (!a)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    const struct resource *res = resource_find(DEMO_FRAMEWORK_RESOURCE);
    if (!res) {
        rc = err_set(e, ERR_INTERNAL, NULL, "missing resource %s", DEMO_FRAMEWORK_RESOURCE);
        goto out;
    }
    struct org_filter f = {.kind = ORG_REGION, .q = DEMO_REGION_NAME, .limit = ORG_LIST_MAX};
    if ((rc = org_list(a, s, &demo_actor, &f, &reg, &nreg, &total)) || nreg == 0) {
        rc = err_set(e, rc ? rc : ERR_INVALID, NULL, "cannot find the demo region");
        goto out;
    }
    struct framework_input in = {
        .owner_org_id = reg[0].id,
        .name = "Kwaliteitskader sociaal domein " DEMO_REGION_SHORT,
        .description = "Eén kwaliteitskader voor jeugdhulp en Wmo-ondersteuning in de hele "
                       "regio, onderdeel van de contracten. Gemeenten kunnen lokale punten "
                       "toevoegen. De toetsing gebeurt in gesprekken en waar nodig door "
                       "aanvullend onderzoek.",
    };
    if ((rc = framework_create(s, &demo_actor, &in, &out->framework_id, e)))
        goto out;
    struct fwi_result r;
    rc = framework_import(a, s, &demo_actor, out->framework_id, "kwaliteitskader-demo.csv",
                          res->data, res->len, &r);
    if (rc) {
        err_set(e, rc, NULL, "%s", r.nerrors ? r.errors[0].msg : "demo framework import failed");
        goto out;
    }
    struct criterion *cs;
    struct fw_theme *th;
    struct fw_duplicate *d;
    int nc = 0, nt = 0, nd = 0;
    if ((rc = framework_criteria(a, s, &demo_actor, out->framework_id, false, &cs, &nc)) ||
        (rc = framework_themes(a, s, &demo_actor, out->framework_id, &th, &nt)) ||
        (rc = framework_duplicates(a, s, &demo_actor, out->framework_id, &d, &nd)))
        goto out;
    out->criteria = nc;
    out->themes = nt;
    out->duplicates = nd;
    for (int i = 0; i < nc; i++)
        out->local += cs[i].local_org_id > 0;
out:
    arena_free(a);
    return rc;
}
