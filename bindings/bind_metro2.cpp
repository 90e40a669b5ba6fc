#include "pybind11.hpp"

#include <datetime.h>


#include "arrears/metro2.hpp"
#include "arrears/metro2_file.hpp"
#include "arrears/metro2_profile.hpp"

using namespace arrears;
namespace glue = arrears::py_glue;

namespace {

bool is_plain_int(py::handle h) { return PyLong_Check(h.ptr()) && !PyBool_Check(h.ptr()); }

// What went wrong with a value, without showing it for the SSN and date of birth.
std::string describe(const Metro2Field& f, py::handle v) {
    if (f.is_sensitive())
        return "a " + py::str(py::type::of(v).attr("__name__")).cast<std::string>() +
               " (value masked)";
    return glue::py_repr(v);
}

std::int64_t to_int64(const Metro2Field& f, py::handle v) {
    int overflow = 0;
    const long long x = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
    if (overflow > 0)
        throw arrears::OverflowError(std::string(f.name) + ": " + describe(f, v) +
                                     " does not fit in " + std::to_string(f.length) + " digits");
    if (overflow < 0) return -1;  // any negative will do: callers test the sign
    return x;
}

template <class Seg>
void set_value(Seg& s, std::size_t i, py::handle v, RoundingMode mode) {
    const Metro2Field& f = Seg::fields()[i];
    const std::string name(f.name);
    switch (f.type) {
        case Metro2FieldType::alphanumeric:
            if (!py::isinstance<py::str>(v))
                throw ValidationError(name + ": expected a str, got " + describe(f, v));
            s.set_text_at(i, v.cast<std::string>());
            return;
        case Metro2FieldType::digits:
            if (v.is_none()) {
                s.set_text_at(i, "");
            } else if (py::isinstance<py::str>(v)) {
                s.set_text_at(i, v.cast<std::string>());
            } else if (is_plain_int(v)) {
                const std::int64_t x = to_int64(f, v);
                if (x < 0) throw ValidationError(name + ": " + describe(f, v) + " is negative");
                s.set_text_at(i, std::to_string(x));
            } else {
                throw ValidationError(name + ": expected a str of digits or an int, got " +
                                      describe(f, v));
            }
            return;
        case Metro2FieldType::count:
            if (!is_plain_int(v))
                throw ValidationError(name + ": expected an int, got " + describe(f, v));
            s.set_number_at(i, to_int64(f, v));
            return;
        case Metro2FieldType::money:
            if (is_plain_int(v)) {
                // Whole dollars; a negative amount reports as zero like a negative Money.
                s.set_number_at(i, std::max<std::int64_t>(0, to_int64(f, v)));
            } else {
                s.set_money_at(i, glue::to_money(v, Currency{}, f.name.data()), mode);
            }
            return;
        case Metro2FieldType::date:
            if (v.is_none()) {
                s.set_date_at(i, std::nullopt);
                return;
            }
            if (f.is_sensitive()) {
                // Check the type here so glue::to_date never puts the value in a message.
                py::object dt = glue::datetime_module();
                if (!py::isinstance(v, dt.attr("date")) || py::isinstance(v, dt.attr("datetime")))
                    throw ValidationError(name + ": expected a datetime.date, got " + describe(f, v));
            }
            s.set_date_at(i, glue::to_date(v, f.name.data()));
            return;
        case Metro2FieldType::timestamp:
            if (v.is_none()) {
                s.set_timestamp_at(i, std::nullopt);
                return;
            }
            s.set_timestamp_at(i, glue::to_instant(v, f.name.data()));
            return;
        default: throw ValidationError(name + ": cannot be set");
    }
}

template <class Seg>
py::object get_value(const Seg& s, std::size_t i) {
    const Metro2Field& f = Seg::fields()[i];
    switch (f.type) {
        case Metro2FieldType::alphanumeric:
        case Metro2FieldType::digits: return py::str(std::string(s.text_at(i)));
        case Metro2FieldType::count:
        case Metro2FieldType::money: return py::int_(s.number_at(i));
        case Metro2FieldType::date: {
            const auto d = s.date_at(i);
            return d ? glue::from_date(*d) : py::none();
        }
        case Metro2FieldType::timestamp: {
            const auto t = s.timestamp_at(i);
            return t ? glue::from_instant(*t) : py::none();
        }
        default: return py::none();
    }
}

template <class Seg>
std::vector<std::string> value_names() {
    std::vector<std::string> out;
    for (const auto& f : Seg::fields())
        if (f.is_value()) out.emplace_back(f.name);
    return out;
}

// Applies keyword fields to a copy of `s`; all checked before anything is returned.
template <class Seg>
Seg with_fields(Seg s, const py::kwargs& kwargs) {
    RoundingMode mode = RoundingMode::down;
    if (kwargs.contains("rounding"))
        mode = parse_rounding_mode(py::str(kwargs["rounding"]).cast<std::string>(), "rounding");
    for (auto item : kwargs) {
        const std::string key = py::str(item.first).cast<std::string>();
        if (key == "rounding") continue;
        const std::size_t i = Seg::find_field(key);
        if (i == std::string_view::npos) {
            std::string msg = std::string(Seg::name) + ": " + quote(key) + " is not a field";
            py::list close = py::module_::import("difflib").attr("get_close_matches")(
                key, py::cast(value_names<Seg>()), 1);
            if (!close.empty()) msg += " (did you mean " + quote(close[0].cast<std::string>()) + "?)";
            throw ValidationError(msg);
        }
        set_value(s, i, item.second, mode);
    }
    return s;
}

template <class Seg>
py::dict to_dict(const Seg& s) {
    py::dict d;
    const auto fields = Seg::fields();
    for (std::size_t i = 0; i < fields.size(); ++i)
        if (fields[i].is_value()) d[py::str(std::string(fields[i].name))] = get_value(s, i);
    return d;
}

template <class Seg>
std::string repr_html(const Seg& s) {
    auto esc = [](std::string_view v) {
        std::string out;
        for (char c : v) {
            if (c == '<') out += "&lt;";
            else if (c == '>') out += "&gt;";
            else if (c == '&') out += "&amp;";
            else out += c;
        }
        return out;
    };
    std::string html = "<table><thead><tr><th>field</th><th>positions</th><th>value</th></tr>"
                       "</thead><tbody>";
    const auto fields = Seg::fields();
    const std::string_view image = s.image();
    for (const auto& f : fields) {
        if (!f.is_value()) continue;
        std::string value = f.is_sensitive() ? "&lt;masked&gt;" : esc(image.substr(f.offset(), f.length));
        html += "<tr><td>" + std::string(f.name) + "</td><td>" + std::to_string(f.start) + "-" +
                std::to_string(f.end()) + "</td><td><code>" + value + "</code></td></tr>";
    }
    return html + "</tbody></table>";
}

py::list problems_list(std::vector<Metro2Problem> problems) {
    py::list out;
    for (auto& p : problems) out.append(py::cast(std::move(p)));
    return out;
}

std::optional<Date> optional_date(py::handle h, const char* field) {
    if (h.is_none()) return std::nullopt;
    return glue::to_date(h, field);
}

template <class Seg>
void bind_segment(py::module_& m, const char* doc) {
    py::class_<Seg> cls(m, std::string(Seg::name).c_str(), doc);
    cls.def(py::init([](const py::kwargs& kwargs) { return with_fields(Seg{}, kwargs); }))
        .def("replace", [](const Seg& s, const py::kwargs& kwargs) { return with_fields(s, kwargs); },
             "A copy with the given fields changed (checked like the constructor).")
        .def("encode", &Seg::encode, "The fixed-width text, exactly `length` characters.")
        .def_static("decode", [](std::string_view text) { return Seg::decode(text); }, "text"_a,
                    "Read a segment from its fixed-width text (ValidationError naming the field "
                    "and positions when it cannot be read).")
        .def("validate",
             [](const Seg& s, py::handle as_of) {
                 return problems_list(s.validate(optional_date(as_of, "as_of")));
             },
             "as_of"_a = py::none(),
             "Rule problems (Metro2Problem list, empty when fine); no date may be after `as_of`.")
        .def("to_dict", &to_dict<Seg>, "Every field by name.")
        .def_static("layout", [] { return std::vector<Metro2Field>(Seg::fields().begin(), Seg::fields().end()); },
                    "The field table: name, reference name, 1-based start/end, length, type, "
                    "requirement.")
        .def("__repr__", &Seg::repr)
        .def("_repr_html_", &repr_html<Seg>)
        .def("__eq__", [](const Seg& a, py::handle b) -> py::object {
            if (!py::isinstance<Seg>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(a == b.cast<const Seg&>());
        }, py::is_operator())
        .def("__ne__", [](const Seg& a, py::handle b) -> py::object {
            if (!py::isinstance<Seg>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(!(a == b.cast<const Seg&>()));
        }, py::is_operator())
        .def("__hash__", [](const Seg& s) { return py::hash(py::str(std::string(s.image()))); })
        .def(py::pickle([](const Seg& s) { return py::make_tuple(1, std::string(s.image())); },
                        [](const py::tuple& t) {
                            if (t.size() != 2 || t[0].cast<int>() != 1)
                                throw ValidationError(std::string(Seg::name) +
                                                      " pickle: unknown state version");
                            return Seg::decode(t[1].cast<std::string>());
                        }));
    cls.attr("length") = Seg::length;
    const auto fields = Seg::fields();
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (!fields[i].is_value()) continue;
        const std::string fdoc = std::string(fields[i].reference_name) + ", positions " +
                                 std::to_string(fields[i].start) + "-" +
                                 std::to_string(fields[i].end()) + " (" +
                                 std::string(to_string(fields[i].type)) + ", " +
                                 std::string(to_string(fields[i].requirement)) + ")";
        cls.def_property_readonly(std::string(fields[i].name).c_str(),
                                  [i](const Seg& s) { return get_value(s, i); }, fdoc.c_str());
    }
}

template <class Seg>
std::optional<Seg> optional_segment(py::handle h, const char* name) {
    if (h.is_none()) return std::nullopt;
    if (!py::isinstance<Seg>(h))
        throw ValidationError(std::string(name) + ": expected a " + std::string(Seg::name) +
                              " or None, got " + glue::py_repr(h));
    return h.cast<Seg>();
}

template <class Seg>
std::vector<Seg> segment_list(py::handle h, const char* name) {
    std::vector<Seg> out;
    if (h.is_none()) return out;
    std::size_t i = 0;
    for (py::handle item : h) {
        if (!py::isinstance<Seg>(item))
            throw ValidationError(std::string(name) + "[" + std::to_string(i) + "]: expected a " +
                                  std::string(Seg::name) + ", got " + glue::py_repr(item));
        out.push_back(item.cast<Seg>());
        ++i;
    }
    return out;
}

DataRecord make_record(py::handle base, py::handle j1, py::handle j2, py::handle k1, py::handle k2,
                       py::handle k3, py::handle k4, py::handle l1, py::handle n1) {
    if (!py::isinstance<BaseSegment>(base))
        throw ValidationError("base: expected a BaseSegment, got " + glue::py_repr(base));
    DataRecord r;
    r.base = base.cast<BaseSegment>();
    r.j1 = segment_list<J1Segment>(j1, "j1");
    r.j2 = segment_list<J2Segment>(j2, "j2");
    r.k1 = optional_segment<K1Segment>(k1, "k1");
    r.k2 = optional_segment<K2Segment>(k2, "k2");
    r.k3 = optional_segment<K3Segment>(k3, "k3");
    r.k4 = optional_segment<K4Segment>(k4, "k4");
    r.l1 = optional_segment<L1Segment>(l1, "l1");
    r.n1 = optional_segment<N1Segment>(n1, "n1");
    (void)r.length();  // OverflowError now rather than when written
    return r;
}

template <class Seg>
py::object opt_cast(const std::optional<Seg>& s) {
    return s ? py::cast(*s) : py::none();
}

// A list or tuple of the records (an iterable is copied into a list). The caller keeps it alive
// while it uses the pointers record_pointers() takes from it.
py::object as_sequence(py::handle records) {
    if (PyList_Check(records.ptr()) || PyTuple_Check(records.ptr()))
        return py::reinterpret_borrow<py::object>(records);
    return py::list(py::reinterpret_borrow<py::object>(records));
}

// Records for the writer and the trailer, used in place: all bare BaseSegments (`bases`), or
// DataRecords with any BaseSegment copied into a record of its own (`owned`, reserved up front
// so the pointers stay valid).
struct RecordPointers {
    std::vector<const BaseSegment*> bases;
    std::vector<const DataRecord*> records;
    std::vector<DataRecord> owned;
    bool all_bases = true;
};

void collect_records(const py::object& seq, RecordPointers& out) {
    const auto n = static_cast<std::size_t>(PySequence_Fast_GET_SIZE(seq.ptr()));
    PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
    auto* record_type = reinterpret_cast<PyTypeObject*>(py::type::of<DataRecord>().ptr());
    auto* base_type = reinterpret_cast<PyTypeObject*>(py::type::of<BaseSegment>().ptr());
    auto is_base = [&](py::handle h) {
        return Py_TYPE(h.ptr()) == base_type || py::isinstance<BaseSegment>(h);
    };
    auto is_record = [&](py::handle h) {
        return Py_TYPE(h.ptr()) == record_type || py::isinstance<DataRecord>(h);
    };
    for (std::size_t i = 0; i < n; ++i) {
        py::handle item(items[i]);
        if (is_base(item)) continue;
        if (!is_record(item))
            throw ValidationError("records[" + std::to_string(i) +
                                  "]: expected a DataRecord or BaseSegment, got " +
                                  glue::py_repr(item));
        out.all_bases = false;
    }
    if (out.all_bases) {
        out.bases.reserve(n);
        for (std::size_t i = 0; i < n; ++i)
            out.bases.push_back(&py::handle(items[i]).cast<const BaseSegment&>());
        return;
    }
    out.records.reserve(n);
    out.owned.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        py::handle item(items[i]);
        if (is_record(item)) {
            out.records.push_back(&item.cast<const DataRecord&>());
        } else {
            out.owned.emplace_back(item.cast<const BaseSegment&>());
            out.records.push_back(&out.owned.back());
        }
    }
}

std::string_view text_view(py::handle text) {
    if (py::isinstance<py::bytes>(text)) {
        char* data = nullptr;
        Py_ssize_t size = 0;
        if (PyBytes_AsStringAndSize(text.ptr(), &data, &size) != 0) throw py::error_already_set();
        return {data, static_cast<std::size_t>(size)};
    }
    if (py::isinstance<py::str>(text)) {
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(text.ptr(), &size);
        if (!data) throw py::error_already_set();
        return {data, static_cast<std::size_t>(size)};
    }
    throw ValidationError("text: expected a str or bytes, got " + glue::py_repr(text));
}

Metro2Profile make_profile(std::string identification_number, std::string account_type,
                           std::string portfolio_type, std::string terms_duration,
                           std::string terms_frequency, std::string cycle_identifier,
                           std::string_view rounding, std::vector<std::string> excluded) {
    Metro2Profile p;
    p.identification_number = std::move(identification_number);
    p.account_type = std::move(account_type);
    p.portfolio_type = std::move(portfolio_type);
    p.terms_duration = std::move(terms_duration);
    p.terms_frequency = std::move(terms_frequency);
    p.cycle_identifier = std::move(cycle_identifier);
    p.rounding = parse_rounding_mode(rounding, "rounding");
    p.excluded_debt_types = std::move(excluded);
    validate_metro2_profile(p);
    return p;
}

py::tuple profile_state(const Metro2Profile& p) {
    return py::make_tuple(1, p.identification_number, p.account_type, p.portfolio_type,
                          p.terms_duration, p.terms_frequency, p.cycle_identifier,
                          std::string(to_string(p.rounding)), p.excluded_debt_types);
}

}  // namespace

