#include <bit>
#include <catch2/catch.hpp>
#include <cstdint>
#include <queue>
#include <random>
#include <tuple>
#include <vector>

#include "sim/event_queue.hpp"
#include "sim/timed_events.hpp"

namespace {

struct Event {
    std::uint64_t time_bits;
    std::uint64_t sequence;
};

// What the future event list must do: (time, sequence) order, as a binary heap on both.
struct Reference {
    struct Later {
        bool operator()(const Event& a, const Event& b) const {
            return std::tie(a.time_bits, a.sequence) > std::tie(b.time_bits, b.sequence);
        }
    };
    std::priority_queue<Event, std::vector<Event>, Later> heap;
};

// Drives both with the same pushes (times above the last taken, often equal to each other)
// and takes (up to a limit); every event taken must be the same.
struct Switches {
    int to_radix = 0, to_binary = 0;  // binary heap <-> radix heap
    int to_heap = 0, to_few = 0;      // sorted few <-> binary heap
};

// `hold`: after each take, the process taken often waits again at once (a push straight after
// the pop, which the binary heap folds into one sift).
Switches agree_on(std::size_t burst, std::size_t rounds, std::uint64_t seed, bool hold = false) {
    std::mt19937_64 rng(seed);
    sim::TimedEvents<Event> queue;
    Reference reference;
    std::uint64_t sequence = 0;
    double now = 0.0;
    std::size_t taken = 0;
    Switches switches;
    bool radix = false, few = true;
    auto note_switch = [&] {
        if (queue.in_radix_heap() != radix) ++(radix ? switches.to_binary : switches.to_radix);
        if (queue.in_sorted_few() != few) ++(few ? switches.to_heap : switches.to_few);
        radix = queue.in_radix_heap();
        few = queue.in_sorted_few();
    };
    auto push_one = [&] {
        // Whole days, day fractions and exact repeats: ties are common in a trial.
        double later = now + 0.25 * static_cast<double>(rng() % 40 + 1);
        if (rng() % 3 == 0) later = now + std::uniform_real_distribution<double>(0, 30)(rng);
        const Event e{std::bit_cast<std::uint64_t>(later), sequence++};
        queue.push(e);
        reference.heap.push(e);
        note_switch();
    };
    for (std::size_t round = 0; round < rounds; ++round) {
        const std::size_t pushes = rng() % burst + 1;
        for (std::size_t i = 0; i < pushes; ++i)
            push_one();
        // Take until a limit, as run_until does; a limit below the next event takes nothing.
        const double limit = now + std::uniform_real_distribution<double>(0, 12)(rng);
        const std::uint64_t limit_bits = std::bit_cast<std::uint64_t>(limit);
        for (;;) {
            const Event* next = queue.next_at_most(limit_bits);
            const bool due =
                !reference.heap.empty() && reference.heap.top().time_bits <= limit_bits;
            REQUIRE((next != nullptr) == due);
            if (!next) break;
            REQUIRE(next->time_bits == reference.heap.top().time_bits);
            REQUIRE(next->sequence == reference.heap.top().sequence);
            now = std::bit_cast<double>(next->time_bits);
            queue.pop();
            reference.heap.pop();
            note_switch();
            ++taken;
            if (hold && rng() % 4 != 0) push_one();
        }
        REQUIRE(queue.size() == reference.heap.size());
        if (now < limit && rng() % 2) now = limit;  // the clock moves on to the end of a run
    }
    CHECK(taken > rounds);
    return switches;
}

}  // namespace

TEST_CASE("timed events come out in (time, sequence) order, few or many waiting",
          "[kernel][order]") {
    SECTION("a few at a time: never the radix heap") {
        CHECK(agree_on(3, 20000, 1).to_radix == 0);
    }
    SECTION("a few, each taken one mostly waiting again at once") {
        CHECK(agree_on(3, 20000, 4, true).to_radix == 0);
    }
    SECTION("tens: between the sorted few and the binary heap") {
        const Switches s = agree_on(sim::TimedEvents<Event>::to_heap / 2, 5000, 5);
        CHECK(s.to_heap > 5);
        CHECK(s.to_few > 5);
        CHECK(s.to_radix == 0);
    }
    SECTION("hundreds: the radix heap, and back when they drain") {
        const Switches s = agree_on(400, 400, 2);
        CHECK(s.to_radix > 0);
        CHECK(s.to_binary > 0);
    }
    SECTION("hovering around the switch sizes") {
        const Switches s = agree_on(sim::TimedEvents<Event>::to_radix / 2, 3000, 3);
        CHECK(s.to_radix > 5);
        CHECK(s.to_binary > 5);
    }
}

TEST_CASE("the event queue runs timed events due now before wakes made now, with many waiting",
          "[kernel][order]") {
    sim::EventQueue queue;
    // 1,000 waiting (radix heap), then wakes made at day 5 while events at day 5 still wait.
    for (std::uint32_t i = 0; i < 1000; ++i)
        queue.schedule_at(5.0 + (i % 10), sim::Wake{i, 0});
    sim::Wake wake{};
    double time = 0;
    REQUIRE(queue.pop_due(0.0, 100.0, wake, time));
    CHECK(time == 5.0);
    CHECK(wake.slot == 0);
    queue.schedule_now(sim::Wake{5000, 0});
    // The other 99 events at day 5 were scheduled before that wake: all of them first.
    for (std::uint32_t k = 1; k < 100; ++k) {
        REQUIRE(queue.pop_due(5.0, 100.0, wake, time));
        CHECK(time == 5.0);
        CHECK(wake.slot == 10 * k);
    }
    REQUIRE(queue.pop_due(5.0, 100.0, wake, time));
    CHECK(wake.slot == 5000);
    // Nothing is due by day 5.5: nothing taken, and the next is still day 6.
    CHECK_FALSE(queue.pop_due(5.0, 5.5, wake, time));
    REQUIRE(queue.pop_due(5.5, 100.0, wake, time));
    CHECK(time == 6.0);
    CHECK(wake.slot == 1);
}
