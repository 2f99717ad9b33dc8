/*
 * demo_data.c: static Dutch text for the demo region: gemeente names (looked up in the CBS list
 * at run time, never with hard-coded codes), invented providers and societal-result texts
 * written the way a municipal policy plan (beleidsplan sociaal domein) phrases them.
 */
#include "domain/demo_data.h"
#include "core/common.h"

const char *const demo_gemeente_names[DEMO_GEMEENTE_COUNT] = {
    "Borger-Odoorn", "Coevorden", "De Wolden", "Emmen", "Hoogeveen", "Meppel", "Westerveld",
};

/*
 * Invented names: a mix of youth care (Jeugdwet) and Wmo support as a region typically
 * contracts it. Entry 0 must stay a youth-care provider: the demo quality officer and
 * professional work there.
 */
const struct demo_provider demo_providers[] = {
    {"Jeugdhulp Veenstroom", "ambulante jeugdhulp", DEMO_LAW_JEUGD},
    {"Praktijk Brinkzicht voor Jeugd-GGZ", "jeugd-GGZ praktijk", DEMO_LAW_JEUGD},
    {"Pleegzorgnetwerk Het Nieuwe Nest", "pleegzorg", DEMO_LAW_JEUGD},
    {"Gezinshuis De Eikenstee", "gezinshuis", DEMO_LAW_JEUGD},
    {"Orthopedagogiekpraktijk Groeilicht", "diagnostiek en ambulante jeugdhulp", DEMO_LAW_JEUGD},
    {"Gezinscoaching Hunzedal", "ambulante gezinsbegeleiding", DEMO_LAW_JEUGD},
    {"Kinderpsychologenpraktijk De Zandloper", "jeugd-GGZ praktijk", DEMO_LAW_JEUGD},
    {"Zorgboerderij De Klaverkamp", "dagbesteding op de boerderij", DEMO_LAW_BOTH},
    {"Kamertraining Startblok", "kamertraining voor jongeren", DEMO_LAW_JEUGD},
    {"Dyslexiezorg Leesvaardig Zuidoost", "dyslexiezorg", DEMO_LAW_JEUGD},
    {"Specialistische Jeugd-GGZ Reestoever", "specialistische jeugd-GGZ", DEMO_LAW_JEUGD},
    {"Crisisopvang Jeugd Schuilhaven", "crisisopvang en verblijf", DEMO_LAW_JEUGD},
    {"Logeerhuis Het Zwaluwnest", "logeeropvang en kortdurend verblijf", DEMO_LAW_BOTH},
    {"Dagbesteding Het Atelierhuis", "dagbesteding", DEMO_LAW_WMO},
    {"Begeleid Wonen Wolderstee", "begeleid wonen", DEMO_LAW_WMO},
    {"Thuishulp Drentse Handen", "huishoudelijke hulp", DEMO_LAW_WMO},
    {"Huishoudelijke Hulp Opgeruimd Zuidoost", "huishoudelijke hulp", DEMO_LAW_WMO},
    {"Thuisbegeleiding Eigenwijs Verder", "thuisbegeleiding", DEMO_LAW_WMO},
    {"Wijkzorgteam Dorpsnabij", "persoonlijke verzorging in de wijk", DEMO_LAW_WMO},
    {"Zorgboerderij De Esakker", "dagbesteding op de boerderij", DEMO_LAW_WMO},
    {"Beschermd Wonen De Brinkhoeve", "beschermd en begeleid wonen", DEMO_LAW_WMO},
    {"Respijtzorg Adempauze", "respijtzorg en mantelzorgondersteuning", DEMO_LAW_WMO},
    {"Sociaal Werk Veenland", "maatschappelijk werk", DEMO_LAW_BOTH},
    {"Ambulante Begeleiding Zwanenveld", "ambulante begeleiding", DEMO_LAW_WMO},
    {"Dagcentrum Ouderen Het Lindehof", "dagbesteding voor ouderen", DEMO_LAW_WMO},
    {"Woonbegeleiding De Kompasroos", "begeleid wonen (GGZ)", DEMO_LAW_WMO},
};
const size_t demo_provider_count = ARRAY_LEN(demo_providers);

