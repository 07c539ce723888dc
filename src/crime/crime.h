/*
 * crime: the cybercrime-cooperation engine (issue 7; the rules in words are
 * in docs/cybercrime.md, the data in data/crime/README.md).
 *
 * Pure computation on plain arrays the caller owns: no I/O, no SQL, no
 * global state.  States, articles (offences, procedural powers and
 * co-operation provisions of the Budapest Convention, ETS 185) and treaties
 * are plain indices into the caller's arrays; what an index names (ISO3,
 * "BC2", "ETS185") is the caller's business.  The functions answer four
 * questions:
 *
 *   1. dual criminality: does an offence exist in the law of both states?
 *      Rule: both "yes" -> holds; any "no" -> fails; otherwise (partial or
 *      unknown on either side) -> uncertain.  Never silently true.  With
 *      treaty status (crime_ext), an uncertain cell without a "partial"
 *      becomes "presumed" when a treaty obliging every party to establish
 *      the offence is in force for both on the date: a presumption from
 *      the obligation, never "holds".
 *   2. channels: on a date, what links two states for an offence: treaties
 *      in force for both whose scope covers the offence, a bilateral MLAT in
 *      force, both states in the 24/7 network, and (crime_ext) a treaty of
 *      which one is a party without a verified date ("unverified").  An
 *      offence with none of them is "missing" ("no channel for offence X
 *      between A and B").
 *   3. thresholds: how many consents to be bound a treaty has on a date,
 *      against its entry-into-force threshold, and when the threshold was or
 *      would be reached (the k-th consent, with a sub-group condition such
 *      as "including 3 member States of the Council of Europe").
 *   4. draft check: a described instrument (article by article) against
 *      the principles of the ICC brief, one verdict per principle (conforms,
 *      does not conform, cannot tell) with the articles that decide it.
 *
 * Dates are day numbers (days since 1970-01-01, proleptic Gregorian), so
 * "in force on d" is one integer comparison; CRIME_NEVER stands for "not a
 * party / no date" and compares after every real date.  crime_date_parse()
 * reads "YYYY-MM-DD"; a partial date ("YYYY" or "YYYY-MM") is read as the
 * LAST day of its period, so that a partial date never makes a treaty look
 * in force earlier than it may have been.
 *
 * The parsers at the end (crime_json.c, crime_csv.c) are pure too: text in,
 * structs out, everything in a caller-supplied arena, errors naming file,
 * line, id and field through struct cdg_err with code CDG_EINPUT; a file
 * with any error yields nothing.  They live here rather than in formats/
 * because their structs are this module's.
 */
#ifndef CDG_CRIME_H
#define CDG_CRIME_H

#include "base/base.h"

#include <stdint.h>

/* ---- dates ---------------------------------------------------------------- */

#define CRIME_NEVER INT32_MAX /* "no date": not a party, not in force */

/* Day number of a calendar date (no validation). */
int32_t crime_days(int year, int month, int day);
/* Parses "YYYY-MM-DD", "YYYY-MM" or "YYYY" (last day of the period) into
 * *out.  Returns 0 or CDG_EINPUT for anything else (including 2023-02-30). */
int crime_date_parse(const char *s, int32_t *out);
/* Writes day number d as "YYYY-MM-DD" into out[11] ("" for CRIME_NEVER). */
void crime_date_format(int32_t d, char out[11]);
/* d plus n calendar months, clamped to the month's last day. */
int32_t crime_add_months(int32_t d, int n);
/* The first day of the month after d. */
int32_t crime_next_month_start(int32_t d);

/* ---- the data the engine works on ------------------------------------------ */

/* Whether a state's law covers an article (one cell of the coverage matrix). */
enum crime_cov {
	CRIME_COV_UNKNOWN = 0, /* nobody has checked: NOT the same as no */
	CRIME_COV_NO = 1,      /* checked, not covered */
	CRIME_COV_PARTIAL = 2, /* covered in part (narrower conduct, extra element) */
	CRIME_COV_YES = 3,     /* covered */
};

