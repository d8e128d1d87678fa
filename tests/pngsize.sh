# pngsize.sh — sourced by the chart tests: png_size FILE prints "WIDTHxHEIGHT"
# read from the PNG's IHDR chunk, or "not-a-png" when the file does not start
# with the PNG signature followed by an IHDR chunk of length 13.
png_size() {
  # bytes 0-7 signature, 8-11 chunk length (13), 12-15 "IHDR", 16-19 width,
  # 20-23 height (big-endian)
  set -- $(od -An -tu1 -N24 "$1" 2>/dev/null)
  if [ $# -ne 24 ] || [ "$1 $2 $3 $4 $5 $6 $7 $8" != "137 80 78 71 13 10 26 10" ] ||
     [ "$9 ${10} ${11} ${12}" != "0 0 0 13" ] ||
     [ "${13} ${14} ${15} ${16}" != "73 72 68 82" ]; then
    echo not-a-png
    return
  fi
  echo "$(( (${17} << 24) + (${18} << 16) + (${19} << 8) + ${20} ))x$(( (${21} << 24) + (${22} << 16) + (${23} << 8) + ${24} ))"
}
