#!/usr/bin/env bash
# End-to-end tests of the trialtwin command line: exit codes, messages, nothing simulated on
# bad input. Usage: cli_test.sh TRIALTWIN SOURCE_DIR
set -u
trialtwin=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
passes=0

check() {  # check NAME EXPECTED_EXIT COMMAND...; output in $work/out, $work/err
    local name=$1 expected=$2
    shift 2
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    if [ "$got" -ne "$expected" ]; then
        echo "FAIL: $name: exit $got, expected $expected"; sed 's/^/  stderr: /' "$work/err" | head -5
        failures=$((failures + 1)); return 1
    fi
    passes=$((passes + 1))
}
expect_in() {  # expect_in NAME FILE TEXT
    if grep -qF -- "$3" "$work/$2"; then passes=$((passes + 1)); else
        echo "FAIL: $1: '$3' not in $2"; sed 's/^/  /' "$work/$2" | head -5; failures=$((failures + 1)); fi
}

demo="$source_dir/scenarios/demo_small.toml"

check "help" 0 "$trialtwin" --help && expect_in "help lists run" out "run"
check "no subcommand" 2 "$trialtwin"
check "unknown flag" 2 "$trialtwin" run "$demo" --frobnicate
check "zero replications" 2 "$trialtwin" run "$demo" --reps 0
check "validate a good file" 0 "$trialtwin" validate "$demo" && expect_in "validate ok" out "ok (4 sites in 2 countries"

# Warnings: values each in range that together will not do what the plan expects (exit 0,
# --strict: exit 2), each naming the file, line and key.
check "validate warns: plan out of reach at the prior's means" 0 "$trialtwin" validate "$demo"
expect_in "the plan warning names file, line and key" err "demo_small.toml:8: warning: trial.plan_target_met_date: out of reach on average"
expect_in "and says how many in the ok line" out "1 warning(s) above"
check "validate --strict makes warnings errors" 2 "$trialtwin" validate "$demo" --strict
check "a horizon too short for the protocol" 0 "$trialtwin" validate "$demo" --set trial.horizon_days=420
expect_in "horizon warning" err "trial.horizon_days: the horizon (day 420) ends before a patient randomised on the plan date (day 392) finishes the protocol"
check "sites no CRA team covers" 0 "$trialtwin" validate "$demo" --set 'cra_teams[0].sites=["DE-01"]'
expect_in "CRA warning" err "no CRA team covers DE-02, PL-01, PL-02"
check "batches short of the protocol's kits" 0 "$trialtwin" validate "$demo" --set 'supply.batches[0].kits=100' --set 'supply.batches[1].kits=100'
expect_in "supply warning" err "supply.batches: the batches hold 200 kits; the protocol dispenses 7 a patient, 420"
check "a window with no working day" 0 "$trialtwin" validate "$source_dir/scenarios/minimal/stock_out.toml"
expect_in "window warning" err "protocol.visits[0]: the window of 'dose' spans 2 day(s)"
check "a plan within reach: no warning, --strict passes" 0 "$trialtwin" validate "$demo" --strict \
    --set recruitment.rate_rate_days=15
check "  and nothing on stderr" 0 test ! -s "$work/err"

# To a log (stderr not a terminal): a progress line every TRIALTWIN_PROGRESS_SECONDS (10).
check "progress to a log" 0 env TRIALTWIN_PROGRESS_SECONDS=0 "$trialtwin" run "$demo" --reps 3000 --threads 1
expect_in "progress lines in the log" err "replications, "

# The readout: P(read out by --by DATE); a bad date is refused before anything runs.
onc="$source_dir/scenarios/oncology_ph3_50sites.toml"
check "--by a date" 0 "$trialtwin" run "$onc" --reps 4 --threads 1 --by 2029-12-31
expect_in "readout table asks about the date" out "P(read out by 2029-12-31)"
expect_in "each analysis a line" out "final    cut-off"
check "--by not a date" 2 "$trialtwin" run "$onc" --reps 4 --by tomorrow
expect_in "--by names the problem" err '--by: "tomorrow" is not a date (YYYY-MM-DD)'
check "--by before the start" 2 "$trialtwin" run "$onc" --reps 4 --by 2026-01-01
expect_in "--by before the start says so" err "is not after the trial's start_date 2027-01-04"
check "no readout without analyses" 0 "$trialtwin" run "$demo" --reps 2 --by 2029-12-31
if grep -qF "Readout" "$work/out"; then echo "FAIL: readout printed without analyses"; failures=$((failures + 1)); else passes=$((passes + 1)); fi

