#include "arrears/statute_of_limitations.hpp"

#include "arrears/consumer.hpp"
#include "arrears/error.hpp"
#include "compliance/builtin.hpp"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace arrears {

namespace {

std::string upper(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return out;
}

void check_type(const std::string& t, const std::string& field) {
    const bool ok = !t.empty() && std::all_of(t.begin(), t.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
    if (!ok)
        throw ValidationError(field + ": " + quote(t) +
                              " is not a debt type (lower-case words joined by '_', e.g. "
                              "'open_account')");
}

} // namespace

Json LimitationPeriod::to_json() const {
    Json j{{"state", state}, {"debt_type", debt_type}, {"years", years}, {"citation", citation}};
    if (!note.empty()) j["note"] = note;
    return j;
}

StatuteOfLimitations::StatuteOfLimitations(std::vector<LimitationPeriod> periods,
                                           bool needs_legal_review, std::string note)
    : periods_(std::move(periods)), needs_legal_review_(needs_legal_review),
      note_(std::move(note)) {
    for (std::size_t i = 0; i < periods_.size(); ++i) {
        auto& p = periods_[i];
        const std::string field = "periods[" + std::to_string(i) + "]";
        p.state = parse_state_code(p.state, field + ".state");
        check_type(p.debt_type, field + ".debt_type");
        if (p.years < 1 || p.years > 50)
            throw ValidationError(field + ".years: " + std::to_string(p.years) +
                                  " is out of range 1..50");
    }
    std::sort(periods_.begin(), periods_.end(), [](const auto& a, const auto& b) {
        return std::tie(a.state, a.debt_type) < std::tie(b.state, b.debt_type);
    });
    for (std::size_t i = 1; i < periods_.size(); ++i)
        if (periods_[i].state == periods_[i - 1].state &&
            periods_[i].debt_type == periods_[i - 1].debt_type)
            throw ValidationError("periods: duplicate entry for (" + quote(periods_[i].state) +
                                  ", " + quote(periods_[i].debt_type) + ")");
}

StatuteOfLimitations StatuteOfLimitations::builtin() {
    return parse(detail::kStatuteOfLimitations);
}

StatuteOfLimitations StatuteOfLimitations::from_json(const JsonView& v) {
    v.require_object();
    v.check_keys({"format", "version", "needs_legal_review", "note", "debt_types", "periods"});
    if (auto f = v.find("format"); f && f->as_string() != "arrears.statute_of_limitations")
        f->fail("expected \"arrears.statute_of_limitations\"");
    if (auto ver = v.find("version"); ver && ver->as_int() != 1)
        ver->fail("unsupported version " + std::to_string(ver->as_int()) + " (this build reads 1)");
    const JsonView pv = v.at("periods");
    pv.require_array();
    std::vector<LimitationPeriod> periods;
    for (std::size_t i = 0; i < pv.size(); ++i) {
        const JsonView e = pv.at(i);
        e.require_object();
        e.check_keys({"state", "debt_type", "years", "citation", "note"});
        LimitationPeriod p;
        p.state = e.at("state").as_string();
        p.debt_type = e.at("debt_type").as_string();
        const std::int64_t years = e.at("years").as_int();
        if (years < 1 || years > 50)
            e.at("years").fail(std::to_string(years) + " is out of range 1..50");
        p.years = static_cast<int>(years);
        p.citation = e.at("citation").as_string();
        if (auto n = e.find("note")) p.note = n->as_string();
        p.state = parse_state_code(p.state, e.at("state").path());
        check_type(p.debt_type, e.at("debt_type").path());
        periods.push_back(std::move(p));
    }
    const bool review = v.find("needs_legal_review") ? v.at("needs_legal_review").as_bool() : true;
    try {
        return StatuteOfLimitations(std::move(periods), review,
                                    v.find("note") ? v.at("note").as_string() : "");
    } catch (const ValidationError& e) {
        throw ValidationError(v.path() + "." + e.what());
    }
}

StatuteOfLimitations StatuteOfLimitations::parse(std::string_view json_text) {
    const Json j = parse_json(json_text, "statute_of_limitations");
    return from_json(JsonView(j));
}

Json StatuteOfLimitations::to_json() const {
    Json periods = Json::array();
    std::vector<std::string> types;
    for (const auto& p : periods_) {
        periods.push_back(p.to_json());
        if (std::find(types.begin(), types.end(), p.debt_type) == types.end())
            types.push_back(p.debt_type);
    }
    std::sort(types.begin(), types.end());
    return Json{{"format", "arrears.statute_of_limitations"},
                {"version", 1},
                {"needs_legal_review", needs_legal_review_},
                {"note", note_},
                {"debt_types", types},
                {"periods", periods}};
}

std::optional<LimitationPeriod> StatuteOfLimitations::find(std::string_view state,
                                                           std::string_view debt_type) const {
    const std::string s = upper(state);
    for (const auto& p : periods_)
        if (p.state == s && p.debt_type == debt_type) return p;
    return std::nullopt;
}

const LimitationPeriod& StatuteOfLimitations::period(std::string_view state,
                                                     std::string_view debt_type) const {
    const std::string s = upper(state);
    for (const auto& p : periods_)
        if (p.state == s && p.debt_type == debt_type) return p;
    std::string types;
    for (const auto& p : periods_)
        if (p.state == s) types += (types.empty() ? "" : ", ") + p.debt_type;
    throw NotFoundError("statute of limitations: no period on file for state " + quote(state) +
                        " and debt type " + quote(debt_type) +
                        (types.empty() ? " (the state is not in the table)"
                                       : " (on file for " + s + ": " + types + ")") +
                        "; add it with with_period() after legal review");
}

Date StatuteOfLimitations::expires_on(std::string_view state, std::string_view debt_type,
                                      Date runs_from) const {
    check_date(runs_from, "runs_from");
    return add_months(runs_from, 12 * period(state, debt_type).years);
}

bool StatuteOfLimitations::is_time_barred(std::string_view state, std::string_view debt_type,
                                          Date runs_from, Date as_of) const {
    check_date(as_of, "as_of");
    return to_days(as_of) >= to_days(expires_on(state, debt_type, runs_from));
}

StatuteOfLimitations StatuteOfLimitations::with_period(LimitationPeriod period) const {
    std::vector<LimitationPeriod> periods;
    const std::string s = upper(period.state);
    for (const auto& p : periods_)
        if (!(p.state == s && p.debt_type == period.debt_type)) periods.push_back(p);
    periods.push_back(std::move(period));
    return StatuteOfLimitations(std::move(periods), needs_legal_review_, note_);
}

std::string StatuteOfLimitations::repr() const {
    return "StatuteOfLimitations(periods=" + std::to_string(periods_.size()) +
           (needs_legal_review_ ? ", needs_legal_review=True)" : ")");
}

} // namespace arrears
