/*
 * The schema: forward-only migrations.  Never edit a migration that has
 * shipped; add a new one.  Each lists the tables it creates that the audit
 * log must cover; store.c generates their triggers from the live column
 * list, so before/after images always show every column.
 */
#include "store/store_int.h"

static const char m1_sql[] =
	/* Bookkeeping. */
	"CREATE TABLE schema_migration("
	" version INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" applied_at TEXT NOT NULL) STRICT;"
	"CREATE TABLE audit_log("
	" id INTEGER PRIMARY KEY,"
	" at TEXT NOT NULL,"
	" actor TEXT NOT NULL,"
	" action TEXT NOT NULL CHECK (action IN ('insert','update','delete')),"
	" entity TEXT NOT NULL,"
	" entity_key TEXT NOT NULL,"
	" before TEXT,"
	" after TEXT) STRICT;"
	"CREATE INDEX audit_log_entity ON audit_log(entity, entity_key);"
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
	" BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
	/* The catalog: source files as loaded, and their rows. */
	"CREATE TABLE catalog_file("
	" name TEXT PRIMARY KEY,"
	" sha256 TEXT NOT NULL,"
	" content TEXT NOT NULL) STRICT;"
	"CREATE TABLE norm("
	" id TEXT PRIMARY KEY,"
	" paragraph TEXT NOT NULL,"
	" short_name TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" category TEXT NOT NULL CHECK (category IN"
	"  ('restraint','cooperation_protection','industry')),"
	" subcategory TEXT NOT NULL,"
	" paraphrase TEXT NOT NULL,"
	" source_url TEXT NOT NULL,"
	" position INTEGER NOT NULL) STRICT;"
	"CREATE TABLE goal("
	" id TEXT PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" description TEXT NOT NULL,"
	" origin TEXT NOT NULL,"
	" rationale TEXT NOT NULL,"
	" position INTEGER NOT NULL) STRICT;"
	"CREATE TABLE goal_norm("
	" goal_id TEXT NOT NULL REFERENCES goal(id),"
	" norm_id TEXT NOT NULL REFERENCES norm(id),"
	" PRIMARY KEY (goal_id, norm_id)) STRICT;"
	"CREATE TABLE target("
	" id TEXT PRIMARY KEY,"
	" goal_id TEXT NOT NULL REFERENCES goal(id),"
	" title TEXT NOT NULL,"
	" description TEXT NOT NULL,"
	" position INTEGER NOT NULL) STRICT;"
	"CREATE TABLE indicator("
	" id TEXT PRIMARY KEY,"
	" target_id TEXT NOT NULL REFERENCES target(id),"
	" name TEXT NOT NULL,"
	" description TEXT NOT NULL,"
	" unit TEXT NOT NULL,"
	" direction INTEGER NOT NULL CHECK (direction IN (-1, 1)),"
	" min REAL NOT NULL,"
	" max REAL NOT NULL,"
	" goal_lower REAL NOT NULL,"
	" goal_upper REAL NOT NULL,"
	" target_value REAL NOT NULL,"
	" measure TEXT NOT NULL CHECK (measure IN"
	"  ('survey','observation','registry')),"
	" rule TEXT NOT NULL,"
	" evidence TEXT NOT NULL,"
	" source TEXT NOT NULL,"
	" position INTEGER NOT NULL) STRICT;"
	"CREATE TABLE question("
	" id TEXT PRIMARY KEY,"
	" norm_id TEXT REFERENCES norm(id),"
	" goal_id TEXT REFERENCES goal(id),"
	" section TEXT NOT NULL,"
	" text TEXT NOT NULL,"
	" scale_id TEXT NOT NULL,"
	" evidence TEXT NOT NULL,"
	" free_text INTEGER NOT NULL,"
	" capacity_needs INTEGER NOT NULL,"
	" position INTEGER NOT NULL,"
	" CHECK (norm_id IS NOT NULL OR goal_id IS NOT NULL)) STRICT;"
	/* Reference data, with its sources. */
	"CREATE TABLE country("
	" iso3 TEXT PRIMARY KEY CHECK (length(iso3) = 3),"
	" iso2 TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" iso_name TEXT NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN ('member','observer')),"
	" un_member_since INTEGER,"
	" admission_date TEXT,"
	" source_url TEXT NOT NULL,"
	" source_note TEXT) STRICT;"
	"CREATE TABLE treaty("
	" id TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" short_name TEXT NOT NULL,"
	" source_url TEXT NOT NULL) STRICT;"
	"CREATE TABLE treaty_party("
	" treaty_id TEXT NOT NULL REFERENCES treaty(id),"
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('party','signatory','invited')),"
	" signature_date TEXT,"
	" ratification_date TEXT,"
	" entry_into_force_date TEXT,"
	" source_url TEXT NOT NULL,"
	" source_note TEXT,"
	" PRIMARY KEY (treaty_id, iso3)) STRICT;";

static const char *const m1_audited[] = {
	"catalog_file", "norm", "goal", "goal_norm", "target", "indicator",
	"question", "country", "treaty", "treaty_party", NULL};

/* Survey responses and indicator observations (issue 3).  Observations
 * are append-only: a newer value for the same (indicator, state, year)
 * supersedes the older row, which stays.  They are audited per import
 * batch (one audit row naming file, hash and row count) rather than per
 * row: a million-row import must not write a million audit rows, and the
 * rows themselves keep who, when, which batch and which line. */
static const char m2_sql[] =
	/* ISO 3166-1 numeric = UN M49 country code (SDMX-CSV 1.0 areas). */
	"ALTER TABLE country ADD COLUMN m49 TEXT;"
	"CREATE UNIQUE INDEX country_m49 ON country(m49);"
	"CREATE TABLE import_batch("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('observations','survey','reference','demo','derived')),"
	" file_name TEXT NOT NULL,"
	" sha256 TEXT NOT NULL,"
	" rows INTEGER NOT NULL DEFAULT 0,"
	" synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),"
	" actor TEXT NOT NULL,"
	" at TEXT NOT NULL) STRICT;"
	"CREATE TABLE observation("
	" id INTEGER PRIMARY KEY,"
	" indicator_id TEXT NOT NULL REFERENCES indicator(id),"
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" year INTEGER NOT NULL,"
	" value REAL NOT NULL,"
	" source TEXT NOT NULL,"
	" note TEXT,"
	" batch_id INTEGER NOT NULL REFERENCES import_batch(id),"
	" line INTEGER,"
	" superseded_by INTEGER REFERENCES observation(id),"
	" synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),"
	" entered_by TEXT NOT NULL,"
	" entered_at TEXT NOT NULL) STRICT;"
	/* One index: it makes a key current at most once and serves the
	 * per-state reads (profiles, dashboards); a second one would cost a
	 * third of bulk-import time. */
	"CREATE UNIQUE INDEX observation_current ON observation(iso3, indicator_id, year)"
	" WHERE superseded_by IS NULL;"
	"CREATE TABLE survey_response("
	" id INTEGER PRIMARY KEY,"
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" year INTEGER NOT NULL,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('draft','submitted','validated','published')),"
	" revision INTEGER NOT NULL,"
	" published_revision INTEGER,"
	" synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),"
	" updated_by TEXT NOT NULL,"
	" updated_at TEXT NOT NULL,"
	" UNIQUE (iso3, year)) STRICT;"
	"CREATE TABLE survey_revision("
	" response_id INTEGER NOT NULL REFERENCES survey_response(id),"
	" revision INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" content TEXT NOT NULL CHECK (json_valid(content)),"
	" actor TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" action TEXT NOT NULL,"
	" PRIMARY KEY (response_id, revision)) STRICT;"
	"CREATE TRIGGER survey_revision_no_update BEFORE UPDATE ON survey_revision"
	" BEGIN SELECT RAISE(ABORT, 'survey revisions are never changed'); END;"
	"CREATE TRIGGER survey_revision_no_delete BEFORE DELETE ON survey_revision"
	" BEGIN SELECT RAISE(ABORT, 'survey revisions are never deleted'); END;"
	"CREATE TABLE survey_answer("
	" response_id INTEGER NOT NULL REFERENCES survey_response(id),"
	" question_id TEXT NOT NULL REFERENCES question(id),"
	" answer TEXT,"
	" comment TEXT,"
	" evidence TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(evidence)),"
	" challenges TEXT,"
	" capacity_needs TEXT,"
	" PRIMARY KEY (response_id, question_id)) STRICT;";

