/*
 * app: one function per use case.  The CLI and the HTTP server both call
 * these and hold no business logic of their own.  A use case validates
 * its whole input before writing anything, runs its writes in one store
 * transaction on behalf of an actor, and reports failures through struct
 * cdg_err (CDG_EINPUT for rejected input, with file, line and field).
 *
 * A struct app is one open database plus the catalog read back from it;
 * like struct store it belongs to one thread.
 */
#ifndef CDG_APP_H
#define CDG_APP_H

#include "base/base.h"
#include "framework/framework.h"

struct store;

struct app {
	struct store *st;        /* the open database */
	struct fw_catalog cat;   /* the catalog stored in it */
	char *db_path;           /* path it was opened from */
	bool local;              /* opened by the operator of the database file
				    (the CLI): see app_set_local */
	char csv_sep;            /* field separator of the CSV files its imports
				    read (data, registry, capacity, agreements,
				    crime): 0 for ',', or what
				    the CLI's --delimiter gives (';', '\t') */
};

/* What cdg init did. */
struct app_init_report {
	bool created;             /* a new database file was made */
	int schema_version;       /* schema after migration */
	long long rows_written;   /* rows inserted or changed (0: all current) */
	size_t n_norms, n_goals, n_targets, n_indicators, n_questions;
	size_t n_countries;       /* reference: UN members and observers */
	size_t n_treaty_parties;  /* reference: Budapest/CETS 224 rows */
};

/* Creates (or migrates and refreshes) the database at db_path with the
 * catalog from data_dir/framework and the reference data from
 * data_dir/reference.  Everything is validated first; if anything is
 * wrong nothing is written, and a database that did not exist before is
 * not left behind. */
int app_init(const char *db_path, const char *data_dir, const char *actor,
	     struct app_init_report *rep, struct cdg_err *e);

/* Opens an existing database for use (read-write unless readonly) and
 * reads its catalog.  Refuses a database that needs migrating. */
int app_open(struct app *a, const char *db_path, bool readonly,
	     struct cdg_err *e);
void app_close(struct app *a);
/* Marks a as opened by whoever holds the database file (the CLI), so that
 * its internal actors ("system", "demo", "cli:USER") act as the local
 * operator.  Never called by the HTTP server: there every actor is an
 * account, whatever its name. */
void app_set_local(struct app *a);
/* Whether actor is the local operator: a was opened by the CLI and actor
 * is one of the internal names, which no account can bear. */
bool app_is_operator(const struct app *a, const char *actor);
/* Whether name is reserved for cdg's internal actors (any case). */
bool app_name_reserved(const char *name);

/* The catalog part ("norms", "goals", "indicators", "survey", "all"). */
int app_framework_json(struct app *a, const char *part, struct jw *w,
		       struct cdg_err *e);
/* Everything known of one state: identity, UN membership, treaties, with
 * sources.  CDG_ENOTFOUND for a well-formed unknown code, CDG_EUSAGE for
 * a malformed one. */
int app_country_json(struct app *a, const char *iso3, struct jw *w,
		     struct cdg_err *e);
/* 0 if iso3 is a known state; the errors of app_country_json otherwise. */
int app_state_check(struct app *a, const char *iso3, struct cdg_err *e);
/* All states, with UN status and Budapest status. */
int app_countries_json(struct app *a, struct jw *w, struct cdg_err *e);
/* The State a search box's text q names or codes, in any case and with or
 * without diacritics ("fra", "Côte d'Ivoire", "cote divoire", "UK"): the
 * one matcher of the importers (formats.h, names of States) with the
 * aliases of state_alias.  {"query", "iso3", "name"}; CDG_ENOTFOUND with
 * the closest name, or what a non-UN entity is, when it names none;
 * CDG_EUSAGE for an empty q. */
int app_country_resolve_json(struct app *a, const char *q, struct jw *w,
			     struct cdg_err *e);
/* Changes whenever the database may have changed (for response caches). */
long long app_data_version(struct app *a);
/* Liveness and what the database holds. */
int app_health_json(struct app *a, struct jw *w, struct cdg_err *e);

/* ---- indicator observations (data) ------------------------------------- */

struct app_import_opts {
	long long max_bytes;   /* larger files are refused (0: 2 GiB) */
	bool synthetic;        /* mark every row synthetic (demo data) */
	const char *kind;      /* import_batch kind, NULL: "observations" */
	const char *source_type; /* self_reported | desk_research | derived;
				    NULL: desk_research (store_source_type_of) */
};

struct app_import_report {
	const char *format;    /* "csv", "sdmx-csv-1.0" or "sdmx-csv-2.0" */
	long rows;             /* data rows read */
	long written;          /* rows inserted or superseding older values */
	long unchanged;        /* rows identical to the current value */
	long missing;          /* SDMX rows with OBS_VALUE NaN/empty, skipped */
};

/* Imports observations from a CSV file (header `indicator,country,year,
 * value,source_url[,note]`, any order) or an SDMX-CSV 1.0/2.0 message,
 * streaming.  Every row is checked; each fault goes to errs (file, line,
 * field, reason).  If there is any fault nothing is written and the
 * return is CDG_EINPUT. */
int app_data_import(struct app *a, const char *path, const char *actor,
		    const struct app_import_opts *opt,
		    struct app_import_report *rep, struct err_list *errs,
		    struct cdg_err *e);

enum app_data_format { APP_DATA_CSV, APP_DATA_SDMX };

