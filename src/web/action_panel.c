/*
 * action_panel.c: the "Open acties" panel on the dashboard (see action_panel.h). Counts come
 * from domain/action.h, so only actions the user may view are counted.
 */
#include "web/action_panel.h"
#include "core/common.h"
#include "domain/action.h"

void action_panel(struct html *h, struct http_req *req)
{
    struct action_counts c;
    if (action_count(req->arena, req->app->store, &req->actor, NULL, &c) != 0)
        return;
    if (c.open + c.bezig + c.klaar + c.vervallen == 0)
        return;
    html_raw(h, "<section class=\"duiding-action-panel\" aria-labelledby=\"acties-kop\"><h2 "
                "class=\"utrecht-heading-2\" id=\"acties-kop\">");
    html_text(h, _("Open acties"));
    html_raw(h, "</h2><ul class=\"utrecht-unordered-list\"><li>");
    html_textf(h, ngettext("%d actie is open", "%d acties zijn open", (unsigned long)c.open),
               c.open);
    html_raw(h, "</li><li>");
    html_textf(h, ngettext("%d actie is bezig", "%d acties zijn bezig", (unsigned long)c.bezig),
               c.bezig);
    html_raw(h, "</li><li>");
    if (c.overdue) {
        html_raw(h, "<a class=\"utrecht-link\" href=\"/acties?status=lopend&amp;te_laat=1\">"
                    "<strong>");
        html_textf(
            h, ngettext("%d actie is te laat", "%d acties zijn te laat", (unsigned long)c.overdue),
            c.overdue);
        html_raw(h, "</strong></a>");
    } else {
        html_text(h, _("Geen acties te laat"));
    }
    html_raw(h, "</li></ul><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" "
                "href=\"/acties?status=lopend\">");
    html_text(h, _("Alle lopende acties"));
    html_raw(h, "</a></p></section>");
}
