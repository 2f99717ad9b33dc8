/*
 * mirror_report.c: the spiegelrapportage of an aanbieder (mirror_report.h). The builder checks
 * the reader against the policy (OBJ_MIRROR_REPORT), then gathers only disclosed material:
 * indicator views from metrics/view.h for the aanbieder's own trajectories at the provider
 * rules (the strictest of the internal and provider rules, so the gemeente and the aanbieder
 * read the same figures) with the benchmark over the other aanbieders (quartiles only, never a
 * name), survey results from metrics/survey_result.h at the same rules, the latest review's
 * status per theme, the improvement actions the reader may view, and the outcome agreements of
 * the contracts the reader may view. The texts are short sentences in plain Dutch (B1). The
 * PDF and the CSV are rendered from the same model, so hidden values are hidden everywhere.
 */
#include <math.h>
#include <time.h>

#include "report/mirror_report.h"
#include "core/common.h"
#include "domain/contract.h"
#include "domain/org.h"
#include "domain/survey.h"
#include "domain/survey_round.h"
#include "report/pdf.h"
#include "report/text_table.h"
#include "store/indicator_store.h"
#include "store/round_store.h"

/* ---- Audience -------------------------------------------------------------------------------- */

/* The organisations an aanbieder answers to: those that contract it and those that review it
 * (an admission is a relationship before any contract). Sorted, without repeats. */
int mirror_contractors(struct arena *a, struct store *s, int64_t aanbieder_id, int64_t **ids,
                       int *n)
{
    *ids = NULL;
    *n = 0;
    int64_t *owners = NULL, *reviewers = NULL;
    int nowners = 0, nreviewers = 0;
    int rc = contract_owners_of_aanbieder(a, s, aanbieder_id, &owners, &nowners);
    if (!rc)
        rc = review_owners_of_aanbieder(a, s, aanbieder_id, &reviewers, &nreviewers);
    if (rc)
        return rc;
    int64_t *all = arena_calloc(a, (size_t)(nowners + nreviewers) + 1, sizeof *all);
    if (!all)
        return ERR_NOMEM;
    int k = 0, i = 0, j = 0;
    while ((i < nowners || j < nreviewers) && k < MIRROR_MAX_CONTRACTORS) {
        int64_t next = j >= nreviewers || (i < nowners && owners[i] <= reviewers[j]) ? owners[i]
                                                                                     : reviewers[j];
        if (i < nowners && owners[i] == next)
            i++;
        if (j < nreviewers && reviewers[j] == next)
            j++;
        all[k++] = next;
    }
    *ids = all;
    *n = k;
    return 0;
}

int mirror_object(struct arena *a, struct store *s, int64_t aanbieder_id, struct object_ref *out)
{
    memset(out, 0, sizeof *out);
    struct org o;
    if (aanbieder_id <= 0)
        return ERR_NOT_FOUND;
    int rc = org_get_internal(a, s, aanbieder_id, &o);
    if (rc)
        return rc;
    if (o.kind != ORG_AANBIEDER)
        return ERR_NOT_FOUND;
    int64_t *parties = NULL;
    int nparties = 0;
    if ((rc = mirror_contractors(a, s, aanbieder_id, &parties, &nparties)))
        return rc;
    out->kind = OBJ_MIRROR_REPORT;
    out->id = aanbieder_id;
    out->owner_org_id = aanbieder_id;
    out->owner_org_kind = ORG_AANBIEDER;
    out->party_org_ids = parties;
    out->nparties = nparties;
    out->share = SHARE_PARTIES;
    return 0;
}

/* ---- Plain-language texts ------------------------------------------------------------------- */

const char *mirror_intro_figures(struct arena *a, const struct dc_rules *r)
{
    const char *base =
        _("Hieronder staan de cijfers over de cliënten van deze aanbieder. Naast elk cijfer "
          "ziet u hoe het bij de andere aanbieders in de regio gaat: het midden en de "
          "middelste helft. Andere aanbieders worden nooit bij naam genoemd. Kleine groepen "
          "laten we niet zien, zodat niemand herkenbaar is. Dan staat er een punt (.). Een "
          "punt is geen nul.");
    if (r == NULL)
        return base;
    const char *s =
        arena_printf(a, _("%s Een cijfer staat er alleen als het over minstens %d mensen gaat."),
                     base, r->min_count);
    if (s && r->round_to > 1)
        s = arena_printf(a, _("%s Aantallen zijn afgerond op %d."), s, r->round_to);
    return s ? s : base;
}

const char *mirror_position_text(enum mirror_position p)
{
    switch (p) {
    case MPOS_BETTER:
        return _("Dat is beter dan bij de meeste andere aanbieders in de regio.");
    case MPOS_MIDDLE:
        return _("Dat is ongeveer zoals bij de meeste andere aanbieders in de regio.");
    case MPOS_WORSE:
        return _("Dat is minder goed dan bij de meeste andere aanbieders in de regio. Dit is een "
                 "goed punt om samen over te praten.");
    case MPOS_HIGHER:
        return _("Dat is hoger dan bij de meeste andere aanbieders in de regio.");
    case MPOS_LOWER:
        return _("Dat is lager dan bij de meeste andere aanbieders in de regio.");
    case MPOS_NONE:
        break;
    }
    return _("Een vergelijking met andere aanbieders kan hier niet: er zijn te weinig aanbieders "
             "met genoeg gegevens.");
}