/* Current observations with their provenance (source, note, synthetic,
 * who entered them and when, the import batch), optionally of one state,
 * indicator and/or year (NULL/0: any), ordered by indicator, state and
 * year, as {"items": [...], "page", "per_page", "total"}: the page is
 * read from the database, not cut from the whole list. */
int app_observations_json(struct app *a, const char *iso3,
			  const char *indicator, long year, long page,
			  long per_page, struct jw *w, struct cdg_err *e);

/* ---- accounts, roles, sessions ------------------------------------------------ */

/* What a use case does, for the role check. */
enum app_action {
	APP_SURVEY_EDIT,    /* import or edit a draft, submit it */
	APP_SURVEY_REVIEW,  /* validate, return, publish, reopen */
	APP_DATA_WRITE,     /* observations */
	APP_REGISTRY_WRITE, /* incidents, attributions, standards... */
	APP_INDEX_WRITE,    /* compute and publish index editions */
	APP_ACCOUNTS,       /* manage accounts and tokens */
	APP_FORUM_WRITE,    /* submit proposals, comments, endorsements
			       (also: speak for an accredited organisation
			       one belongs to, checked by app/forum.c) */
	APP_FORUM_ADMIN,    /* accredit, sessions, items, documents,
			       decisions, actions: the secretariat */
	APP_CAPACITY_WRITE, /* capacity-building initiatives and agreements */
};

/* Whether actor may do act (about state iso3, or NULL).  The local
 * operator (app_is_operator: the CLI, which holds the database file)
 * may do everything; any other actor is an account, and its role
 * decides: focal points edit and submit their own state's survey;
 * editors write observations, the registry and capacity data (initiatives,
 * agreements); the secretariat reviews surveys, publishes the index,
 * manages accounts, may do what editors do and runs the forum
 * (APP_FORUM_ADMIN); every account may write to the forum on behalf of
 * an accredited organisation it belongs to (checked in app/forum.c).
 * CDG_EPERM with the reason otherwise. */
int app_authorize(struct app *a, const char *actor, enum app_action act,
		  const char *iso3, struct cdg_err *e);
/* Adds an account (actor must manage accounts).  role: stakeholder,
 * focal_point (iso3 required), editor, secretariat.  The password is
 * stored as an Argon2id hash; NULL makes an account that only uses API
 * tokens. */
int app_user_add(struct app *a, const char *actor, const char *name,
		 const char *role, const char *iso3, const char *password,
		 struct cdg_err *e);
/* Checks name and password; opens a session of 12 hours.  token and csrf
 * receive 64 hex characters each.  Wrong credentials: CDG_EPERM with one
 * message whatever was wrong. */
int app_login(struct app *a, const char *name, const char *password,
	      char token[65], char csrf[65], struct cdg_err *e);
/* An API token for scripts, valid for days; printed once, stored hashed. */
int app_token_create(struct app *a, const char *actor, const char *name,
		     int days, const char *label, char token[65],
		     struct cdg_err *e);
/* Account administration (actor must manage accounts; each change is one
 * audited transaction).  Disabling an account ends all its sessions and
 * tokens; a new password ends its sign-in sessions; *revoked (may be
 * NULL) gets how many were ended.  Reserved names cannot be enabled. */
int app_user_enable(struct app *a, const char *actor, const char *name,
		    bool enable, long long *revoked, struct cdg_err *e);
int app_user_passwd(struct app *a, const char *actor, const char *name,
		    const char *password, long long *revoked, struct cdg_err *e);
/* Revokes the API token with id (8+ hex digits of cdg token list);
 * account gets whose it was. */
int app_token_revoke(struct app *a, const char *actor, const char *id,
		     char account[128], struct cdg_err *e);
/* Accounts (name, role, country, disabled, password, created_at) and API
 * tokens (of account name, or all when NULL) as JSON arrays. */
int app_users_json(struct app *a, const char *actor, struct jw *w,
		   struct cdg_err *e);
int app_tokens_json(struct app *a, const char *actor, const char *name,
		    struct jw *w, struct cdg_err *e);
/* The account behind a live session or token. */
int app_session(struct app *a, const char *token, char name[128],
		char role[24], char iso3[4], char csrf[65], char kind[16],
		struct cdg_err *e);
int app_logout(struct app *a, const char *token, struct cdg_err *e);

/* ---- demo ------------------------------------------------------------------ */

struct app_demo_report {
	size_t states;         /* states given a synthetic response */
	size_t responses;      /* responses (states x years) */
};

/* Loads a SYNTHETIC survey round so that a new user can explore the
 * dashboards before real responses exist: deterministic made-up answers
 * for n_states states (0: 40) in two years, published through the normal
 * workflow by the actor "demo".  Every response, answer and derived value
 * is flagged synthetic and says so in its text.  Refuses to run twice. */
int app_demo(struct app *a, size_t n_states, struct app_demo_report *rep,
	     struct cdg_err *e);

/* ---- dashboards and gaps --------------------------------------------------- */

/* SDG-style dashboard of one state: per goal a rating and a trend, per
 * indicator its latest value up to year (0: this year), rating, trend and
 * source.  Rules in src/progress/progress.h and docs/dashboards.md. */
/* The State's own report beside desk research: for each indicator with a
 * self_report question the State answered in its latest published survey
 * response (up to year, 0: this year), the indicator's current value with
 * its source type and the answer, with "disagreement" true when a yes/no
 * answer says the opposite of a value that is not itself self-reported. */
int app_self_checks_json(struct app *a, const char *iso3, long year,
			 struct jw *w, struct cdg_err *e);
int app_dashboard_json(struct app *a, const char *iso3, long year,
		       struct jw *w, struct cdg_err *e);
