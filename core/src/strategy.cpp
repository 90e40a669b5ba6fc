#include "arrears/strategy.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <thread>
#include <map>
#include <numeric>
#include <set>
#include <unordered_map>

#include "arrears/error.hpp"
#include "strategy/condition.hpp"

namespace arrears {

namespace {

struct Shorthand {
    std::string_view reason;
    std::vector<std::string_view> flags;     // bool columns that exclude when true
    std::vector<std::string_view> statuses;  // values of a "status" column that exclude
};

const std::vector<Shorthand>& shorthands() {
    static const std::vector<Shorthand> table{
        {"disputed", {"disputed"}, {"disputed"}},
        {"cease", {"cease", "cease_communication"}, {}},
        {"bankrupt", {"bankrupt", "bankruptcy"}, {"bankrupt"}},
        {"deceased", {"deceased"}, {"deceased"}},
        {"attorney", {"attorney", "attorney_represented"}, {}},
        {"legal_hold", {"legal_hold"}, {"legal"}},
    };
    return table;
}

std::vector<Factor> parse_factors(const JsonView& list) {
    std::vector<Factor> out;
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const JsonView f = list.at(i);
        f.check_keys({"name", "column", "weight", "cap", "floor", "direction", "transform", "null_value"});
        Factor x;
        x.path = f.path();
        x.column = f.at("column").as_string();
        x.name = f.has("name") ? f.at("name").as_string() : x.column;
        x.weight = f.at("weight").as_double();
        x.cap = f.at("cap").as_double();
        if (auto fl = f.find("floor")) x.floor = fl->as_double();
        if (!(x.cap > x.floor)) f.at("cap").fail("cap must be greater than floor (" + std::to_string(x.floor) + ")");
        if (auto d = f.find("direction")) {
            const std::string s = d->as_string();
            if (s != "higher" && s != "lower") d->fail("expected \"higher\" or \"lower\", got " + quote(s));
            x.higher_is_worse = s == "higher";
        }
        if (auto t = f.find("transform")) {
            const std::string s = t->as_string();
            if (s != "linear" && s != "log") t->fail("expected \"linear\" or \"log\", got " + quote(s));
            x.log = s == "log";
            if (x.log && x.floor < 0) t->fail("a log transform needs floor >= 0");
        }
        if (auto nv = f.find("null_value")) {
            x.null_value = nv->as_double();
            if (x.null_value < 0 || x.null_value > 1) nv->fail("null_value is a normalized value in [0, 1]");
        }
        if (!names.insert(x.name).second) f.fail("duplicate factor name " + quote(x.name));
        out.push_back(std::move(x));
    }
    return out;
}

std::vector<Segment> parse_segments(const JsonView& list) {
    std::vector<Segment> out;
    std::set<std::string> names;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const JsonView s = list.at(i);
        s.check_keys({"name", "when", "treatment"});
        Segment seg;
        seg.path = s.path();
        seg.name = s.at("name").as_string();
        if (seg.name.empty()) s.at("name").fail("a segment needs a name");
        if (!names.insert(seg.name).second) s.at("name").fail("duplicate segment name " + quote(seg.name));
        if (auto w = s.find("when")) seg.when = Condition::parse(*w);
        const JsonView t = s.at("treatment");
        t.check_keys({"type", "queue", "template"});
        seg.treatment.type = t.at("type").as_string();
        if (seg.treatment.type.empty()) t.at("type").fail("a treatment needs a type");
        if (auto q = t.find("queue")) seg.treatment.queue = q->as_string();
        if (auto tp = t.find("template")) seg.treatment.template_ = tp->as_string();
        if (seg.treatment.type == "call" && seg.treatment.queue.empty())
            t.fail("a call treatment needs a queue");
        out.push_back(std::move(seg));
    }
    return out;
}

Json factors_json(const std::vector<Factor>& fs) {
    Json out = Json::array();
    for (const auto& f : fs)
        out.push_back(Json{{"name", f.name}, {"column", f.column}, {"weight", f.weight}, {"cap", f.cap},
                           {"floor", f.floor}, {"direction", f.higher_is_worse ? "higher" : "lower"},
                           {"transform", f.log ? "log" : "linear"}, {"null_value", f.null_value}});
    return out;
}

