# sweep.gp — battery life of each variant across a parameter, from
# `impsim sweep --format csv`. Variables: datafile, outfile, term, title.
# Columns: value, then per variant life_s and avg_current_A, then break_even.
set terminal term size 1000,600
set output outfile
set datafile separator ","
set datafile missing ""
set title title noenhanced
set key autotitle columnhead noenhanced outside right
set xlabel "parameter (SI unit, see the CSV header)"
set ylabel "battery life (days)"
set logscale x
set logscale y
set grid
stats datafile every ::1 using 1 nooutput
n = int(STATS_columns)
nv = (n - 2) / 2
plot for [i=0:nv-1] datafile using 1:(column(2 + 2*i) / 86400) with linespoints \
     title columnhead(2 + 2*i)
