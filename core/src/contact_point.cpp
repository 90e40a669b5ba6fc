#include "arrears/contact_point.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "arrears/error.hpp"
#include "arrears/json.hpp"
#include "arrears/time_zones.hpp"
#include "enum_names.hpp"

namespace arrears {

namespace {

constexpr std::array<std::string_view, 4> kChannelNames{"call", "text", "email", "mail"};
constexpr std::array<std::string_view, 6> kTypeNames{"home",     "work",    "mobile",
                                                     "landline", "mailing", "other"};
constexpr std::array<std::string_view, 8> kSourceNames{
    "debtor",        "creditor_file", "credit_bureau", "skip_trace",
    "public_record", "returned_mail", "collector",     "other"};
constexpr std::array<std::string_view, 3> kStatusNames{"good", "unverified", "bad"};
constexpr std::array<std::string_view, 4> kMethodNames{"oral", "written", "electronic", "other"};

std::string trim(std::string_view s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1]))) --b;
    return std::string(s.substr(a, b - a));
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void check_type(ContactType t, std::initializer_list<ContactType> allowed, std::string_view kind) {
    for (auto a : allowed)
        if (a == t) return;
    std::string names;
    for (auto a : allowed) names += (names.empty() ? "" : ", ") + std::string(to_string(a));
    throw ValidationError("type: " + quote(to_string(t)) + " is not a type of " +
                          std::string(kind) + " (expected " + names + ")");
}

void put_common(nlohmann::json& j, const ContactPoint& p) {
    auto date = [](const std::optional<Date>& d) {
        return d ? nlohmann::json(to_iso(*d)) : nlohmann::json(nullptr);
    };
    j["id"] = p.id;
    j["type"] = std::string(to_string(p.type));
    j["source"] = std::string(to_string(p.source));
    j["confidence"] = p.confidence;
    j["first_seen"] = date(p.first_seen);
    j["last_seen"] = date(p.last_seen);
    j["verified_on"] = date(p.verified_on);
    j["status"] = std::string(to_string(p.status));
    nlohmann::json consents = nlohmann::json::array();
    for (const auto& c : p.consents) consents.push_back(c);
    j["consents"] = consents;
}

void read_common(const JsonView& v, ContactPoint& p) {
    if (auto x = v.find("id")) p.id = x->as_string();
    if (auto x = v.find("type")) p.type = parse_contact_type(x->as_string(), x->path());
    if (auto x = v.find("source")) p.source = parse_contact_source(x->as_string(), x->path());
    if (auto x = v.find("confidence")) {
        const auto c = x->as_int();
        if (c < 0 || c > 100) x->fail(std::to_string(c) + " is outside 0..100");
        p.confidence = static_cast<int>(c);
    }
    if (auto x = v.find("first_seen")) p.first_seen = x->as_date();
    if (auto x = v.find("last_seen")) p.last_seen = x->as_date();
    if (auto x = v.find("verified_on")) p.verified_on = x->as_date();
    if (auto x = v.find("status")) p.status = parse_contact_status(x->as_string(), x->path());
    if (auto x = v.find("consents")) {
        x->require_array();
        for (std::size_t i = 0; i < x->size(); ++i)
            p.consents.push_back(parse_consent_record(x->at(i).json(), x->at(i).path()));
    }
}

}  // namespace

std::string_view to_string(Channel c) noexcept { return detail::enum_name(kChannelNames, c); }
Channel parse_channel(std::string_view name, std::string_view field) {
    return detail::parse_enum<Channel>(kChannelNames, name, field, "channel");
}
std::string_view to_string(ContactType t) noexcept { return detail::enum_name(kTypeNames, t); }
ContactType parse_contact_type(std::string_view name, std::string_view field) {
    return detail::parse_enum<ContactType>(kTypeNames, name, field, "contact type");
}
std::string_view to_string(ContactSource s) noexcept { return detail::enum_name(kSourceNames, s); }
ContactSource parse_contact_source(std::string_view name, std::string_view field) {
    return detail::parse_enum<ContactSource>(kSourceNames, name, field, "contact source");
}
std::string_view to_string(ContactStatus s) noexcept { return detail::enum_name(kStatusNames, s); }
ContactStatus parse_contact_status(std::string_view name, std::string_view field) {
    return detail::parse_enum<ContactStatus>(kStatusNames, name, field, "contact status");
}
std::string_view to_string(RecordMethod m) noexcept { return detail::enum_name(kMethodNames, m); }
RecordMethod parse_record_method(std::string_view name, std::string_view field) {
    return detail::parse_enum<RecordMethod>(kMethodNames, name, field, "method");
}

