/* index: building and checking the model, data matrices, method defaults. */
#include "index/index_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void idx_model_init(struct idx_model *m)
{
	memset(m, 0, sizeof *m);
	arena_init(&m->arena);
	m->root = -1;
}

void idx_model_free(struct idx_model *m)
{
	free(m->nodes);
	free(m->units);
	free(m->parent_id);
	arena_free(&m->arena);
	memset(m, 0, sizeof *m);
	m->root = -1;
}

static const char *dup_or_null(struct arena *a, const char *s)
{
	return s && s[0] ? arena_strdup(a, s) : NULL;
}

int idx_model_add_node(struct idx_model *m, const char *id, const char *parent,
		       int level, double weight, int direction, double target,
		       const char *denom)
{
	if (m->n_nodes == m->cap_nodes) {
		m->cap_nodes = m->cap_nodes ? 2 * m->cap_nodes : 64;
		m->nodes = xrealloc(m->nodes, m->cap_nodes * sizeof *m->nodes);
		m->parent_id = xrealloc(m->parent_id,
					m->cap_nodes * sizeof *m->parent_id);
	}
	struct idx_node *n = &m->nodes[m->n_nodes];
	n->id = arena_strdup(&m->arena, id ? id : "");
	n->parent = -1;
	n->level = level;
	n->weight = weight;
	n->direction = direction;
	n->target = target;
	n->gp_lo = NAN;
	n->gp_hi = NAN;
	n->denom = dup_or_null(&m->arena, denom);
	m->parent_id[m->n_nodes] = dup_or_null(&m->arena, parent);
	m->finished = false;
	return (int)m->n_nodes++;
}

void idx_model_set_goalposts(struct idx_model *m, int i, double lo, double hi)
{
	m->nodes[i].gp_lo = lo;
	m->nodes[i].gp_hi = hi;
}

int idx_model_add_unit(struct idx_model *m, const char *id, const char *group)
{
	if (m->n_units == m->cap_units) {
		m->cap_units = m->cap_units ? 2 * m->cap_units : 64;
		m->units = xrealloc(m->units, m->cap_units * sizeof *m->units);
	}
	struct idx_unit *u = &m->units[m->n_units];
	u->id = arena_strdup(&m->arena, id ? id : "");
	u->group = dup_or_null(&m->arena, group);
	m->finished = false;
	return (int)m->n_units++;
}

int idx_model_find(const struct idx_model *m, const char *id)
{
	for (size_t i = 0; i < m->n_nodes; i++)
		if (strcmp(m->nodes[i].id, id) == 0)
			return (int)i;
	return -1;
}

int idx_model_find_unit(const struct idx_model *m, const char *id)
{
	for (size_t i = 0; i < m->n_units; i++)
		if (strcmp(m->units[i].id, id) == 0)
			return (int)i;
	return -1;
}

/* Checks one node on its own (before parents are known). */
static int check_node(const struct idx_model *m, size_t i, struct cdg_err *e)
{
	const struct idx_node *n = &m->nodes[i];
	if (!n->id[0])
		return err_set(e, CDG_EINPUT, "node %zu has an empty id", i);
	if (idx_model_find(m, n->id) != (int)i)
		return err_set(e, CDG_EINPUT, "node %s: duplicate id", n->id);
	if (n->level < 1 || n->level >= IDX_MAX_LEVELS)
		return err_set(e, CDG_EINPUT,
			       "node %s: level %d outside 1..%d", n->id,
			       n->level, IDX_MAX_LEVELS - 1);
	if (!isfinite(n->weight) || n->weight < 0)
		return err_set(e, CDG_EINPUT,
			       "node %s: weight must be finite and >= 0",
			       n->id);
	if (n->direction != 1 && n->direction != -1)
		return err_set(e, CDG_EINPUT,
			       "node %s: direction must be +1 or -1", n->id);
	return 0;
}