enum crime_kind {
	CRIME_OFFENCE = 0,   /* substantive criminal law (ETS 185 arts. 2-11) */
	CRIME_POWER = 1,     /* procedural power (arts. 16-21) */
	CRIME_COOP = 2,      /* international co-operation (arts. 23-35) */
};

#define CRIME_MAX_TREATIES 64 /* treaties fit one uint64_t bitset */

/* Everything the pair, matrix and missing functions read.  All arrays are
 * owned by the caller and only read. */
struct crime_data {
	size_t n_states;             /* rows of cov / in_force */
	size_t n_articles;           /* columns of cov */
	const uint8_t *kind;         /* [n_articles] enum crime_kind */
	const uint8_t *cov;          /* [n_states * n_articles] enum crime_cov */
	size_t n_treaties;           /* <= CRIME_MAX_TREATIES */
	const uint8_t *scope;        /* [n_treaties * n_articles] 1 if the
					treaty's co-operation covers the
					article, else 0 */
	const int32_t *in_force;     /* [n_states * n_treaties] day the treaty
					entered into force for the state, or
					CRIME_NEVER */
	size_t n_mlats;
	const struct crime_mlat *mlats; /* bilateral MLATs (any offence) */
	const int32_t *contact247;   /* [n_states] day since which the state has a
					24/7 point of contact, or CRIME_NEVER;
					may be NULL (nobody) */
};

/* What treaty status adds to crime_data, for crime_pair_ext and
 * crime_matrix_ext (a separate struct so that callers of crime_pair see no
 * change).  Arrays owned by the caller, only read; either may be NULL. */
struct crime_ext {
	const uint8_t *obliges;      /* [n_treaties * n_articles] 1 if the
					treaty obliges every party to
					establish the offence in its domestic
					law (ETS 185 arts. 2-11) */
	const int32_t *listed_from;  /* [n_states * n_treaties] for a state
					listed as a party whose own entry into
					force is NOT verified: the first day
					it may have been a party (its consent
					date, never before the treaty's own
					entry into force); CRIME_NEVER for every
					other state (dated parties have
					in_force instead) */
};

/* A bilateral mutual legal assistance treaty between states a and b (order
 * does not matter), in force from in_force on. */
struct crime_mlat {
	uint32_t a, b;    /* state indices, a != b */
	int32_t in_force; /* day number, or CRIME_NEVER if signed only */
};

/* Checks the shape of d: sizes, enum values, treaty count, MLAT indices in
 * range and not self-pairs.  Returns 0 or CDG_EUSAGE with e naming the
 * first problem.  The functions below assume a checked d. */
int crime_data_check(const struct crime_data *d, struct cdg_err *e);

/* ---- 1. dual criminality ------------------------------------------------- */

enum crime_dual {
	CRIME_DUAL_UNCERTAIN = 0, /* a partial or unknown on either side, and
				     no presumption applies */
	CRIME_DUAL_FAILS = 1,     /* at least one side is "no" */
	CRIME_DUAL_HOLDS = 2,     /* both sides "yes" (national law mapped) */
	CRIME_DUAL_PRESUMED = 3,  /* not established from national law, but
				     both states are parties (dated) to a
				     treaty obliging them to establish the
				     offence; never from a "partial" */
};
#define CRIME_DUAL_COUNT 4

/* The rule above on two coverage values; symmetric.  Never PRESUMED. */
enum crime_dual crime_dual(enum crime_cov a, enum crime_cov b);
/* The same, then the presumption: when the coverage gives UNCERTAIN, both
 * sides are "yes" or "unknown" (a mapped "partial" outranks it, as a
 * mapped "no" does) and obliged is true (a treaty in force for both
 * obliges the offence), PRESUMED. */
enum crime_dual crime_dual_presumed(enum crime_cov a, enum crime_cov b,
				    bool obliged);
/* "holds", "fails", "uncertain", "presumed". */
const char *crime_dual_name(enum crime_dual d);
/* "unknown", "no", "partial", "yes"; crime_cov_parse() is its inverse and
 * returns -1 for other text. */