std::optional<bool> ContactPoint::consent(Channel channel, std::optional<Instant> as_of) const {
    const ConsentRecord* latest = nullptr;
    for (const auto& c : consents) {
        if (c.channel != channel) continue;
        if (as_of && *as_of < c.at) continue;
        if (latest == nullptr || !(c.at < latest->at)) latest = &c;
    }
    if (latest == nullptr) return std::nullopt;
    return latest->given;
}

void validate_contact_point(const ContactPoint& p, std::string_view field, std::string_view kind) {
    const std::string f = field.empty() ? std::string() : std::string(field) + ".";
    if (p.id.empty()) throw ValidationError(f + "id: empty");
    if (p.confidence < 0 || p.confidence > 100)
        throw ValidationError(f + "confidence: " + std::to_string(p.confidence) +
                              " is outside 0..100");
    if (p.first_seen) check_date(*p.first_seen, f + "first_seen");
    if (p.last_seen) check_date(*p.last_seen, f + "last_seen");
    if (p.verified_on) check_date(*p.verified_on, f + "verified_on");
    if (p.first_seen && p.last_seen && to_days(*p.last_seen) < to_days(*p.first_seen))
        throw ValidationError(f + "last_seen: " + to_iso(*p.last_seen) +
                              " is before first_seen " + to_iso(*p.first_seen));
    for (std::size_t i = 0; i < p.consents.size(); ++i) {
        const Channel c = p.consents[i].channel;
        const bool fits = kind == "phone"   ? (c == Channel::call || c == Channel::text)
                          : kind == "email" ? c == Channel::email
                                            : false;
        if (!fits)
            throw ValidationError(f + "consents[" + std::to_string(i) + "].channel: " +
                                  quote(to_string(c)) + " consent does not apply to " +
                                  (kind == "email" ? "an email address" : "a " + std::string(kind)) +
                                  (kind == "phone" ? " (use call or text)" : ""));
    }
}

std::string normalize_phone_number(std::string_view text, std::string_view field) {
    std::string digits;
    bool plus = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_digit(c)) digits += c;
        else if (c == '+' && digits.empty() && !plus) plus = true;
        else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
        else
            throw ValidationError(std::string(field) + ": " + quote(text) +
                                  " is not a phone number (unexpected " + quote(std::string(1, c)) +
                                  ")");
    }
    if (plus && (digits.size() != 11 || digits[0] != '1'))
        throw ValidationError(std::string(field) + ": " + quote(text) +
                              " is not a North American (+1) number");
    if (digits.size() == 11 && digits[0] == '1') digits.erase(0, 1);
    if (digits.size() != 10)
        throw ValidationError(std::string(field) + ": " + quote(text) + " has " +
                              std::to_string(digits.size()) +
                              " digits; a North American number has 10 (area code + number)");
    if (digits[0] < '2' || digits[3] < '2')
        throw ValidationError(std::string(field) + ": " + quote(text) +
                              " is not a valid NANP number (area code and exchange start with "
                              "2-9)");
    if (digits[1] == '1' && digits[2] == '1')
        throw ValidationError(std::string(field) + ": " + quote(text) + " uses the service code " +
                              digits.substr(0, 3) + " as an area code");
    return "+1" + digits;
}

// --- Address ---------------------------------------------------------------------------------

