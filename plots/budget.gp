# budget.gp — the energy budget as stacked bars, one bar per variant, split
# into its parts (activities or components); every part named on the chart
# with its value and share (inside its segment when it fits, else beside the
# bar with a leader, spread so that no two overlap); parts that are zero are
# left out. Drawn by `impsim report` and `impsim plot budget` from `impsim
# run --format csv` output (impsim prepares the bars and places the labels).
# Variables: datafile (rows x,bottom,top,part), labelfile (rows
# x,y,text,beside,x0,y0,dy: beside = 1 for a label beside the bar, with its
# leader from (x0, y0) rising dy), totalfile (x,total,label), title,
# xtics_cmd (the variants' names as x tics), nparts, nvar, unit (display unit
# of current), ytop (the axis' top), hw (a bar's half width).
load plotsdir.'/style.gp'
set title title
set ylabel sprintf('average current (%s)', unit)
set xlabel 'variant'
eval(xtics_cmd)
set yrange [0:ytop]
# room right of the last bar for its labels
set xrange [-0.5:nvar - 0.5 + 0.75]
set grid noxtics
unset key
set style fill solid 0.9 border lc rgb '#ffffff'
palette = '#4e79a7 #f28e2b #e15759 #76b7b2 #59a14f #edc948 #b07aa1 #ff9da7 #9c755f #bab0ac #86bcb6 #d37295 #8cd17d #b6992d #499894 #f1ce63'
plot for [k=1:nparts] datafile using ($4 == k ? $1 : NaN):(($2 + $3) / 2):(hw):(($3 - $2) / 2) \
         with boxxyerror lc rgb word(palette, (k - 1) % 16 + 1) notitle, \
     labelfile using ($4 > 0 ? $5 : NaN):6:($1 - $5 - 0.01):7 with vectors nohead lw 1 lc rgb '#555555' notitle, \
     labelfile using ($4 > 0 ? NaN : $1):2:3 with labels font tinyfont tc rgb '#111111' notitle, \
     labelfile using ($4 > 0 ? $1 : NaN):2:3 with labels left font tinyfont tc rgb '#111111' notitle, \
     totalfile using 1:2:3 with labels offset 0,0.9 font smallfont notitle
