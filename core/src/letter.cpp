#include "arrears/letter.hpp"

#include <array>

#include "arrears/error.hpp"

namespace arrears {

namespace {

constexpr std::array<std::string_view, 8> kKindNames = {
    "validation_notice", "reminder",     "plan_confirmation", "settlement_offer",
    "promise_broken",    "paid_in_full", "dispute_response",  "custom"};

constexpr std::array<std::string_view, 5> kReferenceNames = {
    "last_statement", "charge_off", "last_payment", "transaction", "judgment"};
constexpr std::array<std::string_view, 5> kReferenceEn = {
    "last statement date", "charge-off date", "last payment date", "transaction date",
    "judgment date"};
constexpr std::array<std::string_view, 5> kReferenceEs = {
    "fecha del último estado de cuenta", "fecha de cancelación contable", "fecha del último pago",
    "fecha de la transacción", "fecha de la sentencia"};


// YYYY-MM-DD without printf (letters format several dates each).
std::string iso(Date d) {
    std::string out(10, '0');
    int y = static_cast<int>(d.year());
    for (int i = 3; i >= 0; --i, y /= 10) out[static_cast<std::size_t>(i)] = static_cast<char>('0' + y % 10);
    out[4] = '-';
    const unsigned m = static_cast<unsigned>(d.month());
    out[5] = static_cast<char>('0' + m / 10);
    out[6] = static_cast<char>('0' + m % 10);
    out[7] = '-';
    const unsigned dd = static_cast<unsigned>(d.day());
    out[8] = static_cast<char>('0' + dd / 10);
    out[9] = static_cast<char>('0' + dd % 10);
    return out;
}

[[noreturn]] void bad(std::string_view field, const std::string& message) {
    throw ValidationError(std::string(field) + ": " + message);
}

void require_text(std::string_view field, const std::string& value) {
    bool blank = true;
    for (char c : value)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') blank = false;
    if (blank) bad(field, "required, got " + quote(value));
}

void require_date(std::string_view field, Date d) {
    if (!d.ok()) bad(field, "required date is missing");
    check_date(d, field);
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& line : lines) {
        if (!out.empty()) out += ", ";
        out += line;
    }
    return out;
}

std::string money_text(const Money& m) {
    return m.format("en_US");
}

void require_positive(std::string_view field, const Money& m) {
    if (!m.is_positive()) bad(field, money_text(m) + " is not a positive amount");
}

void require_currency(std::string_view field, const Money& m, Currency c) {
    if (m.currency() != c)
        bad(field, "currency " + std::string(m.currency().code()) + " differs from the account's " +
                       std::string(c.code()));
}

void add_address(TemplateData& d, TemplateData::Node parent, const LetterAddress& a,
                 const std::vector<std::string>& lines_text, const std::string& inline_text) {
    const auto lines = d.add_list(parent, "address_lines");
    for (const auto& line : lines_text) d.add_string(lines, {}, line);
    d.add_string(parent, "address_inline", inline_text);
    const auto obj = d.add_object(parent, "address");
    d.add_string(obj, "line1", a.line1);
    d.add_string(obj, "line2", a.line2);
    d.add_string(obj, "city", a.city);
    d.add_string(obj, "state", a.state);
    d.add_string(obj, "postal_code", a.postal_code);
    d.add_string(obj, "country", a.country);
}

void check_installments(std::string_view field, const std::vector<LetterInstallment>& items, Currency c) {
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string f = std::string(field) + "[" + std::to_string(i) + "]";
        require_date(f + ".due", items[i].due);
        require_positive(f + ".amount", items[i].amount);
        require_currency(f + ".amount", items[i].amount, c);
        if (i > 0 && !(items[i - 1].due < items[i].due))
            bad(f + ".due", to_iso(items[i].due) + " is not after the previous installment's " +
                                to_iso(items[i - 1].due));
    }
}

Money sum_installments(const std::vector<LetterInstallment>& items, Currency c) {
    Money total(0, c);
    for (const auto& it : items) total += it.amount;
    return total;
}

void add_installments(TemplateData& d, TemplateData::Node parent, const std::vector<LetterInstallment>& items,
                      Language lang) {
    const auto list = d.add_list(parent, "installments");
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto row = d.add_object(list, {});
        d.add_int(row, "number", static_cast<std::int64_t>(i + 1));
        d.add_string(row, "due", format_date(items[i].due, lang));
        d.add_string(row, "due_iso", to_iso(items[i].due));
        d.add_string(row, "amount", format_money(items[i].amount, lang));
        d.add_int(row, "amount_cents", items[i].amount.minor());
    }
}

