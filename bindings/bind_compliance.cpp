// Compliance engine bindings (_core.compliance): contact attempts, consumers, contact policies
// (Regulation F and overlays), decisions, validation period, furnishing, retention and statute of
// limitations (the columnar check: bind_contact_batch.cpp). Thin: conversions and docstrings
// only; the rules live in core/. ContactPolicy.load/save (files) are added by
// arrears/compliance.py.
#include "pybind11.hpp"

#include "arrears/compliance_dates.hpp"
#include "arrears/consumer.hpp"
#include "arrears/contact_attempt.hpp"
#include "arrears/contact_policy.hpp"
#include "arrears/debtor.hpp"
#include "arrears/html.hpp"
#include "arrears/json.hpp"
#include "arrears/statute_of_limitations.hpp"

using namespace arrears;

namespace {

std::string str_field(const py::handle& h, const std::string& field) {
    if (!py::isinstance<py::str>(h))
        throw ValidationError(field + ": expected a str, got " + glue::py_repr(h));
    return h.cast<std::string>();
}

// A sequence of str (a single str counts as one item).
std::vector<std::string> str_items(const py::handle& h, const std::string& field) {
    std::vector<std::string> out;
    if (h.is_none()) return out;
    if (py::isinstance<py::str>(h)) return {h.cast<std::string>()};
    if (!py::isinstance<py::sequence>(h) && !py::isinstance<py::set>(h) &&
        !py::isinstance<py::frozenset>(h))
        throw ValidationError(field + ": expected a sequence of str, got " + glue::py_repr(h));
    std::size_t i = 0;
    for (const auto& item : h) {
        out.push_back(str_field(item, field + "[" + std::to_string(i) + "]"));
        ++i;
    }
    return out;
}

// IANA names as str, or zoneinfo.ZoneInfo objects (their `key`).
std::vector<std::string> zone_list(const py::handle& h) {
    std::vector<std::string> out;
    if (h.is_none()) return out;
    auto one = [](const py::handle& z, const std::string& field) -> std::string {
        if (py::isinstance<py::str>(z)) return z.cast<std::string>();
        if (py::hasattr(z, "key") && py::isinstance<py::str>(z.attr("key")))
            return z.attr("key").cast<std::string>();
        throw ValidationError(field + ": expected an IANA zone name or a zoneinfo.ZoneInfo, got " +
                              glue::py_repr(z));
    };
    if (py::isinstance<py::str>(h) || py::hasattr(h, "key")) return {one(h, "time_zones[0]")};
    if (!py::isinstance<py::sequence>(h))
        throw ValidationError("time_zones: expected a sequence of zone names, got " +
                              glue::py_repr(h));
    std::size_t i = 0;
    for (const auto& z : h)
        out.push_back(one(z, "time_zones[" + std::to_string(i++) + "]"));
    return out;
}

std::int32_t local_time(const py::handle& h, const std::string& field) {
    if (py::isinstance<py::str>(h)) return parse_local_time(h.cast<std::string>(), field);
    py::object time_class = glue::datetime_module().attr("time");
    if (py::isinstance(h, time_class)) {
        if (!h.attr("tzinfo").is_none())
            throw ValidationError(field + ": " + glue::py_repr(h) +
                                  " has a tzinfo; designated times are the consumer's local times");
        return h.attr("hour").cast<int>() * 3600 + h.attr("minute").cast<int>() * 60 +
               h.attr("second").cast<int>();
    }
    throw ValidationError(field + ": expected a datetime.time or 'HH:MM', got " + glue::py_repr(h));
}

py::object py_time(std::int32_t seconds) {
    if (seconds >= 86400) return py::str("24:00");
    return glue::datetime_module().attr("time")(seconds / 3600, seconds / 60 % 60, seconds % 60);
}

TagSet tags_of(const py::handle& h, const char* field = "tags") {
    return parse_tags(str_items(h, field), field);
}

py::tuple str_tuple(const std::vector<std::string>& v) {
    return py::tuple(py::cast(v));
}

py::object instant_or_none(std::optional<Instant> t) {
    if (!t) return py::none();
    return glue::from_instant(*t);
}

Consumer make_consumer(const std::string& id, const py::handle& time_zones, const py::handle& state,
                       const py::handle& cease, const py::handle& disputed,
                       const py::handle& opted_out, const py::handle& inconvenient, bool attorney,
                       bool bankruptcy, bool deceased, const py::handle& time_barred) {
    Consumer::Init in;
    in.id = id;
    in.time_zones = zone_list(time_zones);
    if (!state.is_none()) in.state = str_field(state, "state");
    in.cease = str_items(cease, "cease");
    in.disputed = str_items(disputed, "disputed");
    in.time_barred = str_items(time_barred, "time_barred");
    in.opted_out = parse_channel_set(str_items(opted_out, "opted_out"), "opted_out");
    if (!inconvenient.is_none()) {
        std::size_t i = 0;
        for (const auto& item : inconvenient) {
            const std::string field = "inconvenient[" + std::to_string(i++) + "]";
            if (!py::isinstance<py::sequence>(item) || py::isinstance<py::str>(item) ||
                (py::len(item) != 2 && py::len(item) != 3))
                throw ValidationError(field +
                                      ": expected a (start, end) or (start, end, weekdays) tuple of "
                                      "local times, got " +
                                      glue::py_repr(item));
            py::sequence s = item.cast<py::sequence>();
            LocalTimeRange r{local_time(s[0], field + "[0]"), local_time(s[1], field + "[1]")};
            if (py::len(s) == 3) {
                r.weekdays = 0;
                std::size_t k = 0;
                if (py::isinstance<py::str>(s[2]))
                    throw ValidationError(field + "[2]: expected a list of day names such as "
                                                  "['sat', 'sun']");
                for (const auto& w : s[2]) {
                    const std::string wf = field + "[2][" + std::to_string(k++) + "]";
                    if (!py::isinstance<py::str>(w))
                        throw ValidationError(wf + ": expected a day name (mon ... sun), got " +
                                              glue::py_repr(w));
                    r.weekdays = static_cast<std::uint8_t>(
                        r.weekdays | (1u << parse_weekday(w.cast<std::string>(), wf)));
                }
            }
            in.inconvenient.push_back(r);
        }
    }
    in.attorney = attorney;
    in.bankruptcy = bankruptcy;
    in.deceased = deceased;
    return Consumer(std::move(in));
}

std::vector<ContactAttempt> attempts(const py::handle& history) {
    std::vector<ContactAttempt> out;
    if (history.is_none()) return out;
    std::size_t i = 0;
    for (const auto& item : history) {
        if (!py::isinstance<ContactAttempt>(item))
            throw ValidationError("history[" + std::to_string(i) +
                                  "]: expected a ContactAttempt, got " + glue::py_repr(item));
        out.push_back(item.cast<const ContactAttempt&>());
        ++i;
    }
    return out;
}

py::tuple reasons_tuple(const std::vector<Reason>& v) {
    return py::tuple(py::cast(v));
}

} // namespace

