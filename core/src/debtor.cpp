#include "arrears/debtor.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "arrears/error.hpp"
#include "arrears/json.hpp"

namespace arrears {

namespace {

bool on_or_before(Date a, Date b) { return to_days(a) <= to_days(b); }

std::string trim(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return std::string(s.substr(a, b - a));
}

template <class T>
void prefix_errors(const std::string& prefix, T&& fn) {
    try {
        fn();
    } catch (const ValidationError& e) {
        throw ValidationError(prefix + e.what());
    }
}

void check_range(const std::optional<Date>& until, Date since, const std::string& field,
                 const char* since_name) {
    if (until && to_days(*until) < to_days(since))
        throw ValidationError(field + ": " + to_iso(*until) + " is before " + since_name + " " +
                              to_iso(since));
}

// Rank of a source for the best-contact rule: lower is better.
int source_rank(ContactSource s) {
    switch (s) {
        case ContactSource::debtor: return 0;
        case ContactSource::creditor_file: return 1;
        case ContactSource::credit_bureau: return 2;
        case ContactSource::skip_trace: return 3;
        case ContactSource::public_record: return 4;
        case ContactSource::collector: return 5;
        case ContactSource::returned_mail: return 6;
        case ContactSource::other: return 7;
    }
    return 8;
}

int type_rank(Channel channel, ContactType t) {
    auto pos = [t](std::initializer_list<ContactType> order) {
        int i = 0;
        for (auto o : order) {
            if (o == t) return i;
            ++i;
        }
        return i;
    };
    switch (channel) {
        case Channel::mail:
            return pos({ContactType::home, ContactType::mailing, ContactType::work,
                        ContactType::other});
        case Channel::call:
        case Channel::text:
            return pos({ContactType::mobile, ContactType::home, ContactType::landline,
                        ContactType::work, ContactType::other});
        case Channel::email:
            return pos({ContactType::home, ContactType::other, ContactType::work});
    }
    return 9;
}


}  // namespace

void validate_bankruptcy(const Bankruptcy& b, const std::string& f) {
    if (b.chapter != 7 && b.chapter != 11 && b.chapter != 12 && b.chapter != 13)
        throw ValidationError(f + "chapter: " + std::to_string(b.chapter) +
                              " is not a consumer bankruptcy chapter (7, 11, 12 or 13)");
    check_date(b.filed_on, f + "filed_on");
    check_range(b.discharged_on, b.filed_on, f + "discharged_on", "filed_on");
    check_range(b.dismissed_on, b.filed_on, f + "dismissed_on", "filed_on");
    if (b.discharged_on && b.dismissed_on)
        throw ValidationError(f + "dismissed_on: a case is either discharged or dismissed, not both");
}

void validate_attorney(AttorneyRepresentation& a, const std::string& f) {
    a.name = trim(a.name);
    a.firm = trim(a.firm);
    if (a.name.empty() && a.firm.empty())
        throw ValidationError(f + "name: an attorney needs a name or a firm");
    if (!a.phone.empty()) a.phone = normalize_phone_number(a.phone, f + "phone");
    check_range(a.until, a.since, f + "until", "since");
}

void validate_cease(const CeaseCommunication& c, const std::string& f) {
    if (c.account_id.empty())
        throw ValidationError(f + "account_id: a cease notice names the debt (account)");
    check_range(c.withdrawn_on, c.received_on, f + "withdrawn_on", "received_on");
}


bool Bankruptcy::open_on(Date d) const noexcept {
    if (!on_or_before(filed_on, d)) return false;
    if (discharged_on && on_or_before(*discharged_on, d)) return false;
    if (dismissed_on && on_or_before(*dismissed_on, d)) return false;
    return true;
}

bool AttorneyRepresentation::active_on(Date d) const noexcept {
    return on_or_before(since, d) && !(until && on_or_before(*until, d));
}

bool MilitaryService::active_on(Date d) const noexcept {
    return on_or_before(since, d) && !(until && on_or_before(*until, d));
}

bool CeaseCommunication::active_on(Date d) const noexcept {
    return on_or_before(received_on, d) && !(withdrawn_on && on_or_before(*withdrawn_on, d));
}

bool MediumOptOut::active_at(Instant t) const noexcept {
    return !(t < requested_at) && !(withdrawn_at && !(t < *withdrawn_at));
}

bool InconvenientTime::covers(int weekday, int minute) const noexcept {
    auto day = [this](int w) { return ((weekdays >> ((w % 7 + 7) % 7)) & 1) != 0; };
    if (start_minute == end_minute) return day(weekday);
    if (start_minute < end_minute)
        return day(weekday) && minute >= start_minute && minute < end_minute;
    return (day(weekday) && minute >= start_minute) || (day(weekday - 1) && minute < end_minute);
}

bool InconvenientTime::active_on(Date d) const noexcept {
    return on_or_before(designated_on, d) && !(withdrawn_on && on_or_before(*withdrawn_on, d));
}

void Debtor::normalize() {
    id = trim(id);
    first_name = trim(first_name);
    middle_name = trim(middle_name);
    last_name = trim(last_name);
    suffix = trim(suffix);
    if (id.empty()) throw ValidationError("id: a debtor needs a non-empty id");
    if (last_name.empty()) throw ValidationError("last_name: a debtor needs a last name");
    if (date_of_birth) check_date(*date_of_birth, "date_of_birth");
    preferred_language = trim(preferred_language);
    for (char& c : preferred_language)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const bool lang_ok = (preferred_language.size() == 2 || preferred_language.size() == 3) &&
                         std::all_of(preferred_language.begin(), preferred_language.end(),
                                     [](char c) { return c >= 'a' && c <= 'z'; });
    if (!lang_ok)
        throw ValidationError("preferred_language: " + quote(preferred_language) +
                              " is not an ISO 639 language code such as 'en' or 'es'");

    std::set<std::string> ids;
    auto unique_id = [&](const std::string& cp_id, const std::string& field) {
        if (!ids.insert(cp_id).second)
            throw ValidationError(field + ".id: " + quote(cp_id) +
                                  " is used by another contact point of this debtor");
    };
    for (std::size_t i = 0; i < addresses.size(); ++i) {
        const std::string f = "addresses[" + std::to_string(i) + "]";
        prefix_errors(f + ".", [&] { addresses[i].normalize(); });
        unique_id(addresses[i].id, f);
    }
    for (std::size_t i = 0; i < phones.size(); ++i) {
        const std::string f = "phones[" + std::to_string(i) + "]";
        prefix_errors(f + ".", [&] { phones[i].normalize(); });
        unique_id(phones[i].id, f);
    }
    for (std::size_t i = 0; i < emails.size(); ++i) {
        const std::string f = "emails[" + std::to_string(i) + "]";
        prefix_errors(f + ".", [&] { emails[i].normalize(); });
        unique_id(emails[i].id, f);
    }
    if (deceased) {
        check_date(deceased->reported_on, "deceased.reported_on");
        if (deceased->date_of_death) {
            check_date(*deceased->date_of_death, "deceased.date_of_death");
            check_range(deceased->reported_on, *deceased->date_of_death, "deceased.reported_on",
                        "the date of death");
        }
    }
    for (std::size_t i = 0; i < bankruptcies.size(); ++i)
        validate_bankruptcy(bankruptcies[i], "bankruptcies[" + std::to_string(i) + "].");
    for (std::size_t i = 0; i < attorneys.size(); ++i)
        validate_attorney(attorneys[i], "attorneys[" + std::to_string(i) + "].");
    for (std::size_t i = 0; i < military_service.size(); ++i)
        validate_military_service(military_service[i], "military_service[" + std::to_string(i) + "].");
    for (std::size_t i = 0; i < cease_communications.size(); ++i)
        validate_cease(cease_communications[i], "cease_communications[" + std::to_string(i) + "].");
    for (std::size_t i = 0; i < opt_outs.size(); ++i) {
        const auto& o = opt_outs[i];
        const std::string f = "opt_outs[" + std::to_string(i) + "]";
        if (!o.contact_point_id.empty() && !ids.count(o.contact_point_id))
            throw ValidationError(f + ".contact_point_id: " + quote(o.contact_point_id) +
                                  " is not a contact point of this debtor");
        validate_opt_out(o, f + ".");
    }
    for (std::size_t i = 0; i < inconvenient_times.size(); ++i) {
        const auto& t = inconvenient_times[i];
        const std::string f = "inconvenient_times[" + std::to_string(i) + "]";
        validate_inconvenient_time(t, f + ".");
        if (!t.contact_point_id.empty() && !ids.count(t.contact_point_id))
            throw ValidationError(f + ".contact_point_id: " + quote(t.contact_point_id) +
                                  " is not a contact point of this debtor");
    }
}

void validate_military_service(const MilitaryService& m, const std::string& prefix) {
    check_range(m.until, m.since, prefix + "until", "since");
}

void validate_opt_out(const MediumOptOut& o, const std::string& prefix) {
    if (o.withdrawn_at && *o.withdrawn_at < o.requested_at)
        throw ValidationError(prefix + "withdrawn_at: before requested_at");
}

void validate_inconvenient_time(const InconvenientTime& t, const std::string& prefix) {
    if (t.weekdays == 0 || t.weekdays > 0x7f)
        throw ValidationError(prefix + "weekdays: names no day");
    if (t.start_minute < 0 || t.start_minute >= 1440 || t.end_minute < 0 || t.end_minute >= 1440)
        throw ValidationError((prefix.empty() ? "start" : prefix.substr(0, prefix.size() - 1)) +
                              ": times are minutes 0..1439 after local midnight");
    check_range(t.withdrawn_on, t.designated_on, prefix + "withdrawn_on", "designated_on");
}

namespace {

template <class T>
Debtor with_point(const Debtor& d, std::vector<T> Debtor::*list, const T& item) {
    Debtor out = d;
    auto& points = out.*list;
    const auto same = std::find_if(points.begin(), points.end(),
                                   [&](const T& x) { return x.id == item.id; });
    if (same != points.end()) *same = item;
    else points.push_back(item);
    out.normalize();
    return out;
}

}  // namespace

Debtor Debtor::with_contact_point(const Address& a) const { return with_point(*this, &Debtor::addresses, a); }
Debtor Debtor::with_contact_point(const Phone& p) const { return with_point(*this, &Debtor::phones, p); }
Debtor Debtor::with_contact_point(const Email& e) const { return with_point(*this, &Debtor::emails, e); }

std::string Debtor::full_name() const {
    std::string out = first_name;
    auto add = [&out](const std::string& part) {
        if (part.empty()) return;
        if (!out.empty()) out += ' ';
        out += part;
    };
    add(middle_name);
    add(last_name);
    add(suffix);
    return out;
}

std::string Debtor::repr() const {
    std::string out = "Debtor(id=" + quote(id) + ", name=" + quote(full_name());
    if (date_of_birth) out += ", date_of_birth=" + to_iso(*date_of_birth);
    if (ssn) out += ", ssn='" + ssn->masked() + "'";
    if (preferred_language != "en") out += ", preferred_language='" + preferred_language + "'";
    out += ", addresses=" + std::to_string(addresses.size()) +
           ", phones=" + std::to_string(phones.size()) + ", emails=" + std::to_string(emails.size());
    std::string flags;
    auto flag = [&flags](const char* f) { flags += (flags.empty() ? "" : ", ") + std::string(f); };
    if (deceased) flag("deceased");
    if (!bankruptcies.empty()) flag("bankruptcy");
    if (!attorneys.empty()) flag("attorney");
    if (!military_service.empty()) flag("military");
    if (!cease_communications.empty()) flag("cease");
    if (!opt_outs.empty()) flag("opt_out");
    if (!inconvenient_times.empty()) flag("inconvenient_times");
    if (!flags.empty()) out += ", flags=[" + flags + "]";
    return out + ")";
}

const Bankruptcy* Debtor::open_bankruptcy(Date as_of) const noexcept {
    for (const auto& b : bankruptcies)
        if (b.open_on(as_of)) return &b;
    return nullptr;
}

bool Debtor::attorney_represented(Date as_of) const noexcept {
    return std::any_of(attorneys.begin(), attorneys.end(),
                       [&](const AttorneyRepresentation& a) { return a.active_on(as_of); });
}

bool Debtor::active_duty(Date as_of) const noexcept {
    return std::any_of(military_service.begin(), military_service.end(),
                       [&](const MilitaryService& m) { return m.active_on(as_of); });
}

bool Debtor::cease_requested(std::string_view account_id, Date as_of) const noexcept {
    return std::any_of(cease_communications.begin(), cease_communications.end(),
                       [&](const CeaseCommunication& c) {
                           return c.account_id == account_id && c.active_on(as_of);
                       });
}

bool Debtor::opted_out(Channel channel, std::string_view contact_point_id,
                       Instant as_of) const noexcept {
    return std::any_of(opt_outs.begin(), opt_outs.end(), [&](const MediumOptOut& o) {
        return o.channel == channel &&
               (o.contact_point_id.empty() || o.contact_point_id == contact_point_id) &&
               o.active_at(as_of);
    });
}

std::vector<std::string> Debtor::possible_time_zones() const {
    std::vector<std::string> out;
    for (const auto& a : addresses)
        if (a.status != ContactStatus::bad)
            for (auto& z : a.time_zones()) out.push_back(std::move(z));
    for (const auto& p : phones)
        if (p.status != ContactStatus::bad)
            for (auto& z : p.time_zones()) out.push_back(std::move(z));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

std::optional<std::size_t> Debtor::best_contact_point(Channel channel,
                                                      std::optional<Instant> as_of) const {
    // The opt-out check needs an instant; without as_of every opt-out not withdrawn counts.
    auto opted = [&](const std::string& cp_id) {
        return std::any_of(opt_outs.begin(), opt_outs.end(), [&](const MediumOptOut& o) {
            if (o.channel != channel) return false;
            if (!o.contact_point_id.empty() && o.contact_point_id != cp_id) return false;
            return as_of ? o.active_at(*as_of) : !o.withdrawn_at.has_value();
        });
    };
    using Key = std::tuple<int, int, int, std::int64_t, int, int, std::size_t>;
    std::optional<Key> best;
    std::optional<std::size_t> best_index;
    auto consider = [&](const ContactPoint& p, std::size_t index) {
        if (p.status == ContactStatus::bad || opted(p.id)) return;
        std::optional<bool> consent;
        if (channel != Channel::mail) consent = p.consent(channel, as_of);
        if (consent && !*consent) return;
        const std::int64_t seen =
            p.last_seen ? static_cast<std::int64_t>(to_days(*p.last_seen).time_since_epoch().count())
                        : std::numeric_limits<std::int64_t>::min();
        const Key key{consent ? 0 : 1, p.status == ContactStatus::good ? 0 : 1, -p.confidence,
                      seen == std::numeric_limits<std::int64_t>::min()
                          ? std::numeric_limits<std::int64_t>::max()
                          : -seen,
                      source_rank(p.source), type_rank(channel, p.type), index};
        if (!best || key < *best) {
            best = key;
            best_index = index;
        }
    };
    switch (channel) {
        case Channel::mail:
            for (std::size_t i = 0; i < addresses.size(); ++i) consider(addresses[i], i);
            break;
        case Channel::call:
            for (std::size_t i = 0; i < phones.size(); ++i) consider(phones[i], i);
            break;
        case Channel::text:
            for (std::size_t i = 0; i < phones.size(); ++i)
                if (phones[i].type == ContactType::mobile) consider(phones[i], i);
            break;
        case Channel::email:
            for (std::size_t i = 0; i < emails.size(); ++i) consider(emails[i], i);
            break;
    }
    return best_index;
}

// --- JSON ------------------------------------------------------------------------------------

namespace {

nlohmann::json opt_date(const std::optional<Date>& d) {
    return d ? nlohmann::json(to_iso(*d)) : nlohmann::json(nullptr);
}

std::string minutes_text(int m) {
    const int h = m / 60, mm = m % 60;
    std::string out;
    out += static_cast<char>('0' + h / 10);
    out += static_cast<char>('0' + h % 10);
    out += ':';
    out += static_cast<char>('0' + mm / 10);
    out += static_cast<char>('0' + mm % 10);
    return out;
}

int parse_minutes(const JsonView& v) {
    const std::string s = v.as_string();
    if (s.size() != 5 || s[2] != ':' || !std::isdigit(static_cast<unsigned char>(s[0])) ||
        !std::isdigit(static_cast<unsigned char>(s[1])) ||
        !std::isdigit(static_cast<unsigned char>(s[3])) ||
        !std::isdigit(static_cast<unsigned char>(s[4])))
        v.fail("expected a local time \"HH:MM\", got " + quote(s));
    const int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59) v.fail(quote(s) + " is not a time of day");
    return h * 60 + m;
}

constexpr std::array<std::string_view, 7> kDayNames{"mon", "tue", "wed", "thu",
                                                    "fri", "sat", "sun"};

}  // namespace

void to_json(nlohmann::json& j, const Deceased& d) {
    j = nlohmann::json{{"date_of_death", opt_date(d.date_of_death)},
                       {"reported_on", to_iso(d.reported_on)},
                       {"source", d.source}};
}

void to_json(nlohmann::json& j, const Bankruptcy& b) {
    j = nlohmann::json{{"chapter", b.chapter},
                       {"case_number", b.case_number},
                       {"court", b.court},
                       {"filed_on", to_iso(b.filed_on)},
                       {"discharged_on", opt_date(b.discharged_on)},
                       {"dismissed_on", opt_date(b.dismissed_on)}};
}

void to_json(nlohmann::json& j, const AttorneyRepresentation& a) {
    j = nlohmann::json{{"name", a.name},   {"firm", a.firm},
                       {"phone", a.phone}, {"email", a.email},
                       {"since", to_iso(a.since)}, {"until", opt_date(a.until)}};
}

void to_json(nlohmann::json& j, const MilitaryService& m) {
    j = nlohmann::json{{"since", to_iso(m.since)}, {"until", opt_date(m.until)}};
}

void to_json(nlohmann::json& j, const CeaseCommunication& c) {
    j = nlohmann::json{{"account_id", c.account_id},
                       {"received_on", to_iso(c.received_on)},
                       {"method", std::string(to_string(c.method))},
                       {"withdrawn_on", opt_date(c.withdrawn_on)}};
}

void to_json(nlohmann::json& j, const MediumOptOut& o) {
    j = nlohmann::json{{"channel", std::string(to_string(o.channel))},
                       {"contact_point_id", o.contact_point_id},
                       {"requested_at", to_iso(o.requested_at)},
                       {"method", std::string(to_string(o.method))},
                       {"withdrawn_at", o.withdrawn_at ? nlohmann::json(to_iso(*o.withdrawn_at))
                                                       : nlohmann::json(nullptr)}};
}

void to_json(nlohmann::json& j, const InconvenientTime& t) {
    nlohmann::json days = nlohmann::json::array();
    for (std::size_t k = 0; k < 7; ++k)
        if ((t.weekdays >> k) & 1) days.push_back(std::string(kDayNames[k]));
    j = nlohmann::json{{"weekdays", days},
                       {"start", minutes_text(t.start_minute)},
                       {"end", minutes_text(t.end_minute)},
                       {"contact_point_id", t.contact_point_id},
                       {"designated_on", to_iso(t.designated_on)},
                       {"withdrawn_on", opt_date(t.withdrawn_on)},
                       {"note", t.note}};
}

Deceased parse_deceased(const nlohmann::json& j, const std::string& path) {
    const JsonView x(j, path);
    x.require_object();
    x.check_keys({"date_of_death", "reported_on", "source"});
    Deceased dec;
    if (auto y = x.find("date_of_death")) dec.date_of_death = y->as_date();
    dec.reported_on = x.at("reported_on").as_date();
    if (auto y = x.find("source")) dec.source = y->as_string();
    if (dec.date_of_death) check_range(dec.reported_on, *dec.date_of_death, path + ".reported_on",
                                       "the date of death");
    return dec;
}

Bankruptcy parse_bankruptcy(const nlohmann::json& j, const std::string& path) {
    const JsonView e(j, path);
    e.require_object();
    e.check_keys({"chapter", "case_number", "court", "filed_on", "discharged_on", "dismissed_on"});
    Bankruptcy b;
    const auto chapter = e.at("chapter").as_int();
    if (chapter != 7 && chapter != 11 && chapter != 12 && chapter != 13)
        e.at("chapter").fail(std::to_string(chapter) +
                             " is not a consumer bankruptcy chapter (7, 11, 12 or 13)");
    b.chapter = static_cast<int>(chapter);
    if (auto y = e.find("case_number")) b.case_number = y->as_string();
    if (auto y = e.find("court")) b.court = y->as_string();
    b.filed_on = e.at("filed_on").as_date();
    if (auto y = e.find("discharged_on")) b.discharged_on = y->as_date();
    if (auto y = e.find("dismissed_on")) b.dismissed_on = y->as_date();
    validate_bankruptcy(b, path + ".");
    return b;
}

AttorneyRepresentation parse_attorney(const nlohmann::json& j, const std::string& path) {
    const JsonView e(j, path);
    e.require_object();
    e.check_keys({"name", "firm", "phone", "email", "since", "until"});
    AttorneyRepresentation a;
    if (auto y = e.find("name")) a.name = y->as_string();
    if (auto y = e.find("firm")) a.firm = y->as_string();
    if (auto y = e.find("phone")) a.phone = y->as_string();
    if (auto y = e.find("email")) a.email = y->as_string();
    a.since = e.at("since").as_date();
    if (auto y = e.find("until")) a.until = y->as_date();
    validate_attorney(a, path + ".");
    return a;
}

MilitaryService parse_military_service(const nlohmann::json& j, const std::string& path) {
    const JsonView e(j, path);
    e.require_object();
    e.check_keys({"since", "until"});
    MilitaryService m;
    m.since = e.at("since").as_date();
    if (auto y = e.find("until")) m.until = y->as_date();
    validate_military_service(m, path + ".");
    return m;
}

CeaseCommunication parse_cease_communication(const nlohmann::json& j, const std::string& path) {
    const JsonView e(j, path);
    e.require_object();
    e.check_keys({"account_id", "received_on", "method", "withdrawn_on"});
    CeaseCommunication c;
    c.account_id = e.at("account_id").as_string();
    c.received_on = e.at("received_on").as_date();
    if (auto y = e.find("method")) c.method = parse_record_method(y->as_string(), y->path());
    if (auto y = e.find("withdrawn_on")) c.withdrawn_on = y->as_date();
    validate_cease(c, path + ".");
    return c;
}

MediumOptOut parse_opt_out(const nlohmann::json& j, const std::string& path) {
    const JsonView e(j, path);
    e.require_object();
    e.check_keys({"channel", "contact_point_id", "requested_at", "method", "withdrawn_at"});
    MediumOptOut o;
    o.channel = parse_channel(e.at("channel").as_string(), path + ".channel");
    if (auto y = e.find("contact_point_id")) o.contact_point_id = y->as_string();
    o.requested_at = parse_instant(e.at("requested_at").as_string(), path + ".requested_at");
    if (auto y = e.find("method")) o.method = parse_record_method(y->as_string(), y->path());
    if (auto y = e.find("withdrawn_at")) o.withdrawn_at = parse_instant(y->as_string(), y->path());
    validate_opt_out(o, path + ".");
    return o;
}

InconvenientTime parse_inconvenient_time(const nlohmann::json& j, const std::string& path) {
    const JsonView e(j, path);
    e.require_object();
    e.check_keys({"weekdays", "start", "end", "contact_point_id", "designated_on", "withdrawn_on",
                  "note"});
    InconvenientTime t;
    if (auto days = e.find("weekdays")) {
        days->require_array();
        t.weekdays = 0;
        for (std::size_t i = 0; i < days->size(); ++i) {
            const std::string name = days->at(i).as_string();
            const auto it = std::find(kDayNames.begin(), kDayNames.end(), name);
            if (it == kDayNames.end())
                days->at(i).fail("expected mon, tue, wed, thu, fri, sat or sun");
            t.weekdays = static_cast<std::uint8_t>(
                t.weekdays | (1u << static_cast<unsigned>(it - kDayNames.begin())));
        }
        if (t.weekdays == 0) days->fail("names no day");
    }
    t.start_minute = parse_minutes(e.at("start"));
    t.end_minute = parse_minutes(e.at("end"));
    if (auto y = e.find("contact_point_id")) t.contact_point_id = y->as_string();
    t.designated_on = e.at("designated_on").as_date();
    if (auto y = e.find("withdrawn_on")) t.withdrawn_on = y->as_date();
    if (auto y = e.find("note")) t.note = y->as_string();
    validate_inconvenient_time(t, path + ".");
    return t;
}

void to_json(nlohmann::json& j, const Debtor& d) {
    auto list = [](const auto& items) {
        nlohmann::json out = nlohmann::json::array();
        for (const auto& x : items) out.push_back(x);
        return out;
    };
    j = nlohmann::json{
        {"version", 1},
        {"id", d.id},
        {"first_name", d.first_name},
        {"middle_name", d.middle_name},
        {"last_name", d.last_name},
        {"suffix", d.suffix},
        {"date_of_birth", opt_date(d.date_of_birth)},
        {"ssn", d.ssn ? nlohmann::json(d.ssn->digits()) : nlohmann::json(nullptr)},
        {"preferred_language", d.preferred_language},
        {"addresses", list(d.addresses)},
        {"phones", list(d.phones)},
        {"emails", list(d.emails)},
        {"deceased", d.deceased ? nlohmann::json(*d.deceased) : nlohmann::json(nullptr)},
        {"bankruptcies", list(d.bankruptcies)},
        {"attorneys", list(d.attorneys)},
        {"military_service", list(d.military_service)},
        {"cease_communications", list(d.cease_communications)},
        {"opt_outs", list(d.opt_outs)},
        {"inconvenient_times", list(d.inconvenient_times)}};
}

Debtor parse_debtor(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"version", "id", "first_name", "middle_name", "last_name", "suffix",
                  "date_of_birth", "ssn", "preferred_language", "addresses", "phones", "emails",
                  "deceased", "bankruptcies", "attorneys", "military_service",
                  "cease_communications", "opt_outs", "inconvenient_times"});
    if (auto x = v.find("version"))
        if (x->as_int() != 1) x->fail("unsupported debtor version " + std::to_string(x->as_int()));
    Debtor d;
    d.id = v.at("id").as_string();
    auto str = [&](const char* key, std::string& out) {
        if (auto x = v.find(key)) out = x->as_string();
    };
    str("first_name", d.first_name);
    str("middle_name", d.middle_name);
    str("last_name", d.last_name);
    str("suffix", d.suffix);
    str("preferred_language", d.preferred_language);
    if (auto x = v.find("date_of_birth")) d.date_of_birth = x->as_date();
    if (auto x = v.find("ssn")) d.ssn = Ssn::parse(x->as_string(), x->path());
    auto each = [&](const char* key, auto& out, auto parse) {
        if (auto x = v.find(key)) {
            x->require_array();
            for (std::size_t i = 0; i < x->size(); ++i)
                out.push_back(parse(x->at(i).json(), x->at(i).path()));
        }
    };
    each("addresses", d.addresses, parse_address);
    each("phones", d.phones, parse_phone);
    each("emails", d.emails, parse_email);
    if (auto x = v.find("deceased")) d.deceased = parse_deceased(x->json(), x->path());
    each("bankruptcies", d.bankruptcies, parse_bankruptcy);
    each("attorneys", d.attorneys, parse_attorney);
    each("military_service", d.military_service, parse_military_service);
    each("cease_communications", d.cease_communications, parse_cease_communication);
    each("opt_outs", d.opt_outs, parse_opt_out);
    each("inconvenient_times", d.inconvenient_times, parse_inconvenient_time);
    prefix_errors(path + ".", [&] { d.normalize(); });
    return d;
}

