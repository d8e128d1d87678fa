# cycle.gp — one wake cycle: current against time on a log axis, each phase
# shaded and named (the names come from the trace's phase column: the
# activity, refined by the radio's state or a flash transfer), the cycle's
# average and peak marked. Drawn by `impsim report` and `impsim plot cycle`
# from an `impsim run --trace` CSV.
# Variables: datafile (the trace), phasefile (gnuplot commands shading the
# phases, written by impsim), title, vname (variant), t0 (s, the wake's
# start), w0, w1 (s, the window), tscale, tunit (display unit of time since
# t0), ymin, ymax (µA), avg_uA, avg_label, peak_t (s), peak_uA, peak_label,
# col (line colour).
load plotsdir.'/style.gp'
set title title
set xlabel sprintf('time since the wake started (%s)', tunit)
set ylabel 'supply current (log scale)'
set logscale y
set yrange [ymin:ymax]
eval(current_log_tics)
set xrange [(w0 - t0) * tscale:(w1 - t0) * tscale]
# phase labels on a light box behind the current line, so that both read
set style textbox opaque fc rgb '#33ffffff' noborder margins 1,1
load phasefile
# the average and the peak in black: the variant's colour is the current's
set arrow 1 from graph 0, first avg_uA to graph 1, first avg_uA nohead dt 2 lw 2.5 lc rgb '#111111' front
set key below left Left reverse maxcols 1 samplen 2
set bmargin 7
plot datafile skip 1 using (($1 - t0) * tscale):($2 * 1e6 > ymin ? $2 * 1e6 : ymin) \
     with steps lw 2.5 lc rgb col title vname.' (supply current)', \
     NaN with lines dt 2 lw 2.5 lc rgb '#111111' title avg_label, \
     '+' using ((peak_t - t0) * tscale):(peak_uA) every ::0::0 with points pt 7 ps 1.8 lc rgb '#111111' title peak_label
