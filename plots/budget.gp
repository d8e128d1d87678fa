# budget.gp — charge per component from `impsim run --format csv`.
# Variables: datafile, outfile, term, title.
set terminal term size 900,500
set output outfile
set datafile separator ","
set title title noenhanced
set style data histogram
set style fill solid 0.8 border -1
set boxwidth 0.8
set ylabel "charge (C)"
set xtics rotate by -30 noenhanced
set grid ytics
set key off
plot sprintf("< grep '^component,' '%s'", datafile) using 6:xtic(2) lc rgb "#2ca02c"
