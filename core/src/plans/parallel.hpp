// Chunked parallel loop for the plans area's batch calls: the calling thread works too and,
// between chunks, reports progress (about every 100 ms) through a callback that may cancel.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <thread>
#include <vector>

namespace arrears::plans_detail {

inline unsigned resolve_threads(unsigned threads, std::size_t work_items, std::size_t chunk) {
    unsigned hw = std::thread::hardware_concurrency();
    if (hw == 0) hw = 1;
    unsigned t = threads == 0 ? hw : threads;
    const std::size_t chunks = (work_items + chunk - 1) / chunk;
    return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(t, chunks)));
}

// Runs body(begin, end) over [0, n) in chunks on `threads` threads. progress(done, n) runs on the
// calling thread only; returning false stops the loop (returns false). The first exception thrown
// by a body is rethrown after every thread has stopped.
inline bool parallel_chunks(std::size_t n, std::size_t chunk, unsigned threads,
                            const std::function<void(std::size_t, std::size_t)>& body,
                            const std::function<bool(std::size_t, std::size_t)>& progress) {
    std::atomic<std::size_t> next{0};
    std::atomic<std::size_t> done{0};
    std::atomic<bool> stop{false};
    std::exception_ptr error;
    std::atomic<bool> has_error{false};
    auto work = [&](bool reporter) {
        using clock = std::chrono::steady_clock;
        auto last = clock::now();
        while (!stop.load(std::memory_order_relaxed)) {
            const std::size_t begin = next.fetch_add(chunk);
            if (begin >= n) break;
            const std::size_t end = std::min(n, begin + chunk);
            try {
                body(begin, end);
            } catch (...) {
                bool expected = false;
                if (has_error.compare_exchange_strong(expected, true)) error = std::current_exception();
                stop = true;
                break;
            }
            done.fetch_add(end - begin);
            if (reporter && progress && clock::now() - last > std::chrono::milliseconds(100)) {
                last = clock::now();
                if (!progress(done.load(), n)) stop = true;
            }
        }
    };
    const unsigned t = resolve_threads(threads, n, chunk);
    std::vector<std::thread> pool;
    pool.reserve(t - 1);
    try {
        for (unsigned i = 1; i < t; ++i) pool.emplace_back(work, false);
    } catch (...) {
        stop = true;
        for (auto& th : pool) th.join();
        throw;
    }
    work(true);
    for (auto& th : pool) th.join();
    if (has_error) std::rethrow_exception(error);
    if (stop) return false;
    if (progress && n > 0) return progress(n, n);
    return true;
}

}  // namespace arrears::plans_detail
