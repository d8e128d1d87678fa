/* report_html.c — the design-review page (see report_html.h). Plain HTML
 * and CSS, charts as <img> of the SVG files beside it; one small inline
 * script only reports whether every chart loaded (data-charts-loaded on
 * <html>, for the browser test). */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "assume.h"
#include "chart.h"
#include "config.h"
#include "figfile.h"
#include "model.h"
#include "report_html.h"
#include "units.h"

void report_html_text(FILE *fp, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '&': fputs("&amp;", fp); break;
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*s, fp);
        }
    }
}

static void html_tag(FILE *fp, const char *tag, const char *cls, const char *text)
{
    fprintf(fp, "<%s%s%s%s>", tag, cls ? " class=\"" : "", cls ? cls : "", cls ? "\"" : "");
    report_html_text(fp, text);
    fprintf(fp, "</%s>\n", tag);
}

static const char html_style[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;max-width:1240px;margin:2em auto;"
    "padding:0 1.5em;color:#1a1a1a;line-height:1.45}\n"
    "h1{font-size:1.9em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #ddd;"
    "padding-bottom:.2em}\n"
    ".sub{color:#555;margin-top:0}\n"
    ".verdict{border-left:8px solid #888;background:#f5f5f5;padding:1em 1.4em;margin:1.5em 0}\n"
    ".verdict.yes{border-color:#2e8b57;background:#eef8f1}.verdict.no{border-color:#c0392b;"
    "background:#fbeeee}\n"
    ".answer{font-size:1.5em;font-weight:bold;margin:.2em 0 .5em}\n"
    "table{border-collapse:collapse;margin:1em 0;font-size:.95em}th,td{border-bottom:1px solid "
    "#ddd;padding:.35em .7em;text-align:left;vertical-align:top}th{background:#f0f0f0}\n"
    "td.n{text-align:right;white-space:nowrap}tr.key td{font-weight:bold}tr.off td{color:#888}\n"
    "figure{margin:2em 0}figure img{width:100%;height:auto;border:1px solid #e3e3e3}\n"
    "figcaption{color:#444;margin-top:.4em}\n"
    ".est{background:#fff6d6}.badge{font-size:.8em;padding:0 .4em;border-radius:3px;"
    "background:#f0c040;color:#000}\n"
    "pre{background:#f7f7f7;padding:.8em;overflow-x:auto;font-size:.9em}\n"
    "code{font-size:.95em}\n"
    "@media print{figure{page-break-inside:avoid}}\n";

static void html_fmt(FILE *fp, double v, units_dim dim)
{
    char a[48];
    report_html_text(fp, chart_fmt(v, dim, a, sizeof a));
}

/* The margin in words: what the best variant reaches against the bar. */
static void html_margin(const report_doc *d, FILE *fp)
{
    const matrix_opts *o = d->o;
    const decide_result *r = d->r;
    const variant_result *deep = &r->res[r->deep], *best = &r->res[r->best];
    const char *dn = o->vs.v[r->deep].name, *bn = o->vs.v[r->best].name;
    char a[48], b[48];
    fputs("<p class=\"margin\">", fp);
    fprintf(fp, "<b>Margin %+.1f %%.</b> ", 100 * r->margin);
    if (r->v.by_target && best->has_life) {
        report_html_text(fp, bn);
        fprintf(fp, " (the best design without deep sleep and crystal) lasts %s against the "
                "target of %s. ", units_format_life(best->life_s, a, sizeof a),
                units_format(o->target_s, DIM_TIME, b, sizeof b));
        if (deep->has_life) {
            report_html_text(fp, dn);
            fprintf(fp, " (deep sleep, crystal) lasts %s.", units_format_life(deep->life_s, a,
                                                                             sizeof a));
        }
    } else {
        report_html_text(fp, bn);
        fprintf(fp, " reaches %.1f %% of the %s of ", 100 * r->ratio,
                deep->has_life ? "battery life" : "inverse average current");
        report_html_text(fp, dn);
        if (deep->has_life && best->has_life)
            fprintf(fp, " (%s against %s)", units_format_life(best->life_s, a, sizeof a),
                    units_format_life(deep->life_s, b, sizeof b));
        fputs("; ", fp);
        report_html_text(fp, r->criterion);
        fputs(".", fp);
    }
    fputs(" The margin is how far the best variant is above (+) or below (&minus;) the bar, "
          "relative to it.</p>\n", fp);
    if (r->be_status == 0) {
        fputs("<p>Break-even wake interval: <b>", fp);
        html_fmt(fp, r->be_period_s, DIM_TIME);
        fputs("</b> &mdash; waking more often than that, ", fp);
        report_html_text(fp, bn);
        fputs(" beats deep sleep; the scenario wakes every ", fp);
        html_fmt(fp, r->period_s, DIM_TIME);
        fputs(". (Where the two draw the same steady average current: the battery lives "
              "cross near it, moved a little by the cell's rate and voltage effects, so a "
              "sweep of the lives may find its crossing a few per cent away.)</p>\n", fp);
    } else if (r->be_status == 1 || r->be_status == 2) {
        fputs("<p>No break-even wake interval between ", fp);
        html_fmt(fp, r->be_lo_s, DIM_TIME);
        fputs(" and ", fp);
        html_fmt(fp, r->be_hi_s, DIM_TIME);
        fputs(": ", fp);
        report_html_text(fp, r->be_status == 1 ? dn : bn);
        fputs(" is better throughout.</p>\n", fp);
    }
    if (d->mc && d->mc->n_verdict) {
        char a[32], b[32], c[32];
        fprintf(fp, "<p>Uncertainty: the verdict holds in <b>%.1f %%</b> of %ld Monte Carlo "
                "samples. ", 100 * d->mc->p_holds, d->mc->n_verdict);
        report_html_text(fp, bn);
        const mc_stats *st = &d->mc->v[r->best];
        fprintf(fp, " lasts %s / %s / %s (P10 / P50 / P90)",
                mc_quantile_text(d->mc, r->best, st->p10, a, 32),
                mc_quantile_text(d->mc, r->best, st->p50, b, 32),
                mc_quantile_text(d->mc, r->best, st->p90, c, 32));
        if (d->mc->v[r->best].nominal_rank >= 0)
            fprintf(fp, "; the nominal figures above sit at its P%.0f",
                    100 * d->mc->v[r->best].nominal_rank);
        fputs(".</p>\n", fp);
    }
}

/* The variant table, from matrix_table's CSV (the same rows compare prints). */
static void html_table(const report_doc *d, FILE *fp)
{
    const matrix_opts *o = d->o;
    fputs("<table><tr><th>Variant</th><th>What it is</th><th>Average current</th>"
          "<th>Charge per day</th><th>Battery life</th><th>Ended by</th><th>vs ", fp);
    report_html_text(fp, o->vs.v[0].name);
    fputs("</th></tr>\n", fp);
    char *text = strdup(d->table_csv ? d->table_csv : ""), *save = NULL;
    if (!text)
        abort();
    int row = -1;
    for (char *ln = strtok_r(text, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save), row++) {
        if (row < 0 || row >= o->vs.n)
            continue;   /* header */
        char *f[9];
        int n = 0;
        for (char *p = ln; n < 8;) {
            f[n++] = p;
            char *c = strchr(p, ',');
            if (!c)
                break;
            *c = '\0';
            p = c + 1;
            if (n == 8)
                f[n++] = p;
        }
        if (n < 9)
            continue;
        int key = row == d->r->deep || row == d->r->best, ok = atoi(f[2]);
        fprintf(fp, "<tr%s><td>", !ok ? " class=\"off\"" : key ? " class=\"key\"" : "");
        report_html_text(fp, f[0]);
        fputs("</td><td>", fp);
        report_html_text(fp, o->vs.v[row].desc);
        if (!ok) {
            /* the reason: one quoted CSV field ("" -> "), ended at its
             * closing quote, since more columns (sleep, crystal, connects...)
             * follow it */
            char *e = f[8];
            if (*e == '"') {
                e++;
                char *w = e;
                for (char *q = e; *q; q++) {
                    if (*q == '"' && q[1] == '"')
                        q++;
                    else if (*q == '"')
                        break;
                    *w++ = *q;
                }
                *w = '\0';
            } else {
                char *c = strchr(e, ',');
                if (c)
                    *c = '\0';
            }
            fputs("</td><td colspan=\"5\">not possible: ", fp);
            report_html_text(fp, e);
            fputs("</td></tr>\n", fp);
            continue;
        }
        char a[48];
        fputs("</td><td class=\"n\">", fp);
        html_fmt(fp, strtod(f[3], NULL), DIM_CURRENT);
        fputs("</td><td class=\"n\">", fp);
        html_fmt(fp, strtod(f[4], NULL), DIM_CHARGE);
        fputs("</td><td class=\"n\">", fp);
        if (*f[5] && !strcmp(f[6], "not-depleted")) {
            fputs("more than ", fp);
            report_html_text(fp, units_format(strtod(f[5], NULL), DIM_TIME, a, sizeof a));
        } else if (*f[5]) {
            report_html_text(fp, units_format_life(strtod(f[5], NULL), a, sizeof a));
        }
        else
            fputs("&ndash;", fp);
        fputs("</td><td>", fp);
        report_html_text(fp, f[6]);
        fputs("</td><td class=\"n\">", fp);
        if (*f[7] && row > 0)
            fprintf(fp, "%+.1f %%", 100 * strtod(f[7], NULL));
        else
            fputs(row == 0 ? "baseline" : "&ndash;", fp);
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n<p>Bold: the two variants the verdict compares.</p>\n", fp);
    free(text);
}

static void html_mc(const report_doc *d, FILE *fp)
{
    const matrix_opts *o = d->o;
    if (!d->mc)
        return;
    int tgt = o->target_s > 0;
    fputs("<h2>Monte Carlo</h2>\n<table><tr><th>Variant</th><th>P10</th><th>P50</th>"
          "<th>P90</th><th>Nominal run at</th>", fp);
    if (tgt)
        fputs("<th>P(meets the target)</th>", fp);
    fputs("<th>Samples that ran</th></tr>\n", fp);
    char a[48];
    for (int v = 0; v < o->vs.n; v++) {
        const mc_stats *s = &d->mc->v[v];
        fputs("<tr><td>", fp);
        report_html_text(fp, o->vs.v[v].name);
        fputs("</td>", fp);
        double p[3] = {s->p10, s->p50, s->p90};
        for (int k = 0; k < 3; k++) {
            fputs("<td class=\"n\">", fp);
            report_html_text(fp, mc_quantile_text(d->mc, v, p[k], a, sizeof a));
            fputs("</td>", fp);
        }
        if (s->nominal_rank >= 0)
            fprintf(fp, "<td class=\"n\">P%.0f</td>", 100 * s->nominal_rank);
        else
            fputs("<td class=\"n\">&ndash;</td>", fp);
        if (tgt && s->n_ok && s->has_life)
            fprintf(fp, "<td class=\"n\">%.1f %%</td>", 100 * s->p_meets);
        else if (tgt)
            fputs("<td class=\"n\">&ndash;</td>", fp);
        fprintf(fp, "<td class=\"n\">%ld of %ld</td></tr>\n", s->n_ok, d->mc->n);
    }
    fputs("</table>\n<p>As <code>impsim decide --monte-carlo</code> prints it:</p>\n<pre>", fp);
    report_html_text(fp, d->mc_text);
    fputs("</pre>\n", fp);
}

static void html_sensitivity(const report_doc *d, FILE *fp)
{
    if (!d->r->nsens)
        return;
    fputs("<h2>What the answer is most sensitive to</h2>\n<p>Each model figure raised by 25 %"
          " and the change of the average-current ratio (deep sleep over without both; the "
          "battery-life ratio the verdict rests on follows it but for the cell's rate and voltage "
          "effects):</p>\n<table><tr><th>Figure</th><th>Change of the current ratio</th></tr>\n", fp);
    for (int i = 0; i < d->r->nsens; i++) {
        fputs("<tr><td><code>", fp);
        report_html_text(fp, d->r->sens[i].key);
        fprintf(fp, "</code></td><td class=\"n\">%+.2f %%</td></tr>\n", 100 * d->r->sens[i].delta);
    }
    fputs("</table>\n", fp);
}

/* --measured: what impsim calibrate printed for the capture (the capture
 * as read, the cycles averaged, each fitted figure with its 95 % interval,
 * the residuals and charges), word for word. */
static void html_calibration(const report_doc *d, FILE *fp)
{
    if (!d->calib_text)
        return;
    fputs("<h2>Measured against simulated</h2>\n<p>", fp);
    fputs(d->calib_refused
              ? "<b>The fit does not explain the capture</b>: no figure file was written (see "
                "the message below and the chart <i>Measured against simulated</i>). "
              : "Model figures fitted to the capture by <code>impsim calibrate</code> (those "
                "given with <code>--fit</code>, else the ones the verdict is most sensitive "
                "to); the fitted figures are beside this page as "
                "<a href=\"fitted.figures\">fitted.figures</a> (rerun with <code>--figures "
                "fitted.figures</code> to use them). ", fp);
    fputs("The rest of this page uses the model as it is.</p>\n<pre>", fp);
    report_html_text(fp, d->calib_text);
    fputs("</pre>\n", fp);
}

/* The warnings: those of loading each variant (one per line in
 * d->warnings), then the physical ones (physwarn, through matrix_warnings:
 * the list compare and decide print), each naming the variants concerned. */
static void html_warnings(const report_doc *d, FILE *fp)
{
    fputs("<h2>Warnings</h2>\n<ul>\n", fp);
    int n = 0;
    char *text = strdup(d->warnings ? d->warnings : ""), *save = NULL;
    if (!text)
        abort();
    for (char *ln = strtok_r(text, "\n", &save); ln; ln = strtok_r(NULL, "\n", &save), n++) {
        fputs("<li>", fp);
        report_html_text(fp, ln);
        fputs("</li>\n", fp);
    }
    free(text);
    physwarn_list w;
    matrix_warnings(d->o, d->r->res, &w);
    for (int i = 0; i < w.n; i++, n++) {
        fprintf(fp, "<li class=\"phys\" data-kind=\"%s\"><b>", w.v[i].key);
        char who[300];
        report_html_text(fp, w.v[i].variants[0] ? physwarn_who(&w.v[i], who, sizeof who)
                                                 : "this design");
        fputs(":</b> ", fp);
        report_html_text(fp, w.v[i].text);
        fputs(".</li>\n", fp);
    }
    if (!n)
        fputs("<li>None.</li>\n", fp);
    fputs("</ul>\n", fp);
}

/* The assumptions as assume_collect gathered them (the facts run, compare,
 * decide and sweep write), then what only the page shows: the cell's
 * capacity and voltages, and every model figure with its provenance and
 * source, estimates flagged. */
static void html_assumptions(const report_doc *d, FILE *fp)
{
    const assume *a = d->assume;
    char x[48], y[48];
    fputs("<h2>Assumptions</h2>\n<table>\n", fp);
    fputs("<tr><th>Scenario</th><td><code>", fp);
    report_html_text(fp, a->scenario);
    fputs("</code> (", fp);
    report_html_text(fp, a->checksum);
    fputs(")</td></tr>\n", fp);
    for (int i = 0; i < a->nmodels; i++) {
        fputs("<tr><th>Model</th><td><code>", fp);
        report_html_text(fp, a->models[i].module);
        fputs("</code>: <code>", fp);
        report_html_text(fp, a->models[i].path);
        fputs("</code>", fp);
        if (a->models[i].parts[0]) {
            fputs("; parts <code>", fp);
            report_html_text(fp, a->models[i].parts);
            fputs("</code>", fp);
        }
        fputs("</td></tr>\n", fp);
    }
    const pipeline *pl = d->deep;
    fputs("<tr><th>Battery</th><td>", fp);
    report_html_text(fp, a->cell[0] ? a->cell : "none named in the scenario: lives are not "
                     "computed");
    if (a->cell[0] && pl && pl->cell)
        fprintf(fp, "; %s model, %.0f mAh, nominal %.2f V, cut-off %.2f V",
                battery_cell_model(pl->cell), battery_cell_capacity_C(pl->cell) / 3.6,
                battery_cell_voltage_V(pl->cell), battery_cell_cutoff_V(pl->cell));
    fputs("</td></tr>\n<tr><th>Regulator</th><td>", fp);
    report_html_text(fp, a->regulator);
    fprintf(fp, "; module supply %s; WiFi fails below %s at the battery (wifi-min)</td></tr>\n",
            units_format(a->supply_V, DIM_VOLTAGE, x, sizeof x),
            units_format(a->wifi_min_V, DIM_VOLTAGE, y, sizeof y));
    fprintf(fp, "<tr><th>Run</th><td>duration %s; horizon %s; scenario seed %llu",
            units_format(a->duration_s, DIM_TIME, x, sizeof x),
            units_format(a->horizon_s, DIM_TIME, y, sizeof y), (unsigned long long)a->scn_seed);
    if (a->mc)
        fprintf(fp, "; Monte Carlo %ld samples, seed %lu", a->mc, a->mc_seed);
    fputs("</td></tr>\n</table>\n", fp);
    fputs("<p><b>Overrides</b> (the scenario's <code>set</code> lines, then the command line, "
          "in order), each with its source:</p>\n<ul>\n", fp);
    for (int i = 0; i < a->nover; i++) {
        fputs("<li><code>", fp);
        report_html_text(fp, a->over[i].setting);
        fputs("</code> (", fp);
        report_html_text(fp, a->over[i].source);
        fputs(")</li>\n", fp);
    }
    if (!a->nover)
        fputs("<li>none</li>\n", fp);
    fputs("</ul>\n<table><tr><th>Variant</th><th>Its settings</th></tr>\n", fp);
    for (int v = 0; v < a->nvariants; v++) {
        fputs("<tr><td>", fp);
        report_html_text(fp, a->variants[v].name);
        fputs("</td><td><code>", fp);
        report_html_text(fp, a->variants[v].settings);
        fputs("</code></td></tr>\n", fp);
    }
    fputs("</table>\n", fp);
    if (!pl)
        return;
    const figfile *f = pl->m->fig;
    int nest = 0, nover = 0;
    for (int i = 0; i < f->n; i++) {
        nest += f->v[i].prov == FIG_ESTIMATE;
        nover += f->v[i].prov == FIG_OVERRIDE;
    }
    fputs("<p><b>Model figures</b> of ", fp);
    report_html_text(fp, model_name(pl->m));
    fprintf(fp, " as the deep-sleep variant ran (%d figures; %d are estimates, "
            "<span class=\"est\">highlighted</span>; %d set by the scenario or the command "
            "line). Every figure has its provenance and its source.</p>\n", f->n, nest, nover);
    fputs("<table><tr><th>Figure</th><th>Value</th><th>Provenance</th><th>Source</th></tr>\n", fp);
    for (int i = 0; i < f->n; i++) {
        const fig_entry *e = &f->v[i];
        int est = e->prov == FIG_ESTIMATE;
        fprintf(fp, "<tr%s><td><code>", est ? " class=\"est\"" : "");
        report_html_text(fp, e->key);
        fputs("</code></td><td class=\"n\">", fp);
        if (e->kind == FIG_NUMBER && e->dim != DIM_NONE)
            html_fmt(fp, e->value, e->dim);
        else
            report_html_text(fp, e->text);
        fputs("</td><td>", fp);
        if (est)
            fputs("<span class=\"badge\">estimate</span>", fp);
        else
            report_html_text(fp, fig_prov_name(e->prov));
        fputs("</td><td>", fp);
        report_html_text(fp, e->source);
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n", fp);
}

void report_html(const report_doc *d, FILE *fp)
{
    const matrix_opts *o = d->o;
    const decide_result *r = d->r;
    const char *title = d->deep ? d->deep->s->title : o->file;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>", fp);
    report_html_text(fp, title);
    fprintf(fp, " &mdash; impsim design review</title>\n<style>\n%s</style>\n</head>\n<body>\n",
            html_style);
    html_tag(fp, "h1", NULL, title);
    fputs("<p class=\"sub\">impsim design review: on the imp004m, can this product drop deep "
          "sleep and the 32&nbsp;kHz crystal? Scenario <code>", fp);
    report_html_text(fp, o->file);
    fputs("</code>.</p>\n", fp);
    fprintf(fp, "<section class=\"verdict %s\">\n", r->can_drop ? "yes" : "no");
    html_tag(fp, "p", "answer", decide_answer(r));
    /* as decide's text: when the design the answer names did not do what
     * its label says (a power-save variant whose firmware disconnects),
     * the note stands beside the answer */
    char note[320];
    if (r->best >= 0 && variant_mismatch(&o->vs.v[r->best], &r->res[r->best], note, sizeof note)) {
        fputs("<p class=\"note\"><b>Note:</b> ", fp);
        report_html_text(fp, note);
        fputs("</p>\n", fp);
    }
    html_margin(d, fp);
    fputs("</section>\n<h2>Variants compared</h2>\n", fp);
    html_table(d, fp);
    fputs("<h2>Charts</h2>\n<p>Each chart is beside this page as SVG (shown) and as PNG "
          "(1600&times;900 px, for slides); its data is beside it as CSV.</p>\n", fp);
    for (int i = 0; i < d->ncharts; i++) {
        const report_chart *c = &d->chart[i];
        fputs("<figure>\n<h3>", fp);
        report_html_text(fp, c->title);
        fputs("</h3>\n<img src=\"", fp);
        report_html_text(fp, c->stem);
        fputs(".svg\" alt=\"", fp);
        report_html_text(fp, c->title);
        fputs("\">\n<figcaption>", fp);
        report_html_text(fp, c->caption);
        fputs(" <a href=\"", fp);
        report_html_text(fp, c->stem);
        fputs(".png\">PNG</a></figcaption>\n</figure>\n", fp);
    }
    if (d->sweep_note)
        html_tag(fp, "p", NULL, d->sweep_note);
    html_mc(d, fp);
    html_sensitivity(d, fp);
    html_calibration(d, fp);
    html_warnings(d, fp);
    html_assumptions(d, fp);
    fputs("<h2>How this report was made</h2>\n<p>impsim " PACKAGE_VERSION ", with:</p>\n<pre>",
          fp);
    report_html_text(fp, d->command);
    fputs("</pre>\n<p>Rerun it to reproduce every number and chart (same seed, same "
          "bytes).</p>\n", fp);
    fputs("<script>\n"
          "window.addEventListener('load', function () {\n"
          "  var im = document.images, ok = 0;\n"
          "  for (var i = 0; i < im.length; i++)\n"
          "    if (im[i].complete && im[i].naturalWidth > 0) ok++;\n"
          "    else console.error('chart did not load: ' + im[i].getAttribute('src'));\n"
          "  document.documentElement.setAttribute('data-charts-loaded', ok + '/' + im.length);\n"
          "});\n</script>\n</body>\n</html>\n", fp);
}
