/*
 * rebuild.c: one group's trajectories, rebuilt from its facts (see rebuild.h). Derived data is
 * always replaced as a whole, so a correction, a deletion and an undo are the same operation.
 */
#include "ingest/rebuild.h"
#include "core/common.h"

static int rebuild_store(struct intake_writer *w, const struct intake_group *g,
                         const struct trajectory *t, size_t n, struct rebuild_result *res)
{
    int ret = 0;
    for (size_t i = 0; i < n && !ret; i++) {
        ret = intake_traj_write(w, g, &t[i],
                                trajectory_age_band((enum law)g->law, t[i].age_at_start));
        if (!ret && (t[i].flags & REBUILD_FLAGGED))
            res->flagged = true;
    }
    if (!ret)
        res->trajectories += n;
    return ret;
}

int rebuild_group(struct db *db, struct intake_writer *w, const struct intake_group *g, bool fresh,
                  struct arena *a, struct intake_facts *facts, struct rebuild_result *res)
{
    struct trajectory *t = NULL;
    size_t n = 0;
    memset(res, 0, sizeof *res);
    int ret = intake_fact_select_group(db, g, facts);
    if (ret)
        return ret;
    if (facts->n > 0) {
        ret = trajectory_build((enum law)g->law, facts->v, facts->n, facts->test_person, a, &t, &n);
        if (ret)
            return ret;
    }
    if (!fresh) {
        int64_t deleted = 0;
        if ((ret = intake_traj_delete_group(db, g, &deleted)))
            return ret;
        res->replaced = (size_t)deleted;
    }
    return rebuild_store(w, g, t, n, res);
}

int rebuild_facts(struct intake_writer *w, const struct intake_group *g,
                  const struct traj_fact *facts, size_t n, bool test_person, struct arena *a,
                  struct rebuild_result *res)
{
    struct trajectory *t = NULL;
    size_t nt = 0;
    memset(res, 0, sizeof *res);
    /* The same function as for any group, on the facts in hand: the result cannot differ. */
    int ret = n ? trajectory_build((enum law)g->law, facts, n, test_person, a, &t, &nt) : 0;
    if (ret)
        return ret;
    return rebuild_store(w, g, t, nt, res);
}
