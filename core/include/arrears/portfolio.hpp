// Portfolio: a columnar snapshot (struct of arrays) of accounts, the batch engine's input.
// Built from any Arrow stream (pyarrow, pandas, polars, DuckDB, the store's fast path); numeric
// and date columns are used in place when their Arrow type matches (zero-copy).
//
// Required columns: account_id (string, unique, not null), balance_cents (integer),
// oldest_unpaid_due (date; null when nothing is past due). Every other column is kept for
// strategies: integers, floats, booleans, dates and strings (strings other than account_id and
// debtor_id are dictionary-encoded categories).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/aging.hpp"
#include "arrears/arrow_import.hpp"
#include "arrears/date.hpp"
#include "arrears/parallel.hpp"
#include "arrears/rounding.hpp"
#include "arrears/string_column.hpp"
#include "arrears/table.hpp"

namespace arrears {

// A dictionary-encoded string column: codes index `categories`; -1 is null.
struct CategoryColumn {
    std::vector<std::int32_t> codes;
    std::shared_ptr<std::vector<std::string>> categories = std::make_shared<std::vector<std::string>>();
    // Code of a label, or -1 when no row holds it.
    std::int32_t code_of(std::string_view label) const;
};

struct PortfolioColumn {
    enum class Kind : std::uint8_t { integer, real, flag, date, category, text };
    Kind kind = Kind::integer;
    ColumnData<std::int64_t> integer;
    ColumnData<double> real;
    ColumnData<std::uint8_t> flag;
    ColumnData<std::int32_t> date;  // days since 1970-01-01
    CategoryColumn category;
    std::shared_ptr<const StringColumn> text;

    bool is_valid(std::size_t row) const noexcept;
    std::size_t memory_bytes() const noexcept;
};
std::string_view to_string(PortfolioColumn::Kind k) noexcept;

class Portfolio : public std::enable_shared_from_this<Portfolio> {
public:
    // Columns named in `only` (all when empty) are loaded; the required ones always are.
    // Throws ValidationError naming the column for a missing required column, a wrong type,
    // a null or duplicate account_id, or a column type arrears cannot hold.
    static std::shared_ptr<const Portfolio> from_arrow(const ArrowImport& in,
                                                       const std::vector<std::string>& only = {});

    std::size_t size() const noexcept { return ids_->size(); }
    const StringColumn& account_ids() const noexcept { return *ids_; }
    std::shared_ptr<const StringColumn> shared_account_ids() const noexcept { return ids_; }
    std::string_view account_id(std::size_t row) const noexcept { return ids_->at(row); }
    const ColumnData<std::int64_t>& balance_cents() const noexcept { return balance_; }
    const ColumnData<std::int32_t>& oldest_unpaid_due() const noexcept { return due_; }

    bool has_column(std::string_view name) const;
    const PortfolioColumn& column(std::string_view name) const;  // NotFoundError
    std::vector<std::string> column_names() const;                // input order
    // Row of an account id, or nullopt.
    std::optional<std::size_t> find(std::string_view account_id) const;
    std::size_t memory_bytes() const noexcept;
    // Sum of balance_cents (128 bits: no overflow).
    i128 total_balance_cents() const noexcept;

    // Days past due of row i as of `as_of_days` (days since 1970-01-01).
    std::int32_t dpd(std::size_t row, std::int32_t as_of_days) const noexcept {
        return due_.is_valid(row) ? days_past_due_days(due_.values[row], as_of_days) : 0;
    }

    // account_id, dpd (int32), bucket (category) for every account.
    Table age(Date as_of, const Buckets& buckets, unsigned threads = 0) const;
    // bucket, lower_dpd, upper_dpd (null for the last), accounts, balance_cents, share of
    // balance (float) per bucket, in bucket order; one fused pass over the columns.
    Table bucket_summary(Date as_of, const Buckets& buckets, unsigned threads = 0) const;

private:
    Portfolio() = default;
    void build_index();

    std::shared_ptr<const StringColumn> ids_;
    ColumnData<std::int64_t> balance_;
    ColumnData<std::int32_t> due_;
    std::map<std::string, PortfolioColumn, std::less<>> columns_;
    std::vector<std::string> order_;
    std::vector<std::uint32_t> index_;  // open addressing: row + 1, 0 = empty
    std::shared_ptr<const ArrowImport> keepalive_;
};

// account_id, from_bucket, to_bucket, from_dpd, to_dpd for every account whose bucket differs
// between `before` as of `before_as_of` and `after` as of `after_as_of` (the history Fineract
// keeps as LoanDelinquencyTagHistory). Accounts only in `after` move from null; accounts only
// in `before` move to null. Pass the same portfolio twice to age one snapshot at two dates.
Table bucket_moves(const Portfolio& before, Date before_as_of, const Portfolio& after,
                   Date after_as_of, const Buckets& buckets);

// The bucket transition matrix between two snapshots: one row per (from_bucket, to_bucket) pair
// with accounts and balance_cents (the balance on `after_as_of`), for every account in both
// (all pairs, zeros included, in bucket order). Roll rates and cure rates read it.
Table bucket_transitions(const Portfolio& before, Date before_as_of, const Portfolio& after,
                         Date after_as_of, const Buckets& buckets);

// 64-bit FNV-1a; stable across platforms and runs (used for champion/challenger splits).
std::uint64_t stable_hash(std::string_view text, std::uint64_t seed = 0) noexcept;

}  // namespace arrears
