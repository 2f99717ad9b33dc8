/*
 * council_report.c: the council report (council_report.h). The builder gathers only what is
 * public anyway: figures from the caller's view function, checked here to be at least as strict
 * as the published rules (audience DC_PUBLISHED, thresholds and rounding not below the
 * configured published ones), stories read with the minimum consent "publicatie" (and checked
 * again row by row), and conversation content through domain/conversation_published.h (approved
 * by every side). The texts around them are short sentences in plain Dutch (B1): the council
 * reads this instead of an annual accountability report. The PDF is drawn with report/pdf.h
 * from the same model, charts from the disclosed values (hidden values are gaps, never 0).
 */
#include <math.h>

#include "report/council_report.h"
#include "core/common.h"
#include "domain/story.h"
#include "report/pdf.h"
#include "store/indicator_store.h"
#include "store/story_store.h"

/* ---- Plain-language texts ------------------------------------------------------------------ */

const char *council_intro_figures(struct arena *a, const struct dc_rules *r)
{
    const char *base = _("De cijfers komen uit de gegevens van de gemeente en de zorgaanbieders. "
                         "Kleine groepen laten we niet zien, zodat niemand herkenbaar is. Dan "
                         "staat er een punt (.). Een punt is dus geen nul.");
    if (r == NULL)
        return base;
    const char *min = arena_printf(
        a, _("Een cijfer staat er alleen als het over minstens %d mensen gaat."), r->min_count);
    const char *s = arena_printf(a, "%s %s", base, min ? min : "");
    if (s && r->round_to > 1) {
        const char *round = arena_printf(a, _("Aantallen zijn afgerond op %d."), r->round_to);
        s = arena_printf(a, "%s %s", s, round ? round : "");
    }
    return s ? s : base;
}

const char *council_intro_stories(void)
{
    return _("Cijfers vertellen niet alles. Daarom staan hier ook verhalen van inwoners en "
             "professionals. Zij gaven toestemming om hun verhaal openbaar te maken. Namen staan "
             "er niet in.");
}

const char *council_intro_conversations(void)
{
    return _("Gemeente en zorgaanbieders bespreken de cijfers samen in een kwaliteitsgesprek. "
             "Hier staat wat zij daarvan leerden. Alleen gesprekken waarvan alle partijen het "
             "verslag hebben goedgekeurd staan hier.");
}

const char *council_intro_actions(void)
{
    return _("Wat doen we ermee? Dit zijn de afspraken uit die gesprekken, en hoe ver ze zijn.");
}

/* ---- Figures ------------------------------------------------------------------------------- */

/* A view may reach the report only when it is at least as strict as the published rules. */
static bool strict_enough(const struct mx_view *v, const struct dc_rules *pub)
{
    if (v->audience != DC_PUBLISHED)
        return false;
    if (pub == NULL)
        return true;
    return v->rules.min_count >= pub->min_count &&
           v->rules.min_denominator >= pub->min_denominator && v->rules.round_to >= pub->round_to &&
           v->rules.min_benchmark >= pub->min_benchmark;
}

/* The newest shown total of a period that is over by the data date; else the newest at all. */
static int latest_index(const struct mx_view *v)
{
    for (int pass = 0; pass < 2; pass++)
        for (int i = v->nperiods - 1; i >= 0; i--) {
            if (pass == 0 && v->data_date != DAY_NONE && v->data_date != 0 &&
                period_end(v->periods[i]) > v->data_date)
                continue;
            if (report_total_at(v, i))
                return i;
        }
    return -1;
}

/* "In het 1e kwartaal 2025 was dit 12,5%. Dat is beter dan het kwartaal ervoor (10,0%). Het
 * doel is 15%: dat is nog niet gehaald." */
