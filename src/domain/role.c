/*
 * role.c: codes and display names of user roles and organisation kinds. The codes are stable
 * (database, API, audit); the labels are Dutch gettext msgids, translated for display.
 */
#include "domain/role.h"
#include "core/common.h"
#include "core/err.h"

struct role_name {
    enum role role;
    const char *code;
    const char *label; /* msgid */
};

/* In bit order, so role_at(i) and the table agree. */
static const struct role_name roles[ROLE_COUNT] = {
    {ROLE_BEHEERDER, "beheerder", N_("Beheerder")},
    {ROLE_BELEID, "beleid", N_("Beleidsadviseur")},
    {ROLE_CONTRACT, "contract", N_("Contractmanager")},
    {ROLE_KWALITEIT, "kwaliteit", N_("Kwaliteitsmedewerker")},
    {ROLE_PROFESSIONAL, "professional", N_("Professional")},
    {ROLE_TOEZICHT, "toezicht", N_("Toezichthouder")},
    {ROLE_RAAD, "raad", N_("Raadslid")},
    {ROLE_BACKOFFICE, "backoffice", N_("Backofficemedewerker")},
};

struct kind_name {
    enum org_kind kind;
    const char *code;
    const char *label; /* msgid */
};

static const struct kind_name kinds[] = {
    {ORG_REGION, "region", N_("Regio")},
    {ORG_GEMEENTE, "gemeente", N_("Gemeente")},
    {ORG_AANBIEDER, "aanbieder", N_("Aanbieder")},
    {ORG_TOEZICHTHOUDER, "toezichthouder", N_("Toezichthouder")},
    {ORG_TOEGANG, "toegang", N_("Toegangsteam")},
};

static const struct role_name *find_role(enum role r)
{
    for (size_t i = 0; i < ARRAY_LEN(roles); i++)
        if (roles[i].role == r)
            return &roles[i];
    return NULL;
}

const char *role_code(enum role r)
{
    const struct role_name *n = find_role(r);
    return n ? n->code : "unknown";
}

const char *role_label(enum role r)
{
    const struct role_name *n = find_role(r);
    return n ? _(n->label) : _("Onbekend");
}

int role_parse(struct str s, enum role *out)
{
    for (size_t i = 0; i < ARRAY_LEN(roles); i++)
        if (str_eq_c(s, roles[i].code)) {
            *out = roles[i].role;
            return 0;
        }
    return ERR_INVALID;
}

enum role role_at(int i)
{
    return i >= 0 && i < ROLE_COUNT ? roles[i].role : (enum role)0;
}

static const struct kind_name *find_kind(enum org_kind k)
{
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        if (kinds[i].kind == k)
            return &kinds[i];
    return NULL;
}

const char *org_kind_code(enum org_kind k)
{
    const struct kind_name *n = find_kind(k);
    return n ? n->code : "unknown";
}

const char *org_kind_label(enum org_kind k)
{
    const struct kind_name *n = find_kind(k);
    return n ? _(n->label) : _("Onbekend");
}

int org_kind_parse(struct str s, enum org_kind *out)
{
    for (size_t i = 0; i < ARRAY_LEN(kinds); i++)
        if (str_eq_c(s, kinds[i].code)) {
            *out = kinds[i].kind;
            return 0;
        }
    return ERR_INVALID;
}
