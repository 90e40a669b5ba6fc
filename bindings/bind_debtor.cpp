// Debtors and contact points: _core.debtor. Value types, immutable from Python.
#include "pybind11.hpp"

#include "arrears/contact_point.hpp"
#include "arrears/debtor.hpp"
#include "arrears/html.hpp"
#include "arrears/time_zones.hpp"

using namespace arrears;

namespace {

// datetime.time (naive: local time at the consumer's location) -> minutes after midnight.
int to_minutes(py::handle h, const char* field) {
    py::object time_class = glue::datetime_module().attr("time");
    if (!py::isinstance(h, time_class))
        throw ValidationError(std::string(field) + ": expected a datetime.time, got " +
                              glue::py_repr(h));
    if (!h.attr("tzinfo").is_none())
        throw ValidationError(std::string(field) + ": " + glue::py_repr(h) +
                              " has a time zone; give the consumer's local time without one");
    if (h.attr("second").cast<int>() != 0 || h.attr("microsecond").cast<int>() != 0)
        throw ValidationError(std::string(field) + ": " + glue::py_repr(h) +
                              " has seconds; times are whole minutes");
    return h.attr("hour").cast<int>() * 60 + h.attr("minute").cast<int>();
}

py::object from_minutes(int m) { return glue::datetime_module().attr("time")(m / 60, m % 60); }

// The fields every contact point takes, then its own.
template <class T>
T contact_point(const std::string& id, const std::string& type, const std::string& source,
                int confidence, const py::object& first_seen, const py::object& last_seen,
                const py::object& verified_on, const std::string& status, py::handle consents) {
    T p;
    p.id = id;
    p.type = parse_contact_type(type);
    p.source = parse_contact_source(source);
    p.confidence = confidence;
    p.first_seen = glue::opt_date(first_seen, "first_seen");
    p.last_seen = glue::opt_date(last_seen, "last_seen");
    p.verified_on = glue::opt_date(verified_on, "verified_on");
    p.status = parse_contact_status(status);
    p.consents = glue::list_of<ConsentRecord>(consents, "consents");
    return p;
}

template <class T>
void contact_point_properties(py::class_<T>& cls) {
    cls.def_readonly("id", &T::id)
        .def_property_readonly("type", glue::name_of<T>(&T::type))
        .def_property_readonly("source", glue::name_of<T>(&T::source))
        .def_readonly("confidence", &T::confidence, "0..100: how much the contact point is trusted.")
        .def_readonly("first_seen", &T::first_seen)
        .def_readonly("last_seen", &T::last_seen)
        .def_readonly("verified_on", &T::verified_on)
        .def_property_readonly("status", glue::name_of<T>(&T::status))
        .def_property_readonly("consents", glue::get<T>(&T::consents));
}

const std::vector<std::string> kContactPointFields{"id", "type", "source", "confidence",
                                                   "first_seen", "last_seen", "verified_on",
                                                   "status"};

std::vector<std::string> fields(std::vector<std::string> own) {
    own.insert(own.begin(), kContactPointFields.begin(), kContactPointFields.end());
    return own;
}

template <class T>
std::optional<bool> consent(const T& p, const std::string& channel, const py::object& as_of) {
    return p.consent(parse_channel(channel), glue::opt_instant(as_of, "as_of"));
}

// The best contact point itself: an Address (mail), Phone (call, text) or Email (email).
py::object best_contact_point(const Debtor& d, const std::string& channel, const py::object& as_of) {
    const Channel c = parse_channel(channel);
    const auto i = d.best_contact_point(c, glue::opt_instant(as_of, "as_of"));
    if (!i) return py::none();
    switch (c) {
        case Channel::mail: return py::cast(d.addresses[*i]);
        case Channel::call:
        case Channel::text: return py::cast(d.phones[*i]);
        case Channel::email: return py::cast(d.emails[*i]);
    }
    return py::none();
}

Debtor with_contact_point(const Debtor& d, py::handle cp) {
    if (py::isinstance<Address>(cp)) return d.with_contact_point(cp.cast<const Address&>());
    if (py::isinstance<Phone>(cp)) return d.with_contact_point(cp.cast<const Phone&>());
    if (py::isinstance<Email>(cp)) return d.with_contact_point(cp.cast<const Email&>());
    throw ValidationError("contact_point: expected an Address, Phone or Email, got " + glue::py_repr(cp));
}

bool covers(const InconvenientTime& t, const py::object& local) {
    py::object dt_class = glue::datetime_module().attr("datetime");
    if (!py::isinstance(local, dt_class) || !local.attr("tzinfo").is_none())
        throw ValidationError("local: expected a naive datetime in the consumer's local time, got " +
                              glue::py_repr(local));
    const int weekday = local.attr("weekday")().cast<int>();
    const int minute = local.attr("hour").cast<int>() * 60 + local.attr("minute").cast<int>();
    return t.covers(weekday, minute) && t.active_on(glue::to_date(local.attr("date")(), "local"));
}

py::dict time_zone_tables() {
    py::list states, zips, area_codes;
    auto zones = [](const std::vector<std::string_view>& z) { return py::cast(std::vector<std::string>(z.begin(), z.end())); };
    for (const auto& r : state_time_zone_table())
        states.append(py::dict("state"_a = std::string(r.state), "name"_a = std::string(r.name),
                               "zones"_a = zones(r.zones)));
    for (const auto& r : zip_time_zone_table())
        zips.append(py::dict("state"_a = std::string(r.state), "zip"_a = std::string(r.zip),
                             "zones"_a = zones(r.zones), "note"_a = std::string(r.note)));
    for (const auto& r : area_code_time_zone_table())
        area_codes.append(py::dict("area_code"_a = std::string(r.area_code),
                                   "state"_a = std::string(r.state), "zones"_a = zones(r.zones)));
    return py::dict("states"_a = states, "zips"_a = zips, "area_codes"_a = area_codes);
}

}  // namespace

