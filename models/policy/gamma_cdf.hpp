#pragma once
// The Gamma distribution's CDF, as the forecast's lagging-site probability needs it, and the
// cheaper question the anomaly flags ask of it every week for every judged site: does it reach
// a threshold?

namespace trial {

// P(X <= x) for X ~ Gamma(shape, rate).
double gamma_cdf(double shape, double rate, double x);

// Whether gamma_cdf(shape, rate, x) >= p: the same answer, bit for bit, as that comparison.
// For a whole shape (the Erlang case) the CDF is worked out only near the point where it
// crosses p; elsewhere a comparison of rate * x with that point answers. The crossing points
// of each (shape, p) are found once per thread and kept.
bool gamma_cdf_reaches(double shape, double rate, double x, double p);

}  // namespace trial
