#pragma once
// Random streams for reproducible Monte Carlo.
//
// Every stream is derived from (master seed, replication index, purpose, index), never from
// the order in which streams or replications are created. So a replication gives the same
// draws whatever the thread count, and two policies run on one replication see the same
// arrivals and service times (common random numbers).
//
// The engine is xoshiro256++ (Blackman & Vigna, "Scrambled linear pseudorandom number
// generators", 2021): 32 bytes of state, cheap to seed, which matters with hundreds of streams
// per replication. Its state is filled from SplitMix64 (Steele, Lea & Flood, 2014), the seeding
// the xoshiro authors recommend. Distributions come from Boost.Random, whose algorithms are
// fixed across platforms (std:: distributions are not).

#include <bit>
#include <cstdint>
#include <limits>
#include <string_view>

namespace sim {

// SplitMix64 finaliser: a bijective 64-bit mix.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

// FNV-1a, so a purpose can be named in code ("arrivals") and still hash at compile time.
constexpr std::uint64_t hash_purpose(std::string_view purpose) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : purpose) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

// A UniformRandomBitGenerator usable with any Boost.Random distribution.
class Rng {
  public:
    using result_type = std::uint64_t;

    explicit Rng(std::uint64_t key = 0) noexcept { seed(key); }

    void seed(std::uint64_t key) noexcept {
        for (auto& word : state_) {
            key += 0x9e3779b97f4a7c15ULL;
            word = mix64(key - 0x9e3779b97f4a7c15ULL);
        }
    }

    static constexpr result_type min() noexcept { return 0; }
    static constexpr result_type max() noexcept { return std::numeric_limits<result_type>::max(); }

    result_type operator()() noexcept {
        const std::uint64_t result = std::rotl(state_[0] + state_[3], 23) + state_[0];
        const std::uint64_t t = state_[1] << 17;
        state_[2] ^= state_[0];
        state_[3] ^= state_[1];
        state_[1] ^= state_[2];
        state_[0] ^= state_[3];
        state_[2] ^= t;
        state_[3] = std::rotl(state_[3], 45);
        return result;
    }

    // Uniform on [0, 1) with 53 random bits.
    double uniform01() noexcept { return static_cast<double>((*this)() >> 11) * 0x1.0p-53; }

    friend bool operator==(const Rng&, const Rng&) = default;

  private:
    std::uint64_t state_[4]{};
};

// The one way streams are made: same arguments, same stream, on any thread, in any order.
constexpr std::uint64_t stream_key(std::uint64_t master_seed, std::uint64_t replication,
                                   std::uint64_t purpose_hash, std::uint64_t index) noexcept {
    std::uint64_t key = mix64(master_seed);
    key = mix64(key ^ replication);
    key = mix64(key ^ purpose_hash);
    return mix64(key ^ index);
}

inline Rng stream(std::uint64_t master_seed, std::uint64_t replication, std::string_view purpose,
                  std::uint64_t index = 0) noexcept {
    return Rng(stream_key(master_seed, replication, hash_purpose(purpose), index));
}

}  // namespace sim
