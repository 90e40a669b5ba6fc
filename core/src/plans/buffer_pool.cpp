#include "plans/buffer_pool.hpp"

#include <sys/mman.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <new>
#include <string>
#include <vector>

namespace arrears::plans_detail {

namespace {

constexpr std::size_t kHuge = std::size_t{2} << 20;

struct Entry {
    void* ptr;
    std::size_t capacity;
};

class Pool {
public:
    Pool() {
        std::size_t mb = 1024;
        if (const char* env = std::getenv("ARREARS_BUFFER_POOL_MB")) {
            try {
                mb = static_cast<std::size_t>(std::stoull(env));
            } catch (...) {
                mb = 1024;
            }
        }
        limit_ = mb << 20;
    }

    std::shared_ptr<void> get(std::size_t bytes) {
        bytes = std::max<std::size_t>(bytes, 1);
        if (bytes < kHuge) {
            void* p = std::malloc(bytes);
            if (!p) throw std::bad_alloc();
            return std::shared_ptr<void>(p, [](void* q) { std::free(q); });
        }
        const std::size_t capacity = (bytes + kHuge - 1) / kHuge * kHuge;
        void* p = take(capacity);
        if (!p) {
            p = std::aligned_alloc(kHuge, capacity);
            if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
            (void)madvise(p, capacity, MADV_HUGEPAGE);
#endif
        }
        return std::shared_ptr<void>(p, [this, capacity](void* q) { give(q, capacity); });
    }

    std::size_t kept() {
        std::lock_guard lock(mutex_);
        return kept_;
    }

private:
    // The smallest kept buffer that fits without wasting more than half of it.
    void* take(std::size_t capacity) {
        std::lock_guard lock(mutex_);
        auto best = entries_.end();
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->capacity >= capacity && it->capacity <= 2 * capacity &&
                (best == entries_.end() || it->capacity < best->capacity))
                best = it;
        if (best == entries_.end()) return nullptr;
        void* p = best->ptr;
        kept_ -= best->capacity;
        entries_.erase(best);
        return p;
    }

    void give(void* p, std::size_t capacity) {
        if (capacity <= limit_) {
#ifdef MADV_FREE
            (void)madvise(p, capacity, MADV_FREE);
#endif
            std::lock_guard lock(mutex_);
            // Make room by dropping the oldest buffers.
            while (kept_ + capacity > limit_ && !entries_.empty()) {
                kept_ -= entries_.front().capacity;
                std::free(entries_.front().ptr);
                entries_.erase(entries_.begin());
            }
            entries_.push_back({p, capacity});
            kept_ += capacity;
            return;
        }
        std::free(p);
    }

    std::mutex mutex_;
    std::vector<Entry> entries_;
    std::size_t kept_ = 0;
    std::size_t limit_ = 0;
};

// Never destroyed: tables may release buffers during interpreter shutdown.
Pool& pool() {
    static Pool* p = new Pool();
    return *p;
}

}  // namespace

std::shared_ptr<void> pooled_buffer(std::size_t bytes) { return pool().get(bytes); }

std::size_t pooled_bytes() { return pool().kept(); }

}  // namespace arrears::plans_detail