/* ---- Figures -------------------------------------------------------------------------------- */

static int imax(int a, int b)
{
    return a > b ? a : b;
}

/* The strictest of the internal and provider rules: what both sides may see. */
static void report_rules(const struct config *cfg, struct dc_rules *out)
{
    struct dc_rules p;
    dc_rules_for(cfg, DC_INTERNAL, out);
    dc_rules_for(cfg, DC_PROVIDER, &p);
    out->min_count = imax(out->min_count, p.min_count);
    out->min_denominator = imax(out->min_denominator, p.min_denominator);
    out->round_to = imax(out->round_to, p.round_to);
    out->min_benchmark = imax(out->min_benchmark, p.min_benchmark);
}

static int latest_index(const struct mx_view *v)
{
    for (int i = v->nperiods - 1; i >= 0; i--)
        if (report_total_at(v, i))
            return i;
    return -1;
}

static enum ind_polarity polarity(const struct mx_view *v)
{
    return v->def ? v->def->polarity : IND_NEUTRAL;
}

static enum mirror_position position_of(const struct mx_view *v, const struct mx_vcell *c)
{
    if (!isfinite(c->bench_p25) || !isfinite(c->bench_p75))
        return MPOS_NONE;
    bool above = c->value > c->bench_p75, below = c->value < c->bench_p25;
    switch (polarity(v)) {
    case IND_HIGHER_BETTER:
        return above ? MPOS_BETTER : below ? MPOS_WORSE : MPOS_MIDDLE;
    case IND_LOWER_BETTER:
        return below ? MPOS_BETTER : above ? MPOS_WORSE : MPOS_MIDDLE;
    case IND_NEUTRAL:
        break;
    }
    return above ? MPOS_HIGHER : below ? MPOS_LOWER : MPOS_MIDDLE;
}

/* "mediaan 12,5% (middelste helft 10,0% – 15,0%, 7 aanbieders)" for a cell with a benchmark. */
static const char *bench_text(struct arena *a, const struct mx_view *v, const struct mx_vcell *c)
{
    if (c == NULL || !isfinite(c->bench_median))
        return NULL;
    char m[64], lo[64], hi[64];
    mx_view_format_number(v, c->bench_median, m, sizeof m);
    mx_view_format_number(v, c->bench_p25, lo, sizeof lo);
    mx_view_format_number(v, c->bench_p75, hi, sizeof hi);
    return arena_printf(a, _("midden %s (middelste helft %s – %s, %d aanbieders)"), m, lo, hi,
                        c->bench_entities);
}

static void finish_figure(struct arena *a, const char *aanbieder, struct mirror_figure *f)
{
    f->latest = latest_index(&f->view);
    const struct mx_vcell *c = f->latest >= 0 ? report_total_at(&f->view, f->latest) : NULL;
    if (c == NULL) {
        f->latest = -1;
        f->problem = _("Er zijn (nog) geen cijfers die we mogen laten zien: er zijn te weinig "
                       "gegevens, of de groepen zijn te klein.");
        return;
    }
    char val[64], prev[64], label[PERIOD_LABEL_MAX];
    mx_view_format_value(&f->view, c, val, sizeof val);
    mx_view_format_number(&f->view, c->prev, prev, sizeof prev);
    period_label(f->view.periods[f->latest], label, sizeof label);
    f->latest_value = arena_strdup(a, val);
    f->latest_period = arena_strdup(a, label);
    f->trend = report_trend_of(&f->view, c);
    f->position = position_of(&f->view, c);
    f->bench_text = bench_text(a, &f->view, c);
    const char *s =
        f->view.periods[f->latest].kind == PERIOD_YEAR
            ? arena_printf(a, _("In %s was dit cijfer bij %s: %s."), label, aanbieder, val)
            : arena_printf(a, _("In het %s was dit cijfer bij %s: %s."), label, aanbieder, val);
    const char *t = report_trend_sentence(a, f->trend, prev, f->view.periods[f->latest].kind);
    if (s && t)
        s = arena_printf(a, "%s %s", s, t);
    if (s)
        s = arena_printf(a, "%s %s", s, mirror_position_text(f->position));
    f->sentence = s;
}

struct build {
    struct arena *a;
    struct store *s;
    struct db *db;
    struct mx_engine *eng;
    const struct config *cfg;
    const struct actor *who;
    struct mirror_report *out;
    struct mx_scope scope;
    day_t from, to;
    struct err_ctx *e;
};