/* What a state lacks against the CDG minimum framework: every indicator
 * whose target is not met or that has no value, by priority, with the
 * capacity needs the state reported for that goal and the evidence.
 * iso3 NULL: every state.  As JSON, or as CSV (one row per gap). */
int app_gaps_json(struct app *a, const char *iso3, long year, struct jw *w,
		  struct cdg_err *e);
/* Calls fn for each gap of a state (iso3) or of every state (NULL), in
 * the order cdg gaps prints them, with the capacity needs the state
 * reported for the goal ("QUESTION: text | ...", NULL if none); *year 0
 * means the current year and is set to the year used. */
typedef void (*app_gap_fn)(void *ctx, const char *iso3, const char *goal,
			   const char *indicator, int priority,
			   const char *status, bool synthetic, const char *needs);
int app_gaps_each(struct app *a, const char *iso3, long *year, app_gap_fn fn,
		  void *ctx, struct cdg_err *e);
int app_gaps_csv(struct app *a, const char *iso3, long year, struct buf *out,
		 struct cdg_err *e);

/* ---- national survey --------------------------------------------------------- */

struct app_survey_report {
	size_t responses;      /* responses in the file */
	size_t answers;        /* answers in the file */
	int revision;          /* revision written (last response) */
};

/* Imports survey responses (JSON or CSV, see formats.h) as new draft
 * revisions.  Checks every answer against the catalog (known question,
 * an option of its scale, evidence where the question requires it for a
 * positive answer, no question twice) and the state's response status
 * (only drafts can be replaced).  Any fault: all listed in errs, nothing
 * written, CDG_EINPUT. */
int app_survey_import(struct app *a, const char *path, const char *actor,
		      bool synthetic, struct app_survey_report *rep,
		      struct err_list *errs, struct cdg_err *e);
/* The same for a file's text already in memory (HTTP uploads); name is
 * used in messages. */
int app_survey_import_text(struct app *a, const char *name, const char *text,
			   size_t len, const char *actor, bool synthetic,
			   struct app_survey_report *rep, struct err_list *errs,
			   struct cdg_err *e);
/* Moves a response through its workflow: action is "submit" (draft ->
 * submitted), "return" (submitted or validated -> draft), "validate"
 * (submitted -> validated), "publish" (validated -> published: computes
 * the survey-based indicators into observations) or "reopen" (published
 * -> draft).  Each move is a new revision with who and when. */
int app_survey_move(struct app *a, const char *iso3, long year,
		    const char *action, const char *actor, struct cdg_err *e);
/* Derives CDG9.1.1 for every State and every year from the first
 * submission of a published response to this year, inside the open
 * transaction: 1 when the State has a published response submitted in the
 * 24 months before the reference date, 31 December of the observation
 * year; 0 otherwise (responses are made in cdg, so none is a 0, not a gap).
 * Values that change supersede the earlier ones.  Run at each publication
 * and by cdg init, so a new year gets its values. */
int app_survey_recency(struct store *st, const struct fw_catalog *cat,
		       struct cdg_err *e);
/* The response (revision 0: current) as a survey file: JSON or CSV. */
int app_survey_export(struct app *a, const char *iso3, long year,
		      int revision, bool csv, struct buf *out,
		      struct cdg_err *e);
/* Revisions of a response: number, status, action, who, when. */
int app_survey_history_json(struct app *a, const char *iso3, long year,
			    struct jw *w, struct cdg_err *e);
/* All responses: state, year, status, synthetic.  Callers who may not
 * review surveys (the public, stakeholders...) see only responses with a
 * published revision. */
int app_survey_list_json(struct app *a, const char *actor, struct jw *w,
			 struct cdg_err *e);
/* Which revision actor may read (*revision 0: the current one).  The
 * state's focal point and the secretariat read every revision; everyone
 * else reads only published ones, 0 meaning the latest published;
 * CDG_ENOTFOUND when there is none. */
int app_survey_readable(struct app *a, const char *actor, const char *iso3,
			long year, int *revision, struct cdg_err *e);

/* Writes the current observations (optionally of one indicator and/or
 * state) to f as CSV (re-importable, with provenance columns) or as
 * SDMX-CSV 2.0. */
int app_data_export(struct app *a, enum app_data_format fmt,
		    const char *indicator, const char *iso3, FILE *f,
		    struct cdg_err *e);


/* ---- the country index ---------------------------------------------------- */

/* `cdg index run`: the engine on files outside the database.  Either a
 * methodology with nodes and a long-form data file (unit,indicator,value),
 * or COINr's iData and iMeta tables with the pipeline given by flags (over
 * the methodology's, if one is given).  Flag values that do not parse are
 * CDG_EUSAGE naming the flag; bad input files are CDG_EINPUT with file,
 * line and field.  The results file is written atomically, and only when
 * everything succeeded. */
struct app_index_run_opts {
	const char *methodology;  /* --methodology M.json, or NULL */
	const char *data;         /* --input D.csv (or the deprecated
				     --data D.csv), or NULL */
	const char *weights;      /* --weights W.csv (iCode,Weight), or NULL */
	const char *idata;        /* --idata iData.csv, or NULL */
	const char *imeta;        /* --imeta iMeta.csv, or NULL */
	const char *out;          /* --out R.csv */
	bool denominate;          /* --denominate */
	const char *impute;       /* --impute mean|median|group-mean:COL|... */
	const char *screen;       /* --screen MIN_FRACTION */
	const char *treat;        /* --treat winsorise:WINMAX|none */
	const char *normalise;    /* --normalise minmax:L:U|zscore:M:S|... */
	const char *aggregate;    /* --aggregate MEAN[,MEAN per level] */
	long mc;                  /* --mc N (0: no Monte Carlo) */
	long sobol;               /* --sobol N (0: no sensitivity analysis) */
	const char *sensitivity;  /* --sensitivity S.csv, or NULL */
	bool has_seed;            /* --seed given */
	uint64_t seed;            /* --seed S */
	int threads;              /* --threads T (>= 1) */
};

