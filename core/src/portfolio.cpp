#include "arrears/portfolio.hpp"

#include <algorithm>
#include <unordered_map>

#include "arrears/error.hpp"

namespace arrears {

namespace {

constexpr std::string_view kAccountId = "account_id";
constexpr std::string_view kBalance = "balance_cents";
constexpr std::string_view kDue = "oldest_unpaid_due";

struct TransparentHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

CategoryColumn encode(const StringColumn& strings) {
    CategoryColumn out;
    out.codes.resize(strings.size());
    std::unordered_map<std::string, std::int32_t, TransparentHash, std::equal_to<>> lookup;
    for (std::size_t i = 0; i < strings.size(); ++i) {
        if (!strings.is_valid(i)) {
            out.codes[i] = -1;
            continue;
        }
        const std::string_view s = strings.at(i);
        auto it = lookup.find(s);
        if (it == lookup.end()) {
            const auto code = static_cast<std::int32_t>(out.categories->size());
            out.categories->emplace_back(s);
            it = lookup.emplace(std::string(s), code).first;
        }
        out.codes[i] = it->second;
    }
    return out;
}

std::string first_null(const std::vector<std::uint8_t>& valid) {
    for (std::size_t i = 0; i < valid.size(); ++i)
        if (!valid[i]) return std::to_string(i);
    return "?";
}

}  // namespace

std::uint64_t stable_hash(std::string_view text, std::uint64_t seed) noexcept {
    std::uint64_t h = 14695981039346656037ULL ^ seed;
    for (char c : text) {
        h ^= static_cast<unsigned char>(c);
        h *= 1099511628211ULL;
    }
    // final avalanche (splitmix64) so nearby ids spread over the whole range
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

std::int32_t CategoryColumn::code_of(std::string_view label) const {
    for (std::size_t i = 0; i < categories->size(); ++i)
        if ((*categories)[i] == label) return static_cast<std::int32_t>(i);
    return -1;
}

std::string_view to_string(PortfolioColumn::Kind k) noexcept {
    switch (k) {
        case PortfolioColumn::Kind::integer: return "integer";
        case PortfolioColumn::Kind::real: return "real";
        case PortfolioColumn::Kind::flag: return "flag";
        case PortfolioColumn::Kind::date: return "date";
        case PortfolioColumn::Kind::category: return "category";
        case PortfolioColumn::Kind::text: return "text";
    }
    return "integer";
}

bool PortfolioColumn::is_valid(std::size_t row) const noexcept {
    switch (kind) {
        case Kind::integer: return integer.is_valid(row);
        case Kind::real: return real.is_valid(row);
        case Kind::flag: return flag.is_valid(row);
        case Kind::date: return date.is_valid(row);
        case Kind::category: return category.codes[row] >= 0;
        case Kind::text: return text->is_valid(row);
    }
    return false;
}

std::size_t PortfolioColumn::memory_bytes() const noexcept {
    switch (kind) {
        case Kind::integer: return integer.size() * 8 + integer.valid.size();
        case Kind::real: return real.size() * 8 + real.valid.size();
        case Kind::flag: return flag.size() + flag.valid.size();
        case Kind::date: return date.size() * 4 + date.valid.size();
        case Kind::category: {
            std::size_t n = category.codes.size() * 4;
            for (const auto& c : *category.categories) n += c.size() + sizeof(std::string);
            return n;
        }
        case Kind::text: return text->offsets.size() * 8 + text->chars.size() + text->valid.size();
    }
    return 0;
}

std::shared_ptr<const Portfolio> Portfolio::from_arrow(const ArrowImport& in,
                                                       const std::vector<std::string>& only) {
    std::shared_ptr<Portfolio> p(new Portfolio());
    p->keepalive_ = in.shared_from_this();
    for (std::string_view required : {kAccountId, kBalance, kDue}) {
        if (!in.has_column(required)) {
            std::string have;
            for (const auto& n : in.column_names()) have += (have.empty() ? "" : ", ") + n;
            throw ValidationError("portfolio: required column " + quote(required) +
                                  " is missing (columns given: " + have + ")");
        }
    }
    auto ids = std::make_shared<StringColumn>(in.strings(kAccountId));
    if (!ids->valid.empty())
        throw ValidationError("account_id: null at row " + first_null(ids->valid) +
                              " (every account needs an id)");
    p->ids_ = ids;
    p->balance_ = in.int64(kBalance);
    if (p->balance_.has_nulls())
        throw ValidationError("balance_cents: null at row " + first_null(p->balance_.valid) +
                              " (write 0 for a zero balance)");
    p->due_ = in.days(kDue);

    for (const std::string& name : in.column_names()) {
        if (name == kAccountId || name == kBalance || name == kDue) continue;
        if (!only.empty() && std::find(only.begin(), only.end(), name) == only.end()) continue;
        const std::string fmt = in.format(name);
        PortfolioColumn col;
        using K = PortfolioColumn::Kind;
        const bool is_int = fmt.size() == 1 && std::string_view("lLiIsScC").find(fmt[0]) != std::string_view::npos;
        if (is_int) {
            col.kind = K::integer;
            col.integer = in.int64(name);
        } else if (fmt == "g" || fmt == "f") {
            col.kind = K::real;
            col.real = in.float64(name);
        } else if (fmt == "b") {
            col.kind = K::flag;
            col.flag = in.boolean(name);
        } else if (fmt == "tdD" || fmt == "tdm" || fmt.rfind("ts", 0) == 0) {
            col.kind = K::date;
            col.date = in.days(name);
        } else {
            StringColumn strings;
            try {
                strings = in.strings(name);
            } catch (const ValidationError&) {
                throw ValidationError("column " + quote(name) + ": Arrow type " + quote(fmt) +
                                      " cannot be held by a portfolio (use integers, floats, "
                                      "booleans, dates or strings, or leave the column out)");
            }
            if (name == "debtor_id") {
                col.kind = K::text;
                col.text = std::make_shared<StringColumn>(std::move(strings));
            } else {
                col.kind = K::category;
                col.category = encode(strings);
            }
        }
        p->order_.push_back(name);
        p->columns_.emplace(name, std::move(col));
    }
    p->build_index();
    return p;
}

void Portfolio::build_index() {
    const std::size_t n = ids_->size();
    if (n >= 0xFFFFFFFFull) throw ValidationError("portfolio: more than 4 billion accounts");
    std::size_t cap = 16;
    while (cap < 2 * n) cap <<= 1;
    index_.assign(cap, 0);
    const std::size_t mask = cap - 1;
    for (std::size_t row = 0; row < n; ++row) {
        const std::string_view id = ids_->at(row);
        std::size_t slot = static_cast<std::size_t>(stable_hash(id)) & mask;
        while (index_[slot] != 0) {
            const std::size_t other = index_[slot] - 1;
            if (ids_->at(other) == id)
                throw ValidationError("account_id: duplicate " + quote(id) + " at rows " +
                                      std::to_string(other) + " and " + std::to_string(row));
            slot = (slot + 1) & mask;
        }
        index_[slot] = static_cast<std::uint32_t>(row + 1);
    }
}

std::optional<std::size_t> Portfolio::find(std::string_view account_id) const {
    const std::size_t mask = index_.size() - 1;
    std::size_t slot = static_cast<std::size_t>(stable_hash(account_id)) & mask;
    while (index_[slot] != 0) {
        const std::size_t row = index_[slot] - 1;
        if (ids_->at(row) == account_id) return row;
        slot = (slot + 1) & mask;
    }
    return std::nullopt;
}

bool Portfolio::has_column(std::string_view name) const { return columns_.find(name) != columns_.end(); }

const PortfolioColumn& Portfolio::column(std::string_view name) const {
    auto it = columns_.find(name);
    if (it == columns_.end()) throw NotFoundError("portfolio: no column named " + quote(name));
    return it->second;
}

std::vector<std::string> Portfolio::column_names() const {
    std::vector<std::string> names{std::string(kAccountId), std::string(kBalance), std::string(kDue)};
    names.insert(names.end(), order_.begin(), order_.end());
    return names;
}

std::size_t Portfolio::memory_bytes() const noexcept {
    std::size_t n = ids_->offsets.size() * 8 + ids_->chars.size() + balance_.size() * 8 +
                    due_.size() * 4 + due_.valid.size() + index_.size() * 4;
    for (const auto& [name, col] : columns_) n += col.memory_bytes();
    return n;
}

i128 Portfolio::total_balance_cents() const noexcept {
    i128 sum = 0;
    for (std::int64_t v : balance_.values) sum += v;
    return sum;
}

Table Portfolio::age(Date as_of, const Buckets& buckets, unsigned threads) const {
    const std::size_t n = size();
    const std::int32_t today = days_since_epoch(as_of);
    std::vector<std::int32_t> dpd(n), code(n);
    parallel_for(n, threads, [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t i = b; i < e; ++i) {
            dpd[i] = this->dpd(i, today);
            code[i] = buckets.index_of(dpd[i]);
        }
    });
    Table t;
    t.add_strings("account_id", ids_);
    t.add_int32("dpd", std::move(dpd));
    t.add_dictionary("bucket", std::move(code),
                     std::make_shared<const std::vector<std::string>>(buckets.labels()));
    return t;
}

Table Portfolio::bucket_summary(Date as_of, const Buckets& buckets, unsigned threads) const {
    const std::size_t n = size(), k = buckets.size();
    const std::int32_t today = days_since_epoch(as_of);
    const unsigned t = resolve_threads(threads, n);
    std::vector<std::vector<std::int64_t>> counts(t, std::vector<std::int64_t>(k, 0));
    std::vector<std::vector<i128>> sums(t, std::vector<i128>(k, 0));
    const std::int64_t* balance = balance_.values.data();
    const std::int32_t* due = due_.values.data();
    const bool nulls = due_.has_nulls();
    const std::uint8_t* valid = nulls ? due_.valid.data() : nullptr;
    parallel_for(n, t, [&](std::size_t b, std::size_t e, unsigned w) {
        std::int64_t* c = counts[w].data();
        i128* s = sums[w].data();
        for (std::size_t i = b; i < e; ++i) {
            const std::int32_t d = (valid && !valid[i]) ? 0 : days_past_due_days(due[i], today);
            const auto bucket = static_cast<std::size_t>(buckets.index_of(d));
            ++c[bucket];
            s[bucket] += balance[i];  // 128-bit: exact for any portfolio
        }
    });
    std::vector<std::string> label(k);
    std::vector<std::int32_t> lower(k), upper(k);
    std::vector<std::uint8_t> upper_ok(k, 1);
    std::vector<std::int64_t> accounts(k, 0), balance_out(k, 0);
    std::vector<double> share(k, 0.0);
    i128 total = 0;
    std::vector<i128> bucket_sum(k, 0);
    for (std::size_t j = 0; j < k; ++j) {
        for (unsigned w = 0; w < t; ++w) {
            accounts[j] += counts[w][j];
            bucket_sum[j] += sums[w][j];
        }
        total += bucket_sum[j];
    }
    for (std::size_t j = 0; j < k; ++j) {
        if (bucket_sum[j] > std::numeric_limits<std::int64_t>::max() ||
            bucket_sum[j] < std::numeric_limits<std::int64_t>::min())
            throw OverflowError("bucket_summary: the balance of bucket " + quote(buckets.labels()[j]) +
                                " does not fit in 64-bit cents");
        balance_out[j] = static_cast<std::int64_t>(bucket_sum[j]);
        label[j] = buckets.labels()[j];
        lower[j] = buckets.lower(j);
        const auto hi = buckets.upper(j);
        upper[j] = hi ? *hi : 0;
        upper_ok[j] = hi ? 1 : 0;
        share[j] = total == 0 ? 0.0 : static_cast<double>(bucket_sum[j]) / static_cast<double>(total);
    }
    Table out;
    out.add_utf8("bucket", std::move(label));
    out.add_int32("lower_dpd", std::move(lower));
    out.add_int32("upper_dpd", std::move(upper), std::move(upper_ok));
    out.add_int64("accounts", std::move(accounts));
    out.add_int64("balance_cents", std::move(balance_out));
    out.add_float64("balance_share", std::move(share));
    return out;
}

Table bucket_moves(const Portfolio& before, Date before_as_of, const Portfolio& after,
                   Date after_as_of, const Buckets& buckets) {
    const std::int32_t d0 = days_since_epoch(before_as_of), d1 = days_since_epoch(after_as_of);
    std::vector<std::string> ids;
    std::vector<std::int32_t> from_code, to_code, from_dpd, to_dpd;
    std::vector<std::uint8_t> from_ok, to_ok;
    auto push = [&](std::string_view id, std::optional<std::int32_t> f, std::optional<std::int32_t> t) {
        ids.emplace_back(id);
        from_code.push_back(f ? buckets.index_of(*f) : -1);
        to_code.push_back(t ? buckets.index_of(*t) : -1);
        from_dpd.push_back(f.value_or(0));
        to_dpd.push_back(t.value_or(0));
        from_ok.push_back(f ? 1 : 0);
        to_ok.push_back(t ? 1 : 0);
    };
    for (std::size_t i = 0; i < after.size(); ++i) {
        const std::string_view id = after.account_id(i);
        const std::int32_t now = after.dpd(i, d1);
        const auto prev_row = (&before == &after) ? std::optional<std::size_t>(i) : before.find(id);
        if (!prev_row) {
            push(id, std::nullopt, now);
            continue;
        }
        const std::int32_t then = before.dpd(*prev_row, d0);
        if (buckets.index_of(then) != buckets.index_of(now)) push(id, then, now);
    }
    if (&before != &after)
        for (std::size_t i = 0; i < before.size(); ++i)
            if (!after.find(before.account_id(i))) push(before.account_id(i), before.dpd(i, d0), std::nullopt);
    auto labels = std::make_shared<const std::vector<std::string>>(buckets.labels());
    Table t;
    t.add_utf8("account_id", std::move(ids));
    t.add_dictionary("from_bucket", std::move(from_code), labels);
    t.add_dictionary("to_bucket", std::move(to_code), labels);
    t.add_int32("from_dpd", std::move(from_dpd), std::move(from_ok));
    t.add_int32("to_dpd", std::move(to_dpd), std::move(to_ok));
    return t;
}

Table bucket_transitions(const Portfolio& before, Date before_as_of, const Portfolio& after,
                         Date after_as_of, const Buckets& buckets) {
    const std::int32_t d0 = days_since_epoch(before_as_of), d1 = days_since_epoch(after_as_of);
    const std::size_t k = buckets.size();
    std::vector<std::int64_t> accounts(k * k, 0);
    std::vector<i128> balance(k * k, 0);
    for (std::size_t i = 0; i < after.size(); ++i) {
        const auto prev = (&before == &after) ? std::optional<std::size_t>(i) : before.find(after.account_id(i));
        if (!prev) continue;
        const auto from = static_cast<std::size_t>(buckets.index_of(before.dpd(*prev, d0)));
        const auto to = static_cast<std::size_t>(buckets.index_of(after.dpd(i, d1)));
        ++accounts[from * k + to];
        balance[from * k + to] += after.balance_cents().values[i];
    }
    std::vector<std::int32_t> from_code, to_code;
    std::vector<std::int64_t> bal;
    for (std::size_t f = 0; f < k; ++f)
        for (std::size_t t = 0; t < k; ++t) {
            from_code.push_back(static_cast<std::int32_t>(f));
            to_code.push_back(static_cast<std::int32_t>(t));
            const i128 b = balance[f * k + t];
            if (b > std::numeric_limits<std::int64_t>::max() || b < std::numeric_limits<std::int64_t>::min())
                throw OverflowError("bucket_transitions: a cell's balance does not fit in 64-bit cents");
            bal.push_back(static_cast<std::int64_t>(b));
        }
    auto labels = std::make_shared<const std::vector<std::string>>(buckets.labels());
    Table t;
    t.add_dictionary("from_bucket", std::move(from_code), labels);
    t.add_dictionary("to_bucket", std::move(to_code), labels);
    t.add_int64("accounts", std::move(accounts));
    t.add_int64("balance_cents", std::move(bal));
    return t;
}

}  // namespace arrears