static const char *figure_sentence(struct arena *a, const struct council_figure *f,
                                   const struct mx_vcell *c)
{
    const char *s =
        f->view.periods[f->latest].kind == PERIOD_YEAR
            ? arena_printf(a, _("In %s was dit %s."), f->latest_period, f->latest_value)
            : arena_printf(a, _("In het %s was dit %s."), f->latest_period, f->latest_value);
    char prev[64], target[64];
    mx_view_format_number(&f->view, c->prev, prev, sizeof prev);
    const char *t = report_trend_sentence(a, f->trend, prev, f->view.periods[f->latest].kind);
    if (t && s)
        s = arena_printf(a, "%s %s", s, t);
    if (isfinite(c->target) && s) {
        mx_view_format_number(&f->view, c->target, target, sizeof target);
        enum ind_polarity pol = f->view.def ? f->view.def->polarity : IND_NEUTRAL;
        const char *g;
        bool reached = pol == IND_HIGHER_BETTER ? c->value >= c->target : c->value <= c->target;
        if (pol == IND_NEUTRAL)
            g = arena_printf(a, _("Het doel is %s."), target);
        else if (reached)
            g = arena_printf(a, _("Het doel is %s: dat is gehaald."), target);
        else
            g = arena_printf(a, _("Het doel is %s: dat is nog niet gehaald."), target);
        s = arena_printf(a, "%s %s", s, g ? g : "");
    }
    return s;
}

static int build_figure(struct arena *a, const struct council_request *rq, struct period first,
                        int64_t ind_id, struct council_figure *f, struct err_ctx *e)
{
    memset(f, 0, sizeof *f);
    f->ind_id = ind_id;
    f->latest = -1;
    struct err_ctx ve = {0};
    int rc = rq->view(rq->view_ctx, ind_id, first, rq->last, &f->view, &ve);
    if (rc == 0 && !strict_enough(&f->view, rq->published))
        return err_set(e, ERR_INVALID, NULL, "%s",
                       _("De cijfers voor de raadsrapportage moeten op publicatieniveau zijn "
                         "beschermd."));
    if (rc == 0 && f->view.nby != 0)
        return err_set(e, ERR_INVALID, NULL, "%s",
                       _("De raadsrapportage toont alleen totalen, geen uitsplitsingen."));
    if (rc == ERR_NOT_FOUND) {
        f->problem = _("Deze indicator bestaat niet meer.");
        return 0;
    }
    if (rc) {
        f->problem =
            ve.msg[0] ? arena_strdup(a, ve.msg) : _("De cijfers zijn nu niet beschikbaar.");
        return 0;
    }
    f->ok = true;
    if (f->view.def) {
        f->name = f->view.def->name;
        f->explanation = f->view.def->explanation;
    }
    f->latest = latest_index(&f->view);
    const struct mx_vcell *c = f->latest >= 0 ? report_total_at(&f->view, f->latest) : NULL;
    if (!c) {
        f->latest = -1;
        f->problem = _("Er zijn (nog) geen cijfers die we mogen laten zien: er zijn te weinig "
                       "gegevens, of de groepen zijn te klein.");
        return 0;
    }
    char buf[64], label[PERIOD_LABEL_MAX];
    mx_view_format_value(&f->view, c, buf, sizeof buf);
    period_label(f->view.periods[f->latest], label, sizeof label);
    f->latest_value = arena_strdup(a, buf);
    f->latest_period = arena_strdup(a, label);
    f->trend = report_trend_of(&f->view, c);
    f->sentence = figure_sentence(a, f, c);
    return 0;
}

/* ---- Stories ------------------------------------------------------------------------------- */

static bool have_story(const struct council_result *r, int64_t id)
{
    for (int i = 0; i < r->nstories; i++)
        if (r->stories[i].id == id)
            return true;
    return false;
}

