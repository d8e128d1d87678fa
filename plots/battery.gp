# battery.gp — the battery over its life, per variant: the loaded voltage
# (the lowest terminal voltage under load in each stretch of time) with the
# cell's cut-off and the WiFi minimum marked, and the state of charge below.
# Drawn by `impsim report` from the battery curve it records while running
# each variant's battery (rows: time_d,soc_pct,v_loaded_V,v_rest_V).
# Variables: files, names, colors (space separated, one word per variant),
# n, title, cutoff, wifimin (V; 0 = not set), cutoff_label, cutoff_dy,
# wifimin_dy (label offsets, character heights), vlo, vhi (voltage axis).
load plotsdir.'/style.gp'
set multiplot layout 2,1 title title font titlefont
set lmargin 12
set rmargin 4
unset key
set xrange [0:*]
set format x ''
set ylabel 'loaded voltage (V)'
set yrange [vlo:vhi]
# the two limits in black and dark grey (no variant's colour), each named at
# the left: the higher one's name above its line, the lower one's below its
# own, so that the two never overlap however close they are (one name when
# they coincide)
if (cutoff > 0) {
    set arrow 1 from graph 0, first cutoff to graph 1, first cutoff nohead dt 2 lw 2 lc rgb '#555555' front
    set label 1 cutoff_label at graph 0.01, first cutoff offset 0,cutoff_dy font smallfont tc rgb '#555555' front
}
if (wifimin > 0 && wifimin != cutoff) {
    set arrow 2 from graph 0, first wifimin to graph 1, first wifimin nohead dt (18,6,4,6) lw 2 lc rgb '#111111' front
    set label 2 sprintf('WiFi minimum %.2f V', wifimin) at graph 0.01, first wifimin offset 0,wifimin_dy font smallfont tc rgb '#111111' front
}
set bmargin 1
plot for [i=1:n] word(files, i) using 1:3 with lines lw 2.5 lc rgb word(colors, i) notitle
unset arrow
unset label
# the variants' names below the chart, in a row: never over a curve
set key outside below center horizontal Left reverse samplen 2 spacing 1.1 width 2
set bmargin 6
set tmargin 1
set format x '%g'
set xlabel 'time (d)'
set ylabel 'state of charge (%)'
set yrange [0:105]
plot for [i=1:n] word(files, i) using 1:2 with lines lw 2.5 lc rgb word(colors, i) title word(names, i)
unset multiplot
