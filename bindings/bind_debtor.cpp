// Debtors and contact points (issue 11): value types, immutable from Python.
#include "pybind11.hpp"

#include "arrears/contact_point.hpp"
#include "arrears/debtor.hpp"
#include "arrears/time_zones.hpp"
#include "ledger_glue.hpp"

using namespace arrears;
namespace glue = arrears::py_glue;
using ledger_glue::from_opt_date;
using ledger_glue::opt_date;

namespace {

std::optional<Instant> opt_instant(const py::object& h, const char* field) {
    if (h.is_none()) return std::nullopt;
    return glue::to_instant(h, field);
}

py::object from_opt_instant(const std::optional<Instant>& t) {
    return t ? glue::from_instant(*t) : py::none();
}

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

constexpr std::array<const char*, 7> kDays{"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::uint8_t to_weekdays(py::handle days) {
    if (py::isinstance<py::str>(days))
        throw ValidationError("weekdays: expected a list of day names such as ['sat', 'sun']");
    unsigned bits = 0;
    std::size_t i = 0;
    for (py::handle d : days) {
        const std::string name = ledger_glue::str_arg(d, "weekdays");
        bool found = false;
        for (unsigned k = 0; k < 7; ++k)
            if (name == kDays[k]) {
                bits |= 1u << k;
                found = true;
            }
        if (!found)
            throw ValidationError("weekdays[" + std::to_string(i) + "]: " + quote(name) +
                                  " is not a day (mon, tue, wed, thu, fri, sat, sun)");
        ++i;
    }
    if (bits == 0) throw ValidationError("weekdays: names no day");
    return static_cast<std::uint8_t>(bits);
}

py::list from_weekdays(std::uint8_t bits) {
    py::list out;
    for (unsigned k = 0; k < 7; ++k)
        if ((bits >> k) & 1) out.append(kDays[k]);
    return out;
}

template <class T>
std::vector<T> list_of(py::handle items, const char* field) {
    std::vector<T> out;
    if (py::isinstance<py::str>(items) || py::isinstance<T>(items))
        throw ValidationError(std::string(field) + ": expected a list, got " + glue::py_repr(items));
    std::size_t i = 0;
    for (py::handle h : items) {
        if (!py::isinstance<T>(h))
            throw ValidationError(std::string(field) + "[" + std::to_string(i) + "]: expected " +
                                  py::str(py::type::of<T>().attr("__name__")).cast<std::string>() +
                                  ", got " + glue::py_repr(h));
        out.push_back(h.cast<T>());
        ++i;
    }
    return out;
}

void fill_common(ContactPoint& p, const std::string& id, const std::string& type,
                 const std::string& source, int confidence, const py::object& first_seen,
                 const py::object& last_seen, const py::object& verified_on,
                 const std::string& status, py::handle consents) {
    p.id = id;
    p.type = parse_contact_type(type);
    p.source = parse_contact_source(source);
    p.confidence = confidence;
    p.first_seen = opt_date(first_seen, "first_seen");
    p.last_seen = opt_date(last_seen, "last_seen");
    p.verified_on = opt_date(verified_on, "verified_on");
    p.status = parse_contact_status(status);
    p.consents = list_of<ConsentRecord>(consents, "consents");
}

template <class T>
void common_properties(py::class_<T>& cls) {
    cls.def_property_readonly("id", [](const T& p) { return p.id; })
        .def_property_readonly("type", [](const T& p) { return std::string(to_string(p.type)); })
        .def_property_readonly("source", [](const T& p) { return std::string(to_string(p.source)); })
        .def_property_readonly("confidence", [](const T& p) { return p.confidence; },
                               "0..100: how much the contact point is trusted.")
        .def_property_readonly("first_seen", [](const T& p) { return from_opt_date(p.first_seen); })
        .def_property_readonly("last_seen", [](const T& p) { return from_opt_date(p.last_seen); })
        .def_property_readonly("verified_on", [](const T& p) { return from_opt_date(p.verified_on); })
        .def_property_readonly("status", [](const T& p) { return std::string(to_string(p.status)); })
        .def_property_readonly("consents", [](const T& p) { return p.consents; });
}

std::string html_row(std::initializer_list<std::string> cells, const char* tag = "td") {
    std::string out = "<tr>";
    for (const auto& c : cells)
        out += std::string("<") + tag + " style=\"text-align:left\">" + ledger_glue::html_escape(c) +
               "</" + tag + ">";
    return out + "</tr>";
}

std::string opt_text(const std::optional<Date>& d) { return d ? to_iso(*d) : ""; }

std::string debtor_html(const Debtor& d) {
    std::string out = "<div><strong>Debtor " + ledger_glue::html_escape(d.id) + "</strong>: " +
                      ledger_glue::html_escape(d.full_name());
    if (d.ssn) out += ", SSN " + d.ssn->masked();
    if (d.date_of_birth) out += ", born " + to_iso(*d.date_of_birth);
    out += ", language " + ledger_glue::html_escape(d.preferred_language);
    const auto zones = d.possible_time_zones();
    std::string tz;
    for (const auto& z : zones) tz += (tz.empty() ? "" : ", ") + z;
    out += "<br>time zones: " + ledger_glue::html_escape(tz.empty() ? "unknown" : tz);
    std::string flags;
    auto flag = [&flags](const std::string& f) { flags += (flags.empty() ? "" : "; ") + f; };
    if (d.deceased) flag("deceased (reported " + to_iso(d.deceased->reported_on) + ")");
    for (const auto& b : d.bankruptcies)
        flag("chapter " + std::to_string(b.chapter) + " bankruptcy filed " + to_iso(b.filed_on) +
             (b.discharged_on ? ", discharged " + to_iso(*b.discharged_on) : "") +
             (b.dismissed_on ? ", dismissed " + to_iso(*b.dismissed_on) : ""));
    for (const auto& a : d.attorneys)
        flag("attorney " + (a.name.empty() ? a.firm : a.name) + " since " + to_iso(a.since));
    for (const auto& m : d.military_service) flag("active duty since " + to_iso(m.since));
    for (const auto& c : d.cease_communications)
        flag("cease on " + c.account_id + " since " + to_iso(c.received_on));
    for (const auto& o : d.opt_outs)
        flag("opted out of " + std::string(to_string(o.channel)) +
             (o.contact_point_id.empty() ? "" : " at " + o.contact_point_id));
    if (!d.inconvenient_times.empty())
        flag(std::to_string(d.inconvenient_times.size()) + " inconvenient time(s)");
    if (!flags.empty()) out += "<br>flags: " + ledger_glue::html_escape(flags);
    out += "</div><table><thead>" +
           html_row({"kind", "value", "type", "status", "confidence", "source", "last seen",
                     "best for"},
                    "th") +
           "</thead><tbody>";
    auto best_for = [&](std::size_t index, std::initializer_list<Channel> channels) {
        std::string s;
        for (Channel c : channels) {
            auto b = d.best_contact_point(c);
            if (b && *b == index) s += (s.empty() ? "" : ", ") + std::string(to_string(c));
        }
        return s;
    };
    for (std::size_t i = 0; i < d.addresses.size(); ++i) {
        const auto& a = d.addresses[i];
        out += html_row({"address", a.line1 + (a.line2.empty() ? "" : ", " + a.line2) + ", " +
                                        a.city + ", " + a.state + " " + a.zip,
                         std::string(to_string(a.type)), std::string(to_string(a.status)),
                         std::to_string(a.confidence), std::string(to_string(a.source)),
                         opt_text(a.last_seen), best_for(i, {Channel::mail})});
    }
    for (std::size_t i = 0; i < d.phones.size(); ++i) {
        const auto& p = d.phones[i];
        out += html_row({"phone", p.formatted(), std::string(to_string(p.type)),
                         std::string(to_string(p.status)), std::to_string(p.confidence),
                         std::string(to_string(p.source)), opt_text(p.last_seen),
                         best_for(i, {Channel::call, Channel::text})});
    }
    for (std::size_t i = 0; i < d.emails.size(); ++i) {
        const auto& e = d.emails[i];
        out += html_row({"email", e.address, std::string(to_string(e.type)),
                         std::string(to_string(e.status)), std::to_string(e.confidence),
                         std::string(to_string(e.source)), opt_text(e.last_seen),
                         best_for(i, {Channel::email})});
    }
    return out + "</tbody></table>";
}

}  // namespace