std::uint8_t parse_weekdays(const std::vector<std::string>& names, const std::string& field) {
    unsigned bits = 0;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const auto it = std::find(kDayNames.begin(), kDayNames.end(), names[i]);
        if (it == kDayNames.end())
            throw ValidationError(field + "[" + std::to_string(i) + "]: " + quote(names[i]) +
                                  " is not a day (mon, tue, wed, thu, fri, sat, sun)");
        bits |= 1u << static_cast<unsigned>(it - kDayNames.begin());
    }
    if (bits == 0) throw ValidationError(field + ": names no day");
    return static_cast<std::uint8_t>(bits);
}

std::vector<std::string> weekday_names(std::uint8_t weekdays) {
    std::vector<std::string> out;
    for (std::size_t k = 0; k < 7; ++k)
        if ((weekdays >> k) & 1) out.emplace_back(kDayNames[k]);
    return out;
}

std::string Deceased::repr() const {
    return "Deceased(reported_on=" + to_iso(reported_on) +
           (date_of_death ? ", date_of_death=" + to_iso(*date_of_death) : "") +
           (source.empty() ? "" : ", source=" + quote(source)) + ")";
}

std::string Bankruptcy::repr() const {
    return "Bankruptcy(chapter=" + std::to_string(chapter) + ", filed_on=" + to_iso(filed_on) +
           (case_number.empty() ? "" : ", case_number=" + quote(case_number)) +
           (discharged_on ? ", discharged_on=" + to_iso(*discharged_on) : "") +
           (dismissed_on ? ", dismissed_on=" + to_iso(*dismissed_on) : "") + ")";
}

