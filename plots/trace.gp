# trace.gp — current vs time from `impsim run --trace FILE.csv`.
# Variables (set by `impsim plot`): datafile, outfile, term, title.
# Rows are change points: each row's current holds until the next row, so
# the profile is drawn as steps.
set terminal term size 1000,500
set output outfile
set datafile separator ","
set title title noenhanced
set xlabel "time (s)"
set ylabel "current (A)"
set logscale y
set grid
set key off
set format y "%.0e"
set key autotitle columnhead
unset key
plot datafile using 1:($2 > 0 ? $2 : 1e-9) with steps lw 1 lc rgb "#1f77b4"