void bind_debtor(py::module_& m) {
    using ledger_glue::value_protocol;
    using ledger_glue::def_replace;
    const std::vector<std::string> cp_fields{"id", "type", "source", "confidence", "first_seen",
                                             "last_seen", "verified_on", "status"};

    // --- ConsentRecord ---
    py::class_<ConsentRecord> consent(m, "ConsentRecord", R"doc(
Consent given or revoked for one channel of a phone ("call", "text") or an email ("email").

``ConsentRecord(channel, given, at, method="other", note="")``: ``at`` is a timezone-aware
datetime; ``method`` is how it was received: oral, written, electronic or other.
)doc");
    consent
        .def(py::init([](const std::string& channel, bool given, const py::object& at,
                         const std::string& method, const std::string& note) {
                 return ConsentRecord{parse_channel(channel), given, glue::to_instant(at, "at"),
                                      parse_record_method(method), note};
             }),
             "channel"_a, "given"_a, "at"_a, "method"_a = "other", "note"_a = "")
        .def_property_readonly("channel", [](const ConsentRecord& c) { return std::string(to_string(c.channel)); })
        .def_property_readonly("given", [](const ConsentRecord& c) { return c.given; })
        .def_property_readonly("at", [](const ConsentRecord& c) { return glue::from_instant(c.at); })
        .def_property_readonly("method", [](const ConsentRecord& c) { return std::string(to_string(c.method)); })
        .def_property_readonly("note", [](const ConsentRecord& c) { return c.note; })
        .def("__repr__", [](const ConsentRecord& c) {
            return "ConsentRecord('" + std::string(to_string(c.channel)) + "', " +
                   (c.given ? "given" : "revoked") + " at " + to_iso(c.at) + ", method='" +
                   std::string(to_string(c.method)) + "')";
        });
    value_protocol<ConsentRecord>(consent, [](const Json& j) { return parse_consent_record(j, "$"); });
    def_replace(consent, {"channel", "given", "at", "method", "note"});

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
                 Address a;
                 fill_common(a, id, type, source, confidence, first_seen, last_seen, verified_on,
                             status, py::list());
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
        .def_property_readonly("line1", [](const Address& a) { return a.line1; })
        .def_property_readonly("line2", [](const Address& a) { return a.line2; })
        .def_property_readonly("city", [](const Address& a) { return a.city; })
        .def_property_readonly("state", [](const Address& a) { return a.state; })
        .def_property_readonly("zip", [](const Address& a) { return a.zip; })
        .def_property_readonly("country", [](const Address& a) { return a.country; })
        .def("time_zones", &Address::time_zones,
             "IANA zones for the state and ZIP (a list: several when the area straddles zones).")
        .def("__repr__", &Address::repr);
    common_properties(address);
    value_protocol<Address>(address, [](const Json& j) { return parse_address(j); });
    {
        auto f = cp_fields;
        for (const char* x : {"line1", "city", "state", "zip", "line2", "country"}) f.emplace_back(x);
        def_replace(address, f);
    }

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
                 Phone p;
                 fill_common(p, id, type, source, confidence, first_seen, last_seen, verified_on,
                             status, consents);
                 p.number = number;
                 p.extension = extension;
                 p.normalize();
                 return p;
             }),
             "number"_a, py::kw_only(), "extension"_a = "", "id"_a = "", "type"_a = "mobile",
             "source"_a = "debtor", "confidence"_a = 50, "first_seen"_a = py::none(),
             "last_seen"_a = py::none(), "verified_on"_a = py::none(), "status"_a = "unverified",
             "consents"_a = py::tuple())
        .def_property_readonly("number", [](const Phone& p) { return p.number; }, "E.164 form.")
        .def_property_readonly("extension", [](const Phone& p) { return p.extension; })
        .def_property_readonly("area_code", &Phone::area_code)
        .def_property_readonly("formatted", &Phone::formatted, "(212) 555-1234")
        .def("time_zones", &Phone::time_zones, "IANA zones served by the area code (a list).")
        .def("consent", [](const Phone& p, const std::string& channel, const py::object& as_of) {
                 auto c = p.consent(parse_channel(channel), opt_instant(as_of, "as_of"));
                 return c ? py::object(py::bool_(*c)) : py::none();
             }, "channel"_a, "as_of"_a = py::none(),
             "The latest consent record for the channel at as_of: True (given), False (revoked) "
             "or None (no record).")
        .def("__repr__", &Phone::repr);
    common_properties(phone);
    value_protocol<Phone>(phone, [](const Json& j) { return parse_phone(j); });
    {
        auto f = cp_fields;
        for (const char* x : {"number", "extension", "consents"}) f.emplace_back(x);
        def_replace(phone, f);
    }

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
                 Email e;
                 fill_common(e, id, type, source, confidence, first_seen, last_seen, verified_on,
                             status, consents);
                 e.address = addr;
                 e.normalize();
                 return e;
             }),
             "address"_a, py::kw_only(), "id"_a = "", "type"_a = "home", "source"_a = "debtor",
             "confidence"_a = 50, "first_seen"_a = py::none(), "last_seen"_a = py::none(),
             "verified_on"_a = py::none(), "status"_a = "unverified", "consents"_a = py::tuple())
        .def_property_readonly("address", [](const Email& e) { return e.address; })
        .def("consent", [](const Email& e, const std::string& channel, const py::object& as_of) {
                 auto c = e.consent(parse_channel(channel), opt_instant(as_of, "as_of"));
                 return c ? py::object(py::bool_(*c)) : py::none();
             }, "channel"_a = "email", "as_of"_a = py::none())
        .def("__repr__", &Email::repr);
    common_properties(email);
    value_protocol<Email>(email, [](const Json& j) { return parse_email(j); });
    {
        auto f = cp_fields;
        for (const char* x : {"address", "consents"}) f.emplace_back(x);
        def_replace(email, f);
    }

    // --- flags ---
    py::class_<Deceased> deceased(m, "Deceased", "Deceased(reported_on, *, date_of_death=None, source='')");
    deceased
        .def(py::init([](const py::object& reported_on, const py::object& date_of_death,
                         const std::string& source) {
                 return Deceased{opt_date(date_of_death, "date_of_death"),
                                 glue::to_date(reported_on, "reported_on"), source};
             }),
             "reported_on"_a, py::kw_only(), "date_of_death"_a = py::none(), "source"_a = "")
        .def_property_readonly("reported_on", [](const Deceased& d) { return glue::from_date(d.reported_on); })
        .def_property_readonly("date_of_death", [](const Deceased& d) { return from_opt_date(d.date_of_death); })
        .def_property_readonly("source", [](const Deceased& d) { return d.source; })
        .def("__repr__", [](const Deceased& d) {
            return "Deceased(reported_on=" + to_iso(d.reported_on) +
                   (d.date_of_death ? ", date_of_death=" + to_iso(*d.date_of_death) : "") +
                   (d.source.empty() ? "" : ", source=" + quote(d.source)) + ")";
        });
    value_protocol<Deceased>(deceased, [](const Json& j) { return parse_deceased(j); });
    def_replace(deceased, {"reported_on", "date_of_death", "source"});
    py::class_<Bankruptcy> bankruptcy(m, "Bankruptcy", R"doc(
A bankruptcy case: ``Bankruptcy(chapter, filed_on, *, case_number="", court="",
discharged_on=None, dismissed_on=None)``; chapter 7, 11, 12 or 13.
)doc");
    bankruptcy
        .def(py::init([](int chapter, const py::object& filed_on, const std::string& case_number,
                         const std::string& court, const py::object& discharged_on,
                         const py::object& dismissed_on) {
                 Bankruptcy b{chapter, case_number, court, glue::to_date(filed_on, "filed_on"),
                              opt_date(discharged_on, "discharged_on"),
                              opt_date(dismissed_on, "dismissed_on")};
                 validate_bankruptcy(b, "");
                 return b;
             }),
             "chapter"_a, "filed_on"_a, py::kw_only(), "case_number"_a = "", "court"_a = "",
             "discharged_on"_a = py::none(), "dismissed_on"_a = py::none())
        .def_property_readonly("chapter", [](const Bankruptcy& b) { return b.chapter; })
        .def_property_readonly("filed_on", [](const Bankruptcy& b) { return glue::from_date(b.filed_on); })
        .def_property_readonly("case_number", [](const Bankruptcy& b) { return b.case_number; })
        .def_property_readonly("court", [](const Bankruptcy& b) { return b.court; })
        .def_property_readonly("discharged_on", [](const Bankruptcy& b) { return from_opt_date(b.discharged_on); })
        .def_property_readonly("dismissed_on", [](const Bankruptcy& b) { return from_opt_date(b.dismissed_on); })
        .def("open_on", &Bankruptcy::open_on, "day"_a,
             "Filed on or before day, and neither discharged nor dismissed by then.")
        .def("__repr__", [](const Bankruptcy& b) {
            return "Bankruptcy(chapter=" + std::to_string(b.chapter) + ", filed_on=" +
                   to_iso(b.filed_on) +
                   (b.case_number.empty() ? "" : ", case_number=" + quote(b.case_number)) +
                   (b.discharged_on ? ", discharged_on=" + to_iso(*b.discharged_on) : "") +
                   (b.dismissed_on ? ", dismissed_on=" + to_iso(*b.dismissed_on) : "") + ")";
        });
    value_protocol<Bankruptcy>(bankruptcy, [](const Json& j) { return parse_bankruptcy(j); });
    def_replace(bankruptcy, {"chapter", "filed_on", "case_number", "court", "discharged_on", "dismissed_on"});

    py::class_<AttorneyRepresentation> attorney(m, "AttorneyRepresentation", R"doc(
The debtor is represented by an attorney: ``AttorneyRepresentation(since, *, name="", firm="",
phone="", email="", until=None)``.
)doc");
    attorney
        .def(py::init([](const py::object& since, const std::string& name, const std::string& firm,
                         const std::string& phone_number, const std::string& mail,
                         const py::object& until) {
                 AttorneyRepresentation a{name, firm, phone_number, mail,
                                          glue::to_date(since, "since"), opt_date(until, "until")};
                 validate_attorney(a, "");
                 return a;
             }),
             "since"_a, py::kw_only(), "name"_a = "", "firm"_a = "", "phone"_a = "",
             "email"_a = "", "until"_a = py::none())
        .def_property_readonly("since", [](const AttorneyRepresentation& a) { return glue::from_date(a.since); })
        .def_property_readonly("until", [](const AttorneyRepresentation& a) { return from_opt_date(a.until); })
        .def_property_readonly("name", [](const AttorneyRepresentation& a) { return a.name; })
        .def_property_readonly("firm", [](const AttorneyRepresentation& a) { return a.firm; })
        .def_property_readonly("phone", [](const AttorneyRepresentation& a) { return a.phone; })
        .def_property_readonly("email", [](const AttorneyRepresentation& a) { return a.email; })
        .def("active_on", &AttorneyRepresentation::active_on, "day"_a)
        .def("__repr__", [](const AttorneyRepresentation& a) {
            return "AttorneyRepresentation(" + quote(a.name.empty() ? a.firm : a.name) +
                   ", since=" + to_iso(a.since) + (a.until ? ", until=" + to_iso(*a.until) : "") + ")";
        });
    value_protocol<AttorneyRepresentation>(attorney, [](const Json& j) { return parse_attorney(j); });
    def_replace(attorney, {"since", "name", "firm", "phone", "email", "until"});

    py::class_<MilitaryService> military(m, "MilitaryService",
                                         "Active-duty military service (SCRA): MilitaryService(since, *, until=None)");
    military
        .def(py::init([](const py::object& since, const py::object& until) {
                 MilitaryService s{glue::to_date(since, "since"), opt_date(until, "until")};
                 if (s.until && to_days(*s.until) < to_days(s.since))
                     throw ValidationError("until: " + to_iso(*s.until) + " is before since " +
                                           to_iso(s.since));
                 return s;
             }),
             "since"_a, py::kw_only(), "until"_a = py::none())
        .def_property_readonly("since", [](const MilitaryService& s) { return glue::from_date(s.since); })
        .def_property_readonly("until", [](const MilitaryService& s) { return from_opt_date(s.until); })
        .def("active_on", &MilitaryService::active_on, "day"_a)
        .def("__repr__", [](const MilitaryService& s) {
            return "MilitaryService(since=" + to_iso(s.since) +
                   (s.until ? ", until=" + to_iso(*s.until) : "") + ")";
        });
    value_protocol<MilitaryService>(military, [](const Json& j) { return parse_military_service(j); });
    def_replace(military, {"since", "until"});

    py::class_<CeaseCommunication> cease(m, "CeaseCommunication", R"doc(
A cease-communication notice for one debt (Reg F 1006.6(c)):
``CeaseCommunication(account_id, received_on, *, method="written", withdrawn_on=None)``.
)doc");
    cease
        .def(py::init([](const std::string& account_id, const py::object& received_on,
                         const std::string& method, const py::object& withdrawn_on) {
                 CeaseCommunication c{account_id, glue::to_date(received_on, "received_on"),
                                      parse_record_method(method), opt_date(withdrawn_on, "withdrawn_on")};
                 validate_cease(c, "");
                 return c;
             }),
             "account_id"_a, "received_on"_a, py::kw_only(), "method"_a = "written",
             "withdrawn_on"_a = py::none())
        .def_property_readonly("account_id", [](const CeaseCommunication& c) { return c.account_id; })
        .def_property_readonly("received_on", [](const CeaseCommunication& c) { return glue::from_date(c.received_on); })
        .def_property_readonly("method", [](const CeaseCommunication& c) { return std::string(to_string(c.method)); })
        .def_property_readonly("withdrawn_on", [](const CeaseCommunication& c) { return from_opt_date(c.withdrawn_on); })
        .def("active_on", &CeaseCommunication::active_on, "day"_a)
        .def("__repr__", [](const CeaseCommunication& c) {
            return "CeaseCommunication(" + quote(c.account_id) + ", received_on=" +
                   to_iso(c.received_on) + ", method='" + std::string(to_string(c.method)) + "')";
        });
    value_protocol<CeaseCommunication>(cease, [](const Json& j) { return parse_cease_communication(j); });
    def_replace(cease, {"account_id", "received_on", "method", "withdrawn_on"});

    py::class_<MediumOptOut> opt_out(m, "MediumOptOut", R"doc(
The consumer asked not to be contacted through a medium (Reg F 1006.14(h)), or through one
contact point of it: ``MediumOptOut(channel, requested_at, *, contact_point_id="",
method="other", withdrawn_at=None)``; channel is call, text, email or mail.
)doc");
    opt_out
        .def(py::init([](const std::string& channel, const py::object& requested_at,
                         const std::string& contact_point_id, const std::string& method,
                         const py::object& withdrawn_at) {
                 MediumOptOut o{parse_channel(channel), contact_point_id,
                                glue::to_instant(requested_at, "requested_at"),
                                parse_record_method(method), opt_instant(withdrawn_at, "withdrawn_at")};
                 if (o.withdrawn_at && *o.withdrawn_at < o.requested_at)
                     throw ValidationError("withdrawn_at: before requested_at");
                 return o;
             }),
             "channel"_a, "requested_at"_a, py::kw_only(), "contact_point_id"_a = "",
             "method"_a = "other", "withdrawn_at"_a = py::none())
        .def_property_readonly("channel", [](const MediumOptOut& o) { return std::string(to_string(o.channel)); })
        .def_property_readonly("requested_at", [](const MediumOptOut& o) { return glue::from_instant(o.requested_at); })
        .def_property_readonly("contact_point_id", [](const MediumOptOut& o) { return o.contact_point_id; })
        .def_property_readonly("method", [](const MediumOptOut& o) { return std::string(to_string(o.method)); })
        .def_property_readonly("withdrawn_at", [](const MediumOptOut& o) { return from_opt_instant(o.withdrawn_at); })
        .def("active_at", [](const MediumOptOut& o, const py::object& at) {
                 return o.active_at(glue::to_instant(at, "at"));
             }, "at"_a)
        .def("__repr__", [](const MediumOptOut& o) {
            return "MediumOptOut('" + std::string(to_string(o.channel)) + "', requested_at=" +
                   to_iso(o.requested_at) +
                   (o.contact_point_id.empty() ? "" : ", contact_point_id=" + quote(o.contact_point_id)) +
                   ")";
        });
    value_protocol<MediumOptOut>(opt_out, [](const Json& j) { return parse_opt_out(j); });
    def_replace(opt_out, {"channel", "requested_at", "contact_point_id", "method", "withdrawn_at"});

    py::class_<InconvenientTime> inconvenient(m, "InconvenientTime", R"doc(
A time the consumer said is inconvenient (Reg F 1006.6(b)(1)), in the consumer's local time:
``InconvenientTime(start, end, designated_on, *, weekdays=("mon", ..., "sun"),
contact_point_id="", withdrawn_on=None, note="")``. ``start``/``end`` are naive
``datetime.time`` values, [start, end); start after end wraps past midnight; start == end is the
whole day.
)doc");
    inconvenient
        .def(py::init([](const py::object& start, const py::object& end,
                         const py::object& designated_on, const py::object& weekdays,
                         const std::string& contact_point_id, const py::object& withdrawn_on,
                         const std::string& note) {
                 InconvenientTime t{to_weekdays(weekdays), to_minutes(start, "start"),
                                    to_minutes(end, "end"), contact_point_id,
                                    glue::to_date(designated_on, "designated_on"),
                                    opt_date(withdrawn_on, "withdrawn_on"), note};
                 if (t.withdrawn_on && to_days(*t.withdrawn_on) < to_days(t.designated_on))
                     throw ValidationError("withdrawn_on: before designated_on");
                 return t;
             }),
             "start"_a, "end"_a, "designated_on"_a, py::kw_only(),
             "weekdays"_a = py::make_tuple("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
             "contact_point_id"_a = "", "withdrawn_on"_a = py::none(), "note"_a = "")
        .def_property_readonly("start", [](const InconvenientTime& t) { return from_minutes(t.start_minute); })
        .def_property_readonly("end", [](const InconvenientTime& t) { return from_minutes(t.end_minute); })
        .def_property_readonly("weekdays", [](const InconvenientTime& t) { return from_weekdays(t.weekdays); })
        .def_property_readonly("designated_on", [](const InconvenientTime& t) { return glue::from_date(t.designated_on); })
        .def_property_readonly("contact_point_id", [](const InconvenientTime& t) { return t.contact_point_id; })
        .def_property_readonly("withdrawn_on", [](const InconvenientTime& t) { return from_opt_date(t.withdrawn_on); })
        .def_property_readonly("note", [](const InconvenientTime& t) { return t.note; })
        .def("covers", [](const InconvenientTime& t, const py::object& local) {
                 py::object dt_class = glue::datetime_module().attr("datetime");
                 if (!py::isinstance(local, dt_class) || !local.attr("tzinfo").is_none())
                     throw ValidationError("local: expected a naive datetime in the consumer's "
                                           "local time, got " + glue::py_repr(local));
                 const int weekday = local.attr("weekday")().cast<int>();
                 const int minute = local.attr("hour").cast<int>() * 60 + local.attr("minute").cast<int>();
                 return t.covers(weekday, minute) &&
                        t.active_on(glue::to_date(local.attr("date")(), "local"));
             }, "local"_a, "True when the local (naive) date-time falls in this designation.")
        .def("__repr__", [](const InconvenientTime& t) {
            std::string days;
            for (unsigned k = 0; k < 7; ++k)
                if ((t.weekdays >> k) & 1) days += (days.empty() ? "" : ",") + std::string(kDays[k]);
            auto hhmm = [](int mm) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "%02d:%02d", mm / 60, mm % 60);
                return std::string(buf);
            };
            return "InconvenientTime(" + hhmm(t.start_minute) + "-" + hhmm(t.end_minute) + ", " +
                   days + (t.contact_point_id.empty() ? "" : ", contact_point_id=" + quote(t.contact_point_id)) +
                   ")";
        });
    value_protocol<InconvenientTime>(inconvenient, [](const Json& j) { return parse_inconvenient_time(j); });
    def_replace(inconvenient, {"start", "end", "designated_on", "weekdays", "contact_point_id", "withdrawn_on", "note"});

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
                 d.date_of_birth = opt_date(date_of_birth, "date_of_birth");
                 if (!ssn.is_none()) {
                     if (!py::isinstance<py::str>(ssn))
                         throw ValidationError("ssn: expected a str such as '123-45-6789'");
                     d.ssn = Ssn::parse(ssn.cast<std::string>());
                 }
                 d.preferred_language = preferred_language;
                 d.addresses = list_of<Address>(addresses, "addresses");
                 d.phones = list_of<Phone>(phones, "phones");
                 d.emails = list_of<Email>(emails, "emails");
                 if (!deceased_flag.is_none()) {
                     if (!py::isinstance<Deceased>(deceased_flag))
                         throw ValidationError("deceased: expected a Deceased or None");
                     d.deceased = deceased_flag.cast<Deceased>();
                 }
                 d.bankruptcies = list_of<Bankruptcy>(bankruptcies, "bankruptcies");
                 d.attorneys = list_of<AttorneyRepresentation>(attorneys, "attorneys");
                 d.military_service = list_of<MilitaryService>(military_service, "military_service");
                 d.cease_communications =
                     list_of<CeaseCommunication>(cease_communications, "cease_communications");
                 d.opt_outs = list_of<MediumOptOut>(opt_outs, "opt_outs");
                 d.inconvenient_times = list_of<InconvenientTime>(inconvenient_times, "inconvenient_times");
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
        .def_property_readonly("id", [](const Debtor& d) { return d.id; })
        .def_property_readonly("first_name", [](const Debtor& d) { return d.first_name; })
        .def_property_readonly("middle_name", [](const Debtor& d) { return d.middle_name; })
        .def_property_readonly("last_name", [](const Debtor& d) { return d.last_name; })
        .def_property_readonly("suffix", [](const Debtor& d) { return d.suffix; })
        .def_property_readonly("full_name", &Debtor::full_name)
        .def_property_readonly("date_of_birth", [](const Debtor& d) { return from_opt_date(d.date_of_birth); })
        .def_property_readonly("ssn", [](const Debtor& d) -> py::object {
            return d.ssn ? py::object(py::str(d.ssn->masked())) : py::none();
        }, "The SSN masked: '***-**-1234' (None when unknown).")
        .def_property_readonly("ssn_last4", [](const Debtor& d) -> py::object {
            return d.ssn ? py::object(py::str(d.ssn->last4())) : py::none();
        })
        .def("reveal_ssn", [](const Debtor& d) -> py::object {
            return d.ssn ? py::object(py::str(d.ssn->digits())) : py::none();
        }, "The 9 SSN digits (for bureau reporting); None when unknown.")
        .def_property_readonly("preferred_language", [](const Debtor& d) { return d.preferred_language; })
        .def_property_readonly("addresses", [](const Debtor& d) { return d.addresses; })
        .def_property_readonly("phones", [](const Debtor& d) { return d.phones; })
        .def_property_readonly("emails", [](const Debtor& d) { return d.emails; })
        .def_property_readonly("deceased", [](const Debtor& d) -> py::object {
            return d.deceased ? py::cast(*d.deceased) : py::none();
        })
        .def_property_readonly("bankruptcies", [](const Debtor& d) { return d.bankruptcies; })
        .def_property_readonly("attorneys", [](const Debtor& d) { return d.attorneys; })
        .def_property_readonly("military_service", [](const Debtor& d) { return d.military_service; })
        .def_property_readonly("cease_communications", [](const Debtor& d) { return d.cease_communications; })
        .def_property_readonly("opt_outs", [](const Debtor& d) { return d.opt_outs; })
        .def_property_readonly("inconvenient_times", [](const Debtor& d) { return d.inconvenient_times; })
        .def_property_readonly("is_deceased", &Debtor::is_deceased)
        .def("open_bankruptcy", [](const Debtor& d, const Date& as_of) -> py::object {
            const Bankruptcy* b = d.open_bankruptcy(as_of);
            return b ? py::cast(*b) : py::none();
        }, "as_of"_a, "The bankruptcy case open on as_of, or None.")
        .def("attorney_represented", &Debtor::attorney_represented, "as_of"_a)
        .def("active_duty", &Debtor::active_duty, "as_of"_a)
        .def("cease_requested", &Debtor::cease_requested, "account_id"_a, "as_of"_a,
             "True when a cease-communication notice for that debt is in force on as_of.")
        .def("opted_out", [](const Debtor& d, const std::string& channel, const py::object& as_of,
                             const std::string& contact_point_id) {
                 return d.opted_out(parse_channel(channel), contact_point_id,
                                    glue::to_instant(as_of, "as_of"));
             }, "channel"_a, "as_of"_a, "contact_point_id"_a = "",
             "True when an opt-out in force at as_of covers the channel (for this contact point, "
             "or the whole medium).")
        .def("possible_time_zones", &Debtor::possible_time_zones,
             "Every IANA zone the debtor may be in (addresses and phones not marked bad), sorted.")
        .def("best_contact_point", [](const Debtor& d, const std::string& channel,
                                      const py::object& as_of) -> py::object {
                 const Channel c = parse_channel(channel);
                 auto i = d.best_contact_point(c, opt_instant(as_of, "as_of"));
                 if (!i) return py::none();
                 switch (c) {
                     case Channel::mail: return py::cast(d.addresses[*i]);
                     case Channel::call:
                     case Channel::text: return py::cast(d.phones[*i]);
                     case Channel::email: return py::cast(d.emails[*i]);
                 }
                 return py::none();
             }, "channel"_a, "as_of"_a = py::none(),
             "The best Address (mail), Phone (call, text) or Email (email) by the documented rule "
             "(docs/ledger.md), or None.")
        .def("with_contact_point", [](const Debtor& d, py::handle cp) {
                 Debtor out = d;
                 auto put = [](auto& list, const auto& item) {
                     for (auto& x : list)
                         if (x.id == item.id) {
                             x = item;
                             return;
                         }
                     list.push_back(item);
                 };
                 if (py::isinstance<Address>(cp)) put(out.addresses, cp.cast<Address>());
                 else if (py::isinstance<Phone>(cp)) put(out.phones, cp.cast<Phone>());
                 else if (py::isinstance<Email>(cp)) put(out.emails, cp.cast<Email>());
                 else
                     throw ValidationError("contact_point: expected an Address, Phone or Email, got " +
                                           glue::py_repr(cp));
                 out.normalize();
                 return out;
             }, "contact_point"_a,
             "A copy with the contact point added, or replacing the one with the same id.")
        .def("__repr__", &Debtor::repr)
        .def("_repr_html_", &debtor_html);
    value_protocol<Debtor>(debtor, [](const Json& j) { return parse_debtor(j); });
    def_replace(debtor, {"id", "first_name", "last_name", "middle_name", "suffix", "date_of_birth",
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
    m.def("time_zone_tables", [] {
        py::list states, zips, area_codes;
        auto zones = [](const std::vector<std::string_view>& z) {
            py::list out;
            for (auto s : z) out.append(py::str(std::string(s)));
            return out;
        };
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
    }, "The time-zone tables (data written from working knowledge, to be reviewed): "
       "{'states': [...], 'zips': [...], 'area_codes': [...]}.");
}