static const char *const m2_audited[] = {"import_batch", "survey_response",
					 "survey_answer", NULL};

/* Country index editions (issue 4).  The edition row is audited; inputs
 * and results are frozen with it (thousands of rows per edition, like
 * observations they are covered by the edition's audit row).  Guards:
 * writes need a cdg transaction (cdg_actor()), and nothing of a published
 * edition may change. */
static const char m3_sql[] =
	"CREATE TABLE index_edition("
	" year INTEGER PRIMARY KEY,"
	" methodology_id TEXT NOT NULL,"
	" methodology TEXT NOT NULL CHECK (json_valid(methodology)),"
	" methodology_sha256 TEXT NOT NULL CHECK (length(methodology_sha256) = 64),"
	" input_sha256 TEXT NOT NULL CHECK (length(input_sha256) = 64),"
	" mc_replications INTEGER NOT NULL DEFAULT 0,"
	" mc_seed INTEGER NOT NULL DEFAULT 0,"
	" n_units INTEGER NOT NULL,"
	" n_ranked INTEGER NOT NULL,"
	" n_inputs INTEGER NOT NULL,"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" published INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),"
	" published_by TEXT,"
	" published_at TEXT) STRICT;"
	"CREATE TABLE index_input("
	" edition INTEGER NOT NULL REFERENCES index_edition(year),"
	" iso3 TEXT NOT NULL,"
	" indicator_id TEXT NOT NULL,"
	" year INTEGER NOT NULL,"
	" value REAL NOT NULL,"
	" observation_id INTEGER NOT NULL REFERENCES observation(id),"
	" source TEXT NOT NULL,"
	" synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),"
	" PRIMARY KEY (edition, iso3, indicator_id)) STRICT;"
	"CREATE TABLE index_result("
	" edition INTEGER NOT NULL REFERENCES index_edition(year),"
	" iso3 TEXT NOT NULL,"
	" node TEXT NOT NULL,"
	" score REAL,"
	" rank INTEGER,"
	" rank_median REAL,"
	" rank_p05 REAL,"
	" rank_p95 REAL,"
	" PRIMARY KEY (edition, iso3, node)) STRICT;"
	"CREATE TRIGGER index_edition_frozen BEFORE UPDATE ON index_edition"
	" WHEN OLD.published = 1"
	" BEGIN SELECT RAISE(ABORT, 'published index editions are never changed'); END;"
	"CREATE TRIGGER index_edition_no_delete BEFORE DELETE ON index_edition"
	" WHEN OLD.published = 1"
	" BEGIN SELECT RAISE(ABORT, 'published index editions are never deleted'); END;"
	"CREATE TRIGGER index_input_guard BEFORE INSERT ON index_input"
	" BEGIN SELECT cdg_actor(); SELECT RAISE(ABORT, 'published index editions are never changed')"
	"  WHERE (SELECT published FROM index_edition WHERE year = NEW.edition) = 1; END;"
	"CREATE TRIGGER index_input_frozen BEFORE UPDATE ON index_input"
	" BEGIN SELECT RAISE(ABORT, 'index inputs are never changed'); END;"
	"CREATE TRIGGER index_input_no_delete BEFORE DELETE ON index_input"
	" BEGIN SELECT cdg_actor(); SELECT RAISE(ABORT, 'published index editions are never changed')"
	"  WHERE (SELECT published FROM index_edition WHERE year = OLD.edition) = 1; END;"
	"CREATE TRIGGER index_result_guard BEFORE INSERT ON index_result"
	" BEGIN SELECT cdg_actor(); SELECT RAISE(ABORT, 'published index editions are never changed')"
	"  WHERE (SELECT published FROM index_edition WHERE year = NEW.edition) = 1; END;"
	"CREATE TRIGGER index_result_frozen BEFORE UPDATE ON index_result"
	" BEGIN SELECT RAISE(ABORT, 'index results are never changed'); END;"
	"CREATE TRIGGER index_result_no_delete BEFORE DELETE ON index_result"
	" BEGIN SELECT cdg_actor(); SELECT RAISE(ABORT, 'published index editions are never changed')"
	"  WHERE (SELECT published FROM index_edition WHERE year = OLD.edition) = 1; END;";

static const char *const m3_audited[] = {"index_edition", NULL};

/* Cybercrime co-operation (issue 7): the ETS 185 articles with their class
 * and UN 2024 counterpart, each treaty's entry-into-force threshold and
 * scope (a side table of `treaty`, whose rows for ETS185 and CETS224 cdg
 * init already writes; parties of every treaty stay in treaty_party), and
 * per-state data: legal coverage, bilateral MLATs, 24/7 points of contact
 * and membership of the sub-groups thresholds name (Council of Europe).
 * Dates are ISO text; "unknown" is an absent row or NULL, never "no". */
