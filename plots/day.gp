# day.gp — the current over a whole day (or the trace's length) on a log
# axis, with its average. Drawn by `impsim report` and `impsim plot trace`
# from an `impsim run --trace` CSV.
# Variables: datafile, title, vname, xscale, xunit (display unit of time),
# xend (the trace's end in xunit),
# ymin, ymax (µA), avg_uA, avg_label, col.
load plotsdir.'/style.gp'
set title title
set xlabel sprintf('time (%s)', xunit)
set ylabel 'supply current (log scale)'
set logscale y
set yrange [ymin:ymax]
eval(current_log_tics)
# a little room either side, so that a wake at t = 0 is not hidden on the axis
set xrange [-0.015 * xend:1.015 * xend]
if (xunit eq 'h' && xend <= 48) { set xtics 3 }
set arrow 1 from graph 0, first avg_uA to graph 1, first avg_uA nohead dt (6,3) lw 3 lc rgb '#111111' front
set key below left Left reverse maxcols 1 samplen 2
set bmargin 7
plot datafile skip 1 using ($1 * xscale):($2 * 1e6 > ymin ? $2 * 1e6 : ymin) \
     with steps lw 1.5 lc rgb col title vname.' (supply current)', \
     NaN with lines dt (6,3) lw 3 lc rgb '#111111' title avg_label