sed 's/^randomisation_target = 60/randomisation_target = -60/; s/^country = "PL"/country = "FR"/' "$demo" > "$work/bad.toml"
check "validate a bad file" 2 "$trialtwin" validate "$work/bad.toml"
expect_in "names file, line and key" err "bad.toml:7:24: trial.randomisation_target: must be between 1 and 1000000"
expect_in "reports every problem" err "sites[2].country: unknown country \"FR\""
expect_in "says nothing was simulated" err "nothing was simulated"

check "run a bad file" 2 "$trialtwin" run "$work/bad.toml"
if [ -s "$work/out" ]; then echo "FAIL: run of a bad file printed a summary"; failures=$((failures + 1)); else passes=$((passes + 1)); fi

check "missing file" 2 "$trialtwin" validate "$work/nope.toml" && true
expect_in "missing file message" err "nope.toml:0:0: cannot open the scenario file"

check "run the demo" 0 "$trialtwin" run "$demo" --reps 20 --seed 5
expect_in "summary has the target line" out "target met (day)"
cp "$work/out" "$work/first"
check "same seed again" 0 "$trialtwin" run "$demo" --reps 20 --seed 5
if cmp -s "$work/out" "$work/first"; then passes=$((passes + 1)); else
    echo "FAIL: same seed gave a different summary"; failures=$((failures + 1)); fi

# --set: a changed value runs; bad keys and values are refused with one clear message.
check "set a value" 0 "$trialtwin" validate "$demo" --set recruitment.rate_shape=3.5
check "set a key that is not there" 2 "$trialtwin" validate "$demo" --set "sites[9].country=\"DE\""
expect_in "names the missing element" err "the scenario has no sites[9]"
fees() {  # the run's median site fees, from --json
    /usr/bin/python3 -c 'import json,sys; print(int(json.load(sys.stdin)["metrics"]["cost_site_fees"]["median"]))' <"$work/out"
}
# A horizon that cuts follow-up off is said under the summary, with the share of runs.
check "a horizon cutting follow-up off" 0 "$trialtwin" run "$demo" --reps 20 --set trial.horizon_days=500
expect_in "says the horizon cut the last visits off" out "of replications the last visit ran into the horizon (day 500)"
check "a horizon long enough" 0 "$trialtwin" run "$demo" --reps 20
if grep -q "ran into the horizon" "$work/out"; then echo "FAIL: horizon warning without cause"; failures=$((failures + 1)); else passes=$((passes + 1)); fi

# Added sites: a file of [[sites]] (and new [[countries]]) joins the scenario, before --set;
# a compare variant may add them too (+sites=FILE).
added="$source_dir/tests/cli/added_sites.toml"
check "add sites" 0 "$trialtwin" validate "$demo" --add-sites "$added"
expect_in "the added sites and their country counted" out "ok (6 sites in 3 countries"
check "run with added sites, --set reaching them" 0 "$trialtwin" run "$demo" --reps 5 --json \
    --add-sites "$added" --set 'countries[code=CZ].site_startup_fee=7000'
[ "$(fees)" = 55000 ] && passes=$((passes + 1)) || { echo "FAIL: added sites' fees (got $(fees), want 2x12000 + 3x8000 + 7000)"; failures=$((failures + 1)); }
check "a variant that adds sites" 0 "$trialtwin" compare "$demo" --reps 10 --variant "more: +sites=$added"
if grep -qE "cost site_fees \(EUR\) +40000\.0 +53000\.0 +13000\.0" "$work/out"; then passes=$((passes + 1)); else
    echo "FAIL: the variant's added fees"; grep site_fees "$work/out"; failures=$((failures + 1)); fi
printf '[trial]\nname = "x"\n' >"$work/not_sites.toml"
check "a file of added sites holding other tables" 2 "$trialtwin" validate "$demo" --add-sites "$work/not_sites.toml"
expect_in "says what it may hold" err "holds [trial]; a file of added sites holds [[sites]]"
check "a missing file of added sites" 2 "$trialtwin" validate "$demo" --add-sites "$work/nope.toml"
expect_in "says there is no such file" err "nope.toml: no such file"
printf '[[sites]]\nid = "DE-01"\ncountry = "DE"\n' >"$work/dup_sites.toml"
check "an added site with a taken id" 2 "$trialtwin" validate "$demo" --add-sites "$work/dup_sites.toml"
expect_in "says the id is taken" err "duplicate site id \"DE-01\""

