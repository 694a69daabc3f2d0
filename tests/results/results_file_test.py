#!/usr/bin/python3
"""Reads trialtwin results files with h5py (Debian's python3-h5py), as other tools would:
the datasets do not depend on the thread count, and they agree with the CLI's --json summary.
Usage: results_file_test.py TRIALTWIN SOURCE_DIR"""
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
reference = os.path.join(source, "scenarios", "oncology_ph3_50sites.toml")


def run(*args):
    return subprocess.run([trialtwin, *args], capture_output=True, text=True)


def walk(group, prefix=""):
    """name -> object for every dataset and group below `group`."""
    out = {}
    for name, obj in group.items():
        out[prefix + name] = obj
        if isinstance(obj, h5py.Group):
            out.update(walk(obj, prefix + name + "/"))
    return out


def same_attribute(a, b):
    a, b = numpy.asarray(a), numpy.asarray(b)
    if a.dtype.kind == "f":
        return numpy.array_equal(a, b, equal_nan=True)
    return numpy.array_equal(a, b)


def same(a, b):
    if not isinstance(a, numpy.ndarray):  # scalar strings
        return a == b
    if a.dtype.names:  # compound: field by field
        return all(same(a[f], b[f]) for f in a.dtype.names)
    if a.dtype.kind == "f":
        return numpy.array_equal(a, b, equal_nan=True)
    return numpy.array_equal(a, b)


def same_datasets(a, b, what, attributes=True):
    """Every object of file a is in b with identical data (and attributes)."""
    objects_a, objects_b = walk(a), walk(b)
    check(f"same objects {what}", objects_a.keys() == objects_b.keys())
    for name, obj in objects_a.items():
        if isinstance(obj, h5py.Dataset):
            check(f"dataset {name} identical {what}", same(obj[()], objects_b[name][()]))
        if attributes:
            for key, value in obj.attrs.items():
                check(f"attribute {name}@{key} identical {what}", same_attribute(value, objects_b[name].attrs[key]))


