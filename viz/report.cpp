#include "viz/report.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "models/stats/proportion_interval.hpp"
#include "viz/calendar_axis.hpp"
#include "viz/pdf_deck.hpp"
#include "viz/slide.hpp"
#include "viz/theme.hpp"
#include "viz/views.hpp"

namespace viz {
namespace {

using Align = PdfDeck::Align;
using Rows = std::vector<std::vector<std::string>>;

constexpr unsigned ink = 0x1e1e24, muted = 0x6e6e78;
const PdfDeck::Style body{11.5, false, ink}, caption{10, false, muted};

std::string format(const char* pattern, double value) {
    char text[64];
    std::snprintf(text, sizeof text, pattern, value);
    return text;
}

// 2029-06-29 → "29 Jun 2029": how a sponsor reads a date.
std::string spoken_date(const CalendarAxis& dates, double day) {
    if (!std::isfinite(day)) return "–";
    const std::string iso = dates.date(day);
    int y = 0, m = 0, d = 0;
    if (std::sscanf(iso.c_str(), "%d-%d-%d", &y, &m, &d) != 3 || m < 1 || m > 12) return iso;
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return std::to_string(d) + " " + months[m - 1] + " " + std::to_string(y);
}

// 3600 → "3,600".
std::string grouped(long long n) {
    std::string digits = std::to_string(n < 0 ? -n : n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return (n < 0 ? "-" : "") + out;
}

std::string probability(double p) {
    return std::isfinite(p) ? format("%.2f", p) : "–";
}

std::string money(double value, const std::string& currency) {
    if (!std::isfinite(value)) return "–";
    return short_number(value) + (currency.empty() ? "" : " " + currency);
}

std::string signed_number(double value, const char* unit) {
    if (!std::isfinite(value)) return "–";
    if (std::fabs(value) < 0.05) value = 0;  // no "-0"
    return format("%+.1f", value) + unit;
}

std::string signed_money(double value, const std::string& currency) {
    if (!std::isfinite(value)) return "–";
    return (value > 0 ? "+" : "") + money(value, currency);
}

bool is_money(const std::string& key) {
    return key.rfind("cost", 0) == 0;
}

// What a difference reads in: days, money or a count.
std::string signed_in_units(const Difference& d, double value, const std::string& currency) {
    if (is_money(d.key)) return signed_money(value, currency);
    if (d.key.find("day") != std::string::npos) return signed_number(value, " d");
    return signed_number(value, "");
}

// The chart pages: a view drawn by the visualizer under a heading and a caption.
void chart_page(PdfDeck& deck, Window& window, const Workspace& w, ViewState& state, View view,
                const std::string& heading, const std::string& text) {
    deck.page(heading);
    deck.paragraph(text, caption);
    deck.skip(4);
    const Image image = draw_slide(window, w, state, view, {false, false});
    deck.image(image, PdfDeck::margin, deck.cursor(), PdfDeck::body_width, deck.room());
}

void title_page(PdfDeck& deck, const ResultsFile& f, const CalendarAxis& dates) {
    deck.page("");
    deck.rectangle(0, 0, PdfDeck::page_width, 10, 0x2c5aa0);
    deck.skip(120);
    deck.text(f.trial_name, PdfDeck::margin, deck.cursor(), {28, true});
    deck.skip(30);
    deck.text("Simulated timeline, sites and cost", PdfDeck::margin, deck.cursor(),
              {16, false, muted});
    deck.skip(44);
    std::string plan = "Plan: " + grouped(f.randomisation_target) + " patients randomised by " +
                       spoken_date(dates, f.plan_target_met_day) + "; trial start " +
                       spoken_date(dates, 0) + ".";
    deck.paragraph(plan, {13, true, ink});
    std::string policies;
    for (std::size_t i = 0; i < f.policies.size(); ++i)
        policies += (i ? ", " : "") + f.policies[i].name + (i == 0 ? " (baseline)" : "");
    deck.paragraph((f.policies.size() > 1 ? "Policies compared: " : "Policy: ") + policies + ".",
                   body);
    deck.skip(18);
    const PdfDeck::Style small{9.5, false, muted};
    deck.paragraph("Simulated with trialtwin " + f.tool_version + " (" + f.engine +
                       " kernel): " + grouped(f.replications) + " replications, seed " +
                       std::to_string(f.seed) + ", on " + f.created_utc + ".",
                   small);
    deck.paragraph("Results file: " + std::filesystem::absolute(f.path).string(), small);
    if (!f.command_line.empty()) deck.paragraph("Command: " + f.command_line, small);
    if (f.observed)
        deck.paragraph("A forecast from the trial's own data as of " + f.observed->as_of_date + ".",
                       small);
}

// A metric key's form of an analysis name: lower case, every character but letters and digits
// as `_` (results/README.md).
std::string metric_name(const std::string& analysis) {
    std::string out;
    for (char c : analysis)
        out += std::isalnum(static_cast<unsigned char>(c))
                   ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                   : '_';
    return out;
}

// One milestone row per policy: median date, P10–P90, P(by its date), how often it was reached.
void milestone(Rows& rows, const ResultsFile& f, const CalendarAxis& dates, const std::string& name,
               const std::string& key, const std::function<double(const Policy&)>& p_by) {
    if (f.policies.size() > 1) rows.push_back({name});
    for (const Policy& p : f.policies) {
        const Metric* m = p.metric(key);
        if (!m) continue;
        rows.push_back({f.policies.size() > 1 ? "   " + p.name : name,
                        spoken_date(dates, m->median),
                        spoken_date(dates, m->p10) + " – " + spoken_date(dates, m->p90),
                        p_by ? probability(p_by(p)) : "–",
                        grouped(m->reached) + " of " + grouped(f.replications)});
    }
}

void headline_page(PdfDeck& deck, const ResultsFile& f, const CalendarAxis& dates) {
    deck.page("When the trial reaches its milestones");
    const Policy& base = f.policies.front();
    if (const Metric* m = base.metric("target_met_day")) {
        deck.paragraph("Under " + base.name + ", the target of " + grouped(f.randomisation_target) +
                           " randomised is met by " + spoken_date(dates, m->median) +
                           " in half of the simulated trials, between " +
                           spoken_date(dates, m->p10) + " and " + spoken_date(dates, m->p90) +
                           " in 8 of 10; the chance of meeting the plan (" +
                           spoken_date(dates, f.plan_target_met_day) + ") is " +
                           probability(base.p_target_met_by_plan) + ".",
                       {12.5, false, ink});
        deck.skip(8);
    }
    Rows rows;
    milestone(rows, f, dates, "First patient in", "first_patient_in_day", nullptr);
    milestone(rows, f, dates, "Target met (" + grouped(f.randomisation_target) + ")",
              "target_met_day", [](const Policy& p) { return p.p_target_met_by_plan; });
    milestone(rows, f, dates, "Last patient last visit", "last_patient_last_visit_day", nullptr);
    std::string readout_note;
    if (base.readout) {
        const Readout& r = *base.readout;
        for (std::size_t a = 0; a < r.analyses.size(); ++a) {
            std::function<double(const Policy&)> p_by;
            if (std::isfinite(r.by_day))
                p_by = [a](const Policy& p) {
                    return p.readout && a < p.readout->p_readout_by.size()
                               ? p.readout->p_readout_by[a]
                               : NAN;
                };
            milestone(rows, f, dates, "Readout: " + r.analyses[a],
                      "analysis_" + metric_name(r.analyses[a]) + "_readout_day", p_by);
        }
        if (std::isfinite(r.by_day))
            readout_note = " For the readouts, P(by plan) is P(read out by " +
                           spoken_date(dates, r.by_day) + "), the date the scenario asks about.";
    }
    deck.table({{"Milestone", 250},
                {"Median", 120, Align::right},
                {"P10 – P90", 230, Align::right},
                {"P(by plan)", 110, Align::right},
                {"Reached in", 130, Align::right}},
               rows, "When the trial reaches its milestones");
    deck.paragraph(
        "Dates are over the simulated trials that reached the milestone within the "
        "horizon; P(by plan) counts the others as late. P10 – P90: 8 in 10 simulated "
        "trials fall between these dates." +
            readout_note,
        caption);
}

void comparison_pages(PdfDeck& deck, Window& window, const Workspace& w, ViewState& state,
                      const ResultsFile& f) {
    const std::string base = f.policies.front().name;
    chart_page(deck, window, w, state, View::compare, "Policies against " + base,
               "Enrollment duration and total cost per policy (box: P25–P75, whiskers: P5–P95, "
               "line: median, dot: mean), and each policy minus " +
                   base + " on the same simulated trials.");
    deck.page("Paired differences against " + base);
    deck.paragraph("Each policy was simulated on the same random draws as " + base +
                       " (same sites' rates, delays and patients), so the differences below are "
                       "paired: mean difference, its 95 % interval, and the middle 90 % of the "
                       "per-trial differences. An interval that excludes 0 is a real effect at "
                       "this number of replications.",
                   caption);
    deck.skip(6);
    Rows rows;
    for (std::size_t i = 1; i < f.policies.size(); ++i) {
        const Policy& p = f.policies[i];
        rows.push_back({p.name + " − " + base});
        for (const Difference& d : p.differences) {
            rows.push_back({"   " + d.label, signed_in_units(d, d.mean, f.currency),
                            signed_in_units(d, d.ci_low, f.currency) + " to " +
                                signed_in_units(d, d.ci_high, f.currency),
                            signed_in_units(d, d.spread.p5, f.currency) + " to " +
                                signed_in_units(d, d.spread.p95, f.currency),
                            grouped(d.pairs)});
        }
    }
    deck.table({{"Outcome", 280},
                {"Mean difference", 140, Align::right},
                {"95 % interval", 190, Align::right},
                {"P5 to P95", 190, Align::right},
                {"Pairs", 80, Align::right}},
               rows, "Paired differences against " + base);
}

struct CostCategory {
    std::string key, label;
    double mean = 0;
};

// The categories the file prices, largest first (of the baseline), named in plain words.
std::vector<CostCategory> cost_categories(const Policy& p) {
    static const std::pair<const char*, const char*> names[] = {
        {"cost_site_staff", "Site staff time"},   {"cost_patient_fees", "Patient fees"},
        {"cost_monitoring", "Monitoring visits"}, {"cost_site_fees", "Site start-up fees"},
        {"cost_kits_used", "Drug kits used"},     {"cost_kits_wasted", "Drug kits wasted"},
        {"cost_shipments", "Shipments"}};
    std::vector<CostCategory> out;
    for (const Metric& m : p.metrics) {
        if (m.key.rfind("cost_", 0) != 0 || m.key == "cost_total") continue;
        std::string label = m.label.empty() ? m.key : m.label;
        for (const auto& [key, name] : names)
            if (m.key == key) label = name;
        out.push_back({m.key, label, std::isfinite(m.mean) ? m.mean : 0});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const CostCategory& a, const CostCategory& b) { return a.mean > b.mean; });
    return out;
}

std::string share(double part, const Metric* total) {
    if (!total || !(total->mean > 0) || !std::isfinite(part)) return "–";
    const double percent = 100 * part / total->mean;
    return percent > 0 && percent < 0.5 ? "< 1 %" : format("%.0f %%", percent);
}

void costs_page(PdfDeck& deck, const ResultsFile& f) {
    const std::string heading =
        "Costs by category (" + (f.currency.empty() ? "" : f.currency) + ")";
    deck.page(heading);
    const std::vector<CostCategory> categories = cost_categories(f.policies.front());
    // One stacked bar per policy: mean cost by category, to scale.
    double largest = 0;
    for (const Policy& p : f.policies)
        if (const Metric* t = p.metric("cost_total")) largest = std::max(largest, t->mean);
    const double label_width = 170, bar_width = PdfDeck::body_width - label_width - 90;
    const std::size_t bars = std::min<std::size_t>(f.policies.size(), 6);
    for (std::size_t i = 0; i < bars && largest > 0; ++i) {
        const Policy& p = f.policies[i];
        const double y = deck.cursor();
        deck.text(p.name, PdfDeck::margin, y + 12, body);
        double x = PdfDeck::margin + label_width;
        for (std::size_t c = 0; c < categories.size(); ++c) {
            const Metric* m = p.metric(categories[c].key);
            if (!m || !(m->mean > 0)) continue;
            const double w = m->mean / largest * bar_width;
            const ImU32 colour = theme::policy(static_cast<int>(c));
            deck.rectangle(
                x, y + 2, w, 14,
                (colour & 0xff) << 16 | (colour >> 8 & 0xff) << 8 | (colour >> 16 & 0xff));
            x += w;
        }
        if (const Metric* t = p.metric("cost_total"))
            deck.text(money(t->mean, ""), x + 6, y + 13, caption);
        deck.skip(22);
    }
    // The legend, in rows that fit the page.
    double x = PdfDeck::margin + label_width;
    for (std::size_t c = 0; c < categories.size(); ++c) {
        const std::string name = categories[c].label;
        const double w = deck.text_width(name, caption) + 26;
        if (x + w > PdfDeck::margin + PdfDeck::body_width) {
            x = PdfDeck::margin + label_width;
            deck.skip(15);
        }
        const ImU32 colour = theme::policy(static_cast<int>(c));
        deck.rectangle(x, deck.cursor() + 2, 10, 10,
                       (colour & 0xff) << 16 | (colour >> 8 & 0xff) << 8 | (colour >> 16 & 0xff));
        deck.text(name, x + 14, deck.cursor() + 11, caption);
        x += w;
    }
    deck.skip(26);
    Rows rows;
    for (const Policy& p : f.policies) {
        const Metric* total = p.metric("cost_total");
        if (f.policies.size() > 1) rows.push_back({p.name});
        for (const CostCategory& c : categories) {
            const Metric* m = p.metric(c.key);
            if (!m) continue;
            rows.push_back({"   " + c.label, money(m->mean, ""), money(m->median, ""),
                            money(m->p10, "") + " – " + money(m->p90, ""), share(m->mean, total)});
        }
        if (total)
            rows.push_back({"   Total", money(total->mean, ""), money(total->median, ""),
                            money(total->p10, "") + " – " + money(total->p90, ""), "100 %"});
    }
    deck.table({{"Category", 300},
                {"Mean", 130, Align::right},
                {"Median", 130, Align::right},
                {"P10 – P90", 200, Align::right},
                {"Share", 100, Align::right}},
               rows, heading, 10);
}

void method_page(PdfDeck& deck, const ResultsFile& f) {
    deck.page("How these numbers were made, and what they leave out");
    const Policy& base = f.policies.front();
    const double n = std::max(1, f.replications);
    const double p = base.p_target_met_by_plan;
    deck.paragraph(
        "trialtwin simulated this trial " + grouped(f.replications) + " times (seed " +
            std::to_string(f.seed) + ", " + f.engine +
            " kernel). Each simulated trial draws its own country approvals, contracting and "
            "site activations, each site's recruitment rate (a Poisson–gamma model: sites differ, "
            "and patients arrive at random at each site), screening and screen failures, "
            "randomisation, every protocol visit in its window, dropout, and the staff, "
            "equipment and drug supply those visits need. A date given as a median is reached in "
            "half of the simulated trials; P10 – P90 is the range holding 8 in 10 of them.",
        body);
    deck.skip(6);
    if (f.policies.size() > 1)
        deck.paragraph(
            "Policies were compared on the same random draws (common random "
            "numbers), so their differences are paired and far more precise than the "
            "spread of either alone.",
            body);
    deck.skip(6);
    deck.text("Caveats", PdfDeck::margin, deck.cursor() + 14, {13, true});
    deck.skip(22);
    std::vector<std::string> caveats;
    if (std::isfinite(p) && f.replications > 0) {
        const stats::ProportionInterval wilson = stats::wilson_95(std::round(p * n), n);
        caveats.push_back("Monte Carlo error: with " + grouped(f.replications) +
                          " simulated trials, P(target met by plan) = " + probability(p) +
                          " could be anywhere from " + probability(wilson.low) + " to " +
                          probability(wilson.high) + " (95 % interval, Wilson).");
    }
    if (f.replications < 200)
        caveats.push_back("Few replications (" + grouped(f.replications) +
                          "): the P10 and P90 dates move noticeably from one seed to another; "
                          "use 1,000 or more for a decision.");
    for (const Policy& pol : f.policies) {
        const Metric* m = pol.metric("target_met_day");
        if (m && m->reached < f.replications)
            caveats.push_back("Under " + pol.name + ", " +
                              std::to_string(f.replications - m->reached) + " of " +
                              grouped(f.replications) +
                              " simulated trials did not reach the target within the simulated "
                              "horizon: their dates are not in the medians and ranges above.");
    }
    caveats.push_back(f.observed
                          ? "Recruitment and start-up were calibrated to the trial's own data as "
                            "of " +
                                f.observed->as_of_date +
                                "; what happens after depends on those rates holding."
                          : "Recruitment rates, start-up delays, dropout and costs are planning "
                            "assumptions (the scenario stored in the results file), not "
                            "observations; the dates are only as good as those assumptions.");
    caveats.push_back(
        "Not simulated unless the scenario says so: protocol amendments, "
        "regulatory holds, competing trials, sites closed for quality reasons, and "
        "shocks that hit every site at once.");
    caveats.push_back(
        "Costs are the categories the scenario prices (site fees, staff time, "
        "patient fees, monitoring, drug and shipments), without overheads.");
    for (const std::string& c : caveats) {
        deck.text("•", PdfDeck::margin + 4, deck.cursor() + 11.5, body);
        deck.paragraph(c, body, PdfDeck::margin + 20, PdfDeck::body_width - 20);
        deck.skip(3);
    }
}

// Every metric the file stores, per policy: what the slides summarise, for the reader who
// asks. The table continues over as many pages as it needs.
void appendix(PdfDeck& deck, const ResultsFile& f) {
    const std::string heading = "Appendix: every stored metric";
    deck.page(heading);
    Rows rows;
    for (const Policy& p : f.policies) {
        if (f.policies.size() > 1) rows.push_back({p.name});
        for (const Metric& m : p.metrics) {
            const bool money_metric = is_money(m.key);
            auto value = [&](double v) {
                return !std::isfinite(v) ? std::string("–")
                       : money_metric    ? money(v, "")
                                         : short_number(v);
            };
            rows.push_back({"   " + (m.label.empty() ? m.key : m.label), value(m.median),
                            value(m.p10) + " – " + value(m.p90), value(m.mean),
                            grouped(m.reached)});
        }
    }
    deck.table({{"Metric", 390},
                {"Median", 110, Align::right},
                {"P10 – P90", 200, Align::right},
                {"Mean", 90, Align::right},
                {"Reached", 90, Align::right}},
               rows, heading, 9.5);
}

}  // namespace

int write_report(const Workspace& w, Window& window, const std::string& out) {
    const ResultsFile& f = w.files.front();
    const CalendarAxis dates(f.start_date);
    PdfDeck deck(out, f.trial_name + " · trialtwin " + f.tool_version + " · " +
                          grouped(f.replications) + " replications, seed " +
                          std::to_string(f.seed) + " · " +
                          std::filesystem::path(f.path).filename().string());
    ViewState state;
    title_page(deck, f, dates);
    headline_page(deck, f, dates);
    chart_page(deck, window, w, state, View::fan, "Enrollment over time",
               "Cumulative patients randomised: the median (line) and the ranges holding 50 % "
               "and 90 % of simulated trials, per policy; the target (solid red) and the plan "
               "date (dashed red).");
    if (f.policies.front().readout)
        chart_page(deck, window, w, state, View::events, "Events towards the readouts",
                   "Cumulative endpoint events with their spread; each analysis' event count and "
                   "its cut-off and readout dates.");
    const Policy& base = f.policies.front();
    int lagging = 0;
    for (const Site& s : base.sites)
        lagging += s.target > 0 && s.randomised_mean < 0.9 * s.target;
    chart_page(deck, window, w, state, View::timeline, "Sites (" + base.name + ")",
               std::to_string(base.sites.size()) +
                   " sites by country: start-up (approval to activation), enrolling, follow-up, "
                   "median over simulated trials. " +
                   std::to_string(lagging) +
                   " sites randomise on average less than 90 % of their target (marked).");
    if (f.policies.size() > 1) comparison_pages(deck, window, w, state, f);
    costs_page(deck, f);
    method_page(deck, f);
    appendix(deck, f);
    deck.finish();
    return deck.pages();
}

}  // namespace viz
