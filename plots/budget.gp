# budget.gp — the energy budget as stacked bars, one bar per variant, split
# into its parts (activities or components), each part with its value and
# share; parts that are zero are left out. Drawn by `impsim report` and
# `impsim plot budget` from `impsim run --format csv` output (impsim
# prepares the bars: datafile rows are x,bottom,top,part,label).
# Variables: datafile, totalfile (x,total,label), title, xtics_cmd (the
# variants' names as x tics), parts (part names, space separated), nparts,
# unit (display unit of current), what ('activity' or 'component').
load plotsdir.'/style.gp'
set title title
set ylabel sprintf('average current (%s)', unit)
set xlabel 'variant'
eval(xtics_cmd)
set yrange [0:*]
set offsets 0.5, 0.5, 0, 0
set grid noxtics
set key outside right top Left reverse samplen 1.5 title sprintf('by %s', what)
set style fill solid 0.9 border lc rgb '#ffffff'
palette = '#4e79a7 #f28e2b #e15759 #76b7b2 #59a14f #edc948 #b07aa1 #ff9da7 #9c755f #bab0ac #86bcb6 #d37295 #8cd17d #b6992d #499894 #f1ce63'
plot for [k=1:nparts] datafile using ($4 == k ? $1 : NaN):(($2 + $3) / 2):(0.32):(($3 - $2) / 2) \
         with boxxyerror lc rgb word(palette, (k - 1) % 16 + 1) title word(parts, k), \
     datafile using 1:(($2 + $3) / 2):5 with labels font smallfont tc rgb '#1a1a1a' notitle, \
     totalfile using 1:2:3 with labels offset 0,0.8 font smallfont notitle