# Recruitment in a planner's words: 2 randomised a site-month, CV 0.5 between sites, 40 %
# failing screening, converted exactly (shape 1/0.5² = 4, presenting 2/0.6 a month). Ten
# sites open on day 0 randomise on average 10 × 2 × 365/(365.25/12) = 239.8 by day 365; per
# site NB(mean 24, variance 24 + 24² × 0.5²): over 400 replications the mean's standard error
# is sqrt(10 × 168 / 400) = 2.05, so it must fall within 8.2 (4 SE) of 239.8.
{
    printf '[trial]\nname = "per month"\nstart_date = 2027-01-04\nrandomisation_target = 100000\n'
    printf 'plan_target_met_date = 2028-01-04\nhorizon_days = 400\n[recruitment]\n'
    printf 'randomised_per_site_per_month = { mean = 2, cv = 0.5 }\n[[countries]]\ncode = "XX"\n'
    printf 'working_days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]\nstartup_days = 0\n'
    for i in 1 2 3 4 5 6 7 8 9 10; do
        printf '[[sites]]\nid = "S%d"\ncountry = "XX"\nscreen_failure_probability = 0.4\n' "$i"
    done
    printf '[protocol.screening]\n'
} >"$work/per_month.toml"
check "recruitment per site-month validates" 0 "$trialtwin" validate "$work/per_month.toml"
expect_in "shown back as the prior" out "Gamma(shape 4, rate 36.52 days): on average 3.333 patients presenting a site-month, coefficient of variation 0.5"
check "recruitment per site-month runs" 0 "$trialtwin" run "$work/per_month.toml" --reps 400 --json
mean=$(/usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["metrics"]["randomised_by_plan"]["mean"])' <"$work/out")
if /usr/bin/python3 -c "import sys; sys.exit(0 if abs($mean - 239.8) < 8.2 else 1)"; then passes=$((passes + 1)); else
    echo "FAIL: randomised by the plan date $mean, expected 239.8 +- 8.2"; failures=$((failures + 1)); fi
sed 's/^screen_failure_probability = 0.4$/screen_failure_probability = 0.3/' "$work/per_month.toml" |
    awk 'NR == FNR { print; next }' - >"$work/per_month_mixed.toml"
sed -i '0,/screen_failure_probability = 0.3/s//screen_failure_probability = 0.5/' "$work/per_month_mixed.toml"
check "randomised a month with screen failure differing between sites" 2 "$trialtwin" validate "$work/per_month_mixed.toml"
expect_in "says to give it as presenting" err "give presenting_per_site_per_month instead"
check "start-up as a whole and in parts" 2 "$trialtwin" validate "$work/per_month.toml" --set 'countries[0].approval_days=30'
expect_in "says not both" err "countries[0].startup_days: give the whole start-up or its parts"

# Selectors: every element ([*]) or those with a field's value ([country=PL]).
check "set every country's fee" 0 "$trialtwin" run "$demo" --reps 5 --json --set 'countries[*].site_startup_fee=0'
[ "$(fees)" = 0 ] && passes=$((passes + 1)) || { echo "FAIL: [*] sets every element"; failures=$((failures + 1)); }
check "leave out the sites of one country" 0 "$trialtwin" run "$demo" --reps 5 --json --set 'sites[country=PL].left_out=true'
[ "$(fees)" = 24000 ] && passes=$((passes + 1)) || { echo "FAIL: [country=PL] leaves out PL's sites only (fees $(fees))"; failures=$((failures + 1)); }
check "nested selectors" 0 "$trialtwin" validate "$demo" --set 'sites[country=DE].staff[*].count=3'
check "a selector matching nothing" 2 "$trialtwin" validate "$demo" --set 'sites[country=BR].staff[0].count=2'
expect_in "says what matched nothing" err "no element of sites has country = BR"
check "a malformed selector" 2 "$trialtwin" validate "$demo" --set 'sites[=DE].left_out=true'
expect_in "says what a selector is" err "a selector is [*] or [NAME=VALUE]"
# A table the scenario leaves out takes its defaults; setting one of its keys creates it, and
# a misspelt table is refused like a misspelt key.
check "set a key of a table left out" 0 "$trialtwin" run "$demo" --reps 20 --seed 5 \
    --set policy.decision_every_days=36500