std::string json_string(const JsonView& j, std::string_view key) {
    auto v = j.find(key);
    return v ? v->as_string() : std::string();
}

LetterAddress address_from_json(const JsonView& j) {
    j.require_object();
    j.check_keys({"line1", "line2", "city", "state", "postal_code", "country"});
    LetterAddress a;
    a.line1 = json_string(j, "line1");
    a.line2 = json_string(j, "line2");
    a.city = json_string(j, "city");
    a.state = json_string(j, "state");
    a.postal_code = json_string(j, "postal_code");
    if (auto c = j.find("country")) a.country = c->as_string();
    return a;
}

Json address_to_json(const LetterAddress& a) {
    return Json{{"line1", a.line1},   {"line2", a.line2},           {"city", a.city},
                {"state", a.state},   {"postal_code", a.postal_code}, {"country", a.country}};
}

}  // namespace

LetterKind parse_letter_kind(std::string_view name, std::string_view field) {
    for (std::size_t i = 0; i < kKindNames.size(); ++i)
        if (kKindNames[i] == name) return static_cast<LetterKind>(i);
    std::string known;
    for (auto k : kKindNames) known += (known.empty() ? "" : ", ") + std::string(k);
    throw ValidationError(std::string(field) + ": " + quote(name) + " is not a letter (expected one of " +
                          known + ")");
}

std::string_view to_string(LetterKind k) { return kKindNames[static_cast<std::size_t>(k)]; }

std::vector<LetterKind> all_letter_kinds() {
    std::vector<LetterKind> out;
    for (std::size_t i = 0; i + 1 < kKindNames.size(); ++i) out.push_back(static_cast<LetterKind>(i));
    return out;
}

ItemizationReference parse_itemization_reference(std::string_view name, std::string_view field) {
    for (std::size_t i = 0; i < kReferenceNames.size(); ++i)
        if (kReferenceNames[i] == name) return static_cast<ItemizationReference>(i);
    throw ValidationError(std::string(field) + ": " + quote(name) +
                          " is not an itemization date (expected last_statement, charge_off, "
                          "last_payment, transaction or judgment; 12 CFR 1006.34(b)(3))");
}

std::string_view to_string(ItemizationReference r) {
    return kReferenceNames[static_cast<std::size_t>(r)];
}

void LetterItemization::check(std::string_view field) const {
    const std::string f(field);
    const Currency c = current.currency();
    for (const auto& [name, m] : {std::pair<const char*, const Money*>{"amount", &amount},
                                  {"interest", &interest},
                                  {"fees", &fees},
                                  {"payments_credits", &payments_credits},
                                  {"current", &current}}) {
        require_currency(f + "." + name, *m, c);
        if (m->is_negative())
            bad(f + "." + name, money_text(*m) + " is negative" +
                                    (std::string_view(name) == "interest" || std::string_view(name) == "fees"
                                         ? " (a refund belongs in payments_credits)"
                                         : ""));
    }
    const Money sum = amount + interest + fees - payments_credits;
    if (sum != current)
        bad(f, money_text(amount) + " + " + money_text(interest) + " interest + " + money_text(fees) +
                   " fees - " + money_text(payments_credits) + " payments and credits = " +
                   money_text(sum) + ", not the current amount " + money_text(current) +
                   " (12 CFR 1006.34(c)(2)(viii))");
}

CollectorProfile CollectorProfile::from_json(const JsonView& j) {
    j.require_object();
    j.check_keys({"name", "address", "phone", "hours", "hours_es", "website", "dispute_url",
                  "original_creditor_url", "email", "email_opt_out", "email_opt_out_es",
                  "payable_to", "spanish_disclosures", "time_zone"});
    CollectorProfile c;
    c.name = j.at("name").as_string();
    c.address = address_from_json(j.at("address"));
    c.phone = json_string(j, "phone");
    c.hours = json_string(j, "hours");
    c.hours_es = json_string(j, "hours_es");
    c.website = json_string(j, "website");
    c.dispute_url = json_string(j, "dispute_url");
    c.original_creditor_url = json_string(j, "original_creditor_url");
    c.email = json_string(j, "email");
    c.email_opt_out = json_string(j, "email_opt_out");
    c.email_opt_out_es = json_string(j, "email_opt_out_es");
    c.payable_to = json_string(j, "payable_to");
    if (auto s = j.find("spanish_disclosures")) c.spanish_disclosures = s->as_bool();
    if (auto tz = j.find("time_zone")) c.time_zone = tz->as_string();
    return c;
}