Json segments_json(const std::vector<Segment>& ss) {
    Json out = Json::array();
    for (const auto& s : ss) {
        Json t{{"type", s.treatment.type}};
        if (!s.treatment.queue.empty()) t["queue"] = s.treatment.queue;
        if (!s.treatment.template_.empty()) t["template"] = s.treatment.template_;
        Json j{{"name", s.name}, {"treatment", t}};
        if (s.when) j["when"] = s.when->to_json();
        out.push_back(std::move(j));
    }
    return out;
}

// Interning of labels into dictionary codes, in first-seen order.
struct Labels {
    std::vector<std::string> values;
    std::int32_t code(const std::string& v) {
        if (v.empty()) return -1;
        for (std::size_t i = 0; i < values.size(); ++i)
            if (values[i] == v) return static_cast<std::int32_t>(i);
        values.push_back(v);
        return static_cast<std::int32_t>(values.size() - 1);
    }
    std::shared_ptr<const std::vector<std::string>> shared() const {
        return std::make_shared<const std::vector<std::string>>(values);
    }
};

}  // namespace

// ------------------------------------------------------------------------------------------

Strategy Strategy::from_json(std::string_view text) { return from_document(parse_json(text, "strategy")); }

Strategy Strategy::from_document(const Json& document) {
    const JsonView j(document);
    j.require_object();
    j.check_keys({"name", "seed", "buckets", "factors", "exclusions", "segments", "arms", "description"});
    Strategy s;
    s.source_ = document;
    s.name_ = j.at("name").as_string();
    if (s.name_.empty()) j.at("name").fail("a strategy needs a name");
    s.seed_ = j.has("seed") ? j.at("seed").as_string() : s.name_;
    if (auto b = j.find("buckets")) s.buckets_ = Buckets::from_json(*b);
    if (auto f = j.find("factors")) s.factors_ = parse_factors(*f);
    if (auto sg = j.find("segments")) s.segments_ = parse_segments(*sg);
    if (auto ex = j.find("exclusions")) {
        std::set<std::string> reasons;
        for (std::size_t i = 0; i < ex->size(); ++i) {
            const JsonView e = ex->at(i);
            Exclusion x;
            x.path = e.path();
            if (e.json().is_string()) {
                x.reason = e.as_string();
                const bool known = std::any_of(shorthands().begin(), shorthands().end(),
                                               [&](const Shorthand& sh) { return sh.reason == x.reason; });
                if (!known)
                    e.fail("unknown exclusion " + quote(x.reason) +
                           " (shorthands: disputed, cease, bankrupt, deceased, attorney, legal_hold; or "
                           "{\"reason\": ..., \"when\": {...}})");
            } else {
                e.check_keys({"reason", "when"});
                x.reason = e.at("reason").as_string();
                x.when = Condition::parse(e.at("when"));
            }
            if (!reasons.insert(x.reason).second) e.fail("duplicate exclusion " + quote(x.reason));
            s.exclusions_.push_back(std::move(x));
        }
    }
    if (auto arms = j.find("arms")) {
        std::int32_t total = 0;
        std::set<std::string> names;
        for (std::size_t i = 0; i < arms->size(); ++i) {
            const JsonView a = arms->at(i);
            a.check_keys({"name", "percent", "factors", "segments"});
            Arm arm;
            arm.name = a.at("name").as_string();
            if (!names.insert(arm.name).second) a.at("name").fail("duplicate arm " + quote(arm.name));
            const double pct = a.at("percent").as_double();
            const double bp = pct * 100.0;
            if (pct <= 0 || pct > 100 || std::abs(bp - std::round(bp)) > 1e-9)
                a.at("percent").fail("expected a percentage in (0, 100] with at most two decimals");
            arm.basis_points = static_cast<std::int32_t>(std::lround(bp));
            total += arm.basis_points;
            if (auto f = a.find("factors")) {
                arm.factors = parse_factors(*f);
                arm.own_factors = true;
            }
            if (auto sg = a.find("segments")) {
                arm.segments = parse_segments(*sg);
                arm.own_segments = true;
            }
            s.arms_.push_back(std::move(arm));
        }
        if (s.arms_.empty()) arms->fail("needs at least one arm");
        if (total != 10000)
            arms->fail("arm percentages add up to " + std::to_string(total / 100) + "." +
                       std::to_string(total % 100 / 10) + std::to_string(total % 10) + ", not 100");
    } else {
        s.arms_.push_back(Arm{"champion", 10000, {}, {}, false, false});
    }
    return s;
}

