#include "models/trial/sample_delay.hpp"

#include <boost/random/exponential_distribution.hpp>
#include <boost/random/gamma_distribution.hpp>
#include <boost/random/lognormal_distribution.hpp>
#include <boost/random/triangle_distribution.hpp>
#include <boost/random/uniform_real_distribution.hpp>
#include <cmath>

namespace trial {

double sample(const Delay& delay, sim::Rng& rng) {
    switch (delay.kind) {
        case Delay::Kind::fixed:
            return delay.days;
        case Delay::Kind::uniform:
            // Boost draws until the value is below max: with min == max, for ever (fuzzing
            // found it). Such a delay is the fixed one.
            if (!(delay.min_days < delay.max_days)) return delay.min_days;
            return boost::random::uniform_real_distribution<double>(delay.min_days,
                                                                    delay.max_days)(rng);
        case Delay::Kind::triangular:
            return boost::random::triangle_distribution<double>(delay.min_days, delay.mode_days,
                                                                delay.max_days)(rng);
        case Delay::Kind::lognormal:
            // Boost's lognormal takes the mean and s.d. of the underlying normal.
            return boost::random::lognormal_distribution<double>(std::log(delay.median_days),
                                                                 delay.sigma)(rng);
        case Delay::Kind::gamma:
            return boost::random::gamma_distribution<double>(delay.shape,
                                                             delay.mean_days / delay.shape)(rng);
        case Delay::Kind::exponential:
            return boost::random::exponential_distribution<double>(1.0 / delay.mean_days)(rng);
    }
    return delay.days;
}

}  // namespace trial
