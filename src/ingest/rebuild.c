/*
 * rebuild.c: one group's trajectories, rebuilt from its facts (see rebuild.h). Derived data is
 * always replaced as a whole, so a correction, a deletion and an undo are the same operation.
 */
#include "ingest/rebuild.h"
#include "core/common.h"

static int rebuild_store(struct db *db, const struct intake_group *g, const struct trajectory *t,
                         size_t n, struct rebuild_result *res)
{
    int ret = 0;
    for (size_t i = 0; i < n && !ret; i++) {
        ret = intake_traj_insert(db, g, &t[i],
                                 trajectory_age_band((enum law)g->law, t[i].age_at_start), NULL);
        if (!ret && (t[i].flags & REBUILD_FLAGGED))
            res->flagged = true;
    }
    if (!ret)
        res->trajectories += n;
    return ret;
}

int rebuild_group(struct db *db, const struct intake_group *g, struct arena *a,
                  struct intake_facts *facts, struct rebuild_result *res)
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
    if ((ret = intake_traj_delete_group(db, g)))
        return ret;
    return rebuild_store(db, g, t, n, res);
}