static const char m4_sql[] =
	"CREATE TABLE crime_article("
	" id TEXT PRIMARY KEY,"
	" number INTEGER NOT NULL,"
	" title TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('offence','procedural_power','cooperation')),"
	" summary TEXT NOT NULL,"
	" class TEXT CHECK (class IN ('cyber_dependent','cyber_enabled','content_related')),"
	" class_reason TEXT,"
	" un_article TEXT,"
	" un_title TEXT,"
	" un_verified INTEGER NOT NULL DEFAULT 0 CHECK (un_verified IN (0, 1)),"
	" position INTEGER NOT NULL) STRICT;"
	"CREATE TABLE crime_treaty("
	" treaty_id TEXT PRIMARY KEY REFERENCES treaty(id),"
	" opened TEXT,"
	" adopted TEXT,"
	" eif_count INTEGER NOT NULL CHECK (eif_count > 0),"
	" eif_sub_group TEXT,"
	" eif_sub_count INTEGER NOT NULL DEFAULT 0,"
	" eif_rule TEXT NOT NULL CHECK (eif_rule IN ('days_after','month_after_months')),"
	" eif_lag INTEGER NOT NULL,"
	" eif_text TEXT NOT NULL,"
	" entered_into_force TEXT,"
	" source_url TEXT NOT NULL,"
	" parties_source TEXT,"
	" parties_note TEXT,"
	" scope_note TEXT,"
	" position INTEGER NOT NULL) STRICT;"
	"CREATE TABLE crime_treaty_scope("
	" treaty_id TEXT NOT NULL REFERENCES treaty(id),"
	" article_id TEXT NOT NULL REFERENCES crime_article(id),"
	" PRIMARY KEY (treaty_id, article_id)) STRICT;"
	"CREATE TABLE crime_coverage("
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" article_id TEXT NOT NULL REFERENCES crime_article(id),"
	" covered TEXT NOT NULL CHECK (covered IN ('yes','partial','no','unknown')),"
	" legal_citation TEXT,"
	" source_url TEXT,"
	" basis TEXT NOT NULL,"
	" note TEXT,"
	" CHECK (covered IN ('no','unknown') OR"
	"  (legal_citation IS NOT NULL AND source_url IS NOT NULL)),"
	" PRIMARY KEY (iso3, article_id)) STRICT;"
	"CREATE TABLE crime_mlat("
	" a TEXT NOT NULL REFERENCES country(iso3),"
	" b TEXT NOT NULL REFERENCES country(iso3),"
	" signed TEXT,"
	" in_force TEXT,"
	" source_url TEXT NOT NULL,"
	" note TEXT,"
	" CHECK (a < b),"
	" PRIMARY KEY (a, b)) STRICT;"
	"CREATE TABLE crime_contact247("
	" iso3 TEXT PRIMARY KEY REFERENCES country(iso3),"
	" since TEXT,"
	" source_url TEXT NOT NULL,"
	" note TEXT) STRICT;"
	"CREATE TABLE crime_group_member("
	" group_id TEXT NOT NULL,"
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" since TEXT,"
	" until TEXT,"
	" source_url TEXT NOT NULL,"
	" basis TEXT NOT NULL CHECK (basis IN ('verified','unverified')),"
	" note TEXT,"
	" PRIMARY KEY (group_id, iso3)) STRICT;";

static const char *const m4_audited[] = {"crime_article", "crime_treaty",
	"crime_treaty_scope", "crime_coverage", "crime_mlat", "crime_contact247",
	"crime_group_member", NULL};

/* Accountability registry (issue 5): incidents with victim states and
 * sectors (sector catalog from data/registry/sectors.csv), actors (states'
 * proxies: intrusion sets and threat actors with an alleged sponsor),
 * public attributions with the norm or law each invokes and how, the
 * responses that followed, and per state: attribution standards,
 * deterrence doctrines and positions on international law.  Confidence is
 * STIX 2.1's 0-100 (docs/registry.md).  reg_fts indexes titles,
 * descriptions and statements (FTS5), kept current by triggers.  The text
 * is longer than the 4095 characters ISO C promises for a literal; GCC and
 * clang take it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
static const char m5_sql[] =
	"CREATE TABLE reg_sector("
	" id TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" catalog TEXT NOT NULL,"
	" parent TEXT,"
	" source_url TEXT NOT NULL,"
	" position INTEGER NOT NULL) STRICT;"
	"CREATE TABLE reg_actor("
	" id TEXT PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('intrusion-set','threat-actor','unit')),"
	" name TEXT NOT NULL,"
	" aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),"
	" sponsor_iso3 TEXT REFERENCES country(iso3),"
	" sponsor_text TEXT,"
	" confidence INTEGER CHECK (confidence BETWEEN 0 AND 100),"
	" description TEXT,"
	" refs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(refs)),"
	" origin TEXT NOT NULL) STRICT;"
	"CREATE TABLE reg_incident("
	" id TEXT PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" start_date TEXT,"
	" end_date TEXT,"
	" description TEXT,"
	" effects TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(effects)),"
	" cert_targeted INTEGER CHECK (cert_targeted IN (0, 1)),"
	" sources TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(sources)),"
	" origin TEXT NOT NULL,"
	" CHECK (end_date IS NULL OR start_date IS NULL OR end_date >= start_date)) STRICT;"
	"CREATE TABLE reg_incident_victim("
	" incident_id TEXT NOT NULL REFERENCES reg_incident(id),"
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" PRIMARY KEY (incident_id, iso3)) STRICT;"
	"CREATE TABLE reg_incident_sector("
	" incident_id TEXT NOT NULL REFERENCES reg_incident(id),"
	" sector_id TEXT NOT NULL REFERENCES reg_sector(id),"
	" PRIMARY KEY (incident_id, sector_id)) STRICT;"
	"CREATE TABLE reg_standard("
	" id TEXT PRIMARY KEY,"
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" title TEXT NOT NULL,"
	" date TEXT NOT NULL,"
	" url TEXT NOT NULL,"
	" criteria TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(criteria)),"
	" note TEXT) STRICT;"
	"CREATE TABLE reg_doctrine("
	" id TEXT PRIMARY KEY,"
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" title TEXT NOT NULL,"
	" date TEXT NOT NULL,"
	" url TEXT NOT NULL,"
	" summary TEXT,"
	" note TEXT) STRICT;"
	"CREATE TABLE reg_position("
	" id TEXT PRIMARY KEY,"
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" date TEXT NOT NULL,"
	" title TEXT NOT NULL,"
	" document_type TEXT,"
	" url TEXT NOT NULL,"
	" note TEXT) STRICT;"
	"CREATE TABLE reg_attribution("
	" id TEXT PRIMARY KEY,"
	" incident_id TEXT NOT NULL REFERENCES reg_incident(id),"
	" party_kind TEXT NOT NULL CHECK (party_kind IN"
	"  ('state','state_group','organisation','company')),"
	" party_name TEXT NOT NULL,"
	" party_iso3 TEXT REFERENCES country(iso3),"
	" party_members TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(party_members)),"
	" attributed_iso3 TEXT REFERENCES country(iso3),"
	" actor_id TEXT REFERENCES reg_actor(id),"
	" actor_text TEXT,"
	" date TEXT NOT NULL,"
	" statement_title TEXT NOT NULL,"
	" statement_url TEXT NOT NULL,"
	" confidence INTEGER CHECK (confidence BETWEEN 0 AND 100),"
	" basis TEXT CHECK (basis IN ('technical','political','legal')),"
	" standard_id TEXT REFERENCES reg_standard(id),"
	" invoked TEXT,"
	" note TEXT,"
	" origin TEXT NOT NULL,"
	" CHECK (attributed_iso3 IS NOT NULL OR actor_id IS NOT NULL OR actor_text IS NOT NULL),"
	" CHECK (party_kind <> 'state' OR party_iso3 IS NOT NULL)) STRICT;"
	"CREATE INDEX reg_attribution_incident ON reg_attribution(incident_id);"
	"CREATE INDEX reg_attribution_attributed ON reg_attribution(attributed_iso3);"
	"CREATE INDEX reg_attribution_party ON reg_attribution(party_iso3);"
	"CREATE TABLE reg_invocation("
	" attribution_id TEXT NOT NULL REFERENCES reg_attribution(id),"
	" position INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('norm','norm_mapping','international_law',"
	"  'commitment','general','domestic_law','sanctions','other')),"
	" norm_id TEXT REFERENCES norm(id),"
	" rule TEXT,"
	" text TEXT NOT NULL,"
	" articulation TEXT,"
	" CHECK ((kind IN ('norm','norm_mapping')) = (norm_id IS NOT NULL)),"
	" PRIMARY KEY (attribution_id, position)) STRICT;"
	"CREATE INDEX reg_invocation_norm ON reg_invocation(norm_id);"
	"CREATE TABLE reg_response("
	" attribution_id TEXT NOT NULL REFERENCES reg_attribution(id),"
	" position INTEGER NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('sanctions','indictment','expulsion',"
	"  'demarche','other')),"
	" date TEXT,"
	" description TEXT NOT NULL,"
	" url TEXT,"
	" PRIMARY KEY (attribution_id, position)) STRICT;"
	"CREATE VIRTUAL TABLE reg_fts USING fts5(ref UNINDEXED, kind UNINDEXED,"
	" title, body, tokenize = 'unicode61 remove_diacritics 2');"
	"CREATE TRIGGER reg_incident_fts_i AFTER INSERT ON reg_incident BEGIN"
	" INSERT INTO reg_fts(ref, kind, title, body) VALUES"
	"  (NEW.id, 'incident', NEW.title, coalesce(NEW.description, '')); END;"
	"CREATE TRIGGER reg_incident_fts_u AFTER UPDATE ON reg_incident BEGIN"
	" DELETE FROM reg_fts WHERE ref = OLD.id AND kind = 'incident';"
	" INSERT INTO reg_fts(ref, kind, title, body) VALUES"
	"  (NEW.id, 'incident', NEW.title, coalesce(NEW.description, '')); END;"
	"CREATE TRIGGER reg_incident_fts_d AFTER DELETE ON reg_incident BEGIN"
	" DELETE FROM reg_fts WHERE ref = OLD.id AND kind = 'incident'; END;"
	"CREATE TRIGGER reg_attribution_fts_i AFTER INSERT ON reg_attribution BEGIN"
	" INSERT INTO reg_fts(ref, kind, title, body) VALUES (NEW.id, 'statement',"
	"  NEW.statement_title, coalesce(NEW.invoked, '') || ' ' ||"
	"  coalesce(NEW.actor_text, '') || ' ' || coalesce(NEW.note, '')); END;"
	"CREATE TRIGGER reg_attribution_fts_u AFTER UPDATE ON reg_attribution BEGIN"
	" DELETE FROM reg_fts WHERE ref = OLD.id AND kind = 'statement';"
	" INSERT INTO reg_fts(ref, kind, title, body) VALUES (NEW.id, 'statement',"
	"  NEW.statement_title, coalesce(NEW.invoked, '') || ' ' ||"
	"  coalesce(NEW.actor_text, '') || ' ' || coalesce(NEW.note, '')); END;"
	"CREATE TRIGGER reg_attribution_fts_d AFTER DELETE ON reg_attribution BEGIN"
	" DELETE FROM reg_fts WHERE ref = OLD.id AND kind = 'statement'; END;";
#pragma GCC diagnostic pop

static const char *const m5_audited[] = {"reg_sector", "reg_actor",
	"reg_incident", "reg_incident_victim", "reg_incident_sector",
	"reg_standard", "reg_doctrine", "reg_position", "reg_attribution",
	"reg_invocation", "reg_response", NULL};

/* Accounts, roles and sessions (issue 6).  Sessions and API tokens are
 * stored as SHA-256 hashes only; password and token hashes are redacted
 * in the audit log.  Sessions are not audited (they are not records). */