with tempfile.TemporaryDirectory() as tmp:
    one, two = os.path.join(tmp, "one.h5"), os.path.join(tmp, "two.h5")
    r1 = run("run", demo, "--reps", "60", "--seed", "11", "--threads", "1", "--out", one, "--json", "--trace", "3")
    r2 = run("run", demo, "--reps", "60", "--seed", "11", "--threads", "2", "--out", two, "--trace", "3")
    check("runs succeed", r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr)
    summary = json.loads(r1.stdout)

    with h5py.File(one, "r") as a, h5py.File(two, "r") as b:
        same_datasets(a, b, "for 1 and 2 threads")
        for key in a.attrs:
            if key not in ("created_utc", "command_line"):
                check(f"root attribute {key} identical", a.attrs[key] == b.attrs[key])

        check("format", a.attrs["format"] == "trialtwin-results" and a.attrs["format_version"] == 2)
        check("seed and replications recorded", a.attrs["seed"] == 11 and a.attrs["replications"] == 60)
        with open(demo, encoding="utf-8") as f:
            text = a["scenario"][()]
            check("scenario kept verbatim", (text.decode() if isinstance(text, bytes) else text) == f.read())

        policy = a["policies/as_written"]
        table = policy["replications"][()]
        check("one row per replication, in order", list(table["replication"]) == list(range(60)))
        for key in ("target_met_day", "enrollment_duration_days", "last_patient_last_visit_day",
                    "randomised", "dropped_out", "stock_outs", "kits_wasted", "cost_total",
                    "cost_site_staff", "staff_utilisation"):
            values = table[key].astype(float)
            values = values[~numpy.isnan(values)]
            stats = summary["metrics"][key]
            for q, name in ((50, "median"), (10, "p10"), (90, "p90")):
                expected = float(numpy.percentile(values, q)) if len(values) else None
                got = stats[name]
                check(f"{key} {name} matches --json",
                      (got is None and expected is None) or math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9),
                      f"json {got} vs file {expected}")
            check(f"{key} stored metric matches --json",
                  math.isclose(policy[f"metrics/{key}"].attrs["median"], stats["median"], rel_tol=1e-12))
        deviations = sum(table[f"deviations_{k}_{c}"] for k in ("early", "late", "missed")
                         for c in ("staff", "equipment", "kit", "calendar", "previous_visit_late"))
        check("deviation columns add up to the --json total",
              math.isclose(float(numpy.percentile(deviations, 50)), summary["metrics"]["deviations"]["median"]))
        weekly = policy["weekly/randomised"][()]
        check("weekly cumulative randomised ends at each replication's total",
              numpy.array_equal(weekly[:, -1], table["randomised"]))
        bands = policy["weekly/randomised_bands"][()]
        check("quantile bands are ordered", bool(numpy.all(numpy.diff(bands, axis=1) >= 0)))
        check("median band is the median", numpy.allclose(bands[:, 2], numpy.median(weekly, axis=0)))
        traces = policy["traces"]
        kinds = traces.attrs["kinds"].split("\n")
        check("three traced replications", sorted(traces.keys()) == [f"replication_000{i}" for i in range(3)])
        for r in range(3):
            events = traces[f"replication_000{r}"][()]
            count = lambda name: int(numpy.sum(events["kind"] == kinds.index(name)))
            check(f"trace {r} is in time order", bool(numpy.all(numpy.diff(events["day"]) >= 0)))
            check(f"trace {r} randomisations match the table", count("randomised") == table["randomised"][r])
            check(f"trace {r} visits match the table",
                  count("visit_done") == table["screened"][r] + table["visits_done"][r])
            check(f"trace {r} stock-outs match the table", count("stock_out") == table["stock_outs"][r])
            costs = events[events["kind"] == kinds.index("cost")]["value"].sum()
            check(f"trace {r} costs add up to the table's total",
                  math.isclose(costs, table["cost_total"][r], rel_tol=1e-9))
        sites = policy["sites"][()]
        check("site table names the sites", [s.decode() for s in sites["id"]] == ["DE-01", "DE-02", "PL-01", "PL-02"])
        check("site means add up to the trial mean",
              math.isclose(sites["randomised_mean"].sum(), table["randomised"].mean(), rel_tol=1e-9))
        weekly_randomised = policy["site_weekly/randomised_mean"][()]
        check("weekly site counts end at the trial mean (ended replications carried to the end)",
              math.isclose(weekly_randomised[:, -1].sum(), table["randomised"].mean(), rel_tol=1e-5),
              f"{weekly_randomised[:, -1].sum()} vs {table['randomised'].mean()}")
        utilisation = policy["site_weekly/staff_utilisation_mean"][()]
        finite = utilisation[~numpy.isnan(utilisation)]
        check("site utilisation is a share", finite.size > 0 and finite.min() >= 0 and finite.max() <= 1)
        stock = policy["site_weekly/kits_on_hand_mean"][()]
        check("site stock lies between 0 and the site maximum (8 kits)",
              stock.min() >= 0 and stock.max() <= 8 and stock.max() > 0, f"{stock.min()}..{stock.max()}")
        weekly_stock_outs = policy["site_weekly/stock_outs_mean"][()]
        check("weekly site stock-outs add up to the site table",
              numpy.allclose(weekly_stock_outs.sum(axis=1), sites["stock_outs_mean"], rtol=1e-5, atol=1e-5))
        check("site stock-outs add up to the trial mean",
              math.isclose(sites["stock_outs_mean"].sum(), table["stock_outs"].mean(), rel_tol=1e-9))
        weekly_deviations = policy["site_weekly/deviations_mean"][()]
        check("weekly site deviations add up to the site table",
              numpy.allclose(weekly_deviations.sum(axis=1), sites["deviations_mean"], rtol=1e-5, atol=1e-5))
        check("site deviations add up to the trial mean",
              math.isclose(sites["deviations_mean"].sum(), deviations.mean(), rel_tol=1e-9))
        conflicts = policy["site_weekly/equipment_conflicts_mean"][()]
        equipment_deviations = sum(table[f"deviations_{k}_equipment"] for k in ("early", "late", "missed"))
        check("weekly equipment conflicts add up to the equipment-caused deviations",
              math.isclose(float(conflicts.sum()), float(equipment_deviations.mean()), rel_tol=1e-4, abs_tol=1e-4),
              f"{conflicts.sum()} vs {equipment_deviations.mean()}")
        down = policy["site_weekly/equipment_down_mean"][()]
        finite = down[~numpy.isnan(down)]
        check("equipment downtime is a share", finite.size > 0 and finite.min() >= 0 and finite.max() <= 1)
        check("site phases are in order (activation <= recruitment end <= last activity)",
              bool(numpy.all(sites["activation_day_median"] <= sites["recruitment_end_day_median"])) and
              bool(numpy.all(sites["recruitment_end_day_median"] <= sites["last_activity_day_median"])))
        check("approval precedes activation",
              bool(numpy.all(sites["approval_day_median"] <= sites["activation_day_median"])))

    check("inspect reads it", run("inspect", one).returncode == 0)

    # The SimGrid kernel writes the same file, traces included; only the engine attribute
    # (and the command line, the time) differ.
    sg = os.path.join(tmp, "simgrid.h5")
    r3 = run("run", demo, "--reps", "60", "--seed", "11", "--engine", "simgrid", "--out", sg, "--trace", "3")
    check("SimGrid run succeeds", r3.returncode == 0, r3.stderr)
    if r3.returncode == 0:
        with h5py.File(one, "r") as a, h5py.File(sg, "r") as b:
            same_datasets(a, b, "on both kernels")
            check("native file says native", a.attrs["engine"] == "native")
            check("SimGrid file names SimGrid and its version", b.attrs["engine"].startswith("simgrid 3."),
                  b.attrs["engine"])

    # The reference trial (12 countries, 50 sites) on 1 and 2 threads: identical tables.
    ref1, ref2 = os.path.join(tmp, "ref1.h5"), os.path.join(tmp, "ref2.h5")
    ok = (run("run", reference, "--reps", "24", "--threads", "1", "--out", ref1).returncode == 0 and
          run("run", reference, "--reps", "24", "--threads", "2", "--out", ref2).returncode == 0)
    check("reference runs succeed", ok)
    if ok:
        with h5py.File(ref1, "r") as a, h5py.File(ref2, "r") as b:
            for name in ("policies/as_written/replications", "policies/as_written/weekly/randomised",
                         "policies/as_written/sites", "policies/as_written/site_weekly/staff_utilisation_mean"):
                check(f"reference {name} identical for 1 and 2 threads", same(a[name][()], b[name][()]))

    # compare: variants on the same replications (common random numbers).
    cmp_file = os.path.join(tmp, "cmp.h5")
    c = run("compare", demo, "--reps", "40", "--threads", "2", "--json", "--out", cmp_file,
            "--variant", "same: trial.late_tolerance_days=7",
            "--variant", "stock: supply.site_min_kits=5; supply.site_max_kits=12")
    check("compare succeeds", c.returncode == 0, c.stderr)
    if c.returncode == 0:
        comparison = json.loads(c.stdout)
        same_variant, stock = comparison["variants"]
        zero = all(d["mean_difference"] in (0, None) and d["ci_low"] in (0, None) and d["ci_high"] in (0, None)
                   for d in same_variant["differences"].values())
        check("a variant equal to the baseline differs by exactly 0 on every metric", zero)
        for key in ("first_patient_in_day", "target_met_day", "randomised", "screen_failed", "cost_patient_fees"):
            d = stock["differences"][key]
            check(f"a supply-only variant sees the same patients: {key}", d["mean_difference"] == 0, str(d))
        check("the supply variant changes supply", stock["differences"]["cost_shipments"]["mean_difference"] != 0)
        with h5py.File(cmp_file, "r") as f:
            check("every variant is stored", sorted(f["policies"].keys()) == ["as_written", "same", "stock"])
            text = f["policies/stock/scenario"][()]
            text = text.decode() if isinstance(text, bytes) else text
            check("a variant keeps its edited scenario", "--set supply.site_max_kits=12" in text and "site_max_kits = 12" in text)
            base = f["policies/as_written/replications"][()]
            variant = f["policies/stock/replications"][()]
            check("paired rows: same arrivals per replication", numpy.array_equal(base["arrived"], variant["arrived"]))

    # Policies: anomalies and policy columns, thread-independent, consistent with --json.
    pol1, pol2 = os.path.join(tmp, "pol1.h5"), os.path.join(tmp, "pol2.h5")
    p1 = run("compare", demo, "--policies", "static,adaptive+window_slack+predictive", "--reps", "40",
             "--seed", "3", "--threads", "1", "--out", pol1, "--json")
    p2 = run("compare", demo, "--policies", "static,adaptive+window_slack+predictive", "--reps", "40",
             "--seed", "3", "--threads", "2", "--out", pol2)
    check("policy comparisons succeed", p1.returncode == 0 and p2.returncode == 0, p1.stderr + p2.stderr)
    if p1.returncode == 0 and p2.returncode == 0:
        comparison = json.loads(p1.stdout)
        check("JSON baseline is the first policy", comparison["baseline"]["name"] == "static")
        with h5py.File(pol1, "r") as a, h5py.File(pol2, "r") as b:
            check("both policies stored", sorted(a["policies"].keys()) == ["adaptive+window_slack+predictive", "static"])
            for name in ("static", "adaptive+window_slack+predictive"):
                for ds in ("replications", "anomalies", "sites"):
                    check(f"{name}/{ds} identical for 1 and 2 threads",
                          same(a[f"policies/{name}/{ds}"][()], b[f"policies/{name}/{ds}"][()]))
            adaptive = a["policies/adaptive+window_slack+predictive"]
            check("policy parts recorded", adaptive.attrs["allocation"] == "adaptive"
                  and adaptive.attrs["booking"] == "window_slack" and adaptive.attrs["resupply"] == "predictive")
            check("the static group says static", a["policies/static"].attrs["allocation"] == "static")
            for name in ("static", "adaptive+window_slack+predictive"):
                group = a[f"policies/{name}"]
                flags = group["anomalies"][()]
                kinds = group["anomalies"].attrs["kinds"].split("\n")
                table = group["replications"][()]
                check(f"{name}: anomaly kinds named", kinds == ["lagging_site", "staff_overload",
                                                                 "equipment_conflict", "stock_out_risk", "slowdown"])
                for k, kind in enumerate(kinds):
                    per_rep = numpy.bincount(flags["replication"][flags["kind"] == k], minlength=40)
                    check(f"{name}: {kind} rows match the per-replication counts",
                          numpy.array_equal(per_rep, table[f"anomalies_{kind}"]))
                check(f"{name}: flags name real sites", bool(numpy.all((flags["site"] >= -1) & (flags["site"] < len(group["sites"])))))
                lag = flags[flags["kind"] == 0]["value"]
                check(f"{name}: lagging flags carry a probability >= 0.8", bool(numpy.all((lag >= 0.8) & (lag <= 1))))
            static = a["policies/static/replications"][()]
            check("static changes no staff and opens no backup",
                  int(static["staff_changes"].sum()) == 0 and int(static["backup_sites_opened"].sum()) == 0)
            adapted = adaptive["replications"][()]
            diff = comparison["variants"][0]["differences"]["cost_site_staff"]
            mean = float(numpy.mean(adapted["cost_site_staff"] - static["cost_site_staff"]))
            check("JSON paired staff-cost difference = the file's", math.isclose(diff["mean_difference"], mean, rel_tol=1e-9))

    # forecast: /observed, and the policies' series start from what was observed.
    fc = os.path.join(tmp, "forecast.h5")
    onc = os.path.join(source, "scenarios", "oncology_ph3_50sites.toml")
    obs = os.path.join(source, "scenarios", "observed", "oncology_week40.csv")
    pts = os.path.join(source, "scenarios", "observed", "oncology_week40_patients.csv")
    r = run("forecast", onc, "--observed", obs, "--patients", pts, "--as-of", "2027-10-11",
            "--reps", "20", "--out", fc, "--json")
    check("forecast succeeds", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        forecast = json.loads(r.stdout)["forecast"]
        check("JSON forecast has the fit", forecast["fitted"] and forecast["alpha_se"] > 0 and forecast["as_of_day"] == 280)
        with h5py.File(fc, "r") as f:
            o = f["observed"]
            check("as-of recorded", o.attrs["as_of_date"] == "2027-10-11" and o.attrs["as_of_day"] == 280)
            check("prior refitted, with standard errors", o.attrs["fitted"] == 1 and o.attrs["alpha_se"] > 0)
            with open(obs, encoding="utf-8") as csv_file:
                text = o["sites_csv"][()]
                check("observed data kept verbatim", (text.decode() if isinstance(text, bytes) else text) == csv_file.read())
            observed = o["randomised_by_week"][()]
            check("observed series ends at the randomised count", int(observed[-1]) == int(o.attrs["randomised"]) == 51)
            weekly = f["policies/as_written/weekly/randomised"][()]
            check("every forecast starts from the observed series",
                  bool(numpy.all(weekly[:, :len(observed) - 1] == observed[:-1])))
            table = f["policies/as_written/replications"][()]
            check("forecasts meet the target after the as-of day", bool(numpy.all(table["target_met_day"] > 280)))
            median = forecast["policies"]["as_written"]["target_met_day"]["median"]
            check("JSON forecast median = the file's", math.isclose(median, float(numpy.percentile(table["target_met_day"], 50))))
            check("JSON alpha = the file's", math.isclose(forecast["alpha"], o.attrs["alpha"]))

    # readout: the reference trial's analyses per replication, thread-independent, agreeing
    # with --json; weekly event bands per arm.
    ro1, ro2 = os.path.join(tmp, "readout1.h5"), os.path.join(tmp, "readout2.h5")
    r1 = run("run", reference, "--reps", "30", "--threads", "1", "--by", "2029-12-31", "--out", ro1, "--json")
    r2 = run("run", reference, "--reps", "30", "--threads", "2", "--by", "2029-12-31", "--out", ro2, "--json")
    check("readout runs succeed", r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr)
    if r1.returncode == 0 and r2.returncode == 0:
        summary = json.loads(r1.stdout)
        with h5py.File(ro1, "r") as f, h5py.File(ro2, "r") as g:
            same_datasets(f["policies/as_written/readout"], g["policies/as_written/readout"], "readout")
            ro = f["policies/as_written/readout"]
            check("analyses named", ro.attrs["analyses"] == "interim\nfinal\n" and ro.attrs["endpoints"] == "PFS\n")
            check("the --by day", ro.attrs["by_day"] == 1092.0 and summary["readout"]["by_day"] == 1092.0)
            rows = ro["analyses"][()]
            check("a row per replication and analysis", len(rows) == 60)
            reached = rows[rows["reached"] == 1]
            check("cut-off <= lock <= readout", bool(numpy.all(reached["cutoff_day"] <= reached["lock_day"]))
                  and bool(numpy.all(reached["lock_day"] <= reached["readout_day"])))
            events = ro["events_by_arm"][()]
            check("events by arm add up", bool(numpy.all(events.sum(axis=1) == rows["events"])))
            check("the interim at 234 events", bool(numpy.all(rows[rows["analysis"] == 0]["events"] == 234)))
            check("the final at 390 or more", bool(numpy.all(rows[rows["analysis"] == 1]["events"] >= 390)))
            final = rows[rows["analysis"] == 1]
            p_by = float(numpy.mean(final["readout_day"] <= 1092.0))
            check("P(final read out by --by) = the rows'", math.isclose(ro.attrs["p_readout_by"][1], p_by)
                  and math.isclose(summary["readout"]["analyses"][1]["p_readout_by"], p_by))
            median = summary["metrics"]["analysis_final_readout_day"]["median"]
            check("JSON final readout median = the rows'", math.isclose(median, float(numpy.percentile(final["readout_day"], 50))))
            bands = ro["events_bands"][()]
            check("bands: a series per arm and all arms, five quantiles", bands.shape[0] % 3 == 0 and bands.shape[1] == 5)
            bands = bands.reshape(3, bands.shape[0] // 3, 5)
            check("cumulative events never fall", bool(numpy.all(numpy.diff(bands[:, :, 2], axis=1) >= 0)))
            check("the final's events are in the bands", math.isclose(
                float(bands[2, -1, 2]), float(numpy.median(final["events"]))))
            check("arms add up (medians, roughly)", math.isclose(
                float(bands[0, -1, 2] + bands[1, -1, 2]), float(bands[2, -1, 2]), rel_tol=0.05))
        d = run("run", demo, "--reps", "5", "--out", os.path.join(tmp, "no_readout.h5"))
        with h5py.File(os.path.join(tmp, "no_readout.h5"), "r") as f:
            check("no readout group without [[analyses]]", "readout" not in f["policies/as_written"])

    # sweep: a 2 x 2 grid stored point by point, with its design.
    sweep_file = os.path.join(tmp, "sweep.h5")
    w = run("sweep", demo, "--set", "recruitment.rate_shape=1.5,3", "--set", "supply.site_max_kits=6:12",
            "--points", "2", "--reps", "20", "--out", sweep_file)
    check("sweep succeeds", w.returncode == 0, w.stderr)
    if w.returncode == 0:
        with h5py.File(sweep_file, "r") as f:
            check("one group per point", sorted(f["policies"].keys()) == [f"point_000{i}" for i in range(4)])
            values = [[v.decode() for v in row] for row in f["sweep/values"][()]]
            check("the design's values", values == [["1.5", "6"], ["1.5", "12"], ["3", "6"], ["3", "12"]], str(values))
            check("sweep keys recorded", f["sweep"].attrs["keys"] == "recruitment.rate_shape\nsupply.site_max_kits")
            medians = f["sweep/metric_medians"][()]
            keys = f["sweep/metric_medians"].attrs["metric_keys"].split("\n")
            col = keys.index("target_met_day")
            check("faster recruitment meets the target sooner", medians[2, col] < medians[0, col])
            check("same replications at every point: supply does not move recruitment",
                  medians[0, col] == medians[1, col])
            text = f["policies/point_0003/scenario"][()]
            text = text.decode() if isinstance(text, bytes) else text
            check("each point keeps its scenario", "rate_shape = 3" in text)

    # An interrupted sweep keeps its finished points; --resume gives the same file as an
    # uninterrupted sweep.
    sweep_args = ["sweep", demo, "--set", "supply.site_max_kits=6,9,12", "--reps", "5000", "--threads", "2"]
    whole, resumed = os.path.join(tmp, "whole.h5"), os.path.join(tmp, "resumed.h5")
    check("uninterrupted sweep", run(*sweep_args, "--out", whole).returncode == 0)
    process = subprocess.Popen([trialtwin, *sweep_args, "--out", resumed],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first_point = resumed + ".points/point_0000.h5"
    deadline = time.time() + 120
    while not os.path.exists(first_point) and process.poll() is None and time.time() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate()
    check("Ctrl-C stops the sweep with 130", process.returncode == 130, f"exit {process.returncode}")
    check("and says how to carry on", "--resume" in err, err)
    check("no results file under the final name yet", not os.path.exists(resumed))
    again = run(*sweep_args, "--out", resumed, "--resume")
    check("--resume finishes it", again.returncode == 0, again.stderr)
    check("--resume kept the finished point", "kept from the interrupted run" in again.stdout, again.stdout)
    check("the points folder is gone", not os.path.exists(resumed + ".points"))
    if again.returncode == 0:
        with h5py.File(whole, "r") as a, h5py.File(resumed, "r") as b:
            objects_a, objects_b = walk(a), walk(b)
            check("resumed sweep has the same objects", objects_a.keys() == objects_b.keys())
            for name, obj in objects_a.items():
                if isinstance(obj, h5py.Dataset) and name in objects_b:
                    check(f"resumed sweep: {name} identical", same(obj[()], objects_b[name][()]))

finish()
