/*
 * data_pack.c: building, freezing and rendering the data pack of a quality conversation
 * (data_pack.h). The builder collects everything through the layers that decide what may be
 * shown — figures through report/conversation_figures.h (metrics/view.h, disclosure control),
 * stories with consent "gesprek" or wider, context events, disclosed survey results, the open
 * actions of the previous conversation — and writes one canonical JSON document (sorted keys,
 * compact) with its sha256 in a single insert. The document holds the formatted values too, so
 * the page and the PDF render the frozen text and never compute anything again.
 */
#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <time.h>

#include "report/data_pack.h"
#include "core/common.h"
#include "core/local_time.h"
#include "core/str.h"
#include "domain/action.h"
#include "domain/audit.h"
#include "domain/conversation.h"
#include "domain/org.h"
#include "domain/result.h"
#include "domain/story.h"
#include "domain/survey.h"
#include "domain/survey_round.h"
#include "domain/theory.h"
#include "metrics/survey_result.h"
#include "report/action_movement.h"
#include "report/conversation_figures.h"
#include "report/pdf.h"
#include "store/context_event_store.h"
#include "store/indicator_store.h"
#include "store/result_store.h"
#include "store/round_store.h"
#include "store/story_store.h"

#define PACK_MAX_QUARTERS 24
#define PACK_MAX_ROUNDS   10
#define PACK_TEXT_MAX     4000 /* bytes of a story body kept in the pack */

/* ---- Small JSON helpers ------------------------------------------------------------------- */

static json_t *jstr(const char *s)
{
    if (s == NULL)
        return json_null();
    json_t *j = json_string(s);
    return j ? j : json_string("\xEF\xBF\xBD"); /* invalid UTF-8 never stops a pack */
}

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *jday(day_t d)
{
    if (d == DAY_NONE)
        return json_null();
    char iso[11];
    day_format_iso(d, iso);
    return json_string(iso);
}

static void set(json_t *o, const char *k, json_t *v)
{
    json_object_set_new(o, k, v ? v : json_null());
}

static const char *jget_str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* "12-03-2026" from an ISO date string in the document ("" stays ""). */
static const char *nl_date(struct arena *a, const char *iso)
{
    day_t d;
    if (iso == NULL || *iso == '\0' || str_parse_date_iso(str_from(iso), &d) != 0)
        return iso ? iso : "";
    char out[11];
    date_format_nl(d, out);
    return arena_strdup(a, out);
}

/* ---- Movement of a figure ----------------------------------------------------------------- */

/* Better, worse or the same as before, by the indicator's polarity (report/action_movement.h,
 * the same judgement as on the action pages): the code stored in the document. */
static const char *movement(enum ind_polarity pol, double before, double now, double lo, double hi)
{
    return action_move_code(action_move_classify(pol, before, now, lo, hi));
}

static const char *movement_label(const char *code)
{
    return action_move_label(action_move_parse(code));
}

/* ---- The context of one build ------------------------------------------------------------- */

struct build {
    struct arena *a;
    struct store *s;
    struct db *db;
    struct mx_engine *eng;
    const struct config *cfg;
    const struct actor *who;
    const struct conversation *c;
    struct conv_fig_scope sc;
    struct period first, last;
    day_t from, to; /* the days the pack covers (a year before the period, then the period) */
    day_t data_date;
    int nindicators;
    struct err_ctx *e;
};

static const char *org_name(struct build *b, int64_t id)
{
    struct org o;
    if (id == 0 || org_get_internal(b->a, b->s, id, &o) != 0)
        return NULL;
    return o.name;
}