/* Adds the stories of q (publication consent only) not yet in r, up to the maximum. */
static int add_stories(struct arena *a, struct db *db, struct story_query *q,
                       struct council_result *r)
{
    struct story *rows = NULL;
    int n = 0;
    int rc = story_store_list(a, db, q, CONSENT_PUBLICATIE, COUNCIL_MAX_STORIES, &rows, &n);
    for (int i = 0; !rc && i < n && r->nstories < COUNCIL_MAX_STORIES; i++) {
        const struct story *st = &rows[i];
        /* Belt and braces: the query asked for publicatie; a row with less never passes. */
        if (st->consent != CONSENT_PUBLICATIE || st->archived || have_story(r, st->id))
            continue;
        struct council_story *cs = &r->stories[r->nstories++];
        cs->id = st->id;
        cs->title = st->title;
        cs->body = st->body;
        cs->teller_role = st->teller_role;
        cs->kind_label = story_kind_label(st->kind);
        cs->told_on = st->told_on;
        cs->aanbieder_name = st->aanbieder_name;
    }
    return rc;
}

static int build_stories(struct arena *a, struct db *db, const struct council_request *rq,
                         const int64_t *inds, size_t ninds, struct council_result *r)
{
    r->stories = arena_calloc(a, COUNCIL_MAX_STORIES, sizeof *r->stories);
    if (r->stories == NULL)
        return ERR_NOMEM;
    struct story_query q = {.result_id = r->result.id,
                            .gemeente = rq->gemeente,
                            .gemeente_or_none = rq->gemeente != NULL,
                            .min_consent = CONSENT_PUBLICATIE};
    int rc = add_stories(a, db, &q, r);
    for (size_t i = 0; !rc && i < ninds && r->nstories < COUNCIL_MAX_STORIES; i++) {
        q.result_id = 0;
        q.indicator_id = inds[i];
        rc = add_stories(a, db, &q, r);
    }
    return rc;
}

/* ---- Results ------------------------------------------------------------------------------- */

static void count_actions(struct council_result *r, day_t today)
{
    for (int i = 0; i < r->nconversations; i++)
        for (int k = 0; k < r->conversations[i].nactions; k++) {
            const struct conv_pub_action *x = &r->conversations[i].actions[k];
            r->nactions++;
            switch (x->status) {
            case ACTION_OPEN:
                r->counts.open++;
                break;
            case ACTION_BEZIG:
                r->counts.bezig++;
                break;
            case ACTION_KLAAR:
                r->counts.klaar++;
                break;
            case ACTION_VERVALLEN:
                r->counts.vervallen++;
                break;
            }
            if ((x->status == ACTION_OPEN || x->status == ACTION_BEZIG) && x->due_on < today)
                r->counts.overdue++;
        }
}

static const char *result_intro(struct arena *a, const struct council_result *r)
{
    const char *s = arena_printf(a, _("Dit doel loopt van %d tot en met %d."), r->result.start_year,
                                 r->result.end_year);
    return arena_printf(a, "%s %s", s ? s : "",
                        _("Eerst ziet u de cijfers die laten zien of het de goede kant op gaat. "
                          "Daarna leest u verhalen, wat er in gesprekken is geleerd en welke "
                          "afspraken er zijn gemaakt."));
}

static int build_result(struct arena *a, struct store *s, const struct council_request *rq,
                        struct period first, struct council_result *r, struct err_ctx *e)
{
    struct db *db = store_reader(s);
    if (db == NULL)
        return err_set(e, ERR_DB, NULL, "no database connection");
    r->intro = result_intro(a, r);
    int64_t *inds = NULL;
    size_t ninds = 0;
    int rc = indicator_store_result_links(a, db, r->result.id, &inds, &ninds);
    if (rc)
        return err_set(e, rc, NULL, "%s",
                       _("De indicatoren van dit resultaat konden niet worden "
                         "gelezen."));
    if (ninds > COUNCIL_MAX_INDICATORS)
        ninds = COUNCIL_MAX_INDICATORS;
    if (rq->view && ninds > 0) {
        r->figures = arena_calloc(a, ninds, sizeof *r->figures);
        if (r->figures == NULL)
            return err_set(e, ERR_NOMEM, NULL, "out of memory");
        for (size_t i = 0; i < ninds; i++) {
            if ((rc = build_figure(a, rq, first, inds[i], &r->figures[r->nfigures], e)))
                return rc;
            r->nfigures++;
        }
    }
    if ((rc = build_stories(a, db, rq, inds, ninds, r)))
        return err_set(e, rc, NULL, "%s", _("De verhalen konden niet worden gelezen."));
    rc = conversation_published_list(a, s, r->result.id, rq->gemeente, COUNCIL_MAX_CONV,
                                     &r->conversations, &r->nconversations);
    if (rc)
        return err_set(e, rc, NULL, "%s", _("De gesprekken konden niet worden gelezen."));
    count_actions(r, rq->today);
    return 0;
}