std::string AttorneyRepresentation::repr() const {
    return "AttorneyRepresentation(" + quote(name.empty() ? firm : name) + ", since=" +
           to_iso(since) + (until ? ", until=" + to_iso(*until) : "") + ")";
}

std::string MilitaryService::repr() const {
    return "MilitaryService(since=" + to_iso(since) + (until ? ", until=" + to_iso(*until) : "") +
           ")";
}

std::string CeaseCommunication::repr() const {
    return "CeaseCommunication(" + quote(account_id) + ", received_on=" + to_iso(received_on) +
           ", method='" + std::string(to_string(method)) + "')";
}

std::string MediumOptOut::repr() const {
    return "MediumOptOut('" + std::string(to_string(channel)) + "', requested_at=" +
           to_iso(requested_at) +
           (contact_point_id.empty() ? "" : ", contact_point_id=" + quote(contact_point_id)) + ")";
}

std::string InconvenientTime::repr() const {
    std::string days;
    for (const auto& d : weekday_names(weekdays)) days += (days.empty() ? "" : ",") + d;
    return "InconvenientTime(" + minutes_text(start_minute) + "-" + minutes_text(end_minute) +
           ", " + days +
           (contact_point_id.empty() ? "" : ", contact_point_id=" + quote(contact_point_id)) + ")";
}

}  // namespace arrears