/* One series (the conversation's total, or one aanbieder party) of an indicator. */
static int series_json(struct build *b, int64_t ind_id, int64_t aanbieder, const char *name,
                       json_t *out_arr, enum ind_polarity *pol, json_t *ind)
{
    struct mx_view v;
    struct err_ctx ve = {0};
    int rc = conv_fig_view(b->eng, b->cfg, b->s, b->a, b->c, ind_id, aanbieder, b->first, b->last,
                           &v, &ve);
    if (rc == ERR_NOT_FOUND)
        return 0; /* archived or unknown to the engine: left out */
    if (rc) {
        *b->e = ve;
        return rc;
    }
    if (v.data_date > b->data_date)
        b->data_date = v.data_date;
    if (ind && json_object_size(ind) == 0 && v.def) {
        set(ind, "id", json_integer(ind_id));
        set(ind, "code", jstr(v.def->code));
        set(ind, "naam", jstr(v.def->name));
        set(ind, "uitleg", jstr(v.def->explanation));
        set(ind, "bron", jstr(v.def->source));
        set(ind, "berekening", jstr(ind_agg_code(v.def->agg)));
        set(ind, "polariteit", jstr(ind_polarity_code(v.def->polarity)));
        set(ind, "procent", json_boolean(v.def->agg == IND_AGG_PROPORTION));
        *pol = v.def->polarity;
    }
    json_t *s = json_object();
    set(s, "naam", jstr(name));
    set(s, "aanbieder", aanbieder ? json_integer(aanbieder) : json_null());
    json_t *per = json_array();
    const struct mx_vcell *newest = NULL;
    for (int i = 0; i < v.nperiods; i++) {
        const struct mx_vcell *cell = mx_view_cell(&v, i, NULL, NULL);
        char code[PERIOD_CODE_MAX], buf[64];
        period_code(v.periods[i], code);
        json_t *p = json_object();
        set(p, "periode", jstr(code));
        bool shown = cell && cell->reason == DC_SHOWN && isfinite(cell->value);
        if (shown) {
            newest = cell;
            set(p, "waarde", jnum(cell->value));
            mx_view_format_value(&v, cell, buf, sizeof buf);
            set(p, "weergave", jstr(buf));
            set(p, "n", cell->n >= 0 ? json_integer(cell->n) : json_null());
            set(p, "ondergrens", jnum(cell->lo));
            set(p, "bovengrens", jnum(cell->hi));
            if (isfinite(cell->lo) && isfinite(cell->hi)) {
                char lo[32], hi[32];
                mx_view_format_number(&v, cell->lo, lo, sizeof lo);
                mx_view_format_number(&v, cell->hi, hi, sizeof hi);
                set(p, "interval_weergave", jstr(arena_printf(b->a, "%s – %s", lo, hi)));
            }
            set(p, "verborgen", json_null());
        } else {
            /* Hidden or no data: no value at all, never 0. */
            set(p, "waarde", json_null());
            set(p, "weergave", jstr("."));
            set(p, "n", json_null());
            set(p, "ondergrens", json_null());
            set(p, "bovengrens", json_null());
            set(p, "verborgen", jstr(_(dc_reason_text(cell ? cell->reason : DC_NO_DATA))));
        }
        double tg = cell ? cell->target : NAN;
        set(p, "streefwaarde", jnum(tg));
        if (isfinite(tg)) {
            mx_view_format_number(&v, tg, buf, sizeof buf);
            set(p, "streefwaarde_weergave", jstr(buf));
        }
        if (cell && isfinite(cell->bench_median)) {
            json_t *bm = json_object();
            set(bm, "p25", jnum(cell->bench_p25));
            set(bm, "mediaan", jnum(cell->bench_median));
            set(bm, "p75", jnum(cell->bench_p75));
            set(bm, "aantal", json_integer(cell->bench_entities));
            char lo[32], hi[32];
            mx_view_format_number(&v, cell->bench_p25, lo, sizeof lo);
            mx_view_format_number(&v, cell->bench_p75, hi, sizeof hi);
            set(bm, "weergave", jstr(arena_printf(b->a, "%s – %s", lo, hi)));
            set(p, "benchmark", bm);
        } else {
            set(p, "benchmark", json_null());
        }
        json_array_append_new(per, p);
    }
    set(s, "perioden", per);
    /* The disclosed view document itself, for the page's chart (static/charts.js). */
    const char *vj = mx_view_to_json(&v, NULL, NULL, b->a);
    set(s, "grafiek", vj ? json_loads(vj, 0, NULL) : json_null());
    /* Trend: the newest shown value against the one before it. */
    const char *trend = "onbekend";
    if (newest && v.def)
        trend = movement(v.def->polarity, newest->prev, newest->value, newest->lo, newest->hi);
    set(s, "trend", jstr(trend));
    json_array_append_new(out_arr, s);
    return 0;
}

static int indicator_json(struct build *b, int64_t ind_id, json_t *arr)
{
    if (b->nindicators >= DATA_PACK_MAX_INDICATORS)
        return err_set(b->e, ERR_TOO_BIG, NULL,
                       _("Een datapakket bevat ten hoogste %d indicatoren."),
                       DATA_PACK_MAX_INDICATORS);
    json_t *ind = json_object();
    json_t *series = json_array();
    enum ind_polarity pol = IND_NEUTRAL;
    const char *gname = b->sc.ngemeenten == 1 ? _("Gemeente") : _("Gemeenten");
    const char *total = b->sc.scope.aanbieder_id
                            ? arena_printf(b->a, "%s",
                                           org_name(b, b->sc.scope.aanbieder_id)
                                               ? org_name(b, b->sc.scope.aanbieder_id)
                                               : _("Aanbieder"))
                            : arena_printf(b->a, _("%s: alle aanbieders"), gname);
    int rc = series_json(b, ind_id, 0, total, series, &pol, ind);
    /* Several aanbieders at the table: each one's own figure beside the total. */
    for (int i = 0; !rc && b->sc.naanbieders > 1 && i < b->sc.naanbieders; i++) {
        const char *nm = org_name(b, b->sc.aanbieders[i]);
        rc = series_json(b, ind_id, b->sc.aanbieders[i], nm ? nm : _("Aanbieder"), series, &pol,
                         NULL);
    }
    if (rc || json_object_size(ind) == 0) {
        json_decref(ind);
        json_decref(series);
        return rc;
    }
    set(ind, "reeksen", series);
    json_array_append_new(arr, ind);
    b->nindicators++;
    return 0;
}

static json_t *theory_json(struct build *b, int64_t result_id)
{
    struct theory t;
    if (theory_get(b->a, b->s, b->who, result_id, &t) != 0 || t.version == 0)
        return json_null();
    json_t *o = json_object();
    set(o, "versie", json_integer(t.version));
    json_t *st = json_array();
    for (int i = 0; i < THEORY_STARTERS; i++) {
        if (t.starters[i] == NULL || t.starters[i][0] == '\0')
            continue;
        json_t *q = json_object();
        set(q, "vraag", jstr(theory_starter_question((enum theory_starter)i)));
        set(q, "antwoord", jstr(t.starters[i]));
        json_array_append_new(st, q);
    }
    set(o, "startvragen", st);
    json_t *acts = json_array();
    for (int i = 0; i < t.nactivities; i++) {
        const struct theory_activity *ac = &t.activities[i];
        json_t *j = json_object();
        set(j, "aanbieder", jstr(ac->aanbieder_name));
        set(j, "product", jstr(ac->product));
        set(j, "activiteit", jstr(ac->description));
        set(j, "aannames", jstr(ac->assumptions));
        set(j, "voorwaarden", jstr(ac->conditions));
        set(j, "uitkomsten", jstr(ac->outcomes));
        json_t *inds = json_array();
        for (int k = 0; k < ac->nindicators; k++)
            json_array_append_new(inds, jstr(ac->indicators[k].name));
        set(j, "indicatoren", inds);
        json_array_append_new(acts, j);
    }
    set(o, "activiteiten", acts);
    return o;
}

