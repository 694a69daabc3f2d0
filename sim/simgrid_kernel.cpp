// The SimGrid kernel: the same processes run as SimGrid S4U actors, with SimGrid keeping time.
//
// Each process is an actor that, while its coroutine waits, blocks on a semaphore of its own
// ("its baton") — with a timeout when the wait has a timer, so that SimGrid's clock decides when
// a timed wait falls due — and, when handed the baton, resumes the coroutine on its own stack.
// Exactly one actor holds the baton at a time; when its process waits again it hands the baton
// on. SimGrid says nothing of the order of actors whose timeouts expire at the same date (it
// runs them last-armed first), so the rule shared with the native kernel (simulation.hpp) is
// imposed here: actors whose timers fire register (day, sequence) and yield once, so that every
// timer of that date has fired, and the baton then goes by day and sequence, timers due now
// before wakes made now (a FIFO ring), exactly as the native event list orders them.
//
// Waits shorter than SimGrid can time (below `shortest_timed_wait`: SimGrid never ends a
// semaphore wait whose timeout is under its precision) fall due without it: the kernel keeps
// them and runs them in order, once no timer SimGrid holds is due earlier.
//
// Time: SimGrid's clock does not restart (one engine per process), so each run reads it
// relative to where it stood when the run began; the processes see the exact day their wait
// was scheduled for, and the kernel checks that SimGrid woke them at that day (within 1e-6).
// A SimGrid deadlock, an actor that ends without the kernel ending it, or a wake out of order
// stops the run with an error.

// s4u.hpp first: SimGrid's other headers rely on what it includes.
#include <simgrid/s4u.hpp>
// (kept apart so that include sorting leaves the order alone)
#include <simgrid/version.h>
#include <xbt/log.h>

#include <cmath>
#include <csignal>
#include <deque>
#include <queue>
#include <set>
#include <stdexcept>
#include <string>

#include "sim/simulation.hpp"

namespace sim {
namespace s4u = simgrid::s4u;

// Days; SimGrid's timing precision (surf/precision) is 1e-9.
constexpr double shortest_timed_wait = 1e-7;

class SimGridKernel {
  public:
    explicit SimGridKernel(Simulation& sim) : sim_(sim) {}

    void schedule_at(Wake wake, double day);
    void schedule_now(Wake wake) noexcept;
    void add_actor(std::uint32_t slot);
    bool running() const noexcept { return running_; }
    // Runs until nothing is due by `end_day` (or the run is stopped); returns with every actor
    // ended and the clock where the native kernel would have left it.
    void run(double end_day, const std::function<bool()>* keep_going);

  private:
    struct Timer {
        double day = 0;
        std::uint64_t sequence = 0;
        Wake wake{};
    };
    struct Later {
        bool operator()(const Timer& a, const Timer& b) const noexcept {
            if (a.day != b.day) return a.day > b.day;
            return a.sequence > b.sequence;
        }
    };
    struct Actor {
        s4u::SemaphorePtr baton;
        Timer timer;
        bool has_timer = false;  // a timer not yet fired nor cancelled by an earlier wake
        bool live = false;
    };

    Actor& actor(std::uint32_t slot) {
        if (slot >= actors_.size()) actors_.resize(slot + 1);
        return actors_[slot];
    }
    bool armed(const Actor& a) const { return a.has_timer && a.timer.day <= end_; }
    void arm(const Actor& a) {
        if (armed(a)) armed_.emplace(a.timer.day, a.timer.sequence);
    }
    void disarm(const Actor& a) {
        if (armed(a)) armed_.erase({a.timer.day, a.timer.sequence});
    }
    double clock() const { return s4u::Engine::get_clock() - offset_; }
    bool current(Wake wake) const { return sim_.records_[wake.slot].generation == wake.generation; }

    void act(std::uint32_t slot, std::uint32_t incarnation);
    void timer_fired(std::uint32_t slot);
    void pass_baton();
    void grant(Wake wake, double day);
    void finish();
    void retire(std::uint32_t slot);
    void fail(std::exception_ptr error);

    Simulation& sim_;
    std::vector<Actor> actors_;                                  // by process slot
    std::priority_queue<Timer, std::vector<Timer>, Later> due_;  // fired, not yet run
    std::deque<Wake> ring_;                                      // woken at the current time
    std::uint64_t next_sequence_ = 0;
    std::set<std::pair<double, std::uint64_t>> armed_;  // timers SimGrid holds, by (day, seq)
    std::size_t live_actors_ = 0;
    bool running_ = false;
    bool baton_held_ = false;
    bool over_ = false;
    double end_ = forever;
    double offset_ = 0;
    const std::function<bool()>* keep_going_ = nullptr;
    Wake granted_{};
    double granted_day_ = 0;
    std::exception_ptr error_;