/* First-order (si) and total (sti) Sobol indices of each uncertain choice
 * that varies, from a Saltelli design of n (d + 2) runs; the model output
 * is the mean absolute rank change of the index against the nominal
 * ranks (COINr's). */
#define APP_INDEX_MAX_FACTORS 8
struct app_index_sensitivity {
	size_t n;                 /* base sample N, 0 when not run */
	size_t runs;              /* runs of the design */
	size_t n_factors;         /* d */
	const char *factor[APP_INDEX_MAX_FACTORS]; /* names (static) */
	double si[APP_INDEX_MAX_FACTORS];
	double sti[APP_INDEX_MAX_FACTORS];
};

/* Writes "sensitivity": {"n", "runs", "factors": [{factor, si, sti}]}. */
void app_index_sensitivity_json(struct jw *w,
				const struct app_index_sensitivity *sa);

struct app_index_run_report {
	size_t n_units, n_ranked;  /* units read; units kept by screening */
	size_t n_nodes, n_ind;     /* nodes; of which indicators */
	size_t n_rows;             /* result rows written */
	size_t mc_reps;            /* replications run */
	double ms_pipeline, ms_mc; /* wall time of the two stages */
	struct app_index_sensitivity sa; /* with --sobol */
};

int app_index_run(const struct app_index_run_opts *o,
		  struct app_index_run_report *rep, struct cdg_err *e);

/* `cdg index compute`: an edition from the stored observations (for each
 * state and indicator, the current observation of the latest year <=
 * year) with the methodology file (NULL: data_dir/index/cdg-default.json,
 * which must agree with the catalog), frozen with its input snapshot and
 * results.  A draft edition of the same year is replaced; a published one
 * is refused (CDG_ECONFLICT). */
struct app_index_compute_opts {
	long year;                /* the edition */
	const char *methodology;  /* methodology file, NULL for the default */
	const char *data_dir;     /* cdg's data/ folder */
	long mc;                  /* Monte Carlo replications, 0 none, < 0 the
				     methodology's ("uncertainty" section) */
	long sobol;               /* Sobol base sample N, 0 none, < 0 the
				     methodology's ("sobol" of "uncertainty") */
	bool has_seed;            /* seed given, else the methodology's */
	uint64_t seed;
	int threads;              /* >= 1 */
	const char *actor;        /* who computes */
};

struct app_index_edition_report {
	long year;
	size_t n_units, n_ranked, n_inputs, mc_reps;
	struct app_index_sensitivity sa; /* stored with the edition */
	char methodology_id[64];
	char methodology_sha256[65];
	char input_sha256[65];
};

int app_index_compute(struct app *a, const struct app_index_compute_opts *o,
		      struct app_index_edition_report *rep, struct cdg_err *e);

/* `cdg index verify`: recomputes edition year from its frozen methodology
 * and inputs and compares every result bit for bit (doubles by memcmp),
 * and both hashes.  A mismatch returns CDG_ECONFLICT with the first
 * difference in the message; rep says what was compared. */
struct app_index_verify_report {
	long year;
	bool ok, methodology_ok, inputs_ok;
	size_t n_compared, n_mismatch;
	char first[256];          /* first mismatch, "" if none */
};

int app_index_verify(struct app *a, long year, int threads,
		     struct app_index_verify_report *rep, struct cdg_err *e);
/* Marks a draft edition published (never changed afterwards). */
int app_index_publish(struct app *a, long year, const char *actor,
		      bool allow_synthetic, struct cdg_err *e);
/* Editions as a JSON array. */
int app_index_list_json(struct app *a, struct jw *w, struct cdg_err *e);
/* Edition year: its metadata, its sensitivity analysis if any, and per
 * state, index score and rank (with the Monte Carlo interval) and the
 * scores of the index's children; with iso3, that state only, every node,
 * and its inputs with their sources. */
int app_index_show_json(struct app *a, long year, const char *iso3,
			struct jw *w, struct cdg_err *e);
/* Index score and rank changes per state from y1 to y2, with the inputs
 * that changed. */
int app_index_diff_json(struct app *a, long y1, long y2, struct jw *w,
			struct cdg_err *e);
/* Recomputes edition year (0: the latest) with iso3's values of some
 * indicators replaced ("ID=VALUE"); reports score and rank before and
 * after.  Writes nothing. */
int app_index_whatif_json(struct app *a, long year, const char *iso3,
			  const char *const *sets, size_t n_sets, struct jw *w,
			  struct cdg_err *e);
/* `cdg chart ranking` (chart.c): the ranking of edition year as a bar
 * chart (index score per ranked state, best first, labelled "RANK. NAME"
 * with the 5-95 % rank interval when the edition has one), in format, a
 * report_format (SVG, PNG, PDF), appended to out.  Marked synthetic if any
 * ranked state's inputs are synthetic. */
int app_chart_ranking(struct app *a, long year, int format, struct buf *out,
		      struct cdg_err *e);
/* A state's index score in every edition that scores it, as a line chart
 * (format as for app_chart_ranking); CDG_ENOTFOUND if no edition does. */
int app_chart_index_history(struct app *a, const char *iso3, int format,
			    struct buf *out, struct cdg_err *e);