static int results_json(struct build *b, json_t *root)
{
    json_t *arr = json_array();
    set(root, "resultaten", arr);
    for (int r = 0; r < b->c->nresults; r++) {
        int64_t rid = b->c->result_ids[r];
        struct result res;
        if (result_get(b->a, b->s, b->who, rid, &res) != 0)
            continue;
        json_t *o = json_object();
        set(o, "id", json_integer(rid));
        set(o, "titel", jstr(res.title));
        set(o, "omschrijving", jstr(res.description));
        set(o, "verandertheorie", theory_json(b, rid));
        json_t *inds = json_array();
        set(o, "indicatoren", inds);
        json_array_append_new(arr, o);
        int64_t *ids = NULL;
        size_t nids = 0;
        int rc = indicator_store_result_links(b->a, b->db, rid, &ids, &nids);
        if (rc)
            return err_set(b->e, rc, NULL, "%s",
                           _("De indicatoren van een resultaat konden niet worden gelezen."));
        for (size_t i = 0; i < nids; i++)
            if ((rc = indicator_json(b, ids[i], inds)) != 0)
                return rc;
    }
    return 0;
}

static bool is_party(const struct conversation *c, int64_t org)
{
    for (int i = 0; org && i < c->nparties; i++)
        if (c->parties[i].org_id == org)
            return true;
    return false;
}

/*
 * Stories with consent "gesprek" or "publicatie" about the conversation's results and
 * gemeenten, told in (or about) the pack's days. Only stories that belong at this table: owned
 * by a party or about a party gemeente, and not about an aanbieder that is not taking part,
 * nor owned by one (its consent covers conversations with its own parties only).
 */
static int stories_json(struct build *b, json_t *root)
{
    json_t *arr = json_array();
    set(root, "verhalen", arr);
    int64_t *seen = arena_calloc(b->a, DATA_PACK_MAX_STORIES, sizeof *seen);
    int nseen = 0;
    if (seen == NULL)
        return ERR_NOMEM;
    for (int r = 0; r < b->c->nresults && nseen < DATA_PACK_MAX_STORIES; r++) {
        for (size_t g = 0; g < b->sc.ngemeenten && nseen < DATA_PACK_MAX_STORIES; g++) {
            struct story_query q = {.result_id = b->c->result_ids[r],
                                    .gemeente = b->sc.gemeenten[g],
                                    .gemeente_or_none = true,
                                    .has_period = true,
                                    .period_from = b->from,
                                    .period_to = b->to};
            struct story *st = NULL;
            int n = 0;
            int rc =
                story_store_list(b->a, b->db, &q, CONSENT_GESPREK, DATA_PACK_MAX_STORIES, &st, &n);
            if (rc)
                return err_set(b->e, rc, NULL, "%s", _("De verhalen konden niet worden gelezen."));
            for (int i = 0; i < n && nseen < DATA_PACK_MAX_STORIES; i++) {
                const struct story *x = &st[i];
                if (x->archived || x->consent < CONSENT_GESPREK)
                    continue;
                bool dup = false;
                for (int k = 0; k < nseen && !dup; k++)
                    dup = seen[k] == x->id;
                if (dup)
                    continue;
                struct org owner;
                if (org_get_internal(b->a, b->s, x->owner_org_id, &owner) != 0)
                    continue;
                bool belongs = is_party(b->c, x->owner_org_id) ||
                               (x->gemeente_org_id && is_party(b->c, x->gemeente_org_id));
                if (x->aanbieder_id && !is_party(b->c, x->aanbieder_id))
                    belongs = false;
                if (owner.kind == ORG_AANBIEDER && !is_party(b->c, owner.id))
                    belongs = false;
                if (!belongs)
                    continue;
                seen[nseen++] = x->id;
                json_t *o = json_object();
                set(o, "id", json_integer(x->id));
                set(o, "soort", jstr(story_kind_label(x->kind)));
                set(o, "titel", jstr(x->title));
                size_t bl = strlen(x->body ? x->body : "");
                if (bl > PACK_TEXT_MAX) {
                    while (bl > 0 && bl > PACK_TEXT_MAX)
                        bl--;
                    while (bl > 0 && ((unsigned char)x->body[bl] & 0xC0) == 0x80)
                        bl--;
                    set(o, "tekst", jstr(arena_printf(b->a, "%.*s…", (int)bl, x->body)));
                } else {
                    set(o, "tekst", jstr(x->body));
                }
                set(o, "verteller", jstr(x->teller_role));
                set(o, "verteld_op", jday(x->told_on));
                set(o, "toestemming", jstr(story_consent_code(x->consent)));
                set(o, "eigenaar", jstr(owner.name));
                set(o, "aanbieder", jstr(x->aanbieder_name));
                json_array_append_new(arr, o);
            }
        }
    }
    return 0;
}

static int events_json(struct build *b, json_t *root)
{
    json_t *arr = json_array();
    set(root, "contextgebeurtenissen", arr);
    struct buf list;
    buf_init(&list, 64 * 1024);
    int rc = buf_append_char(&list, ',');
    for (size_t g = 0; !rc && g < b->sc.ngemeenten; g++)
        rc = buf_appendf(&list, "%s,", b->sc.gemeenten[g]);
    if (rc) {
        buf_release(&list);
        return err_set(b->e, ERR_TOO_BIG, NULL, "too many gemeenten");
    }
    const char *scope_list = arena_strdup(b->a, buf_cstr(&list));
    buf_release(&list);
    int64_t seen[DATA_PACK_MAX_EVENTS];
    int nseen = 0;
    /* Region-wide and gemeente events once, then each aanbieder party's own. */
    for (int k = -1; k < b->sc.naanbieders && nseen < DATA_PACK_MAX_EVENTS; k++) {
        struct context_event_query q = {.scoped = true,
                                        .scope_list = scope_list,
                                        .scope_aanbieder = k < 0 ? 0 : b->sc.aanbieders[k],
                                        .has_range = true,
                                        .from = b->from,
                                        .to = b->to,
                                        .limit = DATA_PACK_MAX_EVENTS};
        struct context_event *ev = NULL;
        int n = 0;
        rc = context_event_store_list(b->a, b->db, &q, &ev, &n);
        if (rc)
            return err_set(b->e, rc, NULL, "%s",
                           _("De contextgebeurtenissen konden niet worden gelezen."));
        for (int i = 0; i < n && nseen < DATA_PACK_MAX_EVENTS; i++) {
            bool dup = false;
            for (int j = 0; j < nseen && !dup; j++)
                dup = seen[j] == ev[i].id;
            if (dup)
                continue;
            seen[nseen++] = ev[i].id;
            json_t *o = json_object();
            set(o, "id", json_integer(ev[i].id));
            set(o, "titel", jstr(ev[i].title));
            set(o, "omschrijving", jstr(ev[i].description));
            set(o, "datum", jday(ev[i].on_date));
            set(o, "tot", ev[i].has_until ? jday(ev[i].until_date) : json_null());
            set(o, "gemeente", jstr(ev[i].gemeente_name));
            set(o, "aanbieder", jstr(ev[i].aanbieder_name));
            char pc[PERIOD_CODE_MAX];
            period_code(period_of(ev[i].on_date, PERIOD_QUARTER), pc);
            set(o, "periode", jstr(pc));
            json_array_append_new(arr, o);
        }
    }
    return 0;
}

