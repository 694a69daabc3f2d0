#pragma once
// Test helper: two lists of numbers equal bit for bit, NaN (never reached) equal to NaN.

#include <cmath>
#include <vector>

namespace test {

inline bool same_numbers(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
    }
    return true;
}

}  // namespace test
