/*
 * framework: the catalog cdg measures against — the 11 GGE 2015 norms, the
 * Cyber Development Goals with their targets and indicators, and the
 * national survey's questionnaire.  The format is documented in
 * data/framework/README.md and data/framework/catalog.schema.json.
 *
 * A catalog is parsed from the four JSON texts (norms.json, goals.json,
 * indicators.json, survey.json), validated as a whole (unique ids across
 * files, every reference resolves, ranges make sense), and is immutable
 * afterwards.  All its strings and arrays live in the catalog's own arena
 * and stay valid until fw_free().
 *
 * Errors name the file, the line of the offending id where it can be found,
 * the id and the reason, with code CDG_EINPUT.
 */
#ifndef CDG_FRAMEWORK_H
#define CDG_FRAMEWORK_H

#include "base/base.h"

struct fw_norm {
	const char *id;          /* "a".."k" */
	const char *paragraph;   /* "13(a)" */
	const char *short_name;  /* snake_case handle */
	const char *title;       /* a few words */
	const char *category;    /* restraint | cooperation_protection | industry */
	const char *subcategory; /* restraint | cooperation | protection | industry */
	const char *paraphrase;  /* one sentence, own words */
	const char *source_url;  /* where the norm is stated */
};

struct fw_target {
	const char *id;          /* "CDG1.1" */
	const char *goal;        /* id of its goal */
	const char *title;
	const char *description;
};

struct fw_goal {
	const char *id;          /* "CDG1" */
	const char *title;
	const char *description;
	const char *origin;      /* where the goal comes from */
	const char *rationale;   /* why it is in the minimum framework */
	const char **norms;      /* norm ids it serves */
	size_t n_norms;
	size_t first_target;     /* index into fw_catalog.targets */
	size_t n_targets;        /* its targets are contiguous there */
};

enum fw_measure { FW_SURVEY, FW_OBSERVATION, FW_REGISTRY };

struct fw_indicator {
	const char *id;          /* "CDG1.1.1" */
	const char *target;      /* target id */
	const char *goal;        /* goal id (derived from the target) */
	const char *name;
	const char *description;
	const char *unit;        /* binary | score | percent | count | years | ratio */
	int direction;           /* +1 higher is better, -1 lower is better */
	double min, max;         /* admissible range of a value */
	double lower, upper;     /* goalposts, lower < upper; direction says
				    which end scores 100 */
	double target_value;     /* "target met" threshold */
	enum fw_measure measure;
	const char *rule;        /* how the value is obtained */
	const char **questions;  /* survey questions it is computed from */
	size_t n_questions;
	const char *evidence;    /* evidence a value requires */
	const char *source;      /* where values come from */
	/* Whether public evidence (desk research) can measure it for every
	 * State: "yes", "partly" or "no", and how (docs/public-evidence.md);
	 * NULL when the catalog does not say (the shipped one always does). */
	const char *pe_measurable;
	const char *pe_how;
	/* The survey question whose answer states the same fact as the
	 * State's own report (kept beside the desk-research value, and a
	 * disagreement shown), or NULL. */
	const char *self_report;
};

struct fw_option {
	const char *value;       /* stored answer, e.g. "yes" */
	const char *label;       /* shown to the respondent */
	double score;            /* 0..1 */
	bool scored;             /* false: takes no part in scoring (n/a) */
};

struct fw_scale {
	const char *id;
	struct fw_option *options;
	size_t n_options;
};

struct fw_question {
	const char *id;          /* "Q-a-1", "Q-CDG1-1" */
	const char *norm;        /* norm id or NULL */
	const char *goal;        /* goal id or NULL; not both NULL */
	const char *section;
	const char *text;
	const char *help;
	const char *scale;       /* scale id */
	const char *evidence;    /* required | optional | none */
	bool free_text;
	bool capacity_needs;
};

struct fw_catalog {
	struct arena arena;       /* owns everything below */
	const char *version;      /* catalog_version of norms.json */
	struct fw_norm *norms;         size_t n_norms;
	struct fw_goal *goals;         size_t n_goals;
	struct fw_target *targets;     size_t n_targets;
	struct fw_indicator *indicators; size_t n_indicators;
	struct fw_scale *scales;       size_t n_scales;
	struct fw_question *questions; size_t n_questions;
};

/* The four catalog files, in load order. */
#define FW_NFILES 4
extern const char *const fw_files[FW_NFILES];

/* Parses and validates the catalog from texts[i] (contents of fw_files[i]);
 * names[i] is used in error messages.  On error the catalog is freed. */
int fw_parse(struct fw_catalog *c, const char *const names[FW_NFILES],
	     const char *const texts[FW_NFILES], struct cdg_err *e);
/* Reads the four files from dir and parses them. */
int fw_load_dir(struct fw_catalog *c, const char *dir, struct cdg_err *e);
void fw_free(struct fw_catalog *c);

const struct fw_norm *fw_norm(const struct fw_catalog *c, const char *id);
const struct fw_goal *fw_goal(const struct fw_catalog *c, const char *id);
const struct fw_target *fw_target(const struct fw_catalog *c, const char *id);
const struct fw_indicator *fw_indicator(const struct fw_catalog *c,
					const char *id);
const struct fw_question *fw_question(const struct fw_catalog *c,
				      const char *id);
const struct fw_scale *fw_scale(const struct fw_catalog *c, const char *id);
const char *fw_measure_name(enum fw_measure m);

/* Writes part ("norms", "goals", "indicators", "survey" or "all") as JSON. */
int fw_write_json(const struct fw_catalog *c, const char *part, struct jw *w,
		  struct cdg_err *e);

#endif