/* `cdg chart map` and the web UI's home map (chart.c): a world choropleth
 * of index edition year (0: the latest edition, if any) in five score
 * bands, or, for year < 0 or when there is no edition, of Budapest
 * Convention status.  Geometry: geometry_path (data/map/world.json, one
 * SVG path per ISO alpha-3 code).  With link_prefix (e.g.
 * "/country.html?iso3="), each state links to prefix + ISO3 in SVG.
 * Format as for app_chart_ranking; marked synthetic if any ranked state's
 * inputs are synthetic. */
int app_chart_map(struct app *a, const char *geometry_path, long year,
		  const char *link_prefix, int format, struct buf *out,
		  struct cdg_err *e);

/* ---- cybercrime co-operation (issue 7) ---------------------------------------- */

/* Rules: docs/cybercrime.md; data: data/crime/README.md; engine:
 * src/crime/crime.h.  Queries take a date ("YYYY-MM-DD", "YYYY-MM" or
 * "YYYY", read as the last day of the period; NULL: today, UTC).  A
 * malformed date, state code or offence id is CDG_EUSAGE; a well-formed
 * unknown state, offence or treaty is CDG_ENOTFOUND; an article that is
 * not an offence where one is needed is CDG_EINPUT. */

struct store;
/* cdg init, inside its transaction: reads and checks data/crime/
 * (articles, treaties, principles, coe_members.csv) against the states
 * already written, then stores the catalog texts, articles, thresholds,
 * scopes, the parties listed in treaties.json and the Council of Europe
 * membership.  Adds the rows written to *written. */
int app_crime_init_load(struct store *st, const char *data_dir,
			long long *written, struct cdg_err *e);
/* Parses a query date (NULL: today). */
int app_crime_parse_date(const char *s, int32_t *out, struct cdg_err *e);

/* The ETS 185 articles: kind, class, UN 2024 counterpart, treaties. */
int app_crime_articles_json(struct app *a, struct jw *w, struct cdg_err *e);
/* Two states (iso_a != iso_b) on a date: per offence (or only offence),
 * dual criminality with both coverage rows and their citations, every
 * channel (treaties in force for both with both dates, MLATs in force,
 * 24/7), the "no channel" sentences, and caveats (undated parties, no
 * MLAT or 24/7 data loaded). */
int app_crime_pair_json(struct app *a, const char *iso_a, const char *iso_b,
			const char *offence, const char *date, struct jw *w,
			struct cdg_err *e);

struct app_crime_matrix_opts {
	const char *offence;   /* an offence id, or NULL / "all" */
	const char *date;      /* NULL: today */
	bool observers;        /* also the two observer States */
};
struct app_crime_matrix_report {
	char date[11];         /* the date used */
	size_t states;         /* states in the rows */
	size_t offences;       /* offences computed */
	size_t cells;          /* ordered cells computed (all states) */
	size_t rows;           /* unordered pairs written (per offence) */
	size_t dual[3];        /* rows per enum crime_dual */
	size_t with_channel;   /* rows with at least one channel */
	double ms_load;        /* reading the database */
	double ms_compute;     /* crime_matrix() calls only */
	double ms_total;       /* load + compute + CSV */
};
/* The all-pairs matrix: one CSV row per unordered pair (a < b) and
 * offence, columns offence,date,a,b,dual,channels,treaties,a_covered,
 * b_covered (CRLF); csv may be NULL for the report only. */
int app_crime_matrix(struct app *a, const struct app_crime_matrix_opts *o,
		     struct buf *csv, struct app_crime_matrix_report *rep,
		     struct cdg_err *e);
/* A treaty's consents as of date against its entry-into-force threshold
 * (with sub-group membership), when it was or would be reached, the
 * recorded date, and the incomplete-data flag with its explanation. */
int app_crime_treaty_json(struct app *a, const char *id, const char *date,
			  struct jw *w, struct cdg_err *e);
/* Checks an instrument file (data/crime/instruments/ format) against the
 * stored principles: one verdict per principle with its findings. */
int app_crime_check_json(struct app *a, const char *path, struct jw *w,
			 struct cdg_err *e);

struct app_crime_import_report {
	long rows;             /* data rows read */
	long long written;     /* rows inserted or changed */
	long long unchanged;   /* rows identical to what was stored */
};
/* CSV imports, every row checked and every fault listed in errs (file,
 * line, field); any fault: nothing written, CDG_EINPUT.  Rows are
 * upserted (a row for the same key replaces the stored one; the audit
 * log keeps the old).  Coverage: iso3,article_id,covered,legal_citation,
 * source_url,note,basis.  MLATs: a,b,signed,in_force,source_url,note
 * (signed <= in_force).  24/7 contacts: iso3,since,source_url,note. */
int app_crime_coverage_import(struct app *a, const char *path,
			      const char *actor,
			      struct app_crime_import_report *rep,
			      struct err_list *errs, struct cdg_err *e);
int app_crime_mlat_import(struct app *a, const char *path, const char *actor,
			  struct app_crime_import_report *rep,
			  struct err_list *errs, struct cdg_err *e);
int app_crime_contacts_import(struct app *a, const char *path,
			      const char *actor,
			      struct app_crime_import_report *rep,
			      struct err_list *errs, struct cdg_err *e);
/* The stored coverage (iso3 NULL: all) as a coverage CSV that the import
 * reads back, by state then article. */
int app_crime_coverage_export(struct app *a, const char *iso3,
			      struct buf *out, struct cdg_err *e);


/* ---- accountability registry (issue 5) ------------------------------------- */