const char *crime_cov_name(enum crime_cov c);
int crime_cov_parse(const char *s);

/* ---- 2. channels ---------------------------------------------------------- */

enum {
	CRIME_CH_TREATY = 1, /* a common treaty in force covers the offence */
	CRIME_CH_MLAT = 2,   /* a bilateral MLAT is in force */
	CRIME_CH_247 = 4,    /* both states have a 24/7 point of contact */
	CRIME_CH_UNVERIFIED = 8, /* a treaty covering the offence may link
				    them: both are listed as parties on the
				    date, at least one without a verified
				    entry-into-force date */
};

/* One pair for one offence on one date. */
struct crime_cell {
	uint8_t dual;      /* enum crime_dual */
	uint8_t channels;  /* CRIME_CH_* bits; 0 means "no channel" */
	uint64_t treaties; /* bit t set: treaty t is in force for both states
			      on the date AND its scope covers the offence */
	uint64_t unverified; /* bit t set: not in treaties, but both states
				are parties of treaty t on the date, at
				least one by listed_from, and its scope
				covers the offence */
	uint64_t presumed; /* bit t set: treaty t is in force for both states
			      on the date (verified dates) and obliges every
			      party to establish the offence: the basis of
			      a PRESUMED dual criminality */
};

/* Dual criminality and channels between states a and b for article art on
 * date.  Returns 0; CDG_ENOTFOUND if a, b or art is out of range;
 * CDG_EUSAGE if art is not an offence or a == b. */
int crime_pair(const struct crime_data *d, size_t a, size_t b, size_t art,
	       int32_t date, struct crime_cell *out, struct cdg_err *e);
/* The same with treaty status x (may be NULL, then as crime_pair): a
 * treaty in force for both that obliges the offence makes an otherwise
 * uncertain dual criminality PRESUMED (crime_dual_presumed), and parties
 * without a verified entry into force give CRIME_CH_UNVERIFIED, never
 * CRIME_CH_TREATY nor a presumption. */
int crime_pair_ext(const struct crime_data *d, const struct crime_ext *x,
		   size_t a, size_t b, size_t art, int32_t date,
		   struct crime_cell *out, struct cdg_err *e);

/* The all-pairs matrix for one offence: out[i * n_states + j] for every
 * ordered pair (the matrix is symmetric; the diagonal is dual from the
 * state with itself and channels 0).  Equal, cell by cell, to crime_pair.
 * Uses per-state treaty bitsets and an MLAT bit matrix built once per call
 * (O(n^2 / 64) memory).  Same errors as crime_pair. */
int crime_matrix(const struct crime_data *d, size_t art, int32_t date,
		 struct crime_cell *out, struct cdg_err *e);
/* The same with treaty status x (may be NULL); equal, cell by cell, to
 * crime_pair_ext. */
int crime_matrix_ext(const struct crime_data *d, const struct crime_ext *x,
		     size_t art, int32_t date, struct crime_cell *out,
		     struct cdg_err *e);

/* The offences with no channel at all between a and b on date, in article
 * order: writes up to cap indices to out and returns how many there are
 * (may exceed cap), or a negative code as crime_pair. */
long crime_missing(const struct crime_data *d, size_t a, size_t b,
		   int32_t date, size_t *out, size_t cap, struct cdg_err *e);
/* Appends the sentence for one missing channel to out: "no channel for
 * offence BC2 between FRA and CHN". */
void crime_missing_text(struct buf *out, const char *offence,
			const char *a, const char *b);

/* ---- 3. entry-into-force thresholds -------------------------------------- */

/* How a treaty enters into force once the threshold is reached. */
enum crime_eif_rule {
	CRIME_EIF_DAYS = 0,        /* lag days after the k-th deposit */
	CRIME_EIF_MONTH_AFTER = 1, /* first day of the month after lag months
				      have expired since the k-th consent */
};

struct crime_threshold {
	uint32_t count;           /* consents needed */
	uint32_t sub_count;       /* of which from the sub-group (0: none) */
	enum crime_eif_rule rule;
	uint32_t lag;             /* days or months, as rule says */
};

