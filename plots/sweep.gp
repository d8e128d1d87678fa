# sweep.gp — battery life (or average current) of every variant that can
# run, against the swept parameter in its own unit; break-even points
# marked and labelled; the target (or the min-ratio bar) drawn and named in
# a style no variant has; runs whose
# battery outlived the horizon drawn as such. Drawn by `impsim report` and
# `impsim plot sweep` from `impsim sweep` CSV (impsim picks the columns).
# Variables: datafile, title, cols, names, colors, n (the variants' y
# columns, names and colours), ecols (their VARIANT_ended_by columns, 0:
# none), xscale, xunit, xname, logx, yscale, yname,
# yunit, logy, horizon (y units; 0 none), has_over (a run outlived it),
# horizon_label, nbe, bes (break-even
# x values, display units), be_labels (one word each: no-break spaces inside), target (y units; 0
# none), target_label, bar_col (column of the deep-sleep life; 0 none),
# bar_ratio, bar_label, here (x units: the scenario's own value; 0 none),
# here_label.
load plotsdir.'/style.gp'
set title title
set xlabel sprintf('%s (%s)', xname, xunit)
set autoscale xfix
set offsets graph 0.02, graph 0.02, 0, 0
set ylabel sprintf('%s (%s)', yname, yunit)
if (logx) { set logscale x }
if (logy) { set logscale y }
set key below center vertical Left reverse samplen 2 maxrows 3 width 1
set bmargin 7
set datafile missing ''
cap(v) = (horizon > 0 && v >= horizon * 0.999) ? NaN : v
# a run whose battery outlived the horizon: its VARIANT_ended_by column (ec,
# 0 when there is none) says not-depleted, or its life sits at the horizon
over(v, ec) = (horizon > 0 && ((ec > 0 && strcol(ec) eq 'not-depleted') || v >= horizon * 0.999)) ? horizon : NaN
do for [b=1:nbe] {
    x = word(bes, b) + 0
    set arrow 10 + b from first x, graph 0 to first x, graph 1 nohead dt 3 lw 2 lc rgb '#333333' front
    set label 10 + b sprintf('%s', word(be_labels, b)) at first x, graph 0.97 left offset 0.6,0 font smallfont tc rgb '#333333' front
}
# the target and the min-ratio bar in black and grey, dash-dotted and dashed:
# no variant's colour (red is imp004m-deep's)
if (target > 0) {
    set arrow 1 from graph 0, first target to graph 1, first target nohead dt (18,6,4,6) lw 2.5 lc rgb '#111111' front
    set label 3 target_label at graph 0.99, first target right offset 0,0.7 font smallfont tc rgb '#111111' front
}
# the key names the break-even line only when there is one
be_key = nbe == 0 ? '' : xname eq 'wake period' ? 'break-even wake interval' : 'break-even point'
# the scenario's own value: where the product is
if (here > 0) {
    set arrow 4 from first here, graph 0 to first here, graph 1 nohead lw 2 lc rgb '#9a9a9a' back
    set label 4 here_label at first here, graph 0.03 left offset 0.6,0 font smallfont tc rgb '#555555' front
}
if (horizon > 0 && has_over) {
    set arrow 2 from graph 0, first horizon to graph 1, first horizon nohead dt 4 lw 1 lc rgb '#7f7f7f'
}
plot for [i=1:n] datafile skip 1 using ($1 * xscale):(cap(column(word(cols, i) + 0) * yscale)) \
         with linespoints lw 2.5 pt 7 ps 1 lc rgb word(colors, i) title word(names, i), \
     for [i=1:n] datafile skip 1 using ($1 * xscale):(over(column(word(cols, i) + 0) * yscale, word(ecols, i) + 0)) \
         with points pt 9 ps 2.2 lc rgb word(colors, i) notitle, \
     (horizon > 0 && has_over) ? NaN : 1/0 with points pt 9 ps 2 lc rgb '#555555' title horizon_label, \
     for [k=1:(bar_col > 0)] datafile skip 1 using ($1 * xscale):(cap(column(bar_col) * yscale * bar_ratio)) \
         with lines dt 2 lw 2 lc rgb '#666666' title bar_label, \
     (target > 0) ? NaN : 1/0 with lines dt (18,6,4,6) lw 2.5 lc rgb '#111111' title target_label, \
     (nbe > 0) ? NaN : 1/0 with lines dt 3 lw 2 lc rgb '#333333' title be_key