void Address::normalize() {
    line1 = trim(line1);
    line2 = trim(line2);
    city = trim(city);
    state = upper(trim(state));
    country = upper(trim(country));
    zip = trim(zip);
    if (country.empty()) country = "US";
    if (line1.empty()) throw ValidationError("line1: an address needs a first line");
    if (country == "US") {
        if (!is_us_state_code(state))
            throw ValidationError("state: " + quote(state) +
                                  " is not a USPS state, territory or military code");
        std::string digits;
        for (char c : zip)
            if (c != '-' && c != ' ') digits += c;
        const bool ok = (digits.size() == 5 || digits.size() == 9) &&
                        std::all_of(digits.begin(), digits.end(), is_digit) &&
                        (zip.size() == digits.size() || (zip.size() == 10 && zip[5] == '-'));
        if (!ok)
            throw ValidationError("zip: " + quote(zip) +
                                  " is not a ZIP code (12345 or 12345-6789)");
        zip = digits.size() == 9 ? digits.substr(0, 5) + "-" + digits.substr(5) : digits;
        if (city.empty()) throw ValidationError("city: a U.S. address needs a city");
    } else if (country.size() != 2 ||
               !std::all_of(country.begin(), country.end(),
                            [](char c) { return c >= 'A' && c <= 'Z'; })) {
        throw ValidationError("country: " + quote(country) +
                              " is not an ISO 3166 alpha-2 code such as US");
    }
    if (id.empty()) id = upper(line1) + ", " + zip;
    check_type(type, {ContactType::home, ContactType::work, ContactType::mailing, ContactType::other},
               "address");
    if (!consents.empty())
        throw ValidationError("consents: an address takes no consent records (mail needs none)");
    validate_contact_point(*this, "", "address");
}

std::vector<std::string> Address::time_zones() const {
    if (country != "US") return {};
    return time_zones_for_address(state, zip);
}

std::string ConsentRecord::repr() const {
    return "ConsentRecord('" + std::string(to_string(channel)) + "', " +
           (given ? "given" : "revoked") + " at " + to_iso(at) + ", method='" +
           std::string(to_string(method)) + "')";
}

std::string Address::repr() const {
    std::string out = "Address(" + quote(line1);
    if (!line2.empty()) out += ", " + quote(line2);
    out += ", " + quote(city) + ", " + quote(state) + ", " + quote(zip);
    if (country != "US") out += ", country=" + quote(country);
    return out + ", type='" + std::string(to_string(type)) + "', status='" +
           std::string(to_string(status)) + "', confidence=" + std::to_string(confidence) + ")";
}

// --- Phone -----------------------------------------------------------------------------------

void Phone::normalize() {
    number = normalize_phone_number(number, "number");
    extension = trim(extension);
    if (!std::all_of(extension.begin(), extension.end(), is_digit))
        throw ValidationError("extension: " + quote(extension) + " is not digits only");
    if (id.empty()) id = number + (extension.empty() ? "" : "x" + extension);
    check_type(type,
               {ContactType::mobile, ContactType::home, ContactType::landline, ContactType::work,
                ContactType::other},
               "phone");
    validate_contact_point(*this, "", "phone");
}

std::string Phone::area_code() const { return number.size() == 12 ? number.substr(2, 3) : ""; }

std::vector<std::string> Phone::time_zones() const { return time_zones_for_area_code(area_code()); }

std::string Phone::formatted() const {
    if (number.size() != 12) return number;
    std::string out = "(" + number.substr(2, 3) + ") " + number.substr(5, 3) + "-" + number.substr(8);
    if (!extension.empty()) out += " x" + extension;
    return out;
}

std::string Phone::repr() const {
    return "Phone('" + formatted() + "', type='" + std::string(to_string(type)) + "', status='" +
           std::string(to_string(status)) + "', confidence=" + std::to_string(confidence) + ")";
}

// --- Email -----------------------------------------------------------------------------------