enum crime_thr_status {
	CRIME_THR_REACHED = 0,  /* reached on or before the as-of date */
	CRIME_THR_PENDING = 1,  /* enough consents are dated, the last after
				   the as-of date: it would be reached then */
	CRIME_THR_SHORT = 2,    /* not enough dated consents */
	CRIME_THR_UNKNOWN_SUB = 3, /* enough consents, but sub-group
				      membership is unknown for some */
};

struct crime_thr_result {
	enum crime_thr_status status;
	uint32_t consents;      /* dated consents on or before as-of */
	uint32_t sub_consents;  /* of which in the sub-group */
	uint32_t short_by;      /* consents still needed as of as-of, 0 if
				   reached (counts the stricter of the two
				   conditions) */
	int32_t reached_on;     /* day the threshold was or would be reached
				   (the later of the count-th consent and the
				   sub_count-th sub-group consent), or
				   CRIME_NEVER */
	int32_t in_force_on;    /* reached_on + the treaty's lag, or
				   CRIME_NEVER */
	int32_t earliest_party_eif; /* smallest per-party entry-into-force date
				       given, or CRIME_NEVER */
	bool incomplete;        /* a party's own entry-into-force date is
				   earlier than in_force_on: the consent list
				   must be missing early consents */
};

/* Counts consents (dates[i] = day state i consented to be bound, CRIME_NEVER
 * if it has not) against t as of date asof.  sub[i] is 1 if state i is in
 * the sub-group, 0 if not, 2 if unknown (sub may be NULL when
 * t->sub_count == 0).  party_eif (may be NULL) holds each party's own
 * entry-into-force date for the incompleteness check.  Input need not be
 * sorted; ties count once per state.  Returns 0 or CDG_EUSAGE (count 0,
 * sub_count > count, sub NULL when needed). */
int crime_threshold_eval(const struct crime_threshold *t,
			 const int32_t *dates, const uint8_t *sub,
			 const int32_t *party_eif, size_t n, int32_t asof,
			 struct crime_thr_result *r, struct cdg_err *e);
/* The entry-into-force day for a threshold reached on day reached. */
int32_t crime_eif_date(const struct crime_threshold *t, int32_t reached);
const char *crime_thr_status_name(enum crime_thr_status s);

/* ---- 4. the draft-instrument check ----------------------------------------- */

enum crime_class {
	CRIME_CLASS_NONE = 0,           /* not an offence article */
	CRIME_CLASS_DEPENDENT = 1,      /* cyber-dependent: cannot exist without
					   computers (access, interference) */
	CRIME_CLASS_ENABLED = 2,        /* cyber-enabled: a traditional crime
					   made easier by computers (fraud) */
	CRIME_CLASS_CONTENT = 3,        /* content-related: criminalises
					   information itself */
};
const char *crime_class_name(enum crime_class c);
int crime_class_parse(const char *s); /* -1 if unknown */

/* What an instrument article is. */
enum crime_ikind {
	CRIME_IK_OFFENCE = 0, CRIME_IK_POWER, CRIME_IK_COOP, CRIME_IK_SAFEGUARD,
	CRIME_IK_CAPACITY, CRIME_IK_OTHER,
};
const char *crime_ikind_name(enum crime_ikind k);
int crime_ikind_parse(const char *s); /* -1 if unknown */

/* Independent review in a safeguard article. */
enum crime_review {
	CRIME_REVIEW_UNSTATED = 0,      /* the encoding does not say */
	CRIME_REVIEW_REQUIRED = 1,      /* judicial/independent review required */
	CRIME_REVIEW_AS_APPROPRIATE = 2, /* only "as appropriate" */
	CRIME_REVIEW_ABSENT = 3,        /* no independent review */
};

/* Three-valued flag of an instrument (true/false/not stated). */
enum crime_tri { CRIME_TRI_UNSTATED = 0, CRIME_TRI_YES = 1, CRIME_TRI_NO = 2 };