static bool have_result(const struct council_report *out, int64_t id)
{
    for (int i = 0; i < out->nresults; i++)
        if (out->results[i].result.id == id)
            return true;
    return false;
}

/* The results of the theme owned by the request's organisations (all owners when none). */
static int theme_results(struct arena *a, struct store *s, const struct actor *who,
                         const struct council_request *rq, struct council_report *out,
                         struct err_ctx *e)
{
    int nowners = rq->nowners > 0 ? rq->nowners : 1;
    for (int k = 0; k < nowners && out->nresults < COUNCIL_MAX_RESULTS; k++) {
        struct result_filter f = {.owner_org_id = rq->nowners > 0 ? rq->owner_org_ids[k] : 0,
                                  .theme = rq->theme,
                                  .limit = COUNCIL_MAX_RESULTS};
        struct result *rows = NULL;
        int n = 0, total = 0;
        int rc = result_list(a, s, who, &f, &rows, &n, &total);
        if (rc)
            return err_set(e, rc, NULL, "%s", _("De resultaten konden niet worden gelezen."));
        for (int i = 0; i < n && out->nresults < COUNCIL_MAX_RESULTS; i++)
            if (!have_result(out, rows[i].id))
                out->results[out->nresults++].result = rows[i];
    }
    return 0;
}

static bool valid_cbs(const char *g)
{
    if (g == NULL)
        return true;
    if (strlen(g) != 4)
        return false;
    for (int i = 0; i < 4; i++)
        if (g[i] < '0' || g[i] > '9')
            return false;
    return true;
}

int council_report_build(struct arena *a, struct store *s, const struct actor *who,
                         const struct council_request *rq, struct council_report *out,
                         struct err_ctx *e)
{
    memset(out, 0, sizeof *out);
    if (!valid_cbs(rq->gemeente))
        return err_set(e, ERR_INVALID, "gemeente", "%s",
                       _("Kies een gemeente (CBS-code, bijvoorbeeld 0114)."));
    if (rq->nowners < 0 || rq->nowners > COUNCIL_MAX_OWNERS ||
        (rq->nowners > 0 && rq->owner_org_ids == NULL))
        return err_set(e, ERR_INVALID, NULL, "too many owners");
    int nq = rq->nquarters > 0 ? rq->nquarters : COUNCIL_QUARTERS;
    if (nq > COUNCIL_QUARTERS_MAX)
        nq = COUNCIL_QUARTERS_MAX;
    out->results = arena_calloc(a, COUNCIL_MAX_RESULTS, sizeof *out->results);
    if (out->results == NULL)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    out->area_name = rq->area_name ? rq->area_name : "";
    out->made_on = rq->today;
    out->has_figures = rq->view != NULL;
    if (rq->published)
        out->rules = *rq->published;
    out->last = rq->last;
    out->first = rq->last;
    for (int i = 1; i < nq; i++)
        out->first = period_prev(out->first);

