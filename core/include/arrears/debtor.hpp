// Debtor: the person who owes. Name, date of birth, SSN (masked in every repr and message),
// preferred language, contact points, and the flags with dates the compliance engine reads:
// deceased, bankruptcy, attorney representation, active-duty military service, cease
// communication (per debt), medium opt-outs and consumer-designated inconvenient times.
//
// The flags are data; what they forbid is the compliance engine's business. The query methods
// below only answer "was this in effect on that date/instant".
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "arrears/contact_point.hpp"
#include "arrears/date.hpp"
#include "arrears/ssn.hpp"

namespace arrears {

struct Deceased {
    std::optional<Date> date_of_death;
    Date reported_on;
    std::string source;  // "family", "probate court", "credit bureau" ...
    std::string repr() const;
    friend bool operator==(const Deceased&, const Deceased&) = default;
};

struct Bankruptcy {
    int chapter = 7;  // 7, 11, 12 or 13
    std::string case_number;
    std::string court;
    Date filed_on;
    std::optional<Date> discharged_on;
    std::optional<Date> dismissed_on;
    // Filed on or before d and neither discharged nor dismissed on or before d.
    bool open_on(Date d) const noexcept;
    std::string repr() const;
    friend bool operator==(const Bankruptcy&, const Bankruptcy&) = default;
};

struct AttorneyRepresentation {
    std::string name;
    std::string firm;
    std::string phone;  // normalized to E.164 when given
    std::string email;
    Date since;
    std::optional<Date> until;
    bool active_on(Date d) const noexcept;
    std::string repr() const;
    friend bool operator==(const AttorneyRepresentation&, const AttorneyRepresentation&) = default;
};

// Active-duty service (Servicemembers Civil Relief Act).
struct MilitaryService {
    Date since;
    std::optional<Date> until;
    bool active_on(Date d) const noexcept;
    std::string repr() const;
    friend bool operator==(const MilitaryService&, const MilitaryService&) = default;
};

// Reg F 1006.6(c): a cease-communication notice for one debt (account), received on a date.
struct CeaseCommunication {
    std::string account_id;
    Date received_on;
    RecordMethod method = RecordMethod::written;
    std::optional<Date> withdrawn_on;
    bool active_on(Date d) const noexcept;
    std::string repr() const;
    friend bool operator==(const CeaseCommunication&, const CeaseCommunication&) = default;
};

// Reg F 1006.14(h): the consumer asked not to be contacted through a medium, or through one
// contact point of it (contact_point_id set).
struct MediumOptOut {
    Channel channel = Channel::call;
    std::string contact_point_id;  // empty: the whole medium
    Instant requested_at;
    RecordMethod method = RecordMethod::other;
    std::optional<Instant> withdrawn_at;
    bool active_at(Instant t) const noexcept;
    std::string repr() const;
    friend bool operator==(const MediumOptOut&, const MediumOptOut&) = default;
};

// A time the consumer said is inconvenient (Reg F 1006.6(b)(1)), in the consumer's local time:
// minutes after midnight, [start, end); start > end wraps past midnight. `weekdays` is a bit set
// (bit 0 Monday ... bit 6 Sunday); 0x7f is every day.
struct InconvenientTime {
    std::uint8_t weekdays = 0x7f;
    int start_minute = 0;
    int end_minute = 0;
    std::string contact_point_id;  // empty: every contact point
    Date designated_on;
    std::optional<Date> withdrawn_on;
    std::string note;
    // weekday: 0 Monday ... 6 Sunday; minute: 0..1439 local time.
    bool covers(int weekday, int minute) const noexcept;
    bool active_on(Date d) const noexcept;
    std::string repr() const;
    friend bool operator==(const InconvenientTime&, const InconvenientTime&) = default;
};

struct Debtor {
    std::string id;
    std::string first_name;
    std::string middle_name;
    std::string last_name;
    std::string suffix;  // "Jr", "Sr", "III" ...
    std::optional<Date> date_of_birth;
    std::optional<Ssn> ssn;
    std::string preferred_language = "en";  // ISO 639-1 ("en", "es" ...)
    std::vector<Address> addresses;
    std::vector<Phone> phones;
    std::vector<Email> emails;
    std::optional<Deceased> deceased;
    std::vector<Bankruptcy> bankruptcies;
    std::vector<AttorneyRepresentation> attorneys;
    std::vector<MilitaryService> military_service;
    std::vector<CeaseCommunication> cease_communications;
    std::vector<MediumOptOut> opt_outs;
    std::vector<InconvenientTime> inconvenient_times;

