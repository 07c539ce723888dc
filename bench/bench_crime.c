/*
 * bench_crime: speed of the all-pairs cybercrime matrix on a SYNTHETIC
 * dataset of the size the issue names: 193 states x 193 states x every
 * ETS 185 article that is an offence (10), with the 29 articles of
 * data/crime/articles.json, 5 treaties, 600 bilateral MLATs and a 24/7
 * network.  Coverage values, dates and MLATs are random numbers, not data.
 *
 * Prints the time of one full run (all offences, best of 20) and the
 * time per offence.  The target is under 100 ms for the full run.
 *
 * Usage: bench_crime [RUNS]   (default 20)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "crime/crime.h"

#define N_STATES 193
#define N_ART 29   /* 10 offences, 6 powers, 13 co-operation articles */
#define N_OFF 10
#define N_TREATY 5
#define N_MLAT 600

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	int runs = argc > 1 ? atoi(argv[1]) : 20;
	if (runs < 1)
		runs = 1;
	static uint8_t kind[N_ART], cov[N_STATES * N_ART], scope[N_TREATY * N_ART];
	static int32_t force[N_STATES * N_TREATY], net[N_STATES];
	static struct crime_mlat ml[N_MLAT];
	for (int i = 0; i < N_ART; i++)
		kind[i] = i < N_OFF ? CRIME_OFFENCE : i < 16 ? CRIME_POWER : CRIME_COOP;
	for (int i = 0; i < N_STATES * N_ART; i++)
		cov[i] = (uint8_t)rnd(4);
	for (int i = 0; i < N_TREATY * N_ART; i++)
		scope[i] = (uint8_t)(rnd(4) != 0);
	int32_t base = crime_days(2000, 1, 1);
	for (int i = 0; i < N_STATES * N_TREATY; i++)
		force[i] = rnd(2) ? base + (int32_t)rnd(9000) : CRIME_NEVER;
	for (int i = 0; i < N_STATES; i++)
		net[i] = rnd(3) ? base + (int32_t)rnd(9000) : CRIME_NEVER;
	for (int i = 0; i < N_MLAT; i++) {
		uint32_t a = rnd(N_STATES), b = (a + 1 + rnd(N_STATES - 1)) % N_STATES;
		ml[i] = (struct crime_mlat){a, b, base + (int32_t)rnd(9000)};
	}
	struct crime_data d = {N_STATES, N_ART, kind, cov, N_TREATY, scope,
			       force, N_MLAT, ml, net};
	struct cdg_err e;
	if (crime_data_check(&d, &e)) {
		fprintf(stderr, "bench_crime: %s\n", e.msg);
		return 1;
	}
	struct crime_cell *out = malloc((size_t)N_OFF * N_STATES * N_STATES *
					sizeof *out);
	int32_t date = crime_days(2024, 1, 1);
	double best = 1e9;
	unsigned long with_channel = 0;
	for (int r = 0; r < runs; r++) {
		double t0 = now();
		for (int art = 0; art < N_OFF; art++)
			if (crime_matrix(&d, (size_t)art, date,
					 out + (size_t)art * N_STATES * N_STATES,
					 &e)) {
				fprintf(stderr, "bench_crime: %s\n", e.msg);
				return 1;
			}
		double t = now() - t0;
		if (t < best)
			best = t;
	}
	for (size_t i = 0; i < (size_t)N_OFF * N_STATES * N_STATES; i++)
		with_channel += out[i].channels != 0;
	printf("bench_crime: SYNTHETIC data, %d x %d states x %d offences "
	       "(%d articles, %d treaties, %d MLATs)\n", N_STATES, N_STATES,
	       N_OFF, N_ART, N_TREATY, N_MLAT);
	printf("all-pairs matrix, all offences: %.3f ms (best of %d; target "
	       "< 100 ms); %.3f ms per offence; %lu of %d cells have a "
	       "channel\n", best * 1e3, runs, best * 1e3 / N_OFF, with_channel,
	       N_OFF * N_STATES * N_STATES);
	free(out);
	return best < 0.1 ? 0 : 1;
}
