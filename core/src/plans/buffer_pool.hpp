// Large output buffers for the batch builders of the plans area, recycled between calls.
//
// A fresh buffer costs the kernel a page fault and a zero fill per page (most of the cost of a
// 1e6-schedule batch). Buffers a finished table releases are kept (up to a byte limit) and handed
// to the next call instead: a nightly job building schedules chunk by chunk, or a notebook cell
// run again, then skips that cost. Kept buffers are marked MADV_FREE, so under memory pressure
// the kernel takes their pages back (a reused page then simply faults in zeroed again).
// New buffers are 2 MiB aligned and advised as transparent huge pages.
//
// Limit: ARREARS_BUFFER_POOL_MB (default 1024; 0 turns recycling off), read once.
#pragma once

#include <cstddef>
#include <memory>

namespace arrears::plans_detail {

// An uninitialised buffer of at least `bytes`, freed (or returned to the pool) when the last
// shared_ptr copy goes.
std::shared_ptr<void> pooled_buffer(std::size_t bytes);

// Bytes currently kept for reuse (for tests and diagnostics).
std::size_t pooled_bytes();

}  // namespace arrears::plans_detail
