// Split [0, n) into contiguous chunks run on up to `threads` threads (0 = hardware concurrency).
// fn(chunk_index, begin, end). The first exception thrown by a chunk is rethrown after all join.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace arrears::metro2_detail {

inline std::size_t thread_count(unsigned threads, std::size_t n, std::size_t min_chunk) {
    std::size_t t = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    t = std::min(t, std::max<std::size_t>(1, n / std::max<std::size_t>(1, min_chunk)));
    return std::max<std::size_t>(1, t);
}

template <class Fn>
void parallel_chunks(std::size_t n, std::size_t chunks, Fn&& fn) {
    if (chunks <= 1) {
        fn(std::size_t{0}, std::size_t{0}, n);
        return;
    }
    std::vector<std::thread> pool;
    std::exception_ptr error;
    std::mutex mutex;
    const std::size_t step = (n + chunks - 1) / chunks;
    for (std::size_t c = 0; c < chunks; ++c) {
        const std::size_t begin = std::min(n, c * step), end = std::min(n, begin + step);
        pool.emplace_back([&, c, begin, end] {
            try {
                fn(c, begin, end);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mutex);
                if (!error) error = std::current_exception();
            }
        });
    }
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
}

}  // namespace arrears::metro2_detail
