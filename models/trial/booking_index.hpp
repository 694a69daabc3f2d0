#pragma once
// Which of a site's staff groups and machines can serve each need of each protocol visit,
// worked out at the visit's first booking there, so that booking (booking.cpp) compares
// indices, not role names and credentials.
//
// Laid out for speed, and only booking reads it: booking is bound by memory latency, so each
// visit's entry is one piece (no vectors of vectors) aligned to a cache line, and the usual
// visit — every need with one staff group or machine of its own — also keeps its needs, with
// that group or machine, in the entry's first line ("direct" needs).

#include <array>
#include <boost/container/small_vector.hpp>
#include <cstdint>
#include <vector>

#include "models/scenario/scenario.hpp"

namespace trial {

struct SiteState;

struct alignas(64) VisitResources {
    struct Need {
        std::int32_t amount;  // staff seconds, or machine slots
        int first;            // candidates[first .. first + count)
        int count;
    };
    struct DirectNeed {
        std::int32_t amount;
        std::int32_t index;  // in the site's staff or equipment
    };
    static constexpr std::size_t max_direct_needs = 6;

    const VisitSpec* visit = nullptr;
    // Every need has one candidate, and no staff group or machine serves two of them: a day
    // fits when each has room, and is booked by adding to each.
    bool direct = false;
    std::uint8_t direct_staff = 0;     // direct_needs[0 .. direct_staff): staff groups
    std::uint8_t direct_machines = 0;  // then as many machines
    std::array<DirectNeed, max_direct_needs> direct_needs{};

    boost::container::small_vector<Need, 4> staff;     // per StaffNeed: staff group indices
    boost::container::small_vector<Need, 2> machines;  // per EquipmentNeed: machine indices
    boost::container::small_vector<int, 8> candidates;
    bool shared_groups = false;  // some staff group can serve two of the needs
};

class BookingIndex {
  public:
    // The visit's entry at `site`, worked out on first use.
    const VisitResources& resources_for(const SiteState& site, const VisitSpec& visit) {
        const std::size_t at = slot_of(site, visit);
        if (at < by_slot_.size() && by_slot_[at].visit) return by_slot_[at];
        return work_out(site, at, visit);
    }

  private:
    // Where a visit stands in the protocol: 0 screening, 1 + i the i-th visit, then the
    // follow-up contact.
    static std::size_t slot_of(const SiteState& site, const VisitSpec& visit);
    const VisitResources& work_out(const SiteState& site, std::size_t at, const VisitSpec& visit);

    std::vector<VisitResources> by_slot_;
};

}  // namespace trial