Json Strategy::to_json() const {
    Json j{{"name", name_}, {"seed", seed_}, {"buckets", buckets_.edges()}};
    j["factors"] = factors_json(factors_);
    j["segments"] = segments_json(segments_);
    Json ex = Json::array();
    for (const auto& e : exclusions_) {
        if (e.when) ex.push_back(Json{{"reason", e.reason}, {"when", e.when->to_json()}});
        else ex.push_back(e.reason);
    }
    j["exclusions"] = ex;
    Json arms = Json::array();
    for (const auto& a : arms_) {
        Json aj{{"name", a.name}, {"percent", a.basis_points / 100.0}};
        if (a.own_factors) aj["factors"] = factors_json(a.factors);
        if (a.own_segments) aj["segments"] = segments_json(a.segments);
        arms.push_back(std::move(aj));
    }
    j["arms"] = arms;
    return j;
}

std::size_t Strategy::arm_of(std::string_view account_id) const noexcept {
    if (arms_.size() == 1) return 0;
    const std::uint64_t h = stable_hash(account_id, stable_hash(seed_));
    const auto slot = static_cast<std::int32_t>(h % 10000);
    std::int32_t acc = 0;
    for (std::size_t a = 0; a < arms_.size(); ++a) {
        acc += arms_[a].basis_points;
        if (slot < acc) return a;
    }
    return arms_.size() - 1;
}

// ------------------------------------------------------------------------------------------
// Scoring

namespace {

struct BoundFactor {
    RowValue value;
    Factor spec;
    std::size_t part_index;
};

struct BoundSegment {
    std::unique_ptr<BoundCondition> when;
    std::int32_t segment_code, treatment_code, queue_code, template_code;
};

struct BoundExclusion {
    std::unique_ptr<BoundCondition> when;       // explicit condition
    std::vector<const PortfolioColumn*> flags;  // shorthand
    const PortfolioColumn* status = nullptr;
    std::vector<std::uint8_t> status_member;
    std::int32_t code;
    bool matches(std::size_t row) const noexcept {
        if (when) return when->eval(row);
        for (const auto* f : flags)
            if (f->flag.is_valid(row) && f->flag.values[row]) return true;
        if (status) {
            const std::int32_t c = status->category.codes[row];
            if (c >= 0 && status_member[static_cast<std::size_t>(c)]) return true;
        }
        return false;
    }
};

struct BoundArm {
    std::vector<BoundFactor> factors;
    std::vector<BoundSegment> segments;
};


// The decision for one account.
struct RowResult {
    std::int32_t arm = 0, exclusion = -1, segment = -1, treatment = -1, queue = -1, template_ = -1;
    double score = 0;
};

}  // namespace

// A strategy bound to one portfolio and as-of date: columns resolved, labels interned.
struct Strategy::Bound {
    const Portfolio& portfolio;
    std::int32_t as_of_days;
    std::vector<BoundArm> arms;
    std::vector<BoundExclusion> exclusions;
    std::vector<std::string> part_names;
    std::int32_t none_treatment = 0;
    Labels arm_labels, exclusion_labels, segment_labels, treatment_labels, queue_labels, template_labels;

