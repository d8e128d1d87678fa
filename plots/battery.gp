# battery.gp — the battery over its life, per variant: the loaded voltage
# (the lowest terminal voltage under load in each stretch of time) with the
# cell's cut-off and the WiFi minimum marked, and the state of charge below.
# Drawn by `impsim report` from the battery curve it records while running
# each variant's battery (rows: time_d,soc_pct,v_loaded_V,v_rest_V).
# Variables: files, names, colors (space separated, one word per variant),
# n, title, cutoff, wifimin (V; 0 = not set), vlo, vhi (voltage axis).
load plotsdir.'/style.gp'
set multiplot layout 2,1 title title font titlefont
set lmargin 12
set rmargin 4
set key inside top right Left reverse samplen 1.5 opaque
set xrange [0:*]
set format x ''
set ylabel 'loaded voltage (V)'
set yrange [vlo:vhi]
if (cutoff > 0) {
    set arrow 1 from graph 0, first cutoff to graph 1, first cutoff nohead dt 2 lw 2 lc rgb '#7f7f7f' front
    set label 1 sprintf('cell cut-off %.2f V', cutoff) at graph 0.01, first cutoff offset 0,0.7 font smallfont tc rgb '#555555' front
}
if (wifimin > 0) {
    set arrow 2 from graph 0, first wifimin to graph 1, first wifimin nohead dt 4 lw 2 lc rgb '#c0392b' front
    set label 2 sprintf('WiFi minimum %.2f V', wifimin) at graph 0.01, first wifimin offset 0,0.7 font smallfont tc rgb '#c0392b' front
}
set bmargin 1
plot for [i=1:n] word(files, i) using 1:3 with lines lw 2.5 lc rgb word(colors, i) title word(names, i)
unset arrow
unset label
set bmargin 4
set tmargin 1
set format x '%g'
set xlabel 'time (d)'
set ylabel 'state of charge (%)'
set yrange [0:105]
unset key
plot for [i=1:n] word(files, i) using 1:2 with lines lw 2.5 lc rgb word(colors, i) title word(names, i)
unset multiplot