  public:
    bool deadlocked = false;
};

namespace {

struct Platform {
    s4u::Host* host = nullptr;
    SimGridKernel* running = nullptr;  // SimGrid has one engine per process: one run at a time
};

Platform& platform() {
    static Platform made = [] {
        xbt_log_control_set("root.thresh:critical");
        xbt_log_control_set("root.app:file:/dev/null");
        static char name[] = "trialtwin";
        static char* argv[] = {name, nullptr};
        int argc = 1;
        // SimGrid installs its own Ctrl-C handler (print status, exit 1); the program's stays.
        struct sigaction interrupt_handler = {};
        sigaction(SIGINT, nullptr, &interrupt_handler);
        // Never destroyed: SimGrid allows one engine per process, and this one serves every run.
        new s4u::Engine(&argc, argv);
        sigaction(SIGINT, &interrupt_handler, nullptr);
        s4u::Engine::set_config("contexts/stack-size", 512);  // KiB: coroutines run on it
        s4u::NetZone* zone = s4u::create_full_zone("trial");
        Platform p;
        p.host = zone->create_host("sponsor", 1.0);
        zone->seal();
        s4u::Engine::on_deadlock_cb([] {
            if (platform().running) platform().running->deadlocked = true;
        });
        return p;
    }();
    return made;
}

}  // namespace

void SimGridKernel::schedule_at(Wake wake, double day) {
    Actor& a = actor(wake.slot);
    disarm(a);
    a.timer = Timer{day, next_sequence_++, wake};
    if (day - sim_.now_ < shortest_timed_wait) {  // too short for SimGrid: due now
        a.has_timer = false;
        due_.push(a.timer);
        return;
    }
    a.has_timer = true;
    arm(a);
}

void SimGridKernel::schedule_now(Wake wake) noexcept {
    ++next_sequence_;
    Actor& a = actor(wake.slot);
    if (a.has_timer) {  // the wake ends the wait before its timer
        disarm(a);
        a.has_timer = false;
    }
    ring_.push_back(wake);
}

void SimGridKernel::add_actor(std::uint32_t slot) {
    Actor& a = actor(slot);
    a.baton = s4u::Semaphore::create(0);
    a.live = true;
    ++live_actors_;
    const std::uint32_t incarnation = sim_.records_[slot].incarnation;
    s4u::Actor::create("process", platform().host,
                       [this, slot, incarnation] { act(slot, incarnation); });
}

void SimGridKernel::act(std::uint32_t slot, std::uint32_t incarnation) {
    try {
        for (;;) {
            const s4u::SemaphorePtr baton = actors_[slot].baton;
            bool holds = false;
            if (!over_ && armed(actors_[slot])) {
                const double timeout = std::max(0.0, actors_[slot].timer.day - clock());
                holds = !baton->acquire_timeout(timeout);
                if (!holds && !over_) {
                    timer_fired(slot);
                    // Every timer of this date fires before any of them runs.
                    s4u::this_actor::yield();
                    if (!baton_held_ && !over_) pass_baton();
                }
            }
            if (!holds && !over_) baton->acquire();
            if (over_) break;
            sim_.dispatch(granted_, granted_day_);  // the process runs until its next wait
            if (sim_.records_[slot].incarnation != incarnation) {  // it ended
                retire(slot);
                pass_baton();
                return;
            }
            pass_baton();
        }
    } catch (const std::exception&) {
        fail(std::current_exception());
    }
    retire(slot);
}

void SimGridKernel::timer_fired(std::uint32_t slot) {
    Actor& a = actors_[slot];
    if (!a.has_timer) return;  // an earlier wake ended the wait: it is in the ring
    disarm(a);
    a.has_timer = false;
    if (std::abs(clock() - a.timer.day) > 1e-6 * std::max(1.0, a.timer.day)) {
        throw std::runtime_error("SimGrid kernel: a wait due at day " +
                                 std::to_string(a.timer.day) + " fell due at day " +
                                 std::to_string(clock()));
    }
    due_.push(a.timer);
}

// The next event by the shared rule: timers due by now in (day, sequence) order, then the
// wakes made now in order, then the next timer: one kept here if no timer SimGrid holds is
// due before it, else SimGrid advances the clock to that one.
void SimGridKernel::pass_baton() {
    baton_held_ = false;
    if (over_) return;
    if (sim_.stop_requested_ || sim_.failure_ || error_ || (keep_going_ && !(*keep_going_)())) {
        finish();
        return;
    }
    for (;;) {
        if (!due_.empty() && (due_.top().day <= sim_.now_ || ring_.empty())) {
            const Timer next = due_.top();
            if (next.day > sim_.now_ && !armed_.empty() &&
                *armed_.begin() < std::make_pair(next.day, next.sequence)) {
                return;  // SimGrid's timer comes first
            }
            if (next.day > end_) break;
            due_.pop();
            if (!current(next.wake)) continue;
            if (next.day < sim_.now_) {
                throw std::runtime_error("SimGrid kernel: a wait due at day " +
                                         std::to_string(next.day) + " came after day " +
                                         std::to_string(sim_.now_));
            }
            return grant(next.wake, next.day);
        }
        if (!ring_.empty()) {
            const Wake next = ring_.front();
            ring_.pop_front();
            if (!current(next)) continue;
            return grant(next, sim_.now_);
        }
        if (!armed_.empty()) return;  // SimGrid moves the clock to the next timer
        break;
    }
    finish();
}

void SimGridKernel::grant(Wake wake, double day) {
    granted_ = wake;
    granted_day_ = day;
    baton_held_ = true;
    actors_[wake.slot].baton->release();
}

// Nothing more in this run: every actor is released to end.
void SimGridKernel::finish() {
    if (over_) return;
    over_ = true;
    if (!sim_.stop_requested_ && !sim_.failure_ && end_ != forever && sim_.now_ < end_)
        sim_.now_ = end_;
    for (Actor& a : actors_) {
        if (a.live) a.baton->release();
    }
}

void SimGridKernel::retire(std::uint32_t slot) {
    Actor& a = actors_[slot];
    if (!a.live) return;
    a.live = false;
    --live_actors_;
}

void SimGridKernel::fail(std::exception_ptr error) {
    if (!error_) error_ = std::move(error);
    finish();
}

void SimGridKernel::run(double end_day, const std::function<bool()>* keep_going) {
    Platform& p = platform();
    if (p.running) throw std::logic_error("SimGrid kernel: one run at a time per process");
    end_ = end_day;
    keep_going_ = keep_going;
    offset_ = s4u::Engine::get_clock() - sim_.now_;
    over_ = false;
    baton_held_ = false;
    deadlocked = false;
    armed_.clear();
    for (const Actor& a : actors_)
        arm(a);
    p.running = this;
    running_ = true;
    for (std::uint32_t slot = 0; slot < sim_.records_.size(); ++slot) {
        if (sim_.records_[slot].state != Simulation::State::free) add_actor(slot);
    }
    // Starts the first event (or ends a run with nothing to do).
    s4u::Actor::create("start", p.host, [this] {
        try {
            if (!baton_held_ && !over_) pass_baton();
        } catch (const std::exception&) {
            fail(std::current_exception());
        }
    });
    s4u::Engine::get_instance()->run();
    running_ = false;
    p.running = nullptr;
    keep_going_ = nullptr;
    if (deadlocked) {
        throw std::runtime_error("SimGrid kernel: SimGrid reported a deadlock at day " +
                                 std::to_string(clock()));
    }
    if (live_actors_ != 0) {
        throw std::runtime_error("SimGrid kernel: " + std::to_string(live_actors_) +
                                 " actors were ended by SimGrid, not by the run");
    }
    if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
}

// ---- Simulation's side ----------------------------------------------------------------------

Simulation::Simulation(Kernel kernel) {
    if (kernel == Kernel::simgrid) simgrid_ = std::make_unique<SimGridKernel>(*this);
}

Simulation::~Simulation() {
    destroy_processes();
}

void Simulation::simgrid_schedule_at(Wake wake, double day) {
    simgrid_->schedule_at(wake, day);
}

void Simulation::simgrid_schedule_now(Wake wake) noexcept {
    simgrid_->schedule_now(wake);
}

void Simulation::simgrid_spawned(std::uint32_t slot) {
    if (simgrid_->running()) simgrid_->add_actor(slot);
}

void Simulation::simgrid_run(double end_day, const std::function<bool()>* keep_going) {
    if (failure_) [[unlikely]]
        std::rethrow_exception(std::exchange(failure_, nullptr));
    stop_requested_ = false;
    simgrid_->run(end_day, keep_going);
    if (failure_) [[unlikely]]
        std::rethrow_exception(std::exchange(failure_, nullptr));
}

std::string kernel_description(Kernel kernel) {
    if (kernel == Kernel::native) return "native";
    return "simgrid " + std::to_string(SIMGRID_VERSION_MAJOR) + "." +
           std::to_string(SIMGRID_VERSION_MINOR) + "." + std::to_string(SIMGRID_VERSION_PATCH);
}

}  // namespace sim
