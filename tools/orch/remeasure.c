/* remeasure.c — see remeasure.h. */
#include "orch/remeasure.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "gates/gate.h"
#include "lib/fsx.h"
#include "lib/proc.h"
#include "orch/judge.h"
#include "records/records.h"

/* The threshold in percent, or -1 when the winner is not re-measured. The
 * gain is the entry's delta_pct, which records_decide just set (null when
 * the champion has no fitness). */
static double remeasure_threshold(const tour_env *env, const tour_slot *s, double *noise)
{
    double factor = env->o->remeasure == 0 ? REMEASURE_DEFAULT_FACTOR : env->o->remeasure;
    const json_t *gain = json_object_get(s->entry, "delta_pct");
    if (factor < 0 || json_object_get(s->entry, "remeasure") || !json_is_number(gain))
        return -1;
    *noise = records_noise_pct(&env->log, s->entry, NULL);
    double threshold = factor * *noise;
    return *noise >= 0 && json_number_value(gain) < threshold ? threshold : -1;
}

/* The run's pnr gate on the winner with the extra seeds; its result or NULL (err). */
static json_t *remeasure_place(tour_env *env, tour_slot *s, char *err, size_t n)
{
    const gate_def *pnr = NULL;
    for (size_t i = 0; i < env->o->ngates; i++)
        if (strcmp(env->o->gates[i].name, "pnr") == 0)
            pnr = &env->o->gates[i];
    char *synth_path = fsx_fmt("%s/synth.json", s->rundir);
    char *dir = fsx_fmt("%s/remeasure", s->rundir);
    json_t *synth = synth_path ? json_load_file(synth_path, 0, NULL) : NULL;
    json_t *r = NULL;
    if (!pnr || !synth || !dir || fsx_mkdirs(dir, 0755) != 0) {
        snprintf(err, n, "cannot re-measure %s: %s", s->id,
                 !pnr ? "the run's gate table has no pnr gate"
                      : !synth ? "its synth result is missing or unreadable" : strerror(errno));
    } else {
        confine_policy tools;
        json_t *prior = json_pack("{s:O}", "synth", synth);
        int cores = sched_acquire(env->sched, pnr->cpus);
        gate_ctx ctx = judge_gate_ctx(env, s->tree, dir, &tools);
        ctx.prior = prior;
        ctx.jobs = cores;
        ctx.timeout_s = pnr->timeout_s;
        ctx.seed_first = REMEASURE_SEED_FIRST;
        r = gate_run(pnr->run, &ctx);
        sched_release(env->sched, cores);
        json_decref(prior);
        if (!r)
            snprintf(err, n, "cannot re-measure %s: the pnr gate returned nothing", s->id);
    }
    json_decref(synth);
    free(synth_path);
    free(dir);
    return r;
}

int remeasure_winner(tour_env *env, tour_slot *s, char *err, size_t n)
{
    double noise = -1;
    double threshold = remeasure_threshold(env, s, &noise);
    if (threshold < 0)
        return 0;
    progress_say(env->prog, s->round_idx, s->slot, "re-measuring: its gain is under %.1f%% (the core's median "
                 "P&R seed spread is %.1f%%): placing it again with seeds %d-%d", threshold, noise,
                 REMEASURE_SEED_FIRST, REMEASURE_SEED_FIRST + 2);
    double t0 = proc_now();
    json_t *r = remeasure_place(env, s, err, n);
    s->pipeline_s += proc_now() - t0;
    if (!r)
        return -1;
    if (proc_is_cancelled()) {
        json_decref(r);
        snprintf(err, n, "interrupted while the winner was placed again");
        return -1;
    }
    const char *status = json_string_value(json_object_get(r, "status"));
    if (!status)
        status = "no status";
    if ((strcmp(status, "pass") == 0 || strcmp(status, "fail") == 0) &&
        records_entry_remeasure(s->entry, json_object_get(r, "seeds"), noise, threshold) == 0) {
        progress_say(env->prog, s->round_idx, s->slot, "re-measured: fitness %.2f -> %.2f over %zu seeds",
                     json_number_value(json_object_get(json_object_get(s->entry, "remeasure"), "fitness_before")),
                     json_number_value(json_object_get(s->entry, "fitness")),
                     json_array_size(json_object_get(json_object_get(s->entry, "fmax_mhz"), "seeds")));
    } else {
        /* Three seeds said it wins by less than the noise; without the others it is not taken. */
        char *d = fsx_fmt("re-measuring with seeds %d-%d did not finish (%s): %s", REMEASURE_SEED_FIRST,
                          REMEASURE_SEED_FIRST + 2, status,
                          json_string_value(json_object_get(r, "diagnostic")));
        records_entry_set_failed(s->entry, "broken", "pnr", d ? d : "re-measuring failed");
        records_entry_clear_decision(s->entry);
        s->passed = false;
        s->gate_error = strcmp(status, "error") == 0;
        free(d);
    }
    json_decref(r);
    return 1;
}