/* Incidents, public attributions with the norm or law each invokes and how,
 * state-linked actors, attribution standards, deterrence doctrines and
 * positions on international law (docs/registry.md). */
struct app_registry_report {
	const char *format;       /* csv | json | stix | misp */
	size_t incidents, attributions, actors, documents; /* read */
	long written;             /* rows inserted or changed */
	long skipped;             /* STIX objects of other types */
	long unresolved_sponsors; /* actors whose sponsor is no known name */
	size_t actor_links;       /* actors attributed to another actor */
	long non_un_sponsors;     /* actors whose sponsor is a non-UN entity
				   * (kept as written, flagged) */
};

/* Imports a registry CSV, registry JSON, STIX 2.1 bundle or MISP galaxy
 * file (detected from its content).  Everything is checked first (states,
 * dates, norm letters against the catalog, confidence, sectors,
 * standards, STIX objects); any fault goes to errs with file, line or
 * object id, nothing is written and the result is CDG_EINPUT.  Records
 * with the same id are revised in place (the audit log keeps the history);
 * indicator CDG6.2.1 is recomputed in the same transaction. */
int app_registry_import(struct app *a, const char *path, const char *actor,
			struct app_registry_report *rep, struct err_list *errs,
			struct cdg_err *e);

enum app_reg_format { APP_REG_CSV, APP_REG_JSON, APP_REG_STIX };
/* The whole registry as CSV (one row per attribution), registry JSON
 * (full records) or a STIX 2.1 bundle stamped now; all_actors adds actors
 * no attribution names (JSON always has them). */
int app_registry_export(struct app *a, enum app_reg_format f, const char *now,
			bool all_actors, struct buf *out, struct cdg_err *e);

/* Filters of `cdg incidents` (NULL: none).  state matches victims,
 * attributing parties and the states attributed to; search is free text
 * over titles, descriptions and statements (FTS5: every word, as a
 * prefix, is required; OR between two words makes either one enough). */
/* Actors whose name or an alias contains search (any case; NULL: all),
 * each with its origin (the file it was read from), what it is attributed
 * to (reg_actor_rel, with the relationship it was read from) and the
 * actors of other sources that are the same group, with the basis of each
 * link (docs/registry.md, "Actor identity"): a JSON array. */
int app_registry_actors_json(struct app *a, const char *search, struct jw *w,
			     struct cdg_err *e);

struct app_incident_query {
	const char *state, *norm, *since, *search;
	const char *id;               /* one incident (exports), or NULL */
};
int app_incidents_json(struct app *a, const struct app_incident_query *q,
		       struct jw *w, struct cdg_err *e);
/* The same for the incidents q finds (as app_incidents_json does), their
 * attributions and the actors these name: an export of what a page of
 * incidents shows.  q NULL: the whole registry. */
int app_registry_export_query(struct app *a, enum app_reg_format f, const char *now,
			      bool all_actors, const struct app_incident_query *q,
			      struct buf *out, struct cdg_err *e);
/* One incident by its id, as an object like the items of
 * app_incidents_json (its attributions in date order); CDG_ENOTFOUND if
 * none has that id. */
int app_incident_json(struct app *a, const char *id, struct jw *w,
		      struct cdg_err *e);
/* `cdg norm LETTER --violations`: per state attributed, every articulated
 * violation of the norm, the number of independent attributing parties
 * and the confidence they stated. */
int app_norm_violations_json(struct app *a, const char *norm, struct jw *w,
			     struct cdg_err *e);
/* Writes, into the open object of a country profile, the keys
 * attributions_by, attributions_against, attribution_standards,
 * deterrence_doctrines and il_positions. */
int app_registry_country_json(struct app *a, const char *iso3, struct jw *w,
			      struct cdg_err *e);
/* For cdg init, inside its transaction after the reference data: the
 * sector catalog, data/reference/attributions_2017_2020.csv through the
 * registry's CSV importer, the national positions on international law,
 * and indicator CDG6.2.1.  All read and checked before the first write;
 * adds the rows written to *written. */
int app_registry_init(struct store *st, const struct fw_catalog *cat,
		      const char *data_dir, long long *written,
		      struct cdg_err *e);

/* ---- norms (norms.c) --------------------------------------------------------- */

/* Filters of app_norm_implementation_json; zero/NULL fields filter
 * nothing. */
struct app_norm_impl_query {
	long year;           /* survey round */
	const char *country; /* ISO alpha-3 */
	const char *answer;  /* keep answers with this value; a response
				with none of them is left out */
	bool latest;         /* each state's latest published round only */
	bool no_synthetic;   /* leave out demo (synthetic) responses */
};

/* Who reports implementing a norm: every published survey response with
 * its answers to the norm's questions (id, text, answer, comment,
 * evidence, synthetic), filtered by q (NULL: no filter).  CDG_EUSAGE for
 * a letter outside a-k, or a malformed filter. */
int app_norm_implementation_json(struct app *a, const char *norm,
				 const struct app_norm_impl_query *q,
				 struct jw *w, struct cdg_err *e);


/* ---- the standing forum (forum.c, issue 9) ------------------------------------ */

/* Rules: docs/forum.md.  Writes check authority first (CDG_EPERM), then
 * the input (CDG_EINPUT naming the field, nothing written), then write in
 * one transaction.  The secretariat (APP_FORUM_ADMIN) accredits
 * organisations, adds members, sessions, agenda items, documents,
 * decisions and actions; a proposal, comment or endorsement is made on
 * behalf of an accredited organisation the actor belongs to; an action's
 * status is updated by the secretariat or a member of its owner.  Local
 * operators (system, demo, cli:USER) may do everything, but speak only
 * for accredited organisations. */

