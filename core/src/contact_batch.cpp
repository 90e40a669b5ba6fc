#include "arrears/contact_batch.hpp"

#include "arrears/error.hpp"
#include "compliance/engine.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

namespace arrears {

namespace {

std::string at_row(const char* column, std::size_t row) {
    return std::string(column) + "[" + std::to_string(row) + "]";
}

void require(const void* p, const char* column) {
    if (!p) throw ValidationError(std::string(column) + ": column missing");
}

void check_index(std::int64_t v, std::size_t n, const char* column, std::size_t row) {
    if (v < 0 || static_cast<std::uint64_t>(v) >= n)
        throw ValidationError(at_row(column, row) + ": " + std::to_string(v) +
                              " is out of range (0.." + std::to_string(n) + ")");
}

// Every value in [lo, hi): one vectorizable pass; the first bad row only on failure.
template <typename T>
void check_range(const T* v, std::size_t n, std::int64_t lo, std::int64_t hi, const char* column) {
    if (!v || n == 0) return;
    T mn = v[0], mx = v[0];
    for (std::size_t i = 1; i < n; ++i) {
        mn = std::min(mn, v[i]);
        mx = std::max(mx, v[i]);
    }
    if (static_cast<std::int64_t>(mn) >= lo && static_cast<std::int64_t>(mx) < hi) return;
    for (std::size_t i = 0; i < n; ++i)
        if (static_cast<std::int64_t>(v[i]) < lo || static_cast<std::int64_t>(v[i]) >= hi)
            throw ValidationError(
                at_row(column, i) + ": " + std::to_string(static_cast<std::int64_t>(v[i])) +
                " is out of range (" + std::to_string(lo) + ".." + std::to_string(hi - 1) + ")");
}

void check_tags(const TagSet* v, std::size_t n, const char* column) {
    if (!v) return;
    TagSet all = 0;
    for (std::size_t i = 0; i < n; ++i)
        all |= v[i];
    if (!(all >> kContactTagCount)) return;
    for (std::size_t i = 0; i < n; ++i)
        if (v[i] >> kContactTagCount)
            throw ValidationError(at_row(column, i) + ": unknown tag bits " + std::to_string(v[i]));
}

} // namespace

std::vector<std::string> named_debt_ids(const std::vector<const Consumer*>& consumers) {
    std::vector<std::string> out;
    std::unordered_map<std::string_view, bool> seen;
    for (const Consumer* c : consumers) {
        if (!c) continue;
        for (const auto* ids : {&c->cease(), &c->disputed(), &c->time_barred()})
            for (const auto& id : *ids)
                if (seen.emplace(id, true).second) out.push_back(id);
    }
    return out;
}

BatchResult check_contacts(const std::vector<const ContactPolicy*>& policies,
                           const std::vector<const Consumer*>& consumers,
                           const std::vector<std::int32_t>& consumer_policy,
                           const std::vector<std::string>& debt_names,
                           const ProposalColumns& proposed, const ContactColumns& history,
                           const BatchOptions& options) {
    DebtCodes codes;
    for (const auto& id : named_debt_ids(consumers))
        codes.emplace(id, std::vector<std::int32_t>{});
    if (!codes.empty())
        for (std::size_t i = 0; i < debt_names.size(); ++i)
            if (auto it = codes.find(debt_names[i]); it != codes.end())
                it->second.push_back(static_cast<std::int32_t>(i));
    return check_contacts(policies, consumers, consumer_policy, codes, debt_names.size(), proposed,
                          history, options);
}

BatchResult check_contacts(const std::vector<const ContactPolicy*>& policies,
                           const std::vector<const Consumer*>& consumers,
                           const std::vector<std::int32_t>& consumer_policy,
                           const DebtCodes& debt_code, std::size_t nd,
                           const ProposalColumns& proposed, const ContactColumns& history,
                           const BatchOptions& options) {
    // ---- validate everything before any work -------------------------------------------------
    if (policies.empty()) throw ValidationError("policy: at least one policy is needed");
    for (std::size_t i = 0; i < policies.size(); ++i)
        if (!policies[i]) throw ValidationError(at_row("policies", i) + ": missing");
    const std::size_t nc = consumers.size();
    for (std::size_t i = 0; i < nc; ++i)
        if (!consumers[i]) throw ValidationError(at_row("consumers", i) + ": missing");
    if (!consumer_policy.empty() && consumer_policy.size() != nc)
        throw ValidationError("consumer_policy: " + std::to_string(consumer_policy.size()) +
                              " entries for " + std::to_string(nc) + " consumers");
    for (std::size_t i = 0; i < consumer_policy.size(); ++i)
        check_index(consumer_policy[i], policies.size(), "consumer_policy", i);
    if (nd > static_cast<std::size_t>(INT32_MAX))
        throw ValidationError("debt_names: too many debts");

    const std::size_t np = proposed.size;
    if (np) {
        require(proposed.consumer, "proposed.consumer");
        require(proposed.debt, "proposed.debt");
        require(proposed.at, "proposed.at");
        require(proposed.channel, "proposed.channel");
    }
    check_range(proposed.consumer, np, 0, static_cast<std::int64_t>(nc), "proposed.consumer");
    check_range(proposed.debt, np, 0, static_cast<std::int64_t>(nd), "proposed.debt");
    check_range(proposed.channel, np, 0, kChannelCount, "proposed.channel");
    check_tags(proposed.tags, np, "proposed.tags");
    const std::size_t nh = history.size;
    if (nh >= UINT32_MAX) throw ValidationError("history: more than 4e9 rows");
    if (nh) {
        require(history.consumer, "history.consumer");
        require(history.debt, "history.debt");
        require(history.at, "history.at");
        require(history.channel, "history.channel");
        require(history.direction, "history.direction");
        require(history.outcome, "history.outcome");
    }
    check_range(history.debt, nh, 0, static_cast<std::int64_t>(nd), "history.debt");
    check_range(history.channel, nh, 0, kChannelCount, "history.channel");
    check_range(history.direction, nh, 0, 2, "history.direction");
    check_range(history.outcome, nh, 0, kOutcomeCount, "history.outcome");
    check_tags(history.tags, nh, "history.tags");
    // One pass over the consumer column: range, grouping and time order.
    bool unsorted = false, untimed = false, out_of_range = false;
    for (std::size_t i = 0; i < nh; ++i) {
        const std::int64_t c = history.consumer[i];
        out_of_range |= c < 0 || c >= static_cast<std::int64_t>(nc);
        if (i == 0) continue;
        const std::int64_t prev = history.consumer[i - 1];
        unsorted |= c < prev;
        untimed |= c == prev && history.at[i] < history.at[i - 1];
    }
    if (out_of_range)
        check_range(history.consumer, nh, 0, static_cast<std::int64_t>(nc), "history.consumer");
    const bool sorted = !unsorted;
    // Rows sorted by (consumer, at), the order a store returns, let the engine skip old rows.
    const bool by_time = sorted && !untimed;

    // ---- group the history by consumer (a stable counting sort when not already grouped) ----
    std::vector<std::size_t> first(nc + 1, 0);
    std::vector<std::uint32_t> order;
    if (sorted) {
        std::size_t c = 0; // first[c] = first row whose consumer >= c
        for (std::size_t i = 0; i < nh; ++i) {
            const auto ci = static_cast<std::size_t>(history.consumer[i]);
            while (c <= ci)
                first[c++] = i;
        }
        while (c <= nc)
            first[c++] = nh;
    } else {
        for (std::size_t i = 0; i < nh; ++i)
            ++first[static_cast<std::size_t>(history.consumer[i]) + 1];
        for (std::size_t c = 0; c < nc; ++c)
            first[c + 1] += first[c];
        order.resize(nh);
        std::vector<std::size_t> fill(first.begin(), first.end() - 1);
        for (std::size_t i = 0; i < nh; ++i)
            order[fill[static_cast<std::size_t>(history.consumer[i])]++] =
                static_cast<std::uint32_t>(i);
    }

    // ---- consumers as codes (filled in the workers, one consumer at a time) --------------------
    auto codes = [&](const std::vector<std::string>& ids, std::vector<std::int32_t>& out) {
        out.clear();
        for (const auto& id : ids)
            if (auto it = debt_code.find(id); it != debt_code.end())
                for (const std::int32_t code : it->second)
                    if (code >= 0) out.push_back(code);
        std::sort(out.begin(), out.end());
    };
    auto fill = [&](const Consumer& c, detail::ConsumerFacts& f) {
        f.zones = c.zones().data();
        f.n_zones = c.zones().size();
        f.opted_out = c.opted_out();
        codes(c.cease(), f.cease);
        codes(c.disputed(), f.disputed);
        codes(c.time_barred(), f.time_barred);
        f.inconvenient = c.inconvenient().data();
        f.n_inconvenient = c.inconvenient().size();
        f.attorney = c.attorney();
        f.bankruptcy = c.bankruptcy();
        f.deceased = c.deceased();
    };

    BatchResult res;
    res.allowed.assign(np, 0);
    res.blocking.assign(np, 0);
    res.policy.assign(np, 0);
    if (options.next_allowed) {
        res.next_allowed.assign(np, kNoInstant);
        res.window_end.assign(np, kNoInstant);
    }

    // ---- run ----------------------------------------------------------------------------------
    unsigned threads = options.threads ? options.threads : std::thread::hardware_concurrency();
    if (threads == 0) threads = 1;
    constexpr std::size_t kChunk = 1024;
    const std::size_t chunks = (np + kChunk - 1) / kChunk;
    threads =
        static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(chunks, 1)));
    std::atomic<std::size_t> next_chunk{0}, done{0};
    std::atomic<bool> cancel{false};
    std::mutex mutex;
    std::condition_variable cv;
    std::exception_ptr error;
    unsigned running = threads;

    auto work = [&]() {
        detail::Scratch scratch;
        detail::EvalResult r;
        detail::ConsumerFacts facts;
        std::size_t facts_of = SIZE_MAX;
        try {
            for (;;) {
                if (cancel.load(std::memory_order_relaxed)) break;
                const std::size_t chunk = next_chunk.fetch_add(1);
                if (chunk >= chunks) break;
                const std::size_t lo = chunk * kChunk, hi = std::min(np, lo + kChunk);
                for (std::size_t i = lo; i < hi; ++i) {
                    // Consumers are separate heap objects: fetch the next ones' data early (the
                    // object two rows ahead, the zone list of the one after).
                    if (i + 4 < np) {
                        const Consumer* ahead =
                            consumers[static_cast<std::size_t>(proposed.consumer[i + 4])];
                        __builtin_prefetch(ahead);
                        __builtin_prefetch(reinterpret_cast<const char*>(ahead) + 64);
                        __builtin_prefetch(reinterpret_cast<const char*>(ahead) + 128);
                        __builtin_prefetch(reinterpret_cast<const char*>(ahead) + 192);
                    }
                    if (i + 2 < np) {
                        const auto c2 = static_cast<std::size_t>(proposed.consumer[i + 2]);
                        const Consumer* next = consumers[c2];
                        __builtin_prefetch(next->zones().data());
                        __builtin_prefetch(next->inconvenient().data());
                        // The recent end of its history, where the engine reads.
                        if (sorted && first[c2 + 1] > first[c2]) {
                            const std::size_t e = first[c2 + 1] - 1;
                            const std::size_t b = e >= 16 ? std::max(first[c2], e - 16) : first[c2];
                            __builtin_prefetch(&history.at[b]);
                            __builtin_prefetch(&history.at[e]);
                            __builtin_prefetch(&history.debt[b]);
                            __builtin_prefetch(&history.channel[b]);
                            __builtin_prefetch(&history.direction[b]);
                            __builtin_prefetch(&history.outcome[b]);
                        }
                    }
                    const auto c = static_cast<std::size_t>(proposed.consumer[i]);
                    if (facts_of != c) {
                        fill(*consumers[c], facts);
                        facts_of = c;
                    }
                    const std::int32_t pi = consumer_policy.empty() ? 0 : consumer_policy[c];
                    const ContactPolicy& policy = *policies[static_cast<std::size_t>(pi)];
                    detail::ProposalFacts p;
                    p.at = proposed.at[i];
                    p.channel = static_cast<ContactChannel>(proposed.channel[i]);
                    p.tags = proposed.tags ? proposed.tags[i] : 0;
                    p.debts = &proposed.debt[i];
                    p.n_debts = 1;
                    const detail::HistorySlice slice{&history, sorted ? nullptr : order.data(),
                                                     first[c], first[c + 1], by_time};
                    detail::evaluate(policy, facts, p, slice, scratch, r, nullptr);
                    res.allowed[i] = r.blocking == 0;
                    res.blocking[i] = r.blocking;
                    res.policy[i] = pi;
                    if (options.next_allowed) {
                        std::int64_t end = kNoInstant;
                        const auto next =
                            detail::next_allowed(policy, facts, p, slice, scratch, &end, &r);
                        if (next) {
                            res.next_allowed[i] = *next;
                            res.window_end[i] = end;
                        }
                    }
                }
                done.fetch_add(hi - lo, std::memory_order_relaxed);
            }
        } catch (...) {
            std::lock_guard lock(mutex);
            if (!error) error = std::current_exception();
            cancel = true;
        }
        std::lock_guard lock(mutex);
        --running;
        cv.notify_all();
    };

    // The first report (0, total) comes before any work, so a progress bar starts at zero and a
    // callback can cancel up front.
    if (options.progress && !options.progress(0, np)) {
        res.cancelled = true;
        return res;
    }
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (unsigned t = 0; t < threads; ++t)
        pool.emplace_back(work);
    {
        std::unique_lock lock(mutex);
        while (running > 0) {
            cv.wait_for(lock, std::chrono::milliseconds(100));
            if (options.progress && running > 0 && !cancel) {
                lock.unlock();
                std::exception_ptr failed;
                bool go = true;
                try {
                    go = options.progress(done.load(), np);
                } catch (...) { // e.g. KeyboardInterrupt from the Python callback
                    failed = std::current_exception();
                }
                lock.lock();
                if (failed && !error) error = failed;
                if (failed || !go) cancel = true;
            }
        }
    }
    for (auto& t : pool)
        t.join();
    if (error) std::rethrow_exception(error);
    if (options.progress && !cancel) (void)options.progress(np, np);
    res.cancelled = cancel.load();
    return res;
}

} // namespace arrears
