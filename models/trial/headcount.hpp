#pragma once
// Where a site's patients stand. Every change of a patient's status goes through one of these
// calls (the pathway in patient.cpp, World::randomise), so that the counts the decision
// epochs, the CRA monitors, the kit forecast and the summary read cannot drift apart.

namespace trial {

class Headcount {
  public:
    int arrived() const { return arrived_; }  // presented for screening, ever
    int awaiting_randomisation() const { return awaiting_randomisation_; }
    int screened() const { return screened_; }
    int randomised() const { return randomised_; }
    int on_treatment() const { return on_treatment_; }  // randomised, still due kits
    int in_pathway() const { return in_pathway_; }      // arrived, and not yet done

    // A running trial's as-of state: what was observed counts as happened. A patient still
    // screening on the as-of day arrives again in the simulation (withdraw_arrival, then
    // presents).
    void observed(int arrived, int randomised) {
        arrived_ = arrived;
        randomised_ = randomised;
    }
    void withdraw_arrival() { --arrived_; }

    void presents() {
        ++in_pathway_;
        ++arrived_;
        ++awaiting_randomisation_;
    }
    void screened_in_time() { ++screened_; }
    // Screen failure, or could not be screened in its window.
    void not_randomised() { --awaiting_randomisation_; }
    // Randomised; on treatment if the protocol doses.
    void randomised_now(bool doses) {
        --awaiting_randomisation_;
        ++randomised_;
        if (doses) ++on_treatment_;
    }
    // A running trial's patient, randomised before the as-of day and still due kits.
    void resumes_on_treatment() { ++on_treatment_; }
    void off_treatment() { --on_treatment_; }
    // A patient already on study when a running trial's simulation starts.
    void resumes_on_study() { ++in_pathway_; }
    void leaves_pathway() { --in_pathway_; }

  private:
    int arrived_ = 0;
    int awaiting_randomisation_ = 0;
    int screened_ = 0;
    int randomised_ = 0;
    int on_treatment_ = 0;
    int in_pathway_ = 0;
};

}  // namespace trial
