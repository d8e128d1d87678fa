# overlay.gp — one wake cycle measured against the model: the measured mean
# cycle (a capture's cycles averaged, aligned at the wake) with the
# simulated cycle before and after `impsim calibrate` fitted the model's
# figures; current on a log axis. Drawn by `impsim calibrate --plot` and
# `impsim plot overlay` from the CSV of `impsim calibrate --overlay`
# (t_s,measured_A,model_A,fitted_A; t_s from the wake).
# Variables: datafile, title, w0, w1 (s, the window), tscale, tunit (display
# unit of time), ymin, ymax (µA), rms0_label, rms1_label (legend texts).
load plotsdir.'/style.gp'
set title title
set xlabel sprintf('time since the wake started (%s)', tunit)
set ylabel 'supply current (log scale)'
set logscale y
set yrange [ymin:ymax]
eval(current_log_tics)
set xrange [w0 * tscale:w1 * tscale]
set key below left Left reverse maxcols 1 samplen 2
set bmargin 7
plot datafile skip 1 using ($1 * tscale):($2 * 1e6 > ymin ? $2 * 1e6 : ymin) \
       with steps lw 7 lc rgb '#b0b0b0' title 'measured (mean of the cycles)', \
     '' skip 1 using ($1 * tscale):($3 * 1e6 > ymin ? $3 * 1e6 : ymin) \
       with steps lw 2 dt 2 lc rgb '#1f77b4' title rms0_label, \
     '' skip 1 using ($1 * tscale):($4 * 1e6 > ymin ? $4 * 1e6 : ymin) \
       with steps lw 2 lc rgb '#111111' title rms1_label