/* group: state (iso3 required), international_organisation, business,
 * civil_society, technical_community, academia. */
int app_forum_org_add(struct app *a, const char *actor, const char *name,
		      const char *group, const char *iso3, long long *id,
		      struct cdg_err *e);
int app_forum_org_accredit(struct app *a, const char *actor, long long org,
			   struct cdg_err *e);
/* Makes account a member of organisation org. */
int app_forum_member_add(struct app *a, const char *actor, long long org,
			 const char *account, struct cdg_err *e);

struct app_forum_session {
	const char *kind;          /* session | consultation */
	const char *title;
	const char *starts_on;     /* YYYY-MM-DD */
	const char *ends_on;       /* YYYY-MM-DD, NULL: starts_on */
	const char *description;   /* may be NULL */
};
int app_forum_session_add(struct app *a, const char *actor,
			  const struct app_forum_session *s, long long *id,
			  struct cdg_err *e);
/* Appends an agenda item to a session (numbered 1, 2, ...). */
int app_forum_item_add(struct app *a, const char *actor, long long session,
		       const char *title, const char *description,
		       long long *id, struct cdg_err *e);

struct app_forum_doc {
	long long session;         /* the session it belongs to */
	long long item;            /* an agenda item of it, 0: none */
	const char *title;
	const char *access;        /* public | registered */
	const char *text;          /* version 1 */
	const char *url;           /* may be NULL */
};
/* A document with its version 1. */
int app_forum_doc_add(struct app *a, const char *actor,
		      const struct app_forum_doc *d, long long *id,
		      struct cdg_err *e);
/* The next version of a document (the earlier ones are kept). */
int app_forum_doc_version(struct app *a, const char *actor, long long doc,
			  const char *text, const char *url, struct cdg_err *e);

struct app_forum_proposal {
	long long item;            /* agenda item (propose) */
	long long org;             /* on whose behalf (propose) */
	const char *title;
	const char *text;
	const char *const *refs;   /* norm letters, CDG/target ids, BC articles */
	size_t nrefs;
};
/* 0 if actor may write to the forum on behalf of some organisation: it is
 * a member of at least one accredited organisation (or the secretariat,
 * when or_secretariat, or the local operator); CDG_EPERM otherwise.  The
 * check of the organisation a request names comes after, with the body. */
int app_forum_may_write(struct app *a, const char *actor, bool or_secretariat,
			struct cdg_err *e);
int app_forum_propose(struct app *a, const char *actor,
		      const struct app_forum_proposal *p, long long *id,
		      struct cdg_err *e);
/* A new version of a proposal, by a member of the organisation that made
 * it (p->item and p->org are ignored). */
int app_forum_revise(struct app *a, const char *actor, long long proposal,
		     const struct app_forum_proposal *p, struct cdg_err *e);
int app_forum_comment(struct app *a, const char *actor, long long proposal,
		      long long org, const char *text, long long *id,
		      struct cdg_err *e);
/* Organisation org endorses a proposal of another organisation, once. */
int app_forum_endorse(struct app *a, const char *actor, long long proposal,
		      long long org, struct cdg_err *e);

struct app_forum_action {
	const char *title;
	long long owner;           /* organisation responsible */
	const char *deadline;      /* YYYY-MM-DD */
};
struct app_forum_decision {
	long long item;            /* agenda item decided */
	const char *method;        /* consensus | vote */
	long yes, no, abstain;     /* a vote's tally (yes > no); -1 for consensus */
	const char *text;          /* the text adopted */
	const char *adopted_on;    /* YYYY-MM-DD, NULL: today */
	const long long *draws_on; /* proposals on the same item */
	size_t ndraws;
	const struct app_forum_action *actions; /* agreed with it */
	size_t nactions;
};
int app_forum_decide(struct app *a, const char *actor,
		     const struct app_forum_decision *d, long long *id,
		     struct cdg_err *e);
int app_forum_action_add(struct app *a, const char *actor, long long decision,
			 const struct app_forum_action *x, long long *id,
			 struct cdg_err *e);
/* status: agreed | in_progress | done, with an optional note. */
int app_forum_action_update(struct app *a, const char *actor, long long action,
			    const char *status, const char *note,
			    struct cdg_err *e);

/* Reads: "orgs", "my_orgs" (param: account), "sessions" (with their
 * items), "documents", "proposals", "decisions" (id: a session, 0 all),
 * "actions" (param: a state, NULL all) as JSON arrays; "session" (the
 * session, its documents, proposals and decisions), "document",
 * "proposal", "decision", "action" (id) as objects.  Registered
 * documents appear only when signed_in. */
int app_forum_json(struct app *a, const char *what, long long id,
		   const char *param, bool signed_in, struct jw *w,
		   struct cdg_err *e);
/* Every record the reader may see, as one JSON document. */
/* Restores the JSON of cdg forum export into an empty forum, as the
 * secretariat: every record with its id and who wrote it when (the audit
 * log records the import as the actor's).  Any fault is listed in errs
 * (FILE:LINE: field SECTION[N].KEY) and nothing is written; a forum that
 * already has records is refused.  *records: rows written. */
int app_forum_import(struct app *a, const char *path, const char *actor,
		     long *records, struct err_list *errs, struct cdg_err *e);
int app_forum_export_json(struct app *a, bool signed_in, struct jw *w,
			  struct cdg_err *e);
