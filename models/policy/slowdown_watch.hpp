#pragma once
// A site whose own recruitment has slowed down: a CUSUM test on its arrivals, epoch by epoch,
// against its own history (Page 1954; the Poisson form as in Lucas 1985). The reference rate λ0
// is the site's rate over all its recruiting time except the most recent `lag` epochs (so that
// a drop does not at once pull its own reference down), and at least its first `burn_in`
// epochs; the test looks for a drop to `ratio` × λ0. Each epoch with x arrivals in exposure e
// (days, weighted by the effort multiplier, so that a policy's change of effort is not a
// slowdown) adds x·ln(ratio) + (1 − ratio)·λ0·e to S = max(0, ...); S reaching `threshold`
// flags the site, once.
//
// Calibrated (tests/models/policy/slowdown_test.cpp, weekly epochs, threshold 9): on sites of
// constant rate from 0.05 to 1 patient a day, at most 5 % are flagged over 150 weeks; a site
// of 1 a day whose rate halves is flagged within 16 weeks in at least 90 % of cases (0.3 a day:
// half within 26 weeks). Slower sites carry too little information to tell a halving sooner:
// at 0.05 a day (one patient every three weeks) a halving is not told apart within a trial.

#include <cstddef>
#include <vector>

namespace trial {

struct SlowdownSettings {
    double ratio = 0.5;      // the drop looked for: to this share of the site's own rate
    double threshold = 9.0;  // h: S at which the site is flagged
    int burn_in = 8;         // epochs of recruiting before the test starts
    int lag = 13;            // most recent epochs kept out of the reference
};

class SlowdownWatch {
  public:
    explicit SlowdownWatch(const SlowdownSettings& settings = {});

    // One epoch of recruiting: `arrivals` patients in `exposure_days`. True the first time the
    // site is flagged.
    bool observe(int arrivals, double exposure_days);

    bool flagged() const { return flagged_; }
    double statistic() const { return s_; }
    // The site's rate over the recent epochs as a share of its reference rate.
    double recent_share() const;

  private:
    struct Epoch {
        int arrivals;
        double exposure_days;
    };
    SlowdownSettings settings_;
    double log_ratio_ = 0;  // ln(ratio), once: the watch runs for every site every epoch
    // The last `lag` epochs, not yet in the reference: a ring of `lag` entries, the oldest at
    // `oldest_` once it is full.
    std::vector<Epoch> recent_;
    std::size_t oldest_ = 0;
    int epochs_ = 0;
    double reference_arrivals_ = 0, reference_exposure_ = 0;
    double s_ = 0;
    bool flagged_ = false;
};

}  // namespace trial
