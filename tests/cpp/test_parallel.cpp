#include <catch2/catch.hpp>

#include <atomic>
#include <numeric>
#include <vector>

#include "arrears/error.hpp"
#include "arrears/parallel.hpp"

using namespace arrears;

TEST_CASE("parallel_for covers every index exactly once", "[parallel]") {
    for (std::size_t n : {0ul, 1ul, 100ul, 100'000ul, 1'000'003ul}) {
        for (unsigned threads : {0u, 1u, 2u, 7u}) {
            std::vector<std::uint8_t> seen(n, 0);
            parallel_for(n, threads, [&](std::size_t b, std::size_t e, unsigned) {
                for (std::size_t i = b; i < e; ++i) ++seen[i];
            });
            CHECK(std::all_of(seen.begin(), seen.end(), [](auto v) { return v == 1; }));
        }
    }
}

TEST_CASE("an exception in any worker reaches the caller", "[parallel]") {
    CHECK_THROWS_AS(parallel_for(1'000'000, 2,
                                 [](std::size_t b, std::size_t, unsigned) {
                                     if (b > 0) throw ValidationError("worker failed");
                                 }),
                    ValidationError);
}

TEST_CASE("progress reports and a callback can cancel", "[parallel]") {
    std::uint64_t last = 0;
    int calls = 0;
    Progress p([&](std::uint64_t done, std::uint64_t total) {
        CHECK(total == 1000);
        CHECK(done >= last);
        last = done;
        ++calls;
        return done < 500;
    }, 1000);
    for (int i = 0; i < 100 && !p.cancelled(); ++i) p.advance(10);
    CHECK(p.cancelled());
    CHECK(calls > 1);
    CHECK(calls <= 101);
    CHECK_THROWS_AS(p.check(), Cancelled);
    CHECK(resolve_threads(0, 10) == 1);
    CHECK(resolve_threads(3, 10'000'000) == 3);
}
