// Account: one debt. Who owes it (debtors with roles and ECOA codes), whose it is (creditors),
// what it is (product type), its dates (including the Reg F itemization date and the basis it
// was chosen on, 12 CFR 1006.34(b)(3)), how it is worked (tags, queue, collector), its status
// with a validated lifecycle, and its ledger.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/date.hpp"
#include "arrears/ledger.hpp"

namespace arrears {

enum class DebtorRole : std::uint8_t { primary, co_signer, joint, authorized_user, guarantor };
std::string_view to_string(DebtorRole r) noexcept;
DebtorRole parse_debtor_role(std::string_view name, std::string_view field = "role");

// Metro 2 ECOA codes (Field 37; shared/reference/metro2.md §2.4): 1 individual, 2 joint
// contractual liability, 3 authorized user, 5 co-maker or guarantor, 7 maker, T terminated,
// X deceased, W business/commercial, Z delete consumer. 0, 4 and 6 are obsolete (2003) and
// rejected.
bool is_valid_ecoa_code(std::string_view code) noexcept;

struct AccountDebtor {
    std::string debtor_id;
    DebtorRole role = DebtorRole::primary;
    std::string ecoa_code = "1";
    // ValidationError for an empty debtor id or an ECOA code that is not one of the above; the
    // field names are prefixed with `at` ("debtors[1]" gives "debtors[1].ecoa_code").
    void validate(std::string_view at = "") const;
    std::string repr() const;
    friend bool operator==(const AccountDebtor&, const AccountDebtor&) = default;
};

enum class ProductType : std::uint8_t {
    credit_card, auto_loan, personal_loan, student_loan, medical, utility, telecom, retail,
    mortgage, returned_check, other
};
std::string_view to_string(ProductType p) noexcept;
ProductType parse_product_type(std::string_view name, std::string_view field = "product_type");

// The five reference dates of 12 CFR 1006.34(b)(3) (shared/reference/regulation-f.md §1.6).
enum class ItemizationBasis : std::uint8_t {
    last_statement, charge_off, last_payment, transaction, judgment
};
std::string_view to_string(ItemizationBasis b) noexcept;
ItemizationBasis parse_itemization_basis(std::string_view name,
                                         std::string_view field = "itemization_basis");

enum class AccountStatus : std::uint8_t {
    active, promise, plan, disputed, settled, paid, closed, recalled, legal, bankrupt, deceased
};
std::string_view to_string(AccountStatus s) noexcept;
AccountStatus parse_account_status(std::string_view name, std::string_view field = "status");
// The lifecycle: which status may follow which (docs/ledger.md has the table). A status never
// "changes" to itself; recalled is final.
bool can_transition(AccountStatus from, AccountStatus to) noexcept;
std::vector<AccountStatus> allowed_transitions(AccountStatus from);

struct StatusChange {
    AccountStatus status = AccountStatus::active;
    Date effective;
    std::string reason;
    std::string repr() const;
    friend bool operator==(const StatusChange&, const StatusChange&) = default;
};

// The descriptive fields of an account (everything but the ledger and the status history).
struct AccountInfo {
    std::string id;              // arrears' id for the account
    std::string account_number;  // the creditor's account number (shown masked in reprs)
    std::vector<AccountDebtor> debtors;
    std::string original_creditor;
    std::string current_creditor;
    std::string creditor_on_itemization_date;  // Reg F 1006.34(c)(2)(iii); empty = not known
    ProductType product_type = ProductType::other;
    std::optional<Date> last_statement_on;
    std::optional<Date> charged_off_on;
    std::optional<Date> first_delinquency_on;  // DOFD, as furnished; never reset
    std::optional<Date> last_payment_on;       // from the creditor file (before placement)
    std::optional<Date> judgment_on;
    std::optional<Date> itemization_date;
    std::optional<ItemizationBasis> itemization_basis;
    std::string client;
    std::string portfolio;
    std::vector<std::string> tags;  // kept sorted and unique
    std::optional<std::string> queue;
    std::optional<std::string> collector;

