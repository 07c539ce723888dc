/* cdg init: loading data/crime/ (the articles, treaties and principles
 * catalog, Council of Europe membership) and the 24/7 network of
 * data/evidence/budapest_247_network.csv into the database.  See app.h and
 * docs/cybercrime.md. */
#include "app/crime_int.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static const char *const kind_names[3] = {"offence", "procedural_power",
					  "cooperation"};

static void sha256_hex(const char *text, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)text, strlen(text));
	sodium_bin2hex(out, 65, h, sizeof h);
}

static const char *const basis_vals[] = {"verified", "unverified", NULL};
static const struct col_spec group_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"since", COL_DATE, false, NULL},
	{"until", COL_DATE, false, NULL},
	{"source_url", COL_URL, true, NULL},
	{"basis", COL_ENUM, true, basis_vals},
	{"note", COL_TEXT, false, NULL},
};
enum { G_ISO3, G_SINCE, G_UNTIL, G_SRC, G_BASIS, G_NOTE, G_NCOLS };

/* data/evidence/budapest_247_network.csv: whether each ETS 185 party is
 * known to have designated its Article 35 point of contact.  Only "yes"
 * rows are recorded; "not_found" (and "no") record nothing, so the 24/7
 * channel stays unknown for those States. */
#define NETWORK_FILE "evidence/budapest_247_network.csv"
static const char *const member_vals[] = {"yes", "no", "not_found", NULL};
static const struct col_spec network_spec[] = {
	{"iso3", COL_ISO3, true, NULL},
	{"state", COL_TEXT, true, NULL},
	{"member", COL_ENUM, true, member_vals},
	{"source_url", COL_URL, false, NULL},
	{"checked", COL_PAST_DATE, true, NULL},
	{"source_note", COL_TEXT, false, NULL},
};
enum { N_ISO3, N_STATE, N_MEMBER, N_SRC, N_CHECKED, N_NOTE, N_NCOLS };


/* Everything init writes from data/crime/, read and checked first. */
struct crime_input {
	struct arena a;
	char *path[3];              /* file paths, for errors */
	char *text[3];              /* file texts, stored verbatim */
	struct crime_catalog cat;
	json_t *treaties_json;      /* for the keys the engine does not keep */
	struct table groups;        /* coe_members.csv */
	const char *groups_path;
	struct table network;       /* budapest_247_network.csv */
	const char *network_path;
};

/* The ETS 185 parties already written (data/evidence/budapest.csv, loaded
 * earlier in the same transaction): iso3 (copied into a) -> 1. */
struct party_set {
	struct strmap map;
	struct arena *a;
};

static int ets185_party(void *ctx, const struct store_crime_party *r)
{
	struct party_set *p = ctx;
	if (strcmp(r->status, "party") == 0)
		strmap_put(&p->map, arena_strdup(p->a, r->iso3), (void *)1);
	return 0;
}

/* Reads the 24/7 network file and checks each row: a known State, a source
 * for every "yes", and only ETS 185 parties designate an Article 35 point
 * of contact.  The first fault names file, line and field. */
static int network_read(struct crime_input *in, struct store *st,
			const char *dir, const struct states *s,
			struct cdg_err *e)
{
	char *text = NULL;
	in->network_path = arena_printf(&in->a, "%s/%s", dir, NETWORK_FILE);
	int rc = cr_read_text(&in->a, in->network_path, &text, e);
	if (rc == 0)
		rc = table_read(in->network_path, text, strlen(text), network_spec,
				N_NCOLS, N_ISO3, TABLE_STRICT, &in->a, &in->network, e);
	struct party_set parties = {.a = &in->a};
	strmap_init(&parties.map);
	if (rc == 0)
		rc = store_crime_parties(st, "ETS185", ets185_party, &parties, e);
	for (size_t r = 0; rc == 0 && r < in->network.nrows; r++) {
		const char *iso = table_cell(&in->network, r, N_ISO3);
		bool yes = strcmp(table_cell(&in->network, r, N_MEMBER), "yes") == 0;
		long line = in->network.lines[r];
		if (cr_state_find(s, iso) < 0)
			rc = err_at(e, CDG_EINPUT, in->network_path, line, "iso3",
				    "\"%s\" is not in un_member_states.csv", iso);
		else if (yes && !*table_cell(&in->network, r, N_SRC))
			rc = err_at(e, CDG_EINPUT, in->network_path, line,
				    "source_url", "%s: a member of the 24/7 network "
				    "needs the source that shows it", iso);
		else if (yes && !strmap_get(&parties.map, iso))
			rc = err_at(e, CDG_EINPUT, in->network_path, line, "member",
				    "%s is not a party to ETS 185 in "
				    "evidence/budapest.csv; only Parties designate "
				    "an Article 35 point of contact", iso);
	}
	strmap_free(&parties.map);
	return rc;
}


