/*
 * formats: pure parsers and writers for cdg's interchange files.  No
 * database, no global state.  Every parser reports errors with file, line,
 * field and reason through struct cdg_err, and a caller that gets an error
 * must treat the whole file as rejected (DESIGN.md: "a file with any error
 * imports nothing").
 *
 * CSV (RFC 4180): fields separated by commas, optionally quoted with '"'
 * (a doubled quote inside quotes is a literal quote); quoted fields may hold
 * commas and line breaks; records end with LF or CRLF; a UTF-8 BOM at the
 * start is skipped.  A reader may be told another separator (';' or tab,
 * as spreadsheets write in locales whose decimal mark is a comma); one
 * left at ',' refuses a header that has no comma but has ';' or a tab,
 * saying what it found and how to read the file.  The reader works on a caller-owned buffer that must
 * outlive it; field strings returned by csv_next() stay valid until the next
 * call to csv_next() or csv_close().
 */
#ifndef CDG_FORMATS_H
#define CDG_FORMATS_H

#include "base/base.h"

/* ---- CSV reader --------------------------------------------------------- */

struct csv {
	const char *name;   /* file name used in errors (not owned) */
	const char *p;      /* input text (not owned) */
	size_t n;           /* input length */
	size_t pos;         /* read position */
	long line;          /* 1-based line where the current record starts */
	long next_line;     /* line where the next record starts */
	struct buf field;   /* scratch: unescaped field bytes, NUL-separated */
	size_t *offs;       /* start offset of each field in field.p */
	size_t nfields;     /* fields in the current record */
	size_t cap;         /* capacity of offs */
	char **cols;        /* header names after csv_read_header(), owned */
	size_t ncols;       /* number of header columns */
	FILE *f;            /* streaming source, NULL for an in-memory text */
	char *win;          /* streaming window (p points here), owned */
	size_t win_cap;     /* allocated size of win */
	bool eof;           /* f is exhausted */
	bool started;       /* the first block was read (BOM checked) */
	long long consumed; /* bytes dropped from the window so far */
	void (*on_read)(void *ctx, const void *p, size_t n); /* sees every byte read from f, or NULL */
	void *on_read_ctx;  /* its first argument */
	char sep;           /* field separator: ',' unless csv_set_sep */
};

/* Starts reading text[0..n) named name. */
void csv_open(struct csv *c, const char *name, const char *text, size_t n);
/* Starts reading from f (not closed by csv_close) through a window that
 * holds at least one whole record: memory stays flat in the file size.
 * Records longer than 64 MiB are rejected. */
void csv_open_file(struct csv *c, const char *name, FILE *f);
/* Calls fn(ctx, bytes, n) for every block read from the file, in order,
 * so that a caller can hash the file in the same pass (set it before the
 * first read). */
void csv_on_read(struct csv *c, void (*fn)(void *ctx, const void *p, size_t n),
		 void *ctx);
/* Reads fields separated by sep (',', ';' or '\t') from now on. */
void csv_set_sep(struct csv *c, char sep);
/* The separator that --delimiter VALUE names: ',' or ';' as written, tab
 * as "tab" or "\t"; 0 for anything else. */
char csv_sep_parse(const char *value);
/* Bytes of input consumed so far (for progress). */
long long csv_offset(const struct csv *c);
void csv_close(struct csv *c);
/* Reads the next record.  Returns 1 when a record was read, 0 at end of
 * input, or a negative code (malformed quoting, invalid UTF-8, a read
 * error) with e set.  Blank lines are skipped. */
int csv_next(struct csv *c, struct cdg_err *e);
/* Field i of the current record ("" if i is past the end). */
const char *csv_field(const struct csv *c, size_t i);
/* Reads the first record as the header: names are trimmed, must be
 * non-empty and unique.  With the separator ',', a header of one field
 * holding ';' or a tab is refused (CDG_EINPUT, line 1): the file was
 * saved with that separator.  Returns 0 or a negative code. */
int csv_read_header(struct csv *c, struct cdg_err *e);
/* Index of header column name, or -1. */
long csv_col(const struct csv *c, const char *name);
/* Checks that every name in required (NULL-terminated) is a header
 * column; the error names the first missing one. */
int csv_require(const struct csv *c, const char *const *required,
		struct cdg_err *e);
/* Field of the current record under header column name ("" if the
 * column is absent). */
const char *csv_get(const struct csv *c, const char *name);
/* Checks the current record has exactly ncols fields. */
int csv_check_width(const struct csv *c, struct cdg_err *e);
/* True if s is a number written with a decimal comma ("0,75", "-1,5",
 * "1.234,5"), as a spreadsheet in such a locale saves it: a reader must
 * refuse it with CSV_DECIMAL_HINT, never read it as another number. */
