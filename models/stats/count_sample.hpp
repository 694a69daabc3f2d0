#pragma once
// Whole counts (never NaN) gathered one at a time, for their quantiles at the end, without
// keeping each one: while they are few, as they came; once there are more of them than the
// values they span, as how many times each value came (a week's cumulative events over 10,000
// replications span a few hundred values). Either way, the quantiles are quantiles_of_counts'
// of the same counts, bit for bit, in whatever order they were added.

#include <cstdint>
#include <span>
#include <vector>

namespace stats {

class CountSample {
  public:
    void add(std::int32_t value, std::int32_t times = 1) {
        // Inline for the usual case, a value the tally already spans (a replication adds one a
        // week for each series).
        const std::int64_t at = std::int64_t{value} - lowest_;
        if (times > 0 && at >= 0 && at < static_cast<std::int64_t>(tally_.size())) {
            tally_[static_cast<std::size_t>(at)] += times;
            size_ += times;
            return;
        }
        add_outside(value, times);
    }
    void add(const CountSample& other);
    std::int64_t size() const { return size_; }
    // Linear between order statistics (type 7), as quantiles_of_counts; NaN when empty.
    std::vector<double> quantiles(std::span<const double> ps) const;

    // The same counts however they were added: each value that came, ascending, and how many
    // times (to send a sample elsewhere and rebuild it with add(value, times)).
    struct Tallied {
        std::vector<std::int32_t> values;
        std::vector<std::int32_t> times;
    };
    Tallied tallied() const;

  private:
    void add_outside(std::int32_t value, std::int32_t times);
    void tally_when_dense();
    void widen_to(std::int32_t value);

    // How many values [lowest, highest] and the tally span together.
    std::int64_t span_with(std::int64_t lowest, std::int64_t highest) const;

    std::vector<std::int32_t> listed_;  // as they came
    std::int32_t lowest_ = 0;           // tally_[i]: how many times lowest_ + i came
    std::vector<std::int32_t> tally_;
    std::int64_t size_ = 0;
    std::size_t tally_check_at_ = 64;  // the list's length at which to look at tallying it
};

}  // namespace stats
