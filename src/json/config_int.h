/*
 * src/json/config_int.h - scheduler-parameter rules shared by the loaders.
 *
 * A mos_sched_params_t reaches the kernel from two files: the kernel
 * configuration ("scheduler": {...}, times in ms) and a workload ("policy":
 * {...}, times in ticks).  The two spell their keys differently but obey the
 * same rules, so there is one checker and each loader passes its spelling.
 * The checker lives in config.c with the defaults.
 */
#ifndef MOS_CONFIG_INT_H
#define MOS_CONFIG_INT_H

#include <stddef.h>

#include "jsonload.h"
#include "multios/config.h"

/*
 * How a loader spells each checked field, as a full JSON path
 * ("scheduler.quanta_ms", "policy.quantum").  Errors about one array entry
 * append "[i]" to quanta or allotments.  Borrowed, usually a static const.
 */
typedef struct mos_sched_keys {
	const char *policy;
	const char *time_slice;
	const char *tick;
	const char *queues;
	const char *quanta;
	const char *allotments;
	const char *min_granularity;
	const char *target_latency;
	const char *draw;
	const char *draw_skip;
	const char *seed_words;
} mos_sched_keys_t;

/*
 * Check every rule on *p: a known, NUL-terminated policy name, time_slice
 * >= 1 us, tick >= 1 ns, 1 <= queues <= 16, quanta and allotments either
 * absent (count 0) or one positive entry per queue, and target_latency >=
 * min_granularity > 0, lottery_draw a mos_lottery_draw_t, and for the
 * tree draw no draw_skip or seed_words (they mean nothing there), at most
 * MOS_LOTTERY_SEED_WORDS seed words and draw_skip <= MOS_LOTTERY_MAX_SKIP
 * (init spends one random() on each).  Reports the first broken rule as MOS_ECONFIG at
 * keys' path for the field, with source as the file name.  err may be NULL.
 * Never allocates.
 */
int mos__sched_params_check(const mos_sched_params_t *p,
			    const mos_sched_keys_t *keys, const char *source,
			    mos_error_t *err);



/* The most random() calls the ostep draw throws away at init. */
#define MOS_LOTTERY_MAX_SKIP 100000000u

/* lottery's draw keys, the same in both loaders: "draw" ("tree" or
 * "ostep"; another string is MOS_ECONFIG "unknown draw ..." at its path),
 * "draw_skip" (an integer >= 0) and "seed_words" (integers below 2^32). */
int mos__sched_read_lottery(mos_jload_t *ld, json_t *o, mos_sched_params_t *s);

/* One entry of an allotments list (a mos_jeach_fn; ctx: the params). */
int mos__sched_allotment(mos_jload_t *ld, json_t *v, size_t i, void *ctx);

/*
 * The "resources" section (config_res.c): its defaults, its reader (o is
 * the section, the path already pushed) and its rules, as the rest of the
 * configuration's.
 */
void mos__res_params_default(mos_resource_params_t *r);
int mos__res_params_read(mos_jload_t *ld, json_t *o, void *config);
int mos__res_params_check(const mos_resource_params_t *r, const char *src,
			  mos_error_t *err);

/* The whole configuration overlay (a mos_jsection_fn; ctx: the
 * mos_config_t): the keys of root over what *ctx holds, as
 * mos_config_load_json reads a file; no validation. */
/* The "users" table (config_users.c): read replaces cfg's table (a
 * mos_jsection_fn; ctx: the mos_config_t); check validates one built in
 * C, naming "users[i]" in errors. */
int mos__config_users_read(mos_jload_t *ld, json_t *o, void *ctx);
int mos__config_users_check(const mos_config_t *cfg, const char *src,
			    mos_error_t *err);

int mos__config_overlay(mos_jload_t *ld, json_t *root, void *ctx);
/* Every rule of mos_config_validate, naming src in errors. */
int mos__config_check(const mos_config_t *cfg, const char *src,
		      mos_error_t *err);

#endif