static bool gemeente_in_scope(const struct build *b, const char *g)
{
    for (size_t i = 0; g && i < b->sc.ngemeenten; i++)
        if (strcmp(b->sc.gemeenten[i], g) == 0)
            return true;
    return false;
}

/* Survey results of the rounds about the conversation's gemeenten in the pack's days, each
 * round on its own, disclosed with the pack's rules. */
static int surveys_json(struct build *b, json_t *root)
{
    json_t *arr = json_array();
    set(root, "enquetes", arr);
    struct survey_round *rounds = NULL;
    int n = 0;
    int rc = round_store_list(b->a, b->db, 0, 0, &rounds, &n);
    if (rc)
        return err_set(b->e, rc, NULL, "%s", _("De enquêtes konden niet worden gelezen."));
    int taken = 0;
    for (int i = 0; i < n && taken < PACK_MAX_ROUNDS; i++) {
        const struct survey_round *r = &rounds[i];
        if (r->status == ROUND_CONCEPT || !gemeente_in_scope(b, r->gemeente))
            continue;
        if (r->aanbieder_id && !is_party(b->c, r->aanbieder_id))
            continue;
        if (r->closes_on < b->from || r->opens_on > b->to)
            continue;
        const char *doc = NULL;
        struct questionnaire q;
        struct err_ctx pe = {0};
        if (survey_get_version(b->a, b->s, r->survey_id, r->survey_version, &doc) != 0 ||
            survey_parse(b->a, doc, &q, &pe) != 0)
            continue;
        struct survey_result sr;
        rc = survey_result_compute(b->a, b->db, &q, &r->id, 1, SURVEY_DIM_NONE, &b->sc.rules, &sr);
        if (rc)
            continue;
        taken++;
        json_t *o = json_object();
        set(o, "ronde", jstr(r->name));
        set(o, "vragenlijst", jstr(q.title));
        set(o, "van", jday(r->opens_on));
        set(o, "tot", jday(r->closes_on));
        set(o, "aanbieder", jstr(r->aanbieder_name));
        set(o, "respons", sr.responses.n >= 0 ? json_integer(sr.responses.n) : json_null());
        json_t *qs = json_array();
        for (int k = 0; k < sr.nquestions; k++) {
            const struct sr_question *sq = &sr.questions[k];
            json_t *jq = json_object();
            set(jq, "vraag", jstr(q.questions[sq->question].text));
            set(jq, "basis", sq->base[0].n >= 0 ? json_integer(sq->base[0].n) : json_null());
            set(jq, "gemiddelde", jnum(sq->mean));
            json_t *ans = json_array();
            for (int o2 = 0; o2 < sq->noptions; o2++) {
                const struct sr_cell *cell = &sq->cells[o2];
                json_t *ja = json_object();
                set(ja, "antwoord", jstr(sq->options[o2].label));
                bool hidden = cell->n < 0;
                set(ja, "aantal", hidden ? json_null() : json_integer(cell->n));
                set(ja, "procent", hidden ? json_null() : jnum(cell->pct));
                set(ja, "verborgen", hidden ? jstr(_(dc_reason_text(cell->reason))) : json_null());
                json_array_append_new(ans, ja);
            }
            set(jq, "antwoorden", ans);
            json_array_append_new(qs, jq);
        }
        set(o, "vragen", qs);
        json_array_append_new(arr, o);
    }
    return 0;
}

/* The open actions of the previous conversation, with how their indicators moved since they
 * were agreed: the baseline then against the newest shown figure of this conversation now. */