static const char m6_sql[] =
	"CREATE TABLE account("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 64"
	"  AND name NOT GLOB '*[^A-Za-z0-9._@-]*' AND name NOT LIKE 'cli:%'),"
	" role TEXT NOT NULL CHECK (role IN"
	"  ('stakeholder','focal_point','editor','secretariat')),"
	" iso3 TEXT REFERENCES country(iso3),"
	" password_hash TEXT,"
	" disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
	" created_at TEXT NOT NULL,"
	" CHECK ((role = 'focal_point') = (iso3 IS NOT NULL))) STRICT;"
	"CREATE TABLE session("
	" token_hash TEXT PRIMARY KEY,"
	" account_id INTEGER NOT NULL REFERENCES account(id),"
	" kind TEXT NOT NULL CHECK (kind IN ('session','api')),"
	" csrf TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" expires_at TEXT NOT NULL,"
	" revoked INTEGER NOT NULL DEFAULT 0,"
	" label TEXT NOT NULL) STRICT;";

static const char *const m6_audited[] = {"account", NULL};

/* Sensitivity indices of index editions: one row per uncertain choice of
 * the methodology, frozen with the edition like its results. */
static const char m7_sql[] =
	"CREATE TABLE index_sensitivity("
	" edition INTEGER NOT NULL REFERENCES index_edition(year),"
	" factor TEXT NOT NULL,"
	" n INTEGER NOT NULL CHECK (n >= 2),"
	" si REAL,"
	" sti REAL,"
	" PRIMARY KEY (edition, factor)) STRICT;"
	"CREATE TRIGGER index_sensitivity_guard BEFORE INSERT ON index_sensitivity"
	" BEGIN SELECT cdg_actor(); SELECT RAISE(ABORT, 'published index editions are never changed')"
	"  WHERE (SELECT published FROM index_edition WHERE year = NEW.edition) = 1; END;"
	"CREATE TRIGGER index_sensitivity_frozen BEFORE UPDATE ON index_sensitivity"
	" BEGIN SELECT RAISE(ABORT, 'index sensitivity indices are never changed'); END;"
	"CREATE TRIGGER index_sensitivity_no_delete BEFORE DELETE ON index_sensitivity"
	" BEGIN SELECT cdg_actor(); SELECT RAISE(ABORT, 'published index editions are never changed')"
	"  WHERE (SELECT published FROM index_edition WHERE year = OLD.edition) = 1; END;";

static const char *const m7_audited[] = {NULL};

/* Capacity building and the map of agreements (issue 8).  Lists that are
 * only ever read whole (donors, goals, objectives ...) are JSON arrays of
 * strings; the engines in capacity/ do the matching in C.  Every table is
 * audited. */
