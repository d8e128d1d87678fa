/* verdict.c — the answer to "can deep sleep and the crystal go?" against
 * the criterion in force, and its one-sentence form (see verdict.h). */
#include <stdio.h>
#include <string.h>
#include "units.h"
#include "verdict.h"

/* A variant that ran and whose cell can power it. */
static int verdict_viable(const variant_result *r)
{
    return r->ok && !(r->has_life && r->peak_fails);
}

static int verdict_meets(const matrix_opts *o, const variant_result *r)
{
    return verdict_viable(r) && r->has_life && r->life_s >= o->target_s;
}

/* The better of variants a and b (indices, -1 = none) by merit. */
static int verdict_better(const variant_result *row, int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return variant_merit(&row[b]) > variant_merit(&row[a]) ? b : a;
}

verdict_answer verdict_of(const matrix_opts *o, const variant_result *row, double p_yes,
                          verdict *v)
{
    memset(v, 0, sizeof *v);
    v->p_yes = p_yes >= 0 ? p_yes : -1;
    memset(v->meets, -1, sizeof v->meets);
    v->answer = VERDICT_NA;
    v->deep = variant_best(&o->vs, row, VAR_DEEP);
    v->pin = variant_best(&o->vs, row, VAR_DEEP_PIN);
    v->awake = variant_best(&o->vs, row, VAR_AWAKE);
    v->best = verdict_better(row, verdict_better(row, v->deep, v->pin), v->awake);
    v->by_target = o->target_s > 0;
    v->min_ratio = o->min_ratio > 0 ? o->min_ratio : (v->by_target ? 0 : 0.9);
    v->criterion = v->by_target && v->min_ratio > 0
                   ? "battery life >= target and >= min-ratio x the deep-sleep variant's"
                   : v->by_target ? "battery life >= target"
                                  : "battery life >= min-ratio x the deep-sleep variant's";
    if (v->by_target)
        for (int i = 0; i < o->vs.n; i++)
            v->meets[i] = row[i].ok ? (signed char)verdict_meets(o, &row[i]) : -1;
    for (int i = 0; i < o->vs.n; i++) {
        variant_role ro = o->vs.v[i].role;
        if (!row[i].ok && row[i].max_events_needed > 0 &&
            (ro == VAR_DEEP || ro == VAR_DEEP_PIN || ro == VAR_AWAKE))
            v->uneval[v->nuneval++] = i;
    }
    if (v->deep < 0 || v->awake < 0)
        return v->answer;
    const variant_result *deep = &row[v->deep], *awake = &row[v->awake];
    double md = variant_merit(deep);
    v->ratio = md > 0 ? variant_merit(awake) / md : 0;
    int ok_t = 1, ok_r = 1;
    double m_t = 0, m_r = 0;
    if (v->by_target) {
        ok_t = v->meets[v->awake] == 1;
        m_t = awake->has_life && !awake->peak_fails ? awake->life_s / o->target_s - 1 : -1;
    }
    if (v->min_ratio > 0) {
        /* a deep-sleep variant that cannot run is no bar to clear */
        ok_r = verdict_viable(awake) && (md == 0 || v->ratio >= v->min_ratio);
        m_r = md > 0 ? v->ratio / v->min_ratio - 1 : 0;
    }
    v->margin = !v->by_target ? m_r : v->min_ratio > 0 && m_r < m_t ? m_r : m_t;
    int pin_ok = v->pin >= 0 && verdict_viable(&row[v->pin]) &&
                 (v->by_target ? v->meets[v->pin] == 1
                               : variant_merit(&row[v->pin]) >= md);
    int deep_ok = verdict_viable(deep) && (!v->by_target || v->meets[v->deep] == 1);
    if (ok_t && ok_r)
        v->answer = VERDICT_YES;
    else if (deep_ok || pin_ok)
        v->answer = VERDICT_NO;
    else
        v->answer = VERDICT_NONE;
    v->nominal = v->answer;
    if (v->answer == VERDICT_YES && v->p_yes >= 0 && v->p_yes < VERDICT_MC_MAJORITY) {
        v->answer = deep_ok || pin_ok ? VERDICT_NO : VERDICT_NONE;
        v->mc_demoted = 1;
    }
    v->crystal_can_go = v->answer == VERDICT_NO && pin_ok;
    return v->answer;
}

const char *verdict_word(verdict_answer a)
{
    return a == VERDICT_YES ? "yes" : a == VERDICT_NO ? "no" : a == VERDICT_NONE ? "none" : "n/a";
}

/* "; NOT EVALUATED: NAME (...--max-events N allows it)" for the variants
 * refused for the event limit, or "". */
static void verdict_uneval_text(const matrix_opts *o, const variant_result *row,
                                const verdict *v, char *buf, size_t n)
{
    size_t k = 0;
    buf[0] = '\0';
    for (int j = 0; j < v->nuneval && k < n; j++) {
        int i = v->uneval[j];
        int w = snprintf(buf + k, n - k, "%s%s (over the event limit: --max-events %.2g allows it)",
                         j ? ", " : "; NOT EVALUATED: ", o->vs.v[i].name, row[i].max_events_needed);
        k += w > 0 ? (size_t)w : 0;
    }
}

static void verdict_sentence_core(const matrix_opts *o, const variant_result *row,
                                  const verdict *v, char *buf, size_t n);

