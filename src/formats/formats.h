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
 * start is skipped.  The reader works on a caller-owned buffer that must
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
};

/* Starts reading text[0..n) named name. */
void csv_open(struct csv *c, const char *name, const char *text, size_t n);
/* Starts reading from f (not closed by csv_close) through a window that
 * holds at least one whole record: memory stays flat in the file size.
 * Records longer than 64 MiB are rejected. */
void csv_open_file(struct csv *c, const char *name, FILE *f);
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
 * non-empty and unique.  Returns 0 or a negative code. */
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

/* ---- CSV writer ---------------------------------------------------------- */

/* Appends one field, quoted only when it has to be (comma, quote, CR, LF,
 * or leading/trailing space, a leading BOM); first says whether it starts the record. */
void csv_put(struct buf *out, const char *s, bool first);
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

#endif