void bind_metro2(py::module_& m) {
    py::class_<Metro2Field>(m, "Metro2Field", "One row of a Metro 2 layout table.")
        .def_property_readonly("name", [](const Metro2Field& f) { return std::string(f.name); })
        .def_property_readonly("reference_name",
                               [](const Metro2Field& f) { return std::string(f.reference_name); })
        .def_property_readonly("start", [](const Metro2Field& f) { return f.start; },
                               "1-based first position.")
        .def_property_readonly("end", [](const Metro2Field& f) { return f.end(); },
                               "1-based last position (inclusive).")
        .def_property_readonly("length", [](const Metro2Field& f) { return f.length; })
        .def_property_readonly("type", [](const Metro2Field& f) { return std::string(to_string(f.type)); })
        .def_property_readonly("requirement",
                               [](const Metro2Field& f) { return std::string(to_string(f.requirement)); })
        .def_property_readonly("sensitive", &Metro2Field::is_sensitive)
        .def("__repr__", [](const Metro2Field& f) {
            return "Metro2Field(" + std::string(f.name) + ", " + std::to_string(f.start) + "-" +
                   std::to_string(f.end()) + ", " + std::string(to_string(f.type)) + ")";
        });

    py::class_<Metro2Problem>(m, "Metro2Problem", R"doc(
A validation or reading problem: ``field`` (a path such as ``"j2[0].ecoa_code"``), ``code`` (a
stable id such as ``"payment_rating_required"``), ``message`` (never shows an SSN or a date of
birth) and ``line`` (1-based file line, None outside a file).
)doc")
        .def(py::init([](std::string field, std::string code, std::string message, py::handle line) {
                 return Metro2Problem{std::move(field), std::move(code), std::move(message),
                                      line.is_none() ? 0 : line.cast<std::int64_t>()};
             }),
             "field"_a, "code"_a, "message"_a, "line"_a = py::none())
        .def_property_readonly("field", [](const Metro2Problem& p) { return p.field; })
        .def_property_readonly("code", [](const Metro2Problem& p) { return p.code; })
        .def_property_readonly("message", [](const Metro2Problem& p) { return p.message; })
        .def_property_readonly("line", [](const Metro2Problem& p) -> py::object {
            return p.line > 0 ? py::object(py::int_(p.line)) : py::object(py::none());
        })
        .def("to_dict", [](const Metro2Problem& p) {
            return py::dict("field"_a = p.field, "code"_a = p.code, "message"_a = p.message,
                            "line"_a = p.line > 0 ? py::object(py::int_(p.line)) : py::none());
        })
        .def("__repr__", &Metro2Problem::repr)
        .def("__str__", [](const Metro2Problem& p) { return p.message; })
        .def("__eq__", [](const Metro2Problem& a, py::handle b) -> py::object {
            if (!py::isinstance<Metro2Problem>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(a == b.cast<const Metro2Problem&>());
        }, py::is_operator())
        .def("__hash__", [](const Metro2Problem& p) {
            return py::hash(py::make_tuple(p.field, p.code, p.message, p.line));
        })
        .def(py::pickle(
            [](const Metro2Problem& p) { return py::make_tuple(1, p.field, p.code, p.message, p.line); },
            [](const py::tuple& t) {
                if (t.size() != 5 || t[0].cast<int>() != 1)
                    throw ValidationError("Metro2Problem pickle: unknown state version");
                return Metro2Problem{t[1].cast<std::string>(), t[2].cast<std::string>(),
                                     t[3].cast<std::string>(), t[4].cast<std::int64_t>()};
            }));

    bind_segment<HeaderRecord>(m, R"doc(
Metro 2 Header Record (426 characters). ``HeaderRecord(reporter_name=..., activity_date=...)``;
fields are keyword-only, snake_case of the reference layout (positions 1-426). Immutable: use
``replace(**changes)``.
)doc");
    bind_segment<BaseSegment>(m, R"doc(
Metro 2 Base Segment (426 characters, character format). ``BaseSegment(**fields)``: text fields
take ``str`` (left-justified, blank-filled; over-long is a ValidationError, never truncated),
digit fields (SSN, telephone, codes) ``str`` or ``int`` (right-justified, zero-filled), amounts an
``int`` of whole dollars or ``Money``/``Decimal``/``str`` converted with ``rounding`` (default
``"down"``: truncate cents; negative amounts report as zero), dates ``datetime.date`` or None
(zeros). The SSN and date of birth are masked in ``repr`` and in error messages.
)doc");
    bind_segment<TrailerRecord>(m, "Metro 2 Trailer Record (426 characters): the file's totals.");
    bind_segment<J1Segment>(m, "J1 segment (100): an associated consumer at the same address.");
    bind_segment<J2Segment>(m, "J2 segment (200): an associated consumer at a different address.");
    bind_segment<K1Segment>(m, "K1 segment (34): original creditor name and classification.");
    bind_segment<K2Segment>(m, "K2 segment (34): purchased from (1) / sold to (2) / remove (9).");
    bind_segment<K3Segment>(m, "K3 segment (40): mortgage information.");
    bind_segment<K4Segment>(m, "K4 segment (30): specialized payment information.");
    bind_segment<L1Segment>(m, "L1 segment (54): account number / identification number change.");
    bind_segment<N1Segment>(m, "N1 segment (146): employment.");

    py::class_<DataRecord>(m, "DataRecord", R"doc(
One account's data record: a BaseSegment with its appended segments, encoded in the order J1*,
J2*, K1, K2, K3, K4, L1, N1 with the RDW set to the total length.
)doc")
        .def(py::init(&make_record), "base"_a, "j1"_a = py::tuple(), "j2"_a = py::tuple(),
             "k1"_a = py::none(), "k2"_a = py::none(), "k3"_a = py::none(), "k4"_a = py::none(),
             "l1"_a = py::none(), "n1"_a = py::none())
        .def_property_readonly("base", [](const DataRecord& r) { return r.base; })
        .def_property_readonly("j1", [](const DataRecord& r) { return r.j1; })
        .def_property_readonly("j2", [](const DataRecord& r) { return r.j2; })
        .def_property_readonly("k1", [](const DataRecord& r) { return opt_cast(r.k1); })
        .def_property_readonly("k2", [](const DataRecord& r) { return opt_cast(r.k2); })
        .def_property_readonly("k3", [](const DataRecord& r) { return opt_cast(r.k3); })
        .def_property_readonly("k4", [](const DataRecord& r) { return opt_cast(r.k4); })
        .def_property_readonly("l1", [](const DataRecord& r) { return opt_cast(r.l1); })
        .def_property_readonly("n1", [](const DataRecord& r) { return opt_cast(r.n1); })
        .def_property_readonly("length", &DataRecord::length, "Total length (the RDW).")
        .def("encode", &DataRecord::encode)
        .def_static("decode", [](std::string_view text) { return DataRecord::decode(text); }, "text"_a,
                    "Read a record (base + appended segments, trailing blanks allowed).")
        .def("validate",
             [](const DataRecord& r, py::handle as_of) {
                 return problems_list(r.validate(optional_date(as_of, "as_of")));
             },
             "as_of"_a = py::none())
        .def("replace",
             [](const DataRecord& r, const py::kwargs& kw) {
                 auto pick = [&](const char* key, py::object current) -> py::object {
                     return kw.contains(key) ? py::reinterpret_borrow<py::object>(kw[key]) : current;
                 };
                 for (auto item : kw) {
                     const std::string key = py::str(item.first).cast<std::string>();
                     static const char* known[] = {"base", "j1", "j2", "k1", "k2", "k3", "k4", "l1", "n1"};
                     if (std::find_if(std::begin(known), std::end(known),
                                      [&](const char* k) { return key == k; }) == std::end(known))
                         throw ValidationError("DataRecord: " + quote(key) + " is not a segment");
                 }
                 return make_record(pick("base", py::cast(r.base)), pick("j1", py::cast(r.j1)),
                                    pick("j2", py::cast(r.j2)), pick("k1", opt_cast(r.k1)),
                                    pick("k2", opt_cast(r.k2)), pick("k3", opt_cast(r.k3)),
                                    pick("k4", opt_cast(r.k4)), pick("l1", opt_cast(r.l1)),
                                    pick("n1", opt_cast(r.n1)));
             },
             "A copy with the given segments replaced.")
        .def("__repr__", &DataRecord::repr)
        .def("__eq__", [](const DataRecord& a, py::handle b) -> py::object {
            if (!py::isinstance<DataRecord>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(a == b.cast<const DataRecord&>());
        }, py::is_operator())
        .def("__ne__", [](const DataRecord& a, py::handle b) -> py::object {
            if (!py::isinstance<DataRecord>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(!(a == b.cast<const DataRecord&>()));
        }, py::is_operator())
        .def("__hash__", [](const DataRecord& r) { return py::hash(py::str(r.encode())); })
        .def(py::pickle([](const DataRecord& r) { return py::make_tuple(1, r.encode()); },
                        [](const py::tuple& t) {
                            if (t.size() != 2 || t[0].cast<int>() != 1)
                                throw ValidationError("DataRecord pickle: unknown state version");
                            return DataRecord::decode(t[1].cast<std::string>());
                        }));

    m.def("compute_metro2_trailer",
          [](py::handle records) {
              const py::object seq = as_sequence(records);
              RecordPointers ptrs;
              collect_records(seq, ptrs);
              py::gil_scoped_release release;
              if (ptrs.all_bases)
                  return compute_metro2_trailer(std::span<const BaseSegment* const>(ptrs.bases));
              return compute_metro2_trailer(std::span<const DataRecord* const>(ptrs.records));
          },
          "records"_a, "Trailer totals for DataRecord/BaseSegment objects.");
    m.def("write_metro2_file",
          [](const HeaderRecord& header, py::handle records, bool check, std::string newline,
             unsigned threads) {
              const py::object seq = as_sequence(records);
              RecordPointers ptrs;
              collect_records(seq, ptrs);
              Metro2WriteOptions options{check, std::move(newline), threads};
              // The file is written straight into a new ASCII str (no second copy of it).
              py::object text;
              const Metro2Buffer buffer = [&text](std::size_t size) {
                  py::gil_scoped_acquire acquire;
                  PyObject* obj = PyUnicode_New(static_cast<Py_ssize_t>(size), 127);
                  if (!obj) throw py::error_already_set();
                  text = py::reinterpret_steal<py::object>(obj);
                  return static_cast<char*>(PyUnicode_DATA(obj));
              };
              {
                  py::gil_scoped_release release;
                  if (ptrs.all_bases)
                      write_metro2_file(header, std::span<const BaseSegment* const>(ptrs.bases),
                                        options, buffer);
                  else
                      write_metro2_file(header, std::span<const DataRecord* const>(ptrs.records),
                                        options, buffer);
              }
              return text;
          },
          "header"_a, "records"_a, "check"_a = true, "newline"_a = "\n", "threads"_a = 0u,
          "Header, records and the computed trailer, one record per line.");
    m.def("parse_metro2_file",
          [](py::handle text, bool validate, unsigned threads) {
              const std::string_view view = text_view(text);
              Metro2File file;
              {
                  py::gil_scoped_release release;
                  file = parse_metro2_file(view, validate, threads);
              }
              py::list records(file.records.size());
              for (std::size_t i = 0; i < file.records.size(); ++i)
                  records[i] = py::cast(std::move(file.records[i]));
              file.records = {};
              return py::make_tuple(file.header ? py::cast(*file.header) : py::none(), records,
                                    py::cast(file.record_lines),
                                    file.trailer ? py::cast(*file.trailer) : py::none(),
                                    problems_list(std::move(file.problems)));
          },
          "text"_a, "validate"_a = true, "threads"_a = 0u,
          "Tolerant reader: (header, records, record_lines, trailer, problems).");
    m.def("metro2_whole_dollars",
          [](py::handle amount, std::string_view rounding) {
              return metro2_whole_dollars(glue::to_money(amount, Currency{}, "amount"),
                                          parse_rounding_mode(rounding, "rounding"));
          },
          "amount"_a, "rounding"_a = "down",
          "Whole dollars for a Metro 2 amount: negative -> 0, cents by `rounding` (default "
          "truncate).");

    py::class_<Metro2Profile>(m, "Metro2Profile", R"doc(
A collection agency's or debt buyer's Metro 2 settings: ``identification_number`` (the
furnisher id), ``account_type`` ("48" agency, "0C" debt buyer), ``portfolio_type`` ("O"),
``terms_duration`` ("001"), ``terms_frequency``, ``cycle_identifier``, ``rounding`` (cents to
whole dollars, default "down" = truncate) and ``excluded_debt_types`` (never reported).
)doc")
        .def(py::init(&make_profile), "identification_number"_a, "account_type"_a = "48",
             "portfolio_type"_a = "O", "terms_duration"_a = "001", "terms_frequency"_a = "",
             "cycle_identifier"_a = "", "rounding"_a = "down",
             "excluded_debt_types"_a = std::vector<std::string>{})
        .def_property_readonly("identification_number", [](const Metro2Profile& p) { return p.identification_number; })
        .def_property_readonly("account_type", [](const Metro2Profile& p) { return p.account_type; })
        .def_property_readonly("portfolio_type", [](const Metro2Profile& p) { return p.portfolio_type; })
        .def_property_readonly("terms_duration", [](const Metro2Profile& p) { return p.terms_duration; })
        .def_property_readonly("terms_frequency", [](const Metro2Profile& p) { return p.terms_frequency; })
        .def_property_readonly("cycle_identifier", [](const Metro2Profile& p) { return p.cycle_identifier; })
        .def_property_readonly("rounding", [](const Metro2Profile& p) { return std::string(to_string(p.rounding)); })
        .def_property_readonly("excluded_debt_types", [](const Metro2Profile& p) { return p.excluded_debt_types; })
        .def("__repr__", [](const Metro2Profile& p) {
            std::string ex;
            for (const auto& e : p.excluded_debt_types) ex += (ex.empty() ? "" : ", ") + quote(e);
            return "Metro2Profile(identification_number=" + quote(p.identification_number) +
                   ", account_type=" + quote(p.account_type) + ", portfolio_type=" +
                   quote(p.portfolio_type) + ", terms_duration=" + quote(p.terms_duration) +
                   ", terms_frequency=" + quote(p.terms_frequency) + ", cycle_identifier=" +
                   quote(p.cycle_identifier) + ", rounding='" + std::string(to_string(p.rounding)) +
                   "', excluded_debt_types=[" + ex + "])";
        })
        .def("__eq__", [](const Metro2Profile& a, py::handle b) -> py::object {
            if (!py::isinstance<Metro2Profile>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(a == b.cast<const Metro2Profile&>());
        }, py::is_operator())
        .def("__hash__", [](const Metro2Profile& p) {
            py::tuple t = profile_state(p);
            t[8] = py::tuple(t[8]);
            return py::hash(t);
        })
        .def(py::pickle(&profile_state, [](const py::tuple& t) {
            if (t.size() != 9 || t[0].cast<int>() != 1)
                throw ValidationError("Metro2Profile pickle: unknown state version");
            return make_profile(t[1].cast<std::string>(), t[2].cast<std::string>(),
                                t[3].cast<std::string>(), t[4].cast<std::string>(),
                                t[5].cast<std::string>(), t[6].cast<std::string>(),
                                t[7].cast<std::string>(), t[8].cast<std::vector<std::string>>());
        }));

    py::class_<Metro2Exclusion>(m, "Metro2Exclusion",
                                "An account left out of the file: account_number, code, message.")
        .def(py::init([](std::string a, std::string c, std::string msg) {
                 return Metro2Exclusion{std::move(a), std::move(c), std::move(msg)};
             }),
             "account_number"_a, "code"_a, "message"_a)
        .def_property_readonly("account_number", [](const Metro2Exclusion& e) { return e.account_number; })
        .def_property_readonly("code", [](const Metro2Exclusion& e) { return e.code; })
        .def_property_readonly("message", [](const Metro2Exclusion& e) { return e.message; })
        .def("__repr__", &Metro2Exclusion::repr)
        .def("__eq__", [](const Metro2Exclusion& a, py::handle b) -> py::object {
            if (!py::isinstance<Metro2Exclusion>(b)) return py::reinterpret_borrow<py::object>(Py_NotImplemented);
            return py::bool_(a == b.cast<const Metro2Exclusion&>());
        }, py::is_operator())
        .def("__hash__", [](const Metro2Exclusion& e) {
            return py::hash(py::make_tuple(e.account_number, e.code, e.message));
        })
        .def(py::pickle(
            [](const Metro2Exclusion& e) { return py::make_tuple(1, e.account_number, e.code, e.message); },
            [](const py::tuple& t) {
                if (t.size() != 4 || t[0].cast<int>() != 1)
                    throw ValidationError("Metro2Exclusion pickle: unknown state version");
                return Metro2Exclusion{t[1].cast<std::string>(), t[2].cast<std::string>(),
                                       t[3].cast<std::string>()};
            }));

    m.def("metro2_account_record",
          [](std::string_view facts_json, const Metro2Profile& profile, const Date& as_of) -> py::object {
              const Json j = parse_json(facts_json, "facts");
              const Metro2AccountFacts facts = metro2_facts_from_json(JsonView(j));
              Metro2Outcome o = metro2_account_record(facts, profile, as_of);
              if (auto* r = std::get_if<DataRecord>(&o)) return py::cast(std::move(*r));
              return py::cast(std::get<Metro2Exclusion>(std::move(o)));
          },
          "facts_json"_a, "profile"_a, "as_of"_a,
          "One account's facts (JSON text) -> DataRecord, or Metro2Exclusion saying why not.");
    m.def("metro2_account_records",
          [](std::string_view facts_json, const Metro2Profile& profile, const Date& as_of,
             unsigned threads) {
              Metro2Records out;
              {
                  py::gil_scoped_release release;
                  const Json j = parse_json(facts_json, "facts");
                  const auto facts = metro2_facts_list_from_json(JsonView(j));
                  out = metro2_account_records(facts, profile, as_of, threads);
              }
              py::list records, exclusions;
              for (auto& r : out.records) records.append(py::cast(std::move(r)));
              for (auto& e : out.exclusions) exclusions.append(py::cast(std::move(e)));
              return py::make_tuple(records, exclusions);
          },
          "facts_json"_a, "profile"_a, "as_of"_a, "threads"_a = 0u,
          "Many accounts' facts (a JSON array) -> (records, exclusions), input order kept.");
}