const struct demo_result_text demo_gemeente_results[] = {
    {THEME_OPGROEIEN, "Jongeren in {g} groeien veilig en gezond op",
     "Kinderen en jongeren in {g} groeien op in een veilige en stimulerende omgeving, thuis, op "
     "school en in de buurt. Gaat het thuis even niet, dan is er snel passende hulp, zo dichtbij "
     "en zo gewoon mogelijk. We volgen onder meer hoeveel jeugdigen na afloop van de hulp zonder "
     "nieuwe hulp verder kunnen."},
    {THEME_ZELFREDZAAMHEID, "Inwoners met een ondersteuningsvraag doen mee naar vermogen",
     "Inwoners van {g} die ondersteuning nodig hebben, leven zo zelfstandig mogelijk en doen mee "
     "in de samenleving. De ondersteuning sluit aan bij wat iemand zelf en met het eigen netwerk "
     "kan, en wordt afgebouwd waar dat verantwoord is. Cliënten ervaren dat de hulp bijdraagt "
     "aan hun zelfredzaamheid."},
    {THEME_OPGROEIEN, "Minder jongeren vallen uit in de jeugdhulp",
     "Jeugdhulptrajecten in {g} worden vaker afgerond zoals gepland. Aanbieder, toegangsteam en "
     "gezin stemmen de doelen samen af, zodat de hulp aansluit bij de vraag. Trajecten die "
     "voortijdig en eenzijdig stoppen, bespreken we in het kwaliteitsgesprek om ervan te leren."},
    {THEME_MENTAAL, "Jongeren in {g} zitten beter in hun vel",
     "Jongeren in {g} met psychische klachten vinden eerder de weg naar laagdrempelige steun in "
     "de wijk en op school. Specialistische jeugd-GGZ is er voor wie die echt nodig heeft, "
     "zonder lange wachttijden. Samen met onderwijs en huisartsen zetten we in op preventie en "
     "vroegsignalering."},
    {THEME_WONEN, "Ouderen en mensen met een beperking wonen langer veilig thuis",
     "Inwoners van {g} die ouder worden of een beperking hebben, blijven zo lang mogelijk in hun "
     "eigen huis en buurt wonen. Hulp bij het huishouden, begeleiding en woningaanpassingen zijn "
     "goed op elkaar afgestemd. Inwoners voelen zich veilig en gezien in hun eigen omgeving."},
    {THEME_MANTELZORG, "Mantelzorgers in {g} houden het vol",
     "Mantelzorgers in {g} worden op tijd herkend en ervaren dat zij er niet alleen voor staan. "
     "Zij weten waar zij terechtkunnen voor informatie, advies en respijtzorg. Zo voorkomen we "
     "overbelasting en blijft informele zorg naast professionele hulp mogelijk."},
    {THEME_ONDERWIJS, "Alle kinderen gaan naar school en ontwikkelen zich naar hun mogelijkheden",
     "Kinderen en jongeren in {g} krijgen passend onderwijs, zo nodig met jeugdhulp in of rond "
     "de school. Onderwijs, samenwerkingsverband en gemeente werken vanuit één plan per kind en "
     "gezin. Het aantal thuiszitters daalt."},
    {THEME_VEILIGHEID, "Kinderen in {g} groeien op zonder huiselijk geweld",
     "Signalen van huiselijk geweld en kindermishandeling worden in {g} vroeg opgepakt, samen "
     "met Veilig Thuis en het toegangsteam. Gezinnen krijgen hulp die gericht is op blijvende "
     "veiligheid. Na afloop van de hulp volgt minder vaak een nieuwe melding."},
    {THEME_WERK, "Kwetsbare jongeren vinden hun weg naar werk of opleiding",
     "Kwetsbare jongeren in {g} stromen na hun achttiende goed door naar werk, opleiding of "
     "dagbesteding. Begeleiding loopt door over de grens van 18 jaar, zodat er geen breuk "
     "ontstaat tussen jeugdhulp en Wmo. We volgen hoeveel jongeren een startkwalificatie halen "
     "of aan het werk zijn."},
    {THEME_ZELFREDZAAMHEID, "Inwoners ervaren dat de ondersteuning werkt",
     "Inwoners van {g} die ondersteuning uit de Wmo krijgen, ervaren dat die bijdraagt aan hun "
     "kwaliteit van leven. Zij worden gehoord en beslissen mee over de ondersteuning. We meten "
     "dit jaarlijks met het cliëntervaringsonderzoek en in gesprekken met inwoners."},
    {THEME_OPGROEIEN, "Kinderen die niet thuis kunnen wonen, groeien zo thuis mogelijk op",
     "Als kinderen uit {g} tijdelijk of langdurig niet thuis kunnen wonen, groeien zij op in een "
     "gezinsvorm: bij familie, in een pleeggezin of in een gezinshuis. Verblijf in een "
     "instelling is kort en zo dicht mogelijk bij huis. Waar het kan, keren kinderen veilig "
     "terug naar huis."},
};
const size_t demo_gemeente_result_count = ARRAY_LEN(demo_gemeente_results);

const struct demo_result_text demo_region_results[] = {
    {THEME_OPGROEIEN, "Jeugdhulp in {g} is passend, dichtbij en betaalbaar",
     "De zeven gemeenten van jeugdregio {g} zorgen samen voor jeugdhulp die past bij wat "
     "kinderen en gezinnen nodig hebben, zo dicht mogelijk bij huis. Specialistische hulp kopen "
     "we regionaal in, zodat die beschikbaar blijft voor wie die nodig heeft. De uitgaven blijven "
     "binnen de afgesproken budgetten, zonder dat de kwaliteit van de hulp daaronder lijdt."},
    {THEME_ZELFREDZAAMHEID, "Jongeren in {g} worden zonder breuk volwassen",
     "Jongeren met jeugdhulp worden in {g} ruim voor hun achttiende voorbereid op "
     "zelfstandigheid. Wonen, inkomen, school of werk en eventuele ondersteuning vanuit de Wmo "
     "zijn op tijd geregeld. Geen jongere valt tussen wal en schip op het moment dat de "
     "jeugdhulp stopt."},
    {THEME_MENTAAL, "Kinderen en jongeren in {g} krijgen op tijd passende jeugd-GGZ",
     "De wachttijden voor specialistische jeugd-GGZ in {g} zijn teruggebracht tot een "
     "aanvaardbare termijn. Lichtere vragen worden in de wijk en op school opgepakt, zodat "
     "specialistische hulp beschikbaar blijft voor wie die nodig heeft. Aanbieders en gemeenten "
     "maken hierover regionale resultaatafspraken en bespreken de voortgang samen."},
};
const size_t demo_region_result_count = ARRAY_LEN(demo_region_results);
