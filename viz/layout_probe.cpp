#include "viz/layout_probe.hpp"

#include <cmath>
#include <cstdio>

namespace viz::probe {
namespace {
bool on = false;
std::vector<Note> all;
}  // namespace

void enable(bool enabled) {
    on = enabled;
}
bool enabled() {
    return on;
}
void clear() {
    all.clear();
}
void note(std::string name, std::vector<double> values) {
    if (on) all.push_back({std::move(name), std::move(values)});
}
const std::vector<Note>& notes() {
    return all;
}

std::string to_json() {
    std::string out = "{\n";
    for (std::size_t i = 0; i < all.size(); ++i) {
        out += "  \"";
        for (char c : all[i].name)
            out += (c == '"' || c == '\\') ? '_' : c;
        out += "\": [";
        for (std::size_t k = 0; k < all[i].values.size(); ++k) {
            char number[40];
            const double v = all[i].values[k];
            std::snprintf(number, sizeof number, "%.17g", v);
            out += (k ? ", " : "") + std::string(std::isfinite(v) ? number : "null");
        }
        out += i + 1 < all.size() ? "],\n" : "]\n";
    }
    return out + "}\n";
}

}  // namespace viz::probe