/* What was agreed and what has been done: every action (of organisations
 * of state iso3, or all when NULL) with its status and whether it is
 * overdue on today (YYYY-MM-DD, NULL: today UTC), and the counts. */
int app_forum_monitor_json(struct app *a, const char *iso3, const char *today,
			   struct jw *w, struct cdg_err *e);
/* An Atom 1.0 feed (RFC 4287) of the public record: public documents,
 * proposals and decisions, newest first; links start with base_url ("":
 * relative to the server that serves the feed). */
int app_forum_feed_atom(struct app *a, const char *base_url, struct buf *out,
			struct cdg_err *e);

/* ---- capacity building (capacity.c) -------------------------------------------- */

/* Capacity-building initiatives matched to the gaps of `cdg gaps`, the
 * gaps nothing addresses and initiatives that duplicate each other; the
 * rules are capacity/capacity.h's and docs/capacity.md's. */
struct app_capacity_report {
	const char *format;       /* csv | json */
	size_t initiatives;       /* read */
	long written;             /* rows inserted or changed */
};
/* Imports initiatives from a CSV or capacity JSON file (editor or
 * secretariat).  Everything is checked first; any fault goes to errs,
 * nothing is written and the result is CDG_EINPUT.  An initiative with
 * an id already stored is revised (the audit log keeps the history). */
int app_capacity_import(struct app *a, const char *path, const char *actor,
			struct app_capacity_report *rep, struct err_list *errs,
			struct cdg_err *e);
/* The same from a text in memory (the HTTP body), named name. */
int app_capacity_import_text(struct app *a, const char *name, const char *text,
			     size_t n, const char *actor,
			     struct app_capacity_report *rep, struct err_list *errs,
			     struct cdg_err *e);
/* Every initiative as a JSON array of objects (the JSON format's keys),
 * ordered by id. */
int app_capacity_list_json(struct app *a, struct jw *w, struct cdg_err *e);
/* Every initiative as CSV or capacity JSON. */
int app_capacity_export(struct app *a, bool json, struct buf *out,
			struct cdg_err *e);
/* A state's gaps, each with the initiatives that address it, and the
 * gaps nothing addresses. */
int app_capacity_match_json(struct app *a, const char *iso3, long year,
			    struct jw *w, struct cdg_err *e);
/* Across all states, gaps no initiative addresses, by number of states
 * sharing them; goal NULL for all; no_data keeps gaps without data. */
struct app_unserved_opts {
	const char *goal;
	long year;                /* 0: the current year */
	bool no_data;
};
int app_capacity_unserved_json(struct app *a, const struct app_unserved_opts *o,
			       struct jw *w, struct cdg_err *e);
int app_capacity_unserved_csv(struct app *a, const struct app_unserved_opts *o,
			      struct buf *out, struct cdg_err *e);
/* Groups of overlapping initiatives with what each pair shares. */
int app_capacity_duplication_json(struct app *a, struct jw *w,
				  struct cdg_err *e);
/* Donors (implementers false) or implementers: each with its initiatives,
 * the states and goals they address and budgets by currency; name
 * non-NULL keeps one (CDG_ENOTFOUND if none). */
int app_capacity_parties_json(struct app *a, bool implementers,
			      const char *name, struct jw *w, struct cdg_err *e);
/* For cdg init, inside its transaction: data/agreements/agreements.json,
 * data/agreements/industry_commitments.csv and
 * data/capacity/initiatives.csv, all checked before the first write. */
int app_capacity_init(struct store *st, const struct fw_catalog *cat,
		      const char *data_dir, long long *written,
		      struct cdg_err *e);

/* ---- agreements (agreements.c) --------------------------------------------------- */

/* Every agreement with its type, stakeholder groups, objectives,
 * compliance mechanism and counts (a JSON array). */
int app_agreements_list_json(struct app *a, struct jw *w, struct cdg_err *e);
/* The agreements a state takes part in (as a listed participant or a
 * party to the agreement's treaty), with its role and date; a JSON array.
 * CDG_ENOTFOUND for an unknown state, CDG_EUSAGE for a malformed code. */
int app_agreements_state_json(struct app *a, const char *iso3, struct jw *w,
			      struct cdg_err *e);
/* One agreement with its participants and commitments. */
int app_agreement_json(struct app *a, const char *id, struct jw *w,
		       struct cdg_err *e);
/* Agreements side by side: their terms (type, groups, objectives,
 * compliance) kept apart, then one row per norm, goal or industry norm
 * that any of their commitments maps to, with each agreement's
 * commitments on it, then commitments mapped to nothing.  2 to 8 ids. */
int app_agreements_compare_json(struct app *a, const char *const *ids,
				size_t n, struct jw *w, struct cdg_err *e);
/* The industry norms, each with the companies' commitments and their
 * evidence; norm non-NULL for one. */
int app_industry_norms_json(struct app *a, const char *norm, struct jw *w,
			    struct cdg_err *e);
/* Imports an agreements JSON file, or a company commitments CSV
 * (id,company,norm,commitment,date,evidence_url[,note,synthetic]), as an
 * editor or the secretariat; checked like cdg init's copies. */
int app_agreements_import(struct app *a, const char *path, const char *actor,
			  long *written, struct err_list *errs, struct cdg_err *e);
/* Every agreement as the agreements JSON file (csv false) or every
 * company commitment as the CSV (csv true), appended to out: what
 * app_agreements_import() reads back to the same records.  Participants
 * of the desk-research list carry their status, checked day and note;
 * the parties of a treaty come from the treaty's records and are not
 * written. */
int app_agreements_export(struct app *a, bool csv, struct buf *out,
			  struct cdg_err *e);

#endif