/* Resolves parent ids and checks the shape of the tree. */
static int link_parents(struct idx_model *m, struct cdg_err *e)
{
	m->n_levels = 0;
	for (size_t i = 0; i < m->n_nodes; i++)
		if (m->nodes[i].level > m->n_levels)
			m->n_levels = m->nodes[i].level;
	for (size_t i = 0; i < m->n_nodes; i++) {
		struct idx_node *n = &m->nodes[i];
		const char *pid = m->parent_id[i];
		n->parent = -1;
		if (!pid) {
			if (n->level != m->n_levels)
				return err_set(e, CDG_EINPUT,
					       "node %s: no parent below the "
					       "top level %d", n->id,
					       m->n_levels);
			continue;
		}
		int p = idx_model_find(m, pid);
		if (p < 0)
			return err_set(e, CDG_EINPUT,
				       "node %s: parent %s not found", n->id,
				       pid);
		if (m->nodes[p].level != n->level + 1)
			return err_set(e, CDG_EINPUT,
				       "node %s: parent %s is at level %d, "
				       "not %d", n->id, pid, m->nodes[p].level,
				       n->level + 1);
		n->parent = p;
	}
	return 0;
}

/* Builds the child lists, indicator columns and aggregation order. */
static int derive_indexes(struct idx_model *m, struct cdg_err *e)
{
	size_t nn = m->n_nodes;
	struct arena *a = &m->arena;
	m->child_start = arena_alloc(a, (nn + 1) * sizeof(int));
	m->child = arena_alloc(a, ix_n1(nn) * sizeof(int));
	m->node_col = arena_alloc(a, ix_n1(nn) * sizeof(int));
	m->ind_node = arena_alloc(a, ix_n1(nn) * sizeof(int));
	m->order = arena_alloc(a, ix_n1(nn) * sizeof(int));
	for (size_t i = 0; i < nn; i++)
		if (m->nodes[i].parent >= 0)
			m->child_start[m->nodes[i].parent + 1]++;
	for (size_t i = 0; i < nn; i++)
		m->child_start[i + 1] += m->child_start[i];
	int *fill = xcalloc(nn + 1, sizeof(int));
	for (size_t i = 0; i < nn; i++) {
		int p = m->nodes[i].parent;
		if (p >= 0)
			m->child[m->child_start[p] + fill[p]++] = (int)i;
	}
	free(fill);
	m->n_ind = 0;
	m->n_order = 0;
	for (size_t i = 0; i < nn; i++) {
		const struct idx_node *n = &m->nodes[i];
		bool leaf = m->child_start[i] == m->child_start[i + 1];
		if (n->level == 1) {
			if (!leaf)
				return err_set(e, CDG_EINPUT,
					       "node %s: an indicator cannot "
					       "have children", n->id);
			m->node_col[i] = (int)m->n_ind;
			m->ind_node[m->n_ind++] = (int)i;
		} else {
			if (leaf)
				return err_set(e, CDG_EINPUT,
					       "node %s: aggregate without "
					       "children", n->id);
			m->node_col[i] = -1;
		}
	}
	for (int lev = 2; lev <= m->n_levels; lev++)
		for (size_t i = 0; i < nn; i++)
			if (m->nodes[i].level == lev)
				m->order[m->n_order++] = (int)i;
	m->root = -1;
	for (size_t i = 0; i < nn; i++) {
		if (m->nodes[i].parent >= 0)
			continue;
		m->root = m->root == -1 ? (int)i : -2;
	}
	if (m->root == -2)
		m->root = -1;
	return 0;
}

