#!/usr/bin/python3
"""trialtwin optimise and sensitivity end to end, against answers known in closed form.
Usage: decide_test.py TRIALTWIN SOURCE_DIR

Optimise: N identical candidate sites, open on day 0 (no approval, contracting or activation
delay), every day a working day, no screen failures, no screening delay, no staff, CRAs or
supply; each costs a start-up fee F and nothing else. Site i recruits at rate L_i ~
Gamma(shape a, rate b) a day, independently. With n sites open, the patients randomised by day
t are, given the rates, Poisson(t * sum L_i), and sum L_i ~ Gamma(n a, b); so the count is
negative binomial, NB(r = n a, p = b / (b + t)) (the Poisson-gamma mixture). The target of K by
the plan day t is met with probability P_n = P(NB(n a, b / (b + t)) >= K), increasing in n, and
the cost is n F exactly. The cheapest plan with P(target by plan) >= 0.9 opens
n* = min { n : P_n >= 0.9 } sites. The optimiser must answer within one site of n*."""
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

trialtwin, source = sys.argv[1], sys.argv[2]
demo = os.path.join(source, "scenarios", "demo_small.toml")


def run(*args, **kw):
    return subprocess.run([trialtwin, *args], capture_output=True, text=True, **kw)


def at_least(k, r, p):
    """P(N >= k) for N ~ NB(r, p): 1 - the sum of the pmf below k (lgamma: no overflow)."""
    below = sum(math.exp(math.lgamma(j + r) - math.lgamma(r) - math.lgamma(j + 1) +
                         r * math.log(p) + j * math.log1p(-p)) for j in range(k))
    return 1 - below


a, b, t, K, F, N = 2.0, 40.0, 180, 100, 10000, 24
work = tempfile.mkdtemp(prefix="trialtwin_decide_")
scenario = os.path.join(work, "identical.toml")
lines = ["[trial]", 'name = "identical candidate sites"', "start_date = 2027-01-04",
         f"randomisation_target = {K}", "plan_target_met_date = 2027-07-03",  # day 180
         "horizon_days = 1000", "", "[recruitment]", f"rate_shape = {a}",
         f"rate_rate_days = {b}", "", "[[countries]]", 'code = "XX"',
         'working_days = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]',
         f"site_startup_fee = {F}", ""]
for i in range(N):
    lines += ["[[sites]]", f'id = "S{i + 1:02d}"', 'country = "XX"', "candidate = true", ""]
lines += ["[protocol]", "screening_to_randomisation_days = 0", "", "[protocol.screening]",
          "window_after_days = 0", ""]
with open(scenario, "w") as f:
    f.write("\n".join(lines))

P = {n: at_least(K, n * a, b / (b + t)) for n in range(1, N + 1)}
n_star = min(n for n in P if P[n] >= 0.9)
check("the closed form has an answer inside the candidates", 2 <= n_star < N, str(n_star))
print(f"closed form: P_n = {', '.join(f'{n}:{P[n]:.3f}' for n in range(n_star - 2, n_star + 3))};"
      f" n* = {n_star}")

# --- optimise finds n* (within one site), and says which sites -----------------------------
out = os.path.join(work, "optimise.h5")
common = ["--minimise", "mean:cost_total", "--subject-to", "p:target_met_by_plan>=0.9",
          "--reps", "400", "--seed", "3"]
r = run("optimise", scenario, *common, "--json", "--out", out)
check("optimise runs", r.returncode == 0, r.stderr)
answer = json.loads(r.stdout)
opened = answer["chosen"]["sites_open"]
check("an answer is found", answer["chosen"]["found"], r.stdout[:2000])
check(f"the optimiser opens n* = {n_star} sites, within one", abs(len(opened) - n_star) <= 1,
      f"opened {len(opened)}")
check("the open and left-out sites are all the candidates",
      sorted(opened + answer["chosen"]["sites_left_out"]) == [f"S{i + 1:02d}" for i in range(N)])