static const char m8_sql[] =
	"CREATE TABLE cap_initiative("
	" id TEXT PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" donors TEXT NOT NULL CHECK (json_valid(donors) AND json_array_length(donors) > 0),"
	" implementers TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(implementers)),"
	" states TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(states)),"
	" regions TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(regions)),"
	" global INTEGER NOT NULL DEFAULT 0 CHECK (global IN (0, 1)),"
	" goals TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(goals)),"
	" norms TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(norms)),"
	" start_date TEXT,"
	" end_date TEXT,"
	" budget REAL CHECK (budget >= 0),"
	" currency TEXT CHECK (length(currency) = 3),"
	" status TEXT NOT NULL CHECK (status IN ('planned','ongoing','completed','cancelled')),"
	" source_url TEXT NOT NULL,"
	" synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1)),"
	" note TEXT,"
	" CHECK ((budget IS NULL) = (currency IS NULL))) STRICT;"
	"CREATE TABLE agr_industry_norm("
	" id TEXT PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" paraphrase TEXT NOT NULL,"
	" source_url TEXT NOT NULL,"
	" position INTEGER NOT NULL) STRICT;"
	"CREATE TABLE agr_agreement("
	" id TEXT PRIMARY KEY,"
	" name TEXT NOT NULL,"
	" short_name TEXT NOT NULL,"
	" year INTEGER NOT NULL,"
	" date TEXT,"
	" type TEXT NOT NULL CHECK (type IN ('single_group','multistakeholder','binding')),"
	" stakeholder_groups TEXT NOT NULL CHECK (json_valid(stakeholder_groups)),"
	" objectives TEXT NOT NULL CHECK (json_valid(objectives)),"
	" compliance TEXT NOT NULL CHECK (compliance IN"
	"  ('none','reporting','peer_review','legal_obligation')),"
	" compliance_note TEXT,"
	" treaty_id TEXT REFERENCES treaty(id),"
	" participants_note TEXT,"
	" source_url TEXT NOT NULL,"
	" source_note TEXT,"
	" position INTEGER NOT NULL) STRICT;"
	"CREATE TABLE agr_participant("
	" agreement_id TEXT NOT NULL REFERENCES agr_agreement(id),"
	" position INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" iso3 TEXT REFERENCES country(iso3),"
	" kind TEXT NOT NULL CHECK (kind IN"
	"  ('state','company','organisation','civil_society','other')),"
	" role TEXT NOT NULL,"
	" date TEXT,"
	" source_url TEXT NOT NULL,"
	" PRIMARY KEY (agreement_id, position)) STRICT;"
	"CREATE TABLE agr_commitment("
	" agreement_id TEXT NOT NULL REFERENCES agr_agreement(id),"
	" id TEXT NOT NULL,"
	" position INTEGER NOT NULL,"
	" text TEXT NOT NULL,"
	" location TEXT,"
	" force TEXT NOT NULL CHECK (force IN ('obligation','commitment','recommendation')),"
	" maps TEXT NOT NULL CHECK (json_valid(maps)),"
	" PRIMARY KEY (agreement_id, id)) STRICT;"
	"CREATE TABLE agr_company("
	" id TEXT PRIMARY KEY,"
	" company TEXT NOT NULL,"
	" norm_id TEXT NOT NULL REFERENCES agr_industry_norm(id),"
	" commitment TEXT NOT NULL,"
	" date TEXT NOT NULL,"
	" evidence_url TEXT NOT NULL,"
	" note TEXT,"
	" synthetic INTEGER NOT NULL DEFAULT 0 CHECK (synthetic IN (0, 1))) STRICT;"
	"CREATE INDEX agr_company_norm ON agr_company(norm_id);";

static const char *const m8_audited[] = {"cap_initiative", "agr_industry_norm",
	"agr_agreement", "agr_participant", "agr_commitment", "agr_company", NULL};

/* The standing forum (issue 9): stakeholder organisations and their
 * members, sessions and consultations with agenda items, documents with
 * access levels and versions, written proposals with versions, comments
 * and endorsements, decisions (consensus or vote) with the proposals they
 * drew on, and the actions agreed in them.  Versions, comments,
 * endorsements, decisions and their bases are never changed or deleted:
 * a new version is a new row.  An action's status changes in place (the
 * audit log and forum_action_update keep its history). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverlength-strings"
static const char m9_sql[] =
	"CREATE TABLE forum_org("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 2 AND 200),"
	" grp TEXT NOT NULL CHECK (grp IN ('state','international_organisation',"
	"  'business','civil_society','technical_community','academia')),"
	" iso3 TEXT REFERENCES country(iso3),"
	" accredited INTEGER NOT NULL DEFAULT 0 CHECK (accredited IN (0, 1)),"
	" accredited_by TEXT,"
	" accredited_at TEXT,"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" CHECK ((grp = 'state') = (iso3 IS NOT NULL))) STRICT;"
	"CREATE TABLE forum_member("
	" account_id INTEGER NOT NULL REFERENCES account(id),"
	" org_id INTEGER NOT NULL REFERENCES forum_org(id),"
	" added_by TEXT NOT NULL,"
	" added_at TEXT NOT NULL,"
	" PRIMARY KEY (account_id, org_id)) STRICT;"
	"CREATE TABLE forum_session("
	" id INTEGER PRIMARY KEY,"
	" kind TEXT NOT NULL CHECK (kind IN ('session','consultation')),"
	" title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),"
	" starts_on TEXT NOT NULL,"
	" ends_on TEXT NOT NULL,"
	" description TEXT,"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL,"
	" CHECK (ends_on >= starts_on)) STRICT;"
	"CREATE TABLE forum_item("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES forum_session(id),"
	" position INTEGER NOT NULL,"
	" title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),"
	" description TEXT,"
	" UNIQUE (session_id, position)) STRICT;"
	"CREATE TABLE forum_doc("
	" id INTEGER PRIMARY KEY,"
	" session_id INTEGER NOT NULL REFERENCES forum_session(id),"
	" item_id INTEGER REFERENCES forum_item(id),"
	" title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),"
	" access TEXT NOT NULL CHECK (access IN ('public','registered')),"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL) STRICT;"
	"CREATE TABLE forum_doc_version("
	" doc_id INTEGER NOT NULL REFERENCES forum_doc(id),"
	" version INTEGER NOT NULL CHECK (version >= 1),"
	" body TEXT NOT NULL,"
	" url TEXT,"
	" actor TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (doc_id, version)) STRICT;"
	"CREATE TABLE forum_proposal("
	" id INTEGER PRIMARY KEY,"
	" item_id INTEGER NOT NULL REFERENCES forum_item(id),"
	" org_id INTEGER NOT NULL REFERENCES forum_org(id),"
	" created_by TEXT NOT NULL,"
	" created_at TEXT NOT NULL) STRICT;"
	"CREATE TABLE forum_proposal_version("
	" proposal_id INTEGER NOT NULL REFERENCES forum_proposal(id),"
	" version INTEGER NOT NULL CHECK (version >= 1),"
	" title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),"
	" body TEXT NOT NULL CHECK (length(body) >= 1),"
	" refs TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(refs)),"
	" actor TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (proposal_id, version)) STRICT;"
	"CREATE TABLE forum_comment("
	" id INTEGER PRIMARY KEY,"
	" proposal_id INTEGER NOT NULL REFERENCES forum_proposal(id),"
	" org_id INTEGER NOT NULL REFERENCES forum_org(id),"
	" body TEXT NOT NULL CHECK (length(body) >= 1),"
	" actor TEXT NOT NULL,"
	" at TEXT NOT NULL) STRICT;"
	"CREATE TABLE forum_endorsement("
	" proposal_id INTEGER NOT NULL REFERENCES forum_proposal(id),"
	" org_id INTEGER NOT NULL REFERENCES forum_org(id),"
	" actor TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (proposal_id, org_id)) STRICT;"
	"CREATE TABLE forum_decision("
	" id INTEGER PRIMARY KEY,"
	" item_id INTEGER NOT NULL REFERENCES forum_item(id),"
	" method TEXT NOT NULL CHECK (method IN ('consensus','vote')),"
	" yes INTEGER, no INTEGER, abstain INTEGER,"
	" body TEXT NOT NULL CHECK (length(body) >= 1),"
	" adopted_on TEXT NOT NULL,"
	" actor TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" CHECK ((method = 'vote') = (yes IS NOT NULL AND no IS NOT NULL"
	"  AND abstain IS NOT NULL)),"
	" CHECK (method = 'consensus' OR (yes > no AND no >= 0 AND abstain >= 0))) STRICT;"
	"CREATE TABLE forum_decision_basis("
	" decision_id INTEGER NOT NULL REFERENCES forum_decision(id),"
	" proposal_id INTEGER NOT NULL REFERENCES forum_proposal(id),"
	" PRIMARY KEY (decision_id, proposal_id)) STRICT;"
	"CREATE TABLE forum_action("
	" id INTEGER PRIMARY KEY,"
	" decision_id INTEGER NOT NULL REFERENCES forum_decision(id),"
	" title TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300),"
	" owner_org_id INTEGER NOT NULL REFERENCES forum_org(id),"
	" deadline TEXT NOT NULL,"
	" status TEXT NOT NULL DEFAULT 'agreed' CHECK (status IN"
	"  ('agreed','in_progress','done')),"
	" note TEXT,"
	" updated_by TEXT NOT NULL,"
	" updated_at TEXT NOT NULL) STRICT;"
	"CREATE INDEX forum_action_owner ON forum_action(owner_org_id);"
	"CREATE TABLE forum_action_update("
	" action_id INTEGER NOT NULL REFERENCES forum_action(id),"
	" seq INTEGER NOT NULL,"
	" status TEXT NOT NULL,"
	" note TEXT,"
	" actor TEXT NOT NULL,"
	" at TEXT NOT NULL,"
	" PRIMARY KEY (action_id, seq)) STRICT;"
	/* The record is never rewritten: new versions are new rows. */
	"CREATE TRIGGER forum_doc_version_frozen BEFORE UPDATE ON forum_doc_version"
	" BEGIN SELECT RAISE(ABORT, 'document versions are never changed'); END;"
	"CREATE TRIGGER forum_doc_version_kept BEFORE DELETE ON forum_doc_version"
	" BEGIN SELECT RAISE(ABORT, 'document versions are never deleted'); END;"
	"CREATE TRIGGER forum_proposal_version_frozen BEFORE UPDATE ON forum_proposal_version"
	" BEGIN SELECT RAISE(ABORT, 'proposal versions are never changed'); END;"
	"CREATE TRIGGER forum_proposal_version_kept BEFORE DELETE ON forum_proposal_version"
	" BEGIN SELECT RAISE(ABORT, 'proposal versions are never deleted'); END;"
	"CREATE TRIGGER forum_comment_frozen BEFORE UPDATE ON forum_comment"
	" BEGIN SELECT RAISE(ABORT, 'comments are never changed'); END;"
	"CREATE TRIGGER forum_comment_kept BEFORE DELETE ON forum_comment"
	" BEGIN SELECT RAISE(ABORT, 'comments are never deleted'); END;"
	"CREATE TRIGGER forum_decision_frozen BEFORE UPDATE ON forum_decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are never changed'); END;"
	"CREATE TRIGGER forum_decision_kept BEFORE DELETE ON forum_decision"
	" BEGIN SELECT RAISE(ABORT, 'decisions are never deleted'); END;"
	"CREATE TRIGGER forum_decision_basis_frozen BEFORE UPDATE ON forum_decision_basis"
	" BEGIN SELECT RAISE(ABORT, 'decisions are never changed'); END;"
	"CREATE TRIGGER forum_decision_basis_kept BEFORE DELETE ON forum_decision_basis"
	" BEGIN SELECT RAISE(ABORT, 'decisions are never changed'); END;"
	"CREATE TRIGGER forum_action_update_frozen BEFORE UPDATE ON forum_action_update"
	" BEGIN SELECT RAISE(ABORT, 'action updates are never changed'); END;"
	"CREATE TRIGGER forum_action_update_kept BEFORE DELETE ON forum_action_update"
	" BEGIN SELECT RAISE(ABORT, 'action updates are never deleted'); END;";