struct crime_iarticle {
	const char *id;            /* "UN7" */
	const char *number;        /* "7" */
	const char *title;
	enum crime_ikind kind;
	enum crime_class cls;      /* offences only */
	const char *subject;       /* offences: what it protects, e.g.
				      "computer_systems", "money_laundering" */
	const char *justification; /* why a non-cyber-dependent offence
				      belongs, or NULL */
	const char *budapest;      /* ETS 185 equivalent id ("BC2") or NULL */
	const char **safeguards;   /* ids of safeguard articles it relies on */
	size_t n_safeguards;
	enum crime_review review;  /* safeguard articles only */
	const char *summary;
};

struct crime_instrument {
	const char *id, *name, *source_url, *adopted, *basis;
	uint32_t eif_count;                /* ratifications to enter into
					      force, 0 if not stated */
	enum crime_tri consensus;          /* adopted by consensus / no vote */
	enum crime_tri non_state;          /* non-state actors took part */
	struct crime_iarticle *articles;
	size_t n_articles;
};

/* One principle: its id, the rule that checks it, and a parameter. */
enum crime_rule {
	CRIME_R_BUDAPEST_EQUIV = 0, /* offences and powers name an ETS 185
				       equivalent that exists */
	CRIME_R_NO_OTHER_INSTRUMENT, /* no offence whose subject another
					instrument covers */
	CRIME_R_CYBER_DEPENDENT,    /* offences cyber-dependent, or justified */
	CRIME_R_NO_CONTENT,         /* no content offence outside child
				       protection */
	CRIME_R_SAFEGUARDS,         /* each power names a safeguard article
				       requiring independent review */
	CRIME_R_CAPACITY,           /* a capacity-building article exists */
	CRIME_R_NON_STATE,          /* non-state actors took part */
	CRIME_R_CONSENSUS,          /* adopted by consensus */
	CRIME_R_THRESHOLD,          /* eif_count >= param */
	CRIME_R_COUNT
};
const char *crime_rule_name(enum crime_rule r);
int crime_rule_parse(const char *s); /* -1 if unknown */

struct crime_principle {
	const char *id;        /* "P1" */
	const char *title;
	const char *source;    /* where the brief says it */
	enum crime_rule rule;
	long param;            /* CRIME_R_THRESHOLD: minimum count */
	const char **excluded; /* CRIME_R_NO_OTHER_INSTRUMENT: subjects */
	size_t n_excluded;
};

enum crime_verdict_kind {
	CRIME_CONFORMS = 0, CRIME_NOT_CONFORM = 1, CRIME_CANNOT_TELL = 2,
};
const char *crime_verdict_name(enum crime_verdict_kind v);

/* One article's part in a verdict. */
struct crime_finding {
	const char *article; /* instrument article id, or NULL for the
				instrument as a whole */
	uint8_t verdict;     /* enum crime_verdict_kind for this article */
	const char *why;     /* one sentence */
};

struct crime_verdict {
	const char *principle;         /* principle id */
	enum crime_verdict_kind verdict;
	const char *reason;            /* one-sentence summary */
	struct crime_finding *findings; /* the articles the rule looked at */
	size_t n_findings;
};

/* Checks ins against principles p[0..np); budapest_ids[0..nb) are the
 * ETS 185 article ids that exist.  Writes np verdicts to out (caller
 * array); strings and findings live in a.  A principle's verdict is
 * CANNOT_TELL when the instrument does not encode what the rule needs, and
 * NOT_CONFORM as soon as one article fails.  Returns 0. */
int crime_check(const struct crime_instrument *ins,
		const struct crime_principle *p, size_t np,
		const char *const *budapest_ids, size_t nb,
		struct crime_verdict *out, struct arena *a);

/* ---- parsers (pure: text in, structs out) -------------------------------- */

/* An ETS 185 article from data/crime/articles.json. */
struct crime_article {
	const char *id;          /* "BC2" */
	int number;              /* 2 */
	const char *title;
	enum crime_kind kind;
	const char *summary;
	enum crime_class cls;    /* offences only, else NONE */
	const char *class_reason;
	const char *un_number;   /* corresponding UN 2024 article, or NULL */
	const char *un_title;
	bool un_verified;        /* the UN article number was checked */
};

