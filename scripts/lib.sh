# Shell helpers shared by the scripts; source it: . "$(dirname "$0")/lib.sh"

# wait_for_server FILE [SECONDS]: prints HOST:PORT once the delay server whose stdout goes to
# FILE has printed its handshake, the first line "listening on HOST:PORT" (the one
# harness/server/listening_line.hpp writes); returns 1 if it has not after SECONDS (default 10).
wait_for_server() {
  local file=$1 tries=$(( ${2:-10} * 20 )) line
  for _ in $(seq "$tries"); do
    if [ -s "$file" ] && [ "$(wc -l < "$file")" -ge 1 ]; then
      line=$(head -n 1 "$file")
      case $line in
        "listening on "*) echo "${line#listening on }"; return 0 ;;
        *) return 1 ;;
      esac
    fi
    sleep 0.05
  done
  return 1
}
