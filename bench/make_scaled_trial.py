#!/usr/bin/env python3
"""The reference trial with every site copied K times: the scaled trials of bench_scale.sh.

    bench/make_scaled_trial.py K [SCENARIO] > scaled.toml

Each site (backups too) gets K - 1 copies with ids suffixed "-c2" ... "-cK", in its own
country; what is per site stays as written (rates, staff, machines, targets), and what is
shared grows with the trial: the randomisation target, the CRA teams (their members and the
sites listed for them), the country depots' and the central supply's stock (depot levels and
batches), the analyses' event targets — K times each, so a K-fold trial is K copies of the reference trial's work, not a
tighter one. K = 1 writes the scenario unchanged.
"""
import re
import sys


def scaled(text, k):
    if k == 1:
        return text
    start = text.index("\n[[sites]]")
    end = text.index("\n[protocol]")
    sites = text[start:end]
    copies = "".join(
        re.sub(r'^id = "([^"]+)"', lambda m: f'id = "{m.group(1)}-c{c}"', sites, flags=re.M)
        for c in range(2, k + 1))
    text = text[:end] + copies + text[end:]

    def times(match):
        return f"{match.group(1)}{int(match.group(2)) * k}"

    # (An analysis' `events` grows with the patients: a K-fold trial reads out as the original.)
    for key in ("randomisation_target", "depot_min_kits", "depot_max_kits", "events"):
        text = re.sub(rf"^({key} = )(\d+)", times, text, flags=re.M)
    # Batches: `kits = N` inside the batches array (sites' `kits` are per visit: untouched).
    batches_at = text.index("batches = [")
    head, tail = text[:batches_at], text[batches_at:]
    tail = re.sub(r"(kits = )(\d+)", times, tail)
    text = head + tail
    # CRA teams: K times the CRAs, and every listed site's copies listed with it.
    parts = text.split("[[cra_teams]]")
    for i in range(1, len(parts)):
        part = re.sub(r"^(count = )(\d+)", times, parts[i], flags=re.M)

        def listed(match):
            ids = re.findall(r'"([^"]+)"', match.group(1))
            every = ids + [f"{s}-c{c}" for c in range(2, k + 1) for s in ids]
            return "sites = [" + ", ".join(f'"{s}"' for s in every) + "]"

        parts[i] = re.sub(r"^sites = \[([^\]]*)\]", listed, part, flags=re.M)
    return "[[cra_teams]]".join(parts)


def main():
    k = int(sys.argv[1])
    path = sys.argv[2] if len(sys.argv) > 2 else "scenarios/oncology_ph3_50sites.toml"
    if k < 1:
        sys.exit("make_scaled_trial.py: K must be >= 1")
    with open(path, encoding="utf-8") as f:
        sys.stdout.write(scaled(f.read(), k))


if __name__ == "__main__":
    main()
