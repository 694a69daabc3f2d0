#include "models/stats/count_sample.hpp"

#include <algorithm>
#include <cmath>

#include "models/stats/quantiles.hpp"

namespace stats {

std::int64_t CountSample::span_with(std::int64_t lowest, std::int64_t highest) const {
    if (!tally_.empty()) {
        lowest = std::min<std::int64_t>(lowest, lowest_);
        highest =
            std::max<std::int64_t>(highest, lowest_ + static_cast<std::int64_t>(tally_.size()) - 1);
    }
    return highest - lowest + 1;
}

// A value outside the tally (or before there is one): into the tally if, widened, it would
// span no more than 4 values a count; else listed. (Either way memory stays in proportion to
// the counts: a few far-off values never make a tally of billions.)
void CountSample::add_outside(std::int32_t value, std::int32_t times) {
    if (times <= 0) return;
    size_ += times;
    if (times > 1 && span_with(value, value) <= 4 * size_) {
        widen_to(value);
        tally_[static_cast<std::size_t>(std::int64_t{value} - lowest_)] += times;
        return;
    }
    listed_.insert(listed_.end(), static_cast<std::size_t>(times), value);
    // Looked at each time the list doubles: amortised, one pass over what was listed.
    if (listed_.size() >= tally_check_at_) {
        tally_when_dense();
        tally_check_at_ = std::max<std::size_t>(64, 2 * listed_.size());
    }
}

void CountSample::add(const CountSample& other) {
    for (std::size_t i = 0; i < other.tally_.size(); ++i)
        add(static_cast<std::int32_t>(other.lowest_ + static_cast<std::int64_t>(i)),
            other.tally_[i]);
    for (std::int32_t value : other.listed_)
        add(value);
}

// Counts the listed values into the tally once they are at least as many as the values the
// two span together (the tally is then no bigger than the list was).
void CountSample::tally_when_dense() {
    const auto [low, high] = std::minmax_element(listed_.begin(), listed_.end());
    if (span_with(*low, *high) > size_) return;
    widen_to(*low);
    widen_to(*high);
    for (std::int32_t value : listed_)
        ++tally_[static_cast<std::size_t>(std::int64_t{value} - lowest_)];
    std::vector<std::int32_t>().swap(listed_);
}

void CountSample::widen_to(std::int32_t value) {
    if (tally_.empty()) {
        lowest_ = value;
        tally_.assign(1, 0);
    } else if (value < lowest_) {
        tally_.insert(tally_.begin(), static_cast<std::size_t>(std::int64_t{lowest_} - value), 0);
        lowest_ = value;
    } else if (std::int64_t{value} - lowest_ >= static_cast<std::int64_t>(tally_.size())) {
        tally_.resize(static_cast<std::size_t>(std::int64_t{value} - lowest_ + 1), 0);
    }
}

std::vector<double> CountSample::quantiles(std::span<const double> ps) const {
    if (tally_.empty()) return quantiles_of_counts(listed_, ps);
    if (listed_.empty()) return quantiles_of_tally(lowest_, tally_, ps);
    const auto [low, high] = std::minmax_element(listed_.begin(), listed_.end());
    if (span_with(*low, *high) > 4 * size_) {
        // Far-off values beside the tally: every count, listed (as quantiles_of_counts would
        // sort them).
        std::vector<std::int32_t> all = listed_;
        for (std::size_t i = 0; i < tally_.size(); ++i)
            all.insert(all.end(), static_cast<std::size_t>(tally_[i]),
                       static_cast<std::int32_t>(lowest_ + static_cast<std::int64_t>(i)));
        return quantiles_of_counts(all, ps);
    }
    CountSample together = *this;
    together.widen_to(*low);
    together.widen_to(*high);
    for (std::int32_t value : listed_)
        ++together.tally_[static_cast<std::size_t>(std::int64_t{value} - together.lowest_)];
    return quantiles_of_tally(together.lowest_, together.tally_, ps);
}

CountSample::Tallied CountSample::tallied() const {
    std::vector<std::int32_t> listed = listed_;
    std::sort(listed.begin(), listed.end());
    Tallied t;
    auto put = [&t](std::int32_t value, std::int32_t times) {
        if (!t.values.empty() && t.values.back() == value) {
            t.times.back() += times;
        } else {
            t.values.push_back(value);
            t.times.push_back(times);
        }
    };
    // The tally's values and the sorted list's, merged in ascending order.
    std::size_t l = 0;
    for (std::size_t i = 0; i < tally_.size(); ++i) {
        const auto value = static_cast<std::int32_t>(lowest_ + static_cast<std::int64_t>(i));
        for (; l < listed.size() && listed[l] < value; ++l)
            put(listed[l], 1);
        if (tally_[i] > 0) put(value, tally_[i]);
    }
    for (; l < listed.size(); ++l)
        put(listed[l], 1);
    return t;
}

}  // namespace stats
