// Ranks' shares put together (what rank 0 does under MPI, here in one process): the same
// result, byte for byte, as one process running every replication, for any number of shares
// and threads; failures and damage are reported, never crash.

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/runner/monte_carlo.hpp"
#include "models/runner/wire.hpp"
#include "tests/models/capture.hpp"

namespace {

trial::MonteCarloOptions options(int replications, int threads) {
    trial::MonteCarloOptions o;
    o.replications = replications;
    o.seed = 17;
    o.threads = threads;
    o.traced = 3;
    return o;
}

// A result as bytes (status aside): equal bytes, equal results.
std::string bytes_of(const trial::MonteCarloResult& r) {
    return trial::share_to_bytes(r, {});
}

}  // namespace

TEST_CASE("shares of 1, 2, 3 and 7 ranks put together are the one-process result",
          "[runner][ranks]") {
    trial::Scenario scenario = test::load_bundled("demo_small.toml");
    scenario.policy.allocation = "adaptive";  // anomalies, staff changes, backups: all sent
    const trial::MonteCarloResult whole = trial::run_monte_carlo(scenario, options(20, 2));
    REQUIRE(whole.replications.size() == 20);
    REQUIRE(!whole.traces[2].empty());
    for (const int ranks : {1, 2, 3, 7}) {
        std::vector<std::string> shares;
        for (int rank = 0; rank < ranks; ++rank) {
            const trial::MonteCarloResult share =
                trial::run_share(scenario, options(20, 1 + rank % 2), rank, ranks);
            shares.push_back(trial::share_to_bytes(share, {}));
        }
        trial::ShareStatus status;
        const trial::MonteCarloResult together = trial::shares_together(shares, 3, status);
        INFO(ranks << " ranks");
        CHECK_FALSE(status.cancelled);
        CHECK(status.failed_at < 0);
        CHECK(together.replication_index == whole.replication_index);
        CHECK(bytes_of(together) == bytes_of(whole));
    }
}

TEST_CASE("a failed share names its rank and replication; the lowest replication wins",
          "[runner][ranks]") {
    const trial::Scenario scenario = test::load_bundled("demo_small.toml");
    std::vector<std::string> shares;
    shares.push_back(trial::share_to_bytes(trial::run_share(scenario, options(6, 1), 0, 3), {}));
    shares.push_back(trial::share_to_bytes({}, {false, 4, "late scenario error"}));
    shares.push_back(trial::share_to_bytes({}, {false, 2, "another"}));
    trial::ShareStatus status;
    trial::shares_together(shares, 0, status);
    CHECK(status.failed_at == 2);
    CHECK(status.failure == "rank 2: replication 2: another");
}

TEST_CASE("damaged share bytes are refused with a message", "[runner][ranks]") {
    const trial::Scenario scenario = test::load_bundled("demo_small.toml");
    const std::string good =
        trial::share_to_bytes(trial::run_share(scenario, options(4, 1), 0, 1), {});
    trial::ShareStatus status;
    for (const std::size_t keep :
         {std::size_t{0}, std::size_t{3}, good.size() / 2, good.size() - 1}) {
        CHECK_THROWS_AS(trial::shares_together({good.substr(0, keep)}, 0, status),
                        std::runtime_error);
    }
    CHECK_THROWS_AS(trial::shares_together({good + "x"}, 0, status), std::runtime_error);
    std::string huge = good;
    huge[sizeof(bool) + sizeof(int)] = '\x7f';  // the failure text's length: far too long
    CHECK_THROWS_AS(trial::shares_together({huge}, 0, status), std::runtime_error);
}
