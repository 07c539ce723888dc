/* The methodology as pages: docs/NAME.md rendered to HTML by cmark-gfm
 * (see http_doc_page in http_int.h). */
#include "http/http_int.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <ctype.h>
#include <dirent.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static pthread_once_t extensions_once = PTHREAD_ONCE_INIT;

static void extensions_register(void)
{
	cmark_gfm_core_extensions_ensure_registered();
}

/* A link between docs ("exchange.md#csv", "examples/") made absolute
 * ("/docs/exchange#csv", "/docs/examples/"); other links are left alone.
 * Returns a malloc'ed URL or NULL. */
static char *doc_link(const char *url)
{
	if (!url || !*url || url[0] == '/' || url[0] == '#' || strstr(url, "..") ||
	    strcspn(url, ":") < strcspn(url, "/#?"))
		return NULL;
	if (strncmp(url, "./", 2) == 0)
		url += 2;
	size_t path = strcspn(url, "#?");
	struct buf b = BUF_INIT;
	buf_adds(&b, "/docs/");
	if (path >= 3 && strncmp(url + path - 3, ".md", 3) == 0) {
		if (!(path == 9 && strncmp(url, "README.md", 9) == 0))
			buf_add(&b, url, path - 3);
	} else {
		buf_add(&b, url, path);
	}
	buf_adds(&b, url + path);
	return buf_detach(&b);
}

/* The plain text of a node's inline content. */
static void text_of(cmark_node *n, struct buf *out)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		cmark_node_type t = cmark_node_get_type(c);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE)
			buf_adds(out, cmark_node_get_literal(c));
		else
			text_of(c, out);
	}
}

/* GitHub's anchor of a heading: lower case, spaces to '-', other
 * punctuation dropped ("CSV from spreadsheets" -> csv-from-spreadsheets). */
static void slug_of(const char *s, struct buf *out)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '-' || *p == '_' || *p >= 0x80)
			buf_addc(out, (char)tolower(*p));
		else if (*p == ' ')
			buf_addc(out, '-');
	}
}

/* Appends html with an id on each heading, taken in order from ids, and
 * each table in a region that scrolls sideways on a phone (focusable, so
 * that a keyboard can scroll it too). */
static void add_heading_ids(struct buf *out, const char *html, char **ids, size_t n)
{
	size_t k = 0, t = 0;
	for (const char *p = html; *p;) {
		if (p[0] == '<' && p[1] == 'h' && p[2] >= '1' && p[2] <= '6' && p[3] == '>' &&
		    k < n) {
			buf_addf(out, "<h%c id=\"%s\">", p[2], ids[k++]);
			p += 4;
		} else if (strncmp(p, "<table>", 7) == 0) {
			buf_addf(out, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
				 "aria-label=\"Table %zu\"><table>", ++t);
			p += 7;
		} else if (strncmp(p, "</table>", 8) == 0) {
			buf_adds(out, "</table></div>");
			p += 8;
		} else {
			buf_addc(out, *p++);
		}
	}
}

/* Renders markdown into page: the template's <!--title--> and
 * <!--content--> markers replaced. */