/* Numbers the distinct group labels of the units. */
static int derive_groups(struct idx_model *m, struct cdg_err *e)
{
	m->unit_group = arena_alloc(&m->arena,
				    ix_n1(m->n_units) * sizeof(int));
	m->n_groups = 0;
	for (size_t u = 0; u < m->n_units; u++) {
		if (idx_model_find_unit(m, m->units[u].id) != (int)u)
			return err_set(e, CDG_EINPUT, "unit %s: duplicate id",
				       m->units[u].id);
		const char *g = m->units[u].group;
		m->unit_group[u] = -1;
		if (!g)
			continue;
		for (size_t v = 0; v < u; v++) {
			const char *h = m->units[v].group;
			if (h && strcmp(g, h) == 0) {
				m->unit_group[u] = m->unit_group[v];
				break;
			}
		}
		if (m->unit_group[u] < 0)
			m->unit_group[u] = (int)m->n_groups++;
	}
	return 0;
}

int idx_model_finish(struct idx_model *m, struct cdg_err *e)
{
	m->finished = false;
	if (m->n_nodes == 0)
		return err_set(e, CDG_EINPUT, "model has no nodes");
	int rc;
	for (size_t i = 0; i < m->n_nodes; i++)
		if ((rc = check_node(m, i, e)) < 0)
			return rc;
	if ((rc = link_parents(m, e)) < 0 || (rc = derive_indexes(m, e)) < 0 ||
	    (rc = derive_groups(m, e)) < 0)
		return rc;
	if (m->n_ind == 0)
		return err_set(e, CDG_EINPUT, "model has no indicators");
	m->finished = true;
	return 0;
}

int idx_model_from_imeta(struct idx_model *m, const struct idx_imeta_row *rows,
			 size_t n, struct cdg_err *e)
{
	for (size_t i = 0; i < n; i++) {
		const struct idx_imeta_row *r = &rows[i];
		if (r->level == 0)
			continue;
		if (!r->icode || !r->icode[0])
			return err_set(e, CDG_EINPUT, "iMeta row %zu: empty iCode",
				       i + 1);
		int dir = r->direction;
		if (dir == 0 && r->level > 1)
			dir = 1;
		idx_model_add_node(m, r->icode, r->parent, r->level, r->weight,
				   dir, r->level == 1 ? r->target : NAN,
				   r->level == 1 ? r->denom : NULL);
	}
	return 0;
}

void idx_data_init(struct idx_data *d, size_t n_rows, size_t n_cols)
{
	d->n_rows = n_rows;
	d->n_cols = n_cols;
	size_t n = n_rows * n_cols;
	d->x = xmalloc(ix_n1(n) * sizeof *d->x);
	for (size_t i = 0; i < n; i++)
		d->x[i] = NAN;
	d->unit = xmalloc(ix_n1(n_rows) * sizeof *d->unit);
	for (size_t r = 0; r < n_rows; r++)
		d->unit[r] = r;
}

void idx_data_free(struct idx_data *d)
{
	free(d->x);
	free(d->unit);
	memset(d, 0, sizeof *d);
}

void idx_data_copy(struct idx_data *dst, const struct idx_data *src)
{
	idx_data_init(dst, src->n_rows, src->n_cols);
	memcpy(dst->x, src->x, src->n_rows * src->n_cols * sizeof *src->x);
	memcpy(dst->unit, src->unit, src->n_rows * sizeof *src->unit);
}

void idx_method_default(struct idx_method *mt)
{
	memset(mt, 0, sizeof *mt);
	mt->impute = IDX_IMPUTE_NONE;
	mt->screen.kind = IDX_SCREEN_NONE;
	mt->screen.dat_thresh = 2.0 / 3.0;
	mt->screen.nonzero_thresh = 0.05;
	mt->treat.on = true;
	mt->treat.winmax = 5;
	mt->treat.skew_thresh = 2;
	mt->treat.kurt_thresh = 3.5;
	mt->norm.kind = IDX_NORM_MINMAX;
	mt->norm.p1 = 0;
	mt->norm.p2 = 100;
	for (int l = 0; l < IDX_MAX_LEVELS; l++)
		mt->agg.lev[l].kind = IDX_AGG_AMEAN;
}