static int crime_input_read(struct crime_input *in, struct store *st,
			    const char *dir, struct cdg_err *e)
{
	int rc = 0;
	for (int i = 0; rc == 0 && i < 3; i++) {
		in->path[i] = arena_printf(&in->a, "%s/crime/%s", dir, cr_cat_files[i]);
		rc = cr_read_text(&in->a, in->path[i], &in->text[i], e);
	}
	if (rc == 0)
		rc = crime_catalog_parse(&in->cat, (const char *const *)in->path,
					 (const char *const *)in->text, &in->a, e);
	if (rc == 0) {
		in->treaties_json = json_loads(in->text[1], 0, NULL);
		if (!in->treaties_json)
			rc = err_at(e, CDG_EINTERNAL, in->path[1], 0, NULL,
				    "read once, unreadable twice");
	}
	char *gtext = NULL;
	in->groups_path = arena_printf(&in->a, "%s/crime/%s", dir, GROUP_FILE);
	if (rc == 0)
		rc = cr_read_text(&in->a, in->groups_path, &gtext, e);
	if (rc == 0)
		rc = table_read(in->groups_path, gtext, strlen(gtext), group_spec,
				G_NCOLS, G_ISO3, TABLE_STRICT, &in->a, &in->groups, e);
	/* Names must be states the reference data knows; dates in order. */
	struct states s;
	if (rc == 0)
		rc = cr_states_load(st, &in->a, &s, e);
	else
		return rc;
	for (size_t r = 0; rc == 0 && r < in->groups.nrows; r++) {
		const char *iso = table_cell(&in->groups, r, G_ISO3);
		const char *since = table_cell(&in->groups, r, G_SINCE);
		const char *until = table_cell(&in->groups, r, G_UNTIL);
		long line = in->groups.lines[r];
		if (cr_state_find(&s, iso) < 0)
			rc = err_at(e, CDG_EINPUT, in->groups_path, line, "iso3",
				    "\"%s\" is not in un_member_states.csv", iso);
		else if (*since && *until && cr_day_of(until) < cr_day_of(since))
			rc = err_at(e, CDG_EINPUT, in->groups_path, line, "until",
				    "dates out of order: %s left (%s) before it "
				    "joined (%s)", iso, until, since);
	}
	if (rc == 0)
		rc = network_read(in, st, dir, &s, e);
	for (size_t t = 0; rc == 0 && t < in->cat.n_treaties; t++) {
		const struct crime_treaty *tr = &in->cat.treaties[t];
		for (size_t p = 0; rc == 0 && p < tr->n_parties; p++)
			if (cr_state_find(&s, tr->parties[p].iso3) < 0)
				rc = err_at(e, CDG_EINPUT, in->path[1], 0, "parties.iso3",
					    "%s: party \"%s\" is not in "
					    "un_member_states.csv", tr->id,
					    tr->parties[p].iso3);
	}
	strmap_free(&s.idx);
	return rc;
}

static const char *tjson(json_t *root, size_t t, const char *key)
{
	json_t *tr = json_array_get(json_object_get(root, "treaties"), t);
	return json_string_value(json_object_get(tr, key));
}

