#pragma once
// One endpoint as the trial runs: the events to come (each randomised patient's, known at
// randomisation unless censored first, in order of day), the events counted so far by arm,
// and each randomised patient's time at risk, from which an analysis counts who is still at
// risk at its cut-off.

#include <functional>
#include <queue>
#include <vector>

#include "models/trial/recorder.hpp"
#include "sim/sim.hpp"

namespace trial {

struct EndpointState {
    EndpointState(sim::Simulation& sim, int arms) : events_by_arm(arms, 0), sooner(sim) {}

    struct Coming {
        double day;
        int arm;
        VisitRef patient;
        bool operator>(const Coming& other) const {
            if (day != other.day) return day > other.day;
            if (arm != other.arm) return arm > other.arm;
            if (patient.site != other.patient.site) return patient.site > other.patient.site;
            return patient.patient > other.patient.patient;
        }
    };
    // Adds a patient's event to come; wakes the clock if it comes before what it waits for.
    void expect(double day, int arm, const VisitRef& patient) {
        const bool first = coming.empty() || day < coming.top().day;
        coming.push({day, arm, patient});
        if (first) sooner.notify();
    }

    std::priority_queue<Coming, std::vector<Coming>, std::greater<>> coming;
    int events = 0;
    std::vector<int> events_by_arm;
    sim::Broadcast sooner;  // an event sooner than the one the clock waits for

    // Each randomised patient's days at risk: from randomisation until the event or censoring
    // (dropout, loss to follow-up; sim::forever if neither comes).
    struct AtRisk {
        double randomised_day;
        double until_day;
        int arm;
    };
    std::vector<AtRisk> followed;
};

}  // namespace trial