bool csv_decimal_comma(const char *s);
#define CSV_DECIMAL_HINT "write it with a decimal point (0.75): set the " \
	"spreadsheet's decimal separator to '.' (Excel: File > Options > " \
	"Advanced) and save the file again"

/* ---- CSV writer ---------------------------------------------------------- */

/* Appends one field, quoted only when it has to be (comma, quote, CR, LF,
 * or leading/trailing space, a leading BOM); first says whether it starts
 * the record.  A field that csv_guarded finds is written with a leading
 * apostrophe, so that a spreadsheet shows it as text instead of running
 * it as a formula; csv_field removes that apostrophe on reading. */
void csv_put(struct buf *out, const char *s, bool first);
/* True if s would start a spreadsheet formula or could be taken for a
 * guarded cell: it begins with '=', '@', tab, CR or an apostrophe, or with
 * '+' or '-' and is not a plain number ("-3.5" stays as it is). */
bool csv_guarded(const char *s);
/* Ends a record with CRLF, as RFC 4180 says. */
void csv_endrow(struct buf *out);

/* ---- validated tables --------------------------------------------------- */

/* What a column must hold.  Empty cells are allowed unless required. */
enum col_kind {
	COL_TEXT,   /* any text */
	COL_ISO3,   /* three capital letters (ISO 3166-1 alpha-3) */
	COL_ISO2,   /* two capital letters */
	COL_DATE,   /* YYYY, YYYY-MM or YYYY-MM-DD, a real date */
	COL_YEAR,   /* 1900..2100 */
	COL_ENUM,   /* one of values */
	COL_URL,    /* http:// or https:// */
	COL_NUMBER, /* a finite decimal number */
	COL_PAST_DATE, /* a COL_DATE not after today (facts already happened) */
	COL_PAST_YEAR, /* a year from 1800 (old codes of law) not after this year */
};

struct col_spec {
	const char *name;            /* header name */
	enum col_kind kind;          /* what the cells must hold */
	bool required;               /* column present and cells non-empty */
	const char *const *values;   /* COL_ENUM: NULL-terminated choices */
};

/* A CSV file read against a spec: cells[r * ncols + c] in spec order ("" when
 * empty or the optional column is absent), lines[r] the file line of row r.
 * Everything lives in the arena passed to table_read. */
struct table {
	size_t nrows;
	size_t ncols;
	const char **cells;
	long *lines;
};

enum { TABLE_STRICT = 1 /* reject header columns not in the spec */ };

/* Reads and validates a whole CSV text.  The first bad cell stops it with
 * an error naming file, line and field.  key >= 0 makes that column a
 * unique key (duplicates rejected). */
int table_read(const char *name, const char *text, size_t n,
	       const struct col_spec *spec, size_t ncols, long key, int flags,
	       struct arena *a, struct table *out, struct cdg_err *e);
static inline const char *table_cell(const struct table *t, size_t r,
				     size_t c)
{
	return t->cells[r * t->ncols + c];
}

/* ---- national survey responses --------------------------------------------- */

/* One answer to one question.  Strings live in the document's arena; NULL
 * means absent.  line is where it was read (JSON: the line of its
 * "question" key; CSV: the record's line). */
struct sv_answer {
	const char *question;
	const char *answer;         /* a scale value, NULL if unanswered */
	const char *comment;
	const char **evidence;      /* URLs or document references */
	size_t n_evidence;
	const char *challenges;
	const char *capacity_needs;
	long line;
};

struct sv_response {
	const char *country;        /* as written (checked by the caller) */
	long year;
	bool synthetic;             /* demo data, never real */
	struct sv_answer *answers;
	size_t n_answers;
	long line;                  /* where the response starts */
};

struct sv_doc {
	struct arena arena;         /* owns everything */
	struct sv_response *responses;
	size_t n_responses;
};

#define SV_FORMAT "cdg-survey-response/1"

/* Parses a survey file: JSON (one response object, or an array of them)
 * or CSV (header country,year,question,answer,comment,evidence,
 * challenges,capacity_needs in any order; evidence items separated by
 * spaces; rows grouped into responses by country and year).  Syntax and
 * shape only: unknown keys, wrong types, malformed CSV.  Faults go to errs
 * (file, line, field); returns CDG_EINPUT if there was any. */
int sv_parse(struct sv_doc *d, const char *name, const char *text, size_t n,
	     struct err_list *errs);
