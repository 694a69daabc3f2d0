#!/usr/bin/python3
"""The visualizer end to end, in a real (virtual) X server: every view rendered to PNG and its
pixels checked against the data in the HDF5 file (read with h5py), the interactive app run in
a window for a few frames with a screenshot, and bad files and a missing display.

Usage (CTest runs it under xvfb-run): render_test.py TRIALTWIN TRIALTWIN_VIZ SOURCE_DIR
"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy
from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from checks import check, finish  # noqa: E402

trialtwin, viz, source = sys.argv[1], sys.argv[2], sys.argv[3]
demo = os.path.join(source, "scenarios", "demo_small.toml")


def run(*args, env=None):
    return subprocess.run(list(args), capture_output=True, text=True, env=env)


def pixels(path):
    return numpy.asarray(Image.open(path).convert("RGB")).astype(int)


def near(colour, expected, tolerance=24):
    return all(abs(int(c) - e) <= tolerance for c, e in zip(colour, expected))


def share(image, predicate):
    flat = image.reshape(-1, 3)
    return float(numpy.mean(predicate(flat)))


class PlotArea:
    """Data to pixels, from the layout the renderer reports (its data area and axis ranges)."""

    def __init__(self, values):
        self.x0, self.y0, self.x1, self.y1, self.xlo, self.xhi, self.ylo, self.yhi = values

    def px(self, x):
        return self.x0 + (x - self.xlo) / (self.xhi - self.xlo) * (self.x1 - self.x0)

    def py(self, y):
        return self.y1 - (y - self.ylo) / (self.yhi - self.ylo) * (self.y1 - self.y0)


def legends_clear(layout, what):
    """Every legend a chart drew lies outside its data area (issue 29: never covering data)."""
    for key, (lx0, ly0, lx1, ly1) in [(k, v) for k, v in layout.items() if k.startswith("legend:")]:
        x0, y0, x1, y1 = layout["plot:" + key.split(":", 1)[1]][:4]
        apart = ly1 <= y0 + 0.5 or ly0 >= y1 - 0.5 or lx1 <= x0 + 0.5 or lx0 >= x1 - 0.5
        check(f"{what}: {key} outside the data area", apart, f"{[lx0, ly0, lx1, ly1]} vs {[x0, y0, x1, y1]}")


PLAN = (200, 30, 45)
ALARM = (214, 39, 40)
ENROLLING = (44, 160, 90)
STARTUP = (176, 190, 210)

with tempfile.TemporaryDirectory() as tmp:
    path = lambda name: os.path.join(tmp, name)
    ok = run(trialtwin, "run", demo, "--reps", "40", "--seed", "5", "--trace", "2", "--out",
             path("demo.h5")).returncode == 0
    ok &= run(trialtwin, "compare", demo, "--reps", "30", "--out", path("cmp.h5"),
              "--variant", "stock: supply.site_min_kits=5; supply.site_max_kits=12").returncode == 0
    ok &= run(trialtwin, "sweep", demo, "--set", "recruitment.rate_shape=1,2,4", "--reps", "8",
              "--out", path("sweep.h5")).returncode == 0
    check("results files written", ok)

    # Every view, rendered headless at two sizes.
    views = ["overview", "fan", "timeline", "utilisation", "compare", "playback", "sweep"]
    layouts = {}
    for view in views:
        source_file = path("sweep.h5") if view == "sweep" else path("cmp.h5") if view == "compare" else path("demo.h5")
        png, layout = path(f"{view}.png"), path(f"{view}.json")
        r = run(viz, "render", source_file, "--view", view, "--out", png, "--layout", layout)
        check(f"render {view}: exit 0", r.returncode == 0, r.stderr)
        if r.returncode != 0:
            continue
        image = pixels(png)
        check(f"render {view}: 1920x1080", image.shape == (1080, 1920, 3), str(image.shape))
        not_white = share(image, lambda p: numpy.any(p < 235, axis=1))
        check(f"render {view}: not blank ({not_white:.1%} inked)", not_white > 0.02)
        colours = len(numpy.unique(image.reshape(-1, 3)[::7], axis=0))
        check(f"render {view}: many colours ({colours})", colours > 40)
        with open(layout) as f:
            layouts[view] = json.load(f)
        check(f"render {view}: no temporary file left", not os.path.exists(png + ".partial"))
    for view, layout in layouts.items():
        legends_clear(layout, f"render {view}")
    check("the fan chart has a legend", "legend:fan" in layouts.get("fan", {}))
    r = run(viz, "render", path("demo.h5"), "--view", "fan", "--out", path("fan_bare.png"),
            "--layout", path("fan_bare.json"), "--no-legends")
    if r.returncode == 0:
        with open(path("fan_bare.json")) as f:
            bare = json.load(f)
        check("render --no-legends: no legend, the data area as tall or taller",
              not any(k.startswith("legend:") for k in bare)
              and bare["plot:fan"][1] <= layouts["fan"]["plot:fan"][1], str(bare.get("plot:fan")))
    # A variant identical to the baseline in enrollment (only the kits' price differs): its
    # median is dashed over the baseline's and the legend says so; both colours show on it.
    r = run(trialtwin, "compare", demo, "--reps", "20", "--variant", "pricier: supply.kit_cost=999",
            "--out", path("same.h5"))
    r = run(viz, "render", path("same.h5"), "--view", "fan", "--out", path("same.png"),
            "--layout", path("same.json"))
    check("render a variant the same as its baseline: exit 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        with open(path("same.json")) as f:
            same = json.load(f)
        check("fan: the coinciding variant noted against the baseline", same.get("coincides:pricier") == [0],
              str({k: v for k, v in same.items() if k.startswith("coincides")}))
        image = pixels(path("same.png"))
        plot = PlotArea(same["plot:fan"])
        with h5py.File(path("same.h5"), "r") as f:
            bands = f["policies/as_written/weekly/randomised_bands"][()]
            week = int(f["policies/as_written"].attrs.get("week_length_days", 7))
        blue = orange = 0
        for w in range(5, len(bands) - 1, 3):
            x, y = int(round(plot.px(week * (w + 1)))), int(round(plot.py(bands[w][2])))
            if not (plot.x0 < x < plot.x1):
                continue
            patch = image[y - 2:y + 3, x - 2:x + 3].reshape(-1, 3)
            blue += any(near(c, (0, 114, 178), 40) for c in patch)
            orange += any(near(c, (213, 94, 0), 40) for c in patch)
        check(f"fan: both colours along the shared median ({blue} blue, {orange} orange)", blue > 5 and orange > 5)
    small = path("fan_small.png")
    r = run(viz, "render", path("demo.h5"), "--view", "fan", "--out", small, "--size", "800x600")
    check("render --size 800x600", r.returncode == 0 and pixels(small).shape == (600, 800, 3))
    r = run(trialtwin, "render", path("demo.h5"), "--view", "timeline", "--out", path("via_cli.png"))
    check("trialtwin render runs the visualizer", r.returncode == 0 and os.path.exists(path("via_cli.png")), r.stderr)

    # Events and readout: the reference trial's PFS endpoint (an interim and a final analysis).
    onc = os.path.join(source, "scenarios", "oncology_ph3_50sites.toml")
    r = run(trialtwin, "compare", onc, "--policies", "static,adaptive", "--reps", "40", "--out", path("onc.h5"))
    check("reference trial with endpoints written", r.returncode == 0, r.stderr)
    r = run(viz, "render", path("onc.h5"), "--view", "events", "--out", path("events.png"),
            "--layout", path("events.json"))
    check("render events: exit 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        image = pixels(path("events.png"))
        with open(path("events.json")) as f:
            layout = json.load(f)
        with h5py.File(path("onc.h5"), "r") as f:
            rows = f["policies/static/readout/analyses"][()]
        for index, name in enumerate(["interim", "final"]):
            mine = rows[rows["analysis"] == index]
            expected = [float(numpy.percentile(mine["cutoff_day"], 50)), float(numpy.percentile(mine["events"], 50)),
                        float(numpy.percentile(mine["readout_day"], 50))]
            noted = layout.get(f"analysis:{name}")
            check(f"events: {name} noted at its median cut-off, events and readout",
                  noted is not None and numpy.allclose(noted, expected), f"{noted} vs {expected}")
        plot = PlotArea(layout["plot:events"])
        cutoff, events, readout = layout["analysis:final"]
        y = int(round(plot.py(events)))
        xs = range(int(plot.x0) + 5, int(plot.x1) - 5, 7)
        on_line = [any(near(image[yy, x], PLAN, 40) for yy in (y - 1, y, y + 1)) for x in xs]
        check(f"events: the final's event target line at y={y}", sum(on_line) >= len(on_line) * 0.6,
              f"{sum(on_line)} of {len(on_line)}")
        x = int(round(plot.px(cutoff)))
        column = [any(near(image[yy, xx], PLAN, 40) for xx in (x - 1, x, x + 1))
                  for yy in range(int(plot.y0) + 2, int(plot.y1) - 2)]
        check(f"events: dashed cut-off line at x={x} ({numpy.mean(column):.0%} red)", 0.3 < numpy.mean(column) < 0.95)
        # The 90 % band of all arms, grey, half way to the interim's cut-off.
        interim_cutoff, interim_events, _ = layout["analysis:interim"]
        bx, by = int(round(plot.px(interim_cutoff * 0.8))), int(round(plot.py(interim_events * 0.6)))
        colours = image[by - 40:by + 40, bx]
        grey = [c for c in colours if abs(int(c[0]) - int(c[2])) < 12 and 120 < int(c[0]) < 245]
        check("events: the band is drawn in grey", len(grey) > 10, str(len(grey)))
    # The comparison against the file's own baseline, static, which is not the alphabetically
    # first: static's boxes on top, and every difference is adaptive − static.
    r = run(viz, "render", path("onc.h5"), "--view", "compare", "--out", path("onc_cmp.png"),
            "--layout", path("onc_cmp.json"))
    check("render compare with baseline static: exit 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        with open(path("onc_cmp.json")) as f:
            layout = json.load(f)
        check("compare: the baseline static drawn first (on top)",
              layout["duration:static"][0] < layout["duration:adaptive"][0])
        check("compare: no difference of the baseline against itself",
              not any(k.startswith("difference:static:") for k in layout))
        with h5py.File(path("onc.h5"), "r") as f:
            s_rows = numpy.sort(f["policies/static/replications"][()], order="replication")
            a_rows = numpy.sort(f["policies/adaptive/replications"][()], order="replication")
        for key in ("enrollment_duration_days", "cost_total"):
            d = a_rows[key] - s_rows[key]
            d = d[~numpy.isnan(d)]
            noted = layout.get(f"difference:adaptive:{key}", [None])[0]
            check(f"compare: {key} difference is adaptive − static ({d.mean():.1f})",
                  noted is not None and numpy.isclose(noted, d.mean(), rtol=1e-9), f"{noted}")
    r = run(viz, "render", path("onc.h5"), "--view", "fan", "--out", path("onc_fan.png"), "--layout", path("onc_fan.json"))
    if r.returncode == 0:
        with open(path("onc_fan.json")) as f:
            fan_layout = json.load(f)
        with h5py.File(path("onc.h5"), "r") as f:
            rows = f["policies/adaptive/readout/analyses"][()]
        final = rows[rows["analysis"] == 1]
        check("fan: the final readout is a milestone", numpy.isclose(
            fan_layout.get("readout:adaptive:final", [0])[0], float(numpy.percentile(final["readout_day"], 50))))
    r = run(viz, "render", path("onc.h5"), "--view", "timeline", "--out", path("onc_timeline.png"),
            "--layout", path("onc_timeline.json"))
    if r.returncode == 0:
        with open(path("onc_timeline.json")) as f:
            timeline_layout = json.load(f)
        with h5py.File(path("onc.h5"), "r") as f:
            rows = f["policies/static/readout/analyses"][()]
        final = rows[rows["analysis"] == 1]
        noted = timeline_layout.get("cutoff:final", [0])[0]
        check("timeline: the final cut-off is a milestone", numpy.isclose(noted, float(numpy.percentile(final["cutoff_day"], 50))))
        image = pixels(path("onc_timeline.png"))
        plot = PlotArea(timeline_layout["plot:timeline"])
        x = int(round(plot.px(noted)))
        column = [any(near(image[yy, xx], PLAN, 40) for xx in (x - 1, x, x + 1))
                  for yy in range(int(plot.y0) + 2, int(plot.y1) - 2)]
        check(f"timeline: dashed cut-off line at x={x} ({numpy.mean(column):.0%} red)", 0.3 < numpy.mean(column) < 0.95)
    r = run(viz, "render", path("demo.h5"), "--view", "events", "--out", path("no_events.png"))
    check("events without endpoints: a message, exit 0", r.returncode == 0, r.stderr)

    with h5py.File(path("demo.h5"), "r") as f:
        target = int(f.attrs["randomisation_target"])
        plan_day = float(f.attrs["plan_target_met_day"])
        bands = f["policies/as_written/weekly/randomised_bands"][()]
        sites = f["policies/as_written/sites"][()]

    # Fan chart: the plan lines and the bands where the data puts them.
    if "fan" in layouts:
        image = pixels(path("fan.png"))
        plot = PlotArea(layouts["fan"]["plot:fan"])
        check("fan: the plan is noted", layouts["fan"].get("plan") == [plan_day, target])
        ty = round(plot.py(target))
        xs = range(int(plot.x0 + 0.55 * (plot.x1 - plot.x0)), int(plot.x1) - 4, 7)
        on_line = [near(image[y, x], PLAN, 40) for x in xs for y in (ty - 1, ty, ty + 1)]
        check(f"fan: target line at y={ty} ({sum(on_line)} red samples)", sum(on_line) >= len(xs) * 0.8)
        px = round(plot.px(plan_day))
        column = [any(near(image[y, x], PLAN, 40) for x in (px - 1, px, px + 1))
                  for y in range(int(plot.y0) + 2, int(plot.y1) - 2)]
        check(f"fan: dashed plan-day line at x={px} ({numpy.mean(column):.0%} red)", 0.35 < numpy.mean(column) < 0.9)
        # A week with a wide band: inside the 50 % band it is tinted blue; far above the 95 % it is paper.
        widths = bands[:, 4] - bands[:, 0]
        week = int(numpy.argmax(widths))
        x = round(plot.px(7 * (week + 1)))
        inner = image[round(plot.py((bands[week, 1] + bands[week, 2]) / 2)), x]
        check(f"fan: 50 % band tinted at week {week} ({inner})", inner[2] > inner[0] + 40 and inner[0] < 215)
        outer_y = round(plot.py(bands[week, 4] + 0.25 * (plot.yhi - bands[week, 4])))
        if outer_y > plot.y0 + 40 and bands[week, 4] < target * 0.9:
            above = image[outer_y, x]
            check(f"fan: above the 95 % band is paper ({above})", min(above) > 210)

    # Site timeline: a known site's bars at their days.
    if "timeline" in layouts:
        image = pixels(path("timeline.png"))
        plot = PlotArea(layouts["timeline"]["plot:timeline"])
        for row in sites:
            site = row["id"].decode()
            top, bottom, approval, activation, rec_end, last = layouts["timeline"][f"site:{site}"]
            check(f"timeline: {site} phases match the site table",
                  numpy.allclose([approval, activation, rec_end, last],
                                 [row["approval_day_median"], row["activation_day_median"],
                                  row["recruitment_end_day_median"], row["last_activity_day_median"]]))
            y = round((top + bottom) / 2)
            x = round(plot.px((activation + rec_end) / 2))
            check(f"timeline: {site} enrolling bar at x={x}, y={y}", near(image[y, x], ENROLLING), str(image[y, x]))
            if plot.px(activation) - plot.px(approval) > 6:
                x = round(plot.px((approval + activation) / 2))
                check(f"timeline: {site} start-up bar", near(image[y, x], STARTUP), str(image[y, x]))
            x = round(plot.px(approval)) - 4
            if x > plot.x0 + 2:
                check(f"timeline: {site} nothing before approval", min(image[y, x]) > 200, str(image[y, x]))

    # Comparison: box positions are the replication quantiles of the file.
    if "compare" in layouts:
        with h5py.File(path("cmp.h5"), "r") as f:
            for policy in ("as_written", "stock"):
                durations = f[f"policies/{policy}/replications"]["enrollment_duration_days"]
                durations = durations[~numpy.isnan(durations)]
                note = layouts["compare"][f"duration:{policy}"]
                check(f"compare: {policy} median is the file's",
                      abs(note[3] - numpy.percentile(durations, 50)) < 1e-9, f"{note[3]}")
                image = pixels(path("compare.png"))
                plot = PlotArea(layouts["compare"]["plot:duration"])
                y = round(note[0])
                x = round(plot.px((note[2] + note[3]) / 2))
                if plot.px(note[3]) - plot.px(note[2]) > 6:
                    check(f"compare: {policy} box drawn", not near(image[y, x], (255, 255, 255), 10), str(image[y, x]))

    # A forecast: the observed series drawn in ink up to the as-of line, then the bands.
    onc = os.path.join(source, "scenarios", "oncology_ph3_50sites.toml")
    observed = os.path.join(source, "scenarios", "observed", "oncology_week40.csv")
    patients = os.path.join(source, "scenarios", "observed", "oncology_week40_patients.csv")
    r = run(trialtwin, "forecast", onc, "--observed", observed, "--patients", patients,
            "--as-of", "2027-10-11", "--reps", "30", "--out", path("forecast.h5"))
    check("forecast file for the fan chart", r.returncode == 0, r.stderr)
    r = run(viz, "render", path("forecast.h5"), "--view", "fan", "--out", path("forecast_fan.png"),
            "--layout", path("forecast_fan.json"))
    check("forecast fan rendered", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        with open(path("forecast_fan.json")) as f:
            notes = json.load(f)
        check("fan: observed series noted at the as-of day", notes.get("observed") == [280.0, 51.0],
              str(notes.get("observed")))
        image = pixels(path("forecast_fan.png"))
        plot = PlotArea(notes["plot:fan"])
        # The as-of line in ink, and the observed curve's end point at (280, 51).
        ink = lambda c: numpy.all(numpy.abs(c - numpy.array([30, 30, 36])) <= 40, axis=1)
        x, y = round(plot.px(280.0)), round(plot.py(51.0))
        # A 1.5-pixel ink line, antialiased over two columns wherever its sub-pixel position
        # falls: the darkest of three columns, row by row, is dark.
        strip = image[round(plot.py(600)):round(plot.py(100)), x - 1:x + 2].mean(axis=2)
        check("fan: the as-of line is drawn", float(numpy.mean(strip.min(axis=1) < 120)) > 0.5)
        patch = image[y - 3:y + 4, x - 6:x + 1].reshape(-1, 3)
        check("fan: the observed curve reaches it", share(patch, ink) > 0.2)

    # Anomaly flags, as the policies will record them: counts in the overview, markers on the
    # timeline at the median day a site was first flagged (when flagged in ≥ half the runs).
    import shutil
    flagged = path("flagged.h5")
    shutil.copy(path("demo.h5"), flagged)
    rows = [(r, 100.0 + r, 1, 0, 0.9) for r in range(40)] + [(r, 300.0, 1, 0, 0.9) for r in range(40)]
    rows += [(r, 50.0, 2, 1, 0.95) for r in range(10)]
    kind_t = numpy.dtype([("replication", "<i4"), ("day", "<f8"), ("site", "<i4"), ("kind", "<i4"), ("value", "<f8")])
    with h5py.File(flagged, "a") as f:
        del f["policies/as_written/anomalies"]  # the simulated flags, replaced by crafted ones
        d = f.create_dataset("policies/as_written/anomalies", data=numpy.array(rows, dtype=kind_t))
        d.attrs["kinds"] = "lagging_site\nstaff_overload"
    for view in ("timeline", "overview"):
        r = run(viz, "render", flagged, "--view", view, "--out", path(f"flagged_{view}.png"),
                "--layout", path(f"flagged_{view}.json"))
        check(f"flags: render {view}", r.returncode == 0, r.stderr)
    if os.path.exists(path("flagged_timeline.json")):
        with open(path("flagged_timeline.json")) as f:
            notes = json.load(f)
        with open(path("flagged_overview.json")) as f:
            overview = json.load(f)
        check("flags: counts per replication by kind", overview.get("anomalies:as_written") == [2.0, 0.25],
              str(overview.get("anomalies:as_written")))
        check("flags: DE-02 lagging first flagged at the median day", notes.get("flag:DE-02:lagging_site") == [119.5, 1.0],
              str(notes.get("flag:DE-02:lagging_site")))
        check("flags: a site flagged in a quarter of the runs has no marker", "flag:PL-01:staff_overload" not in notes)
        image = pixels(path("flagged_timeline.png"))
        plot = PlotArea(notes["plot:timeline"])
        top, bottom = notes["site:DE-02"][:2]
        colour = image[round((top + bottom) / 2), round(plot.px(119.5))]
        check(f"flags: marker drawn on DE-02's row ({colour})", near(colour, ALARM, 30))
    with h5py.File(flagged, "a") as f:
        f["policies/as_written/anomalies"].attrs["kinds"] = "lagging_site"
    r = run(viz, "render", flagged, "--view", "overview", "--out", path("badflags.png"))
    check("flags: a kind outside 'kinds' → exit 2 naming the row", r.returncode == 2 and "anomalies row" in r.stderr, r.stderr)

    # The site timeline at the sizes trials have: 120 and 1,000 sites on one 1920x1080 slide,
    # every site drawn and every country named (site names where a row is tall enough).
    cardio = os.path.join(source, "scenarios", "cardio_ph3_120sites.toml")
    with open(path("s1000.toml"), "w") as f:
        subprocess.run([sys.executable, os.path.join(source, "bench", "make_scaled_trial.py"), "19"],
                       stdout=f, check=True, cwd=source)
    for name, scenario in (("120", cardio), ("1000", path("s1000.toml"))):
        r = run(trialtwin, "run", scenario, "--reps", "3", "--trace", "1", "--out", path(f"sites{name}.h5"))
        check(f"{name}-site trial written", r.returncode == 0, r.stderr)
        r = run(viz, "render", path(f"sites{name}.h5"), "--view", "timeline", "--out",
                path(f"tl{name}.png"), "--layout", path(f"tl{name}.json"))
        check(f"render timeline of {name} sites: exit 0", r.returncode == 0, r.stderr)
        if r.returncode != 0:
            continue
        with open(path(f"tl{name}.json")) as f:
            layout = json.load(f)
        with h5py.File(path(f"sites{name}.h5"), "r") as h:
            sites = h["policies/as_written/sites"][()]
            ids = [x.decode() if isinstance(x, bytes) else x for x in sites["id"]]
            countries = sorted({(x.decode() if isinstance(x, bytes) else x) for x in sites["country"]})
        plot = PlotArea(layout["plot:timeline"])
        drawn = [k for k in layout if k.startswith("site:")]
        check(f"timeline {name}: every site drawn", len(drawn) == len(ids), f"{len(drawn)} of {len(ids)}")
        inside = all(plot.y0 - 1 <= layout[f"site:{i}"][0] < layout[f"site:{i}"][1] <= plot.y1 + 1 for i in ids)
        check(f"timeline {name}: every site's row inside the chart (one slide)", inside)
        named = sorted(k.split(":", 1)[1] for k in layout if k.startswith("country:"))
        check(f"timeline {name}: every country named", named == countries, f"{named} vs {countries}")
        for c in named:
            top, bottom, count = layout[f"country:{c}"]
            rows = [layout[f"site:{i}"] for i, cc in zip(ids, sites["country"])
                    if (cc.decode() if isinstance(cc, bytes) else cc) == c]
            check(f"timeline {name}: {c} named over its own {len(rows)} sites",
                  count == len(rows) and all(top - 1 <= r[0] and r[1] <= bottom + 1 for r in rows))
        # Playback tiles scale with the site count: a tile per site, and every patient of the
        # busiest site fits its tile (dots, or past 3-pixel dots a stacked bar).
        r = run(viz, "render", path(f"sites{name}.h5"), "--view", "playback", "--out",
                path(f"pb{name}.png"), "--layout", path(f"pb{name}.json"))
        check(f"render playback of {name} sites: exit 0", r.returncode == 0, r.stderr)
        if r.returncode == 0:
            with open(path(f"pb{name}.json")) as f:
                columns, rows, tile_w, tile_h, dot, bars, busiest = json.load(f)["playback:tiles"]
            check(f"playback {name}: a tile for each of {len(ids)} sites", columns * rows >= len(ids))
            if bars:
                check(f"playback {name}: tiny tiles show patients as bars ({dot:.1f} px dots would not fit)", dot < 3)
            else:
                fits = (tile_w - 12) // dot * ((tile_h - 8 - (24 if tile_h > 40 else 2)) // dot)
                check(f"playback {name}: the busiest site's {busiest} patients fit as {dot:.1f} px dots",
                      fits >= busiest * 0.95, f"{fits}")
            check(f"playback {name}: 1,000 sites as bars, 120 as dots", bool(bars) == (name == "1000"))

    # Decisions (issue 28): the optimisation view and the sensitivity view, checked against
    # the file; the sweep view shows a yes/no outcome as its probability.
    identical = path("identical.toml")
    with open(identical, "w") as f:
        f.write("[trial]\nname = \"identical\"\nstart_date = 2027-01-04\nrandomisation_target = 40\n"
                "plan_target_met_date = 2027-05-04\nhorizon_days = 800\n[recruitment]\n"
                "rate_shape = 2.0\nrate_rate_days = 40.0\n[[countries]]\ncode = \"XX\"\n"
                "site_startup_fee = 10000\n" +
                "".join(f"[[sites]]\nid = \"S{i}\"\ncountry = \"XX\"\ncandidate = true\n" for i in range(12)) +
                "[protocol.screening]\n")
    r = run(trialtwin, "optimise", identical, "--minimise", "mean:cost_total", "--subject-to",
            "p:target_met_by_plan>=0.8", "--reps", "100", "--out", path("optimise.h5"))
    check("optimise file written", r.returncode == 0, r.stderr)
    r = run(viz, "render", path("optimise.h5"), "--view", "optimise", "--out", path("optimise.png"),
            "--layout", path("optimise.json"))
    check("render optimise: exit 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        image = pixels(path("optimise.png"))
        with open(path("optimise.json")) as f:
            layout = json.load(f)
        plot = PlotArea(layout["plot:optimise"])
        legends_clear(layout, "optimise")
        with h5py.File(path("optimise.h5"), "r") as h:
            g = h["optimise"]
            chosen = int(g.attrs["chosen_evaluation"])
            cost = float(g["evaluations"]["objective"][chosen])
            p_in = float(g["constraint_values"][chosen][0])
            fresh = g["validation"][()]
        x, y = layout["optimise:chosen"]
        check("optimise: the chosen decision drawn at its P and cost",
              abs(x - plot.px(p_in)) < 1.5 and abs(y - plot.py(cost)) < 1.5, f"{x},{y}")
        ring = [image[int(round(y)) + dy, int(round(x)) + 11] for dy in (-1, 0, 1)]
        check("optimise: ringed in red", any(near(c, PLAN, 50) for c in ring), str(ring))
        bx = layout["optimise:bound"][0]
        check("optimise: the bound line at 0.8", abs(bx - plot.px(0.8)) < 1.5)
        column = [near(image[yy, int(round(bx))], PLAN, 40) for yy in range(int(plot.y0) + 30, int(plot.y1) - 2)]
        check(f"optimise: the bound dashed ({numpy.mean(column):.0%} red)", 0.3 < numpy.mean(column) < 0.9)
        noted = [k for k in layout if k.startswith("optimise:fresh:")]
        check("optimise: every validated decision shown on fresh replications",
              len(noted) == len(fresh), f"{len(noted)} vs {len(fresh)}")
        for row in fresh:
            fx, fy, feasible, was_chosen = layout[f"optimise:fresh:{int(row['evaluation'])}"]
            colour = image[int(round(fy)), int(round(fx))]
            check(f"optimise: decision {int(row['evaluation'])} fresh diamond "
                  f"{'green' if row['feasible'] else 'red'}",
                  near(colour, ENROLLING if row["feasible"] else ALARM, 40), str(colour))

    r = run(trialtwin, "sensitivity", demo, "--vary", "recruitment.rate_shape=1:4", "--vary",
            "supply.kit_cost=100:2000", "--metric", "median:target_met_day", "--metric",
            "mean:cost_total", "--reps", "20", "--points", "8", "--bootstrap", "100",
            "--out", path("sensitivity.h5"))
    check("sensitivity file written", r.returncode == 0, r.stderr)
    for output in ["median:target_met_day", "mean:cost_total"]:
        png, lay = path("sens.png"), path("sens.json")
        r = run(viz, "render", path("sensitivity.h5"), "--view", "sensitivity", "--outcome", output,
                "--out", png, "--layout", lay)
        check(f"render sensitivity {output}: exit 0", r.returncode == 0, r.stderr)
        if r.returncode != 0:
            continue
        image = pixels(png)
        with open(lay) as f:
            layout = json.load(f)
        with h5py.File(path("sensitivity.h5"), "r") as h:
            g = h["sensitivity"]
            o = [x for x in g.attrs["outputs"].split("\n")].index(output)
            keys = g.attrs["keys"].split("\n")
            low, high, base = g["oat_low"][()][:, o], g["oat_high"][()][:, o], g["base"][o]
            total = g["total"][()][:, o]
        tornado, sobol = PlotArea(layout["plot:tornado"]), PlotArea(layout["plot:sobol"])
        legends_clear(layout, f"sensitivity {output}")
        rows = sorted(range(len(keys)), key=lambda i: -total[i])
        ys = [layout[f"tornado:{keys[i]}"][0] for i in rows]
        check(f"sensitivity {output}: inputs ranked by total index, top down", ys == sorted(ys), str(ys))
        for i, key in enumerate(keys):
            cy, at_low, at_high, at_base = layout[f"tornado:{key}"]
            check(f"sensitivity {output}: {key} bar ends are the file's", numpy.isclose(at_low, low[i], rtol=1e-6) and numpy.isclose(at_high, high[i], rtol=1e-6))
            if abs(high[i] - base) > (tornado.xhi - tornado.xlo) * 0.02:
                mid = int(round((tornado.px(high[i]) + tornado.px(base)) / 2))
                check(f"sensitivity {output}: {key} high-end bar drawn in its colour",
                      near(image[int(round(cy)), mid], (213, 94, 0), 40), str(image[int(round(cy)), mid]))
            scy, first, tot = layout[f"sobol:{key}"]
            check(f"sensitivity {output}: {key} indices are the file's", numpy.isclose(tot, total[i], rtol=1e-6, atol=1e-7))
            if 0.05 < tot < 0.95:
                tx = int(round((sobol.px(0) + sobol.px(tot)) / 2))
                inked = [image[int(round(scy)) + dy, tx] for dy in range(0, 30)]
                check(f"sensitivity {output}: {key} total bar drawn",
                      any(not near(c, (255, 255, 255), 20) for c in inked))
        r = run(viz, "render", path("sensitivity.h5"), "--view", "sensitivity", "--outcome", "nothing",
            "--out", path("x.png"))
    check("render --outcome unknown: exit 2 with the outputs named",
          r.returncode == 2 and "mean:cost_total" in r.stderr, r.stderr)

    # The sweep of the day the target is met: the plan date drawn across; two keys: one line
    # per value of the second, named by its value, coinciding ones named together.
    r = run(trialtwin, "sweep", demo, "--set", "recruitment.rate_shape=1,3", "--set",
            "supply.site_max_kits=8,12", "--reps", "8", "--out", path("sweep2.h5"))
    check("two-key sweep written", r.returncode == 0, r.stderr)
    r = run(viz, "render", path("sweep2.h5"), "--view", "sweep", "--out", path("sweep2.png"),
            "--layout", path("sweep2.json"))
    check("render two-key sweep: exit 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        with open(path("sweep2.json")) as f:
            layout = json.load(f)
        with h5py.File(path("sweep2.h5"), "r") as h:
            plan = float(h.attrs["plan_target_met_day"])
        plot = PlotArea(layout["plot:sweep"])
        check("sweep: the plan date line at the plan day",
              abs(layout["sweep:plan"][0] - plot.py(plan)) < 1.5)
        image = pixels(path("sweep2.png"))
        y = int(round(layout["sweep:plan"][0]))
        row = [near(image[y, x], PLAN, 40) for x in range(int(plot.x0) + 200, int(plot.x1) - 10, 9)]
        check("sweep: the plan line drawn in red", numpy.mean(row) > 0.8, f"{numpy.mean(row):.2f}")
        # The kit cap does not move the target day: both series coincide and are named together.
        names = [k for k in layout if k.startswith("sweep:series:")]
        check("sweep: series named by their values, coinciding ones together",
              names == ["sweep:series:supply.site_max_kits = 8, 12 (the same)"], str(names))

    r = run(viz, "render", path("sweep.h5"), "--view", "sweep", "--outcome", "target_met_by_plan",
            "--out", path("sweep_p.png"), "--layout", path("sweep_p.json"))
    check("render sweep of a probability: exit 0", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        with open(path("sweep_p.json")) as f:
            layout = json.load(f)
        plot = PlotArea(layout["plot:sweep"])
        check("sweep: a probability's axis is [0, 1]", plot.ylo < 0 < 1 < plot.yhi < 1.1)
        with h5py.File(path("sweep.h5"), "r") as h:
            for i in range(3):
                g = h[f"policies/point_{i:04d}"]
                p_file = float(g.attrs["p_target_met_by_plan"])
                x, y, value, shown = layout[f"sweep:{i}"]
                check(f"sweep: point {i} at its probability {p_file:.3f}, not a median of 0/1",
                      abs(shown - p_file) < 1e-6 and abs(y - plot.py(p_file)) < 1.5, f"{shown}")
                check(f"sweep: point {i} at its parameter value", abs(x - plot.px(value)) < 1.5
                      and value == [1, 2, 4][i])

    # The interactive app in a real window: a few frames, a screenshot, a clean exit.
    shot = path("window.png")
    r = run(viz, path("demo.h5"), path("cmp.h5"), "--view", "fan", "--size", "1280x720",
            "--frames", "10", "--screenshot", shot)
    check("app: exits 0 after --frames", r.returncode == 0, r.stderr)
    if r.returncode == 0:
        image = pixels(shot)
        check("app: screenshot is the window", image.shape == (720, 1280, 3), str(image.shape))
        red = share(image, lambda p: (abs(p[:, 0] - PLAN[0]) < 30) & (p[:, 1] < 70) & (p[:, 2] < 80))
        check(f"app: fan tab shows the plan line ({red:.3%} red)", red > 0.0005)
    r = run(viz, path("demo.h5"), path("sweep.h5"), "--cycle-views", "--frames", "24")
    check("app: every tab drawn in turn, exit 0", r.returncode == 0, r.stderr)

    # A malformed file: a message in the window and on stderr, exit 0 from the UI loop.
    bad = path("broken.h5")
    with open(bad, "w") as f:
        f.write("not hdf5\n")
    shot = path("broken.png")
    r = run(viz, bad, "--frames", "4", "--screenshot", shot)
    check("app: malformed file exits 0", r.returncode == 0, r.stderr)
    check("app: malformed file named on stderr", "broken.h5" in r.stderr and "not an HDF5 file" in r.stderr, r.stderr)
    if os.path.exists(shot):
        image = pixels(shot)
        red = share(image, lambda p: (abs(p[:, 0] - ALARM[0]) < 30) & (p[:, 1] < 90) & (p[:, 2] < 90))
        check(f"app: the error is shown in the window ({red:.3%} red)", red > 0.0002)
    with h5py.File(path("partial.h5"), "w") as f:
        f.attrs["format"] = "trialtwin-results"
        f.attrs["format_version"] = 2
        f.create_group("policies/as_written")
    r = run(viz, "render", path("partial.h5"), "--view", "fan", "--out", path("partial.png"))
    check("render: incomplete file → exit 2", r.returncode == 2, r.stderr)
    check("render: says which object is missing", "/policies/as_written/replications" in r.stderr, r.stderr)
    check("render: no PNG for a bad file", not os.path.exists(path("partial.png")))
    r = run(viz, "render", path("demo.h5"), "--view", "gantt", "--out", path("x.png"))
    check("render: unknown view → exit 2 naming the views", r.returncode == 2 and "timeline" in r.stderr, r.stderr)
    r = run(viz, "render", path("demo.h5"), "--view", "fan", "--out", path("x.png"), "--size", "big")
    check("render: bad --size → exit 2", r.returncode == 2 and "--size" in r.stderr, r.stderr)

    # No display: say so, and how to run it.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    r = run(viz, "render", path("demo.h5"), "--view", "fan", "--out", path("nodisplay.png"), env=env)
    check("no display: exit 1 with xvfb-run advice", r.returncode == 1 and "xvfb-run" in r.stderr, r.stderr)
    check("no display: no PNG", not os.path.exists(path("nodisplay.png")))

finish()
