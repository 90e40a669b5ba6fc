// The columnar compliance check (_core.compliance.check_contact_columns): a whole worklist
// against the contact history in one call that releases the GIL and uses every core. The facade
// arrears.compliance.check_worklist encodes the columns and names the blocking rules.
#include "pybind11.hpp"

#include <bit>
#include <unordered_map>

#include "arrears/consumer.hpp"
#include "arrears/contact_batch.hpp"
#include "arrears/contact_policy.hpp"
#include "glue/numpy.hpp"
#include "glue/progress.hpp"

using namespace arrears;
using glue::NpColumn;

void bind_contact_batch(py::module_& m) {
    m.def(
        "check_contact_columns",
        [](const py::sequence& policies, const py::sequence& consumers,
           const std::optional<NpColumn<std::int32_t>>& consumer_policy, std::size_t n_debts,
           const py::object& debt_lookup, const NpColumn<std::int64_t>& p_consumer,
           const NpColumn<std::int32_t>& p_debt, const NpColumn<std::int64_t>& p_at,
           const NpColumn<std::uint8_t>& p_channel,
           const std::optional<NpColumn<std::uint32_t>>& p_tags,
           const NpColumn<std::int64_t>& h_consumer, const NpColumn<std::int32_t>& h_debt,
           const NpColumn<std::int64_t>& h_at, const NpColumn<std::uint8_t>& h_channel,
           const NpColumn<std::uint8_t>& h_direction, const NpColumn<std::uint8_t>& h_outcome,
           const std::optional<NpColumn<std::uint8_t>>& h_consent,
           const std::optional<NpColumn<std::uint32_t>>& h_tags,
           const std::optional<NpColumn<std::int64_t>>& h_event, unsigned threads,
           bool next_allowed, const py::object& progress) {
            std::vector<const ContactPolicy*> pols;
            for (const auto& p : policies)
                pols.push_back(&p.cast<const ContactPolicy&>());
            std::vector<const Consumer*> cons;
            cons.reserve(py::len(consumers));
            std::size_t i = 0;
            for (const auto& c : consumers) {
                try {
                    cons.push_back(&c.cast<const Consumer&>());
                } catch (const py::cast_error&) {
                    throw ValidationError("consumers[" + std::to_string(i) +
                                          "]: expected a Consumer, got " + glue::py_repr(c));
                }
                ++i;
            }
            // Codes only for the debt ids consumers name: one call to debt_lookup(ids).
            DebtCodes debt_codes;
            const std::vector<std::string> named = named_debt_ids(cons);
            if (!named.empty()) {
                py::object found = debt_lookup(py::cast(named));
                std::size_t k = 0;
                for (const auto& code : found) {
                    if (k >= named.size()) break;
                    const auto c = code.cast<std::int64_t>();
                    auto& v = debt_codes[named[k++]];
                    if (c >= 0 && static_cast<std::uint64_t>(c) < n_debts)
                        v.push_back(static_cast<std::int32_t>(c));
                }
                if (k != named.size())
                    throw ValidationError("debt_lookup: returned " + std::to_string(k) +
                                          " codes for " + std::to_string(named.size()) + " ids");
            }
            std::vector<std::int32_t> cp;
            if (consumer_policy) {
                const auto* d = glue::column_data(consumer_policy, cons.size(), "consumer_policy");
                cp.assign(d, d + cons.size());
            }
            const auto np = static_cast<std::size_t>(p_at.shape(0));
            ProposalColumns pc;
            pc.size = np;
            pc.consumer = glue::column_data(std::optional(p_consumer), np, "proposed.consumer");
            pc.debt = glue::column_data(std::optional(p_debt), np, "proposed.debt");
            pc.at = glue::column_data(std::optional(p_at), np, "proposed.at");
            pc.channel = glue::column_data(std::optional(p_channel), np, "proposed.channel");
            pc.tags = glue::column_data(p_tags, np, "proposed.tags");
            const auto nh = static_cast<std::size_t>(h_at.shape(0));
            ContactColumns hc;
            hc.size = nh;
            hc.consumer = glue::column_data(std::optional(h_consumer), nh, "history.consumer");
            hc.debt = glue::column_data(std::optional(h_debt), nh, "history.debt");
            hc.at = glue::column_data(std::optional(h_at), nh, "history.at");
            hc.channel = glue::column_data(std::optional(h_channel), nh, "history.channel");
            hc.direction = glue::column_data(std::optional(h_direction), nh, "history.direction");
            hc.outcome = glue::column_data(std::optional(h_outcome), nh, "history.outcome");
            hc.consent = glue::column_data(h_consent, nh, "history.consent");
            hc.tags = glue::column_data(h_tags, nh, "history.tags");
            hc.event = glue::column_data(h_event, nh, "history.event");
            BatchOptions options;
            options.threads = threads;
            options.next_allowed = next_allowed;
            // Called on this thread while the GIL is released: report progress, check Ctrl-C.
            // The project's progress bridge: progress(done, total) is called (GIL taken) from
            // the calling thread; Ctrl-C or a callback that raises stops the batch, which then
            // raises Cancelled (KeyboardInterrupt in Python).
            glue::ProgressBridge bridge(progress, np);
            std::size_t reported = 0;
            options.progress = [&bridge, &reported](std::size_t done, std::size_t) {
                if (done > reported) {
                    bridge.progress().advance(done - reported);
                    reported = done;
                } else if (done == 0) {
                    bridge.progress().advance(0);
                }
                return !bridge.progress().cancelled();
            };
            BatchResult r;
            {
                py::gil_scoped_release release;
                r = check_contacts(pols, cons, cp, debt_codes, n_debts, pc, hc, options);
            }
            if (r.cancelled)
                throw Cancelled("check_worklist: cancelled (interrupted, or the progress callback "
                                "raised)");
            py::array_t<bool> allowed(static_cast<py::ssize_t>(np));
            auto* a = allowed.mutable_data();
            for (std::size_t k = 0; k < np; ++k)
                a[k] = r.allowed[k] != 0;
            py::dict out;
            out["allowed"] = allowed;
            // The first blocking rule of each row, and a code per distinct (policy, blocking
            // rules) so the facade names them without a Python loop over rows.
            py::array_t<std::int16_t> first_rule(static_cast<py::ssize_t>(np));
            py::array_t<std::int32_t> mask_code(static_cast<py::ssize_t>(np));
            auto* fr = first_rule.mutable_data();
            auto* mc = mask_code.mutable_data();
            std::unordered_map<std::uint64_t, std::int32_t> seen;
            py::list masks;
            for (std::size_t k = 0; k < np; ++k) {
                const std::uint64_t b = r.blocking[k];
                fr[k] = b ? static_cast<std::int16_t>(std::countr_zero(b)) : std::int16_t{-1};
                const std::uint64_t key =
                    b ^ (static_cast<std::uint64_t>(r.policy[k]) * 0x9E3779B97F4A7C15ull);
                auto [it, fresh] = seen.emplace(key, static_cast<std::int32_t>(seen.size()));
                if (fresh) masks.append(py::make_tuple(r.policy[k], b));
                mc[k] = it->second;
            }
            out["first_rule"] = first_rule;
            out["mask_code"] = mask_code;
            out["masks"] = masks;
            out["blocking"] = glue::to_numpy(std::move(r.blocking));
            out["policy"] = glue::to_numpy(std::move(r.policy));
            if (next_allowed) {
                out["next_allowed"] = glue::to_numpy(std::move(r.next_allowed));
                out["window_end"] = glue::to_numpy(std::move(r.window_end));
            }
            return out;
        },
        "policies"_a, "consumers"_a, "consumer_policy"_a, "n_debts"_a, "debt_lookup"_a,
        "p_consumer"_a, "p_debt"_a, "p_at"_a, "p_channel"_a, "p_tags"_a, "h_consumer"_a, "h_debt"_a,
        "h_at"_a, "h_channel"_a, "h_direction"_a, "h_outcome"_a, "h_consent"_a, "h_tags"_a,
        "h_event"_a, "threads"_a = 0, "next_allowed"_a = true, "progress"_a = py::none(),
        "Low-level columnar batch check (use arrears.compliance.check_worklist). "
        "debt_lookup(ids) returns the code of each debt id a consumer names (-1 if absent).");
}