static int build_figures(struct build *b)
{
    struct mirror_report *out = b->out;
    struct indicator_row *rows = NULL;
    size_t nrows = 0;
    int rc = indicator_store_list(b->a, b->db, false, &rows, &nrows);
    if (rc)
        return err_set(b->e, rc, NULL, "%s", _("De indicatoren konden niet worden gelezen."));
    out->figures = arena_calloc(b->a, MIRROR_MAX_INDICATORS, sizeof *out->figures);
    if (out->figures == NULL)
        return err_set(b->e, ERR_NOMEM, NULL, "out of memory");
    if (b->eng == NULL) {
        out->figures_problem = _("De cijfers zijn nu niet beschikbaar.");
        return 0;
    }
    for (size_t i = 0; i < nrows && out->nfigures < MIRROR_MAX_INDICATORS; i++) {
        struct mirror_figure *f = &out->figures[out->nfigures];
        memset(f, 0, sizeof *f);
        f->ind_id = rows[i].id;
        f->code = rows[i].code;
        f->latest = -1;
        struct mx_view_req req = {.ind_id = rows[i].id,
                                  .pkind = out->last.kind,
                                  .first = out->first,
                                  .last = out->last,
                                  .scope = &b->scope,
                                  .audience = DC_PROVIDER,
                                  .rules = &out->rules,
                                  .bench_dim = MX_DIM_AANBIEDER};
        struct err_ctx ve = {0};
        rc = mx_view_compute(b->eng, &req, b->a, &f->view, &ve);
        if (rc == ERR_NOT_FOUND)
            continue; /* not (yet) known to the engine */
        if (rc == 0 && f->view.def && f->view.def->agg == IND_AGG_RATE)
            continue; /* per 1,000 inhabitants: a figure about gemeenten, not aanbieders */
        if (rc == 0 && f->view.nby != 0)
            return err_set(b->e, ERR_INTERNAL, NULL, "mirror view with a breakdown");
        out->nfigures++;
        if (rc) {
            f->problem =
                ve.msg[0] ? arena_strdup(b->a, ve.msg) : _("De cijfers zijn nu niet beschikbaar.");
            continue;
        }
        f->ok = true;
        f->name = f->view.def ? f->view.def->name : rows[i].code;
        f->explanation = f->view.def ? f->view.def->explanation : NULL;
        if (f->view.data_date > out->data_date)
            out->data_date = f->view.data_date;
        finish_figure(b->a, out->aanbieder_name, f);
    }
    return 0;
}

/* ---- Surveys -------------------------------------------------------------------------------- */

/* "37,5" from 37.5: one decimal with a decimal comma. */
static const char *nl_decimal(struct arena *a, double v, const char *suffix)
{
    if (!isfinite(v))
        return ".";
    char b[320];
    snprintf(b, sizeof b, "%.1f", v);
    for (char *p = b; *p; p++)
        if (*p == '.')
            *p = ',';
    return arena_printf(a, "%s%s", b, suffix);
}

static const char *count_text(struct arena *a, const struct sr_cell *c)
{
    if (c->reason == DC_NO_DATA)
        return "0";
    if (c->reason != DC_SHOWN || c->n < 0)
        return ".";
    return arena_printf(a, "%" PRId64, c->n);
}

static int build_surveys(struct build *b)
{
    struct mirror_report *out = b->out;
    struct survey_round *rounds = NULL;
    int n = 0;
    int rc = round_store_list(b->a, b->db, 0, 0, &rounds, &n);
    if (rc)
        return err_set(b->e, rc, NULL, "%s", _("De enquêtes konden niet worden gelezen."));
    out->surveys = arena_calloc(b->a, MIRROR_MAX_ROUNDS, sizeof *out->surveys);
    if (out->surveys == NULL)
        return err_set(b->e, ERR_NOMEM, NULL, "out of memory");
    for (int i = 0; i < n && out->nsurveys < MIRROR_MAX_ROUNDS; i++) {
        const struct survey_round *r = &rounds[i];
        if (r->aanbieder_id != out->aanbieder_id || r->status == ROUND_CONCEPT)
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
        rc = survey_result_compute(b->a, b->db, &q, &r->id, 1, SURVEY_DIM_NONE, &out->rules, &sr);
        if (rc)
            continue;
        struct mirror_survey *ms = &out->surveys[out->nsurveys++];
        ms->round_id = r->id;
        ms->round_name = r->name;
        ms->questionnaire = q.title;
        ms->opens_on = r->opens_on;
        ms->closes_on = r->closes_on;
        ms->responses = count_text(b->a, &sr.responses);
        ms->questions =
            arena_calloc(b->a, (size_t)(sr.nquestions ? sr.nquestions : 1), sizeof *ms->questions);
        if (ms->questions == NULL)
            return err_set(b->e, ERR_NOMEM, NULL, "out of memory");
        for (int k = 0; k < sr.nquestions; k++) {
            const struct sr_question *sq = &sr.questions[k];
            struct mirror_survey_question *mq = &ms->questions[ms->nquestions++];
            mq->text = q.questions[sq->question].text;
            mq->base = count_text(b->a, &sq->base[0]);
            mq->mean = isfinite(sq->mean) ? nl_decimal(b->a, sq->mean, "") : NULL;
            mq->answers =
                arena_calloc(b->a, (size_t)(sq->noptions ? sq->noptions : 1), sizeof *mq->answers);
            if (mq->answers == NULL)
                return err_set(b->e, ERR_NOMEM, NULL, "out of memory");
            for (int o = 0; o < sq->noptions; o++) {
                const struct sr_cell *c = &sq->cells[o];
                struct mirror_survey_answer *ma = &mq->answers[mq->nanswers++];
                ma->label = sq->options[o].label;
                ma->count = count_text(b->a, c);
                bool hidden = c->reason != DC_SHOWN && c->reason != DC_NO_DATA;
                ma->percent =
                    hidden ? "." : nl_decimal(b->a, c->reason == DC_NO_DATA ? 0 : c->pct, "%");
                ma->hidden = hidden ? _(dc_reason_text(c->reason)) : NULL;
            }
        }
    }
    return 0;
}

