#include "viz/calendar_axis.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>

namespace viz {
namespace {

using namespace std::chrono;

sys_days to_date(int days_since_epoch) {
    return sys_days{days{days_since_epoch}};
}

}  // namespace

CalendarAxis::CalendarAxis(const std::string& start) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(start.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return;
    const year_month_day date{year{y}, month{m}, day{d}};
    if (!date.ok()) return;
    start_days_ = static_cast<int>(sys_days{date}.time_since_epoch().count());
    valid_ = true;
}

std::string CalendarAxis::date(double day_number) const {
    char text[32];
    if (!valid_ || !std::isfinite(day_number)) {
        std::snprintf(text, sizeof text, "day %.0f", day_number);
        return text;
    }
    const year_month_day ymd{to_date(start_days_ + static_cast<int>(std::floor(day_number)))};
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", int(ymd.year()), unsigned(ymd.month()),
                  unsigned(ymd.day()));
    return text;
}

std::vector<CalendarAxis::Tick> CalendarAxis::ticks(double lo, double hi, int wanted) const {
    std::vector<Tick> out;
    if (!(hi > lo) || wanted < 1) return out;
    if (!valid_) {
        for (double v : nice_ticks(lo, hi, wanted)) {
            char text[32];
            std::snprintf(text, sizeof text, "day %.0f", v);
            out.push_back({v, text});
        }
        return out;
    }
    // Months between ticks: the smallest of 1, 2, 3, 6, 12, 24 … giving at most `wanted`.
    const double span_months = (hi - lo) / 30.44;
    int step = 1;
    for (int s : {1, 2, 3, 6, 12, 24, 60, 120}) {
        step = s;
        if (span_months / s <= wanted) break;
    }
    static const char* names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const year_month_day first{to_date(start_days_ + static_cast<int>(std::floor(lo)))};
    int y = int(first.year());
    int m = static_cast<int>(unsigned(first.month())) - 1;  // 0-based
    m -= m % step;  // align to the step (quarters start in Jan, Apr, …)
    if (step >= 12) m = 0, y -= y % (step / 12);
    for (int guard = 0; guard < 1000; ++guard) {
        const year_month_day tick{year{y}, month{unsigned(m + 1)}, day{1}};
        const double at = double(sys_days{tick}.time_since_epoch().count() - start_days_);
        if (at > hi) break;
        if (at >= lo) {
            char text[32];
            if (step >= 12) {
                std::snprintf(text, sizeof text, "%d", y);
            } else {
                std::snprintf(text, sizeof text, "%s %d", names[m], y);
            }
            out.push_back({at, text});
        }
        m += step;
        y += m / 12;
        m %= 12;
    }
    return out;
}

std::vector<double> nice_ticks(double lo, double hi, int wanted) {
    std::vector<double> out;
    if (!(hi > lo) || wanted < 1 || !std::isfinite(lo) || !std::isfinite(hi)) return out;
    const double raw = (hi - lo) / wanted;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    double step = magnitude;
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = f * magnitude;
        if (step >= raw) break;
    }
    // Integer multiples of the step (no drift from adding it up).
    for (double k = std::ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; ++k)
        out.push_back(k == 0 ? 0.0 : k * step);
    return out;
}

std::string short_number(double value) {
    char text[32];
    const double a = std::abs(value);
    if (!std::isfinite(value)) return "–";
    if (a >= 1e9) {
        std::snprintf(text, sizeof text, "%.2f bn", value / 1e9);
    } else if (a >= 1e6) {
        std::snprintf(text, sizeof text, "%.2f M", value / 1e6);
    } else if (a >= 1e4) {
        std::snprintf(text, sizeof text, "%.1f k", value / 1e3);
    } else if (a >= 100 || value == std::floor(value)) {
        std::snprintf(text, sizeof text, "%.0f", value);
    } else {
        std::snprintf(text, sizeof text, "%.3g", value);
    }
    return text;
}

}  // namespace viz