    const char *subject;
    if (rq->result_id > 0) {
        int rc = result_get(a, s, who, rq->result_id, &out->results[0].result);
        if (rc == ERR_NOT_FOUND || rc == ERR_DENIED)
            return err_set(e, ERR_NOT_FOUND, "resultaat", "%s",
                           _("Dit maatschappelijk resultaat bestaat niet."));
        if (rc)
            return err_set(e, rc, NULL, "%s", _("Het resultaat kon niet worden gelezen."));
        out->nresults = 1;
        out->result_id = rq->result_id;
        out->theme = out->results[0].result.theme;
        subject = out->results[0].result.title;
        out->intro = arena_printf(
            a,
            _("In deze rapportage leest u hoe het gaat met het doel ‘%s’ in %s. U ziet de "
              "belangrijkste cijfers, verhalen van inwoners en professionals, wat gemeente en "
              "zorgaanbieders samen hebben geleerd en wat zij nu doen om het beter te maken."),
            subject, out->area_name);
    } else if (rq->theme >= THEME_MIN && rq->theme <= THEME_MAX) {
        out->theme = rq->theme;
        subject = theme_label((enum result_theme)rq->theme);
        int rc = theme_results(a, s, who, rq, out, e);
        if (rc)
            return rc;
        out->intro = arena_printf(
            a,
            _("In deze rapportage leest u hoe het gaat met het thema ‘%s’ in %s. Per doel "
              "(maatschappelijk resultaat) ziet u de belangrijkste cijfers, verhalen van inwoners "
              "en professionals, wat gemeente en zorgaanbieders samen hebben geleerd en wat zij nu "
              "doen om het beter te maken."),
            subject, out->area_name);
    } else {
        return err_set(e, ERR_INVALID, "onderwerp", "%s",
                       _("Kies een thema of een maatschappelijk resultaat."));
    }
    if (out->intro)
        out->intro = arena_printf(a, "%s %s", out->intro,
                                  _("Dit is geen jaarverslag: het laat zien wat we leren en wat "
                                    "we daarmee doen."));
    out->title = arena_printf(a, _("Raadsrapportage: %s"), subject);
    char made[PERIOD_LABEL_MAX];
    date_format_long(rq->today, made, sizeof made);
    out->subtitle = arena_printf(a, "%s · %s", out->area_name, made);
    for (int i = 0; i < out->nresults; i++) {
        int rc = build_result(a, s, rq, out->first, &out->results[i], e);
        if (rc)
            return rc;
    }
    if (out->title == NULL || out->subtitle == NULL || out->intro == NULL)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    return 0;
}

/* ---- PDF ------------------------------------------------------------------------------------ */

static const char *status_label(enum action_status st)
{
    return st >= ACTION_STATUS_MIN && st <= ACTION_STATUS_MAX ? action_status_label(st) : "";
}