void bind_compliance(py::module_& m) {
    // ---- ContactAttempt ----------------------------------------------------------------------
    py::class_<ContactAttempt> attempt(m, "ContactAttempt", R"doc(
One contact between the collector and a consumer about one or more debts (immutable).

``ContactAttempt(consumer_id, debt_ids, channel, direction, outcome, at, consent=False, tags=())``

- ``channel``: ``call``, ``text``, ``email``, ``letter`` or ``voicemail``
- ``direction``: ``outbound`` or ``inbound``
- ``outcome``: ``connected``, ``not_connected``, ``conversation``, ``left_message``, ``delivered``
  or ``bounced``
- ``at``: a timezone-aware datetime (naive ones are rejected)
- ``consent``: the person gave prior consent directly to the collector during this contact, for
  calls about these debts (12 CFR 1006.14(b)(3)(i))
- ``tags``: the purpose of a message (``terminating_efforts``, ``remedy_notice``,
  ``remedy_intent``, ``opt_out_confirmation``, ``reply``, ``required_by_law``, ``verification``,
  ``dispute_response``, ``legal_action``, ``threat_of_suit``, ``proof_of_claim``,
  ``validation_notice``)
)doc");
    attempt
        .def(py::init([](const std::string& consumer_id, const py::object& debt_ids,
                         const std::string& channel, const std::string& direction,
                         const std::string& outcome, const Instant& at, bool consent,
                         const py::object& tags) {
                 return ContactAttempt(consumer_id, str_items(debt_ids, "debt_ids"),
                                       parse_contact_channel(channel), parse_direction(direction),
                                       parse_outcome(outcome), at, consent, tags_of(tags));
             }),
             "consumer_id"_a, "debt_ids"_a, "channel"_a, "direction"_a, "outcome"_a, "at"_a,
             "consent"_a = false, "tags"_a = py::tuple())
        .def_property_readonly("consumer_id", &ContactAttempt::consumer_id)
        .def_property_readonly("debt_ids",
                               [](const ContactAttempt& a) { return str_tuple(a.debt_ids()); })
        .def_property_readonly(
            "channel", [](const ContactAttempt& a) { return std::string(to_string(a.channel())); })
        .def_property_readonly(
            "direction",
            [](const ContactAttempt& a) { return std::string(to_string(a.direction())); })
        .def_property_readonly(
            "outcome", [](const ContactAttempt& a) { return std::string(to_string(a.outcome())); })
        .def_property_readonly("at", &ContactAttempt::at)
        .def_property_readonly("consent", &ContactAttempt::consent)
        .def_property_readonly(
            "tags", [](const ContactAttempt& a) { return str_tuple(tag_names(a.tags())); })
        .def("__repr__", &ContactAttempt::repr);
    glue::def_json_value(
        attempt, [](const Json& j) { return ContactAttempt::from_json(JsonView(j)); }, glue::hashable,
        "contact_attempt");

    // ---- Consumer --------------------------------------------------------------------------
    py::class_<Consumer> consumer(m, "Consumer", R"doc(
The compliance engine's view of a consumer (immutable).

``Consumer(id, time_zones=(), state=None, cease=(), disputed=(), opted_out=(), inconvenient=(),
attorney=False, bankruptcy=False, deceased=False, time_barred=())``

- ``time_zones``: IANA names (or ``zoneinfo.ZoneInfo``) where the consumer may be; empty means
  unknown (every zone the policy serves is checked)
- ``state``: two-letter code, e.g. ``"MA"``
- ``cease``: debt ids with a cease-communication notice; ``disputed``: debt ids whose collection
  is paused by a timely dispute (see ``ContactPolicy.assess_dispute``); ``time_barred``: debt ids
  past the statute of limitations (see ``is_time_barred``)
- ``opted_out``: channels the consumer asked not to be used
- ``inconvenient``: local ``(start, end)`` or ``(start, end, days)`` ranges the consumer
  designated (``datetime.time`` or ``"HH:MM"``; ``start > end`` wraps past midnight; ``days``
  such as ``["sat", "sun"]``; ``("00:00", "24:00")`` is the whole day)
)doc");
    consumer
        .def(py::init(&make_consumer), "id"_a, "time_zones"_a = py::tuple(), "state"_a = py::none(),
             "cease"_a = py::tuple(), "disputed"_a = py::tuple(), "opted_out"_a = py::tuple(),
             "inconvenient"_a = py::tuple(), "attorney"_a = false, "bankruptcy"_a = false,
             "deceased"_a = false, "time_barred"_a = py::tuple())
        .def_static(
            "from_debtor",
            [](const Debtor& debtor, const Instant& as_of, const py::object& disputed,
               const py::object& time_barred) {
                return Consumer::from_debtor(debtor, as_of, str_items(disputed, "disputed"),
                                             str_items(time_barred, "time_barred"));
            },
            "debtor"_a, "as_of"_a, "disputed"_a = py::tuple(), "time_barred"_a = py::tuple(),
            R"doc(The consumer view of an arrears.Debtor at the instant ``as_of``.

Time zones from its addresses and phones, the state of its best mailing address, the cease
notices, whole-medium opt-outs (call, text, email; mail becomes letter) and designated
inconvenient times in force then (a designation for one contact point applies to every medium),
attorney representation, an open bankruptcy, deceased. Disputed (collection paused) and
time-barred debt ids come from the accounts: pass them.)doc")
        .def_property_readonly("id", &Consumer::id)
        .def_property_readonly("time_zones",
                               [](const Consumer& c) { return str_tuple(c.time_zones()); })
        .def_property_readonly("state", &Consumer::state)
        .def_property_readonly("cease", [](const Consumer& c) { return str_tuple(c.cease()); })
        .def_property_readonly("disputed",
                               [](const Consumer& c) { return str_tuple(c.disputed()); })
        .def_property_readonly(
            "opted_out", [](const Consumer& c) { return str_tuple(channel_names(c.opted_out())); })
        .def_property_readonly("inconvenient",
                               [](const Consumer& c) {
                                   py::list out;
                                   for (const auto& r : c.inconvenient()) {
                                       if (r.weekdays == LocalTimeRange::kEveryDay) {
                                           out.append(py::make_tuple(py_time(r.start), py_time(r.end)));
                                           continue;
                                       }
                                       py::list days;
                                       for (int w = 0; w < 7; ++w)
                                           if (r.weekdays & (1u << w))
                                               days.append(std::string(weekday_name(w)));
                                       out.append(py::make_tuple(py_time(r.start), py_time(r.end),
                                                                 py::tuple(days)));
                                   }
                                   return py::tuple(out);
                               })
        .def_property_readonly("attorney", &Consumer::attorney)
        .def_property_readonly("bankruptcy", &Consumer::bankruptcy)
        .def_property_readonly("deceased", &Consumer::deceased)
        .def_property_readonly("time_barred",
                               [](const Consumer& c) { return str_tuple(c.time_barred()); })
        .def("__repr__", &Consumer::repr);
    glue::def_json_value(
        consumer, [](const Json& j) { return Consumer::from_json(JsonView(j)); }, glue::hashable, "consumer");

    // ---- Reason, Decision, DisputeAssessment ---------------------------------------------------
    py::class_<Reason> reason(m, "Reason", "Why: the rule id, its legal citation and a sentence.");
    reason
        .def(py::init([](std::string rule, std::string citation, std::string message) {
                 Reason r{std::move(rule), std::move(citation), std::move(message)};
                 r.validate();
                 return r;
             }),
             "rule"_a, "citation"_a, "message"_a)
        .def_readonly("rule", &Reason::rule)
        .def_readonly("citation", &Reason::citation)
        .def_readonly("message", &Reason::message)
        .def("to_dict", [](const Reason& r) { return glue::to_python(r.to_json()); })
        .def("__repr__", &Reason::repr)
        .def("__str__", [](const Reason& r) { return r.message + " [" + r.citation + "]"; });
    glue::def_value(
        reason, [](const Reason& r) { return py::make_tuple(r.rule, r.citation, r.message); },
        [](const py::tuple& t) {
            return Reason{t[0].cast<std::string>(), t[1].cast<std::string>(), t[2].cast<std::string>()};
        });

    py::class_<Decision> decision(m, "Decision", R"doc(
The answer to "may this contact happen now?": ``allowed``, ``reasons`` (why not: each with the
rule id, citation and a sentence a collector understands) and ``notes`` (what was checked and
which exceptions applied). ``bool(decision)`` is ``allowed``; ``raise_if_blocked()`` raises
``ComplianceError`` with the first reason.
)doc");
    decision
        .def(py::init([](bool allowed, std::vector<Reason> reasons, std::vector<Reason> notes) {
                 Decision d{allowed, std::move(reasons), std::move(notes)};
                 d.validate();
                 return d;
             }),
             "allowed"_a, "reasons"_a = std::vector<Reason>{}, "notes"_a = std::vector<Reason>{})
        .def_readonly("allowed", &Decision::allowed)
        .def_property_readonly("reasons",
                               [](const Decision& d) { return reasons_tuple(d.reasons); })
        .def_property_readonly("notes", [](const Decision& d) { return reasons_tuple(d.notes); })
        .def("__bool__", [](const Decision& d) { return d.allowed; })
        .def("raise_if_blocked", &Decision::raise_if_blocked)
        .def("to_dict", [](const Decision& d) { return glue::to_python(d.to_json()); })
        .def("to_json", [](const Decision& d) { return d.to_json().dump(); })
        .def("__repr__", &Decision::repr)
        .def("_repr_html_", [](const Decision& d) { return to_html(d); });
    glue::def_value(
        decision,
        [](const Decision& d) { return py::make_tuple(d.allowed, reasons_tuple(d.reasons), reasons_tuple(d.notes)); },
        [](const py::tuple& t) {
            return Decision{t[0].cast<bool>(), t[1].cast<std::vector<Reason>>(), t[2].cast<std::vector<Reason>>()};
        });

    py::class_<DisputeAssessment> dispute(m, "DisputeAssessment", R"doc(
What a dispute does: ``pauses_collection`` (collection on the debt stops until verification is
sent, 12 CFR 1006.38(d)(2)), ``mark_disputed`` (report it as disputed, 15 U.S.C. 1692e(8)) and
``reasons``.
)doc");
    dispute
        .def(py::init([](bool pauses, bool mark, std::vector<Reason> reasons) {
                 return DisputeAssessment{pauses, mark, std::move(reasons)};
             }),
             "pauses_collection"_a, "mark_disputed"_a = true, "reasons"_a = std::vector<Reason>{})
        .def_readonly("pauses_collection", &DisputeAssessment::pauses_collection)
        .def_readonly("mark_disputed", &DisputeAssessment::mark_disputed)
        .def_property_readonly("reasons",
                               [](const DisputeAssessment& a) { return reasons_tuple(a.reasons); })
        .def("__repr__",
             [](const DisputeAssessment& a) {
                 return std::string("DisputeAssessment(pauses_collection=") +
                        (a.pauses_collection ? "True" : "False") +
                        ", mark_disputed=" + (a.mark_disputed ? "True" : "False") + ")";
             });
    glue::def_value(
        dispute,
        [](const DisputeAssessment& a) {
            return py::make_tuple(a.pauses_collection, a.mark_disputed, reasons_tuple(a.reasons));
        },
        [](const py::tuple& t) {
            return DisputeAssessment{t[0].cast<bool>(), t[1].cast<bool>(), t[2].cast<std::vector<Reason>>()};
        });

    // ---- ContactPolicy ---------------------------------------------------------------------
    py::class_<ContactPolicy> policy(m, "ContactPolicy", R"doc(
The contact rules (Regulation F plus state and local overlays) as reviewable data. Every rule
that applies must pass, so the stricter rule always wins.

- ``ContactPolicy.regulation_f()``; ``ContactPolicy.for_state("MA")`` (overlays on file: MA,
  NYC, WA; other states give Regulation F alone); ``for_states(["MA", "WA"])``
- ``from_json(text_or_dict)`` / ``load(path)``, ``to_json()`` / ``save(path)``: errors name the
  JSON path (``$.rules[0].max: ...``)
- ``check(consumer, proposed, history)`` -> ``Decision``; ``next_allowed(...)`` -> datetime or
  None (never); ``next_window(...)`` -> (start, end or None) or None
)doc");
    policy
        .def(py::init([](const py::object& data) {
                 const Json j = glue::from_python(data, "policy");
                 return ContactPolicy::from_json(JsonView(j));
             }),
             "data"_a, "The same as ContactPolicy.from_json(data).")
        .def_static("regulation_f", &ContactPolicy::regulation_f, "Regulation F alone.")
        .def_static("for_state", &ContactPolicy::for_state, "code"_a,
                    "Regulation F plus the overlay for a state ('MA', 'WA') or 'NYC'.")
        .def_static(
            "for_states",
            [](const py::object& codes) {
                return ContactPolicy::for_states(str_items(codes, "states"));
            },
            "codes"_a, "Regulation F plus several overlays (the consumer may be in any).")
        .def_static("overlay_codes", &ContactPolicy::overlay_codes)
        .def_static(
            "overlay",
            [](const std::string& code) { return glue::to_python(ContactPolicy::overlay_json(code)); },
            "code"_a, "The built-in overlay document for a code, as a dict (for review).")
        .def_property_readonly("name", &ContactPolicy::name)
        .def_property_readonly("note", &ContactPolicy::note)
        .def_property_readonly("overlays",
                               [](const ContactPolicy& p) { return str_tuple(p.overlays()); })
        .def_property_readonly(
            "served_time_zones",
            [](const ContactPolicy& p) { return str_tuple(p.served_time_zones()); })
        .def_property_readonly("rule_ids",
                               [](const ContactPolicy& p) {
                                   std::vector<std::string> ids;
                                   for (const auto& r : p.rules())
                                       ids.push_back(r.id);
                                   return str_tuple(ids);
                               })
        .def(
            "rule",
            [](const ContactPolicy& p, const std::string& id) {
                return glue::to_python(p.rule(id).to_json());
            },
            "rule_id"_a, "One rule as a dict (NotFoundError when absent).")
        .def(
            "check",
            [](const ContactPolicy& p, const Consumer& c, const ContactAttempt& a,
               const py::object& history) { return p.check(c, a, attempts(history)); },
            "consumer"_a, "proposed"_a, "history"_a = py::tuple(),
            "Is the proposed (outbound) contact allowed at ``proposed.at``? Returns a Decision.")
        .def(
            "next_allowed",
            [](const ContactPolicy& p, const Consumer& c, const ContactAttempt& a,
               const py::object& history) {
                return instant_or_none(p.next_allowed(c, a, attempts(history)));
            },
            "consumer"_a, "proposed"_a, "history"_a = py::tuple(),
            "Earliest instant >= proposed.at when the same contact is allowed, or None (never).")
        .def(
            "next_window",
            [](const ContactPolicy& p, const Consumer& c, const ContactAttempt& a,
               const py::object& history) -> py::object {
                const auto w = p.next_window(c, a, attempts(history));
                if (!w) return py::none();
                return py::make_tuple(glue::from_instant(w->start), instant_or_none(w->end));
            },
            "consumer"_a, "proposed"_a, "history"_a = py::tuple(),
            "(start, end) of the next allowed window (end None when nothing closes it), or None.")
        .def(
            "check_action",
            [](const ContactPolicy& p, const Consumer& c, const py::object& debt_ids,
               const py::object& tags) {
                return p.check_action(c, str_items(debt_ids, "debt_ids"), tags_of(tags));
            },
            "consumer"_a, "debt_ids"_a, "tags"_a,
            "A non-contact action (legal_action, proof_of_claim ...): time-barred, bankruptcy and "
            "dispute-pause rules.")
        .def("assess_dispute", &ContactPolicy::assess_dispute, "received"_a, "validation_end"_a,
             "written"_a = true, "verification_sent"_a = py::none(),
             "What a dispute received on ``received`` does, given the validation period end.")
        .def("__repr__", &ContactPolicy::repr);
    glue::def_json_value(
        policy, [](const Json& j) { return ContactPolicy::from_json(JsonView(j)); }, glue::indented_json,
        "policy");

    // ---- dates -----------------------------------------------------------------------------
    m.def(
        "validation_period",
        [](const Date& sent, const std::string& holidays) {
            const auto p = validation_period(sent, parse_holiday_counting(holidays));
            return py::make_tuple(glue::from_date(p.assumed_receipt), glue::from_date(p.end));
        },
        "sent"_a, "holidays"_a = "conservative",
        R"doc((assumed_receipt, end) of the validation period (12 CFR 1006.34(b)(5)).

Receipt is the 5th day after ``sent`` counting only days that are not Saturday, Sunday or a
federal holiday; ``holidays="conservative"`` (default) skips the statutory holiday dates and their
observed weekdays, ``"statutory"`` only the statutory dates. The end is receipt + 30 days, never
rolled off a weekend.)doc");
    m.def(
        "earliest_furnishing_date",
        [](const py::object& messages, const py::object& conversations) -> py::object {
            std::vector<SentMessage> ms;
            std::size_t i = 0;
            for (const auto& item : messages) {
                const std::string field = "messages[" + std::to_string(i++) + "]";
                if (py::isinstance<py::tuple>(item) || py::isinstance<py::list>(item)) {
                    py::sequence s = item.cast<py::sequence>();
                    if (py::len(s) != 2)
                        throw ValidationError(field + ": expected sent or (sent, undeliverable)");
                    SentMessage m{glue::to_date(s[0], (field + "[0]").c_str()), std::nullopt};
                    if (!s[1].is_none())
                        m.undeliverable = glue::to_date(s[1], (field + "[1]").c_str());
                    ms.push_back(m);
                } else {
                    ms.push_back({glue::to_date(item, field.c_str()), std::nullopt});
                }
            }
            std::vector<Date> convs;
            i = 0;
            for (const auto& item : conversations)
                convs.push_back(
                    glue::to_date(item, ("conversations[" + std::to_string(i++) + "]").c_str()));
            const auto d = earliest_furnishing_date(ms, convs);
            if (!d) return py::none();
            return glue::from_date(*d);
        },
        "messages"_a = py::tuple(), "conversations"_a = py::tuple(),
        R"doc(Earliest date a debt may be furnished to a credit bureau (12 CFR 1006.30(a)).

``messages``: dates letters/electronic messages about the debt were sent, or ``(sent,
undeliverable)`` pairs with the date a notice of undeliverability arrived (or None).
``conversations``: dates of conversations in person or by telephone. A message counts from
sent + 15 unless returned within the 14 days after sending; a conversation from the next day.
None when neither happened.)doc");
    m.def("earliest_purge_date", &earliest_purge_date, "last_activity"_a,
          "First day records may be purged: the day after 3 years from the last collection "
          "activity (12 CFR 1006.100).");
    m.def(
        "retention_purge_allowed",
        [](const Date& last, const Date& as_of, const std::string& kind) {
            return retention_purge_allowed(last, as_of, parse_retention_kind(kind));
        },
        "last_activity"_a, "as_of"_a, "kind"_a = "records",
        "May contact records (kind='records', 1006.100(a): date of the last collection activity) "
        "or a call recording (kind='recording', 1006.100(b): date of the call) be purged on "
        "as_of? A Decision; a purge API calls decision.raise_if_blocked().");

    // ---- statute of limitations ------------------------------------------------------------
    py::class_<StatuteOfLimitations> limitations(m, "StatuteOfLimitations", R"doc(
Limitation periods by state and debt type (``open_account``, ``written_contract``,
``promissory_note``, ``oral_contract``). The built-in table is survey data marked
``needs_legal_review``; override entries with ``with_period`` or load a reviewed JSON table.
)doc");
    limitations
        .def(py::init([](const py::object& data) {
                 const Json j = glue::from_python(data, "statute_of_limitations");
                 return StatuteOfLimitations::from_json(JsonView(j));
             }),
             "data"_a, "The same as StatuteOfLimitations.from_json(data).")
        .def_static("builtin", &StatuteOfLimitations::builtin)
        .def_property_readonly("needs_legal_review", &StatuteOfLimitations::needs_legal_review)
        .def_property_readonly("note", &StatuteOfLimitations::note)
        .def_property_readonly("periods",
                               [](const StatuteOfLimitations& t) {
                                   py::list out;
                                   for (const auto& p : t.periods())
                                       out.append(glue::to_python(p.to_json()));
                                   return out;
                               })
        .def(
            "period",
            [](const StatuteOfLimitations& t, const std::string& state, const std::string& type) {
                return glue::to_python(t.period(state, type).to_json());
            },
            "state"_a, "debt_type"_a)
        .def("expires_on", &StatuteOfLimitations::expires_on, "state"_a, "debt_type"_a,
             "runs_from"_a, "First day the debt is time-barred: runs_from + the period in years.")
        .def("is_time_barred", &StatuteOfLimitations::is_time_barred, "state"_a, "debt_type"_a,
             "runs_from"_a, "as_of"_a)
        .def(
            "with_period",
            [](const StatuteOfLimitations& t, const std::string& state, const std::string& type,
               int years, const std::string& citation, const std::string& note) {
                return t.with_period({state, type, years, citation, note});
            },
            "state"_a, "debt_type"_a, "years"_a, "citation"_a, "note"_a = "",
            "A copy with this entry replaced or added (e.g. after legal review).")
        .def("__repr__", &StatuteOfLimitations::repr);
    glue::def_json_value(
        limitations, [](const Json& j) { return StatuteOfLimitations::from_json(JsonView(j)); },
        glue::indented_json, "statute_of_limitations");
    m.def(
        "is_time_barred",
        [](const std::string& state, const std::string& type, const Date& runs_from,
           const Date& as_of, const StatuteOfLimitations* table) {
            if (table) return table->is_time_barred(state, type, runs_from, as_of);
            static const StatuteOfLimitations builtin = StatuteOfLimitations::builtin();
            return builtin.is_time_barred(state, type, runs_from, as_of);
        },
        "state"_a, "debt_type"_a, "runs_from"_a, "as_of"_a, "table"_a = py::none(),
        "Has the limitation period for (state, debt_type) that runs from ``runs_from`` expired "
        "on ``as_of``? Uses the built-in table (needs legal review) unless ``table`` is given; "
        "NotFoundError when the table has no entry.");
}