    // Decisions for rows [begin, end) (at most kBlock rows). parts[k * kBlock + j] receives part
    // k of row begin + j (null when only scores are needed). Factor columns are read a block at
    // a time in tight loops; conditions are evaluated per row.
    static constexpr std::size_t kBlock = 1024;
    void evaluate_block(const Strategy& s, std::size_t begin, std::size_t end, RowResult* out,
                        double* parts, std::uint8_t* part_ok) const noexcept {
        const std::size_t n = end - begin;
        double values[kBlock];
        std::uint8_t valid[kBlock];
        for (std::size_t j = 0; j < n; ++j) {
            out[j] = RowResult{};
            out[j].arm = arms.size() == 1 ? 0 : static_cast<std::int32_t>(s.arm_of(portfolio.account_id(begin + j)));
            out[j].treatment = none_treatment;
        }
        if (parts)
            for (std::size_t k = 0; k < part_names.size(); ++k)
                std::fill(part_ok + k * kBlock, part_ok + k * kBlock + n, std::uint8_t{0});
        for (std::size_t a = 0; a < arms.size(); ++a) {
            for (const BoundFactor& f : arms[a].factors) {
                f.value.fill(begin, end, values, valid);
                const Factor& spec = f.spec;
                const double range = spec.cap - spec.floor;
                const double log_range = spec.log ? std::log1p(range) : 1.0;
                for (std::size_t j = 0; j < n; ++j) {
                    if (out[j].arm != static_cast<std::int32_t>(a)) continue;
                    double norm;
                    if (!valid[j]) {
                        norm = spec.null_value;
                    } else {
                        const double x = std::clamp(values[j], spec.floor, spec.cap) - spec.floor;
                        norm = spec.log ? std::log1p(x) / log_range : x / range;
                        if (!spec.higher_is_worse) norm = 1.0 - norm;
                    }
                    const double part = spec.weight * norm;
                    out[j].score += part;
                    if (parts) {
                        parts[f.part_index * kBlock + j] = part;
                        part_ok[f.part_index * kBlock + j] = 1;
                    }
                }
            }
        }
        for (std::size_t j = 0; j < n; ++j) {
            const std::size_t i = begin + j;
            RowResult& r = out[j];
            for (const BoundExclusion& x : exclusions) {
                if (x.matches(i)) {
                    r.exclusion = x.code;
                    break;
                }
            }
            if (r.exclusion >= 0) continue;
            for (const BoundSegment& seg : arms[static_cast<std::size_t>(r.arm)].segments) {
                if (!seg.when || seg.when->eval(i)) {
                    r.segment = seg.segment_code;
                    r.treatment = seg.treatment_code;
                    r.queue = seg.queue_code;
                    r.template_ = seg.template_code;
                    break;
                }
            }
        }
    }
};

struct Strategy::Scored {
    std::vector<std::int32_t> arm, exclusion, segment, treatment, queue, template_, dpd, bucket;
    std::vector<double> score;
    std::vector<std::vector<double>> parts;          // per part name
    std::vector<std::vector<std::uint8_t>> part_ok;  // validity per part (empty: all valid)
};

std::unique_ptr<Strategy::Bound> Strategy::bind(const Portfolio& p, Date as_of) const {
    auto b = std::make_unique<Bound>(Bound{p, days_since_epoch(as_of), {}, {}, {}, 0, {}, {}, {}, {}, {}, {}});
    const BindContext ctx{p, b->as_of_days, buckets_};
    for (const auto& a : arms_) b->arm_labels.code(a.name);
    auto part_index = [&](const std::string& name) {
        for (std::size_t i = 0; i < b->part_names.size(); ++i)
            if (b->part_names[i] == name) return i;
        b->part_names.push_back(name);
        return b->part_names.size() - 1;
    };
    for (const auto& a : arms_) {
        BoundArm arm;
        for (const Factor& f : a.own_factors ? a.factors : factors_) {
            RowValue v = RowValue::bind(f.column, ctx, f.path + ".column");
            if (v.kind() == RowValue::Kind::category || v.kind() == RowValue::Kind::text ||
                v.kind() == RowValue::Kind::date)
                throw ValidationError(f.path + ".column: " + quote(f.column) +
                                      " is not numeric (a factor needs numbers, flags or days_since_*)");
            arm.factors.push_back(BoundFactor{std::move(v), f, part_index(f.name)});
        }
        for (const Segment& sg : a.own_segments ? a.segments : segments_) {
            BoundSegment bs;
            if (sg.when) bs.when = BoundCondition::bind(*sg.when, ctx);
            bs.segment_code = b->segment_labels.code(sg.name);
            bs.treatment_code = b->treatment_labels.code(sg.treatment.type);
            bs.queue_code = b->queue_labels.code(sg.treatment.queue);
            bs.template_code = b->template_labels.code(sg.treatment.template_);
            arm.segments.push_back(std::move(bs));
        }
        b->arms.push_back(std::move(arm));
    }
    b->none_treatment = b->treatment_labels.code("none");
    for (const Exclusion& e : exclusions_) {
        BoundExclusion x;
        x.code = b->exclusion_labels.code(e.reason);
        if (e.when) {
            x.when = BoundCondition::bind(*e.when, ctx);
        } else {
            const auto& sh = *std::find_if(shorthands().begin(), shorthands().end(),
                                           [&](const Shorthand& h) { return h.reason == e.reason; });
            std::string wanted;
            for (auto f : sh.flags) {
                wanted += (wanted.empty() ? "" : ", ") + std::string(f);
                if (p.has_column(f)) {
                    const auto& col = p.column(f);
                    if (col.kind != PortfolioColumn::Kind::flag)
                        throw ValidationError(e.path + ": column " + quote(f) + " must be boolean for the " +
                                              quote(e.reason) + " exclusion");
                    x.flags.push_back(&col);
                }
            }
            if (!sh.statuses.empty() && p.has_column("status")) {
                const auto& col = p.column("status");
                if (col.kind != PortfolioColumn::Kind::category)
                    throw ValidationError(e.path + ": column 'status' must hold text");
                x.status = &col;
                x.status_member.assign(col.category.categories->size(), 0);
                for (std::size_t k = 0; k < x.status_member.size(); ++k)
                    for (auto st : sh.statuses)
                        if ((*col.category.categories)[k] == st) x.status_member[k] = 1;
            }
            if (x.flags.empty() && !x.status)
                throw ValidationError(e.path + ": the " + quote(e.reason) +
                                      " exclusion needs a boolean column (" + wanted + ")" +
                                      (sh.statuses.empty() ? "" : " or a 'status' column") +
                                      " in the portfolio; without it no account could be excluded");
        }
        b->exclusions.push_back(std::move(x));
    }
    return b;
}