static int render(const char *md, size_t len, const char *tmpl, struct buf *page,
		  struct cdg_err *e)
{
	pthread_once(&extensions_once, extensions_register);
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;
	cmark_parser *p = cmark_parser_new(opts);
	static const char *const exts[] = {"table", "autolink", "strikethrough", "tagfilter"};
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		cmark_syntax_extension *x = cmark_find_syntax_extension(exts[i]);
		if (x)
			cmark_parser_attach_syntax_extension(p, x);
	}
	cmark_parser_feed(p, md, len);
	cmark_node *doc = cmark_parser_finish(p);
	struct buf title = BUF_INIT;
	char **ids = NULL;
	size_t nids = 0, cap = 0;
	cmark_iter *it = cmark_iter_new(doc);
	for (cmark_event_type ev; (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE;) {
		cmark_node *n = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_LINK) {
			char *u = doc_link(cmark_node_get_url(n));
			if (u)
				cmark_node_set_url(n, u);
			free(u);
		} else if (t == CMARK_NODE_HEADING) {
			struct buf h = BUF_INIT, s = BUF_INIT;
			text_of(n, &h);
			if (!title.len)
				buf_adds(&title, h.p);
			slug_of(h.p, &s);
			if (nids == cap) {
				cap = cap ? 2 * cap : 32;
				ids = xrealloc(ids, cap * sizeof *ids);
			}
			ids[nids++] = buf_detach(&s);
			buf_free(&h);
		}
	}
	cmark_iter_free(it);
	char *html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	struct buf body = BUF_INIT;
	add_heading_ids(&body, html, ids, nids);
	free(html);
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	cmark_node_free(doc);
	cmark_parser_free(p);

	const char *t = strstr(tmpl, "<!--title-->"), *c = strstr(tmpl, "<!--content-->");
	int rc = 0;
	if (!t || !c || c < t) {
		rc = err_set(e, CDG_EINTERNAL, "web/doc.html lacks <!--title--> or <!--content-->");
	} else {
		buf_add(page, tmpl, (size_t)(t - tmpl));
		for (const char *q = title.len ? title.p : "cdg"; *q; q++) {
			if (*q == '<')
				buf_adds(page, "&lt;");
			else if (*q == '&')
				buf_adds(page, "&amp;");
			else
				buf_addc(page, *q);
		}
		t += strlen("<!--title-->");
		buf_add(page, t, (size_t)(c - t));
		buf_add(page, body.p, body.len);
		buf_adds(page, c + strlen("<!--content-->"));
	}
	buf_free(&body);
	buf_free(&title);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Markdown listing the plain files of a docs folder ("examples/"), by
 * name, each a link to the file as it is. */
static int listing(const char *docs_dir, const char *name, struct buf *md,
		   struct cdg_err *e)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", docs_dir, name);
	DIR *d = opendir(path);
	if (!d)
		return err_set(e, CDG_ENOTFOUND, "no such page");
	char **v = NULL;
	size_t n = 0, cap = 0;
	for (struct dirent *de; (de = readdir(d));) {
		if (de->d_name[0] == '.' || de->d_type != DT_REG)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, cap * sizeof *v);
		}
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(v, n, sizeof *v, cmp_names);
	buf_addf(md, "# docs/%s\n\n", name);
	for (size_t i = 0; i < n; i++) {
		buf_addf(md, "- [%s](/docs/%s%s)\n", v[i], name, v[i]);
		free(v[i]);
	}
	free(v);
	return 0;
}

int http_doc_page(const char *docs_dir, const char *web_dir, const char *name,
		  struct buf *out, struct cdg_err *e)
{
	/* Only plain names: letters, digits, '-', '_' and one folder level. */
	size_t n = strlen(name);
	bool dir = n && name[n - 1] == '/';
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_' &&
		    !(*p == '/' && p == name + n - 1))
			return err_set(e, CDG_ENOTFOUND, "no such page");
	struct buf md = BUF_INIT, tmpl = BUF_INIT;
	char path[1024];
	int rc;
	if (dir) {
		rc = listing(docs_dir, name, &md, e);
	} else {
		snprintf(path, sizeof path, "%s/%s.md", docs_dir, n ? name : "README");
		struct stat st;
		rc = stat(path, &st) == 0 && S_ISREG(st.st_mode)
			? file_read_all(path, &md, e) : err_set(e, CDG_ENOTFOUND, "no such page");
	}
	snprintf(path, sizeof path, "%s/doc.html", web_dir);
	if (rc == 0)
		rc = file_read_all(path, &tmpl, e);
	if (rc == 0)
		rc = render(md.p, md.len, tmpl.p, out, e);
	buf_free(&md);
	buf_free(&tmpl);
	return rc;
}