/* ---- Review, actions, agreements ------------------------------------------------------------- */

static int build_review(struct build *b)
{
    struct mirror_report *out = b->out;
    bool found = false;
    int rc = review_latest_status(b->a, b->s, b->who, out->aanbieder_id, &out->review, &found,
                                  &out->themes, &out->nthemes);
    if (rc) {
        out->review_problem = _("De toetsing kon nu niet worden gelezen.");
        out->nthemes = 0;
        return 0;
    }
    out->has_review = found;
    if (!found)
        out->nthemes = 0;
    return 0;
}

static int build_actions(struct build *b)
{
    struct mirror_report *out = b->out;
    struct action_filter f = {
        .aanbieder_id = out->aanbieder_id, .today = out->made_on, .limit = MIRROR_MAX_ACTIONS};
    int total = 0;
    int rc = action_list(b->a, b->s, b->who, &f, &out->actions, &out->nactions, &total);
    if (rc)
        return err_set(b->e, rc, NULL, "%s", _("De verbeteracties konden niet worden gelezen."));
    memset(&out->counts, 0, sizeof out->counts);
    for (int i = 0; i < out->nactions; i++) {
        struct improvement_action *x = &out->actions[i];
        /* Another aanbieder at the same table owns this one: it is not named here. */
        if (x->owner_org_id != out->aanbieder_id) {
            struct org o;
            if (org_get_internal(b->a, b->s, x->owner_org_id, &o) != 0 || o.kind == ORG_AANBIEDER) {
                x->owner_name = _("een andere aanbieder");
                x->owner_user_name = NULL;
            }
        }
        switch (x->status) {
        case ACTION_OPEN:
            out->counts.open++;
            break;
        case ACTION_BEZIG:
            out->counts.bezig++;
            break;
        case ACTION_KLAAR:
            out->counts.klaar++;
            break;
        case ACTION_VERVALLEN:
            out->counts.vervallen++;
            break;
        }
        x->overdue = action_is_overdue(x, out->made_on);
        if (x->overdue)
            out->counts.overdue++;
    }
    return 0;
}

static const struct mirror_figure *figure_of(const struct mirror_report *r, int64_t ind_id)
{
    for (int i = 0; i < r->nfigures; i++)
        if (r->figures[i].ind_id == ind_id)
            return &r->figures[i];
    return NULL;
}

static int build_agreements(struct build *b)
{
    struct mirror_report *out = b->out;
    struct contract_agreement_ref *refs = NULL;
    int n = 0;
    int rc = contract_agreements_of_aanbieder(b->a, b->s, b->who, out->aanbieder_id, b->from, b->to,
                                              &refs, &n);
    if (rc)
        return err_set(b->e, rc, NULL, "%s",
                       _("De resultaatafspraken konden niet worden gelezen."));
    out->agreements_available = true;
    if (n > MIRROR_MAX_AGREEMENTS)
        n = MIRROR_MAX_AGREEMENTS;
    out->agreements = arena_calloc(b->a, (size_t)(n ? n : 1), sizeof *out->agreements);
    if (out->agreements == NULL)
        return err_set(b->e, ERR_NOMEM, NULL, "out of memory");
    for (int i = 0; i < n; i++) {
        const struct contract_agreement *ag = &refs[i].agreement;
        struct mirror_agreement *m = &out->agreements[out->nagreements++];
        const struct mirror_figure *f = figure_of(out, ag->indicator_id);
        m->contract = refs[i].contract_name;
        m->indicator = ag->indicator_name ? ag->indicator_name : ag->indicator_code;
        char tb[64];
        if (f && f->ok)
            mx_view_format_number(&f->view, ag->target, tb, sizeof tb);
        else
            snprintf(tb, sizeof tb, "%s", nl_decimal(b->a, ag->target, ""));
        m->target = arena_printf(b->a, "%s %s", agreement_comparison_label(ag->comparison), tb);
        m->latest = ".";
        m->met = "";
        const struct mx_vcell *c =
            f && f->ok && f->latest >= 0 ? report_total_at(&f->view, f->latest) : NULL;
        if (c) {
            m->latest = f->latest_value;
            m->met = agreement_met(ag->comparison, c->value, ag->target) ? _("gehaald")
                                                                         : _("nog niet gehaald");
        }
    }
    return 0;
}

/* ---- The report ----------------------------------------------------------------------------- */

/* The last complete quarter (or year) by the data date (or by today when there are no data). */
static struct period last_complete(struct mx_engine *eng, day_t today, enum period_kind k)
{
    day_t ref = DAY_NONE;
    if (eng) {
        struct mx_engine_stats st;
        mx_engine_get_stats(eng, &st);
        ref = st.data_date;
    }
    if (ref == DAY_NONE || ref == 0)
        ref = today;
    struct period q = period_of(ref, k);
    if (period_end(q) > ref)
        q = period_prev(q);
    return q;
}

