// The slowdown watch (models/policy/slowdown_watch.hpp) on simulated weekly Poisson arrivals,
// fixed seed: its false-alarm rate on sites whose rate never changes, and how soon it flags a
// site whose rate halves. 2,000 sites a case: a share's Monte Carlo s.e. is at most 0.7 %.

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/poisson_distribution.hpp>
#include <catch2/catch.hpp>
#include <vector>

#include "models/policy/slowdown_watch.hpp"

namespace {

constexpr int sites = 2000;
constexpr int weeks = 150;

// The week each site is first flagged (-1: never), its rate `rate` a day until `change_week`
// and rate × `after` from then on.
std::vector<int> flag_weeks(double rate, int change_week, double after, std::uint64_t seed) {
    boost::random::mt19937_64 rng(seed);
    std::vector<int> flagged(sites, -1);
    for (int s = 0; s < sites; ++s) {
        trial::SlowdownWatch watch;
        for (int w = 0; w < weeks; ++w) {
            const double mean = 7 * rate * (w >= change_week ? after : 1.0);
            const int arrivals = boost::random::poisson_distribution<int>(mean)(rng);
            if (watch.observe(arrivals, 7.0)) flagged[s] = w;
        }
    }
    return flagged;
}

double share(const std::vector<int>& flagged, int from, int to) {
    int n = 0;
    for (int w : flagged)
        n += w >= from && w < to;
    return double(n) / flagged.size();
}

}  // namespace

TEST_CASE("slowdown watch: at most 5 % false alarms over 150 weeks at constant rates",
          "[slowdown][statistical]") {
    std::uint64_t seed = 11;
    for (double rate : {0.05, 0.15, 0.3, 1.0}) {
        const std::vector<int> flagged = flag_weeks(rate, weeks, 1.0, seed++);
        INFO("rate " << rate << " a day: " << share(flagged, 0, weeks) << " flagged");
        CHECK(share(flagged, 0, weeks) <= 0.05);
    }
}

TEST_CASE("slowdown watch: a site of 1 a day whose rate halves is flagged within 16 weeks",
          "[slowdown][statistical]") {
    const int change = 40;
    const std::vector<int> fast = flag_weeks(1.0, change, 0.5, 21);
    INFO("flagged before the change "
         << share(fast, 0, change) << ", within 8, 12, 16 weeks " << share(fast, change, change + 8)
         << ", " << share(fast, change, change + 12) << ", " << share(fast, change, change + 16));
    CHECK(share(fast, change, change + 16) >= 0.90);
    CHECK(share(fast, 0, change) <= 0.05);
    // 0.3 a day: half are flagged within 26 weeks (the information comes slower).
    const std::vector<int> slower = flag_weeks(0.3, change, 0.5, 22);
    INFO("0.3 a day: within 26 weeks " << share(slower, change, change + 26));
    CHECK(share(slower, change, change + 26) >= 0.5);
    // A rate that holds is not taken for one that fell: a third more is never flagged more
    // often than the constant rate.
    CHECK(share(flag_weeks(1.0, change, 1.33, 23), 0, weeks) <= 0.05);
}

TEST_CASE("slowdown watch: exposure, not calendar time", "[slowdown]") {
    // Half the effort (multiplier 0.5: half the exposure) and half the arrivals is no slowdown.
    trial::SlowdownWatch watch;
    for (int w = 0; w < 100; ++w)
        CHECK_FALSE(watch.observe(w < 30 ? 7 : 3 + (w % 2), w < 30 ? 7.0 : 3.5));
    // No exposure (not recruiting): nothing observed.
    CHECK_FALSE(watch.observe(0, 0.0));
    // A site that stops recruiting anyone is flagged.
    bool flagged = false;
    for (int w = 0; w < 20 && !flagged; ++w)
        flagged = watch.observe(0, 7.0);
    CHECK(flagged);
    CHECK(watch.recent_share() < 1.0);
}
