# mc.gp — the Monte Carlo distribution of battery life per variant: every
# sample as a dot, the P10-P90 range as a bar with P50 marked and all three
# written out, and the target. Drawn by `impsim report` from its Monte Carlo
# samples (rows: y,life) and the Monte Carlo summary (rows:
# y,p10,p50,p90,label) of the same run.
# Variables: datafile, pfile, title, ytics_cmd (variant names), ny, xscale,
# xunit, logx, target (x units; 0 none), target_label, nsamples.
load plotsdir.'/style.gp'
set title title
set xlabel sprintf('battery life (%s)', xunit)
if (logx) { set logscale x }
eval(ytics_cmd)
set yrange [-0.7:ny - 0.3]
set grid noytics
set key below left Left reverse maxcols 3 samplen 1.5
set bmargin 6
if (target > 0) {
    set arrow 1 from first target, graph 0 to first target, graph 1 nohead dt (18,6,4,6) lw 2.5 lc rgb '#111111' front
    set label 3 target_label at first target, graph 1 left offset 0.5,-0.6 font smallfont tc rgb '#111111' front
}
plot datafile using ($2 * xscale):($1 + 0.16 * (rand(0) - 0.5)) with points pt 7 ps 0.9 lc rgb '#6f8fbf' \
         title sprintf('one sample (%d per variant)', nsamples), \
     pfile using ($3 * xscale):1:($2 * xscale):($4 * xscale) with xerrorbars pt 9 ps 2.5 lw 3 lc rgb '#1a1a1a' \
         title 'P10 - P90, P50 marked', \
     pfile using ($3 * xscale):1:5 with labels offset 0,1.6 font smallfont notitle, \
     (target > 0) ? NaN : 1/0 with lines dt (18,6,4,6) lw 2.5 lc rgb '#111111' title target_label