static int actions_json(struct build *b, json_t *root)
{
    json_t *arr = json_array();
    set(root, "acties_vorig_gesprek", arr);
    if (b->c->previous_id == 0)
        return 0;
    struct action_filter f = {.conversation_id = b->c->previous_id,
                              .status_mask = ACTION_STATUS_PENDING,
                              .limit = DATA_PACK_MAX_ACTIONS};
    struct improvement_action *acts = NULL;
    int n = 0, total = 0;
    int rc = action_list(b->a, b->s, b->who, &f, &acts, &n, &total);
    if (rc)
        return err_set(b->e, rc, NULL, "%s", _("De acties konden niet worden gelezen."));
    struct period lf = b->last;
    for (int i = 1; i < 8; i++)
        lf = period_prev(lf);
    for (int i = 0; i < n; i++) {
        const struct improvement_action *x = &acts[i];
        json_t *o = json_object();
        set(o, "id", json_integer(x->id));
        set(o, "omschrijving", jstr(x->description));
        set(o, "eigenaar", jstr(x->owner_name));
        set(o, "eigenaar_persoon", jstr(x->owner_user_name));
        set(o, "status", jstr(action_status_code(x->status)));
        set(o, "status_label", jstr(action_status_label(x->status)));
        set(o, "deadline", jday(x->due_on));
        set(o, "te_laat", json_boolean(action_is_overdue(x, day_today())));
        set(o, "verwacht_effect", jstr(x->expected_effect));
        json_t *inds = json_array();
        for (int k = 0; k < x->nindicators; k++) {
            const struct action_indicator *ai = &x->indicators[k];
            json_t *ji = json_object();
            set(ji, "id", json_integer(ai->indicator_id));
            set(ji, "naam", jstr(ai->name));
            set(ji, "basis", ai->has_baseline ? jnum(ai->baseline) : json_null());
            set(ji, "basis_periode", jstr(ai->baseline_period));
            struct mx_view v;
            struct err_ctx ve = {0};
            const struct mx_vcell *now = NULL;
            int now_idx = -1;
            if (conv_fig_view(b->eng, b->cfg, b->s, b->a, b->c, ai->indicator_id, 0, lf, b->last,
                              &v, &ve) == 0) {
                for (int p = v.nperiods - 1; p >= 0 && !now; p--) {
                    const struct mx_vcell *cell = mx_view_cell(&v, p, NULL, NULL);
                    if (cell && cell->reason == DC_SHOWN && isfinite(cell->value)) {
                        now = cell;
                        now_idx = p;
                    }
                }
            }
            char buf[64];
            if (now) {
                char pc[PERIOD_CODE_MAX];
                period_code(v.periods[now_idx], pc);
                set(ji, "nu", jnum(now->value));
                mx_view_format_value(&v, now, buf, sizeof buf);
                set(ji, "nu_weergave", jstr(buf));
                set(ji, "nu_periode", jstr(pc));
                if (ai->has_baseline) {
                    mx_view_format_number(&v, ai->baseline, buf, sizeof buf);
                    set(ji, "basis_weergave", jstr(buf));
                }
                const char *mv =
                    movement(v.def ? v.def->polarity : IND_NEUTRAL,
                             ai->has_baseline ? ai->baseline : NAN, now->value, now->lo, now->hi);
                set(ji, "beweging", jstr(mv));
            } else {
                set(ji, "nu", json_null());
                set(ji, "beweging", jstr("onbekend"));
            }
            json_array_append_new(inds, ji);
        }
        set(o, "indicatoren", inds);
        json_array_append_new(arr, o);
    }
    return 0;
}

static json_t *conversation_json(struct build *b)
{
    const struct conversation *c = b->c;
    json_t *o = json_object();
    set(o, "id", json_integer(c->id));
    set(o, "titel", jstr(c->title));
    set(o, "doel", jstr(c->goal));
    set(o, "soort", jstr(conv_kind_code(c->kind)));
    set(o, "eigenaar", jstr(c->owner_name));
    set(o, "periode_van", jday(c->period_from));
    set(o, "periode_tot", jday(c->period_to));
    set(o, "datum", jday(c->held_on));
    set(o, "plaats", jstr(c->place));
    set(o, "vorig_gesprek", c->previous_id ? json_integer(c->previous_id) : json_null());
    json_t *g = json_array();
    for (size_t i = 0; i < b->sc.ngemeenten; i++)
        json_array_append_new(g, jstr(b->sc.gemeenten[i]));
    set(o, "gemeenten", g);
    json_t *parties = json_array();
    for (int i = 0; i < c->nparties; i++) {
        json_t *p = json_object();
        set(p, "naam", jstr(c->parties[i].org_name));
        set(p, "kant", jstr(conv_side_code(c->parties[i].side)));
        json_array_append_new(parties, p);
    }
    set(o, "partijen", parties);
    return o;
}

/* ---- Build and freeze --------------------------------------------------------------------- */

