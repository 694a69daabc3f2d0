#include "models/scenario/delay.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>
#include <sstream>

namespace trial {

double Delay::sample(sim::Rng& rng) const {
    switch (kind) {
        case Kind::fixed:
            return days;
        case Kind::uniform:
            return boost::random::uniform_real_distribution<double>(min_days, max_days)(rng);
        case Kind::triangular:
            return boost::random::triangle_distribution<double>(min_days, mode_days, max_days)(rng);
        case Kind::lognormal:
            // Boost's lognormal takes the mean and s.d. of the underlying normal.
            return boost::random::lognormal_distribution<double>(std::log(median_days), sigma)(rng);
        case Kind::gamma:
            return boost::random::gamma_distribution<double>(shape, mean_days / shape)(rng);
        case Kind::exponential:
            return boost::random::exponential_distribution<double>(1.0 / mean_days)(rng);
    }
    return days;
}

double Delay::mean() const {
    switch (kind) {
        case Kind::fixed:
            return days;
        case Kind::uniform:
            return 0.5 * (min_days + max_days);
        case Kind::triangular:
            return (min_days + mode_days + max_days) / 3.0;
        case Kind::lognormal:
            return median_days * std::exp(0.5 * sigma * sigma);
        case Kind::gamma:
        case Kind::exponential:
            return mean_days;
    }
    return days;
}

std::string Delay::describe() const {
    std::ostringstream out;
    switch (kind) {
        case Kind::fixed:
            out << days << " d";
            break;
        case Kind::uniform:
            out << "uniform " << min_days << "-" << max_days << " d";
            break;
        case Kind::triangular:
            out << "triangular " << min_days << "/" << mode_days << "/" << max_days << " d";
            break;
        case Kind::lognormal:
            out << "lognormal median " << median_days << " d, sigma " << sigma;
            break;
        case Kind::gamma:
            out << "gamma mean " << mean_days << " d, shape " << shape;
            break;
        case Kind::exponential:
            out << "exponential mean " << mean_days << " d";
            break;
    }
    return out.str();
}

}  // namespace trial