void sv_free(struct sv_doc *d);
/* Writes one response as canonical JSON (answers in the given order). */
void sv_write_json(const struct sv_response *r, struct buf *out, bool pretty);
/* Writes responses as CSV with a header. */
void sv_write_csv(const struct sv_response *r, size_t n, struct buf *out);

/* ---- numbers --------------------------------------------------------------- */

/* Parses a whole decimal number (no trailing junk, finite).  Returns 0 or
 * CDG_EINPUT. */
int parse_double(const char *s, double *out);
/* Parses a whole base-10 integer in [min, max]. */
int parse_long(const char *s, long min, long max, long *out);


/* ---- index methodology ----------------------------------------------------- */

/* A methodology file (data/index/methodology.schema.json; explained in
 * docs/index-methodology.md): the hierarchy, the pipeline and the Monte
 * Carlo uncertainty analysis of a composite index.  meth_parse is pure
 * (text in, struct out) and checks everything the schema states plus the
 * tree rules (unique ids, parents one level up, one index, no empty
 * aggregate); errors give file, line (of the node's id or of the key),
 * field and node id, with CDG_EINPUT.  The pipeline maps onto the index
 * engine's own types, so this section includes index/index.h (types only;
 * formats does not link the engine).  Everything lives in m->arena until
 * meth_free(). */
#include "index/index.h"

struct meth_node {
	const char *id;      /* node code */
	const char *name;    /* "" if none */
	const char *parent;  /* parent id, NULL for the index */
	int level;           /* 1 = indicator */
	double weight;       /* relative to its siblings, >= 0 */
	int direction;       /* +1 higher is better, -1 lower (aggregates +1) */
	double gp_lo, gp_hi; /* goalposts in the indicator's unit, NAN if none */
	double target;       /* target value, NAN if none */
	const char *denom;   /* denominator name, NULL if none */
	long line;           /* line of its id in the file */
};

struct meth {
	struct arena arena;        /* owns everything below */
	const char *id;            /* methodology code */
	const char *title;
	struct meth_node *nodes;   /* in file order; NULL, 0 when absent */
	size_t n_nodes;
	struct idx_method method;  /* the pipeline; weights NULL */
	const char *group;         /* unit attribute for group imputation */
	bool has_uncertainty;      /* an "uncertainty" section was given */
	size_t mc_reps;            /* replications */
	uint64_t mc_seed;          /* seed */
	size_t sobol_n;            /* Sobol base sample by default, 0: none */
	double wnoise[IDX_MAX_LEVELS];        /* weight noise per level */
	size_t n_impute;                      /* alternatives, 0 = nominal */
	enum idx_impute_kind *impute;
	size_t n_winmax;
	int *winmax;
	size_t n_norm;
	struct idx_norm *norm;
	size_t n_agg;
	struct idx_agg_set *agg;
};

/* Parses text[0..n) named name into m.  On error m is freed. */
int meth_parse(struct meth *m, const char *name, const char *text, size_t n,
	       struct cdg_err *e);
void meth_free(struct meth *m);
/* The node with id, or NULL. */
const struct meth_node *meth_node(const struct meth *m, const char *id);
/* The Monte Carlo spec of m (pointers into m; target -1 = the index, one
 * thread). */
void meth_mc_spec(const struct meth *m, struct idx_mc_spec *s);


/* ---- accountability registry (issue 5) --------------------------------------
 *
 * Incidents, public attributions with the norms or rules of law they
 * invoke, state-linked actors and per-state documents (attribution
 * standards, deterrence doctrines, positions on international law), as
 * read from or written to CSV, cdg's registry JSON, STIX 2.1 bundles and
 * MISP galaxy cluster files.  docs/registry.md explains the records, the
 * confidence scale and how norm references are read.
 *
 * Parsers are pure: they resolve state names and codes through a
 * caller-built struct reg_names (no database), check dates, URLs, norm
 * letters and confidence, and report every fault to an err_list with file,
 * line (or STIX object id) and field; any fault means CDG_EINPUT and the
 * caller writes nothing.  Everything a parser returns lives in the set's
 * arena and arrays until reg_set_free(). */

