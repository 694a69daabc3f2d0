#!/usr/bin/env python3
"""Damaged and hostile results files through every reader: `trialtwin inspect`, the
visualizer's `render` (every view reads the whole file), and the sweep's resume check. Each case
must end with a clear message naming the file (exit 1 or 2) — never a signal, never a hang —
under a 4 GiB address-space limit (issue 24).

    damaged_results_test.py TRIALTWIN TRIALTWIN_VIZ SOURCE_DIR
"""
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

trialtwin, viz, source = sys.argv[1], sys.argv[2], sys.argv[3]


def limited():
    if os.environ.get("TRIALTWIN_SANITIZED"):
        return  # AddressSanitizer reserves terabytes of address space up front
    four_gib = 4 << 30
    resource.setrlimit(resource.RLIMIT_AS, (four_gib, four_gib))


def run(*args, timeout=60):
    try:
        return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout,
                              preexec_fn=limited)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(args, -999, "", "timed out")


def refused_cleanly(name, path, must_name=None, inspect_reads_it=False):
    """render refuses `path` with a message naming the file (and `must_name`), exit 1/2, no PNG.
    inspect, which reads only the root's and the metrics' attributes and the datasets' shapes,
    refuses it too when it reads the damaged part, and otherwise describes it (exit 0)."""
    r = run(trialtwin, "inspect", path)
    if inspect_reads_it:
        ok = r.returncode in (1, 2) and os.path.basename(path) in r.stderr
        ok = ok and (must_name is None or must_name in r.stderr)
    else:
        ok = r.returncode == 0
    check(f"inspect {name}: exit {r.returncode}" + (", message" if inspect_reads_it else ""), ok,
          r.stderr)
    png = path + ".png"
    r = run(viz, "render", path, "--view", "overview", "--out", png)
    ok = r.returncode in (1, 2) and os.path.basename(path) in r.stderr and not os.path.exists(png)
    if must_name:
        ok = ok and must_name in r.stderr
    check(f"render {name}: exit {r.returncode}, message, no PNG", ok, r.stderr)


def never_crashes(name, path):
    """Damage that may leave a readable file: whatever happens, no signal and no hang."""
    for args in ([trialtwin, "inspect", path],
                 [viz, "render", path, "--view", "fan", "--out", path + ".png"]):
        r = run(*args)
        check(f"{name}: {os.path.basename(args[0])} {args[1]} exit {r.returncode} (no crash)",
              r.returncode in (0, 1, 2), r.stderr)


def flipped(base, rng, path):
    """A copy of `base` at `path` with 1, 4 or 16 random bits flipped (rng: a seeded Random)."""
    damaged = bytearray(open(base, "rb").read())
    for _ in range(rng.choice([1, 4, 16])):
        at = rng.randrange(len(damaged))
        damaged[at] ^= 1 << rng.randrange(8)
    open(path, "wb").write(damaged)
    return path


