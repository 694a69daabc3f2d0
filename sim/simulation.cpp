#include "sim/simulation.hpp"

#include <utility>

namespace sim {

std::string_view name_of(Kernel kernel) {
    return kernel == Kernel::simgrid ? "simgrid" : "native";
}

ProcessRef Simulation::spawn(Process process) {
    const Process::Handle handle = process.release();
    std::uint32_t slot;
    if (free_slots_.empty()) {
        slot = static_cast<std::uint32_t>(records_.size());
        records_.emplace_back();
        roots_.emplace_back();
    } else {
        slot = free_slots_.back();
        free_slots_.pop_back();
    }
    ProcessRecord& record = records_[slot];
    roots_[slot] = handle;
    record.resume_point = handle;
    record.interrupt_pending = false;
    record.waiting_on = nullptr;
    record.state = State::running;
    record.reason = WakeReason::normal;
    handle.promise().sim = this;
    handle.promise().slot = slot;
    ++live_processes_;
    const ProcessRef spawned{slot, record.incarnation};
    handle.resume();  // runs to its first wait; `record` may dangle from here on
    if (simgrid_ && !finished(spawned)) [[unlikely]]
        simgrid_spawned(slot);
    return spawned;
}

bool Simulation::finished(ProcessRef process) const noexcept {
    return process.slot >= records_.size() ||
           records_[process.slot].incarnation != process.incarnation ||
           records_[process.slot].state == State::free;
}

void Simulation::interrupt(ProcessRef target, int cause) {
    if (finished(target)) return;
    ProcessRecord& record = records_[target.slot];
    record.interrupt_cause = cause;
    if (record.state != State::waiting) {
        record.interrupt_pending = true;
        return;
    }
    WaitQueueOwner* owner = std::exchange(record.waiting_on, nullptr);
    wake_now(target.slot, WakeReason::interrupted);
    if (owner) owner->on_waiter_cancelled();
}

void Simulation::add_joiner(ProcessRef target, Wake joiner) {
    joiners_[target.slot].push_back(joiner);
}

void Simulation::wake_joiners(std::uint32_t slot) noexcept {
    const auto found = joiners_.find(slot);
    if (found == joiners_.end()) return;
    const std::vector<Wake> joiners = std::move(found->second);
    joiners_.erase(found);
    for (const Wake joiner : joiners) {
        if (is_waiting(joiner)) wake_now(joiner);
    }
}

void Simulation::on_process_failed(std::exception_ptr error) noexcept {
    if (!failure_) failure_ = std::move(error);
    stop_requested_ = true;
}

void Simulation::destroy_processes() noexcept {
    if (live_processes_ == 0 || tearing_down_) return;
    tearing_down_ = true;
    for (std::size_t slot = 0; slot < records_.size(); ++slot) {
        ProcessRecord& record = records_[slot];
        if (record.state == State::free) continue;
        record.state = State::free;
        ++record.incarnation;
        --live_processes_;
        std::exchange(roots_[slot], {}).destroy();  // runs the locals' destructors
    }
    queue_.clear();
    records_.clear();
    roots_.clear();
    joiners_.clear();
    free_slots_.clear();
    tearing_down_ = false;
}

}  // namespace sim