/* What a reference in "norm or law invoked" is (docs/registry.md). */
enum reg_ref_kind {
	REG_NORM,          /* a GGE 2015 norm named by the statement */
	REG_NORM_MAPPING,  /* a norm mapped by the dataset ("cf. ..."), not stated */
	REG_IL,            /* a specific rule of international law */
	REG_COMMITMENT,    /* a named international (political) commitment */
	REG_GENERAL,       /* international law or the framework in general */
	REG_DOMESTIC_LAW,  /* a domestic criminal charge or statute */
	REG_SANCTIONS,     /* a sanctions regime */
	REG_OTHER,         /* anything else, kept as written */
	REG_NKINDS
};
/* "norm", "norm_mapping", "international_law", ... */
const char *reg_ref_kind_name(enum reg_ref_kind k);
/* The kind named s; -1 if none. */
int reg_ref_kind_parse(const char *s);
/* True for the kinds that name the breach (norm, rule of IL, commitment):
 * what indicator CDG6.2.1 counts. */
bool reg_ref_names_breach(enum reg_ref_kind k);

struct reg_ref {
	enum reg_ref_kind kind;
	char norm;                /* 'a'..'k' for norms and mappings, else 0 */
	const char *rule;         /* rule of IL ("sovereignty") or NULL */
	const char *text;         /* the reference as written */
	const char *articulation; /* how it was transgressed, NULL if unsaid */
};

/* Reads one reference: a letter "f", "13(f)", "norm 13(f)" or "norm f"
 * (optionally followed by ": how it was transgressed"), a text holding
 * "cf. GGE 2015 norm 13(f)" (a mapping), or free text classified by the
 * keywords of docs/registry.md.  Letters outside a-k are CDG_EINPUT (e
 * has the reason, no location).  Strings go to a. */
int reg_ref_parse(const char *text, struct arena *a, struct reg_ref *out,
		  struct cdg_err *e);
/* Splits a "norm_or_law_invoked" cell at ';' (outside parentheses) and
 * reads each part; returns the count or CDG_EINPUT. */
int reg_refs_parse(const char *cell, struct arena *a, struct reg_ref **out,
		   struct cdg_err *e);

/* Confidence on STIX 2.1's 0-100 scale: an integer, or a word of the
 * STIX "None/Low/Med/High" scale or the UK PHIA probability yardstick
 * ("highly likely" = 85).  "" gives -1 (not stated). */
int reg_confidence_parse(const char *s, int *out);

/* True if the latest day date b can mean precedes the earliest day date
 * a can mean (both ISO, "YYYY", "YYYY-MM" or "YYYY-MM-DD"). */
bool reg_date_before(const char *b, const char *a);
/* True if every day date d can mean is after today (UTC). */
bool reg_date_future(const char *d);

/* ---- names of States (names.c) ---------------------------------------------
 *
 * The one matcher every importer uses for State names and codes (issue
 * 16).  The caller fills it: each UN member or observer State with its
 * codes, UN name and ISO name (reg_names_add), every row of
 * data/reference/state_aliases.csv (reg_names_alias) and every non-UN
 * entity of data/reference/non_un_entities.csv (reg_names_add_entity).
 * Codes match as written (ISO alpha-3 or alpha-2, in capitals).  Names
 * match by a key: diacritics folded (Cote d'Ivoire = Côte d'Ivoire),
 * case, spaces, punctuation and the word "the" ignored, apostrophes
 * joining, "&" read as "and" and "St" as "Saint"; failing that, without a
 * parenthesised qualifier, then inverted ("Congo, Democratic Republic of
 * the" and "Korea (Republic of)" as "Democratic Republic of the Congo" and
 * "Republic of Korea").  The first State to claim a key keeps it.  A
 * non-UN entity (Taiwan, Kosovo, Hong Kong ...) is never a State: it is
 * found only by reg_names_entity().  Everything lives in the table's arena
 * until reg_names_free(); returned codes compare by value. */
struct reg_entity {
	const char *code;          /* ISO alpha-3, or user-assigned ("XKX") */
	const char *iso2;          /* alpha-2 or NULL */
	const char *name;          /* as cdg names it ("Taiwan") */
	const char *kind;          /* territory, disputed_status ... */
};
struct reg_name_key {
	const char *key;           /* a name's key */
	const char *iso3;          /* the State it names */
};
struct reg_names {
	struct strmap states;      /* key or "=CODE" -> iso3 */
	struct strmap entities;    /* key or "=CODE" -> struct reg_entity */
	struct strmap shown;       /* iso3 -> UN name, for messages */
	struct reg_name_key *keys; /* every State key, for suggestions */
	size_t n_keys, cap_keys;
	struct arena arena;        /* keys, codes, entities */
};
void reg_names_init(struct reg_names *n);
void reg_names_free(struct reg_names *n);
/* Adds one State: codes, UN name and ISO name (also inverted). */
void reg_names_add(struct reg_names *n, const char *iso3, const char *iso2,
		   const char *name, const char *iso_name);
