/*
 * fields.c: the catalogue of fields an indicator expression can read (names, types, the units
 * they exist for, Dutch help for the editor) and the packing of codes into integers, so that
 * the engine compares codes as it compares numbers.
 */
#include "metrics/fields.h"
#include "core/common.h"

#define BOTH (MX_UNIT_TRAJECTORY | MX_UNIT_RESPONSE)
#define TRAJ MX_UNIT_TRAJECTORY
#define RESP MX_UNIT_RESPONSE

/* In enum order: mx_fields()[f].field == f (checked by the unit tests). */
static const struct mx_field_info catalogue[MX_F__COUNT] = {
    {MX_F_LAW, "wet", MX_T_CODE, BOTH, N_("Wet: \"jw\" (Jeugdwet) of \"wmo\" (Wmo 2015).")},
    {MX_F_GEMEENTE, "gemeente", MX_T_CODE, BOTH,
     N_("CBS-code van de gemeente, zoals \"0344\" (na herindeling).")},
    {MX_F_CATEGORY, "categorie", MX_T_CODE, BOTH,
     N_("Productcategorie, zoals \"45\"; onbekend als die niet is aangeleverd.")},
    {MX_F_GENDER, "geslacht", MX_T_CODE, BOTH,
     N_("Geslacht: \"1\" man, \"2\" vrouw, \"0\" onbekend.")},
    {MX_F_AGE, "leeftijd", MX_T_INT, BOTH,
     N_("Leeftijd in hele jaren: bij de start van het traject, of zoals ingevuld in de "
        "vragenlijst.")},
    {MX_F_HULPVORM, "hulpvorm", MX_T_CODE, TRAJ,
     N_("Hulpvorm volgens CBS: \"01\" tot en met \"04\" en \"11\" tot en met \"14\".")},
    {MX_F_PRODUCT, "product", MX_T_CODE, TRAJ, N_("Productcode van de eerste levering.")},
    {MX_F_END_REASON, "reden_einde", MX_T_LISTCODE, TRAJ,
     N_("Reden einde uit de berichten, als code van lijst JZ588 of WMO588, zoals JZ588:32; "
        "onbekend zolang het traject loopt.")},
    {MX_F_CBS_REASON, "reden_cbs", MX_T_CODE, TRAJ,
     N_("Reden einde volgens CBS: \"01\" volgens plan, \"02\" in overleg voortijdig, \"03\" "
        "eenzijdig door de cliënt, \"04\" eenzijdig door de aanbieder, \"05\" externe reden; "
        "onbekend zolang het traject loopt.")},
    {MX_F_REFERRER, "verwijzer", MX_T_CODE, TRAJ,
     N_("Verwijzer (lijst COD327), zoals \"01\" gemeente of \"02\" huisarts.")},
    {MX_F_START, "start", MX_T_DAY, TRAJ, N_("Datum waarop de hulp begon.")},
    {MX_F_END, "einde", MX_T_DAY, TRAJ,
     N_("Datum waarop de hulp eindigde; onbekend zolang het traject loopt.")},
    {MX_F_OPEN, "open", MX_T_BOOL, TRAJ, N_("Waar als het traject nog geen einddatum heeft.")},
    {MX_F_TEMP_STOPPED, "tijdelijk_gestopt", MX_T_BOOL, TRAJ,
     N_("Waar als de hulp tijdelijk is gestopt en nog niet opnieuw is begonnen.")},
    {MX_F_NO_ASSIGNMENT, "zonder_toewijzing", MX_T_BOOL, TRAJ,
     N_("Waar als er geen toewijzing bij de start of stop bekend is.")},
    {MX_F_REGISTRATION, "uit_registratie", MX_T_BOOL, TRAJ,
     N_("Waar als het traject uit een registratie-export komt en niet uit berichten.")},
    {MX_F_DURATION, "doorlooptijd", MX_T_INT, TRAJ,
     N_("Aantal dagen van start tot einde; onbekend zolang het traject loopt.")},
    {MX_F_WAIT_ASSIGNED, "wachttijd", MX_T_INT, TRAJ,
     N_("Aantal dagen van de toewijzing tot de start; onbekend als de toewijzing onbekend is.")},
    {MX_F_WAIT_REQUESTED, "wachttijd_aanvraag", MX_T_INT, TRAJ,
     N_("Aantal dagen van de aanvraag tot de start; onbekend als er geen aanvraag is.")},
    {MX_F_SATISFACTION, "tevredenheid", MX_T_INT, TRAJ,
     N_("Rapportcijfer 1 tot en met 10 voor de bruikbaarheid van de hulp: dat van de "
        "jeugdige, anders dat van de ouder.")},
    {MX_F_SATISFACTION_CLIENT, "tevredenheid_jeugdige", MX_T_INT, TRAJ,
     N_("Rapportcijfer 1 tot en met 10 van de jeugdige zelf.")},
    {MX_F_SATISFACTION_PARENT, "tevredenheid_ouder", MX_T_INT, TRAJ,
     N_("Rapportcijfer 1 tot en met 10 van de ouder.")},
    {MX_F_WITHOUT_HELP, "zonder_hulp", MX_T_CODE, TRAJ,
     N_("Kan verder zonder hulp: \"01\" zelfde of zwaardere hulp nodig, \"02\" redt het met "
        "lichtere hulp, \"03\" nu geen hulp nodig (later misschien wel), \"04\" geen hulp meer "
        "nodig; dat van de jeugdige, anders dat van de ouder.")},
    {MX_F_WITHOUT_HELP_CLIENT, "zonder_hulp_jeugdige", MX_T_CODE, TRAJ,
     N_("Kan verder zonder hulp, volgens de jeugdige zelf (\"01\" tot en met \"04\").")},
    {MX_F_WITHOUT_HELP_PARENT, "zonder_hulp_ouder", MX_T_CODE, TRAJ,
     N_("Kan verder zonder hulp, volgens de ouder (\"01\" tot en met \"04\").")},
    {MX_F_GOAL, "doelrealisatie", MX_T_INT, TRAJ,
     N_("Percentage 0 tot en met 100 van de behaalde doelen (het hoogste gemeten).")},
    {MX_F_NEW_START, "nieuwe_start", MX_T_BOOL, TRAJ,
     N_("Waar als dezelfde persoon binnen de volgtermijn opnieuw hulp kreeg onder dezelfde "
        "wet (bij welke aanbieder ook); onbekend zolang het traject loopt.")},
    {MX_F_FOLLOW_UP_ELAPSED, "volgtermijn_verstreken", MX_T_BOOL, TRAJ,
     N_("Waar als het traject is geëindigd en de volgtermijn na het einde helemaal in de "
        "gegevens valt.")},
    {MX_F_RESPONSE_DATE, "datum_antwoord", MX_T_DAY, RESP,
     N_("Datum waarop de vragenlijst is ingevuld.")},
};