int mirror_report_build(struct arena *a, struct store *s, struct mx_engine *eng,
                        const struct config *cfg, const struct actor *who,
                        const struct mirror_request *rq, struct mirror_report *out,
                        struct err_ctx *e)
{
    memset(out, 0, sizeof *out);
    struct object_ref obj;
    int rc = mirror_object(a, s, rq->aanbieder_id, &obj);
    if (rc == ERR_NOT_FOUND || (rc == 0 && !policy_allows(who, ACT_VIEW, &obj)))
        return err_set(e, ERR_NOT_FOUND, "aanbieder", "%s", _("Deze aanbieder bestaat niet."));
    if (rc)
        return err_set(e, rc, NULL, "%s", _("De aanbieder kon niet worden gelezen."));
    if (rq->nquarters < 0 || rq->nquarters > MIRROR_QUARTERS_MAX)
        return err_set(e, ERR_INVALID, "kwartalen", _("Kies 1 tot %d kwartalen."),
                       MIRROR_QUARTERS_MAX);
    struct org o;
    if ((rc = org_get_internal(a, s, rq->aanbieder_id, &o)))
        return err_set(e, rc, NULL, "%s", _("De aanbieder kon niet worden gelezen."));
    struct build b = {.a = a,
                      .s = s,
                      .db = store_reader(s),
                      .eng = eng,
                      .cfg = cfg,
                      .who = who,
                      .out = out,
                      .e = e};
    if (b.db == NULL)
        return err_set(e, ERR_DB, NULL, "no database connection");
    out->aanbieder_id = o.id;
    out->aanbieder_name = o.name;
    out->made_on = rq->today ? rq->today : day_today();
    out->audience = DC_PROVIDER;
    report_rules(cfg, &out->rules);
    enum period_kind pk = rq->years ? PERIOD_YEAR : PERIOD_QUARTER;
    if (rq->last.year && rq->last.kind != pk)
        return err_set(e, ERR_INVALID, "tot", "%s",
                       rq->years ? _("Geef het laatste jaar als bijvoorbeeld 2025.")
                                 : _("Geef het laatste kwartaal als bijvoorbeeld 2025-Q4."));
    out->last = rq->last.year ? rq->last : last_complete(eng, out->made_on, pk);
    int nq = rq->nquarters > 0 ? rq->nquarters : rq->years ? 2 : MIRROR_QUARTERS;
    out->first = out->last;
    for (int i = 1; i < nq; i++)
        out->first = period_prev(out->first);
    b.from = period_start(out->first);
    b.to = period_end(out->last);
    /* The aanbieder's own trajectories, in every gemeente: the figures the aanbieder sees. */
    b.scope.all_gemeenten = true;
    b.scope.aanbieder_id = o.id;

    if ((rc = build_figures(&b)) || (rc = build_surveys(&b)) || (rc = build_review(&b)) ||
        (rc = build_actions(&b)) || (rc = build_agreements(&b)))
        return rc;

    char pf[PERIOD_LABEL_MAX], pl[PERIOD_LABEL_MAX], made[PERIOD_LABEL_MAX];
    period_label(out->first, pf, sizeof pf);
    period_label(out->last, pl, sizeof pl);
    date_format_long(out->made_on, made, sizeof made);
    out->title = arena_printf(a, _("Spiegelrapportage %s"), o.name);
    out->subtitle = arena_printf(a, _("%s tot en met %s · gemaakt op %s"), pf, pl, made);
    out->intro = arena_printf(
        a,
        _("Deze rapportage is een spiegel voor %s. U ziet de resultaten van de zorg en "
          "ondersteuning naast die van andere aanbieders in de regio, wat cliënten zeiden in "
          "enquêtes, hoe de toetsing aan het kwaliteitskader ervoor staat en welke afspraken "
          "zijn gemaakt om het beter te maken. Zo komt de informatie ook terug bij de "
          "aanbieder zelf. Gebruik de rapportage om te zien wat goed gaat en waar u samen "
          "met de gemeente aan wilt werken."),
        o.name);
    if (out->title == NULL || out->subtitle == NULL || out->intro == NULL)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    return 0;
}

/* ---- Shared cell texts (PDF and CSV) -------------------------------------------------------- */

static const char *cell_value(struct arena *a, const struct mx_view *v, const struct mx_vcell *c)
{
    if (c == NULL || c->reason != DC_SHOWN || !isfinite(c->value))
        return ".";
    char b[64];
    mx_view_format_value(v, c, b, sizeof b);
    return arena_strdup(a, b);
}

static const char *cell_count(struct arena *a, const struct mx_vcell *c)
{
    if (c == NULL || c->reason != DC_SHOWN || c->n < 0)
        return ".";
    return arena_printf(a, "%" PRId64, c->n);
}

static const char *cell_bench(struct arena *a, const struct mx_view *v, const struct mx_vcell *c)
{
    const char *t = c && c->reason == DC_SHOWN ? bench_text(a, v, c) : NULL;
    return t ? t : "–";
}

static const char *cell_reason(const struct mx_vcell *c)
{
    if (c && c->reason == DC_SHOWN)
        return "";
    return c ? _(dc_reason_text(c->reason)) : _(dc_reason_text(DC_NO_DATA));
}

static const char *status_text(struct arena *a, const struct improvement_action *x)
{
    const char *st = x->status >= ACTION_STATUS_MIN && x->status <= ACTION_STATUS_MAX
                         ? action_status_label(x->status)
                         : "";
    return x->overdue ? arena_printf(a, _("%s (te laat)"), st) : st;
}

static const char *theme_text(struct arena *a, const struct review_theme_status *t)
{
    return arena_printf(a, _("%d van %d voldoet, %d deels, %d nog niet, %d nog open"), t->nvoldoet,
                        t->ncriteria, t->ndeels, t->nnog_niet, t->nopen);
}