/* Adds another name of the State iso3. */
void reg_names_alias(struct reg_names *n, const char *alias, const char *iso3);
/* Adds a non-UN entity with its codes, name and ';'-separated aliases. */
void reg_names_add_entity(struct reg_names *n, const char *code,
			  const char *iso2, const char *name, const char *kind,
			  const char *aliases);
/* The iso3 of the State text names or codes, or NULL (a non-UN entity is
 * NULL here). */
const char *reg_names_state(const struct reg_names *n, const char *text);
/* The non-UN entity text names or codes, or NULL. */
const struct reg_entity *reg_names_entity(const struct reg_names *n,
					  const char *text);
/* The UN name of iso3 (iso3 itself if unknown). */
const char *reg_names_shown(const struct reg_names *n, const char *iso3);
/* The UN name of the State whose name is closest to text (a slip of one
 * letter in four, at most two), or NULL. */
const char *reg_names_suggest(const struct reg_names *n, const char *text);
/* Why text names no State, for a fault message (in a): "\"TW\" is Taiwan
 * (TWN), a non-UN entity, not a UN member or observer State", or
 * "unknown state \"X\"" with the closest name if one is close. */
const char *reg_names_why(const struct reg_names *n, const char *text,
			  struct arena *a);
/* The canonical name of an international organisation, or NULL. */
const char *reg_names_org(const char *text);

struct reg_response {
	const char *kind;         /* sanctions|indictment|expulsion|demarche|other */
	const char *date;         /* ISO date or NULL */
	const char *description;
	const char *url;          /* or NULL */
};

struct reg_attr {
	const char *id;           /* stable id */
	const char *incident;     /* id of its incident */
	const char *party_kind;   /* state|state_group|organisation|company */
	const char *party_name;   /* as written (canonical for organisations) */
	const char *party_iso3;   /* a state's code, else NULL */
	const char **members;     /* state_group: member codes */
	size_t n_members;
	const char *target_iso3;  /* the state attributed to, or NULL */
	const char *actor;        /* the actor named, as written, or NULL */
	const char *actor_id;     /* its reg_actor id (STIX id), or NULL */
	const char *date;         /* of the statement */
	const char *title, *url;  /* the statement */
	int confidence;           /* 0-100, -1 not stated */
	const char *basis;        /* technical|political|legal or NULL */
	const char *standard;     /* id of the standard applied, or NULL */
	const char *invoked;      /* norm_or_law_invoked as written; NULL:
				     not verified (empty in the file) */
	struct reg_ref *refs;
	size_t n_refs;
	struct reg_response *responses;
	size_t n_responses;
	const char *note;
	const char *created, *modified; /* STIX timestamps of this version
				     (YYYY-MM-DDTHH:MM:SS.sssZ), NULL: unknown */
	long line;                /* where it was read */
};

struct reg_incident {
	const char *id;           /* stable id (a uuid; STIX id without type) */
	const char *title;
	const char *start, *end;  /* ISO dates or NULL */
	const char *description;
	const char **effects;     /* disruption, destruction, data-theft ... */
	size_t n_effects;
	int cert_targeted;        /* norm k: 1, 0, -1 unknown */
	const char **victims;     /* state codes (read from the database for
				   * export: also the names of non-UN victims) */
	size_t n_victims;
	const char **victim_entities; /* non-UN entity codes (parsers) */
	size_t n_victim_entities;
	const char **sectors;     /* sector ids */
	size_t n_sectors;
	const char **sources;     /* URLs */
	size_t n_sources;
	const char *created, *modified; /* as for reg_attr */
	long line;
};

/* An actor attributed to another actor: an intrusion set to the threat
 * actor behind it (a STIX attributed-to relationship between the two,
 * such as APT1 to Unit 61398 in OASIS's apt1.json). */
struct reg_actor_rel {
	const char *target;       /* id of the actor attributed to */
	int confidence;           /* 0-100, -1 not stated */
	const char *source;       /* where it was read: the relationship's id */
};

struct reg_actor {
	const char *id;           /* STIX id ("intrusion-set--...") */
	const char *kind;         /* intrusion-set|threat-actor */
	const char *name;
	const char **aliases;
	size_t n_aliases;
	const char *sponsor;      /* alleged sponsor as written, or NULL */
	const char *sponsor_iso3; /* resolved, or NULL */
	const char *sponsor_entity; /* a non-UN entity's code, or NULL */
	int confidence;           /* of the sponsorship, -1 not stated */
	const char *description;
	const char **refs;        /* source URLs */
	size_t n_refs;
	struct reg_actor_rel *rels; /* what this actor is attributed to */
	size_t n_rels;
	const char *created, *modified; /* as for reg_attr */
	long line;
};

