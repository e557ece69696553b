# Sourced by the CLI's shell tests: starts the emulator (tests/support/emulator-env.sh) with any
# extra emulator flags, puts the azkv under test in $AZKV and offers check helpers.
#
#   source cli-env.sh BUILD_DIR SOURCE_DIR [emulator flags...]
#   check, check_exit, finish ...  # tests/support/checks.sh
set -uo pipefail

BUILD_DIR="$1"
SOURCE_DIR="$2"
shift 2
# shellcheck source=../support/emulator-env.sh
source "$SOURCE_DIR/tests/support/emulator-env.sh"
emu_start "$BUILD_DIR/emulator/azkv-emulator" "$@" || exit 1
AZKV="$BUILD_DIR/cli/azkv"
# RSA-4096 generation in the emulator can take seconds on a loaded CI machine.
python3 - "$AZKV_CONFIG" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["http"]["timeout_ms"] = 60000
json.dump(c, open(sys.argv[1], "w"), indent=1)
PY
WORK="$EMU_DIR/work"
mkdir -p "$WORK"
cd "$WORK" || exit 1
export NO_COLOR=1

# shellcheck source=../support/checks.sh
source "$SOURCE_DIR/tests/support/checks.sh"
# last.log holds the output of the last azkv command run by a check, so that later checks
# (grep, test, json_field) can inspect it without replacing it.
check_output_kept() {
    local arg
    for arg in "$@"; do
        if [ "$arg" = "$AZKV" ]; then
            cp "$WORK/out.log" "$WORK/last.log"
            return
        fi
    done
}
# json_field FILE PYTHON-EXPR (d = the parsed JSON)
json_field() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
# with_config JSON-MERGE-PY: writes a variant of $AZKV_CONFIG to stdout path; e.g.
#   cfg=$(config_variant 'c["http"]["retry_budget_ms"]=500')
config_variant() {
    local out
    out="$(mktemp "$WORK/cfg.XXXXXX.json")"
    python3 - "$AZKV_CONFIG" "$out" "$1" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(c, open(sys.argv[2], "w"), indent=1)
PY
    chmod 600 "$out"
    echo "$out"
}
