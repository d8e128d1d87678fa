# style.gp — the look shared by every impsim chart, loaded first by each
# script: slide-sized output (PNG 1600x900 px, SVG 1200x675), large type,
# light grid, plain text (no gnuplot markup: names print as written).
# Variables (set by impsim): term ('pngcairo' or 'svg'), outfile.
if (term eq 'pngcairo') {
    set terminal pngcairo size 1600,900 noenhanced font 'DejaVu Sans,20' linewidth 2 rounded
} else {
    set terminal svg size 1200,675 noenhanced font 'DejaVu Sans,15' linewidth 1.5 rounded background '#ffffff'
}
set output outfile
set datafile separator ','
set grid lc rgb '#d8d8d8' lw 1
set border 3 lc rgb '#404040'
set tics nomirror
set key noautotitle
# font sizes for labels inside the plot and for the title
smallfont = term eq 'pngcairo' ? ',16' : ',12'
tinyfont = term eq 'pngcairo' ? ',14' : ',10.5'
titlefont = term eq 'pngcairo' ? ',23' : ',17'
set title font titlefont
# current on a log axis held in µA: ticks read 1 µA ... 1 A
current_log_tics = "set ytics ('10 nA' 0.01, '100 nA' 0.1, '1 µA' 1, '10 µA' 10, '100 µA' 100, '1 mA' 1e3, '10 mA' 1e4, '100 mA' 1e5, '1 A' 1e6); set mytics 10"