static const char *review_summary(struct arena *a, const struct mirror_report *r)
{
    const struct review *rv = &r->review;
    const char *s =
        arena_printf(a, _("%s door %s, status: %s."), review_kind_label(rv->kind),
                     rv->owner_name ? rv->owner_name : "", review_status_label(rv->status));
    if (rv->decision != DECISION_NONE && s)
        s = arena_printf(a, _("%s Besluit: %s."), s, review_decision_label(rv->decision));
    return s ? s : "";
}

/* ---- PDF ------------------------------------------------------------------------------------ */

static void pdf_figure(struct arena *a, struct pdf_doc *d, const struct mirror_figure *f)
{
    pdf_heading(d, 3, f->name ? f->name : f->code ? f->code : _("Indicator"));
    if (f->explanation && *f->explanation)
        pdf_small(d, f->explanation);
    if (!f->ok || f->latest < 0)
        pdf_para(d, f->problem ? f->problem : _("De cijfers zijn nu niet beschikbaar."));
    else
        pdf_para(d, f->sentence);
    if (!f->ok)
        return;
    const struct mx_view *v = &f->view;
    int n = v->nperiods;
    if (n <= 0 || n > PDF_MAX_POINTS)
        return;
    double *vals = arena_calloc(a, (size_t)n * 3, sizeof *vals);
    const char **labels = arena_calloc(a, (size_t)n, sizeof *labels);
    if (vals == NULL || labels == NULL)
        return;
    double *blo = vals + n, *bhi = vals + 2 * n;
    bool any_shown = false, any_bench = false;
    for (int i = 0; i < n; i++) {
        char code[PERIOD_CODE_MAX];
        period_code(v->periods[i], code);
        labels[i] = arena_strdup(a, code);
        const struct mx_vcell *c = mx_view_cell(v, i, NULL, NULL);
        bool shown = c && c->reason == DC_SHOWN && isfinite(c->value);
        vals[i] = shown ? c->value : NAN; /* hidden: a gap, never 0 */
        blo[i] = c ? c->bench_p25 : NAN;
        bhi[i] = c ? c->bench_p75 : NAN;
        any_shown = any_shown || shown;
        any_bench = any_bench || isfinite(blo[i]);
    }
    struct pdf_chart ch = {.title = f->name,
                           .n = n,
                           .x_labels = labels,
                           .values = vals,
                           .bench_lo = any_bench ? blo : NULL,
                           .bench_hi = any_bench ? bhi : NULL,
                           .percent = v->def && v->def->agg == IND_AGG_PROPORTION};
    if (any_shown) {
        pdf_chart(d, &ch);
        if (any_bench)
            pdf_small(d, _("De grijze band is de middelste helft van de andere aanbieders in de "
                           "regio."));
    }
    const char *heads[4] = {_("Periode"), _("Waarde"), _("Aantal mensen"),
                            _("Andere aanbieders in de regio")};
    const double widths[4] = {1.3, 0.9, 1.0, 3.0};
    pdf_table_begin(d, 4, heads, widths, "lrrl");
    bool any_hidden = false;
    for (int i = 0; i < n; i++) {
        const struct mx_vcell *c = mx_view_cell(v, i, NULL, NULL);
        char label[PERIOD_LABEL_MAX];
        period_label(v->periods[i], label, sizeof label);
        any_hidden = any_hidden || !(c && c->reason == DC_SHOWN);
        const char *cells[4] = {label, cell_value(a, v, c), cell_count(a, c), cell_bench(a, v, c)};
        pdf_table_row(d, cells);
    }
    pdf_table_end(d);
    if (any_hidden)
        pdf_small(d, _("Een punt (.) betekent: niet getoond, omdat de groep te klein is of er "
                       "geen gegevens zijn. Het is geen nul."));
}

static void pdf_surveys(struct arena *a, struct pdf_doc *d, const struct mirror_report *r)
{
    pdf_heading(d, 1, _("Wat cliënten zeggen"));
    pdf_small(d, _("Dit zijn de uitkomsten van enquêtes onder cliënten van deze aanbieder. Ook "
                   "hier laten we kleine groepen niet zien."));
    if (r->nsurveys == 0)
        pdf_para(d, _("In deze periode was er geen enquête over deze aanbieder."));
    for (int i = 0; i < r->nsurveys; i++) {
        const struct mirror_survey *ms = &r->surveys[i];
        char o[11], c[11];
        date_format_nl(ms->opens_on, o);
        date_format_nl(ms->closes_on, c);
        pdf_heading(d, 2, ms->round_name);
        pdf_small(d, arena_printf(a, _("%s · %s tot %s · %s reacties"), ms->questionnaire, o, c,
                                  ms->responses));
        for (int k = 0; k < ms->nquestions; k++) {
            const struct mirror_survey_question *q = &ms->questions[k];
            pdf_heading(d, 3, q->text);
            if (q->mean)
                pdf_para(d, arena_printf(a, _("Gemiddeld cijfer: %s"), q->mean));
            const char *heads[3] = {_("Antwoord"), _("Aantal"), _("Procent")};
            const double widths[3] = {3.0, 1.0, 1.0};
            pdf_table_begin(d, 3, heads, widths, "lrr");
            for (int x = 0; x < q->nanswers; x++) {
                const char *cells[3] = {q->answers[x].label, q->answers[x].count,
                                        q->answers[x].percent};
                pdf_table_row(d, cells);
            }
            pdf_table_end(d);
        }
    }
}

