/*
 * src/json/config_lottery.c - lottery's draw keys, read the same way by
 * the configuration's "scheduler" section and a workload's "policy":
 * "draw" ("tree" or "ostep"), "draw_skip" and "seed_words"
 * (multios/config.h, mos_lottery_draw_t).  Their checks are
 * mos__sched_params_check's (config.c), so code-built structs meet them
 * too.
 */
#include <string.h>

#include "config_int.h"

static int seed_word(mos_jload_t *ld, json_t *v, size_t i, void *ctx)
{
	mos_sched_params_t *s = ctx;

	return mos__json_get_u32(ld, v, NULL, 0, UINT32_MAX,
				 &s->seed_words[i]);
}

int mos__sched_read_lottery(mos_jload_t *ld, json_t *o, mos_sched_params_t *s)
{
	char draw[64];
	int rc = 0;

	if (json_object_get(o, "draw")) {
		rc = mos__json_get_string(ld, o, "draw", draw, sizeof(draw));
		if (!rc && !strcmp(draw, "tree"))
			s->lottery_draw = MOS_LOTTERY_TREE;
		else if (!rc && !strcmp(draw, "ostep"))
			s->lottery_draw = MOS_LOTTERY_OSTEP;
		else if (!rc) {
			mos__jpath_push_key(&ld->path, "draw");
			rc = mos__json_fail(ld, MOS_ECONFIG, "unknown draw "
					    "'%s' (known: tree, ostep)", draw);
			mos__jpath_pop(&ld->path);
		}
	}
	if (!rc)
		rc = mos__json_get_u64(ld, o, "draw_skip", &s->draw_skip);
	if (!rc)
		rc = mos__json_get_each(ld, o, "seed_words",
					MOS_LOTTERY_SEED_WORDS, seed_word, s,
					&s->nseed_words);
	return rc;
}
