/* Sign-in throttling and the bound on concurrent password hashing: see
 * http_int.h.  Two tables with exact keys, each entry a count of recent
 * failures and the time of the last: one keyed by account name and client
 * address together, one by address alone.  A success clears the pair's
 * entry; entries are forgotten an hour after their last failure; a full
 * table gives up the entry whose last failure is oldest. */
#include "http/http_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define SLOTS 4096
#define FORGET_AFTER 3600000LL /* ms without a failure */
#define PAIR_FREE 3            /* failures per name and address before delays */
#define ADDR_FREE 20           /* failures per address, over all names */
#define MAX_DELAY 900000LL     /* ms */

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct slot {
	char key[200];           /* "" when free */
	int failures;
	long long last;          /* time of the last failure, ms (monotonic) */
};

struct table {
	struct slot v[SLOTS];
	pthread_mutex_t lock;
};

static struct table pairs = {.lock = PTHREAD_MUTEX_INITIALIZER};
static struct table addrs = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The slot of key (NULL if none and !make); caller holds the lock. */
static struct slot *find(struct table *t, const char *key, long long now, bool make)
{
	struct slot *spare = NULL, *oldest = NULL;
	for (size_t i = 0; i < SLOTS; i++) {
		struct slot *s = &t->v[i];
		if (s->key[0] && now - s->last >= FORGET_AFTER)
			s->key[0] = '\0';
		if (!s->key[0]) {
			if (!spare)
				spare = s;
			continue;
		}
		if (strcmp(s->key, key) == 0)
			return s;
		if (!oldest || s->last < oldest->last)
			oldest = s;
	}
	if (!make)
		return NULL;
	struct slot *s = spare ? spare : oldest;
	snprintf(s->key, sizeof s->key, "%s", key);
	s->failures = 0;
	s->last = now;
	return s;
}

/* Seconds (rounded up) still to wait after n failures, the last at time
 * last, when free_n failures cost nothing: 1, 2, 4 ... 900 s after it. */
static long wait_for(int n, int free_n, long long last, long long now)
{
	if (n < free_n)
		return 0;
	int k = n - free_n;
	long long delay = k >= 10 ? MAX_DELAY : 1000LL << k;
	if (delay > MAX_DELAY)
		delay = MAX_DELAY;
	long long left = last + delay - now;
	return left > 0 ? (long)((left + 999) / 1000) : 0;
}

static void pair_key(char out[200], const char *name, const char *addr)
{
	/* The address has no space, so the pair cannot be confused with
	 * another (a name may hold anything the client sent). */
	snprintf(out, 200, "%s %.120s", addr ? addr : "-", name);
}

long http_login_wait(const char *name, const char *addr)
{
	long long now = now_ms();
	char key[200];
	pair_key(key, name, addr);
	long w = 0;
	pthread_mutex_lock(&pairs.lock);
	struct slot *s = find(&pairs, key, now, false);
	if (s)
		w = wait_for(s->failures, PAIR_FREE, s->last, now);
	pthread_mutex_unlock(&pairs.lock);
	pthread_mutex_lock(&addrs.lock);
	s = find(&addrs, addr ? addr : "-", now, false);
	if (s) {
		long wa = wait_for(s->failures, ADDR_FREE, s->last, now);
		w = wa > w ? wa : w;
	}
	pthread_mutex_unlock(&addrs.lock);
	return w;
}

void http_login_result(const char *name, const char *addr, bool ok)
{
	long long now = now_ms();
	char key[200];
	pair_key(key, name, addr);
	pthread_mutex_lock(&pairs.lock);
	struct slot *s = find(&pairs, key, now, !ok);
	if (s && ok) {
		s->key[0] = '\0';
	} else if (s) {
		s->failures++;
		s->last = now;
	}
	pthread_mutex_unlock(&pairs.lock);
	if (ok)
		return;
	pthread_mutex_lock(&addrs.lock);
	s = find(&addrs, addr ? addr : "-", now, true);
	s->failures++;
	s->last = now;
	pthread_mutex_unlock(&addrs.lock);
}

void http_login_reset(void)
{
	pthread_mutex_lock(&pairs.lock);
	memset(pairs.v, 0, sizeof pairs.v);
	pthread_mutex_unlock(&pairs.lock);
	pthread_mutex_lock(&addrs.lock);
	memset(addrs.v, 0, sizeof addrs.v);
	pthread_mutex_unlock(&addrs.lock);
}

/* ---- password hashing slots ---------------------------------------------- */

static atomic_int hashing;
static atomic_int hash_max = 1;

void http_hash_slots(int n)
{
	atomic_store(&hash_max, n < 1 ? 1 : n);
}

bool http_hash_take(void)
{
	int n = atomic_fetch_add(&hashing, 1);
	if (n < atomic_load(&hash_max))
		return true;
	atomic_fetch_sub(&hashing, 1);
	return false;
}

void http_hash_give(void)
{
	atomic_fetch_sub(&hashing, 1);
}