#pragma GCC diagnostic pop

static const char *const m9_audited[] = {"forum_org", "forum_member",
	"forum_session", "forum_item", "forum_doc", "forum_doc_version",
	"forum_proposal", "forum_proposal_version", "forum_comment",
	"forum_endorsement", "forum_decision", "forum_decision_basis",
	"forum_action", "forum_action_update", NULL};
/* A leaner observation table (issue 3): a million-row import spent two
 * thirds of its time keeping rows of text keys and their index.  Rows
 * now hold integer keys: indicator and state as small interned ids
 * (obs_indicator, obs_country: explicit INTEGER PRIMARY KEYs, which
 * VACUUM never renumbers), the source URL interned in obs_source (sources
 * repeat heavily), and who, when and whether synthetic taken from the
 * import batch, which always holds them for its rows.  The per-row
 * entered_by/entered_at/synthetic columns stay only for rows carried over
 * whose values differ from their batch (NULL: the batch's).  The view
 * observation keeps the former shape for reads.  Run with foreign keys
 * off (see migrate()): the old table is dropped and the new one renamed
 * through its name so that index_input's reference follows it to obs. */
static const char m10_sql[] =
	"CREATE TABLE obs_indicator("
	" id INTEGER PRIMARY KEY,"
	" code TEXT NOT NULL UNIQUE REFERENCES indicator(id)) STRICT;"
	"CREATE TABLE obs_country("
	" id INTEGER PRIMARY KEY,"
	" iso3 TEXT NOT NULL UNIQUE REFERENCES country(iso3)) STRICT;"
	"CREATE TABLE obs_source("
	" id INTEGER PRIMARY KEY,"
	" url TEXT NOT NULL UNIQUE) STRICT;"
	"INSERT INTO obs_indicator(code) SELECT id FROM indicator"
	" UNION SELECT indicator_id FROM observation ORDER BY 1;"
	"INSERT INTO obs_country(iso3) SELECT iso3 FROM country"
	" UNION SELECT iso3 FROM observation ORDER BY 1;"
	"INSERT INTO obs_source(url) SELECT DISTINCT source FROM observation ORDER BY 1;"
	"CREATE TABLE obs_new("
	" id INTEGER PRIMARY KEY,"
	" indicator INTEGER NOT NULL REFERENCES obs_indicator(id),"
	" country INTEGER NOT NULL REFERENCES obs_country(id)"
	"  CHECK (country BETWEEN 1 AND 4095),"
	" year INTEGER NOT NULL CHECK (year BETWEEN 0 AND 4095),"
	" value REAL NOT NULL,"
	" source INTEGER NOT NULL REFERENCES obs_source(id),"
	" note TEXT,"
	" batch_id INTEGER NOT NULL REFERENCES import_batch(id),"
	" line INTEGER,"
	" superseded_by INTEGER REFERENCES obs_new(id),"
	" entered_by TEXT,"
	" entered_at TEXT,"
	" synthetic INTEGER CHECK (synthetic IN (0, 1))) STRICT;"
	"INSERT INTO obs_new SELECT o.id, i.id, c.id, o.year, o.value, s.id,"
	" o.note, o.batch_id, o.line, o.superseded_by,"
	" nullif(o.entered_by, b.actor), nullif(o.entered_at, b.at),"
	" nullif(o.synthetic, b.synthetic)"
	" FROM observation o JOIN obs_indicator i ON i.code = o.indicator_id"
	" JOIN obs_country c ON c.iso3 = o.iso3 JOIN obs_source s ON s.url = o.source"
	" LEFT JOIN import_batch b ON b.id = o.batch_id ORDER BY o.id;"
	"DROP TABLE observation;"
	"ALTER TABLE obs_new RENAME TO observation;"
	"ALTER TABLE observation RENAME TO obs;"
	/* Indicator first: data arrive series by series (SDMX, cdg's own
	 * export, derivations), so a bulk import walks this index in order
	 * instead of jumping across it (a third less import time); per-state
	 * reads seek it once per indicator (store_obs_each).  One packed
	 * integer rather than three columns: smaller entries and a single
	 * comparison cost 40% less to maintain. */
	"CREATE UNIQUE INDEX obs_current ON obs" OBS_KEY("")
	" WHERE superseded_by IS NULL;"
	"CREATE VIEW observation AS SELECT o.id AS id, i.code AS indicator_id,"
	" c.iso3 AS iso3, o.year AS year, o.value AS value, s.url AS source,"
	" o.note AS note, o.batch_id AS batch_id, o.line AS line,"
	" o.superseded_by AS superseded_by,"
	" coalesce(o.synthetic, b.synthetic) AS synthetic,"
	" coalesce(o.entered_by, b.actor) AS entered_by,"
	" coalesce(o.entered_at, b.at) AS entered_at"
	" FROM obs o JOIN obs_indicator i ON i.id = o.indicator"
	" JOIN obs_country c ON c.id = o.country JOIN obs_source s ON s.id = o.source"
	" JOIN import_batch b ON b.id = o.batch_id;";

