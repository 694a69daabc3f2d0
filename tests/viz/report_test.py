#!/usr/bin/python3
"""The sponsor report end to end (issue 29, item 5): the 120-site planner scenario simulated
under two policies (baseline `static`, not the alphabetically first), `trialtwin report` to a
PDF, every page read back — its text with pdftotext and checked against the HDF5 file (h5py),
its pixels with pdftoppm (the charts drawn, in the policies' colours) — and bad input: a file
that is not results, a folder that does not exist, no display.

Usage (CTest runs it under xvfb-run): report_test.py TRIALTWIN SOURCE_DIR
"""
import datetime
import os
import re
import subprocess
import sys
import tempfile

import h5py
import numpy
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

trialtwin, source = sys.argv[1], sys.argv[2]
planner = os.path.join(source, "scenarios", "planner_120sites.toml")


def run(*args, env=None):
    return subprocess.run(list(args), capture_output=True, text=True, env=env)


def page_text(pdf, page):
    return run("pdftotext", "-layout", "-f", str(page), "-l", str(page), pdf, "-").stdout


def spoken(start, day):
    """The report's date: the start date plus the whole days, as '31 Jul 2029'."""
    d = start + datetime.timedelta(days=int(numpy.floor(day)))
    return f"{d.day} {d.strftime('%b')} {d.year}"


def find_page(pdf, pages, heading):
    for p in range(1, pages + 1):
        if page_text(pdf, p).lstrip().startswith(heading):
            return p
    return None


BLUE, VERMILLION = (0, 114, 178), (213, 94, 0)  # the first two policies' colours
ENROLLING = (44, 160, 90)