# (Columns line up with the longest label: matched by pattern.)
if grep -qE "^  anomaly flags +0 +0 +0$" "$work/out"; then passes=$((passes + 1)); else
    echo "FAIL: it takes effect: no decision epoch, no flag"; failures=$((failures + 1)); fi
check "set a key of a misspelt table" 2 "$trialtwin" validate "$demo" --set polciy.decision_every_days=14
expect_in "names the misspelt table" err "polciy: unknown key"
check "set a value that is not TOML" 2 "$trialtwin" run "$demo" --set trial.name=unquoted
expect_in "says how to quote" err "quote strings"
check "set without =" 2 "$trialtwin" run "$demo" --set trial.name
check "set an invalid value" 2 "$trialtwin" validate "$demo" --set trial.randomisation_target=-5
expect_in "the loader still checks it" err "trial.randomisation_target: must be between 1 and 1000000"
# Staffing is a lever: a variant with twice the coordinators keeps the baseline's staffing as its
# effort reference, and enrolls faster (issue 25).
check "a staffing variant" 0 "$trialtwin" compare "$demo" --reps 50 --seed 3 --json \
  --variant "more: sites[0].staff[0].count=4; sites[1].staff[0].count=2; sites[2].staff[0].count=4; sites[3].staff[0].count=2"
if python3 -c "
import json, sys
d = json.load(open('$work/out'))
c = d['variants'][0]['differences']['enrollment_duration_days']
sys.exit(0 if c['mean_difference'] < -5 and c['ci_high'] < 0 else 1)"; then passes=$((passes + 1)); else
  echo "FAIL: a staffing variant shortens enrollment"; head -c 600 "$work/out"; failures=$((failures + 1)); fi
check "a malformed variant" 2 "$trialtwin" compare "$demo" --variant "no colon here"
check "a variant with a bad key" 2 "$trialtwin" compare "$demo" --variant "v: nothing.here=1"

check "sweep with a reversed range" 2 "$trialtwin" sweep "$demo" --set recruitment.rate_shape=4:1
expect_in "says LO < HI" err "a range needs LO < HI"
check "sweep a point that is invalid" 2 "$trialtwin" sweep "$demo" --set trial.randomisation_target=-1,5
expect_in "the point is checked" err "trial.randomisation_target: must be between 1 and 1000000"

# Results files: a bad destination, files that are not results, Ctrl-C.
check "out into a missing folder" 2 "$trialtwin" run "$demo" --reps 2 --out "$work/no/such/dir/r.h5"
expect_in "names the folder" err "does not exist"
echo "not hdf5" > "$work/text.h5"
check "inspect a text file" 2 "$trialtwin" inspect "$work/text.h5" && true
expect_in "says it is not HDF5" err "text.h5: not an HDF5 file"
check "inspect a missing file" 2 "$trialtwin" inspect "$work/none.h5" && true
expect_in "says no such file" err "none.h5: no such file"
check "write a results file" 0 "$trialtwin" run "$demo" --reps 5 --out "$work/good.h5"
head -c 3000 "$work/good.h5" > "$work/truncated.h5"
check "inspect a truncated file" 2 "$trialtwin" inspect "$work/truncated.h5" && true
expect_in "says damaged" err "truncated.h5: damaged or incomplete results file"

# Policies: by name, combined with +, compared on the same replications.
check "run under a policy" 0 "$trialtwin" run "$demo" --reps 10 --policy adaptive+window_slack+predictive --out "$work/policy.h5"
check "inspect the policy's file" 0 "$trialtwin" inspect "$work/policy.h5"
expect_in "stored under its name" out "adaptive+window_slack+predictive"
check "compare policies" 0 "$trialtwin" compare "$demo" --reps 20 --policies static,adaptive,proportional
expect_in "headline table" out "adaptive against static, 20 paired replications"
expect_in "headline has staffing cost" out "cost site_staff"
expect_in "proportional compared too" out "proportional against static"
expect_in "the flags are summarised" out "anomaly flags"
check "compare policies as JSON" 0 "$trialtwin" compare "$demo" --reps 10 --policies static,adaptive --json
expect_in "JSON baseline is the first policy" out '"name": "static"'
check "unknown policy" 2 "$trialtwin" run "$demo" --policy clever
expect_in "lists the known ones" err "unknown policy \"clever\""
check "two allocation policies" 2 "$trialtwin" compare "$demo" --policies static+adaptive,static
expect_in "says which part" err "names two allocation rules"
check "one policy is no comparison" 2 "$trialtwin" compare "$demo" --policies adaptive
check "a policy listed twice" 2 "$trialtwin" compare "$demo" --policies adaptive,adaptive
printf '\n[policy]\nallocation = "clever"\n' | cat "$demo" - > "$work/bad_policy.toml"
check "unknown policy in the scenario" 2 "$trialtwin" validate "$work/bad_policy.toml"
expect_in "names file, line and key" err "bad_policy.toml:"
expect_in "the key" err "policy.allocation: unknown allocation policy \"clever\""

