# synth.awk — a synthetic Nordic PPK2 capture from an impsim trace: the
# trace (time_s,current_A,...) resampled at RATE samples/s from T0 to T1 s,
# with gaussian noise of 0.3 uA + 0.5 % (Box-Muller on awk's rand, seed SEED)
# and the PPK2's 0.2 uA quantisation, written as the Power Profiler app
# exports it: Timestamp(ms),Current(uA),D0-D7.
BEGIN { FS = ","; srand(SEED); n = 0 }
NR > 1 { t[n] = $1; c[n] = $2; n++ }
END {
  print "Timestamp(ms),Current(uA),D0-D7"
  j = 0; dt = 1 / RATE; N = int((T1 - T0) * RATE)
  for (k = 0; k < N; k++) {
    ts = T0 + k * dt
    while (j + 1 < n && t[j + 1] <= ts) j++
    ua = c[j] * 1e6
    u1 = rand(); if (u1 < 1e-12) u1 = 1e-12
    ua += sqrt(-2 * log(u1)) * cos(6.283185307179586 * rand()) * (0.3 + 0.005 * ua)
    q = int(ua / 0.2 + (ua >= 0 ? 0.5 : -0.5)) * 0.2
    printf "%.2f,%.3f,00000000\n", k * dt * 1000, q
  }
}