enum reg_doc_kind { REG_STANDARD, REG_DOCTRINE, REG_POSITION };

struct reg_doc {
	enum reg_doc_kind kind;
	const char *id;
	const char *iso3;
	const char *title, *date, *url;
	const char *doc_type;     /* positions: speech, paper ... */
	const char *summary;      /* doctrines */
	const char **criteria;    /* standards: the criteria they set out */
	size_t n_criteria;
	const char *note;
	long line;
};

struct reg_find;
struct reg_set {
	struct arena arena;       /* strings and small arrays */
	struct reg_incident *incidents; size_t n_incidents, cap_incidents;
	struct reg_attr *attrs;   size_t n_attrs, cap_attrs;
	struct reg_actor *actors; size_t n_actors, cap_actors;
	struct reg_doc *docs;     size_t n_docs, cap_docs;
	long stix_skipped;        /* STIX objects of other types, ignored */
	/* Incident identity: reg_title_key() of each title -> incident id.
	 * Parsers add what they read; a caller may fill it first with the
	 * incidents it already holds, so that a title read again (in any
	 * case or spacing) finds the id it was given at creation. */
	struct strmap incident_keys;
	struct strmap incident_at;  /* incident id -> 1 + its index (CSV) */
	/* The duplicate check of reg_read_attr, linear in the attributions:
	 * attribution id -> 1 + index of the last one with that id, and for
	 * each attribution 1 + index of the one before it with its id (0:
	 * none).  Attributions from n_attr_seen on are entered when the next
	 * is read, so their ids must be set by then. */
	struct strmap attr_at;
	size_t *attr_prev;
	size_t n_attr_seen, cap_attr_prev;
	struct reg_find *find;    /* incidents by id for reg_find_incident,
				     owned; it enters the incidents added since
				     its last lookup, so an incident's id must
				     be set before the next lookup and not
				     change after */
	char csv_sep;             /* field separator reg_csv_parse reads: 0
				     for ',', or ';' or '\t' */
};

void reg_set_init(struct reg_set *s);
void reg_set_free(struct reg_set *s);
/* New zeroed records appended to s (pointers valid until the next add). */
struct reg_incident *reg_add_incident(struct reg_set *s);
struct reg_attr *reg_add_attr(struct reg_set *s);
struct reg_actor *reg_add_actor(struct reg_set *s);
struct reg_doc *reg_add_doc(struct reg_set *s);
/* The incident with id (the first, if several have it), or NULL; a hash
 * lookup. */
const struct reg_incident *reg_find_incident(const struct reg_set *s,
					     const char *id);

/* Name-based (v5) UUID of kind and name in cdg's namespace, as text. */
void reg_uuid(const char *kind, const char *name, char out[37]);

/* The key by which incident titles are matched (docs/registry.md,
 * "Identity"): spaces trimmed, runs of white space made one space,
 * letters case-folded (ASCII, and Latin-1 Supplement and Latin
 * Extended-A letters written in UTF-8).  In a. */
const char *reg_title_key(struct arena *a, const char *title);
/* The incident id for a title: the one s->incident_keys holds for its
 * key, else the name-based UUID of the key (then remembered). */
const char *reg_incident_id(struct reg_set *s, const char *title);
/* Remembers that incident id has title (the first spelling wins). */
void reg_incident_key(struct reg_set *s, const char *title, const char *id);
/* The canonical form of a record id read from a file: an incident's is
 * its UUID alone ("incident--U" and "campaign--U" give "U"); other ids
 * are returned as they are.  In a. */
const char *reg_incident_uuid(struct arena *a, const char *id);

/* Actors of different sources that are the same group (docs/registry.md,
 * "Actor identity"): a and b (indexes into the set's actors) and why. */
struct reg_actor_link {
	size_t a, b;
	const char *basis;        /* "ATT&CK group G0034", "name \"APT28\" ..." */
};
/* Every link between the actors of s, ordered by a then b; *n gets the
 * count.  origins[i] names where actor i came from (links join actors of
 * different origins only; NULL: all differ).  Free with free(); basis
 * strings live in s's arena. */
struct reg_actor_link *reg_actor_links(struct reg_set *s,
				       const char *const *origins, size_t *n);