const struct mx_field_info *mx_fields(void)
{
    return catalogue;
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Names are matched without regard to ASCII case: "Wet" is the field wet. */
const struct mx_field_info *mx_field_find(const char *name, size_t len)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < MX_F__COUNT; i++) {
        const char *n = catalogue[i].name;
        size_t j = 0;
        while (j < len && n[j] && lower((unsigned char)name[j]) == n[j])
            j++;
        if (j == len && n[j] == '\0')
            return &catalogue[i];
    }
    return NULL;
}

/* Seven bytes big-endian in the low 56 bits; the top byte stays free for the list, so a packed
 * code is never negative and never MX_NULL. */
int64_t mx_code_pack(const char *s, size_t len)
{
    if (!s || len == 0)
        return MX_NULL;
    uint64_t v = 0;
    for (size_t i = 0; i < 7; i++)
        v = (v << 8) | (i < len ? (unsigned char)s[i] : 0u);
    return (int64_t)v;
}

int64_t mx_code_pack_list(enum mx_code_list list, const char *s, size_t len)
{
    int64_t v = mx_code_pack(s, len);
    if (v == MX_NULL)
        return MX_NULL;
    return (int64_t)((uint64_t)v | ((uint64_t)(list & 0x7f) << 56));
}

enum mx_code_list mx_code_unpack(int64_t v, char out[static 8])
{
    out[0] = '\0';
    if (v == MX_NULL || v < 0)
        return MX_LIST_NONE;
    uint64_t u = (uint64_t)v;
    size_t n = 0;
    for (int shift = 48; shift >= 0; shift -= 8) {
        unsigned char c = (unsigned char)(u >> shift);
        if (c == 0)
            break;
        out[n++] = (char)c;
    }
    out[n] = '\0';
    unsigned list = (unsigned)(u >> 56);
    return list == MX_LIST_JZ588 || list == MX_LIST_WMO588 ? (enum mx_code_list)list : MX_LIST_NONE;
}