static const char *const m10_audited[] = {NULL};

/* Migration 11: the names cdg itself writes under ("system" for init and
 * sessions, "demo" for the SYNTHETIC round, "cli:USER" for the operator)
 * are reserved, in any case, so no account can be mistaken for them in the
 * audit log.  Accounts that already bear one are disabled (audited). */
#define RESERVED_NAME(col) "lower(" col ") IN ('system','demo','operator','anonymous')"
static const char m11_sql[] =
	"CREATE TRIGGER account_reserved_insert BEFORE INSERT ON account"
	" WHEN " RESERVED_NAME("NEW.name")
	" BEGIN SELECT RAISE(ABORT, 'CHECK: reserved account name'); END;"
	"CREATE TRIGGER account_reserved_update BEFORE UPDATE OF name ON account"
	" WHEN " RESERVED_NAME("NEW.name")
	" BEGIN SELECT RAISE(ABORT, 'CHECK: reserved account name'); END;"
	"UPDATE account SET disabled = 1 WHERE " RESERVED_NAME("name") ";"
	/* API tokens made and any session or token revoked go to the audit
	 * log under the first 12 hex digits of the token's hash (its id in
	 * cdg token list), never the hash itself. */
	"CREATE TRIGGER session_audit_token AFTER INSERT ON session"
	" WHEN NEW.kind = 'api' BEGIN INSERT INTO audit_log(at, actor, action,"
	" entity, entity_key, before, after) VALUES (cdg_now(), cdg_actor(),"
	" 'insert', 'token', substr(NEW.token_hash, 1, 12), NULL,"
	" json_object('account_id', NEW.account_id, 'label', NEW.label,"
	" 'expires_at', NEW.expires_at)); END;"
	"CREATE TRIGGER session_audit_revoke AFTER UPDATE OF revoked ON session"
	" WHEN NEW.revoked AND NOT OLD.revoked BEGIN INSERT INTO audit_log(at,"
	" actor, action, entity, entity_key, before, after) VALUES (cdg_now(),"
	" cdg_actor(), 'update', CASE NEW.kind WHEN 'api' THEN 'token'"
	" ELSE 'session' END, substr(NEW.token_hash, 1, 12),"
	" json_object('revoked', 0), json_object('revoked', 1,"
	" 'account_id', NEW.account_id)); END;";

static const char *const m11_audited[] = {NULL};

/* Migration 12: every batch of observations says what kind of evidence
 * it is (docs/public-evidence.md): a State's own survey (self_reported),
 * public evidence found and checked by analysts (desk_research) or a value
 * computed from cdg's registries (derived).  Existing batches get the type
 * their kind implies; the view observation shows it. */
static const char m12_sql[] =
	"ALTER TABLE import_batch ADD COLUMN source_type TEXT CHECK (source_type IN"
	" ('self_reported', 'desk_research', 'derived'));"
	"UPDATE import_batch SET source_type = CASE"
	" WHEN kind IN ('survey', 'demo') OR (kind = 'derived' AND file_name LIKE '%survey%')"
	" THEN 'self_reported' WHEN kind = 'derived' THEN 'derived'"
	" ELSE 'desk_research' END;"
	"DROP VIEW observation;"
	"CREATE VIEW observation AS SELECT o.id AS id, i.code AS indicator_id,"
	" c.iso3 AS iso3, o.year AS year, o.value AS value, s.url AS source,"
	" o.note AS note, o.batch_id AS batch_id, o.line AS line,"
	" o.superseded_by AS superseded_by,"
	" coalesce(o.synthetic, b.synthetic) AS synthetic,"
	" coalesce(o.entered_by, b.actor) AS entered_by,"
	" coalesce(o.entered_at, b.at) AS entered_at,"
	" b.source_type AS source_type"
	" FROM obs o JOIN obs_indicator i ON i.id = o.indicator"
	" JOIN obs_country c ON c.id = o.country JOIN obs_source s ON s.id = o.source"
	" JOIN import_batch b ON b.id = o.batch_id;";

static const char *const m12_audited[] = {NULL};

/* Migration 13: a participant listed by desk research
 * (data/evidence/agreement_participants.csv) keeps its status in the list
 * it comes from (a NIS2 Member State: transposed, partial or
 * not_transposed; elsewhere supporter, member or signatory), the day its
 * source was checked and what was read.  Rows of the agreements file leave
 * them NULL.  The audit triggers are made again so that their images show
 * the new columns. */
static const char m13_sql[] =
	"DROP TRIGGER agr_participant_audit_insert;"
	"DROP TRIGGER agr_participant_audit_update;"
	"DROP TRIGGER agr_participant_audit_delete;"
	"ALTER TABLE agr_participant ADD COLUMN status TEXT;"
	"ALTER TABLE agr_participant ADD COLUMN checked TEXT;"
	"ALTER TABLE agr_participant ADD COLUMN note TEXT;";

static const char *const m13_audited[] = {"agr_participant", NULL};

/* Migration 14: stable identifiers (issue 16, docs/registry.md
 * "Identity").  An incident has one id, its UUID: incidents read from
 * STIX kept the "incident--" or "campaign--" of the bundle, so the same
 * incident exported and read back was stored twice.  Prefixed ids become
 * the bare UUID; where both forms exist the prefixed record is merged
 * into the UUID's (its attributions, victims and sectors move over; the
 * audit log keeps the deleted row).  Incidents, attributions and actors
 * gain the STIX timestamps of their version, created and modified
 * (YYYY-MM-DDTHH:MM:SS.sssZ), filled from the audit log for existing rows
 * (first and last write); store_upsert_versioned() keeps them after.  An
 * actor attributed to another actor (an intrusion set to the threat actor
 * behind it) is a row of reg_actor_rel.  The audit triggers of the tables
 * that gain columns are made again so that their images show them. */