static void hex(const unsigned char *in, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int build_document(struct build *b, json_t **out)
{
    json_t *root = json_object();
    *out = root;
    set(root, "formaat", json_integer(DATA_PACK_FORMAT));
    set(root, "gesprek", conversation_json(b));
    set(root, "publiek", jstr(dc_audience_code(b->sc.audience)));
    char pf[PERIOD_CODE_MAX], pl[PERIOD_CODE_MAX];
    period_code(b->first, pf);
    period_code(b->last, pl);
    set(root, "perioden_van", jstr(pf));
    set(root, "perioden_tot", jstr(pl));
    int rc;
    if ((rc = results_json(b, root)) || (rc = stories_json(b, root)) ||
        (rc = events_json(b, root)) || (rc = surveys_json(b, root)) || (rc = actions_json(b, root)))
        return rc;
    set(root, "peildatum", jday(b->data_date ? b->data_date : day_today()));
    return 0;
}

int data_pack_build(struct arena *a, struct store *s, struct mx_engine *eng,
                    const struct config *cfg, const struct actor *who, int64_t conversation_id,
                    struct data_pack *out, struct err_ctx *e)
{
    memset(out, 0, sizeof *out);
    struct conversation c;
    int rc = conversation_get(a, s, who, conversation_id, &c);
    if (rc)
        return err_set(e, ERR_NOT_FOUND, NULL, "%s",
                       _("Dit gesprek bestaat niet of u mag het niet zien."));
    struct object_ref obj;
    conversation_object(&c, a, &obj);
    if (!policy_allows(who, ACT_EDIT, &obj))
        return err_set(e, ERR_DENIED, NULL, "%s",
                       _("U mag voor dit gesprek geen datapakket maken."));
    if (c.status != CONV_GEPLAND && c.status != CONV_VOORBEREID)
        return err_set(
            e, ERR_CONFLICT, "status", "%s",
            _("Het gesprek is al gehouden of geannuleerd: het datapakket blijft zoals het was."));
    if (c.kind != CONV_ACHTERKANT)
        return err_set(e, ERR_INVALID, "soort", "%s",
                       _("Een voorkantgesprek heeft geen datapakket."));
    if (eng == NULL)
        return err_set(e, ERR_INTERNAL, NULL, "%s", _("De cijfers zijn nu niet beschikbaar."));

    struct build b = {
        .a = a, .s = s, .db = store_reader(s), .eng = eng, .cfg = cfg, .who = who, .c = &c, .e = e};
    if (b.db == NULL)
        return err_set(e, ERR_DB, NULL, "no database connection");
    rc = conv_fig_scope(a, s, cfg, &c, &b.sc, e);
    if (rc)
        return rc;
    /* The conversation's period and the year before it, in quarters. */
    b.from = c.period_from - 365;
    b.to = c.period_to;
    b.last = period_of(c.period_to, PERIOD_QUARTER);
    b.first = period_of(b.from, PERIOD_QUARTER);
    int nq = 1;
    for (struct period p = b.last; nq < PACK_MAX_QUARTERS * 4; nq++) {
        if (p.year == b.first.year && p.index == b.first.index)
            break;
        p = period_prev(p);
    }
    while (nq > PACK_MAX_QUARTERS) {
        b.first = period_of(period_end(b.first) + 1, PERIOD_QUARTER);
        nq--;
    }
    int64_t change = 0;
    if (data_pack_store_newest_change(b.db, &change) != 0)
        return err_set(e, ERR_DB, NULL, "%s", _("De gegevens konden niet worden gelezen."));

    json_t *doc = NULL;
    rc = build_document(&b, &doc);
    if (rc) {
        json_decref(doc);
        if (e->code == 0)
            err_set(e, rc, NULL, "%s", _("Het datapakket kon niet worden gemaakt."));
        return rc;
    }
    char *text = json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(12));
    json_decref(doc);
    if (text == NULL)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    size_t len = strlen(text);
    if (len > DATA_PACK_DOC_MAX) {
        free(text);
        return err_set(e, ERR_TOO_BIG, NULL, "%s", _("Het datapakket wordt te groot."));
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)text, len);
    char hexs[65];
    hex(h, sizeof h, hexs);
    char now[AUDIT_TS_SIZE];
    audit_format_time(time(NULL), now);

    struct data_pack_row *row = &out->row;
    row->conversation_id = c.id;
    row->created_at = arena_strdup(a, now);
    row->created_by = who->user_id > 0 ? who->user_id : 0;
    row->created_by_name = who->display_name ? arena_strdup(a, who->display_name) : NULL;
    row->data_date = b.data_date ? b.data_date : day_today();
    row->data_change_id = change;
    row->document = arena_strndup(a, text, len);
    row->document_len = len;
    row->sha256 = arena_strdup(a, hexs);
    free(text);
    if (row->document == NULL || row->sha256 == NULL || row->created_at == NULL)
        return err_set(e, ERR_TOO_BIG, NULL, "%s", _("Het datapakket wordt te groot."));

    struct db *w;
    if ((rc = store_write_begin(s, &w)) != 0)
        return err_set(e, rc, NULL, "%s", _("Het datapakket kon niet worden opgeslagen."));
    rc = data_pack_store_insert(w, row, &row->id, e);
    if (!rc)
        rc = conversation_mark_prepared_tx(w, c.id);
    if (!rc) {
        char detail[160];
        snprintf(detail, sizeof detail, "{\"gesprek\":%" PRId64 ",\"sha256\":\"%.16s\"}", c.id,
                 hexs);
        rc = audit_write(w, who, "data_pack.create", "data_pack", row->id, detail);
    }
    int end = store_write_end(s, rc == 0);
    if (!rc)
        rc = end;
    if (rc)
        return err_set(e, rc, NULL, "%s", _("Het datapakket kon niet worden opgeslagen."));
    return 0;
}

int data_pack_latest(struct arena *a, struct store *s, const struct actor *who,
                     int64_t conversation_id, struct data_pack *out)
{
    memset(out, 0, sizeof *out);
    struct conversation c;
    if (conversation_get(a, s, who, conversation_id, &c) != 0)
        return ERR_NOT_FOUND;
    struct db *db = store_reader(s);
    if (db == NULL)
        return ERR_DB;
    return data_pack_store_latest(a, db, conversation_id, &out->row);
}

int data_pack_history(struct arena *a, struct store *s, const struct actor *who,
                      int64_t conversation_id, struct data_pack_row **out, int *n)
{
    *out = NULL;
    *n = 0;
    struct conversation c;
    if (conversation_get(a, s, who, conversation_id, &c) != 0)
        return ERR_NOT_FOUND;
    struct db *db = store_reader(s);
    if (db == NULL)
        return ERR_DB;
    return data_pack_store_list(a, db, conversation_id, DATA_PACK_HISTORY_MAX, out, n);
}

bool data_pack_outdated(struct store *s, const struct data_pack *p)
{
    struct db *db = store_reader(s);
    int64_t newest = 0;
    if (db == NULL || data_pack_store_newest_change(db, &newest) != 0)
        return false;
    return newest > p->row.data_change_id;
}

/* ---- PDF ---------------------------------------------------------------------------------- */