Json CollectorProfile::to_json() const {
    return Json{{"name", name},
                {"address", address_to_json(address)},
                {"phone", phone},
                {"hours", hours},
                {"hours_es", hours_es},
                {"website", website},
                {"dispute_url", dispute_url},
                {"original_creditor_url", original_creditor_url},
                {"email", email},
                {"email_opt_out", email_opt_out},
                {"email_opt_out_es", email_opt_out_es},
                {"payable_to", payable_to},
                {"spanish_disclosures", spanish_disclosures},
                {"time_zone", time_zone}};
}

void CollectorProfile::check(std::string_view field) const {
    const std::string f(field);
    require_text(f + ".name", name);
    std::string why;
    if (!is_mailable(address, &why))
        bad(f + ".address", why + " (12 CFR 1006.34(c)(2)(i) needs the mailing address for disputes)");
    require_text(f + ".phone", phone);
}

Date letters_assumed_receipt(Date sent, const BusinessCalendar& calendar) {
    check_date(sent, "sent");
    // The sent date is not counted: day 1 is the next day (payment-math.md §3.5).
    Date d = sent;
    int counted = 0;
    while (counted < 5) {
        d = add_days(d, 1);
        if (calendar.is_business_day(d)) ++counted;
    }
    return d;
}

Date letters_validation_end(Date sent, const BusinessCalendar& calendar) {
    return add_days(letters_assumed_receipt(sent, calendar), 30);
}

std::string debt_collector_disclosure(LetterKind kind, bool initial, std::string_view collector,
                                      std::string_view creditor, Language lang) {
    if (kind == LetterKind::validation_notice) {
        if (lang == Language::es)
            return std::string(collector) + " es un cobrador de deudas. Estamos tratando de cobrar una deuda que "
                   "usted le debe a " + std::string(creditor) +
                   ". Usaremos cualquier información que usted nos dé para ayudar a cobrar la deuda.";
        return std::string(collector) + " is a debt collector. We are trying to collect a debt that you owe to " +
               std::string(creditor) + ". We will use any information you give us to help collect the debt.";
    }
    if (initial) {
        if (lang == Language::es)
            return "Esta comunicación proviene de un cobrador de deudas. Estamos tratando de cobrar una deuda y "
                   "cualquier información que obtengamos se usará con ese fin.";
        return "This communication is from a debt collector. This is an attempt to collect a debt and any "
               "information obtained will be used for that purpose.";
    }
    if (lang == Language::es) return "Esta comunicación proviene de un cobrador de deudas.";
    return "This communication is from a debt collector.";
}

std::string email_opt_out_text(const CollectorProfile& collector, Language lang) {
    if (lang == Language::es) {
        const std::string method = !collector.email_opt_out_es.empty()
                                       ? collector.email_opt_out_es
                                       : "responda a este correo electrónico con la palabra STOP";
        return "Si no desea recibir más correos electrónicos nuestros en esta dirección, " + method +
               ". No cobramos nada por ello y solo le pediremos esta dirección de correo electrónico.";
    }
    const std::string method = !collector.email_opt_out.empty()
                                   ? collector.email_opt_out
                                   : "reply to this e-mail with the word STOP";
    return "If you do not want to receive e-mails from us at this address, " + method +
           ". There is no charge, and we will ask for nothing but this e-mail address.";
}

LetterChannel parse_letter_channel(std::string_view name, std::string_view field) {
    if (name == "mail") return LetterChannel::mail;
    if (name == "email") return LetterChannel::email;
    throw ValidationError(std::string(field) + ": " + quote(name) + " is not a channel (expected 'mail' or 'email')");
}

std::string_view to_string(LetterChannel c) { return c == LetterChannel::mail ? "mail" : "email"; }

