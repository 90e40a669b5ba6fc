// Contact points: where a debtor can be reached (addresses, phones, emails), where each came
// from, how much it is trusted, and the consent records for calls, texts and emails.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/date.hpp"

namespace arrears {

// A medium of communication (Reg F 1006.14(h) opt-outs are per medium).
enum class Channel : std::uint8_t { call, text, email, mail };
std::string_view to_string(Channel c) noexcept;
Channel parse_channel(std::string_view name, std::string_view field = "channel");

// Addresses: home, work, mailing, other. Phones: mobile, home, landline, work, other.
// Emails: home (personal), work, other.
enum class ContactType : std::uint8_t { home, work, mobile, landline, mailing, other };
std::string_view to_string(ContactType t) noexcept;
ContactType parse_contact_type(std::string_view name, std::string_view field = "type");

enum class ContactSource : std::uint8_t {
    debtor,          // the debtor gave it
    creditor_file,   // in the placement file
    credit_bureau,   // a credit report header
    skip_trace,      // a skip-trace vendor
    public_record,   // court, property or other public records
    returned_mail,   // a forwarding address from returned mail
    collector,       // found by a collector (directory, employer ...)
    other,
};
std::string_view to_string(ContactSource s) noexcept;
ContactSource parse_contact_source(std::string_view name, std::string_view field = "source");

enum class ContactStatus : std::uint8_t { good, unverified, bad };
std::string_view to_string(ContactStatus s) noexcept;
ContactStatus parse_contact_status(std::string_view name, std::string_view field = "status");

// How a consent, opt-out or request was received.
enum class RecordMethod : std::uint8_t { oral, written, electronic, other };
std::string_view to_string(RecordMethod m) noexcept;
RecordMethod parse_record_method(std::string_view name, std::string_view field = "method");

// Consent given or revoked for one channel of one contact point, at an instant.
struct ConsentRecord {
    Channel channel = Channel::call;
    bool given = true;  // false: revoked
    Instant at;
    RecordMethod method = RecordMethod::other;
    std::string note;
    std::string repr() const;
    friend bool operator==(const ConsentRecord&, const ConsentRecord&) = default;
};

// The fields every contact point has.
struct ContactPoint {
    std::string id;  // unique within the debtor; default: derived from the value
    ContactType type = ContactType::home;
    ContactSource source = ContactSource::debtor;
    int confidence = 50;  // 0..100
    std::optional<Date> first_seen;
    std::optional<Date> last_seen;
    std::optional<Date> verified_on;
    ContactStatus status = ContactStatus::unverified;
    std::vector<ConsentRecord> consents;

    // The latest record for `channel` at or before `as_of` (all records when nullopt): true when
    // consent was given, false when revoked, nullopt when there is none.
    std::optional<bool> consent(Channel channel, std::optional<Instant> as_of = {}) const;
    friend bool operator==(const ContactPoint&, const ContactPoint&) = default;
};

struct Address : ContactPoint {
    std::string line1;
    std::string line2;
    std::string city;
    std::string state;  // USPS code: "NY", "PR", "AE" ...
    std::string zip;    // "12345" or "12345-6789"
    std::string country = "US";

    // Normalizes (upper-case state and country, ZIP+4 with a dash, default id) and validates;
    // throws ValidationError naming the field.
    void normalize();
    // IANA zones for the state and ZIP (time_zones.hpp); empty outside the tables.
    std::vector<std::string> time_zones() const;
    std::string repr() const;
    friend bool operator==(const Address&, const Address&) = default;
};

struct Phone : ContactPoint {
    std::string number;     // E.164: "+12125551234" (NANP numbers only)
    std::string extension;  // digits only

    // Normalizes the number from "(212) 555-1234", "212.555.1234", "+1 212 555 1234" ... and
    // validates it as a NANP number (area code and exchange start with 2-9).
    void normalize();
    std::string area_code() const;  // "212"
    std::vector<std::string> time_zones() const;
    std::string formatted() const;  // "(212) 555-1234"
    std::string repr() const;
    friend bool operator==(const Phone&, const Phone&) = default;
};

struct Email : ContactPoint {
    std::string address;  // the domain is lower-cased; the local part is kept as given

    void normalize();
    std::string repr() const;
    friend bool operator==(const Email&, const Email&) = default;
};

// Validates the shared fields (confidence 0..100, first_seen <= last_seen, consent channels that
// fit the kind of contact point); `kind` is "address", "phone" or "email" for messages.
void validate_contact_point(const ContactPoint& p, std::string_view field, std::string_view kind);
// Normalizes a phone number to E.164 or throws ValidationError naming `field` and the value.
std::string normalize_phone_number(std::string_view text, std::string_view field = "number");

// JSON: flat objects with the shared fields plus the kind's own.
void to_json(nlohmann::json& j, const ConsentRecord& c);
void to_json(nlohmann::json& j, const Address& a);
void to_json(nlohmann::json& j, const Phone& p);
void to_json(nlohmann::json& j, const Email& e);
ConsentRecord parse_consent_record(const nlohmann::json& j, const std::string& path);
Address parse_address(const nlohmann::json& j, const std::string& path = "$");
Phone parse_phone(const nlohmann::json& j, const std::string& path = "$");
Email parse_email(const nlohmann::json& j, const std::string& path = "$");

}  // namespace arrears