    // Normalizes contact points and validates everything; ValidationError names the field
    // ("phones[1].number: ..."). Never puts the SSN in a message.
    void normalize();

    std::string full_name() const;  // "Ana M. Lopez Jr"
    std::string repr() const;       // SSN masked

    bool is_deceased() const noexcept { return deceased.has_value(); }
    const Bankruptcy* open_bankruptcy(Date as_of) const noexcept;
    bool attorney_represented(Date as_of) const noexcept;
    bool active_duty(Date as_of) const noexcept;
    bool cease_requested(std::string_view account_id, Date as_of) const noexcept;
    // True when an opt-out in force at `as_of` covers `channel` (for this contact point, or the
    // whole medium).
    bool opted_out(Channel channel, std::string_view contact_point_id, Instant as_of) const noexcept;

    // Every IANA zone the debtor may be in: the union over the addresses and phones whose status
    // is not bad (time_zones.hpp), sorted. Empty when nothing locates the debtor.
    std::vector<std::string> possible_time_zones() const;

    // The best contact point for a channel (docs/ledger.md "Best contact point"): the index into
    // addresses (mail), phones (call, text) or emails (email), or nullopt when none qualifies.
    //  1. candidates: mail -> addresses, call -> phones, text -> mobile phones, email -> emails;
    //  2. drop those with status bad, those under an opt-out in force at as_of, and those whose
    //     latest consent record for the channel at as_of is a revocation;
    //  3. rank: consent given for the channel before no record; status good before unverified;
    //     higher confidence; later last_seen (none counts as oldest); source debtor > creditor_file >
    //     credit_bureau > skip_trace > public_record > collector > returned_mail > other; type
    //     (mail: home, mailing, work, other; call: mobile, home, landline, work, other; email:
    //     home, other, work); then position in the list.
    // as_of nullopt: every record counts, whatever its date.
    std::optional<std::size_t> best_contact_point(Channel channel,
                                                  std::optional<Instant> as_of = {}) const;

    // A copy with the contact point added, or replacing the one with the same id (validated).
    Debtor with_contact_point(const Address& address) const;
    Debtor with_contact_point(const Phone& phone) const;
    Debtor with_contact_point(const Email& email) const;

    friend bool operator==(const Debtor&, const Debtor&) = default;
};

// Validation of the flags on their own (Debtor::normalize runs them too); `prefix` is put before
// the field names in messages ("bankruptcies[0]." or ""). validate_attorney also normalizes
// (trims, phone to E.164).
void validate_bankruptcy(const Bankruptcy& b, const std::string& prefix);
void validate_attorney(AttorneyRepresentation& a, const std::string& prefix);
void validate_cease(const CeaseCommunication& c, const std::string& prefix);
void validate_military_service(const MilitaryService& m, const std::string& prefix);
void validate_opt_out(const MediumOptOut& o, const std::string& prefix);
void validate_inconvenient_time(const InconvenientTime& t, const std::string& prefix);

// Day names of InconvenientTime::weekdays: "mon" ... "sun" <-> the bit set (bit 0 Monday).
// ValidationError naming `field` and the index for an unknown name, or when none is given.
std::uint8_t parse_weekdays(const std::vector<std::string>& names, const std::string& field = "weekdays");
std::vector<std::string> weekday_names(std::uint8_t weekdays);

// JSON of the whole debtor (the SSN is written whole: this is the storage form) and of each flag.
void to_json(nlohmann::json& j, const Debtor& d);
void to_json(nlohmann::json& j, const Deceased& d);
void to_json(nlohmann::json& j, const Bankruptcy& b);
void to_json(nlohmann::json& j, const AttorneyRepresentation& a);
void to_json(nlohmann::json& j, const MilitaryService& m);
void to_json(nlohmann::json& j, const CeaseCommunication& c);
void to_json(nlohmann::json& j, const MediumOptOut& o);
void to_json(nlohmann::json& j, const InconvenientTime& t);
Debtor parse_debtor(const nlohmann::json& j, const std::string& path = "$");
Deceased parse_deceased(const nlohmann::json& j, const std::string& path = "$");
Bankruptcy parse_bankruptcy(const nlohmann::json& j, const std::string& path = "$");
AttorneyRepresentation parse_attorney(const nlohmann::json& j, const std::string& path = "$");
MilitaryService parse_military_service(const nlohmann::json& j, const std::string& path = "$");
CeaseCommunication parse_cease_communication(const nlohmann::json& j, const std::string& path = "$");
MediumOptOut parse_opt_out(const nlohmann::json& j, const std::string& path = "$");
InconvenientTime parse_inconvenient_time(const nlohmann::json& j, const std::string& path = "$");

}  // namespace arrears