Strategy::Scored Strategy::score(const Bound& b, unsigned threads, Progress* progress) const {
    const Portfolio& p = b.portfolio;
    const std::size_t n = p.size(), parts_n = b.part_names.size();
    Scored out;
    out.arm.resize(n);
    out.exclusion.resize(n);
    out.segment.resize(n);
    out.treatment.resize(n);
    out.queue.resize(n);
    out.template_.resize(n);
    out.dpd.resize(n);
    out.bucket.resize(n);
    out.score.resize(n);
    out.parts.assign(parts_n, std::vector<double>(n, 0.0));
    out.part_ok.assign(parts_n, std::vector<std::uint8_t>(n, 0));
    if (progress) progress->set_total(n);
    constexpr std::size_t B = Bound::kBlock;
    parallel_for(n, threads, [&](std::size_t begin, std::size_t end, unsigned) {
        std::vector<double> parts(parts_n * B);
        std::vector<std::uint8_t> ok(parts_n * B);
        RowResult rows[B];
        for (std::size_t block = begin; block < end; block += B) {
            if (progress && progress->cancelled()) return;
            const std::size_t stop = std::min(end, block + B);
            b.evaluate_block(*this, block, stop, rows, parts.data(), ok.data());
            for (std::size_t i = block; i < stop; ++i) {
                const RowResult& r = rows[i - block];
                out.arm[i] = r.arm;
                out.exclusion[i] = r.exclusion;
                out.segment[i] = r.segment;
                out.treatment[i] = r.treatment;
                out.queue[i] = r.queue;
                out.template_[i] = r.template_;
                out.score[i] = r.score;
                out.dpd[i] = p.dpd(i, b.as_of_days);
                out.bucket[i] = buckets_.index_of(out.dpd[i]);
                for (std::size_t k = 0; k < parts_n; ++k) {
                    const bool has = ok[k * B + (i - block)] != 0;
                    out.parts[k][i] = has ? parts[k * B + (i - block)] : 0.0;
                    out.part_ok[k][i] = has ? 1 : 0;
                }
            }
            if (progress) progress->advance(stop - block);
        }
    });
    if (progress) progress->check();
    for (auto& ok : out.part_ok)
        if (std::all_of(ok.begin(), ok.end(), [](auto v) { return v == 1; })) ok.clear();
    return out;
}

Table Strategy::apply(const Portfolio& p, Date as_of, unsigned threads, Progress* progress) const {
    const auto bound = bind(p, as_of);
    Scored s = score(*bound, threads, progress);
    const std::size_t n = p.size();
    std::vector<std::uint8_t> excluded(n);
    for (std::size_t i = 0; i < n; ++i) excluded[i] = s.exclusion[i] >= 0;
    Table t;
    t.add_strings("account_id", p.shared_account_ids());
    t.add_dictionary("arm", std::move(s.arm), bound->arm_labels.shared());
    t.add_bool("excluded", std::move(excluded));
    t.add_dictionary("exclusion", std::move(s.exclusion), bound->exclusion_labels.shared());
    t.add_dictionary("segment", std::move(s.segment), bound->segment_labels.shared());
    t.add_dictionary("treatment", std::move(s.treatment), bound->treatment_labels.shared());
    t.add_dictionary("queue", std::move(s.queue), bound->queue_labels.shared());
    t.add_dictionary("template", std::move(s.template_), bound->template_labels.shared());
    t.add_float64("score", std::move(s.score));
    t.add_int32("dpd", std::move(s.dpd));
    t.add_dictionary("bucket", std::move(s.bucket),
                     std::make_shared<const std::vector<std::string>>(buckets_.labels()));
    const auto& bal = p.balance_cents();
    t.add_borrowed("balance_cents", ColumnType::int64,
                   BorrowedValues{bal.values.data(), bal.size(), p.shared_from_this()});
    for (std::size_t k = 0; k < bound->part_names.size(); ++k)
        t.add_float64("part_" + bound->part_names[k], std::move(s.parts[k]), std::move(s.part_ok[k]));
    return t;
}

