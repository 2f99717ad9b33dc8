/*
 * fuzz_message.c: msg_read (ingest/message.c) on arbitrary bytes, with the shipped XSDs.
 * Invariants: nothing crashes, leaks or reads past the input; the outcome is one of the four;
 * at most MSG_MAX_ISSUES findings, each NUL-terminated; an accepted message is of a kind duiding
 * uses, with a sane product count and codes that fit their fields; invalid and unsupported
 * messages always say why, and a rejected message carries no product lines.
 */
#include "fuzz.h"
#include "core/arena.h"
#include "ingest/message.h"
#include "core/common.h"

static struct msg_schemas *schemas;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!schemas) {
        struct err_ctx e = {0};
        FUZZ_CHECK(msg_schemas_load(&schemas, &e) == 0); /* kept for the whole run */
    }
    struct arena *a = arena_new(0);
    struct msg m;
    int rc = msg_read(schemas, "fuzz", data, size, a, &m);
    FUZZ_CHECK(rc == 0 || rc == ERR_TOO_BIG || rc == ERR_NOMEM);
    FUZZ_CHECK(rc != ERR_TOO_BIG || size > MSG_MAX_BYTES);
    FUZZ_CHECK(m.outcome == MSG_ACCEPTED || m.outcome == MSG_SKIPPED || m.outcome == MSG_INVALID ||
               m.outcome == MSG_UNSUPPORTED);
    FUZZ_CHECK(m.nissues >= 0 && m.nissues <= MSG_MAX_ISSUES);
    FUZZ_CHECK(m.nissues == 0 || m.issues != NULL);
    for (int i = 0; i < m.nissues; i++) {
        FUZZ_CHECK(memchr(m.issues[i].element, 0, sizeof m.issues[i].element) != NULL);
        FUZZ_CHECK(memchr(m.issues[i].reason, 0, sizeof m.issues[i].reason) != NULL);
        FUZZ_CHECK(m.issues[i].reason[0] != '\0');
    }
    if (rc == 0 && (m.outcome == MSG_INVALID || m.outcome == MSG_UNSUPPORTED))
        FUZZ_CHECK(m.nissues >= 1);
    if (m.outcome == MSG_ACCEPTED) {
        FUZZ_CHECK(rc == 0);
        FUZZ_CHECK(m.nissues == 0);
        FUZZ_CHECK(m.kind == MSG_KIND_301 || m.kind == MSG_KIND_305 || m.kind == MSG_KIND_307 ||
                   m.kind == MSG_KIND_315 || m.kind == MSG_KIND_323);
        FUZZ_CHECK(m.law == LAW_JW || m.law == LAW_WMO);
        FUZZ_CHECK(strcmp(m.release, "3.2") == 0);
        FUZZ_CHECK(m.nproducts >= 0 && m.nproducts <= MSG_MAX_PRODUCTS);
        FUZZ_CHECK(m.nproducts == 0 || m.products != NULL);
        /* A 323 carries claim lines (one BSN per client) instead of a client and products;
         * its lines add up to the declared total. */
        FUZZ_CHECK(m.kind == MSG_KIND_323 ? m.nproducts == 0 : m.nclaims == 0);
        FUZZ_CHECK(m.nclaims >= 0 && m.nclaims <= MSG_MAX_CLAIMS);
        int64_t sum = 0;
        for (int i = 0; i < m.nclaims; i++) {
            const struct msg_claim *c = &m.claims[i];
            FUZZ_CHECK(c->amount_cents >= 0 && c->amount_cents <= 99999999);
            FUZZ_CHECK(c->period_from != DAY_NONE && c->period_to >= c->period_from);
            FUZZ_CHECK(strlen(c->category) == 2 && strlen(c->bsn) <= 9);
            sum += c->credit ? -c->amount_cents : c->amount_cents;
        }
        if (m.kind == MSG_KIND_323)
            FUZZ_CHECK(sum == (m.decl.total_credit ? -m.decl.total_cents : m.decl.total_cents));
        FUZZ_CHECK(m.kind == MSG_KIND_323 || strlen(m.client.bsn) == 9);
        FUZZ_CHECK(strlen(m.gemeente) == 0 || strlen(m.gemeente) == 4);
        for (int i = 0; i < m.nproducts; i++) {
            const struct msg_product *p = &m.products[i];
            FUZZ_CHECK(p->assignment_nr >= -1 && p->assignment_nr <= 999999999);
            FUZZ_CHECK(strlen(p->category) <= 2 && strlen(p->product_code) <= 5);
            FUZZ_CHECK(p->status >= 0 && p->status <= 9);
            FUZZ_CHECK(p->line > 0);
        }
    } else {
        FUZZ_CHECK(m.nproducts == 0);
        FUZZ_CHECK(m.nclaims == 0);
    }
    if (m.outcome == MSG_UNSUPPORTED)
        FUZZ_CHECK(m.law == 0);
    arena_free(a);
    return 0;
}