check("the --set list leaves out the others",
      sorted(answer["chosen"]["sets"]) == sorted(
          f"sites[{int(s[1:]) - 1}].left_out=true" for s in answer["chosen"]["sites_left_out"]))
chosen_row = [v for v in answer["validation"] if v["evaluation"] == answer["chosen"]["evaluation"]]
check("the answer was validated on fresh replications and met the bound there",
      len(chosen_row) == 1 and chosen_row[0]["feasible"] and
      chosen_row[0]["constraints"]["p:target_met_by_plan>=0.9"][0] >= 0.9)
plan_row = answer["validation"][0]
check("the plan as written is validated first", plan_row["plan_as_written"])
low, high = chosen_row[0]["difference"][1], chosen_row[0]["difference"][2]
check("its cost difference against the plan is exact (fees only): (n - N) F",
      chosen_row[0]["difference"][0] == (len(opened) - N) * F and low == high)

# The chosen scenario file: loads, and leaves out the sites the answer leaves out.
chosen_file = out + ".chosen.toml"
check("the chosen scenario is written beside --out", os.path.exists(chosen_file))
r2 = run("run", chosen_file, "--reps", "2000", "--seed", "9", "--json")
check("the chosen scenario runs", r2.returncode == 0, r2.stderr)
if r2.returncode == 0:
    summary = json.loads(r2.stdout)
    text = json.dumps(summary)
    cost = F * len(opened)
    check("the chosen scenario opens exactly the chosen sites (its cost)",
          f"{cost}" in text or f"{float(cost)}" in text)

# The file: every evaluation, the validation, the chosen point.
with h5py.File(out, "r") as h:
    g = h["optimise"]
    ev = g["evaluations"][()]
    check("/optimise/evaluations holds every evaluation", len(ev) == answer["evaluations"])
    check("evaluation 0 is the plan as written", g["decisions"][0] in (b"", ""))
    so = g["sites_open"][()]
    check("/optimise/sites_open: evaluations x candidates", so.shape == (len(ev), N))
    check("the plan as written opens every site", so[0].sum() == N)
    ch = int(g.attrs["chosen_evaluation"])
    check("the chosen evaluation's sites are the answer's", so[ch].sum() == len(opened))
    check("its cost in sample is n F", ev["objective"][ch] == F * len(opened))
    cv = g["constraint_values"][()]
    check("constraint values are probabilities", ((cv >= 0) & (cv <= 1)).all())
    # Over the evaluations, P(target by plan) in sample follows the closed form P_n.
    err = [abs(cv[i][0] - P[int(so[i].sum())]) for i in range(len(ev))]
    check("every evaluation's P(target by plan) is P_n within 4 standard errors",
          all(e < 4 * math.sqrt(0.25 / 400) for e in err), f"worst {max(err):.3f}")
    check("/optimise names its objective", g.attrs["objective"] in ("mean:cost_total",
                                                                   b"mean:cost_total"))
    check("/policies holds the plan and the chosen decision",
          sorted(h["policies"].keys()) == ["as_written", "chosen"])
    val = g["validation"][()]
    check("one chosen row in /optimise/validation", int(val["chosen"].sum()) == 1)

# Bit-identical at any thread count (the search's path and every value).
r1 = run("optimise", scenario, *common, "--json", "--threads", "1")
r3 = run("optimise", scenario, *common, "--json", "--threads", "2")
j1, j3 = json.loads(r1.stdout), json.loads(r3.stdout)
for j in (j1, j3, answer):
    j.pop("search_seconds")
check("the same answer at 1 and 2 threads", j1 == j3 == answer)

# --- Ctrl-C keeps what was evaluated, --resume carries on to the same answer ----------------
slow = ["--minimise", "mean:cost_total", "--subject-to", "p:target_met_by_plan>=0.9",
        "--reps", "4000", "--seed", "3"]
