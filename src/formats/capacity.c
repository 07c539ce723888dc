/* Capacity-building initiatives as CSV or cdg's capacity JSON: see
 * formats.h and docs/capacity.md. */
#include "formats/formats.h"

#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Active ISO 4217 codes (Debian iso-codes 4.15, iso_4217.json). */
static const char iso4217[] =
	"AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND "
	"BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU "
	"CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
	"GIP GMD GNF GTQ GYD HKD HNL HRK HTG HUF IDR ILS INR IQD IRR ISK JMD JOD "
	"JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL "
	"MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR "
	"NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG "
	"SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY "
	"TTD TWD TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG "
	"XAU XBA XBB XBC XBD XCD XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW "
	"ZWL";

bool fmt_currency_ok(const char *s)
{
	if (strlen(s) != 3)
		return false;
	/* Codes are 3 letters and a space apart; the last has no space. */
	for (size_t i = 0; i + 3 <= sizeof iso4217 - 1; i += 4)
		if (strncmp(iso4217 + i, s, 3) == 0)
			return true;
	return false;
}

bool fmt_id_ok(const char *s)
{
	if (!*s || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

static const char *const statuses[] = {"planned", "ongoing", "completed",
				       "cancelled", NULL};

/* The fields of one record before checks: scalars as text, lists as
 * arrays of text. */
enum { F_ID, F_TITLE, F_START, F_END, F_BUDGET, F_CURRENCY, F_STATUS,
       F_SOURCE, F_SYNTH, F_NOTE, NF };
enum { L_DONORS, L_IMPL, L_BENEF, L_GOALS, L_NORMS, NL };
static const char *const fnames[NF] = {"id", "title", "start_date", "end_date",
	"budget", "currency", "status", "source_url", "synthetic", "note"};
static const char *const lnames[NL] = {"donors", "implementers",
	"beneficiaries", "goals", "norms"};

struct raw {
	const char *f[NF];         /* "" when absent */
	const char **l[NL];
	size_t nl[NL];
	long line;
};

struct px {
	struct cap_set *s;
	const struct cap_known *k;
	const char *file;
	struct err_list *errs;
	long line;
	struct strmap ids;         /* id -> line (as pointer), duplicates */
};

static void fault(struct px *x, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void fault(struct px *x, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	errs_vaddf(x->errs, x->file, x->line, field, fmt, ap);
	va_end(ap);
}

static bool known(const struct strmap *m, const char *s)
{
	return m && strmap_get(m, s) != NULL;
}

static bool is_date_text(const char *s)
{
	return date_valid(s);
}

/* Checks one record and appends it to the set. */
static void check(struct px *x, const struct raw *r)
{
	struct arena *a = &x->s->arena;
	x->line = r->line;
	struct cap_initiative in;
	memset(&in, 0, sizeof in);
	in.line = r->line;
	in.budget = NAN;
	const char *id = r->f[F_ID];
	if (!*id)
		fault(x, "id", "is required");
	else if (!fmt_id_ok(id))
		fault(x, "id", "\"%s\" is not an id (letters, digits, - _ . up to 64)", id);
	else if (strmap_get(&x->ids, id))
		fault(x, "id", "duplicate id \"%s\" (first on line %ld)", id,
		      (long)(intptr_t)strmap_get(&x->ids, id));
	else
		strmap_put(&x->ids, arena_strdup(a, id), (void *)(intptr_t)(r->line ? r->line : 1));
	in.id = arena_strdup(a, id);
	if (!*r->f[F_TITLE])
		fault(x, "title", "is required");
	in.title = arena_strdup(a, r->f[F_TITLE]);
	if (!r->nl[L_DONORS])
		fault(x, "donors", "name at least one donor");
	in.donors = r->l[L_DONORS];
	in.n_donors = r->nl[L_DONORS];
	in.implementers = r->l[L_IMPL];
	in.n_implementers = r->nl[L_IMPL];
	/* Beneficiaries: state codes, "GLOBAL", or "region:LABEL". */
	size_t nb = r->nl[L_BENEF];
	if (!nb)
		fault(x, "beneficiaries", "name at least one state, region:NAME or GLOBAL");
	in.states = arena_alloc(a, (nb + 1) * sizeof(char *));
	in.regions = arena_alloc(a, (nb + 1) * sizeof(char *));
	for (size_t i = 0; i < nb; i++) {
		const char *b = r->l[L_BENEF][i];
		if (strcmp(b, "GLOBAL") == 0)
			in.global = true;
		else if (strncmp(b, "region:", 7) == 0 && b[7])
			in.regions[in.n_regions++] = b + 7;
		else if (!known(x->k->states, b) && x->k->names &&
			 reg_names_entity(x->k->names, b))
			fault(x, "beneficiaries", "%s", reg_names_why(x->k->names, b, a));
		else if (!known(x->k->states, b))
			fault(x, "beneficiaries", "unknown country \"%s\" (ISO 3166 "
			      "alpha-3, region:NAME or GLOBAL)", b);
		else
			in.states[in.n_states++] = b;
	}
	in.goals = r->l[L_GOALS];
	in.n_goals = r->nl[L_GOALS];
	in.norms = r->l[L_NORMS];
	in.n_norms = r->nl[L_NORMS];
	for (size_t i = 0; i < in.n_goals; i++)
		if (!known(x->k->goals, in.goals[i]))
			fault(x, "goals", "unknown goal \"%s\"", in.goals[i]);
	for (size_t i = 0; i < in.n_norms; i++)
		if (!known(x->k->norms, in.norms[i]))
			fault(x, "norms", "unknown norm \"%s\" (GGE 2015 letters a-k)",
			      in.norms[i]);
	if (!in.n_goals && !in.n_norms)
		fault(x, "goals", "name at least one goal or norm");
	const char *st = r->f[F_START], *en = r->f[F_END];
	if (*st && !is_date_text(st))
		fault(x, "start_date", "\"%s\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", st);
	if (*en && !is_date_text(en))
		fault(x, "end_date", "\"%s\" is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", en);
	if (*st && *en && is_date_text(st) && is_date_text(en) &&
	    cap_day_last(en) < cap_day_first(st))
		fault(x, "end_date", "%s is before the start date %s", en, st);
	in.start = *st ? arena_strdup(a, st) : NULL;
	in.end = *en ? arena_strdup(a, en) : NULL;
	const char *bu = r->f[F_BUDGET], *cu = r->f[F_CURRENCY];
	if (*bu) {
		double d;
		if (parse_double(bu, &d) != 0)
			fault(x, "budget", csv_decimal_comma(bu)
			      ? "\"%s\" has a decimal comma: " CSV_DECIMAL_HINT
			      : "\"%s\" is not a number", bu);
		else if (d < 0)
			fault(x, "budget", "%s is negative", bu);
		else
			in.budget = d;
		if (!*cu)
			fault(x, "currency", "a budget needs its currency (ISO 4217)");
	}
	if (*cu && !fmt_currency_ok(cu))
		fault(x, "currency", "\"%s\" is not an ISO 4217 currency code", cu);
	if (*cu && !*bu)
		fault(x, "budget", "a currency without a budget");
	in.currency = *cu ? arena_strdup(a, cu) : NULL;
	const char *stt = r->f[F_STATUS];
	bool ok = false;
	for (size_t i = 0; statuses[i] && !ok; i++)
		ok = strcmp(statuses[i], stt) == 0;
	if (!ok)
		fault(x, "status", "\"%s\" is not one of planned, ongoing, completed, "
		      "cancelled", stt);
	in.status = arena_strdup(a, stt);
	const char *src = r->f[F_SOURCE];
	if (strncmp(src, "https://", 8) != 0 && strncmp(src, "http://", 7) != 0)
		fault(x, "source_url", "%s", *src ? "is not an http(s) URL" : "is required");
	in.source = arena_strdup(a, src);
	const char *sy = r->f[F_SYNTH];
	if (strcmp(sy, "1") == 0 || strcmp(sy, "true") == 0)
		in.synthetic = true;
	else if (*sy && strcmp(sy, "0") != 0 && strcmp(sy, "false") != 0)
		fault(x, "synthetic", "\"%s\" is not 0, 1, true or false", sy);
	in.note = *r->f[F_NOTE] ? arena_strdup(a, r->f[F_NOTE]) : NULL;
	if (x->s->n == x->s->cap) {
		x->s->cap = x->s->cap ? x->s->cap * 2 : 16;
		x->s->v = xrealloc(x->s->v, x->s->cap * sizeof *x->s->v);
	}
	x->s->v[x->s->n++] = in;
}

void cap_set_init(struct cap_set *s)
{
	memset(s, 0, sizeof *s);
	arena_init(&s->arena);
}

void cap_set_free(struct cap_set *s)
{
	free(s->v);
	arena_free(&s->arena);
	memset(s, 0, sizeof *s);
}

/* ---- CSV -------------------------------------------------------------------- */

/* Splits a cell at ';', trimming spaces; empty parts dropped. */
static const char **split(struct arena *a, const char *cell, size_t *n)
{
	size_t cap = 1;
	for (const char *p = cell; *p; p++)
		cap += *p == ';';
	const char **v = arena_alloc(a, (cap + 1) * sizeof *v);
	*n = 0;
	const char *p = cell;
	for (;;) {
		const char *e = strchr(p, ';');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		const char *q = p;
		while (len && (*q == ' ' || *q == '\t')) {
			q++;
			len--;
		}
		while (len && (q[len - 1] == ' ' || q[len - 1] == '\t'))
			len--;
		if (len)
			v[(*n)++] = arena_strndup(a, q, len);
		if (!e)
			break;
		p = e + 1;
	}
	return v;
}

int cap_csv_parse(struct cap_set *s, const char *name, const char *text,
		  size_t n, const struct cap_known *k, struct err_list *errs)
{
	long before = errs->total;
	struct px x = {s, k, name, errs, 0, {0}};
	strmap_init(&x.ids);
	struct csv c;
	csv_open(&c, name, text, n);
	if (s->csv_sep)
		csv_set_sep(&c, s->csv_sep);
	struct cdg_err e;
	err_clear(&e);
	static const char *const required[] = {"id", "title", "donors",
		"beneficiaries", "status", "source_url", NULL};
	int rc = csv_read_header(&c, &e);
	if (rc == 0)
		rc = csv_require(&c, required, &e);
	if (rc == 0 && csv_col(&c, "goals") < 0 && csv_col(&c, "norms") < 0)
		rc = err_at(&e, CDG_EINPUT, name, 1, "goals", "a goals or norms column is required");
	for (size_t i = 0; rc == 0 && i < c.ncols; i++) {
		bool ok = false;
		for (size_t f = 0; f < NF && !ok; f++)
			ok = strcmp(c.cols[i], fnames[f]) == 0;
		for (size_t l = 0; l < NL && !ok; l++)
			ok = strcmp(c.cols[i], lnames[l]) == 0;
		if (!ok)
			rc = err_at(&e, CDG_EINPUT, name, 1, c.cols[i], "unknown column");
	}
	if (rc)
		errs_add(errs, &e);
	while (rc == 0) {
		rc = csv_next(&c, &e);
		if (rc <= 0) {
			if (rc < 0)
				errs_add(errs, &e);
			break;
		}
		if (csv_check_width(&c, &e) != 0) {
			errs_add(errs, &e);
			rc = 0;
			continue;
		}
		struct raw r;
		memset(&r, 0, sizeof r);
		r.line = c.line;
		for (size_t f = 0; f < NF; f++)
			r.f[f] = arena_strdup(&s->arena, csv_get(&c, fnames[f]));
		for (size_t l = 0; l < NL; l++)
			r.l[l] = split(&s->arena, csv_get(&c, lnames[l]), &r.nl[l]);
		check(&x, &r);
		rc = 0;
	}
	csv_close(&c);
	strmap_free(&x.ids);
	return errs->total > before ? CDG_EINPUT : 0;
}

/* ---- JSON -------------------------------------------------------------------- */

int cap_json_parse(struct cap_set *s, const char *name, const char *text,
		   size_t n, const struct cap_known *k, struct err_list *errs)
{
	long before = errs->total;
	struct px x = {s, k, name, errs, 1, {0}};
	strmap_init(&x.ids);
	json_error_t je;
	json_t *root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &je);
	json_t *list = root ? json_object_get(root, "initiatives") : NULL;
	const char *fmt = json_string_value(json_object_get(root, "format"));
	long *lines = NULL;
	size_t nlines = 0;
	if (!root) {
		x.line = je.line;
		fault(&x, NULL, "%s", je.text);
	} else if (!fmt || strcmp(fmt, CAP_JSON_FORMAT) != 0) {
		fault(&x, "format", "not a capacity file (\"format\": \"%s\")", CAP_JSON_FORMAT);
	} else if (!json_is_array(list)) {
		fault(&x, "initiatives", "must be an array of initiatives");
	} else {
		nlines = json_key_lines(text, "id", &lines);
	}
	size_t i;
	json_t *o;
	if (list && json_is_array(list) && fmt && strcmp(fmt, CAP_JSON_FORMAT) == 0)
		json_array_foreach(list, i, o) {
			struct raw r;
			memset(&r, 0, sizeof r);
			r.line = i < nlines ? lines[i] : 1;
			x.line = r.line;
			if (!json_is_object(o)) {
				fault(&x, NULL, "initiative %zu is not an object", i + 1);
				continue;
			}
			const char *key;
			json_t *v;
			json_object_foreach(o, key, v) {
				bool ok = false;
				for (size_t f = 0; f < NF && !ok; f++)
					ok = strcmp(key, fnames[f]) == 0;
				for (size_t l = 0; l < NL && !ok; l++)
					ok = strcmp(key, lnames[l]) == 0;
				if (!ok)
					fault(&x, key, "unknown key");
			}
			for (size_t f = 0; f < NF; f++) {
				json_t *v2 = json_object_get(o, fnames[f]);
				r.f[f] = "";
				if (!v2 || json_is_null(v2))
					continue;
				if (json_is_string(v2))
					r.f[f] = arena_strdup(&s->arena, json_string_value(v2));
				else if (json_is_number(v2) && f == F_BUDGET)
					r.f[f] = arena_printf(&s->arena, "%.17g", json_number_value(v2));
				else if (json_is_boolean(v2) && f == F_SYNTH)
					r.f[f] = json_is_true(v2) ? "true" : "false";
				else
					fault(&x, fnames[f], "has the wrong type");
			}
			for (size_t l = 0; l < NL; l++) {
				json_t *a = json_object_get(o, lnames[l]);
				if (!a || json_is_null(a))
					continue;
				if (!json_is_array(a)) {
					fault(&x, lnames[l], "must be an array of strings");
					continue;
				}
				r.l[l] = arena_alloc(&s->arena, (json_array_size(a) + 1) * sizeof(char *));
				size_t j;
				json_t *it;
				json_array_foreach(a, j, it) {
					if (json_is_string(it) && *json_string_value(it))
						r.l[l][r.nl[l]++] = arena_strdup(&s->arena,
										 json_string_value(it));
					else
						fault(&x, lnames[l], "item %zu is not a non-empty string",
						      j + 1);
				}
			}
			check(&x, &r);
		}
	free(lines);
	json_decref(root);
	strmap_free(&x.ids);
	return errs->total > before ? CDG_EINPUT : 0;
}

/* ---- writers ------------------------------------------------------------------ */

static void put_list(struct buf *b, const char *const *v, size_t n)
{
	struct buf t = BUF_INIT;
	for (size_t i = 0; i < n; i++)
		buf_addf(&t, "%s%s", i ? ";" : "", v[i]);
	csv_put(b, t.p, false);
	buf_free(&t);
}

/* Beneficiaries as written: states, region:LABEL, GLOBAL. */
static const char **benef(const struct cap_initiative *in, struct arena *a,
			  size_t *n)
{
	const char **v = arena_alloc(a, (in->n_states + in->n_regions + 2) * sizeof *v);
	*n = 0;
	if (in->global)
		v[(*n)++] = "GLOBAL";
	for (size_t i = 0; i < in->n_states; i++)
		v[(*n)++] = in->states[i];
	for (size_t i = 0; i < in->n_regions; i++)
		v[(*n)++] = arena_printf(a, "region:%s", in->regions[i]);
	return v;
}

void cap_csv_write(const struct cap_initiative *v, size_t n, struct buf *out)
{
	buf_adds(out, "id,title,donors,implementers,beneficiaries,goals,norms,"
		      "start_date,end_date,budget,currency,status,source_url,"
		      "synthetic,note\r\n");
	struct arena a;
	arena_init(&a);
	for (size_t i = 0; i < n; i++) {
		const struct cap_initiative *in = &v[i];
		csv_put(out, in->id, true);
		csv_put(out, in->title, false);
		put_list(out, in->donors, in->n_donors);
		put_list(out, in->implementers, in->n_implementers);
		size_t nb;
		const char **b = benef(in, &a, &nb);
		put_list(out, b, nb);
		put_list(out, in->goals, in->n_goals);
		put_list(out, in->norms, in->n_norms);
		csv_put(out, in->start ? in->start : "", false);
		csv_put(out, in->end ? in->end : "", false);
		struct buf num = BUF_INIT;
		if (!isnan(in->budget))
			fmt_double(&num, in->budget);
		csv_put(out, num.p, false);
		buf_free(&num);
		csv_put(out, in->currency ? in->currency : "", false);
		csv_put(out, in->status, false);
		csv_put(out, in->source, false);
		csv_put(out, in->synthetic ? "1" : "0", false);
		csv_put(out, in->note ? in->note : "", false);
		csv_endrow(out);
	}
	arena_free(&a);
}

void cap_json_write_one(const struct cap_initiative *in, struct jw *w)
{
	struct arena a;
	arena_init(&a);
	jw_obj(w);
	jw_kstr(w, "id", in->id);
	jw_kstr(w, "title", in->title);
	jw_kstrs(w, "donors", in->donors, in->n_donors);
	jw_kstrs(w, "implementers", in->implementers, in->n_implementers);
	size_t nb;
	const char **b = benef(in, &a, &nb);
	jw_kstrs(w, "beneficiaries", b, nb);
	jw_kstrs(w, "goals", in->goals, in->n_goals);
	jw_kstrs(w, "norms", in->norms, in->n_norms);
	jw_kstr(w, "start_date", in->start);
	jw_kstr(w, "end_date", in->end);
	jw_knum(w, "budget", in->budget); /* NaN (not stated) writes null */
	jw_kstr(w, "currency", in->currency);
	jw_kstr(w, "status", in->status);
	jw_kstr(w, "source_url", in->source);
	jw_kbool(w, "synthetic", in->synthetic);
	jw_kstr(w, "note", in->note);
	jw_obj_end(w);
	arena_free(&a);
}

void cap_json_write(const struct cap_initiative *v, size_t n, struct jw *w)
{
	jw_obj(w);
	jw_kstr(w, "format", CAP_JSON_FORMAT);
	jw_key(w, "initiatives");
	jw_arr(w);
	for (size_t i = 0; i < n; i++)
		cap_json_write_one(&v[i], w);
	jw_arr_end(w);
	jw_obj_end(w);
}