void verdict_sentence(const matrix_opts *o, const variant_result *row, const verdict *v,
                      char *buf, size_t n)
{
    verdict_sentence_core(o, row, v, buf, n);
    char u[400];
    verdict_uneval_text(o, row, v, u, sizeof u);
    size_t k = strlen(buf);
    if (u[0] && k < n)
        snprintf(buf + k, n - k, "%s", u);
}

static void verdict_sentence_core(const matrix_opts *o, const variant_result *row,
                                  const verdict *v, char *buf, size_t n)
{
    const char *best_of = v->nuneval ? "the best of those evaluated" : "the best";
    char t[32], a[96], d[96], p[96], b[96];
    const variant_set *vs = &o->vs;
    if (v->answer == VERDICT_NA) {
        snprintf(buf, n, "NO ANSWER - the deep-sleep variant or every variant without deep "
                 "sleep failed to run (see the table)");
        return;
    }
    const char *an = vs->v[v->awake].name, *dn = vs->v[v->deep].name;
    variant_life_text(&row[v->awake], 1, a, sizeof a);
    variant_life_text(&row[v->deep], 1, d, sizeof d);
    if (v->pin >= 0)
        variant_life_text(&row[v->pin], 1, p, sizeof p);
    units_format(o->target_s, DIM_TIME, t, sizeof t);
    int life = row[v->awake].has_life && row[v->deep].has_life;
    const char *what = life ? "lasts" : "draws";
    if (v->mc_demoted) {
        /* YES at nominal figures, but not in most Monte Carlo samples */
        char nom[400];
        if (v->by_target && v->min_ratio <= 0)
            snprintf(nom, sizeof nom, "%s meets the %s target with %s at nominal figures (%s: %s)",
                     an, t, a, dn, d);
        else
            snprintf(nom, sizeof nom, "%s %s %s at nominal figures, %.1f %% of %s's %s (bar: "
                     "%.0f %%)", an, what, a, 100 * v->ratio, dn, d, 100 * v->min_ratio);
        const char *head = v->answer == VERDICT_NONE ? "NO imp004m VARIANT RELIABLY MEETS THE TARGET"
                           : v->crystal_can_go ? "NO - keep deep sleep, but the crystal can go"
                                               : "NO - keep deep sleep and the crystal";
        snprintf(buf, n, "%s: %s, but the criterion holds in only %.1f %% of the Monte Carlo "
                 "samples (a YES needs %.0f %%)%s%s%s", head, nom, 100 * v->p_yes,
                 100 * VERDICT_MC_MAJORITY,
                 v->crystal_can_go ? "; deep sleep until the wake pin needs no crystal (" : "",
                 v->crystal_can_go ? p : "", v->crystal_can_go ? ")" : "");
        return;
    }
    if (v->answer == VERDICT_YES) {
        if (v->by_target && v->min_ratio <= 0)
            snprintf(buf, n, "YES - drop deep sleep and the crystal: %s meets the %s target "
                     "with %s (%s: %s)", an, t, a, dn, d);
        else
            snprintf(buf, n, "YES - drop deep sleep and the crystal: %s %s %s, %.1f %% of "
                     "%s's %s (bar: %.0f %%%s%s)", an, what, a, 100 * v->ratio, dn, d,
                     100 * v->min_ratio, v->by_target ? "; target " : "", v->by_target ? t : "");
        return;
    }
    if (v->answer == VERDICT_NO) {
        const char *keep = v->crystal_can_go ? "NO - keep deep sleep, but the crystal can go"
                                             : "NO - keep deep sleep and the crystal";
        int k = v->crystal_can_go ? v->pin : v->deep;
        const char *kn = vs->v[k].name, *kl = v->crystal_can_go ? p : d;
        if (v->by_target && v->meets[v->awake] != 1)
            snprintf(buf, n, "%s: %s meets the %s target with %s; without deep sleep %s, "
                     "%s, %s %s", keep, kn, t, kl, best_of, an,
                     row[v->awake].peak_fails ? "has" : "lasts only", a);
        else
            snprintf(buf, n, "%s: %s %s %s, only %.1f %% of %s's %s (bar: %.0f %%)%s%s%s",
                     keep, an, what, a, 100 * v->ratio, dn, d, 100 * v->min_ratio,
                     v->crystal_can_go ? "; deep sleep until the wake pin needs no crystal ("
                                       : "", v->crystal_can_go ? kl : "",
                     v->crystal_can_go ? ")" : "");
        return;
    }
    /* NONE: name the best design and whether dropping deep sleep helps */
    variant_life_text(&row[v->best], 1, b, sizeof b);
    const char *bn = vs->v[v->best].name;
    const char *drop = v->best == v->awake
                       ? "dropping deep sleep and the crystal is the better design but does "
                         "not reach the target"
                       : "dropping deep sleep and the crystal would make it worse";
    if (variant_merit(&row[v->best]) == 0)
        snprintf(buf, n, "NO VARIANT WORKS - the cell cannot deliver the WiFi peak in any "
                 "imp004m variant (see the warning)");
    else if (v->by_target)
        snprintf(buf, n, "NO imp004m VARIANT MEETS %s - %s is %s at %s (%s: %s); %s", t, best_of, bn, b,
                 v->best == v->awake ? dn : an, v->best == v->awake ? d : a, drop);
    else
        snprintf(buf, n, "NO - keep deep sleep and the crystal: %s %s %s, only %.1f %% of %s's %s "
                 "(bar: %.0f %%)", an, what, a, 100 * v->ratio, dn, d, 100 * v->min_ratio);
}
