#pragma once
// Drug kits held at one place (central depot, country depot, site), in lots that expire.
// Kits leave first-expiry-first-out; a lot past its expiry day is waste.

#include <boost/container/small_vector.hpp>
#include <vector>

namespace trial {

struct Lot {
    int kits = 0;
    double expiry_day = 0.0;
};

class KitStock {
  public:
    void add(const Lot& lot);
    void add(const std::vector<Lot>& lots) {
        for (const Lot& lot : lots)
            add(lot);
    }
    // Removes lots expired at `day`; returns how many kits that was.
    int remove_expired(double day) {
        return lots_.empty() || lots_.front().expiry_day > day ? 0 : remove_expired_lots(day);
    }
    // Kits usable at `day` (not expired).
    int usable(double day) const {
        return lots_.empty() || lots_.front().expiry_day > day ? total_ : usable_by_lot(day);
    }
    // Takes up to `kits` expiring after `not_before_day`, earliest expiry first.
    std::vector<Lot> take(int kits, double not_before_day);
    // The same, for kits given to patients: only how many were taken.
    int dispense(int kits, double not_before_day) {
        // Usually the first lot is good and has enough: taken from it in place (lots are never
        // empty, so it is the lot take_lots would take them all from).
        if (kits > 0 && !lots_.empty() && lots_.front().expiry_day > not_before_day &&
            lots_.front().kits > kits) {
            lots_.front().kits -= kits;
            total_ -= kits;
            return kits;
        }
        return dispense_from_lots(kits, not_before_day);
    }
    int total() const { return total_; }

  private:
    int usable_by_lot(double day) const;
    int remove_expired_lots(double day);
    int dispense_from_lots(int kits, double not_before_day);

    // Ascending expiry. A place holds a few lots at a time (one per batch in stock): kept in
    // the stock itself, not behind a pointer, since every dispensing reads them.
    boost::container::small_vector<Lot, 4> lots_;
    int total_ = 0;  // kits in all lots: asked for on every dispensing
};

}  // namespace trial