static void pdf_figure(struct arena *a, struct pdf_doc *d, const struct council_figure *f)
{
    pdf_heading(d, 3, f->name ? f->name : _("Indicator"));
    if (f->explanation && *f->explanation)
        pdf_small(d, f->explanation);
    if (!f->ok || f->latest < 0) {
        pdf_para(d, f->problem ? f->problem : _("De cijfers zijn nu niet beschikbaar."));
        if (!f->ok)
            return;
    } else {
        pdf_para(d, f->sentence);
    }
    const struct mx_view *v = &f->view;
    int n = v->nperiods;
    if (n <= 0 || n > PDF_MAX_POINTS)
        return;
    double *vals = arena_calloc(a, (size_t)n * 4, sizeof *vals);
    const char **labels = arena_calloc(a, (size_t)n, sizeof *labels);
    if (vals == NULL || labels == NULL)
        return;
    double *lo = vals + n, *hi = vals + 2 * n, *tg = vals + 3 * n;
    bool any_target = false, any_shown = false;
    for (int i = 0; i < n; i++) {
        char code[PERIOD_CODE_MAX];
        period_code(v->periods[i], code);
        labels[i] = arena_strdup(a, code);
        const struct mx_vcell *c = mx_view_cell(v, i, NULL, NULL);
        bool shown = c && c->reason == DC_SHOWN && isfinite(c->value);
        vals[i] = shown ? c->value : NAN; /* hidden: a gap, never 0 */
        lo[i] = shown ? c->lo : NAN;
        hi[i] = shown ? c->hi : NAN;
        tg[i] = c ? c->target : NAN;
        any_target = any_target || isfinite(tg[i]);
        any_shown = any_shown || shown;
    }
    /* Every value hidden: no empty chart (as on the page); the sentence and the table say why. */
    struct pdf_chart ch = {
        .title = f->name,
        .n = n,
        .x_labels = labels,
        .values = vals,
        .lo = lo,
        .hi = hi,
        .target = any_target ? tg : NULL,
        .percent = v->def && v->def->agg == IND_AGG_PROPORTION,
    };
    if (any_shown)
        pdf_chart(d, &ch);
    const char *heads[5] = {_("Periode"), _("Waarde"), _("Marge (95%)"), _("Aantal mensen"),
                            _("Doel")};
    const double widths[5] = {1.4, 1.0, 1.4, 1.1, 0.9};
    pdf_table_begin(d, 5, heads, widths, "lrrrr");
    bool any_hidden = false;
    for (int i = 0; i < n; i++) {
        const struct mx_vcell *c = mx_view_cell(v, i, NULL, NULL);
        char label[PERIOD_LABEL_MAX], val[64] = ".", lob[64], hib[64], tb[64] = "", nb[32] = ".";
        period_label(v->periods[i], label, sizeof label);
        const char *margin = "";
        if (c && c->reason == DC_SHOWN) {
            mx_view_format_value(v, c, val, sizeof val);
            if (isfinite(c->lo) && isfinite(c->hi)) {
                mx_view_format_number(v, c->lo, lob, sizeof lob);
                mx_view_format_number(v, c->hi, hib, sizeof hib);
                margin = arena_printf(a, "%s – %s", lob, hib);
            }
            if (c->n >= 0)
                snprintf(nb, sizeof nb, "%" PRId64, c->n);
        } else {
            any_hidden = true;
        }
        if (c && isfinite(c->target))
            mx_view_format_number(v, c->target, tb, sizeof tb);
        const char *cells[5] = {label, val, margin ? margin : "", nb, tb};
        pdf_table_row(d, cells);
    }
    pdf_table_end(d);
    if (any_hidden)
        pdf_small(d, _("Een punt (.) betekent: niet getoond, omdat de groep te klein is of er "
                       "geen gegevens zijn. Het is geen nul."));
}

