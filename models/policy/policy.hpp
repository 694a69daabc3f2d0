#pragma once
// A policy runs the trial between the protocol's lines: at each decision epoch it looks at the
// trial as a sponsor's operations team would (what each site has done so far, who is staffed
// where, what is booked) and acts through a small set of levers. It never sees the World, the
// kernel or the true recruitment rates: only what a real team could observe.
//
// Built-in allocation policies (registry.cpp): static, proportional, adaptive. A new one is a
// class deriving from AllocationPolicy plus one register_allocation_policy() call.

#include "models/policy/forecast.hpp"
#include "models/policy/trial_view.hpp"

namespace trial {

// The levers. Changes of staff hours take effect from the site's next local day.
class TrialControl {
  public:
    virtual ~TrialControl() = default;
    virtual void set_staff_hours(int site, int group, double hours_per_day) = 0;
    virtual void open_backup_site(int site) = 0;
    // Closes a site to new patients; those already in the trial carry on.
    virtual void close_site(int site) = 0;
};

// What a policy reads of the trial and may change, so that each epoch works out only that.
struct ObservationNeeds {
    // Whether decide() reads the view and forecast at all. False (a policy that never acts):
    // only what the anomaly flags need is worked out, for the sites that can raise them, and
    // decide() gets a view and forecast that are not filled in.
    bool trial = true;
    // Whether it reads StaffView::booked_peak_ahead (worked out only for those that do).
    bool bookings_ahead = true;
    // Whether it may change staff hours (and so recruitment rates); false lets a site stop
    // recruiting as soon as no patient can come before it closes.
    bool changes_effort = true;
};

class AllocationPolicy {
  public:
    virtual ~AllocationPolicy() = default;
    // Called at every decision epoch while the trial runs.
    virtual void decide(const TrialView& trial, const TrialForecast& forecast,
                        TrialControl& control) = 0;
    virtual ObservationNeeds needs() const { return {}; }
};

}  // namespace trial