static void pdf_series_chart(struct arena *a, struct pdf_doc *d, const json_t *ind,
                             const json_t *series, const json_t *events)
{
    const json_t *per = json_object_get(series, "perioden");
    int n = (int)json_array_size(per);
    if (n == 0 || n > PDF_MAX_POINTS)
        return;
    double *v = arena_calloc(a, (size_t)n * 6, sizeof *v);
    const char **labels = arena_calloc(a, (size_t)n, sizeof *labels);
    struct pdf_chart_marker *m = arena_calloc(a, PDF_MAX_MARKERS, sizeof *m);
    if (v == NULL || labels == NULL || m == NULL)
        return;
    double *lo = v + n, *hi = v + 2 * n, *tg = v + 3 * n, *blo = v + 4 * n, *bhi = v + 5 * n;
    bool any_target = false, any_bench = false, any_value = false;
    for (int i = 0; i < n; i++) {
        const json_t *p = json_array_get(per, (size_t)i);
        labels[i] = jget_str(p, "periode");
        const json_t *w = json_object_get(p, "waarde");
        v[i] = json_is_number(w) ? json_number_value(w) : NAN;
        any_value = any_value || isfinite(v[i]);
        const json_t *l = json_object_get(p, "ondergrens"), *h = json_object_get(p, "bovengrens");
        lo[i] = json_is_number(l) ? json_number_value(l) : NAN;
        hi[i] = json_is_number(h) ? json_number_value(h) : NAN;
        const json_t *t = json_object_get(p, "streefwaarde");
        tg[i] = json_is_number(t) ? json_number_value(t) : NAN;
        any_target = any_target || isfinite(tg[i]);
        const json_t *bm = json_object_get(p, "benchmark");
        blo[i] = bm && json_is_number(json_object_get(bm, "p25"))
                     ? json_number_value(json_object_get(bm, "p25"))
                     : NAN;
        bhi[i] = bm && json_is_number(json_object_get(bm, "p75"))
                     ? json_number_value(json_object_get(bm, "p75"))
                     : NAN;
        any_bench = any_bench || isfinite(blo[i]);
    }
    /* Nothing shown and no benchmark: no empty chart; the table below says why. */
    if (!any_value && !any_bench)
        return;
    /* Context events as markers at their quarter. */
    int nm = 0;
    size_t k;
    const json_t *ev;
    json_array_foreach(events, k, ev)
    {
        const char *pc = jget_str(ev, "periode");
        for (int i = 0; i < n && nm < PDF_MAX_MARKERS; i++)
            if (strcmp(labels[i], pc) == 0) {
                m[nm].x = i;
                m[nm++].label = jget_str(ev, "titel");
                break;
            }
    }
    struct pdf_chart c = {
        .title = arena_printf(a, "%s – %s", jget_str(ind, "naam"), jget_str(series, "naam")),
        .n = n,
        .x_labels = labels,
        .values = v,
        .lo = lo,
        .hi = hi,
        .target = any_target ? tg : NULL,
        .bench_lo = any_bench ? blo : NULL,
        .bench_hi = any_bench ? bhi : NULL,
        .markers = m,
        .nmarkers = nm,
        .percent = json_is_true(json_object_get(ind, "procent")),
    };
    pdf_chart(d, &c);
}

static void pdf_series_table(struct pdf_doc *d, const json_t *series)
{
    const char *heads[5] = {_("Periode"), _("Waarde"), _("95%-interval"), _("Streefwaarde"),
                            _("Benchmark (middelste helft)")};
    const double widths[5] = {1.1, 1.0, 1.4, 1.1, 1.6};
    pdf_table_begin(d, 5, heads, widths, "lrrrr");
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(series, "perioden"), i, p)
    {
        const char *interval = jget_str(p, "interval_weergave");
        const json_t *bm = json_object_get(p, "benchmark");
        const char *cells[5] = {jget_str(p, "periode"), jget_str(p, "weergave"), interval,
                                jget_str(p, "streefwaarde_weergave"),
                                bm ? jget_str(bm, "weergave") : ""};
        pdf_table_row(d, cells);
    }
    pdf_table_end(d);
}

static void pdf_theory(struct pdf_doc *d, const json_t *t)
{
    if (!json_is_object(t))
        return;
    pdf_heading(d, 3, _("Verandertheorie"));
    size_t i;
    const json_t *x;
    json_array_foreach(json_object_get(t, "startvragen"), i, x)
        pdf_kv(d, jget_str(x, "vraag"), jget_str(x, "antwoord"));
    json_array_foreach(json_object_get(t, "activiteiten"), i, x)
    {
        const char *who = jget_str(x, "aanbieder");
        pdf_para(d, *who ? who : _("Gemeente"));
        pdf_kv(d, _("Activiteit"), jget_str(x, "activiteit"));
        if (*jget_str(x, "product"))
            pdf_kv(d, _("Product of programma"), jget_str(x, "product"));
        pdf_kv(d, _("Waarom (aannames)"), jget_str(x, "aannames"));
        pdf_kv(d, _("Wat nodig is"), jget_str(x, "voorwaarden"));
        pdf_kv(d, _("Verwachte uitkomsten"), jget_str(x, "uitkomsten"));
    }
}