#define M14_UUID(col) "substr(" col ", instr(" col ", '--') + 2)"
#define M14_STAMPS(table) \
	"ALTER TABLE " table " ADD COLUMN created TEXT;" \
	"ALTER TABLE " table " ADD COLUMN modified TEXT;" \
	"UPDATE " table " SET created = coalesce((SELECT substr(min(at), 1, 19) ||" \
	" '.000Z' FROM audit_log WHERE entity = '" table "' AND entity_key = " \
	table ".id), substr(cdg_now(), 1, 19) || '.000Z'), modified = coalesce(" \
	"(SELECT substr(max(at), 1, 19) || '.000Z' FROM audit_log WHERE entity = '" \
	table "' AND entity_key = " table ".id), substr(cdg_now(), 1, 19) || '.000Z');"
static const char m14_sql[] =
	"UPDATE OR IGNORE reg_incident SET id = " M14_UUID("id")
	" WHERE id LIKE '%--%';"
	"UPDATE reg_attribution SET incident_id = " M14_UUID("incident_id")
	" WHERE incident_id LIKE '%--%';"
	"INSERT OR IGNORE INTO reg_incident_victim(incident_id, iso3) SELECT "
	M14_UUID("incident_id") ", iso3 FROM reg_incident_victim"
	" WHERE incident_id LIKE '%--%';"
	"DELETE FROM reg_incident_victim WHERE incident_id LIKE '%--%';"
	"INSERT OR IGNORE INTO reg_incident_sector(incident_id, sector_id) SELECT "
	M14_UUID("incident_id") ", sector_id FROM reg_incident_sector"
	" WHERE incident_id LIKE '%--%';"
	"DELETE FROM reg_incident_sector WHERE incident_id LIKE '%--%';"
	"DELETE FROM reg_incident WHERE id LIKE '%--%';"
	"DROP TRIGGER IF EXISTS reg_incident_audit_insert;"
	"DROP TRIGGER IF EXISTS reg_incident_audit_update;"
	"DROP TRIGGER IF EXISTS reg_incident_audit_delete;"
	"DROP TRIGGER IF EXISTS reg_attribution_audit_insert;"
	"DROP TRIGGER IF EXISTS reg_attribution_audit_update;"
	"DROP TRIGGER IF EXISTS reg_attribution_audit_delete;"
	"DROP TRIGGER IF EXISTS reg_actor_audit_insert;"
	"DROP TRIGGER IF EXISTS reg_actor_audit_update;"
	"DROP TRIGGER IF EXISTS reg_actor_audit_delete;"
	M14_STAMPS("reg_incident")
	M14_STAMPS("reg_attribution")
	M14_STAMPS("reg_actor")
	"CREATE TABLE reg_actor_rel("
	" actor_id TEXT NOT NULL REFERENCES reg_actor(id),"
	" target_id TEXT NOT NULL REFERENCES reg_actor(id),"
	" confidence INTEGER CHECK (confidence BETWEEN 0 AND 100),"
	" source TEXT,"
	" PRIMARY KEY (actor_id, target_id)) STRICT;";

static const char *const m14_audited[] = {"reg_incident", "reg_attribution",
	"reg_actor", "reg_actor_rel", NULL};

/* Migration 15: names of States (issue 16).  state_alias holds every
 * other name of a UN member or observer State that importers accept
 * (data/reference/state_aliases.csv, with its source); non_un_entity the
 * territories and other entities that are no UN member or observer State
 * (data/reference/non_un_entities.csv: Taiwan, Kosovo, Hong Kong ...).
 * The registry keeps such an entity by name with a flag, never as a
 * State (docs/registry.md "Names of States"): an actor's sponsor in
 * reg_actor.sponsor_entity beside the text as written, an incident's
 * victim in reg_incident_entity. */
static const char m15_sql[] =
	"CREATE TABLE state_alias("
	" alias TEXT PRIMARY KEY,"
	" iso3 TEXT NOT NULL REFERENCES country(iso3),"
	" kind TEXT NOT NULL CHECK (kind IN ('un_name','iso_name','iso_official',"
	"  'iso_common','short_form','former_name','inverted','feed')),"
	" source_url TEXT NOT NULL,"
	" source_note TEXT) STRICT;"
	"CREATE INDEX state_alias_iso3 ON state_alias(iso3);"
	"CREATE TABLE non_un_entity("
	" code TEXT PRIMARY KEY CHECK (length(code) = 3),"
	" iso2 TEXT UNIQUE,"
	" name TEXT NOT NULL,"
	" kind TEXT NOT NULL CHECK (kind IN ('territory','special_administrative_region',"
	"  'disputed_status','free_association','other')),"
	" code_status TEXT NOT NULL CHECK (code_status IN ('iso','user_assigned')),"
	" aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),"
	" what TEXT NOT NULL,"
	" source_url TEXT NOT NULL,"
	" source_note TEXT) STRICT;"
	"DROP TRIGGER IF EXISTS reg_actor_audit_insert;"
	"DROP TRIGGER IF EXISTS reg_actor_audit_update;"
	"DROP TRIGGER IF EXISTS reg_actor_audit_delete;"
	"ALTER TABLE reg_actor ADD COLUMN sponsor_entity TEXT REFERENCES non_un_entity(code);"
	"CREATE TABLE reg_incident_entity("
	" incident_id TEXT NOT NULL REFERENCES reg_incident(id),"
	" entity TEXT NOT NULL REFERENCES non_un_entity(code),"
	" PRIMARY KEY (incident_id, entity)) STRICT;";

static const char *const m15_audited[] = {"state_alias", "non_un_entity",
	"reg_actor", "reg_incident_entity", NULL};

const struct store_migration store_migrations[] = {
	{1, "catalog, reference data, audit log", m1_sql, m1_audited},
	{2, "survey responses, observations, import batches", m2_sql, m2_audited},
	{3, "country index editions: methodology, input snapshot, results", m3_sql, m3_audited},
	{4, "cybercrime co-operation: articles, thresholds, coverage, MLATs, 24/7, groups", m4_sql, m4_audited},
	{5, "accountability registry: incidents, attributions, norms invoked, standards, doctrines, IL positions", m5_sql, m5_audited},
	{6, "accounts, roles, sessions and API tokens", m6_sql, m6_audited},
	{7, "sensitivity indices of index editions", m7_sql, m7_audited},
	{8, "capacity-building initiatives, agreements, commitments, industry norms", m8_sql, m8_audited},
	{9, "the standing forum: stakeholders, sessions, documents, proposals, decisions, actions", m9_sql, m9_audited},
	{10, "observations with integer keys, interned sources, provenance from the batch", m10_sql, m10_audited},
	{11, "reserved account names (system, demo, operator, anonymous); tokens and revocations audited", m11_sql, m11_audited},
	{12, "the source type of observation batches (self_reported, desk_research, derived)", m12_sql, m12_audited},
	{13, "agreement participants: status, date checked and note of desk research", m13_sql, m13_audited},
	{14, "registry: one id per incident (UUID), created and modified of each record, actors attributed to actors", m14_sql, m14_audited},
	{15, "names of States: aliases, non-UN entities, the registry's flagged sponsors and victims", m15_sql, m15_audited},
};
const int store_n_migrations =
	(int)(sizeof store_migrations / sizeof store_migrations[0]);
