#include "arrears/contact_batch.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "arrears/error.hpp"
#include "compliance/engine.hpp"

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

void check_code(std::uint8_t v, int n, const char* column, std::size_t row, const char* what) {
    if (v >= n)
        throw ValidationError(at_row(column, row) + ": " + std::to_string(v) + " is not a " + what +
                              " code (0.." + std::to_string(n - 1) + ")");
}

}  // namespace

BatchResult check_contacts(const std::vector<const ContactPolicy*>& policies,
                           const std::vector<const Consumer*>& consumers,
                           const std::vector<std::int32_t>& consumer_policy,
                           const std::vector<std::string>& debt_names,
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
    const std::size_t nd = debt_names.size();
    if (nd > static_cast<std::size_t>(INT32_MAX)) throw ValidationError("debt_names: too many debts");
    std::unordered_map<std::string_view, std::int32_t> debt_code;
    debt_code.reserve(nd);
    for (std::size_t i = 0; i < nd; ++i)
        if (!debt_code.emplace(debt_names[i], static_cast<std::int32_t>(i)).second)
            throw ValidationError(at_row("debt_names", i) + ": duplicate debt id " +
                                  quote(debt_names[i]));

    const std::size_t np = proposed.size;
    if (np) {
        require(proposed.consumer, "proposed.consumer");
        require(proposed.debt, "proposed.debt");
        require(proposed.at, "proposed.at");
        require(proposed.channel, "proposed.channel");
    }
    for (std::size_t i = 0; i < np; ++i) {
        check_index(proposed.consumer[i], nc, "proposed.consumer", i);
        check_index(proposed.debt[i], nd, "proposed.debt", i);
        check_code(proposed.channel[i], kChannelCount, "proposed.channel", i, "channel");
        if (proposed.tags && (proposed.tags[i] >> kContactTagCount))
            throw ValidationError(at_row("proposed.tags", i) + ": unknown tag bits");
    }
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
    bool sorted = true;
    for (std::size_t i = 0; i < nh; ++i) {
        check_index(history.consumer[i], nc, "history.consumer", i);
        check_index(history.debt[i], nd, "history.debt", i);
        check_code(history.channel[i], kChannelCount, "history.channel", i, "channel");
        check_code(history.direction[i], 2, "history.direction", i, "direction");
        check_code(history.outcome[i], kOutcomeCount, "history.outcome", i, "outcome");
        if (history.tags && (history.tags[i] >> kContactTagCount))
            throw ValidationError(at_row("history.tags", i) + ": unknown tag bits");
        if (i && history.consumer[i] < history.consumer[i - 1]) sorted = false;
    }

    // ---- group the history by consumer (a stable counting sort when not already grouped) ----
    std::vector<std::size_t> first(nc + 1, 0);
    for (std::size_t i = 0; i < nh; ++i) ++first[static_cast<std::size_t>(history.consumer[i]) + 1];
    for (std::size_t c = 0; c < nc; ++c) first[c + 1] += first[c];
    std::vector<std::uint32_t> order;
    if (!sorted) {
        order.resize(nh);
        std::vector<std::size_t> fill(first.begin(), first.end() - 1);
        for (std::size_t i = 0; i < nh; ++i)
            order[fill[static_cast<std::size_t>(history.consumer[i])]++] = static_cast<std::uint32_t>(i);
    }

    // ---- consumers as codes ----------------------------------------------------------------
    std::vector<detail::ConsumerFacts> facts(nc);
    auto codes = [&](const std::vector<std::string>& ids) {
        std::vector<std::int32_t> out;
        for (const auto& id : ids)
            if (auto it = debt_code.find(id); it != debt_code.end()) out.push_back(it->second);
        std::sort(out.begin(), out.end());
        return out;
    };
    for (std::size_t i = 0; i < nc; ++i) {
        const Consumer& c = *consumers[i];
        auto& f = facts[i];
        f.zones = c.zones().data();
        f.n_zones = c.zones().size();
        f.opted_out = c.opted_out();
        f.cease = codes(c.cease());
        f.disputed = codes(c.disputed());
        f.time_barred = codes(c.time_barred());
        f.inconvenient = c.inconvenient().data();
        f.n_inconvenient = c.inconvenient().size();
        f.attorney = c.attorney();
        f.bankruptcy = c.bankruptcy();
        f.deceased = c.deceased();
    }

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
    threads = static_cast<unsigned>(std::min<std::size_t>(threads, std::max<std::size_t>(chunks, 1)));
    std::atomic<std::size_t> next_chunk{0}, done{0};
    std::atomic<bool> cancel{false};
    std::mutex mutex;
    std::condition_variable cv;
    std::exception_ptr error;
    unsigned running = threads;

    auto work = [&]() {
        detail::Scratch scratch;
        detail::EvalResult r;
        try {
            for (;;) {
                if (cancel.load(std::memory_order_relaxed)) break;
                const std::size_t chunk = next_chunk.fetch_add(1);
                if (chunk >= chunks) break;
                const std::size_t lo = chunk * kChunk, hi = std::min(np, lo + kChunk);
                for (std::size_t i = lo; i < hi; ++i) {
                    const auto c = static_cast<std::size_t>(proposed.consumer[i]);
                    const std::int32_t pi = consumer_policy.empty() ? 0 : consumer_policy[c];
                    const ContactPolicy& policy = *policies[static_cast<std::size_t>(pi)];
                    detail::ProposalFacts p;
                    p.at = proposed.at[i];
                    p.channel = static_cast<Channel>(proposed.channel[i]);
                    p.tags = proposed.tags ? proposed.tags[i] : 0;
                    p.debts = &proposed.debt[i];
                    p.n_debts = 1;
                    const detail::HistorySlice slice{&history, sorted ? nullptr : order.data(),
                                                     first[c], first[c + 1]};
                    detail::evaluate(policy, facts[c], p, slice, scratch, r, nullptr);
                    res.allowed[i] = r.blocking == 0;
                    res.blocking[i] = r.blocking;
                    res.policy[i] = pi;
                    if (options.next_allowed) {
                        std::int64_t end = kNoInstant;
                        const auto next =
                            detail::next_allowed(policy, facts[c], p, slice, scratch, &end, &r);
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
    for (unsigned t = 0; t < threads; ++t) pool.emplace_back(work);
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
                } catch (...) {  // e.g. KeyboardInterrupt from the Python callback
                    failed = std::current_exception();
                }
                lock.lock();
                if (failed && !error) error = failed;
                if (failed || !go) cancel = true;
            }
        }
    }
    for (auto& t : pool) t.join();
    if (error) std::rethrow_exception(error);
    if (options.progress && !cancel) (void)options.progress(np, np);
    res.cancelled = cancel.load();
    return res;
}

}  // namespace arrears
