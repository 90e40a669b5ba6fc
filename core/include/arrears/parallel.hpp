// Batch helpers: split a range over threads, report progress, stop on request (Ctrl-C).
// Rules stay pure; batch drivers (Portfolio, posting, compliance checks, rendering) use these.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "arrears/error.hpp"

namespace arrears {

// threads == 0 means "all hardware threads"; never more threads than chunks of `min_chunk`.
inline unsigned resolve_threads(unsigned threads, std::size_t n, std::size_t min_chunk = 16384) {
    unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    unsigned t = threads == 0 ? hw : threads;
    const std::size_t chunks = std::max<std::size_t>(1, n / std::max<std::size_t>(1, min_chunk));
    return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(t, chunks)));
}

// Progress of a long batch call. The callback gets (done, total) and returns false to ask the
// work to stop; it is called from one thread at a time, at most ~100 times per call.
class Progress {
public:
    using Callback = std::function<bool(std::uint64_t done, std::uint64_t total)>;

    Progress() = default;
    explicit Progress(Callback callback, std::uint64_t total = 0)
        : callback_(std::move(callback)), total_(total) {}

    void set_total(std::uint64_t total) { total_ = total; }
    std::uint64_t total() const noexcept { return total_; }
    bool cancelled() const noexcept { return cancelled_.load(std::memory_order_relaxed); }

    // Adds n units of finished work; may call the callback (thread-safe).
    void advance(std::uint64_t n) {
        const std::uint64_t done = done_.fetch_add(n, std::memory_order_relaxed) + n;
        if (!callback_ || total_ == 0) return;
        const std::uint64_t step = std::max<std::uint64_t>(1, total_ / 100);
        const std::uint64_t next = next_report_.load(std::memory_order_relaxed);
        if (done < next && done < total_) return;
        std::unique_lock lock(mutex_, std::try_to_lock);
        if (!lock.owns_lock()) return;
        next_report_.store(done + step, std::memory_order_relaxed);
        if (!callback_(std::min(done, total_), total_)) cancelled_.store(true);
    }
    // Throws Cancelled when the callback asked to stop.
    void check() const {
        if (cancelled()) throw Cancelled("cancelled by the progress callback (interrupted)");
    }

private:
    Callback callback_;
    std::uint64_t total_ = 0;
    std::atomic<std::uint64_t> done_{0};
    std::atomic<std::uint64_t> next_report_{0};
    std::atomic<bool> cancelled_{false};
    std::mutex mutex_;
};

// Runs fn(begin, end, worker) over contiguous chunks of [0, n) on `threads` threads (the calling
// thread runs worker 0; at least `min_chunk` items per thread). The first exception thrown by any worker is rethrown after all join.
template <class F>
void parallel_for(std::size_t n, unsigned threads, F&& fn, std::size_t min_chunk = 16384) {
    const unsigned t = resolve_threads(threads, n, min_chunk);
    if (t <= 1 || n == 0) {
        fn(std::size_t{0}, n, 0u);
        return;
    }
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> errors(t);
    const std::size_t chunk = (n + t - 1) / t;
    for (unsigned w = 1; w < t; ++w) {
        const std::size_t b = std::min(n, w * chunk), e = std::min(n, (w + 1) * chunk);
        pool.emplace_back([&, b, e, w] {
            try {
                fn(b, e, w);
            } catch (...) {
                errors[w] = std::current_exception();
            }
        });
    }
    try {
        fn(std::size_t{0}, std::min(n, chunk), 0u);
    } catch (...) {
        errors[0] = std::current_exception();
    }
    for (auto& th : pool) th.join();
    for (auto& e : errors)
        if (e) std::rethrow_exception(e);
}

}  // namespace arrears