Table Strategy::worklist(const Portfolio& p, Date as_of, const WorklistOptions& options, unsigned threads,
                         Progress* progress) const {
    if (options.top_percent && (!(*options.top_percent > 0) || *options.top_percent > 100))
        throw ValidationError("top_percent: " + std::to_string(*options.top_percent) +
                              " is outside (0, 100]");
    if (options.top_n && *options.top_n == 0) throw ValidationError("top_n: must be at least 1");
    const auto bound = bind(p, as_of);
    const auto& queues = bound->queue_labels.values;
    for (const auto& q : options.queues)
        if (std::find(queues.begin(), queues.end(), q) == queues.end())
            throw ValidationError("queues: no segment of strategy " + quote(name_) + " feeds queue " + quote(q));
    std::vector<std::uint8_t> wanted(queues.size(), options.queues.empty() ? 1 : 0);
    for (const auto& q : options.queues)
        wanted[static_cast<std::size_t>(std::find(queues.begin(), queues.end(), q) - queues.begin())] = 1;

    // Lean pass: only the score and the queue (-1: not on a wanted worklist) of every account.
    const std::size_t n = p.size();
    std::vector<double> score(n);
    std::vector<std::int32_t> queue(n);
    if (progress) progress->set_total(n);
    const unsigned t = resolve_threads(threads, n);
    std::vector<std::vector<std::size_t>> counts(t, std::vector<std::size_t>(queues.size(), 0));
    parallel_for(n, t, [&](std::size_t begin, std::size_t end, unsigned w) {
        constexpr std::size_t B = Bound::kBlock;
        RowResult results[B];
        for (std::size_t block = begin; block < end; block += B) {
            if (progress && progress->cancelled()) return;
            const std::size_t stop = std::min(end, block + B);
            bound->evaluate_block(*this, block, stop, results, nullptr, nullptr);
            for (std::size_t i = block; i < stop; ++i) {
                const RowResult& r = results[i - block];
                score[i] = r.score;
                const bool on = r.queue >= 0 && wanted[static_cast<std::size_t>(r.queue)];
                queue[i] = on ? r.queue : -1;
                if (on) ++counts[w][static_cast<std::size_t>(r.queue)];
            }
            if (progress) progress->advance(stop - block);
        }
    });
    if (progress) progress->check();
    std::vector<std::vector<std::uint32_t>> rows(queues.size());
    for (std::size_t q = 0; q < queues.size(); ++q) {
        std::size_t total = 0;
        for (unsigned w = 0; w < t; ++w) total += counts[w][q];
        rows[q].reserve(total);
    }
    for (std::size_t i = 0; i < n; ++i)
        if (queue[i] >= 0) rows[static_cast<std::size_t>(queue[i])].push_back(static_cast<std::uint32_t>(i));

    const auto& bal = p.balance_cents().values;
    const std::int32_t today = bound->as_of_days;
    // Order: score, then dpd, then balance (all descending), then account id.
    struct Key {
        double score;
        std::int32_t dpd;
        std::uint32_t row;
        std::int64_t balance;
    };
    auto before = [&](const Key& a, const Key& b) {
        if (a.score != b.score) return a.score > b.score;
        if (a.dpd != b.dpd) return a.dpd > b.dpd;
        if (a.balance != b.balance) return a.balance > b.balance;
        return p.account_id(a.row) < p.account_id(b.row);
    };
    std::vector<std::uint32_t> selected;
    std::vector<std::int32_t> queue_col, rank;
    for (std::size_t q = 0; q < queues.size(); ++q) {
        auto& r = rows[q];
        std::size_t keep = r.size();
        if (options.top_percent)
            keep = std::min(keep, static_cast<std::size_t>(std::ceil(static_cast<double>(r.size()) * *options.top_percent / 100.0)));
        if (options.top_n) keep = std::min(keep, *options.top_n);
        if (keep == 0) continue;
        // The keep-th best score on a plain array, then only rows at or above it get full keys
        // (ties at the cut are settled by the full order).
        double cut = -std::numeric_limits<double>::infinity();
        if (keep < r.size()) {
            std::vector<double> s(r.size());
            for (std::size_t k = 0; k < r.size(); ++k) s[k] = score[r[k]];
            std::nth_element(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(keep - 1), s.end(), std::greater<>());
            cut = s[keep - 1];
        }
        std::vector<Key> keys;
        keys.reserve(keep + keep / 8 + 16);
        for (std::uint32_t i : r)
            if (score[i] >= cut) keys.push_back(Key{score[i], p.dpd(i, today), i, bal[i]});
        if (keys.size() > keep) {  // ties at the cut: settle them with the full order
            std::nth_element(keys.begin(), keys.begin() + static_cast<std::ptrdiff_t>(keep - 1), keys.end(), before);
            keys.resize(keep);
        }
        if (keys.size() > 200'000 && t > 1) {  // two sorted halves on two threads, then a merge
            const auto mid = keys.begin() + static_cast<std::ptrdiff_t>(keys.size() / 2);
            std::thread other([&] { std::sort(mid, keys.end(), before); });
            std::sort(keys.begin(), mid, before);
            other.join();
            std::inplace_merge(keys.begin(), mid, keys.end(), before);
        } else {
            std::sort(keys.begin(), keys.end(), before);
        }
        for (std::size_t k = 0; k < keys.size(); ++k) {
            selected.push_back(keys[k].row);
            queue_col.push_back(static_cast<std::int32_t>(q));
            rank.push_back(static_cast<std::int32_t>(k + 1));
        }
    }
    // Full detail (arm, segment, parts ...) for the selected accounts only.
    const std::size_t m = selected.size(), parts_n = bound->part_names.size();
    std::vector<std::int32_t> arm(m), segment(m), treatment(m), dpd(m), bucket(m);
    std::vector<double> out_score(m);
    std::vector<std::int64_t> balance(m);
    std::vector<std::string> ids(m);
    std::vector<std::vector<double>> parts(parts_n, std::vector<double>(m, 0.0));
    std::vector<std::vector<std::uint8_t>> parts_ok(parts_n, std::vector<std::uint8_t>(m, 0));
    parallel_for(m, threads, [&](std::size_t begin, std::size_t end, unsigned) {
        constexpr std::size_t B = Bound::kBlock;
        std::vector<double> pv(parts_n * B);
        std::vector<std::uint8_t> ok(parts_n * B);
        RowResult r;
        for (std::size_t k = begin; k < end; ++k) {
            const std::uint32_t i = selected[k];
            bound->evaluate_block(*this, i, i + 1, &r, pv.data(), ok.data());
            arm[k] = r.arm;
            segment[k] = r.segment;
            treatment[k] = r.treatment;
            out_score[k] = r.score;
            dpd[k] = p.dpd(i, today);
            bucket[k] = buckets_.index_of(dpd[k]);
            balance[k] = bal[i];
            ids[k] = std::string(p.account_id(i));
            for (std::size_t f = 0; f < parts_n; ++f) {
                parts[f][k] = ok[f * B] ? pv[f * B] : 0.0;
                parts_ok[f][k] = ok[f * B];
            }
        }
    }, 4096);
    Table out;
    out.add_dictionary("queue", std::move(queue_col), bound->queue_labels.shared());
    out.add_int32("rank", std::move(rank));
    out.add_utf8("account_id", std::move(ids));
    out.add_dictionary("arm", std::move(arm), bound->arm_labels.shared());
    out.add_dictionary("segment", std::move(segment), bound->segment_labels.shared());
    out.add_dictionary("treatment", std::move(treatment), bound->treatment_labels.shared());
    out.add_float64("score", std::move(out_score));
    out.add_int32("dpd", std::move(dpd));
    out.add_dictionary("bucket", std::move(bucket), std::make_shared<const std::vector<std::string>>(buckets_.labels()));
    out.add_int64("balance_cents", std::move(balance));
    for (std::size_t f = 0; f < parts_n; ++f) {
        if (std::all_of(parts_ok[f].begin(), parts_ok[f].end(), [](auto v) { return v == 1; })) parts_ok[f].clear();
        out.add_float64("part_" + bound->part_names[f], std::move(parts[f]), std::move(parts_ok[f]));
    }
    return out;
}