/* CSV: header incident,incident_date,attributing_party,attributed_to,
 * attribution_date,statement_title,norm_or_law_invoked,source_url (any
 * order) and optionally confidence, basis, note, party_kind; the seed
 * file's names (attributing_state_or_org, attributing_iso3,
 * attributed_to_iso3, attributed_actor, source_note) are read too.
 * attributed_to is a state, or "ACTOR (STATE)".  One row per attributing
 * party; rows of one incident share its title and date. */
int reg_csv_parse(struct reg_set *s, const char *name, const char *text,
		  size_t n, const struct reg_names *names,
		  struct err_list *errs);
/* Writes every attribution as one CSV row (the eight columns, then
 * party_kind, confidence, basis, note, stated_kind, our_mapping and
 * attributed_actor: the actor's name alone, so that a name that is also
 * a state's, such as "Russian Federation", reads back as an actor). */
void reg_csv_write(const struct reg_set *s, struct buf *out);

/* cdg's registry JSON ("format": "cdg-registry/1"): full records. */
#define REG_JSON_FORMAT "cdg-registry/1"
int reg_json_parse(struct reg_set *s, const char *name, const char *text,
		   size_t n, const struct reg_names *names,
		   struct err_list *errs);
void reg_json_write(const struct reg_set *s, struct jw *w);

/* STIX 2.1: writes a bundle (identities for parties and states, incidents
 * with the Incident Core Extension, intrusion sets and threat actors,
 * attributed-to relationships, one report per statement, notes carrying
 * the norm articulations, confidence and external references).  Every
 * object's created and modified are its record's (objects a record
 * implies share them); now stands in for a record that has none
 * ("YYYY-MM-DDTHH:MM:SS.000Z").  The bundle's id is a name-based UUID of
 * its objects, so the same records give the same bytes. */
void stix_write(const struct reg_set *s, const char *now, struct buf *out);
/* Reads a STIX 2.1 bundle (or one object): incidents, intrusion sets,
 * threat actors, campaigns (as incidents), identities and attributed-to
 * relationships; other types are counted in stix_skipped.  Objects that
 * break the spec (missing id/type/created/modified, bad id, bad
 * timestamp, confidence outside 0-100, modified < created) are faults
 * named by object id. */
int stix_parse(struct reg_set *s, const char *name, const char *text,
	       size_t n, const struct reg_names *names, struct err_list *errs);
/* Reads a MISP galaxy cluster file (threat-actor.json): each value is an
 * actor with its synonyms, alleged sponsor (cfr-suspected-state-sponsor,
 * else country) and attribution-confidence. */
int misp_parse(struct reg_set *s, const char *name, const char *text,
	       size_t n, const struct reg_names *names, struct err_list *errs);


/* ---- capacity building and agreements (issue 8) ------------------------------
 *
 * Capacity-building initiatives (docs/capacity.md) as CSV or cdg's capacity
 * JSON, and the map of agreements (docs/agreements.md): agreements with
 * their commitments mapped to GGE norms, CDGs or industry norms, the
 * industry norms themselves, and companies' commitments to them with
 * evidence.  Parsers are pure: codes are checked against caller-built
 * sets (struct cap_known), every fault goes to an err_list with file, line
 * and field, and any fault means CDG_EINPUT (the caller writes nothing).
 * Everything returned lives in the set's arena until *_set_free(). */
#include "capacity/capacity.h"

/* Codes a record may use: keys of each map (values non-NULL). */
struct cap_known {
	const struct strmap *states;   /* ISO 3166 alpha-3 */
	const struct strmap *goals;    /* CDG ids */
	const struct strmap *norms;    /* GGE norm letters a-k */
	const struct strmap *industry; /* industry norm ids (agreements) */
	const struct reg_names *names; /* to name a non-UN entity in a fault,
					* or NULL */
};

/* True for an active ISO 4217 currency code ("EUR"). */
bool fmt_currency_ok(const char *s);
/* True for a record id: 1-64 of letters, digits, '-', '_', '.'. */
bool fmt_id_ok(const char *s);

struct cap_set {
	struct arena arena;            /* strings and lists */
	struct cap_initiative *v;      /* initiatives in file order */
	size_t n, cap;
	char csv_sep;                  /* field separator cap_csv_parse reads:
					  0 for ',', or ';' or '\t' */
};
void cap_set_init(struct cap_set *s);
void cap_set_free(struct cap_set *s);