LetterBuilder::LetterBuilder(LetterKind kind, CollectorProfile collector, Date sent, BusinessCalendar calendar,
                             LetterChannel channel)
    : kind_(kind), collector_(std::move(collector)), sent_(sent), calendar_(std::move(calendar)), channel_(channel) {
    check_date(sent_, "sent");
    collector_.check("collector");
    sent_iso_ = iso(sent_);
    collector_lines_ = address_lines(collector_.address);
    collector_inline_ = join_lines(collector_lines_);
    payable_to_ = collector_.payable_to.empty() ? collector_.name : collector_.payable_to;
    const Date receipt = letters_assumed_receipt(sent_, calendar_);
    const Date end = add_days(receipt, 30);
    for (Language lang : {Language::en, Language::es}) {
        PerLanguage& p = lang == Language::en ? en_ : es_;
        p.letter_date = format_date(sent_, lang);
        p.end_date = format_date(end, lang);
        p.receipt_iso = iso(receipt);
        p.end_iso = iso(end);
        p.hours = lang == Language::es && !collector_.hours_es.empty() ? collector_.hours_es : collector_.hours;
        p.opt_out = email_opt_out_text(collector_, lang);
    }
}

void LetterBuilder::build(const LetterAccount& account, const LetterRecipient& recipient, Language lang,
                          TemplateData& d) const {
    const LetterKind kind = kind_;
    const CollectorProfile& collector = collector_;
    const Date sent = sent_;
    const LetterChannel channel = channel_;
    const PerLanguage& pl = lang == Language::en ? en_ : es_;

    require_text("account.account_id", account.account_id);
    require_text("account.creditor", account.creditor);
    require_text("recipient.name", recipient.name);
    const LetterItemization& it = account.itemization;
    it.check("account.itemization");
    const Currency cur = it.current.currency();
    auto fm = [&](const Money& m) { return format_money(m, lang); };
    auto fd = [&](Date x) { return format_date(x, lang); };

    d.clear();
    d.reserve(160, 4096);
    const auto root = d.root();
    d.add_string(root, "kind", to_string(kind));
    d.add_string(root, "language", to_string(lang));
    d.add_string(root, "letter_date", pl.letter_date);
    d.add_string(root, "letter_date_iso", sent_iso_);
    d.add_string(root, "reference",
                 account.reference.empty() ? reference_number(account.account_id) : account.reference);
    const bool initial = kind == LetterKind::validation_notice || account.initial_communication;
    d.add_string(root, "disclosure",
                 debt_collector_disclosure(kind, initial, collector.name, account.creditor, lang));
    d.add_bool(root, "disclosure_initial", initial);

    const auto col = d.add_object(root, "collector");
    d.add_string(col, "name", collector.name);
    add_address(d, col, collector.address, collector_lines_, collector_inline_);
    d.add_string(col, "phone", collector.phone);
    d.add_string(col, "hours", pl.hours);
    d.add_string(col, "website", collector.website);
    d.add_string(col, "dispute_url", collector.dispute_url);
    d.add_string(col, "original_creditor_url", collector.original_creditor_url);
    d.add_string(col, "email", collector.email);
    d.add_string(col, "payable_to", payable_to_);

    const auto rec = d.add_object(root, "recipient");
    d.add_string(rec, "name", recipient.name);
    {
        const auto lines = address_lines(recipient.address);
        add_address(d, rec, recipient.address, lines, join_lines(lines));
    }
    d.add_string(rec, "email", recipient.email);

    const auto acc = d.add_object(root, "account");
    d.add_string(acc, "id", account.account_id);
    d.add_string(acc, "number", truncate_account_number(account.account_number));
    d.add_string(acc, "creditor", account.creditor);
    const std::string& original =
        account.original_creditor.empty() ? account.creditor : account.original_creditor;
    d.add_string(acc, "original_creditor", original);
    d.add_bool(acc, "creditor_changed", original != account.creditor);
    d.add_string(acc, "product", account.product);
    d.add_string(acc, "product_phrase", lang == Language::en ? with_article(account.product) : account.product);

    d.add_string(root, "balance", fm(it.current));
    d.add_int(root, "balance_cents", it.current.minor());
    d.add_string(root, "currency", it.current.currency().code());
    d.add_string(root, "cfpb_url", "www.cfpb.gov/debt-collection");
    d.add_string(root, "email_opt_out", pl.opt_out);
    d.add_bool(root, "is_email", channel == LetterChannel::email);
    const auto notices = d.add_list(root, "notices");
    for (const auto& n : account.notices) d.add_string(notices, {}, n);
    d.add_bool(root, "has_notices", !account.notices.empty());
    const auto extra = d.add_object(root, "extra");
    for (const auto& [k, v] : account.extra) d.add_string(extra, k, v);

    switch (kind) {
        case LetterKind::validation_notice: {
            if (channel == LetterChannel::email) {
                // §1006.34(c)(3)(v): an electronic notice says how to dispute and request the
                // original creditor electronically.
                require_text("collector.dispute_url", collector.dispute_url);
                require_text("collector.original_creditor_url", collector.original_creditor_url);
            }
            require_date("account.itemization.date", it.date);
            if (sent < it.date)
                bad("account.itemization.date",
                    to_iso(it.date) + " is after the letter date " + to_iso(sent));
            const auto item = d.add_object(root, "itemization");
            const auto ref = static_cast<std::size_t>(it.reference);
            d.add_string(item, "reference", lang == Language::es ? kReferenceEs[ref] : kReferenceEn[ref]);
            d.add_string(item, "date", fd(it.date));
            d.add_string(item, "date_iso", iso(it.date));
            d.add_string(item, "amount", fm(it.amount));
            d.add_string(item, "interest", fm(it.interest));
            d.add_string(item, "fees", fm(it.fees));
            d.add_string(item, "payments_credits", fm(it.payments_credits));
            d.add_string(item, "current", fm(it.current));
            const auto val = d.add_object(root, "validation");
            d.add_string(val, "end_date", pl.end_date);
            d.add_string(val, "end_date_iso", pl.end_iso);
            d.add_string(val, "assumed_receipt_iso", pl.receipt_iso);
            d.add_bool(root, "spanish_disclosures", lang == Language::en && collector.spanish_disclosures);
            break;
        }
        case LetterKind::reminder: {
            check_installments("account.plan", account.plan, cur);
            const LetterInstallment* next = nullptr;
            for (const auto& inst : account.plan)
                if (!(inst.due < sent)) {
                    next = &inst;
                    break;
                }
            if (next) {
                const auto np = d.add_object(root, "next_payment");
                d.add_string(np, "due", fd(next->due));
                d.add_string(np, "due_iso", to_iso(next->due));
                d.add_string(np, "amount", fm(next->amount));
            } else {
                d.add_null(root, "next_payment");
            }
            break;
        }
        case LetterKind::plan_confirmation: {
            if (account.plan.empty()) bad("account.plan", "a plan confirmation needs the installments");
            check_installments("account.plan", account.plan, cur);
            const auto plan = d.add_object(root, "plan");
            add_installments(d, plan, account.plan, lang);
            d.add_int(plan, "count", static_cast<std::int64_t>(account.plan.size()));
            d.add_string(plan, "total", fm(sum_installments(account.plan, cur)));
            d.add_string(plan, "first_due", fd(account.plan.front().due));
            d.add_string(plan, "last_due", fd(account.plan.back().due));
            break;
        }
        case LetterKind::settlement_offer: {
            if (!account.settlement) bad("account.settlement", "a settlement offer needs the terms");
            const SettlementTerms& s = *account.settlement;
            require_positive("account.settlement.amount", s.amount);
            require_currency("account.settlement.amount", s.amount, cur);
            if (!(s.amount < it.current))
                bad("account.settlement.amount",
                    money_text(s.amount) + " is not less than the balance " + money_text(it.current));
            require_date("account.settlement.expires", s.expires);
            if (s.expires < sent)
                bad("account.settlement.expires",
                    to_iso(s.expires) + " is before the letter date " + to_iso(sent));
            check_installments("account.settlement.installments", s.installments, cur);
            if (!s.installments.empty()) {
                const Money total = sum_installments(s.installments, cur);
                if (total != s.amount)
                    bad("account.settlement.installments",
                        "they add up to " + money_text(total) + ", not the settlement amount " +
                            money_text(s.amount));
                if (s.expires < s.installments.front().due)
                    bad("account.settlement.installments[0].due",
                        to_iso(s.installments.front().due) + " is after the offer expires on " +
                            to_iso(s.expires));
            }
            const auto so = d.add_object(root, "settlement");
            d.add_string(so, "amount", fm(s.amount));
            d.add_string(so, "balance", fm(it.current));
            d.add_string(so, "savings", fm(it.current - s.amount));
            d.add_string(so, "expires", fd(s.expires));
            d.add_string(so, "expires_iso", to_iso(s.expires));
            d.add_bool(so, "single_payment", s.installments.empty());
            add_installments(d, so, s.installments, lang);
            d.add_int(so, "count", static_cast<std::int64_t>(s.installments.size()));
            break;
        }
        case LetterKind::promise_broken: {
            if (!account.promise) bad("account.promise", "a promise-broken notice needs the promise");
            const PromiseTerms& p = *account.promise;
            require_positive("account.promise.amount", p.amount);
            require_currency("account.promise.amount", p.amount, cur);
            require_currency("account.promise.received", p.received, cur);
            require_date("account.promise.due", p.due);
            if (!(p.due < sent))
                bad("account.promise.due", to_iso(p.due) + " is not before the letter date " + to_iso(sent) +
                                               "; a promise is not broken before it is due");
            if (p.received.is_negative() || !(p.received < p.amount))
                bad("account.promise.received",
                    money_text(p.received) + " received against a promise of " + money_text(p.amount) +
                        (p.received.is_negative() ? " is negative" : ": the promise was kept"));
            const auto pr = d.add_object(root, "promise");
            d.add_string(pr, "amount", fm(p.amount));
            d.add_string(pr, "due", fd(p.due));
            d.add_string(pr, "due_iso", to_iso(p.due));
            d.add_string(pr, "received", fm(p.received));
            d.add_bool(pr, "partly_paid", p.received.is_positive());
            d.add_string(pr, "shortfall", fm(p.amount - p.received));
            break;
        }
        case LetterKind::paid_in_full: {
            if (!account.resolution) bad("account.resolution", "a paid-in-full letter needs the resolution");
            const Resolution& r = *account.resolution;
            require_date("account.resolution.date", r.date);
            if (sent < r.date)
                bad("account.resolution.date", to_iso(r.date) + " is after the letter date " + to_iso(sent));
            require_positive("account.resolution.paid", r.paid);
            require_currency("account.resolution.paid", r.paid, cur);
            if (!it.current.is_zero())
                bad("account.itemization.current",
                    money_text(it.current) + " is still owed; a paid-in-full letter needs a zero balance");
            const auto res = d.add_object(root, "resolution");
            d.add_string(res, "date", fd(r.date));
            d.add_string(res, "date_iso", to_iso(r.date));
            d.add_string(res, "paid", fm(r.paid));
            d.add_bool(res, "settled", r.settled);
            break;
        }
        case LetterKind::dispute_response: {
            if (!account.dispute) bad("account.dispute", "a dispute response needs the dispute");
            const DisputeResponse& r = *account.dispute;
            require_date("account.dispute.received", r.received);
            if (sent < r.received)
                bad("account.dispute.received",
                    to_iso(r.received) + " is after the letter date " + to_iso(sent));
            const auto dr = d.add_object(root, "dispute");
            d.add_string(dr, "received", fd(r.received));
            d.add_string(dr, "received_iso", to_iso(r.received));
            d.add_bool(dr, "duplicative", r.duplicative);
            if (r.duplicative) {
                if (!r.previous_response)
                    bad("account.dispute.previous_response",
                        "a duplicative-dispute notice must refer to the earlier response "
                        "(12 CFR 1006.38(d)(2)(ii)(A))");
                require_date("account.dispute.previous_response", *r.previous_response);
                require_text("account.dispute.reason", r.reason);
                d.add_string(dr, "previous_response", fd(*r.previous_response));
            } else {
                if (r.documents.empty())
                    bad("account.dispute.documents",
                        "a verification response must list what is enclosed (12 CFR 1006.38(d)(2)(i))");
                d.add_string(dr, "previous_response", "");
            }
            d.add_string(dr, "reason", r.reason);
            const auto docs = d.add_list(dr, "documents");
            for (const auto& doc : r.documents) d.add_string(docs, {}, doc);
            break;
        }
        case LetterKind::custom: break;
    }
}

void build_letter_data(LetterKind kind, const LetterAccount& account, const LetterRecipient& recipient,
                       const CollectorProfile& collector, Date sent, Language lang, TemplateData& out,
                       const BusinessCalendar& calendar, LetterChannel channel) {
    LetterBuilder(kind, collector, sent, calendar, channel).build(account, recipient, lang, out);
}

TemplateData letter_data(LetterKind kind, const LetterAccount& account, const LetterRecipient& recipient,
                         const CollectorProfile& collector, Date sent, Language lang,
                         const BusinessCalendar& calendar, LetterChannel channel) {
    TemplateData d;
    build_letter_data(kind, account, recipient, collector, sent, lang, d, calendar, channel);
    return d;
}

}  // namespace arrears