static void pdf_result(struct arena *a, struct pdf_doc *d, const struct council_report *rep,
                       const struct council_result *r)
{
    pdf_heading(d, 1, r->result.title);
    pdf_para(d, r->intro);
    if (r->result.description && *r->result.description)
        pdf_para(d, r->result.description);

    pdf_heading(d, 2, _("De cijfers"));
    if (!rep->has_figures)
        pdf_para(d, _("U kunt geen cijfers inzien."));
    else if (r->nfigures == 0)
        pdf_para(d, _("Aan dit doel zijn (nog) geen indicatoren gekoppeld."));
    else
        pdf_small(d, council_intro_figures(a, &rep->rules));
    for (int i = 0; i < r->nfigures; i++)
        pdf_figure(a, d, &r->figures[i]);

    pdf_heading(d, 2, _("Verhalen"));
    pdf_small(d, council_intro_stories());
    if (r->nstories == 0)
        pdf_para(d, _("Er zijn (nog) geen verhalen die openbaar gemaakt mogen worden."));
    for (int i = 0; i < r->nstories; i++) {
        const struct council_story *st = &r->stories[i];
        char told[PERIOD_LABEL_MAX];
        date_format_long(st->told_on, told, sizeof told);
        pdf_heading(d, 3, st->title);
        pdf_small(d, arena_printf(a, "%s · %s · %s", st->kind_label, st->teller_role, told));
        pdf_para(d, st->body);
    }

    pdf_heading(d, 2, _("Wat we leerden in gesprekken"));
    pdf_small(d, council_intro_conversations());
    if (r->nconversations == 0)
        pdf_para(d, _("Er is (nog) geen gesprek over dit doel waarvan iedereen het verslag heeft "
                      "goedgekeurd."));
    for (int i = 0; i < r->nconversations; i++) {
        const struct conv_published *c = &r->conversations[i];
        char held[PERIOD_LABEL_MAX];
        date_format_long(c->held_on, held, sizeof held);
        pdf_heading(d, 3, c->title);
        const char *who = "";
        for (int k = 0; k < c->nparties; k++)
            who = arena_printf(a, "%s%s%s", who, k ? ", " : "", c->parties[k].name);
        pdf_small(d, arena_printf(a, _("Gesprek op %s met %s"), held, who ? who : ""));
        if (c->summary && *c->summary)
            pdf_kv(d, _("Wat we zagen"), c->summary);
        if (c->conclusions && *c->conclusions)
            pdf_kv(d, _("Wat we concludeerden"), c->conclusions);
    }

    pdf_heading(d, 2, _("Wat we doen"));
    pdf_small(d, council_intro_actions());
    if (r->nactions == 0) {
        pdf_para(d, _("Er zijn (nog) geen afspraken uit goedgekeurde gesprekken."));
        return;
    }
    pdf_para(d, arena_printf(a, _("Open: %d · Bezig: %d · Klaar: %d · Vervallen: %d · Te laat: %d"),
                             r->counts.open, r->counts.bezig, r->counts.klaar, r->counts.vervallen,
                             r->counts.overdue));
    const char *heads[4] = {_("Afspraak"), _("Wie"), _("Klaar uiterlijk"), _("Status")};
    const double widths[4] = {3.2, 1.6, 1.2, 1.0};
    pdf_table_begin(d, 4, heads, widths, "llll");
    for (int i = 0; i < r->nconversations; i++)
        for (int k = 0; k < r->conversations[i].nactions; k++) {
            const struct conv_pub_action *x = &r->conversations[i].actions[k];
            char due[11];
            date_format_nl(x->due_on, due);
            bool late =
                (x->status == ACTION_OPEN || x->status == ACTION_BEZIG) && x->due_on < rep->made_on;
            const char *st = late ? arena_printf(a, _("%s (te laat)"), status_label(x->status))
                                  : status_label(x->status);
            const char *cells[4] = {x->description, x->owner_name, due, st ? st : ""};
            pdf_table_row(d, cells);
        }
    pdf_table_end(d);
}

int council_report_pdf(struct arena *a, const struct council_report *r, struct buf *out, int *pages,
                       struct err_ctx *e)
{
    struct pdf_doc *d = pdf_doc_new(a, r->title);
    if (d == NULL)
        return err_set(e, ERR_NOMEM, NULL, "out of memory");
    pdf_set_subtitle(d, r->subtitle);
    char made[11];
    date_format_nl(r->made_on, made);
    pdf_set_footer(d, arena_printf(a,
                                   _("Raadsrapportage %s · gemaakt op %s · cijfers op "
                                     "publicatieniveau"),
                                   r->area_name, made));
    pdf_set_meta(d, r->area_name, _("Raadsrapportage"));
    pdf_para(d, r->intro);
    if (r->nresults == 0)
        pdf_note(d, _("Bij dit thema zijn (nog) geen maatschappelijke resultaten vastgesteld."));
    for (int i = 0; i < r->nresults; i++) {
        if (i > 0)
            pdf_page_break(d);
        pdf_result(a, d, r, &r->results[i]);
    }
    return pdf_render(d, out, pages, e);
}