# The digital twin: forecast from observed data.
onc="$source_dir/scenarios/oncology_ph3_50sites.toml"
obs="$source_dir/scenarios/observed/oncology_week40.csv"
pts="$source_dir/scenarios/observed/oncology_week40_patients.csv"
check "forecast the bundled example" 0 "$trialtwin" forecast "$onc" --observed "$obs" --patients "$pts" --as-of 2027-10-11 --reps 20 --policies static,adaptive --out "$work/forecast.h5"
expect_in "fit is reported" out "recruitment prior refitted (ML"
expect_in "forecast date per policy" out "forecast from 2027-10-11 under adaptive: target met"
check "inspect the forecast" 0 "$trialtwin" inspect "$work/forecast.h5"
printf 'site,activation_date,screened,randomised\nUS-01,2027-06-01,3,5\nXX-9,2027-06-01,1,0\n' > "$work/obs_bad.csv"
check "bad observed data" 2 "$trialtwin" forecast "$onc" --observed "$work/obs_bad.csv" --as-of 2027-10-11 --reps 5
expect_in "names file, line, column and column name" err "obs_bad.csv:2:20: randomised: more randomised (5) than screened (3)"
expect_in "unknown site" err "obs_bad.csv:3:1: site: unknown site \"XX-9\""
expect_in "nothing simulated" err "nothing was simulated"
check "as-of not a date" 2 "$trialtwin" forecast "$onc" --observed "$obs" --as-of 2027-13-01 --reps 5
expect_in "says so" err "--as-of: \"2027-13-01\" is not a date"
check "forecast needs --as-of" 2 "$trialtwin" forecast "$onc" --observed "$obs"

# The SimGrid kernel: same results as the native one, recorded in the file; bad names refused.
check "run on native, JSON" 0 "$trialtwin" run "$demo" --reps 12 --seed 3 --json --engine native
cp "$work/out" "$work/native.json"
check "run on SimGrid, JSON" 0 "$trialtwin" run "$demo" --reps 12 --seed 3 --json --engine simgrid --threads 2
if cmp -s "$work/out" "$work/native.json"; then passes=$((passes + 1)); else
    echo "FAIL: SimGrid's JSON differs from native's"; diff "$work/native.json" "$work/out" | head -5; failures=$((failures + 1)); fi
check "compare on SimGrid" 0 "$trialtwin" compare "$demo" --reps 6 --policies static,adaptive --engine simgrid --out "$work/simgrid.h5"
check "inspect names the kernel" 0 "$trialtwin" inspect "$work/simgrid.h5" && expect_in "engine in inspect" out "engine simgrid 3.32"
check "unknown engine" 2 "$trialtwin" run "$demo" --reps 2 --engine simgird
expect_in "names the option" err "--engine"

# Ctrl-C during a long run: exit 130, nothing under the final name, no temporary left.
interrupt_run() {  # interrupt_run LABEL FILE EXTRA_ARGS...: starts a long run, Ctrl-C after 2 s
    local label=$1 file=$2
    shift 2
    "$trialtwin" run "$source_dir/scenarios/oncology_ph3_50sites.toml" --reps 1000000 "$@" \
        --out "$work/$file" >"$work/out" 2>"$work/err" &
    local pid=$!
    sleep 2
    kill -INT "$pid"
    wait "$pid"
    local got=$?
    if [ "$got" -eq 130 ]; then passes=$((passes + 1)); else echo "FAIL: Ctrl-C ($label): exit $got"; failures=$((failures + 1)); fi
    if ls "$work/$file"* >/dev/null 2>&1; then echo "FAIL: Ctrl-C ($label) left a file"; failures=$((failures + 1)); else passes=$((passes + 1)); fi
    expect_in "says it stopped ($label)" err "nothing was written"
}
interrupt_run native big.h5
# SimGrid has a Ctrl-C handler of its own; ours must stay.
interrupt_run simgrid big_sg.h5 --engine simgrid

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
