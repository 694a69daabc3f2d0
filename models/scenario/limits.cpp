#include "models/scenario/limits.hpp"

#include <cstdio>

namespace trial {
namespace {

std::string number_text(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.10g", v);
    return text;
}

}  // namespace

std::string Range::requirement() const {
    const std::string low = number_text(least), high = number_text(most);
    if (!above_least && !below_most) return "must be between " + low + " and " + high;
    return std::string("must be ") + (above_least ? "> " : ">= ") + low + " and " +
           (below_most ? "< " : "<= ") + high;
}

}  // namespace trial