static void write_crime(struct store_batch *w, struct crime_input *in)
{
	for (int i = 0; i < 3 && !w->rc; i++) {
		char sha[65], name[64];
		sha256_hex(in->text[i], sha);
		snprintf(name, sizeof name, "crime/%s", cr_cat_files[i]);
		int r = store_catalog_file_put(w->st, name, sha, in->text[i], w->e);
		if (r < 0)
			w->rc = r;
		else
			w->written += r;
	}
	const struct crime_catalog *c = &in->cat;
	static const char *const acols[] = {"id", "number", "title", "kind",
		"summary", "class", "class_reason", "un_article", "un_title",
		"un_verified", "position"};
	for (size_t i = 0; i < c->n_articles; i++) {
		const struct crime_article *x = &c->articles[i];
		struct store_val v[] = {sv_text(x->id), sv_int(x->number),
			sv_text(x->title), sv_text(kind_names[x->kind]),
			sv_text(x->summary),
			x->cls == CRIME_CLASS_NONE ? sv_null()
						   : sv_text(crime_class_name(x->cls)),
			sv_text(x->class_reason), sv_text(x->un_number),
			sv_text(x->un_title), sv_int(x->un_verified),
			sv_int((long long)i)};
		store_batch_upsert(w, "crime_article", acols, v, 11, 1);
	}
	static const char *const tcols[] = {"treaty_id", "opened", "adopted",
		"eif_count", "eif_sub_group", "eif_sub_count", "eif_rule",
		"eif_lag", "eif_text", "entered_into_force", "source_url",
		"parties_source", "parties_note", "scope_note", "position"};
	static const char *const scols[] = {"treaty_id", "article_id"};
	static const char *const pcols[] = {"treaty_id", "iso3", "status",
		"signature_date", "ratification_date", "entry_into_force_date",
		"source_url", "source_note"};
	for (size_t t = 0; t < c->n_treaties && !w->rc; t++) {
		const struct crime_treaty *x = &c->treaties[t];
		const char *shortn = tjson(in->treaties_json, t, "short_name");
		int r = store_crime_treaty_base(w->st, x->id, x->name,
						shortn ? shortn : x->id,
						x->source_url, w->e);
		if (r < 0)
			w->rc = r;
		else
			w->written += r;
		struct store_val v[] = {sv_text(x->id), sv_text(x->opened),
			sv_text(tjson(in->treaties_json, t, "adopted")),
			sv_int(x->threshold.count), sv_text(x->sub_group),
			sv_int(x->threshold.sub_count),
			sv_text(x->threshold.rule == CRIME_EIF_DAYS
					? "days_after" : "month_after_months"),
			sv_int(x->threshold.lag), sv_text(x->condition),
			sv_text(x->entered_into_force), sv_text(x->source_url),
			sv_text(x->parties_source),
			sv_text(tjson(in->treaties_json, t, "parties_note")),
			sv_text(tjson(in->treaties_json, t, "scope_note")),
			sv_int((long long)t)};
		store_batch_upsert(w, "crime_treaty", tcols, v, 15, 1);
		for (size_t k = 0; k < x->n_scope; k++) {
			struct store_val sv[] = {sv_text(x->id), sv_text(x->scope[k])};
			store_batch_upsert(w, "crime_treaty_scope", scols, sv, 2, 2);
		}
		for (size_t p = 0; p < x->n_parties; p++) {
			const struct crime_party *y = &x->parties[p];
			bool sig_only = y->signed_on && !y->consent && !y->in_force;
			struct store_val pv[] = {sv_text(x->id), sv_text(y->iso3),
				sv_text(sig_only ? "signatory" : "party"),
				sv_text(y->signed_on), sv_text(y->consent),
				sv_text(y->in_force), sv_text(y->source_url),
				sv_text(y->consent ? "data/crime/treaties.json"
					: "data/crime/treaties.json; listed without "
					  "a consent date")};
			store_batch_upsert(w, "treaty_party", pcols, pv, 8, 2);
		}
	}
	static const char *const gcols[] = {"group_id", "iso3", "since", "until",
		"source_url", "basis", "note"};
	const struct table *g = &in->groups;
	for (size_t r = 0; r < g->nrows; r++) {
		struct store_val v[] = {sv_text(GROUP_ID),
			sv_text(table_cell(g, r, G_ISO3)),
			sv_text(table_cell(g, r, G_SINCE)),
			sv_text(table_cell(g, r, G_UNTIL)),
			sv_text(table_cell(g, r, G_SRC)),
			sv_text(table_cell(g, r, G_BASIS)),
			sv_text(table_cell(g, r, G_NOTE))};
		store_batch_upsert(w, "crime_group_member", gcols, v, 7, 2);
	}
	/* The 24/7 network: a designation read, its start not recorded (the
	 * queries count an undated point of contact from the date asked and
	 * say that its date is not verified). */
	static const char *const ncols[] = {"iso3", "since", "source_url", "note"};
	const struct table *n = &in->network;
	for (size_t r = 0; r < n->nrows; r++) {
		if (strcmp(table_cell(n, r, N_MEMBER), "yes") != 0)
			continue;
		const char *note = arena_printf(&in->a, "data/%s: %s",
						NETWORK_FILE,
						table_cell(n, r, N_NOTE));
		struct store_val v[] = {sv_text(table_cell(n, r, N_ISO3)),
			sv_null(), sv_text(table_cell(n, r, N_SRC)), sv_text(note)};
		store_batch_upsert(w, "crime_contact247", ncols, v, 4, 1);
	}
}

int app_crime_init_load(struct store *st, const char *data_dir,
			long long *written, struct cdg_err *e)
{
	struct crime_input in;
	memset(&in, 0, sizeof in);
	arena_init(&in.a);
	if (sodium_init() < 0)
		return err_set(e, CDG_EINTERNAL, "libsodium failed to initialise");
	int rc = crime_input_read(&in, st, data_dir, e);
	if (rc == 0) {
		struct store_batch w = {st, e, 0, 0};
		write_crime(&w, &in);
		rc = w.rc;
		if (rc == 0 && written)
			*written += w.written;
	}
	json_decref(in.treaties_json);
	arena_free(&in.a);
	return rc;
}