int data_pack_pdf(struct arena *a, const struct data_pack *p, struct buf *out, struct err_ctx *e)
{
    json_error_t je;
    json_t *root = json_loadb(p->row.document, p->row.document_len, 0, &je);
    if (root == NULL || !json_is_object(root))
        return err_set(e, ERR_INVALID, NULL, "data pack %" PRId64 ": not a JSON document",
                       p->row.id);
    const json_t *g = json_object_get(root, "gesprek");
    struct pdf_doc *d = pdf_doc_new(a, arena_printf(a, _("Datapakket: %s"), jget_str(g, "titel")));
    char made[11];
    date_format_nl(p->row.data_date, made);
    pdf_set_subtitle(
        d, arena_printf(a, _("%s · periode %s tot en met %s · gesprek op %s"),
                        jget_str(g, "eigenaar"), nl_date(a, jget_str(g, "periode_van")),
                        nl_date(a, jget_str(g, "periode_tot")), nl_date(a, jget_str(g, "datum"))));
    char created[LOCAL_TIME_MAX];
    if (!local_time_from_iso(p->row.created_at, false, created))
        snprintf(created, sizeof created, "%s", p->row.created_at ? p->row.created_at : "");
    pdf_set_footer(d, arena_printf(a, _("Momentopname %s · sha256 %s"), created, p->row.sha256));
    pdf_set_meta(d, jget_str(g, "eigenaar"), _("Datapakket kwaliteitsgesprek"));
    pdf_note(d, arena_printf(a,
                             _("Momentopname gemaakt op %s, met gegevens tot en met %s; latere "
                               "correcties staan hier niet in. Controlegetal (sha256): %s."),
                             created, made, p->row.sha256));
    size_t i, k;
    const json_t *x, *y;
    /* Who takes part. */
    pdf_heading(d, 1, _("Het gesprek"));
    if (*jget_str(g, "doel"))
        pdf_kv(d, _("Doel"), jget_str(g, "doel"));
    json_array_foreach(json_object_get(g, "partijen"), i, x) pdf_kv(
        d, _("Partij"), arena_printf(a, "%s (%s)", jget_str(x, "naam"), jget_str(x, "kant")));
    if (*jget_str(g, "plaats"))
        pdf_kv(d, _("Plaats"), jget_str(g, "plaats"));
    pdf_small(d, _("Cijfers zijn beschermd: een punt (.) betekent dat een waarde verborgen is "
                   "omdat de aantallen te klein zijn. Een verborgen waarde is geen nul."));

    const json_t *events = json_object_get(root, "contextgebeurtenissen");
    json_array_foreach(json_object_get(root, "resultaten"), i, x)
    {
        pdf_heading(d, 1, arena_printf(a, _("Resultaat: %s"), jget_str(x, "titel")));
        if (*jget_str(x, "omschrijving"))
            pdf_para(d, jget_str(x, "omschrijving"));
        pdf_theory(d, json_object_get(x, "verandertheorie"));
        json_array_foreach(json_object_get(x, "indicatoren"), k, y)
        {
            pdf_heading(d, 2, jget_str(y, "naam"));
            if (*jget_str(y, "uitleg"))
                pdf_small(d, jget_str(y, "uitleg"));
            size_t si;
            const json_t *s;
            json_array_foreach(json_object_get(y, "reeksen"), si, s)
            {
                pdf_series_chart(a, d, y, s, events);
                pdf_small(
                    d, arena_printf(a, _("Ontwikkeling ten opzichte van het kwartaal ervoor: %s."),
                                    movement_label(jget_str(s, "trend"))));
                pdf_series_table(d, s);
            }
        }
    }

    pdf_heading(d, 1, _("Verhalen"));
    if (json_array_size(json_object_get(root, "verhalen")) == 0)
        pdf_para(
            d,
            _("Er zijn geen verhalen uit deze periode die in dit gesprek gedeeld mogen worden."));
    json_array_foreach(json_object_get(root, "verhalen"), i, x)
    {
        pdf_heading(d, 3, jget_str(x, "titel"));
        pdf_small(d, arena_printf(a, "%s · %s · %s", jget_str(x, "soort"), jget_str(x, "verteller"),
                                  nl_date(a, jget_str(x, "verteld_op"))));
        pdf_para(d, jget_str(x, "tekst"));
    }

    pdf_heading(d, 1, _("Contextgebeurtenissen"));
    if (json_array_size(events) == 0)
        pdf_para(d, _("Geen contextgebeurtenissen in deze periode."));
    json_array_foreach(events, i, x)
    {
        const char *when = nl_date(a, jget_str(x, "datum"));
        pdf_bullet(d, *jget_str(x, "omschrijving")
                          ? arena_printf(a, "%s – %s: %s", when, jget_str(x, "titel"),
                                         jget_str(x, "omschrijving"))
                          : arena_printf(a, "%s – %s", when, jget_str(x, "titel")));
    }

    pdf_heading(d, 1, _("Enquêteresultaten"));
    if (json_array_size(json_object_get(root, "enquetes")) == 0)
        pdf_para(d, _("Geen enquêterondes in deze periode."));
    json_array_foreach(json_object_get(root, "enquetes"), i, x)
    {
        pdf_heading(d, 2,
                    arena_printf(a, "%s – %s", jget_str(x, "vragenlijst"), jget_str(x, "ronde")));
        json_array_foreach(json_object_get(x, "vragen"), k, y)
        {
            const char *heads[3] = {jget_str(y, "vraag"), _("Aantal"), _("Procent")};
            const double w[3] = {4, 1, 1};
            pdf_table_begin(d, 3, heads, w, "lrr");
            size_t ai;
            const json_t *an;
            json_array_foreach(json_object_get(y, "antwoorden"), ai, an)
            {
                const json_t *n = json_object_get(an, "aantal");
                const json_t *pc = json_object_get(an, "procent");
                const char *cells[3] = {
                    jget_str(an, "antwoord"),
                    json_is_integer(n)
                        ? arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(n))
                        : ".",
                    json_is_number(pc) ? arena_printf(a, "%.0f%%", json_number_value(pc)) : "."};
                pdf_table_row(d, cells);
            }
            pdf_table_end(d);
        }
    }

    pdf_heading(d, 1, _("Open acties van het vorige gesprek"));
    if (json_array_size(json_object_get(root, "acties_vorig_gesprek")) == 0)
        pdf_para(d, _("Er staan geen acties open uit een vorig gesprek."));
    json_array_foreach(json_object_get(root, "acties_vorig_gesprek"), i, x)
    {
        pdf_heading(d, 3, jget_str(x, "omschrijving"));
        pdf_kv(d, _("Eigenaar"), jget_str(x, "eigenaar"));
        pdf_kv(d, _("Status"), jget_str(x, "status_label"));
        pdf_kv(d, _("Deadline"),
               json_is_true(json_object_get(x, "te_laat"))
                   ? arena_printf(a, _("%s (te laat)"), nl_date(a, jget_str(x, "deadline")))
                   : nl_date(a, jget_str(x, "deadline")));
        json_array_foreach(json_object_get(x, "indicatoren"), k, y)
        {
            const char *base = *jget_str(y, "basis_weergave") ? jget_str(y, "basis_weergave") : "–";
            const char *now = *jget_str(y, "nu_weergave") ? jget_str(y, "nu_weergave") : "–";
            pdf_bullet(d, arena_printf(a, _("%s: bij afspraak %s (%s), nu %s (%s): %s"),
                                       jget_str(y, "naam"), base, jget_str(y, "basis_periode"), now,
                                       jget_str(y, "nu_periode"),
                                       movement_label(jget_str(y, "beweging"))));
        }
    }
    json_decref(root);
    int pages = 0;
    return pdf_render(d, out, &pages, e);
}