void Email::normalize() {
    address = trim(address);
    const auto at = address.find('@');
    const bool ok = at != std::string::npos && at > 0 && address.find('@', at + 1) == std::string::npos &&
                    address.find(' ') == std::string::npos && at + 1 < address.size() &&
                    address.find('.', at + 1) != std::string::npos && address.back() != '.' &&
                    address[at + 1] != '.';
    if (!ok) throw ValidationError("address: " + quote(address) + " is not an email address");
    address = address.substr(0, at + 1) + lower(address.substr(at + 1));
    if (id.empty()) id = lower(address);
    check_type(type, {ContactType::home, ContactType::work, ContactType::other}, "email");
    validate_contact_point(*this, "", "email");
}

std::string Email::repr() const {
    return "Email(" + quote(address) + ", type='" + std::string(to_string(type)) + "', status='" +
           std::string(to_string(status)) + "', confidence=" + std::to_string(confidence) + ")";
}

// --- JSON ------------------------------------------------------------------------------------

void to_json(nlohmann::json& j, const ConsentRecord& c) {
    j = nlohmann::json{{"channel", std::string(to_string(c.channel))},
                       {"given", c.given},
                       {"at", to_iso(c.at)},
                       {"method", std::string(to_string(c.method))},
                       {"note", c.note}};
}

ConsentRecord parse_consent_record(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"channel", "given", "at", "method", "note"});
    ConsentRecord c;
    c.channel = parse_channel(v.at("channel").as_string(), path + ".channel");
    c.given = v.at("given").as_bool();
    c.at = parse_instant(v.at("at").as_string(), path + ".at");
    if (auto x = v.find("method")) c.method = parse_record_method(x->as_string(), x->path());
    if (auto x = v.find("note")) c.note = x->as_string();
    return c;
}

void to_json(nlohmann::json& j, const Address& a) {
    j = nlohmann::json::object();
    put_common(j, a);
    j["line1"] = a.line1;
    j["line2"] = a.line2;
    j["city"] = a.city;
    j["state"] = a.state;
    j["zip"] = a.zip;
    j["country"] = a.country;
}

void to_json(nlohmann::json& j, const Phone& p) {
    j = nlohmann::json::object();
    put_common(j, p);
    j["number"] = p.number;
    j["extension"] = p.extension;
}

void to_json(nlohmann::json& j, const Email& e) {
    j = nlohmann::json::object();
    put_common(j, e);
    j["address"] = e.address;
}

Address parse_address(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"id", "type", "source", "confidence", "first_seen", "last_seen", "verified_on",
                  "status", "consents", "line1", "line2", "city", "state", "zip", "country"});
    Address a;
    read_common(v, a);
    a.line1 = v.at("line1").as_string();
    if (auto x = v.find("line2")) a.line2 = x->as_string();
    if (auto x = v.find("city")) a.city = x->as_string();
    if (auto x = v.find("state")) a.state = x->as_string();
    if (auto x = v.find("zip")) a.zip = x->as_string();
    if (auto x = v.find("country")) a.country = x->as_string();
    try {
        a.normalize();
    } catch (const ValidationError& e) {
        throw ValidationError(path + "." + e.what());
    }
    return a;
}

Phone parse_phone(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"id", "type", "source", "confidence", "first_seen", "last_seen", "verified_on",
                  "status", "consents", "number", "extension"});
    Phone p;
    p.type = ContactType::mobile;
    read_common(v, p);
    p.number = v.at("number").as_string();
    if (auto x = v.find("extension")) p.extension = x->as_string();
    try {
        p.normalize();
    } catch (const ValidationError& e) {
        throw ValidationError(path + "." + e.what());
    }
    return p;
}

Email parse_email(const nlohmann::json& j, const std::string& path) {
    const JsonView v(j, path);
    v.require_object();
    v.check_keys({"id", "type", "source", "confidence", "first_seen", "last_seen", "verified_on",
                  "status", "consents", "address"});
    Email e;
    read_common(v, e);
    e.address = v.at("address").as_string();
    try {
        e.normalize();
    } catch (const ValidationError& err) {
        throw ValidationError(path + "." + err.what());
    }
    return e;
}

}  // namespace arrears