static void pdf_review(struct arena *a, struct pdf_doc *d, const struct mirror_report *r)
{
    pdf_heading(d, 1, _("Toetsing aan het kwaliteitskader"));
    pdf_small(d, _("Per thema van het kwaliteitskader: hoeveel punten voldoen volgens de laatste "
                   "toetsing."));
    if (r->review_problem) {
        pdf_para(d, r->review_problem);
        return;
    }
    if (!r->has_review) {
        pdf_para(d, _("Er is (nog) geen toetsing van deze aanbieder die u kunt inzien."));
        return;
    }
    pdf_para(d, review_summary(a, r));
    const char *heads[6] = {_("Thema"),    _("Voldoet"), _("Deels"),
                            _("Nog niet"), _("Open"),    _("Verschil van inzicht")};
    const double widths[6] = {3.0, 0.8, 0.8, 0.8, 0.8, 1.2};
    pdf_table_begin(d, 6, heads, widths, "lrrrrr");
    for (int i = 0; i < r->nthemes; i++) {
        const struct review_theme_status *t = &r->themes[i];
        const char *cells[6] = {
            t->theme,
            arena_printf(a, "%d/%d", t->nvoldoet, t->ncriteria),
            arena_printf(a, "%d", t->ndeels),
            arena_printf(a, "%d", t->nnog_niet),
            arena_printf(a, "%d", t->nopen),
            arena_printf(a, "%d", t->ndifferences),
        };
        pdf_table_row(d, cells);
    }
    pdf_table_end(d);
}

static void pdf_actions(struct arena *a, struct pdf_doc *d, const struct mirror_report *r)
{
    pdf_heading(d, 1, _("Wat we hebben afgesproken"));
    pdf_small(d, _("De verbeteracties uit kwaliteitsgesprekken met deze aanbieder, en hoe ver "
                   "ze zijn."));
    if (r->nactions == 0) {
        pdf_para(d, _("Er zijn (nog) geen verbeteracties afgesproken."));
    } else {
        pdf_para(
            d, arena_printf(a, _("Open: %d · Bezig: %d · Klaar: %d · Vervallen: %d · Te laat: %d"),
                            r->counts.open, r->counts.bezig, r->counts.klaar, r->counts.vervallen,
                            r->counts.overdue));
        const char *heads[4] = {_("Afspraak"), _("Wie"), _("Klaar uiterlijk"), _("Status")};
        const double widths[4] = {3.2, 1.6, 1.2, 1.2};
        pdf_table_begin(d, 4, heads, widths, "llll");
        for (int i = 0; i < r->nactions; i++) {
            const struct improvement_action *x = &r->actions[i];
            char due[11];
            date_format_nl(x->due_on, due);
            const char *cells[4] = {x->description, x->owner_name ? x->owner_name : "", due,
                                    status_text(a, x)};
            pdf_table_row(d, cells);
        }
        pdf_table_end(d);
    }
    if (!r->agreements_available)
        return;
    pdf_heading(d, 1, _("Resultaatafspraken in contracten"));
    pdf_small(d, _("Wat in de contracten met deze aanbieder is afgesproken over resultaten, met "
                   "het laatste cijfer."));
    if (r->nagreements == 0) {
        pdf_para(d, _("Er zijn geen resultaatafspraken in contracten die u kunt inzien."));
        return;
    }
    const char *heads[5] = {_("Contract"), _("Indicator"), _("Afspraak"), _("Laatste cijfer"),
                            _("Gehaald?")};
    const double widths[5] = {2.0, 2.0, 1.1, 1.0, 1.1};
    pdf_table_begin(d, 5, heads, widths, "llrrl");
    for (int i = 0; i < r->nagreements; i++) {
        const struct mirror_agreement *m = &r->agreements[i];
        const char *cells[5] = {m->contract, m->indicator, m->target, m->latest, m->met};
        pdf_table_row(d, cells);
    }
    pdf_table_end(d);
}

int mirror_report_pdf(struct arena *a, const struct mirror_report *r, struct buf *out, int *pages,
                      struct err_ctx *e)
{
    struct pdf_doc *d = pdf_doc_new(a, r->title);
    if (d == NULL)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    pdf_set_subtitle(d, r->subtitle);
    char made[11];
    date_format_nl(r->made_on, made);
    pdf_set_footer(
        d, arena_printf(a, _("Spiegelrapportage %s · gemaakt op %s"), r->aanbieder_name, made));
    pdf_set_meta(d, r->aanbieder_name, _("Spiegelrapportage"));
    pdf_para(d, r->intro);
    pdf_heading(d, 1, _("Resultaten naast de regio"));
    pdf_small(d, mirror_intro_figures(a, &r->rules));
    if (r->figures_problem)
        pdf_para(d, r->figures_problem);
    else if (r->nfigures == 0)
        pdf_para(d, _("Er zijn (nog) geen indicatoren."));
    for (int i = 0; i < r->nfigures; i++)
        pdf_figure(a, d, &r->figures[i]);
    pdf_page_break(d);
    pdf_surveys(a, d, r);
    pdf_review(a, d, r);
    pdf_actions(a, d, r);
    return pdf_render(d, out, pages, e);
}