Table Strategy::backtest(const std::vector<std::pair<Date, std::shared_ptr<const Portfolio>>>& snapshots,
                         const ArrowImport& payments, std::int32_t horizon_days, unsigned threads) const {
    if (snapshots.empty()) throw ValidationError("snapshots: at least one (as_of, portfolio) is needed");
    if (horizon_days < 1) throw ValidationError("horizon_days: " + std::to_string(horizon_days) + " must be at least 1");
    const StringColumn pay_ids = payments.strings("account_id");
    const auto pay_dates = payments.days("effective_date");
    const auto pay_amounts = payments.int64("amount_cents");
    for (std::size_t i = 0; i < pay_ids.size(); ++i)
        if (!pay_ids.is_valid(i) || !pay_dates.is_valid(i) || !pay_amounts.is_valid(i))
            throw ValidationError("payments: row " + std::to_string(i) + " has a null account_id, effective_date or amount_cents");

    std::vector<std::int32_t> as_of_col;
    std::vector<std::string> arm_col, segment_col, treatment_col;
    std::vector<std::int64_t> accounts_col, balance_col, collected_col, payers_col;
    std::vector<double> liquidation_col, payer_rate_col;
    for (const auto& [as_of, portfolio] : snapshots) {
        if (!portfolio) throw ValidationError("snapshots: a portfolio is missing");
        const auto bound = bind(*portfolio, as_of);
        Scored s = score(*bound, threads, nullptr);
        const std::int32_t start = days_since_epoch(as_of), stop = start + horizon_days;
        std::vector<std::int64_t> collected(portfolio->size(), 0);
        for (std::size_t k = 0; k < pay_ids.size(); ++k) {
            const std::int32_t d = pay_dates.values[k];
            if (d <= start || d > stop) continue;
            if (auto row = portfolio->find(pay_ids.at(k))) collected[*row] += pay_amounts.values[k];
        }
        struct Group { std::int64_t accounts = 0, balance = 0, collected = 0, payers = 0; };
        std::map<std::tuple<std::int32_t, std::int32_t, std::int32_t, std::int32_t>, Group> groups;
        for (std::size_t i = 0; i < portfolio->size(); ++i) {
            auto& g = groups[{s.arm[i], s.exclusion[i], s.segment[i], s.treatment[i]}];
            ++g.accounts;
            g.balance += portfolio->balance_cents().values[i];
            g.collected += collected[i];
            g.payers += collected[i] > 0;
        }
        for (const auto& [key, g] : groups) {
            const auto [a, x, sg, tr] = key;
            as_of_col.push_back(start);
            arm_col.push_back(bound->arm_labels.values[static_cast<std::size_t>(a)]);
            segment_col.push_back(x >= 0 ? "excluded: " + bound->exclusion_labels.values[static_cast<std::size_t>(x)]
                                         : sg >= 0 ? bound->segment_labels.values[static_cast<std::size_t>(sg)] : "(none)");
            treatment_col.push_back(bound->treatment_labels.values[static_cast<std::size_t>(tr)]);
            accounts_col.push_back(g.accounts);
            balance_col.push_back(g.balance);
            collected_col.push_back(g.collected);
            payers_col.push_back(g.payers);
            liquidation_col.push_back(g.balance > 0 ? static_cast<double>(g.collected) / static_cast<double>(g.balance) : 0.0);
            payer_rate_col.push_back(static_cast<double>(g.payers) / static_cast<double>(g.accounts));
        }
    }
    Table t;
    t.add_date32("as_of", std::move(as_of_col));
    t.add_utf8("arm", std::move(arm_col));
    t.add_utf8("segment", std::move(segment_col));
    t.add_utf8("treatment", std::move(treatment_col));
    t.add_int64("accounts", std::move(accounts_col));
    t.add_int64("balance_cents", std::move(balance_col));
    t.add_int64("collected_cents", std::move(collected_col));
    t.add_int64("paying_accounts", std::move(payers_col));
    t.add_float64("liquidation_rate", std::move(liquidation_col));
    t.add_float64("payer_rate", std::move(payer_rate_col));
    return t;
}

}  // namespace arrears
