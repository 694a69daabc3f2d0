#include "models/trial/booking_index.hpp"

#include <stdexcept>

#include "models/trial/world.hpp"

namespace trial {

std::size_t BookingIndex::slot_of(const SiteState& site, const VisitSpec& visit) {
    const Protocol& protocol = *site.protocol;
    if (&visit == &protocol.screening) return 0;
    if (protocol.follow_up && &visit == &*protocol.follow_up) return 1 + protocol.visits.size();
    const VisitSpec* const first = protocol.visits.data();
    if (&visit < first || &visit >= first + protocol.visits.size())
        throw std::logic_error("trial: booking a visit that is not in the protocol");
    return 1 + static_cast<std::size_t>(&visit - first);
}

const VisitResources& BookingIndex::work_out(const SiteState& site, std::size_t at,
                                             const VisitSpec& visit) {
    if (by_slot_.empty()) by_slot_.resize(2 + site.protocol->visits.size());
    VisitResources& found = by_slot_[at];
    found.visit = &visit;
    const auto& staff = site.staff;
    std::vector<int> served_by(staff.size(), 0);
    for (const StaffNeed& need : visit.staff) {
        const int first = static_cast<int>(found.candidates.size());
        for (std::size_t g = 0; g < staff.size(); ++g) {
            if (staff[g].spec->role == need.role && staff[g].has_credential(need.credential)) {
                found.candidates.push_back(static_cast<int>(g));
                found.shared_groups = found.shared_groups || ++served_by[g] > 1;
            }
        }
        found.staff.push_back(
            {staff_seconds(need.hours), first, static_cast<int>(found.candidates.size()) - first});
    }
    for (const EquipmentNeed& need : visit.equipment) {
        const int first = static_cast<int>(found.candidates.size());
        for (std::size_t m = 0; m < site.equipment.size(); ++m) {
            if (site.equipment[m].kind() == need.kind)
                found.candidates.push_back(static_cast<int>(m));
        }
        found.machines.push_back(
            {need.slots, first, static_cast<int>(found.candidates.size()) - first});
    }
    found.direct = !found.shared_groups;
    for (const VisitResources::Need& need : found.staff)
        found.direct = found.direct && need.count == 1;
    for (std::size_t n = 0; n < found.machines.size(); ++n) {
        const VisitResources::Need& need = found.machines[n];
        found.direct = found.direct && need.count == 1;
        for (std::size_t j = 0; j < n && found.direct; ++j) {
            found.direct =
                found.candidates[found.machines[j].first] != found.candidates[need.first];
        }
    }
    found.direct = found.direct &&
                   found.staff.size() + found.machines.size() <= VisitResources::max_direct_needs;
    if (found.direct) {
        std::size_t k = 0;
        for (const VisitResources::Need& need : found.staff)
            found.direct_needs[k++] = {need.amount, found.candidates[need.first]};
        for (const VisitResources::Need& need : found.machines)
            found.direct_needs[k++] = {need.amount, found.candidates[need.first]};
        found.direct_staff = static_cast<std::uint8_t>(found.staff.size());
        found.direct_machines = static_cast<std::uint8_t>(found.machines.size());
    }
    return found;
}

}  // namespace trial
