#include "models/trial/kit_stock.hpp"

#include <algorithm>

namespace trial {

void KitStock::add(const Lot& lot) {
    if (lot.kits <= 0) return;
    total_ += lot.kits;
    auto at = std::upper_bound(lots_.begin(), lots_.end(), lot.expiry_day,
                               [](double day, const Lot& l) { return day < l.expiry_day; });
    if (at != lots_.begin() && std::prev(at)->expiry_day == lot.expiry_day) {
        std::prev(at)->kits += lot.kits;
    } else {
        lots_.insert(at, lot);
    }
}

int KitStock::remove_expired_lots(double day) {
    int expired = 0;
    auto first_good = lots_.begin();
    while (first_good != lots_.end() && first_good->expiry_day <= day) {
        expired += first_good->kits;
        ++first_good;
    }
    lots_.erase(lots_.begin(), first_good);
    total_ -= expired;
    return expired;
}

int KitStock::usable_by_lot(double day) const {
    int kits = 0;
    for (const Lot& lot : lots_) {
        if (lot.expiry_day > day) kits += lot.kits;
    }
    return kits;
}

namespace {

template <class Lots, class Taken>
int take_lots(Lots& lots, int kits, double not_before_day, Taken&& taken) {
    int took = 0;
    for (Lot& lot : lots) {
        if (kits == 0) break;
        if (lot.expiry_day <= not_before_day || lot.kits == 0) continue;
        const int n = std::min(kits, lot.kits);
        lot.kits -= n;
        kits -= n;
        took += n;
        taken(Lot{n, lot.expiry_day});
    }
    lots.erase(
        std::remove_if(lots.begin(), lots.end(), [](const Lot& lot) { return lot.kits == 0; }),
        lots.end());
    return took;
}

}  // namespace

std::vector<Lot> KitStock::take(int kits, double not_before_day) {
    std::vector<Lot> taken;
    total_ -= take_lots(lots_, kits, not_before_day, [&](const Lot& lot) { taken.push_back(lot); });
    return taken;
}

int KitStock::dispense_from_lots(int kits, double not_before_day) {
    const int took = take_lots(lots_, kits, not_before_day, [](const Lot&) {});
    total_ -= took;
    return took;
}

}  // namespace trial