with tempfile.TemporaryDirectory() as tmp:
    path = lambda name: os.path.join(tmp, name)
    results, pdf = path("planner.h5"), path("report.pdf")
    r = run(trialtwin, "compare", planner, "--policies", "static,adaptive", "--reps", "30",
            "--seed", "4", "--out", results)
    check("the 120-site planner scenario simulated under static and adaptive", r.returncode == 0, r.stderr)
    r = run(trialtwin, "report", results, "--out", pdf)
    check("report: exit 0", r.returncode == 0, r.stderr)
    check("report: the PDF is there, no temporary file", os.path.exists(pdf) and not os.path.exists(pdf + ".partial"))
    info = run("pdfinfo", pdf).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    said = re.search(r"\((\d+) pages\)", r.stderr)
    check(f"report: {pages} pages, as it said", said is not None and int(said.group(1)) == pages, r.stderr)
    check("report: 16:9 pages of 960 x 540 pt", "960 x 540 pts" in info, info)

    with h5py.File(results, "r") as f:
        start = datetime.date.fromisoformat(f.attrs["start_date"].decode() if isinstance(f.attrs["start_date"], bytes) else f.attrs["start_date"])
        plan_day = float(f.attrs["plan_target_met_day"])
        metrics = {p: {k: dict(f[f"policies/{p}/metrics/{k}"].attrs) for k in f[f"policies/{p}/metrics"]}
                   for p in ("static", "adaptive")}
        metric = lambda policy, key: metrics[policy][key]
        p_plan = {p: float(f[f"policies/{p}"].attrs["p_target_met_by_plan"]) for p in ("static", "adaptive")}
        reps = {p: f[f"policies/{p}/replications"][()] for p in ("static", "adaptive")}
        target = int(f.attrs["randomisation_target"])

    # Title page: trial, plan, provenance.
    title = page_text(pdf, 1)
    check("title: the trial's name", "CV-303 Phase III, 120 sites (planner inputs)" in title, title[:300])
    check("title: the plan in a sponsor's words",
          f"Plan: 3,600 patients randomised by {spoken(start, plan_day)}" in title, title)
    check("title: the baseline named", "static (baseline)" in title, title)
    check("title: provenance (replications, seed, command)",
          "30 replications, seed 4" in title and "--policies static,adaptive" in title, title)

    # Headline: each milestone per policy as dates, P(by plan) for the target.
    headline = find_page(pdf, pages, "When the trial reaches its milestones")
    check("headline page present", headline is not None)
    text = page_text(pdf, headline) if headline else ""
    for policy in ("static", "adaptive"):
        m = metric(policy, "target_met_day")
        row = [l for l in text.splitlines() if l.strip().startswith(policy)]
        # The target-met row is the second of the policy's rows (first patient in, target, LPLV).
        expected = f"{spoken(start, m['median'])}"
        line = row[1] if len(row) > 1 else ""
        check(f"headline: {policy} meets the target on its median date {expected}", expected in line, line)
        check(f"headline: {policy} P10 – P90 dates",
              f"{spoken(start, m['p10'])} – {spoken(start, m['p90'])}" in line, line)
        check(f"headline: {policy} P(by plan) {p_plan[policy]:.2f}", f"{p_plan[policy]:.2f}" in line, line)
        lplv = metric(policy, "last_patient_last_visit_day")
        check(f"headline: {policy} last visit", spoken(start, lplv["median"]) in (row[2] if len(row) > 2 else ""), row)
    check("headline: the sentence names the baseline", "Under static, the target of 3,600" in text, text[:400])

    # Paired differences against the file's own baseline (static), from the replications.
    diffs = find_page(pdf, pages, "Paired differences against static")
    check("paired differences against the baseline static", diffs is not None)
    if diffs:
        text = page_text(pdf, diffs)
        s, a = reps["static"], reps["adaptive"]
        order = numpy.argsort(s["replication"]), numpy.argsort(a["replication"])
        d = a["enrollment_duration_days"][order[1]] - s["enrollment_duration_days"][order[0]]
        line = next((l for l in text.splitlines() if "enrollment duration" in l), "")
        check(f"differences: enrollment duration {d.mean():+.1f} d, paired", f"{d.mean():+.1f} d" in line, line)
        check("differences: adaptive − static", "adaptive − static" in text, text[:300])

    # Costs: the total as the overview gives it.
    costs = find_page(pdf, pages, "Costs by category (USD)")
    check("costs page present", costs is not None)
    if costs:
        text = page_text(pdf, costs)
        check("costs: categories in plain words", "Site staff time" in text and "Patient fees" in text, text[:500])
        totals = [l for l in text.splitlines() if l.strip().startswith("Total")]
        mean = metric("static", "cost_total")["mean"]
        check(f"costs: static's total {mean / 1e6:.2f} M", totals and f"{mean / 1e6:.2f} M" in totals[0], totals)

    method = find_page(pdf, pages, "How these numbers were made")
    check("method and caveats page present", method is not None)
    if method:
        text = page_text(pdf, method)
        # Wilson's 95 % score interval of the share, computed here from its formula.
        n, p = 30, p_plan["static"]
        z = 1.959963984540054
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * numpy.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        low = 0.0 if p == 0 else max(0.0, centre - half)
        high = 1.0 if p == 1 else min(1.0, centre + half)
        check(f"caveats: Monte Carlo error {low:.2f} to {high:.2f} (Wilson)",
              f"anywhere from {low:.2f} to {high:.2f}" in " ".join(text.split()), text)
        check("caveats: few replications said", "Few replications (30)" in text, text)

    # Tables continue: the appendix holds every metric of both policies over several pages.
    appendix = [p for p in range(1, pages + 1) if page_text(pdf, p).lstrip().startswith("Appendix")]
    continued = [p for p in appendix if "(continued)" in page_text(pdf, p)]
    check(f"appendix over {len(appendix)} pages, continued ones headed so", len(appendix) >= 2 and len(continued) == len(appendix) - 1)
    every = "".join(page_text(pdf, p) for p in appendix)
    with h5py.File(results, "r") as f:
        labels = [dict(f[f"policies/static/metrics/{k}"].attrs).get("label", k) for k in f["policies/static/metrics"]]
    labels = [l.decode() if isinstance(l, bytes) else l for l in labels]
    missing = [l for l in labels if l not in every]
    check(f"appendix: all {len(labels)} metrics listed", not missing, missing[:5])

    # Pixels: the chart pages hold the visualizer's charts.
    run("pdftoppm", "-r", "100", "-png", pdf, path("page"))
    digits = len(str(pages))
    image = lambda p: numpy.asarray(Image.open(path(f"page-{p:0{digits}d}.png")).convert("RGB")).astype(int)

    def colour_share(img, rgb, tolerance=30):
        return float(numpy.mean(numpy.all(numpy.abs(img - numpy.array(rgb)) <= tolerance, axis=2)))

    fan = find_page(pdf, pages, "Enrollment over time")
    check("fan chart page present", fan is not None)
    if fan:
        img = image(fan)
        check("fan chart: both policies' colours drawn",
              colour_share(img, BLUE) > 0.0005 and colour_share(img, VERMILLION) > 0.0005,
              f"{colour_share(img, BLUE):.4f} {colour_share(img, VERMILLION):.4f}")
    sites = find_page(pdf, pages, "Sites (static)")
    check("site timeline page of the baseline", sites is not None)
    if sites:
        text = page_text(pdf, sites)
        check("site timeline: 120 sites said", "120 sites by country" in text, text[:300])
        check("site timeline: enrolling bars drawn", colour_share(image(sites), ENROLLING) > 0.02,
              f"{colour_share(image(sites), ENROLLING):.4f}")
    compare = find_page(pdf, pages, "Policies against static")
    check("comparison chart page", compare is not None)

    # Bad input: one message, non-zero exit, no PDF.
    r = run(trialtwin, "report", planner, "--out", path("bad.pdf"))
    check("a scenario given as results: exit 2, named, no PDF",
          r.returncode == 2 and "planner_120sites.toml" in r.stderr and not os.path.exists(path("bad.pdf")), r.stderr)
    r = run(trialtwin, "report", results, "--out", path("no/such/folder/report.pdf"))
    check("an output folder that does not exist: exit 2, named",
          r.returncode == 2 and "no/such/folder" in r.stderr, r.stderr)
    r = run(trialtwin, "report", results)
    check("no --out: exit 2", r.returncode == 2, r.stderr)
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    r = run(trialtwin, "report", results, "--out", path("nodisplay.pdf"), env=env)
    check("no display: exit 1 with xvfb-run advice, no PDF",
          r.returncode == 1 and "xvfb-run" in r.stderr and not os.path.exists(path("nodisplay.pdf")), r.stderr)

finish()
