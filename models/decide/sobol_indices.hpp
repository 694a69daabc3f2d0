#pragma once
// Global, variance-based sensitivity: how much of an outcome's variance each input explains
// alone (first-order index S) and with all its interactions (total index ST), estimated on a
// quasi-random design (Saltelli et al. 2010): two N × k matrices A and B from one Sobol
// sequence of dimension 2k (Boost.Random), and for each input i the matrix A with column i
// from B. First-order by Saltelli's estimator (2010, eq. b; f(B) centred on the sample mean),
// total by Jansen's (1999), each with a bootstrap interval over the N rows.

#include <cstdint>
#include <span>
#include <vector>

namespace decide {

// The N(k + 2) points to evaluate, in the unit cube [0, 1)^k, in the order the estimators
// read them: A's rows, B's rows, then for each input i the rows of A with column i from B.
std::vector<std::vector<double>> saltelli_points(int inputs, int base_points);

struct Index {
    double value = 0, low = 0, high = 0;  // estimate and its 95 % bootstrap interval
};

struct SobolIndices {
    std::vector<Index> first, total;  // per input
    double mean = 0, variance = 0;    // of the outcome over A and B
};

// The indices from the outputs at saltelli_points(inputs, base_points), in that order.
// `bootstrap` resamples of the rows (seeded: the same intervals every time). An outcome that
// does not vary at all explains nothing: every index is 0.
SobolIndices sobol_indices(std::span<const double> outputs, int inputs, int base_points,
                           int bootstrap, std::uint64_t seed);

}  // namespace decide