with tempfile.TemporaryDirectory() as tmp:
    good = os.path.join(tmp, "good.h5")
    sweep = os.path.join(tmp, "sweep.h5")
    r = subprocess.run([trialtwin, "run", os.path.join(source, "scenarios/demo_small.toml"),
                        "--reps", "20", "--seed", "3", "--trace", "1", "--out", good],
                       capture_output=True, text=True)
    check("a good results file written", r.returncode == 0, r.stderr)
    r = subprocess.run([trialtwin, "sweep", os.path.join(source, "scenarios/demo_small.toml"),
                        "--set", "recruitment.rate_shape=1:4", "--design", "grid", "--points", "2",
                        "--reps", "10", "--seed", "3", "--out", sweep],
                       capture_output=True, text=True)
    check("a good sweep file written", r.returncode == 0, r.stderr)
    policy = "policies/as_written"

    def variant(name, damage, base=good):
        path = os.path.join(tmp, name + ".h5")
        shutil.copy(base, path)
        with h5py.File(path, "r+") as f:
            damage(f)
        return path

    def array_attribute(obj_path, attr, values):
        def damage(f):
            obj = f[obj_path]
            del obj.attrs[attr]
            obj.attrs[attr] = values
        return damage

    # An array where one value is expected: overwrote the stack before.
    for name, obj, attr in [("replications", "/", "replications"), ("seed", "/", "seed"),
                            ("p_target_met_by_plan", policy, "p_target_met_by_plan"),
                            ("metric median", policy + "/metrics/target_met_day", "median"),
                            ("plan_target_met_day", "/", "plan_target_met_day")]:
        values = np.arange(4096, dtype=np.uint64 if attr == "seed" else np.float64)
        if attr == "replications":
            values = np.arange(4096, dtype=np.int32)
        path = variant("array_" + attr, array_attribute(obj, attr, values))
        refused_cleanly(f"{name} attribute holding 4096 values", path, f"'{attr}'",
                        inspect_reads_it=attr != "plan_target_met_day")
    path = variant("quantiles", array_attribute(policy + "/weekly/randomised_bands", "quantiles",
                                                np.arange(4096, dtype=np.float64)))
    r = run(viz, "render", path, "--view", "fan", "--out", path + ".png")
    check("render quantiles attribute of 4096 values: refused, named",
          r.returncode in (1, 2) and "quantiles" in r.stderr, r.stderr)
    path = variant("text_seed", array_attribute("/", "seed", "not a number"))
    refused_cleanly("seed stored as text", path, "'seed'", inspect_reads_it=True)

    # Tables of the wrong rank.
    def reshape(name, dims, dtype=np.float64):
        def damage(f):
            del f[name]
            f.create_dataset(name, data=np.zeros(dims, dtype=dtype))
        return damage

    def reshape_table(name, dims):
        def damage(f):
            old = f[name][...]
            del f[name]
            f.create_dataset(name, data=np.resize(old, dims))
        return damage

    refused_cleanly("replications table of rank 2",
                    variant("rep_rank2", reshape_table(policy + "/replications", (2, 10))),
                    "replications")
    path = variant("sites_rank12", reshape_table(policy + "/sites", (1,) * 12))
    r = run(viz, "render", path, "--view", "timeline", "--out", path + ".png")
    check("render sites table of rank 12: refused, named",
          r.returncode in (1, 2) and "sites" in r.stderr, r.stderr)
    never_crashes("sites table of rank 12", path)
    refused_cleanly("replications not a table",
                    variant("rep_numbers", reshape(policy + "/replications", (20,))), "replications")
    refused_cleanly("bands of rank 3",
                    variant("bands_rank3", reshape(policy + "/weekly/randomised_bands", (2, 5, 2))),
                    "randomised_bands")
    refused_cleanly("bands as text",
                    variant("bands_text", reshape(policy + "/weekly/randomised_bands", (3, 5), "S4")),
                    "randomised_bands")

    # The sweep's parts.
    def sweep_values(data):
        def damage(f):
            del f["sweep/values"]
            f.create_dataset("sweep/values", data=data)
        return damage
    refused_cleanly("sweep values of rank 3",
                    variant("values_rank3", sweep_values(np.array([[["a"]]], dtype=object).astype("S")),
                            sweep), "values")
    refused_cleanly("sweep values of rank 1",
                    variant("values_rank1", sweep_values(np.array([b"1", b"2"], dtype=object)), sweep),
                    "values")

    def empty_keys(f):
        del f["sweep"].attrs["keys"]
        f["sweep"].attrs.create("keys", h5py.Empty("S10"))
    path = variant("empty_keys", empty_keys, sweep)
    refused_cleanly("an empty 'keys' attribute", path, "keys")

    # The decision search's and the sensitivity analysis's parts (issue 28).
    optimised = os.path.join(tmp, "optimise.h5")
    sensitive = os.path.join(tmp, "sensitivity.h5")
    demo = os.path.join(source, "scenarios/demo_small.toml")
    r = subprocess.run([trialtwin, "optimise", demo, "--choose-sites", "DE-01,DE-02,PL-01",
                        "--minimise", "mean:cost_total", "--subject-to",
                        "median:enrollment_duration_days<=700", "--reps", "10", "--out", optimised],
                       capture_output=True, text=True)
    check("a good optimise file written", r.returncode == 0, r.stderr)
    r = subprocess.run([trialtwin, "sensitivity", demo, "--vary", "recruitment.rate_shape=1:4",
                        "--reps", "5", "--points", "4", "--bootstrap", "10", "--out", sensitive],
                       capture_output=True, text=True)
    check("a good sensitivity file written", r.returncode == 0, r.stderr)
    refused_cleanly("optimise constraint values of the wrong shape",
                    variant("opt_cv", reshape("optimise/constraint_values", (2, 5)), optimised),
                    "constraint_values")
    refused_cleanly("optimise evaluations not a table",
                    variant("opt_ev", reshape("optimise/evaluations", (7,)), optimised),
                    "evaluations")
    refused_cleanly("optimise validation bounds of the wrong shape",
                    variant("opt_vc", reshape("optimise/validation_constraints", (1, 1)), optimised),
                    "validation_constraints")
    refused_cleanly("optimise chosen evaluation out of range",
                    variant("opt_chosen", array_attribute("optimise", "chosen_evaluation",
                                                          np.int32(99999)), optimised),
                    "chosen_evaluation")
    refused_cleanly("sensitivity indices of the wrong shape",
                    variant("sen_total", reshape("sensitivity/total", (3, 9)), sensitive), "total")
    refused_cleanly("sensitivity ranges of the wrong length",
                    variant("sen_low", reshape("sensitivity/low", (5,)), sensitive), "sensitivity")
    refused_cleanly("sensitivity ranges of rank 2",
                    variant("sen_low2", reshape("sensitivity/low", (2, 2)), sensitive), "low")
    for view, base in (("optimise", optimised), ("sensitivity", sensitive)):
        rng = random.Random(28)
        for i in range(6):
            path = flipped(base, rng, os.path.join(tmp, f"{view}_flip{i}.h5"))
            r = run(viz, "render", path, "--view", view, "--out", path + ".png")
            check(f"{view} bit flips {i}: render exit {r.returncode} (no crash)",
                  r.returncode in (0, 1, 2), r.stderr)

    def null_string(f):
        del f.attrs["trial_name"]
        f.attrs.create("trial_name", h5py.Empty(h5py.string_dtype()))
    refused_cleanly("a null trial_name", variant("null_name", null_string), "trial_name",
                    inspect_reads_it=True)

    # A huge claimed size: refused, not allocated.
    def huge(f):
        del f[policy + "/weekly/randomised_bands"]
        f.create_dataset(policy + "/weekly/randomised_bands", shape=(1 << 40, 5), dtype="f8",
                         chunks=(1024, 5))
    refused_cleanly("bands claiming 2^40 rows", variant("huge", huge), "randomised_bands")

    # Random bit flips (fixed seed): whatever they break, nothing crashes.
    rng = random.Random(24)
    for i in range(24):
        path = flipped(good, rng, os.path.join(tmp, f"flip{i:02d}.h5"))
        never_crashes(f"bit flips {i:02d}", path)

    # A file on which the HDF5 library itself loops for ever (found by the fuzzer, scripts/fuzz.sh):
    # read first in a child process, refused when it does not finish in time.
    loop = os.path.join(source, "tests/hostile/hdf5_global_heap_loop.h5")
    os.environ["TRIALTWIN_READ_SECONDS"] = "3"
    refused_cleanly("a file on which HDF5 loops", loop, "did not finish in 3 s",
                    inspect_reads_it=True)
    del os.environ["TRIALTWIN_READ_SECONDS"]
    # ... and one on which it overruns a buffer and crashes (also the fuzzer's).
    crash = os.path.join(source, "tests/hostile/hdf5_global_heap_crash.h5")
    r = run(viz, "render", crash, "--view", "overview", "--out", crash_png := os.path.join(tmp, "c.png"))
    check("render a file on which HDF5 crashes: refused, named",
          r.returncode == 2 and "the HDF5 library crashed reading it" in r.stderr
          and not os.path.exists(crash_png), r.stderr)
    never_crashes("a file on which HDF5 crashes", crash)

    # Truncated files.
    data = open(good, "rb").read()
    for keep in (0.1, 0.5, 0.9):
        path = os.path.join(tmp, f"cut{int(keep * 100)}.h5")
        open(path, "wb").write(data[: int(len(data) * keep)])
        never_crashes(f"cut to {int(keep * 100)} %", path)

finish()
