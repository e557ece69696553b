# Check helpers shared by the shell tests (tests/provider/provider-env.sh, tests/cli/cli-env.sh).
# Source it once WORK (the test's scratch directory) is set.
#
#   check "what" cmd...                    # must succeed
#   check_fails "what" PATTERN cmd...      # must fail and print PATTERN (grep, basic regex)
#   check_exit N "what" PATTERN cmd...     # must exit N and print PATTERN (grep -E)
#   finish                                 # prints "N passed, N failed"; exits 1 on any failure
#
# A check's output goes to $WORK/out.log. After each check, check_output_kept (which a test env
# may redefine) decides what later checks may inspect: by default $WORK/last.log becomes the
# output of the last check.

FAILURES=0
CHECKS=0
pass() {
    CHECKS=$((CHECKS + 1))
    echo "PASS: $*"
}
fail() {
    CHECKS=$((CHECKS + 1))
    echo "FAIL: $*" >&2
    FAILURES=$((FAILURES + 1))
}
check_output_kept() { cp "$WORK/out.log" "$WORK/last.log"; }
show_output() { sed 's/^/    /' "$WORK/out.log" >&2; }

check() {
    local what="$1"
    shift
    if "$@" >"$WORK/out.log" 2>&1; then
        check_output_kept "$@"
        pass "$what"
    else
        check_output_kept "$@"
        fail "$what"
        show_output
    fi
}
check_fails() {
    local what="$1" pattern="$2"
    shift 2
    if "$@" >"$WORK/out.log" 2>&1; then
        check_output_kept "$@"
        fail "$what (succeeded, should have failed)"
    elif check_output_kept "$@" && grep -q -- "$pattern" "$WORK/out.log"; then
        pass "$what"
    else
        fail "$what (error does not say \"$pattern\")"
        show_output
    fi
}
check_exit() {
    local want="$1" what="$2" pattern="$3" got=0
    shift 3
    "$@" >"$WORK/out.log" 2>&1 || got=$?
    check_output_kept "$@"
    if [ "$got" != "$want" ]; then
        fail "$what (exit $got, want $want)"
        show_output
    elif ! grep -qE -- "$pattern" "$WORK/out.log"; then
        fail "$what (output does not match \"$pattern\")"
        show_output
    else
        pass "$what"
    fi
}
finish() {
    echo "$((CHECKS - FAILURES)) passed, $FAILURES failed"
    [ "$FAILURES" -eq 0 ] || exit 1
    exit 0
}
