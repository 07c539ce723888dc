/* libFuzzer target: the catalog parser (fw_parse, read by `cdg init` and
 * by every command that opens a database) must never crash, leak, hang or
 * read out of bounds, whatever the bytes.  The input stands in for each of
 * the four catalog files in turn, the other three being a small valid
 * catalog, so the cross-file checks see it too.  A rejected catalog has
 * one input error with a message naming one of the four files; an
 * accepted one round-trips: written as JSON (`cdg framework --json all`),
 * split back into the four files and parsed again, it writes the same
 * text. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "framework/framework.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A catalog of one norm, goal, target, indicator, scale and question. */
static const char *const small[FW_NFILES] = {
	"{\"catalog_version\": \"1.0.0\", \"norms\": [{\"id\": \"a\", "
	"\"paragraph\": \"13(a)\", \"short_name\": \"cooperate\", \"title\": "
	"\"Cooperate\", \"category\": \"cooperation_protection\", "
	"\"subcategory\": \"cooperation\", \"paraphrase\": \"States work "
	"together.\", \"source_url\": \"https://example.org/a\"}]}",

	"{\"catalog_version\": \"1.0.0\", \"goals\": [{\"id\": \"CDG1\", \"title\": "
	"\"Goal\", \"description\": \"A goal.\", \"origin\": \"test\", "
	"\"rationale\": \"test\", \"norms\": [\"a\"], \"targets\": [{\"id\": "
	"\"CDG1.1\", \"title\": \"Target\", \"description\": \"A target.\"}]}]}",

	"{\"catalog_version\": \"1.0.0\", \"indicators\": [{\"id\": \"CDG1.1.1\", "
	"\"target\": \"CDG1.1\", \"name\": \"Indicator\", \"description\": "
	"\"An indicator.\", \"unit\": \"percent\", \"direction\": "
	"\"higher_is_better\", \"min\": 0, \"max\": 100, \"goalposts\": "
	"{\"lower\": 0, \"upper\": 100}, \"target_value\": 50.5, \"measure\": "
	"\"survey\", \"rule\": \"share of yes\", \"questions\": [\"Q-a-1\"], "
	"\"evidence\": \"a document\", \"source\": \"the survey\"}]}",

	"{\"catalog_version\": \"1.0.0\", \"scales\": [{\"id\": \"ynp\", "
	"\"options\": [{\"value\": \"yes\", \"label\": \"Yes\", \"score\": 1}, "
	"{\"value\": \"no\", \"label\": \"No\", \"score\": 0}, {\"value\": "
	"\"na\", \"label\": \"N/A\", \"score\": null}]}], \"questions\": "
	"[{\"id\": \"Q-a-1\", \"norm\": \"a\", \"goal\": \"CDG1\", \"section\": "
	"\"S\", \"text\": \"Do you?\", \"help\": \"Say.\", \"scale\": \"ynp\", "
	"\"evidence\": \"optional\", \"free_text\": true, \"capacity_needs\": "
	"false}]}",
};

static void write_all(const struct fw_catalog *c, struct buf *out)
{
	struct jw w;
	jw_init(&w, out, false);
	struct cdg_err e;
	if (fw_write_json(c, "all", &w, &e) != 0)
		abort();
}

/* One catalog file: catalog_version and the members of part (an array
 * under key, or the members of an object when key is NULL). */
static char *file_of(json_t *version, json_t *part, const char *key)
{
	json_t *o = json_object();
	json_object_set(o, "catalog_version", version);
	if (key)
		json_object_set(o, key, part);
	else
		json_object_update(o, part);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	if (!s)
		abort();
	return s;
}

static void round_trip(const struct fw_catalog *c)
{
	struct buf a = BUF_INIT, b = BUF_INIT;
	write_all(c, &a);
	json_error_t je;
	json_t *all = json_loads(a.p, 0, &je);
	if (!all)
		abort();
	json_t *v = json_object_get(all, "catalog_version");
	/* The indicators carry the goal they derive from their target; the
	 * file does not. */
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(all, "indicators"), i, d)
		json_object_del(d, "goal");
	char *texts[FW_NFILES] = {
		file_of(v, json_object_get(all, "norms"), "norms"),
		file_of(v, json_object_get(all, "goals"), "goals"),
		file_of(v, json_object_get(all, "indicators"), "indicators"),
		file_of(v, json_object_get(all, "survey"), NULL),
	};
	struct fw_catalog again;
	struct cdg_err e;
	if (fw_parse(&again, fw_files, (const char *const *)texts, &e) != 0)
		abort();
	write_all(&again, &b);
	if (strcmp(a.p, b.p) != 0)
		abort();
	fw_free(&again);
	for (int k = 0; k < FW_NFILES; k++)
		free(texts[k]);
	json_decref(all);
	buf_free(&a);
	buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	if (!text)
		return 0;
	for (int slot = 0; slot < FW_NFILES; slot++) {
		const char *texts[FW_NFILES];
		memcpy(texts, small, sizeof texts);
		texts[slot] = text;
		struct fw_catalog c;
		struct cdg_err e;
		err_clear(&e);
		if (fw_parse(&c, fw_files, texts, &e) == 0) {
			round_trip(&c);
			fw_free(&c);
		} else {
			fuzz_check_error(&e, fw_files, FW_NFILES);
		}
	}
	free(text);
	return 0;
}
