/* The catalog as JSON (CLI --json and the HTTP API): see framework.h. */
#include "framework/framework.h"

#include <string.h>

static void str_list(struct jw *w, const char *key, const char **v, size_t n)
{
	jw_key(w, key);
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		jw_str(w, v[i]);
	jw_arr_end(w);
}

static void norms(const struct fw_catalog *c, struct jw *w)
{
	jw_arr(w);
	for (size_t i = 0; i < c->n_norms; i++) {
		const struct fw_norm *n = &c->norms[i];
		jw_obj(w);
		jw_kstr(w, "id", n->id);
		jw_kstr(w, "paragraph", n->paragraph);
		jw_kstr(w, "short_name", n->short_name);
		jw_kstr(w, "title", n->title);
		jw_kstr(w, "category", n->category);
		jw_kstr(w, "subcategory", n->subcategory);
		jw_kstr(w, "paraphrase", n->paraphrase);
		jw_kstr(w, "source_url", n->source_url);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void goals(const struct fw_catalog *c, struct jw *w)
{
	jw_arr(w);
	for (size_t i = 0; i < c->n_goals; i++) {
		const struct fw_goal *g = &c->goals[i];
		jw_obj(w);
		jw_kstr(w, "id", g->id);
		jw_kstr(w, "title", g->title);
		jw_kstr(w, "description", g->description);
		jw_kstr(w, "origin", g->origin);
		jw_kstr(w, "rationale", g->rationale);
		str_list(w, "norms", g->norms, g->n_norms);
		jw_key(w, "targets");
		jw_arr(w);
		for (size_t j = 0; j < g->n_targets; j++) {
			const struct fw_target *t = &c->targets[g->first_target + j];
			jw_obj(w);
			jw_kstr(w, "id", t->id);
			jw_kstr(w, "title", t->title);
			jw_kstr(w, "description", t->description);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void indicators(const struct fw_catalog *c, struct jw *w)
{
	jw_arr(w);
	for (size_t i = 0; i < c->n_indicators; i++) {
		const struct fw_indicator *d = &c->indicators[i];
		jw_obj(w);
		jw_kstr(w, "id", d->id);
		jw_kstr(w, "goal", d->goal);
		jw_kstr(w, "target", d->target);
		jw_kstr(w, "name", d->name);
		jw_kstr(w, "description", d->description);
		jw_kstr(w, "unit", d->unit);
		jw_kstr(w, "direction", d->direction > 0 ? "higher_is_better"
							 : "lower_is_better");
		jw_knum(w, "min", d->min);
		jw_knum(w, "max", d->max);
		jw_key(w, "goalposts");
		jw_obj(w);
		jw_knum(w, "lower", d->lower);
		jw_knum(w, "upper", d->upper);
		jw_obj_end(w);
		jw_knum(w, "target_value", d->target_value);
		jw_kstr(w, "measure", fw_measure_name(d->measure));
		jw_kstr(w, "rule", d->rule);
		str_list(w, "questions", d->questions, d->n_questions);
		jw_kstr(w, "evidence", d->evidence);
		jw_kstr(w, "source", d->source);
		if (d->pe_measurable) {
			jw_key(w, "public_evidence");
			jw_obj(w);
			jw_kstr(w, "measurable", d->pe_measurable);
			jw_kstr(w, "how", d->pe_how);
			jw_obj_end(w);
		}
		if (d->self_report)
			jw_kstr(w, "self_report", d->self_report);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void survey(const struct fw_catalog *c, struct jw *w)
{
	jw_obj(w);
	jw_key(w, "scales");
	jw_arr(w);
	for (size_t i = 0; i < c->n_scales; i++) {
		const struct fw_scale *s = &c->scales[i];
		jw_obj(w);
		jw_kstr(w, "id", s->id);
		jw_key(w, "options");
		jw_arr(w);
		for (size_t j = 0; j < s->n_options; j++) {
			const struct fw_option *o = &s->options[j];
			jw_obj(w);
			jw_kstr(w, "value", o->value);
			jw_kstr(w, "label", o->label);
			jw_key(w, "score");
			if (o->scored)
				jw_num(w, o->score);
			else
				jw_null(w);
			jw_obj_end(w);
		}
		jw_arr_end(w);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "questions");
	jw_arr(w);
	for (size_t i = 0; i < c->n_questions; i++) {
		const struct fw_question *q = &c->questions[i];
		jw_obj(w);
		jw_kstr(w, "id", q->id);
		jw_kstr(w, "norm", q->norm);
		jw_kstr(w, "goal", q->goal);
		jw_kstr(w, "section", q->section);
		jw_kstr(w, "text", q->text);
		jw_kstr(w, "help", q->help);
		jw_kstr(w, "scale", q->scale);
		jw_kstr(w, "evidence", q->evidence);
		jw_kbool(w, "free_text", q->free_text);
		jw_kbool(w, "capacity_needs", q->capacity_needs);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

int fw_write_json(const struct fw_catalog *c, const char *part, struct jw *w,
		  struct cdg_err *e)
{
	if (strcmp(part, "norms") == 0)
		norms(c, w);
	else if (strcmp(part, "goals") == 0)
		goals(c, w);
	else if (strcmp(part, "indicators") == 0)
		indicators(c, w);
	else if (strcmp(part, "survey") == 0)
		survey(c, w);
	else if (strcmp(part, "all") == 0) {
		jw_obj(w);
		jw_kstr(w, "catalog_version", c->version);
		jw_key(w, "norms");
		norms(c, w);
		jw_key(w, "goals");
		goals(c, w);
		jw_key(w, "indicators");
		indicators(c, w);
		jw_key(w, "survey");
		survey(c, w);
		jw_obj_end(w);
	} else {
		return err_set(e, CDG_EUSAGE,
			       "unknown part \"%s\" (norms, goals, indicators, survey)",
			       part);
	}
	return 0;
}