/* A party (or signatory) listed in treaties.json; dates are ISO text, NULL
 * when not known.  Parse with crime_date_parse(). */
struct crime_party {
	const char *iso3;
	const char *signed_on;   /* signature */
	const char *consent;     /* ratification, accession... (consent to
				    be bound) */
	const char *in_force;    /* entry into force for this party */
	const char *source_url;
};

/* An offence a treaty obliges every party to establish in its domestic
 * law, with what the treaty lets a party narrow (treaties.json,
 * "criminalisation"). */
struct crime_obligation {
	const char *article;     /* article id, known to the catalog */
	const char *reservation; /* the reservation the treaty allows for
				    it, in words, or NULL if none */
	const char *declaration; /* the additional elements a party may
				    require by declaration, or NULL */
};

/* A treaty from data/crime/treaties.json. */
struct crime_treaty {
	const char *id;          /* "ETS185" */
	const char *name;
	const char *opened;      /* ISO date opened for signature */
	struct crime_threshold threshold;
	const char *sub_group;   /* e.g. "coe_member", or NULL */
	const char *condition;   /* the threshold in words */
	const char *source_url;
	const char *entered_into_force; /* ISO date, or NULL if not (yet) */
	const char *parties_source; /* where parties come from, or NULL */
	struct crime_party *parties; /* parties shipped in the file itself */
	size_t n_parties;
	const char **scope;      /* article ids its co-operation covers */
	size_t n_scope;
	struct crime_obligation *obliges; /* offences every party must
					     establish (none: NULL, 0) */
	size_t n_obliges;
	const char *obliges_text;  /* the obligation in words */
	const char *obliges_note;  /* what else may narrow it (federal
				      clause...), or NULL */
	const char *obliges_source_url; /* the treaty text read */
};

struct crime_catalog {
	struct crime_article *articles;     size_t n_articles;
	struct crime_treaty *treaties;      size_t n_treaties;
	struct crime_principle *principles; size_t n_principles;
};

/* Parses articles.json, treaties.json and principles.json (texts with
 * their names for errors) into c; every string lives in a.  Checks ids are
 * unique, kinds and classes are known, each offence has a class and a
 * reason, every scope id is an article. */
int crime_catalog_parse(struct crime_catalog *c, const char *const names[3],
			const char *const texts[3], struct arena *a,
			struct cdg_err *e);
/* Index of the article or treaty with id, or -1. */
long crime_article_find(const struct crime_catalog *c, const char *id);
long crime_treaty_find(const struct crime_catalog *c, const char *id);

/* Parses an instrument file (data/crime/instruments/ *.json). Checks that
 * ids are unique, kinds and classes are known, every safeguard reference
 * names a safeguard article of the instrument. */
int crime_instrument_parse(struct crime_instrument *ins, const char *name,
			   const char *text, struct arena *a,
			   struct cdg_err *e);

/* One row of a coverage CSV (data/crime/coverage_sample.csv). */
struct crime_cov_row {
	const char *iso3;
	const char *article;     /* article id, known to the catalog */
	enum crime_cov covered;
	const char *citation, *source_url, *note, *basis;
	long line;               /* file line */
};

/* Reads a coverage CSV (columns iso3, article_id, covered, legal_citation,
 * source_url, note, basis) against catalog c: unknown article ids,
 * malformed ISO3, a covered value other than yes/partial/no/unknown, a
 * "yes" or "partial" without citation, and duplicate (iso3, article_id)
 * pairs are rejected with the line. */
int crime_coverage_parse(const struct crime_catalog *c, const char *name,
			 const char *text, size_t n, struct arena *a,
			 struct crime_cov_row **rows, size_t *nrows,
			 struct cdg_err *e);
/* Writes rows as a coverage CSV (same columns, CRLF) to out. */
void crime_coverage_write(struct buf *out, const struct crime_cov_row *rows,
			  size_t n);

#endif