    friend bool operator==(const AccountInfo&, const AccountInfo&) = default;
};

class Account {
public:
    // Validates everything (ValidationError naming the field): a non-empty id; exactly one
    // primary debtor when there are debtors, no debtor twice, valid ECOA codes; dates not before
    // opened_on, charge-off and DOFD consistent; itemization date and basis set together and
    // consistent with the date the basis names (basis charge_off -> itemization_date ==
    // charged_off_on, and so on). `status` becomes the first entry of the status history,
    // effective on the opening date.
    Account(AccountInfo info, LedgerTerms terms, AccountStatus status = AccountStatus::active);
    // Rebuilds from stored parts (JSON, the store); validates the same way.
    Account(AccountInfo info, Ledger ledger, std::vector<StatusChange> status_history);

    const AccountInfo& info() const noexcept { return info_; }
    const std::string& id() const noexcept { return info_.id; }
    Currency currency() const noexcept { return ledger_.currency(); }
    Date opened_on() const noexcept { return ledger_.terms().opened_on; }
    Ledger& ledger() noexcept { return ledger_; }
    const Ledger& ledger() const noexcept { return ledger_; }

    AccountStatus status() const noexcept { return history_.back().status; }
    const std::vector<StatusChange>& status_history() const noexcept { return history_; }
    // Moves to `to` on `effective` (not before the last change); ValidationError for a date
    // before the last change, ConflictError for a transition the lifecycle does not allow.
    void set_status(AccountStatus to, Date effective, std::string reason = {});

    void assign(std::optional<std::string> queue, std::optional<std::string> collector);
    void add_tag(std::string tag);
    void remove_tag(std::string_view tag);  // NotFoundError when absent

    // The Reg F itemization as of a date (needs an itemization date; ValidationError otherwise).
    Itemization itemization(Date as_of) const;
    // ... as of the latest of the itemization date (or opening) and the last effective date.
    Itemization itemization() const;
    // The latest of the creditor's last payment date and the last unreversed payment posted.
    std::optional<Date> last_payment_date() const;
    // The same as of a date: the last payment posted counts while it stands then
    // (Ledger::payment_stands).
    std::optional<Date> last_payment_date(Date as_of) const;

    std::string masked_account_number() const;  // "****6789"
    std::string repr() const;

    friend bool operator==(const Account&, const Account&) = default;

private:
    void validate() const;
    AccountInfo info_;
    Ledger ledger_;
    std::vector<StatusChange> history_;
};

// One debtor's payment split across several of that debtor's accounts (same currency), each
// part posted through its account's payment waterfall. Balances for the split are the totals as
// of `effective`. All or nothing: when any account rejects its part, no account changes.
// Returns the payment transaction posted on each account (same order; accounts given nothing
// post nothing and get nullopt).
std::vector<std::optional<Transaction>> post_debtor_payment(std::span<Account* const> accounts,
                                                            const Money& amount, Date effective,
                                                            const std::string& reference,
                                                            SplitMethod method, Instant posted_at);

// JSON. An account stores its journal and terms; the derived ledger is rebuilt on load.
void to_json(nlohmann::json& j, const AccountDebtor& d);
void to_json(nlohmann::json& j, const StatusChange& s);
void to_json(nlohmann::json& j, const AccountInfo& a);
void to_json(nlohmann::json& j, const Account& a);
AccountDebtor parse_account_debtor(const nlohmann::json& j, const std::string& path);
StatusChange parse_status_change(const nlohmann::json& j, const std::string& path);
AccountInfo parse_account_info(const nlohmann::json& j, const std::string& path = "$");
Account parse_account(const nlohmann::json& j, const std::string& path = "$");
// The same with the terms and the journal given apart (the store keeps them in their own column
// and rows): `j` is read for everything else; its "terms" and "entries", if any, are not read.
Account parse_account(const nlohmann::json& j, LedgerTerms terms, std::vector<LedgerEntry> entries,
                      const std::string& path = "$");

}  // namespace arrears