/* ---- CSV ------------------------------------------------------------------------------------ */

#define CSV_COLS 8

struct csv_rows {
    const char *(*cells)[CSV_COLS];
    int n, cap;
};

static bool csv_add(struct arena *a, struct csv_rows *t, const char *const cells[CSV_COLS])
{
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 64;
        const char *(*p)[CSV_COLS] = arena_calloc(a, (size_t)cap, sizeof *p);
        if (p == NULL)
            return false;
        if (t->n)
            memcpy(p, t->cells, (size_t)t->n * sizeof *p);
        t->cells = p;
        t->cap = cap;
    }
    for (int i = 0; i < CSV_COLS; i++)
        t->cells[t->n][i] = cells[i] ? cells[i] : "";
    t->n++;
    return true;
}

static bool csv_row(void *ctx, struct arena *a, int i, const char **cells, bool *skip)
{
    (void)a;
    const struct csv_rows *t = ctx;
    *skip = false;
    for (int k = 0; k < CSV_COLS; k++)
        cells[k] = t->cells[i][k];
    return true;
}

static bool csv_figures(struct arena *a, const struct mirror_report *r, struct csv_rows *t)
{
    const char *part = _("Indicator");
    for (int i = 0; i < r->nfigures; i++) {
        const struct mirror_figure *f = &r->figures[i];
        const char *name = f->name ? f->name : f->code;
        if (!f->ok) {
            const char *row[CSV_COLS] = {part, name, "", "", ".", ".", "", f->problem};
            if (!csv_add(a, t, row))
                return false;
            continue;
        }
        for (int p = 0; p < f->view.nperiods; p++) {
            const struct mx_vcell *c = mx_view_cell(&f->view, p, NULL, NULL);
            char code[PERIOD_CODE_MAX];
            period_code(f->view.periods[p], code);
            const char *row[CSV_COLS] = {part,
                                         name,
                                         "",
                                         arena_strdup(a, code),
                                         cell_value(a, &f->view, c),
                                         cell_count(a, c),
                                         cell_bench(a, &f->view, c),
                                         cell_reason(c)};
            if (!csv_add(a, t, row))
                return false;
        }
    }
    return true;
}

static bool csv_rest(struct arena *a, const struct mirror_report *r, struct csv_rows *t)
{
    for (int i = 0; i < r->nsurveys; i++) {
        const struct mirror_survey *ms = &r->surveys[i];
        for (int k = 0; k < ms->nquestions; k++) {
            const struct mirror_survey_question *q = &ms->questions[k];
            for (int x = 0; x < q->nanswers; x++) {
                const struct mirror_survey_answer *an = &q->answers[x];
                const char *row[CSV_COLS] = {_("Enquête"), ms->round_name, q->text,   "",
                                             an->percent,  an->count,      an->label, an->hidden};
                if (!csv_add(a, t, row))
                    return false;
            }
        }
    }
    for (int i = 0; r->has_review && i < r->nthemes; i++) {
        const struct review_theme_status *th = &r->themes[i];
        const char *row[CSV_COLS] = {
            _("Toetsing"),
            th->theme,
            "",
            "",
            theme_text(a, th),
            arena_printf(a, "%d", th->ncriteria),
            "",
            arena_printf(a, _("%d verschillen van inzicht"), th->ndifferences)};
        if (!csv_add(a, t, row))
            return false;
    }
    for (int i = 0; i < r->nactions; i++) {
        const struct improvement_action *x = &r->actions[i];
        char due[11];
        date_format_nl(x->due_on, due);
        const char *row[CSV_COLS] = {_("Verbeteractie"),
                                     x->description,
                                     x->owner_name,
                                     arena_strdup(a, due),
                                     status_text(a, x),
                                     "",
                                     "",
                                     ""};
        if (!csv_add(a, t, row))
            return false;
    }
    for (int i = 0; i < r->nagreements; i++) {
        const struct mirror_agreement *m = &r->agreements[i];
        const char *row[CSV_COLS] = {_("Resultaatafspraak"),
                                     m->indicator,
                                     m->contract,
                                     "",
                                     m->latest,
                                     "",
                                     m->target,
                                     m->met};
        if (!csv_add(a, t, row))
            return false;
    }
    return true;
}

int mirror_report_csv(struct arena *a, const struct mirror_report *r, const char **out, size_t *len,
                      struct err_ctx *e)
{
    struct csv_rows t = {0};
    if (!csv_figures(a, r, &t) || !csv_rest(a, r, &t))
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    static const char *heads[CSV_COLS] = {N_("Onderdeel"),
                                          N_("Onderwerp"),
                                          N_("Detail"),
                                          N_("Periode"),
                                          N_("Waarde"),
                                          N_("Aantal"),
                                          N_("Ter vergelijking (andere aanbieders in de regio)"),
                                          N_("Toelichting")};
    const char *h[CSV_COLS];
    for (int i = 0; i < CSV_COLS; i++)
        h[i] = _(heads[i]);
    struct text_table tt = {.headings = h,
                            .ncols = CSV_COLS,
                            .nrows = t.n,
                            .row = csv_row,
                            .ctx = &t,
                            .sheet = "spiegelrapportage",
                            .prefix = "spiegel",
                            .wide_col = 1};
    return text_table_csv(a, &tt, out, len, e);
}