void bind_debtor(py::module_& m) {
    // --- ConsentRecord ---
    py::class_<ConsentRecord> consent_record(m, "ConsentRecord", R"doc(
Consent given or revoked for one channel of a phone ("call", "text") or an email ("email").

``ConsentRecord(channel, given, at, method="other", note="")``: ``at`` is a timezone-aware
datetime; ``method`` is how it was received: oral, written, electronic or other.
)doc");
    consent_record
        .def(py::init([](const std::string& channel, bool given, const py::object& at,
                         const std::string& method, const std::string& note) {
                 return ConsentRecord{parse_channel(channel), given, glue::to_instant(at, "at"),
                                      parse_record_method(method), note};
             }),
             "channel"_a, "given"_a, "at"_a, "method"_a = "other", "note"_a = "")
        .def_property_readonly("channel", glue::name_of<ConsentRecord>(&ConsentRecord::channel))
        .def_readonly("given", &ConsentRecord::given)
        .def_readonly("at", &ConsentRecord::at)
        .def_property_readonly("method", glue::name_of<ConsentRecord>(&ConsentRecord::method))
        .def_readonly("note", &ConsentRecord::note)
        .def("__repr__", &ConsentRecord::repr);
    glue::def_json_value(consent_record, [](const Json& j) { return parse_consent_record(j, "$"); });
    glue::def_replace(consent_record, {"channel", "given", "at", "method", "note"});

    // --- Address ---
    py::class_<Address> address(m, "Address", R"doc(
A postal address of a debtor.

``Address(line1, city, state, zip, *, line2="", country="US", id="", type="home",
source="debtor", confidence=50, first_seen=None, last_seen=None, verified_on=None,
status="unverified")``. The state is a USPS code (states, DC, territories, AA/AE/AP); the ZIP is
``12345`` or ``12345-6789``. ``type`` is home, work, mailing or other; ``source`` is debtor,
creditor_file, credit_bureau, skip_trace, public_record, returned_mail, collector or other;
``status`` is good, unverified or bad. The id defaults to ``"<LINE1>, <ZIP>"``.
)doc");
    address
        .def(py::init([](const std::string& line1, const std::string& city, const std::string& state,
                         const std::string& zip, const std::string& line2, const std::string& country,
                         const std::string& id, const std::string& type, const std::string& source,
                         int confidence, const py::object& first_seen, const py::object& last_seen,
                         const py::object& verified_on, const std::string& status) {
                 auto a = contact_point<Address>(id, type, source, confidence, first_seen, last_seen,
                                                 verified_on, status, py::tuple());
                 a.line1 = line1;
                 a.line2 = line2;
                 a.city = city;
                 a.state = state;
                 a.zip = zip;
                 a.country = country;
                 a.normalize();
                 return a;
             }),
             "line1"_a, "city"_a, "state"_a, "zip"_a, py::kw_only(), "line2"_a = "",
             "country"_a = "US", "id"_a = "", "type"_a = "home", "source"_a = "debtor",
             "confidence"_a = 50, "first_seen"_a = py::none(), "last_seen"_a = py::none(),
             "verified_on"_a = py::none(), "status"_a = "unverified")
        .def_readonly("line1", &Address::line1)
        .def_readonly("line2", &Address::line2)
        .def_readonly("city", &Address::city)
        .def_readonly("state", &Address::state)
        .def_readonly("zip", &Address::zip)
        .def_readonly("country", &Address::country)
        .def("time_zones", &Address::time_zones,
             "IANA zones for the state and ZIP (a list: several when the area straddles zones).")
        .def("__repr__", &Address::repr);
    contact_point_properties(address);
    glue::def_json_value(address, [](const Json& j) { return parse_address(j); });
    glue::def_replace(address, fields({"line1", "city", "state", "zip", "line2", "country"}));

    // --- Phone ---
    py::class_<Phone> phone(m, "Phone", R"doc(
A phone number of a debtor (North American Numbering Plan).

``Phone(number, *, extension="", id="", type="mobile", source="debtor", confidence=50,
first_seen=None, last_seen=None, verified_on=None, status="unverified", consents=())``. The
number is normalized to E.164 (``"+12125551234"``) from forms such as ``"(212) 555-1234"``.
``type`` is mobile, home, landline, work or other. ``consents`` are ConsentRecords for "call"
and "text". The id defaults to the E.164 number.
)doc");
    phone
        .def(py::init([](const std::string& number, const std::string& extension,
                         const std::string& id, const std::string& type, const std::string& source,
                         int confidence, const py::object& first_seen, const py::object& last_seen,
                         const py::object& verified_on, const std::string& status,
                         const py::object& consents) {
                 auto p = contact_point<Phone>(id, type, source, confidence, first_seen, last_seen,
                                               verified_on, status, consents);
                 p.number = number;
                 p.extension = extension;
                 p.normalize();
                 return p;
             }),
             "number"_a, py::kw_only(), "extension"_a = "", "id"_a = "", "type"_a = "mobile",
             "source"_a = "debtor", "confidence"_a = 50, "first_seen"_a = py::none(),
             "last_seen"_a = py::none(), "verified_on"_a = py::none(), "status"_a = "unverified",
             "consents"_a = py::tuple())
        .def_readonly("number", &Phone::number, "E.164 form.")
        .def_readonly("extension", &Phone::extension)
        .def_property_readonly("area_code", &Phone::area_code)
        .def_property_readonly("formatted", &Phone::formatted, "(212) 555-1234")
        .def("time_zones", &Phone::time_zones, "IANA zones served by the area code (a list).")
        .def("consent", &consent<Phone>, "channel"_a, "as_of"_a = py::none(),
             "The latest consent record for the channel at as_of: True (given), False (revoked) "
             "or None (no record).")
        .def("__repr__", &Phone::repr);
    contact_point_properties(phone);
    glue::def_json_value(phone, [](const Json& j) { return parse_phone(j); });
    glue::def_replace(phone, fields({"number", "extension", "consents"}));

    // --- Email ---
    py::class_<Email> email(m, "Email", R"doc(
An email address of a debtor.

``Email(address, *, id="", type="home", source="debtor", confidence=50, first_seen=None,
last_seen=None, verified_on=None, status="unverified", consents=())``. ``type`` is home
(personal), work or other. The domain is lower-cased; the id defaults to the lower-cased address.
)doc");
    email
        .def(py::init([](const std::string& addr, const std::string& id, const std::string& type,
                         const std::string& source, int confidence, const py::object& first_seen,
                         const py::object& last_seen, const py::object& verified_on,
                         const std::string& status, const py::object& consents) {
                 auto e = contact_point<Email>(id, type, source, confidence, first_seen, last_seen,
                                               verified_on, status, consents);
                 e.address = addr;
                 e.normalize();
                 return e;
             }),
             "address"_a, py::kw_only(), "id"_a = "", "type"_a = "home", "source"_a = "debtor",
             "confidence"_a = 50, "first_seen"_a = py::none(), "last_seen"_a = py::none(),
             "verified_on"_a = py::none(), "status"_a = "unverified", "consents"_a = py::tuple())
        .def_readonly("address", &Email::address)
        .def("consent", &consent<Email>, "channel"_a = "email", "as_of"_a = py::none())
        .def("__repr__", &Email::repr);
    contact_point_properties(email);
    glue::def_json_value(email, [](const Json& j) { return parse_email(j); });
    glue::def_replace(email, fields({"address", "consents"}));

    // --- flags ---
    py::class_<Deceased> deceased(m, "Deceased", "Deceased(reported_on, *, date_of_death=None, source='')");
    deceased
        .def(py::init([](const py::object& reported_on, const py::object& date_of_death, const std::string& source) {
                 return Deceased{glue::opt_date(date_of_death, "date_of_death"),
                                 glue::to_date(reported_on, "reported_on"), source};
             }),
             "reported_on"_a, py::kw_only(), "date_of_death"_a = py::none(), "source"_a = "")
        .def_readonly("reported_on", &Deceased::reported_on)
        .def_readonly("date_of_death", &Deceased::date_of_death)
        .def_readonly("source", &Deceased::source)
        .def("__repr__", &Deceased::repr);
    glue::def_json_value(deceased, [](const Json& j) { return parse_deceased(j); });
    glue::def_replace(deceased, {"reported_on", "date_of_death", "source"});

    py::class_<Bankruptcy> bankruptcy(m, "Bankruptcy", R"doc(
A bankruptcy case: ``Bankruptcy(chapter, filed_on, *, case_number="", court="",
discharged_on=None, dismissed_on=None)``; chapter 7, 11, 12 or 13.
)doc");
    bankruptcy
        .def(py::init([](int chapter, const py::object& filed_on, const std::string& case_number,
                         const std::string& court, const py::object& discharged_on,
                         const py::object& dismissed_on) {
                 Bankruptcy b{chapter, case_number, court, glue::to_date(filed_on, "filed_on"),
                              glue::opt_date(discharged_on, "discharged_on"),
                              glue::opt_date(dismissed_on, "dismissed_on")};
                 validate_bankruptcy(b, "");
                 return b;
             }),
             "chapter"_a, "filed_on"_a, py::kw_only(), "case_number"_a = "", "court"_a = "",
             "discharged_on"_a = py::none(), "dismissed_on"_a = py::none())
        .def_readonly("chapter", &Bankruptcy::chapter)
        .def_readonly("filed_on", &Bankruptcy::filed_on)
        .def_readonly("case_number", &Bankruptcy::case_number)
        .def_readonly("court", &Bankruptcy::court)
        .def_readonly("discharged_on", &Bankruptcy::discharged_on)
        .def_readonly("dismissed_on", &Bankruptcy::dismissed_on)
        .def("open_on", &Bankruptcy::open_on, "day"_a,
             "Filed on or before day, and neither discharged nor dismissed by then.")
        .def("__repr__", &Bankruptcy::repr);
    glue::def_json_value(bankruptcy, [](const Json& j) { return parse_bankruptcy(j); });
    glue::def_replace(bankruptcy, {"chapter", "filed_on", "case_number", "court", "discharged_on", "dismissed_on"});

    py::class_<AttorneyRepresentation> attorney(m, "AttorneyRepresentation", R"doc(
The debtor is represented by an attorney: ``AttorneyRepresentation(since, *, name="", firm="",
phone="", email="", until=None)``.
)doc");
    attorney
        .def(py::init([](const py::object& since, const std::string& name, const std::string& firm,
                         const std::string& phone_number, const std::string& mail, const py::object& until) {
                 AttorneyRepresentation a{name, firm, phone_number, mail, glue::to_date(since, "since"),
                                          glue::opt_date(until, "until")};
                 validate_attorney(a, "");
                 return a;
             }),
             "since"_a, py::kw_only(), "name"_a = "", "firm"_a = "", "phone"_a = "",
             "email"_a = "", "until"_a = py::none())
        .def_readonly("since", &AttorneyRepresentation::since)
        .def_readonly("until", &AttorneyRepresentation::until)
        .def_readonly("name", &AttorneyRepresentation::name)
        .def_readonly("firm", &AttorneyRepresentation::firm)
        .def_readonly("phone", &AttorneyRepresentation::phone)
        .def_readonly("email", &AttorneyRepresentation::email)
        .def("active_on", &AttorneyRepresentation::active_on, "day"_a)
        .def("__repr__", &AttorneyRepresentation::repr);
    glue::def_json_value(attorney, [](const Json& j) { return parse_attorney(j); });
    glue::def_replace(attorney, {"since", "name", "firm", "phone", "email", "until"});

    py::class_<MilitaryService> military(m, "MilitaryService",
                                         "Active-duty military service (SCRA): MilitaryService(since, *, until=None)");
    military
        .def(py::init([](const py::object& since, const py::object& until) {
                 MilitaryService s{glue::to_date(since, "since"), glue::opt_date(until, "until")};
                 validate_military_service(s, "");
                 return s;
             }),
             "since"_a, py::kw_only(), "until"_a = py::none())
        .def_readonly("since", &MilitaryService::since)
        .def_readonly("until", &MilitaryService::until)
        .def("active_on", &MilitaryService::active_on, "day"_a)
        .def("__repr__", &MilitaryService::repr);
    glue::def_json_value(military, [](const Json& j) { return parse_military_service(j); });
    glue::def_replace(military, {"since", "until"});

    py::class_<CeaseCommunication> cease(m, "CeaseCommunication", R"doc(
A cease-communication notice for one debt (Reg F 1006.6(c)):
``CeaseCommunication(account_id, received_on, *, method="written", withdrawn_on=None)``.
)doc");
    cease
        .def(py::init([](const std::string& account_id, const py::object& received_on,
                         const std::string& method, const py::object& withdrawn_on) {
                 CeaseCommunication c{account_id, glue::to_date(received_on, "received_on"), parse_record_method(method),
                                      glue::opt_date(withdrawn_on, "withdrawn_on")};
                 validate_cease(c, "");
                 return c;
             }),
             "account_id"_a, "received_on"_a, py::kw_only(), "method"_a = "written",
             "withdrawn_on"_a = py::none())
        .def_readonly("account_id", &CeaseCommunication::account_id)
        .def_readonly("received_on", &CeaseCommunication::received_on)
        .def_property_readonly("method", glue::name_of<CeaseCommunication>(&CeaseCommunication::method))
        .def_readonly("withdrawn_on", &CeaseCommunication::withdrawn_on)
        .def("active_on", &CeaseCommunication::active_on, "day"_a)
        .def("__repr__", &CeaseCommunication::repr);
    glue::def_json_value(cease, [](const Json& j) { return parse_cease_communication(j); });
    glue::def_replace(cease, {"account_id", "received_on", "method", "withdrawn_on"});

    py::class_<MediumOptOut> opt_out(m, "MediumOptOut", R"doc(
The consumer asked not to be contacted through a medium (Reg F 1006.14(h)), or through one
contact point of it: ``MediumOptOut(channel, requested_at, *, contact_point_id="",
method="other", withdrawn_at=None)``; channel is call, text, email or mail.
)doc");
    opt_out
        .def(py::init([](const std::string& channel, const py::object& requested_at,
                         const std::string& contact_point_id, const std::string& method,
                         const py::object& withdrawn_at) {
                 MediumOptOut o{parse_channel(channel), contact_point_id, glue::to_instant(requested_at, "requested_at"),
                                parse_record_method(method), glue::opt_instant(withdrawn_at, "withdrawn_at")};
                 validate_opt_out(o, "");
                 return o;
             }),
             "channel"_a, "requested_at"_a, py::kw_only(), "contact_point_id"_a = "",
             "method"_a = "other", "withdrawn_at"_a = py::none())
        .def_property_readonly("channel", glue::name_of<MediumOptOut>(&MediumOptOut::channel))
        .def_readonly("requested_at", &MediumOptOut::requested_at)
        .def_readonly("contact_point_id", &MediumOptOut::contact_point_id)
        .def_property_readonly("method", glue::name_of<MediumOptOut>(&MediumOptOut::method))
        .def_readonly("withdrawn_at", &MediumOptOut::withdrawn_at)
        .def("active_at", &MediumOptOut::active_at, "at"_a)
        .def("__repr__", &MediumOptOut::repr);
    glue::def_json_value(opt_out, [](const Json& j) { return parse_opt_out(j); });
    glue::def_replace(opt_out, {"channel", "requested_at", "contact_point_id", "method", "withdrawn_at"});

    py::class_<InconvenientTime> inconvenient(m, "InconvenientTime", R"doc(
A time the consumer said is inconvenient (Reg F 1006.6(b)(1)), in the consumer's local time:
``InconvenientTime(start, end, designated_on, *, weekdays=("mon", ..., "sun"),
contact_point_id="", withdrawn_on=None, note="")``. ``start``/``end`` are naive
``datetime.time`` values, [start, end); start after end wraps past midnight; start == end is the
whole day.
)doc");
    inconvenient
        .def(py::init([](const py::object& start, const py::object& end, const py::object& designated_on,
                         const py::object& weekdays, const std::string& contact_point_id,
                         const py::object& withdrawn_on, const std::string& note) {
                 InconvenientTime t{parse_weekdays(glue::str_list(weekdays, "weekdays")),
                                    to_minutes(start, "start"), to_minutes(end, "end"), contact_point_id,
                                    glue::to_date(designated_on, "designated_on"),
                                    glue::opt_date(withdrawn_on, "withdrawn_on"), note};
                 validate_inconvenient_time(t, "");
                 return t;
             }),
             "start"_a, "end"_a, "designated_on"_a, py::kw_only(),
             "weekdays"_a = py::make_tuple("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
             "contact_point_id"_a = "", "withdrawn_on"_a = py::none(), "note"_a = "")
        .def_property_readonly("start", [](const InconvenientTime& t) { return from_minutes(t.start_minute); })
        .def_property_readonly("end", [](const InconvenientTime& t) { return from_minutes(t.end_minute); })
        .def_property_readonly("weekdays", [](const InconvenientTime& t) { return weekday_names(t.weekdays); })
        .def_readonly("designated_on", &InconvenientTime::designated_on)
        .def_readonly("contact_point_id", &InconvenientTime::contact_point_id)
        .def_readonly("withdrawn_on", &InconvenientTime::withdrawn_on)
        .def_readonly("note", &InconvenientTime::note)
        .def("covers", &covers, "local"_a, "True when the local (naive) date-time falls in this designation.")
        .def("__repr__", &InconvenientTime::repr);
    glue::def_json_value(inconvenient, [](const Json& j) { return parse_inconvenient_time(j); });
    glue::def_replace(inconvenient, {"start", "end", "designated_on", "weekdays", "contact_point_id", "withdrawn_on", "note"});

    // --- Debtor ---
    py::class_<Debtor> debtor(m, "Debtor", R"doc(
The person who owes (immutable; ``replace(**changes)`` and ``with_contact_point(cp)`` give
changed copies).

``Debtor(id, first_name, last_name, *, middle_name="", suffix="", date_of_birth=None, ssn=None,
preferred_language="en", addresses=(), phones=(), emails=(), deceased=None, bankruptcies=(),
attorneys=(), military_service=(), cease_communications=(), opt_outs=(),
inconvenient_times=())``.

The SSN is kept whole for bureau reporting but shows as ``***-**-1234`` in ``ssn``, ``repr`` and
every error message; ``reveal_ssn()`` gives the digits. ``to_dict()``/``to_json()`` are the
storage form and carry the whole SSN.
)doc");
    debtor
        .def(py::init([](const std::string& id, const std::string& first_name,
                         const std::string& last_name, const std::string& middle_name,
                         const std::string& suffix, const py::object& date_of_birth,
                         const py::object& ssn, const std::string& preferred_language,
                         const py::object& addresses, const py::object& phones,
                         const py::object& emails, const py::object& deceased_flag,
                         const py::object& bankruptcies, const py::object& attorneys,
                         const py::object& military_service, const py::object& cease_communications,
                         const py::object& opt_outs, const py::object& inconvenient_times) {
                 Debtor d;
                 d.id = id;
                 d.first_name = first_name;
                 d.last_name = last_name;
                 d.middle_name = middle_name;
                 d.suffix = suffix;
                 d.date_of_birth = glue::opt_date(date_of_birth, "date_of_birth");
                 if (!ssn.is_none()) {
                     if (!py::isinstance<py::str>(ssn))
                         throw ValidationError("ssn: expected a str such as '123-45-6789'");
                     d.ssn = Ssn::parse(ssn.cast<std::string>());
                 }
                 d.preferred_language = preferred_language;
                 d.addresses = glue::list_of<Address>(addresses, "addresses");
                 d.phones = glue::list_of<Phone>(phones, "phones");
                 d.emails = glue::list_of<Email>(emails, "emails");
                 if (!deceased_flag.is_none()) {
                     if (!py::isinstance<Deceased>(deceased_flag))
                         throw ValidationError("deceased: expected a Deceased or None");
                     d.deceased = deceased_flag.cast<Deceased>();
                 }
                 d.bankruptcies = glue::list_of<Bankruptcy>(bankruptcies, "bankruptcies");
                 d.attorneys = glue::list_of<AttorneyRepresentation>(attorneys, "attorneys");
                 d.military_service = glue::list_of<MilitaryService>(military_service, "military_service");
                 d.cease_communications =
                     glue::list_of<CeaseCommunication>(cease_communications, "cease_communications");
                 d.opt_outs = glue::list_of<MediumOptOut>(opt_outs, "opt_outs");
                 d.inconvenient_times = glue::list_of<InconvenientTime>(inconvenient_times, "inconvenient_times");
                 d.normalize();
                 return d;
             }),
             "id"_a, "first_name"_a, "last_name"_a, py::kw_only(), "middle_name"_a = "",
             "suffix"_a = "", "date_of_birth"_a = py::none(), "ssn"_a = py::none(),
             "preferred_language"_a = "en", "addresses"_a = py::tuple(), "phones"_a = py::tuple(),
             "emails"_a = py::tuple(), "deceased"_a = py::none(), "bankruptcies"_a = py::tuple(),
             "attorneys"_a = py::tuple(), "military_service"_a = py::tuple(),
             "cease_communications"_a = py::tuple(), "opt_outs"_a = py::tuple(),
             "inconvenient_times"_a = py::tuple())
        .def_readonly("id", &Debtor::id)
        .def_readonly("first_name", &Debtor::first_name)
        .def_readonly("middle_name", &Debtor::middle_name)
        .def_readonly("last_name", &Debtor::last_name)
        .def_readonly("suffix", &Debtor::suffix)
        .def_property_readonly("full_name", &Debtor::full_name)
        .def_readonly("date_of_birth", &Debtor::date_of_birth)
        .def_property_readonly("ssn", [](const Debtor& d) -> std::optional<std::string> {
            if (!d.ssn) return std::nullopt;
            return d.ssn->masked();
        }, "The SSN masked: '***-**-1234' (None when unknown).")
        .def_property_readonly("ssn_last4", [](const Debtor& d) -> std::optional<std::string> {
            if (!d.ssn) return std::nullopt;
            return d.ssn->last4();
        })
        .def("reveal_ssn", [](const Debtor& d) -> std::optional<std::string> {
            if (!d.ssn) return std::nullopt;
            return d.ssn->digits();
        }, "The 9 SSN digits (for bureau reporting); None when unknown.")
        .def_readonly("preferred_language", &Debtor::preferred_language)
        .def_property_readonly("addresses", glue::get<Debtor>(&Debtor::addresses))
        .def_property_readonly("phones", glue::get<Debtor>(&Debtor::phones))
        .def_property_readonly("emails", glue::get<Debtor>(&Debtor::emails))
        .def_property_readonly("deceased", glue::get<Debtor>(&Debtor::deceased))
        .def_property_readonly("bankruptcies", glue::get<Debtor>(&Debtor::bankruptcies))
        .def_property_readonly("attorneys", glue::get<Debtor>(&Debtor::attorneys))
        .def_property_readonly("military_service", glue::get<Debtor>(&Debtor::military_service))
        .def_property_readonly("cease_communications", glue::get<Debtor>(&Debtor::cease_communications))
        .def_property_readonly("opt_outs", glue::get<Debtor>(&Debtor::opt_outs))
        .def_property_readonly("inconvenient_times", glue::get<Debtor>(&Debtor::inconvenient_times))
        .def_property_readonly("is_deceased", &Debtor::is_deceased)
        .def("open_bankruptcy", [](const Debtor& d, const Date& as_of) -> std::optional<Bankruptcy> {
            const Bankruptcy* b = d.open_bankruptcy(as_of);
            if (!b) return std::nullopt;
            return *b;
        }, "as_of"_a, "The bankruptcy case open on as_of, or None.")
        .def("attorney_represented", &Debtor::attorney_represented, "as_of"_a)
        .def("active_duty", &Debtor::active_duty, "as_of"_a)
        .def("cease_requested", &Debtor::cease_requested, "account_id"_a, "as_of"_a,
             "True when a cease-communication notice for that debt is in force on as_of.")
        .def("opted_out", [](const Debtor& d, const std::string& channel, const py::object& as_of,
                             const std::string& contact_point_id) {
                 return d.opted_out(parse_channel(channel), contact_point_id, glue::to_instant(as_of, "as_of"));
             }, "channel"_a, "as_of"_a, "contact_point_id"_a = "",
             "True when an opt-out in force at as_of covers the channel (for this contact point, "
             "or the whole medium).")
        .def("possible_time_zones", &Debtor::possible_time_zones,
             "Every IANA zone the debtor may be in (addresses and phones not marked bad), sorted.")
        .def("best_contact_point", &best_contact_point, "channel"_a, "as_of"_a = py::none(),
             "The best Address (mail), Phone (call, text) or Email (email) by the documented rule "
             "(docs/ledger.md), or None.")
        .def("with_contact_point", &with_contact_point, "contact_point"_a,
             "A copy with the contact point added, or replacing the one with the same id.")
        .def("__repr__", &Debtor::repr)
        .def("_repr_html_", [](const Debtor& d) { return to_html(d); });
    glue::def_json_value(debtor, [](const Json& j) { return parse_debtor(j); });
    glue::def_replace(debtor, {"id", "first_name", "last_name", "middle_name", "suffix", "date_of_birth",
                         "ssn=reveal_ssn", "preferred_language", "addresses", "phones", "emails",
                         "deceased", "bankruptcies", "attorneys", "military_service",
                         "cease_communications", "opt_outs", "inconvenient_times"});

    // --- time zones ---
    m.def("possible_time_zones", &possible_time_zones, "state"_a = "", "zip"_a = "",
          "area_code"_a = "",
          "IANA zones from an address (USPS state, ZIP) and/or a phone area code: the union, "
          "sorted. Several zones when the data disagree or an area straddles a boundary.");
    m.def("time_zones_for_address", &time_zones_for_address, "state"_a, "zip"_a = "");
    m.def("time_zones_for_area_code", &time_zones_for_area_code, "area_code"_a);
    m.def("time_zone_tables", &time_zone_tables,
          "The time-zone tables (data written from working knowledge, to be reviewed): "
          "{'states': [...], 'zips': [...], 'area_codes': [...]}.");
}
