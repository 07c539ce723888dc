/* Writing the map of agreements back out (issue 16): the agreements JSON
 * file and the company commitments CSV, in the layout agr_json_parse()
 * and agr_companies_csv_parse() read, so that an export imports to the
 * same records. */
#include "formats/formats.h"

static void write_participant(struct jw *w, const struct agr_participant *p)
{
	jw_obj(w);
	jw_kstr(w, "name", p->name);
	jw_kstr_opt(w, "iso3", p->iso3);
	jw_kstr(w, "kind", p->kind);
	jw_kstr(w, "role", p->role);
	jw_kstr_opt(w, "date", p->date);
	jw_kstr(w, "source_url", p->source);
	jw_kstr_opt(w, "status", p->status);
	jw_kstr_opt(w, "checked", p->checked);
	jw_kstr_opt(w, "note", p->note);
	jw_obj_end(w);
}

static void write_agreement(struct jw *w, const struct agr_agreement *g)
{
	jw_obj(w);
	jw_kstr(w, "id", g->id);
	jw_kstr(w, "name", g->name);
	jw_kstr(w, "short_name", g->short_name);
	jw_kint(w, "year", g->year);
	jw_kstr_opt(w, "date", g->date);
	jw_kstr(w, "type", g->type);
	jw_kstrs(w, "stakeholder_groups", g->groups, g->n_groups);
	jw_kstrs(w, "objectives", g->objectives, g->n_objectives);
	jw_kstr(w, "compliance", g->compliance);
	jw_kstr_opt(w, "compliance_note", g->compliance_note);
	jw_kstr_opt(w, "treaty", g->treaty);
	if (g->n_participants) {
		jw_key(w, "participants");
		jw_arr(w);
		for (size_t i = 0; i < g->n_participants; i++)
			write_participant(w, &g->participants[i]);
		jw_arr_end(w);
	}
	jw_kstr_opt(w, "participants_note", g->participants_note);
	jw_key(w, "commitments");
	jw_arr(w);
	for (size_t i = 0; i < g->n_commitments; i++) {
		const struct agr_commitment *c = &g->commitments[i];
		jw_obj(w);
		jw_kstr(w, "commitment", c->id);
		jw_kstr(w, "text", c->text);
		jw_kstr_opt(w, "where", c->where);
		jw_kstr(w, "force", c->force);
		jw_kstrs(w, "maps", c->maps, c->n_maps);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_kstr(w, "source_url", g->source);
	jw_kstr_opt(w, "source_note", g->source_note);
	jw_obj_end(w);
}

void agr_json_write(const struct agr_set *s, struct jw *w)
{
	jw_obj(w);
	jw_kstr(w, "format", AGR_JSON_FORMAT);
	jw_key(w, "industry_norms");
	jw_arr(w);
	for (size_t i = 0; i < s->n_norms; i++) {
		const struct agr_industry_norm *n = &s->norms[i];
		jw_obj(w);
		jw_kstr(w, "id", n->id);
		jw_kstr(w, "title", n->title);
		jw_kstr(w, "paraphrase", n->paraphrase);
		jw_kstr(w, "source_url", n->source);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_key(w, "agreements");
	jw_arr(w);
	for (size_t i = 0; i < s->n_agreements; i++)
		write_agreement(w, &s->agreements[i]);
	jw_arr_end(w);
	jw_obj_end(w);
}

void agr_companies_csv_write(const struct agr_set *s, struct buf *out)
{
	buf_adds(out, "id,company,norm,commitment,date,evidence_url,note,synthetic\r\n");
	for (size_t i = 0; i < s->n_companies; i++) {
		const struct agr_company *m = &s->companies[i];
		csv_put(out, m->id, true);
		csv_put(out, m->company, false);
		csv_put(out, m->norm, false);
		csv_put(out, m->text, false);
		csv_put(out, m->date, false);
		csv_put(out, m->evidence, false);
		csv_put(out, m->note ? m->note : "", false);
		csv_put(out, m->synthetic ? "1" : "0", false);
		csv_endrow(out);
	}
}
