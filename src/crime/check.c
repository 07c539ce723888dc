/* The draft-instrument check: see crime.h and docs/cybercrime.md. */
#include "crime/crime.h"

#include <string.h>

/* ---- names ---------------------------------------------------------------------- */

static int find_name(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

static const char *const class_names[] = {"none", "cyber_dependent",
					  "cyber_enabled", "content_related"};
static const char *const ikind_names[] = {"offence", "procedural_power",
					  "cooperation", "safeguard",
					  "capacity_building", "other"};
static const char *const rule_names[CRIME_R_COUNT] = {
	"offences_and_powers_have_budapest_equivalent",
	"no_offence_covered_by_other_instruments",
	"offences_cyber_dependent_or_justified",
	"no_content_offence_outside_child_protection",
	"powers_have_independent_review_safeguard",
	"has_capacity_building_article",
	"non_state_participation",
	"adopted_by_consensus",
	"entry_into_force_threshold_at_least",
};

const char *crime_class_name(enum crime_class c)
{
	return (unsigned)c < 4 ? class_names[c] : "?";
}
int crime_class_parse(const char *s) { return find_name(class_names, 4, s); }
const char *crime_ikind_name(enum crime_ikind k)
{
	return (unsigned)k < 6 ? ikind_names[k] : "?";
}
int crime_ikind_parse(const char *s) { return find_name(ikind_names, 6, s); }
const char *crime_rule_name(enum crime_rule r)
{
	return (unsigned)r < CRIME_R_COUNT ? rule_names[r] : "?";
}
int crime_rule_parse(const char *s)
{
	return find_name(rule_names, CRIME_R_COUNT, s);
}

const char *crime_verdict_name(enum crime_verdict_kind v)
{
	switch (v) {
	case CRIME_CONFORMS: return "conforms";
	case CRIME_NOT_CONFORM: return "does_not_conform";
	case CRIME_CANNOT_TELL: return "cannot_tell";
	}
	return "?";
}

/* ---- building a verdict ---------------------------------------------------------- */

struct vb {
	struct crime_verdict *v;
	struct arena *a;
	size_t cap;
};

static void add(struct vb *b, const char *article, enum crime_verdict_kind k,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void add(struct vb *b, const char *article, enum crime_verdict_kind k,
		const char *fmt, ...)
{
	if (b->v->n_findings == b->cap)
		return; /* cap is n_articles + 1: cannot happen */
	struct buf m = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(&m, fmt, ap);
	va_end(ap);
	struct crime_finding *f = &b->v->findings[b->v->n_findings++];
	f->article = article;
	f->verdict = (uint8_t)k;
	f->why = arena_strdup(b->a, m.p);
	buf_free(&m);
}

static const struct crime_iarticle *iarticle(const struct crime_instrument *ins,
					      const char *id)
{
	for (size_t i = 0; i < ins->n_articles; i++)
		if (strcmp(ins->articles[i].id, id) == 0)
			return &ins->articles[i];
	return NULL;
}

static bool in_list(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* ---- the rules, one finding per article they look at ------------------------------- */

/* A rule applied to one article; ctx is rule-specific. */
typedef void (*article_rule)(struct vb *b, const struct crime_iarticle *x,
			     const void *ctx);

/* Applies fn to every article of kind k (and of kind k2, if not k). */
static void each(struct vb *b, const struct crime_instrument *ins,
		 enum crime_ikind k, enum crime_ikind k2, article_rule fn,
		 const void *ctx)
{
	for (size_t i = 0; i < ins->n_articles; i++)
		if (ins->articles[i].kind == k || ins->articles[i].kind == k2)
			fn(b, &ins->articles[i], ctx);
}

/* False (with a cannot-tell finding) when offence x is unclassified. */
static bool classified(struct vb *b, const struct crime_iarticle *x)
{
	if (x->cls != CRIME_CLASS_NONE)
		return true;
	add(b, x->id, CRIME_CANNOT_TELL, "%s has no classification", x->id);
	return false;
}

struct ids {
	const char *const *v;
	size_t n;
};

static void a_budapest(struct vb *b, const struct crime_iarticle *x,
		       const void *ctx)
{
	const struct ids *ids = ctx;
	if (!x->budapest)
		add(b, x->id, CRIME_NOT_CONFORM,
		    "%s (%s) has no Budapest Convention equivalent", x->id,
		    x->title);
	else if (!in_list(ids->v, ids->n, x->budapest))
		add(b, x->id, CRIME_NOT_CONFORM,
		    "%s names %s, which is not an ETS 185 article", x->id,
		    x->budapest);
	else
		add(b, x->id, CRIME_CONFORMS, "%s corresponds to %s", x->id,
		    x->budapest);
}

static void a_other_instr(struct vb *b, const struct crime_iarticle *x,
			  const void *ctx)
{
	const struct crime_principle *p = ctx;
	if (!x->subject)
		add(b, x->id, CRIME_CANNOT_TELL, "%s does not state its subject",
		    x->id);
	else if (in_list(p->excluded, p->n_excluded, x->subject))
		add(b, x->id, CRIME_NOT_CONFORM,
		    "%s (%s) concerns %s, which other instruments cover", x->id,
		    x->title, x->subject);
	else
		add(b, x->id, CRIME_CONFORMS, "%s concerns %s", x->id,
		    x->subject);
}

static void a_dependent(struct vb *b, const struct crime_iarticle *x,
			const void *ctx)
{
	(void)ctx;
	if (!classified(b, x))
		return;
	if (x->cls == CRIME_CLASS_DEPENDENT)
		add(b, x->id, CRIME_CONFORMS, "%s is cyber-dependent", x->id);
	else if (x->justification)
		add(b, x->id, CRIME_CONFORMS, "%s is %s, justified: %s", x->id,
		    crime_class_name(x->cls), x->justification);
	else
		add(b, x->id, CRIME_NOT_CONFORM,
		    "%s (%s) is %s and gives no justification", x->id, x->title,
		    crime_class_name(x->cls));
}

static void a_content(struct vb *b, const struct crime_iarticle *x,
		      const void *ctx)
{
	(void)ctx;
	if (!classified(b, x))
		return;
	if (x->cls != CRIME_CLASS_CONTENT)
		add(b, x->id, CRIME_CONFORMS, "%s is not content-related", x->id);
	else if (x->subject && strcmp(x->subject, "child_protection") == 0)
		add(b, x->id, CRIME_CONFORMS,
		    "%s is content-related but protects children, the brief's "
		    "own example of a commonly defined offence", x->id);
	else
		add(b, x->id, CRIME_NOT_CONFORM,
		    "%s (%s) criminalises content outside child protection",
		    x->id, x->title);
}

static void a_safeguards(struct vb *b, const struct crime_iarticle *x,
			 const void *ctx)
{
	const struct crime_instrument *ins = ctx;
	if (x->n_safeguards == 0) {
		add(b, x->id, CRIME_NOT_CONFORM,
		    "%s (%s) names no safeguard article", x->id, x->title);
		return;
	}
	/* The strongest review among the referenced safeguards. */
	static const int rank[4] = {1, 3, 2, 0}; /* unstated, required, as
						   appropriate, absent */
	const struct crime_iarticle *best = NULL;
	for (size_t k = 0; k < x->n_safeguards; k++) {
		const struct crime_iarticle *s = iarticle(ins, x->safeguards[k]);
		if (!s || s->kind != CRIME_IK_SAFEGUARD) {
			add(b, x->id, CRIME_NOT_CONFORM,
			    "%s refers to %s, which is not a safeguard article "
			    "of the instrument", x->id, x->safeguards[k]);
			return;
		}
		if (!best || rank[s->review] > rank[best->review])
			best = s;
	}
	switch (best->review) {
	case CRIME_REVIEW_REQUIRED:
		add(b, x->id, CRIME_CONFORMS,
		    "%s is subject to %s, which requires independent review",
		    x->id, best->id);
		break;
	case CRIME_REVIEW_AS_APPROPRIATE:
		add(b, x->id, CRIME_CANNOT_TELL,
		    "%s is subject to %s, which requires independent review only "
		    "as appropriate: it depends on national law", x->id,
		    best->id);
		break;
	case CRIME_REVIEW_ABSENT:
		add(b, x->id, CRIME_NOT_CONFORM,
		    "%s is subject to %s, which provides no independent review",
		    x->id, best->id);
		break;
	case CRIME_REVIEW_UNSTATED:
		add(b, x->id, CRIME_CANNOT_TELL,
		    "%s is subject to %s, whose encoding does not say whether "
		    "review is independent", x->id, best->id);
		break;
	}
}

static void r_capacity(struct vb *b, const struct crime_instrument *ins)
{
	for (size_t i = 0; i < ins->n_articles; i++) {
		const struct crime_iarticle *x = &ins->articles[i];
		if (x->kind == CRIME_IK_CAPACITY)
			add(b, x->id, CRIME_CONFORMS,
			    "%s (%s) provides capacity building", x->id,
			    x->title);
	}
	if (b->v->n_findings == 0)
		add(b, NULL, CRIME_NOT_CONFORM,
		    "no article provides capacity building or technical "
		    "assistance");
}

static void r_tri(struct vb *b, enum crime_tri t, const char *yes,
		  const char *no)
{
	if (t == CRIME_TRI_YES)
		add(b, NULL, CRIME_CONFORMS, "%s", yes);
	else if (t == CRIME_TRI_NO)
		add(b, NULL, CRIME_NOT_CONFORM, "%s", no);
	else
		add(b, NULL, CRIME_CANNOT_TELL, "the encoding does not say");
}

static void r_threshold(struct vb *b, const struct crime_instrument *ins,
			long min)
{
	if (ins->eif_count == 0)
		add(b, NULL, CRIME_CANNOT_TELL,
		    "the encoding gives no entry-into-force threshold");
	else if ((long)ins->eif_count >= min)
		add(b, NULL, CRIME_CONFORMS,
		    "enters into force after %u ratifications (at least %ld)",
		    ins->eif_count, min);
	else
		add(b, NULL, CRIME_NOT_CONFORM,
		    "enters into force after %u ratifications, fewer than %ld",
		    ins->eif_count, min);
}

/* Folds the findings into the verdict and a one-sentence reason. */
static void conclude(struct vb *b)
{
	struct crime_verdict *v = b->v;
	size_t n[3] = {0, 0, 0};
	for (size_t i = 0; i < v->n_findings; i++)
		n[v->findings[i].verdict]++;
	if (v->n_findings == 0) {
		v->verdict = CRIME_CANNOT_TELL;
		v->reason = "the instrument has no article this principle "
			    "applies to";
		return;
	}
	v->verdict = n[CRIME_NOT_CONFORM] ? CRIME_NOT_CONFORM :
		     n[CRIME_CANNOT_TELL] ? CRIME_CANNOT_TELL : CRIME_CONFORMS;
	if (v->n_findings == 1) {
		v->reason = v->findings[0].why;
		return;
	}
	struct buf m = BUF_INIT;
	buf_addf(&m, "%zu of %zu articles conform", n[CRIME_CONFORMS],
		 v->n_findings);
	const char *lab[2] = {"do not conform", "cannot be told"};
	for (int k = 0; k < 2; k++) {
		enum crime_verdict_kind want = k ? CRIME_CANNOT_TELL :
						   CRIME_NOT_CONFORM;
		if (!n[want])
			continue;
		buf_addf(&m, "; %s: ", lab[k]);
		bool first = true;
		for (size_t i = 0; i < v->n_findings; i++) {
			if (v->findings[i].verdict != want)
				continue;
			buf_addf(&m, "%s%s", first ? "" : ", ",
				 v->findings[i].article ? v->findings[i].article :
							  "instrument");
			first = false;
		}
	}
	v->reason = arena_strdup(b->a, m.p);
	buf_free(&m);
}

int crime_check(const struct crime_instrument *ins,
		const struct crime_principle *p, size_t np,
		const char *const *budapest_ids, size_t nb,
		struct crime_verdict *out, struct arena *a)
{
	struct ids bids = {budapest_ids, nb};
	for (size_t k = 0; k < np; k++) {
		struct crime_verdict *v = &out[k];
		memset(v, 0, sizeof *v);
		v->principle = p[k].id;
		struct vb b = {v, a, ins->n_articles + 1};
		v->findings = arena_alloc(a, b.cap * sizeof *v->findings);
		switch (p[k].rule) {
		case CRIME_R_BUDAPEST_EQUIV:
			each(&b, ins, CRIME_IK_OFFENCE, CRIME_IK_POWER,
			     a_budapest, &bids);
			break;
		case CRIME_R_NO_OTHER_INSTRUMENT:
			each(&b, ins, CRIME_IK_OFFENCE, CRIME_IK_OFFENCE,
			     a_other_instr, &p[k]);
			break;
		case CRIME_R_CYBER_DEPENDENT:
			each(&b, ins, CRIME_IK_OFFENCE, CRIME_IK_OFFENCE,
			     a_dependent, NULL);
			break;
		case CRIME_R_NO_CONTENT:
			each(&b, ins, CRIME_IK_OFFENCE, CRIME_IK_OFFENCE,
			     a_content, NULL);
			break;
		case CRIME_R_SAFEGUARDS:
			each(&b, ins, CRIME_IK_POWER, CRIME_IK_POWER,
			     a_safeguards, ins);
			break;
		case CRIME_R_CAPACITY:
			r_capacity(&b, ins);
			break;
		case CRIME_R_NON_STATE:
			r_tri(&b, ins->non_state,
			      "non-state actors took part in the negotiation",
			      "non-state actors did not take part");
			break;
		case CRIME_R_CONSENSUS:
			r_tri(&b, ins->consensus, "adopted by consensus",
			      "adopted by a vote");
			break;
		case CRIME_R_THRESHOLD:
			r_threshold(&b, ins, p[k].param);
			break;
		case CRIME_R_COUNT:
			break;
		}
		conclude(&b);
	}
	return 0;
}