#define CAP_JSON_FORMAT "cdg-capacity/1"
/* CSV: header id,title,donors,beneficiaries,status,source_url and goals
 * and/or norms (any order), optionally implementers, start_date,
 * end_date, budget, currency, synthetic, note.  Lists are separated by
 * ';'.  A beneficiary is an ISO 3166 alpha-3 code, region:LABEL or
 * GLOBAL.  Checks: unique ids, known states, goals and norms, real
 * dates with the end not before the start, a budget >= 0 with an ISO
 * 4217 currency, a status of planned|ongoing|completed|cancelled, an
 * http(s) source. */
int cap_csv_parse(struct cap_set *s, const char *name, const char *text,
		  size_t n, const struct cap_known *k, struct err_list *errs);
/* JSON {"format": "cdg-capacity/1", "initiatives": [{the CSV's fields,
 * lists as arrays, budget a number, synthetic a boolean}]}; the same
 * checks, and unknown keys are faults. */
int cap_json_parse(struct cap_set *s, const char *name, const char *text,
		   size_t n, const struct cap_known *k, struct err_list *errs);
void cap_csv_write(const struct cap_initiative *v, size_t n, struct buf *out);
void cap_json_write(const struct cap_initiative *v, size_t n, struct jw *w);
/* One initiative as a JSON object (the keys of the JSON format). */
void cap_json_write_one(const struct cap_initiative *in, struct jw *w);

struct agr_industry_norm {
	const char *id;                /* IND1 ... */
	const char *title;
	const char *paraphrase;        /* in our own words */
	const char *source;            /* URL */
	long line;
};

struct agr_participant {
	const char *name;
	const char *iso3;              /* a state's code, else NULL */
	const char *kind;              /* state|company|organisation|civil_society|other */
	const char *role;              /* e.g. signatory, party, supporter */
	const char *date;              /* when it joined, NULL if not known */
	const char *source;            /* URL */
	/* A participant from the desk-research list
	 * (data/evidence/agreement_participants.csv) has its status in that
	 * list and the day its source was checked; NULL for the others. */
	const char *status, *checked, *note;
};

struct agr_commitment {
	const char *id;                /* unique within its agreement */
	const char *text;              /* paraphrase, never quoted text */
	const char *where;             /* paragraph or article, NULL if none */
	const char *force;             /* obligation|commitment|recommendation */
	const char **maps;             /* norm letters, CDG ids, industry ids */
	size_t n_maps;
	long line;
};

struct agr_agreement {
	const char *id, *name, *short_name;
	long year;
	const char *date;              /* adopted or launched */
	const char *type;              /* single_group|multistakeholder|binding */
	const char **groups;           /* stakeholder groups that made it */
	size_t n_groups;
	const char **objectives;
	size_t n_objectives;
	const char *compliance;        /* none|reporting|peer_review|legal_obligation */
	const char *compliance_note;
	const char *treaty;            /* treaty table id of its parties, or NULL */
	struct agr_participant *participants;
	size_t n_participants;
	const char *participants_note; /* what is missing, NULL if nothing */
	struct agr_commitment *commitments;
	size_t n_commitments;
	const char *source, *source_note;
	long line;
};

struct agr_company {
	const char *id;
	const char *company;
	const char *norm;              /* industry norm id */
	const char *text;              /* the commitment, paraphrased */
	const char *date;
	const char *evidence;          /* URL */
	const char *note;
	bool synthetic;
	long line;
};

struct agr_set {
	struct arena arena;
	struct agr_industry_norm *norms; size_t n_norms;
	struct agr_agreement *agreements; size_t n_agreements;
	struct agr_company *companies; size_t n_companies;
	char csv_sep;                  /* field separator of the companies CSV:
					  0 for ',', or ';' or '\t' */
};
void agr_set_init(struct agr_set *s);
void agr_set_free(struct agr_set *s);

#define AGR_JSON_FORMAT "cdg-agreements/1"
/* {"format": "cdg-agreements/1", "industry_norms": [...], "agreements":
 * [...]} (docs/agreements.md).  Industry norm ids defined here are added
 * to those k->industry knows when checking commitment maps. */
int agr_json_parse(struct agr_set *s, const char *name, const char *text,
		   size_t n, const struct cap_known *k, struct err_list *errs);
/* Company commitments CSV: id,company,norm,commitment,date,evidence_url
 * [,note,synthetic]; norm must be an industry norm of s or k->industry. */
int agr_companies_csv_parse(struct agr_set *s, const char *name,
			    const char *text, size_t n,
			    const struct cap_known *k, struct err_list *errs);
/* The writers of the two files above (cdg agreements export): what they
 * write, the parsers read back to the same set, in the same order. */
void agr_json_write(const struct agr_set *s, struct jw *w);
void agr_companies_csv_write(const struct agr_set *s, struct buf *out);

#endif