whole = run("optimise", scenario, *slow, "--json")
resumed_out = os.path.join(work, "resumed.h5")
journal = resumed_out + ".optimise-journal"
p = subprocess.Popen([trialtwin, "optimise", scenario, *slow, "--json", "--out", resumed_out],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
deadline = time.time() + 120
while time.time() < deadline and p.poll() is None:
    if os.path.exists(journal) and sum(1 for _ in open(journal)) >= 6:
        break
    time.sleep(0.05)
p.send_signal(signal.SIGINT)
_, err = p.communicate(timeout=120)
check("Ctrl-C ends the search with 130", p.returncode == 130, f"{p.returncode} {err}")
check("and says how to carry on", "--resume" in err, err)
check("the journal keeps the evaluations", os.path.exists(journal))
check("nothing half-written at --out", not os.path.exists(resumed_out))
kept = sum(1 for _ in open(journal)) - 1 if os.path.exists(journal) else 0
r = run("optimise", scenario, *slow, "--out", resumed_out, "--resume")
check("--resume carries on", r.returncode == 0, r.stderr)
check("--resume takes the kept evaluations", f"{kept} taken from the interrupted run" in r.stdout,
      r.stdout)
check("the journal is gone once the file is written", not os.path.exists(journal))
rj = run("optimise", scenario, *slow, "--json", "--out", os.path.join(work, "again.h5"))
jw, jr = json.loads(whole.stdout), json.loads(rj.stdout)
jw.pop("search_seconds"), jr.pop("search_seconds")
with h5py.File(resumed_out, "r") as h1, h5py.File(os.path.join(work, "again.h5"), "r") as h2:
    same = all(numpy.array_equal(h1["optimise"][k][()], h2["optimise"][k][()])
               for k in ("evaluations", "constraint_values", "sites_open", "validation"))
check("the resumed search stores what an uninterrupted one does", same)
check("and answers the same", jw == jr)
r = run("optimise", scenario, *slow, "--resume")
check("--resume without --out is refused", r.returncode == 2 and "--out" in r.stderr, r.stderr)

# --- a continuous and an integer key --------------------------------------------------------
# demo: the cheapest site_max_kits (an integer) keeping stock-outs rare; backup trigger as a
# continuous key with the adaptive policy off changes nothing, so any value is as good.
r = run("optimise", demo, "--vary", "supply.site_max_kits=4:20", "--minimise", "mean:cost_total",
        "--subject-to", "p90:stock_outs<=1", "--reps", "60", "--json", "--budget", "40")
check("optimise over an integer key runs", r.returncode == 0, r.stderr)
if r.returncode == 0:
    j = json.loads(r.stdout)
    v = j["chosen"]["values"]["supply.site_max_kits"]
    check("an integer key is chosen as a whole number in its range",
          v == int(v) and 4 <= v <= 20, str(v))
    check("the --set list names it", any(s.startswith("supply.site_max_kits=")
                                         for s in j["chosen"]["sets"]) or not j["chosen"]["found"])

# --- sensitivity: a key that cannot matter explains nothing ----------------------------------
# The kit cost changes what kits cost, never when a patient is randomised: on the same
# replications, the enrollment duration is identical at every kit cost, so its effect and both
# Sobol indices are exactly 0; the recruitment rate's shape drives it instead.
sens = os.path.join(work, "sensitivity.h5")
r = run("sensitivity", demo, "--vary", "supply.kit_cost=100:2000", "--vary",
        "recruitment.rate_shape=1:4", "--metric", "median:enrollment_duration_days", "--metric",
        "mean:cost_total", "--reps", "40", "--points", "16", "--bootstrap", "200", "--json",
        "--out", sens)
check("sensitivity runs", r.returncode == 0, r.stderr)
s = json.loads(r.stdout)
rows = {x["input"]: x for x in s["by_output"]["median:enrollment_duration_days"]["inputs"]}
kit, shape = rows["supply.kit_cost"], rows["recruitment.rate_shape"]
check("kit cost: no effect on the enrollment duration", kit["effect"] == [0, 0, 0], str(kit))
check("kit cost: first-order index 0, its interval holding 0",
      kit["first_order"][0] == 0 and kit["first_order"][1] <= 0 <= kit["first_order"][2])
check("kit cost: total index 0", kit["total"][0] == 0 and kit["total"][1] <= 0 <= kit["total"][2])
check("the rate's shape drives the enrollment duration", shape["total"][1] > 0.5, str(shape))
check("a higher shape (faster sites) shortens it", shape["effect"][2] < 0)
cost_rows = {x["input"]: x for x in s["by_output"]["mean:cost_total"]["inputs"]}
check("kit cost does move the cost", cost_rows["supply.kit_cost"]["total"][1] > 0.01)
with h5py.File(sens, "r") as h:
    g = h["sensitivity"]
    check("/sensitivity/design: N (k + 2) points x k", g["design"].shape == (16 * 4, 2))
    check("/sensitivity/total agrees with --json",
          g["total"][0][0] == kit["total"][0] and g["total"][1][0] == shape["total"][0])
    d = g["design"][()]
    check("design values lie in their ranges", (d[:, 0] >= 100).all() and (d[:, 0] <= 2000).all()
          and (d[:, 1] >= 1).all() and (d[:, 1] <= 4).all())

# --- bad input: a clear message and exit 2, before anything runs -----------------------------
def refused(what, args, says):
    target = os.path.join(work, "never.h5")
    r = run(*args, "--out", target)
    check(f"{what}: exit 2", r.returncode == 2, f"{r.returncode} {r.stderr}")
    check(f"{what}: says {says!r}", says in r.stderr, r.stderr)
    check(f"{what}: writes nothing", not os.path.exists(target))


base = ["optimise", scenario, "--reps", "10"]
refused("unknown metric", base + ["--minimise", "mean:costs"], "no metric costs")
refused("unknown statistic", base + ["--minimise", "avg:cost_total"], "unknown statistic")
refused("p: of a number", base + ["--minimise", "p:cost_total"], "yes/no")
refused("malformed constraint", base + ["--minimise", "mean:cost_total", "--subject-to",
                                        "p:target_met_by_plan>0.9"], "expected STATISTIC:METRIC>=")
refused("a probability above 1", base + ["--minimise", "mean:cost_total", "--subject-to",
                                         "p:target_met_by_plan>=1.2"], "[0, 1]")
refused("no objective", base + ["--subject-to", "p:target_met_by_plan>=0.9"], "one objective")
refused("two objectives", base + ["--minimise", "mean:cost_total", "--maximise",
                                  "p:target_met_by_plan"], "one objective")
refused("a --vary path that does not exist", ["optimise", demo, "--minimise", "mean:cost_total",
                                               "--vary", "supply.no_such_key=1:3"],
        "supply.no_such_key")
refused("a --vary range the key refuses", ["optimise", demo, "--minimise", "mean:cost_total",
                                            "--vary", "sites[0].screen_failure_probability=0.2:1.5"],
        "refuses")
refused("a --vary range backwards", ["optimise", demo, "--minimise", "mean:cost_total", "--vary",
                                     "supply.site_max_kits=9:3"], "LO < HI")
refused("a --vary range of text", ["optimise", demo, "--minimise", "mean:cost_total", "--vary",
                                   "supply.site_max_kits=a:b"], "two numbers")
refused("a fraction for an integer key", ["optimise", demo, "--minimise", "mean:cost_total",
                                          "--vary", "supply.site_max_kits=3.5:9"], "whole number")
refused("an unknown site", base + ["--minimise", "mean:cost_total", "--choose-sites", "S01,ZZ"],
        'no site "ZZ"')
refused("nothing to decide", ["optimise", demo, "--minimise", "mean:cost_total"],
        "nothing to decide")
refused("sensitivity: unknown metric", ["sensitivity", demo, "--vary", "supply.kit_cost=1:9",
                                        "--metric", "median:nothing"], "no metric nothing")
refused("sensitivity: bad range", ["sensitivity", demo, "--vary", "supply.kit_cost=-5:9"],
        "refuses")
r = run("sensitivity", demo, "--metric", "mean:cost_total")
check("sensitivity needs --vary", r.returncode == 2 and "--vary" in r.stderr, r.stderr)

finish()
