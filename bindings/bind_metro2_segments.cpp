// Metro 2 records (_core.metro2): the segments, each bound from its layout table (one property
// per field of the X-macro table in arrears/metro2.hpp; the stubs of these classes are generated
// from the same tables by tools/gen_stubs.py), and the data record that joins them.
#include "pybind11.hpp"

#include "arrears/html.hpp"
#include "arrears/metro2.hpp"

using namespace arrears;

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

std::optional<std::int64_t> line_of(const Metro2Problem& p) {
    if (p.line <= 0) return std::nullopt;
    return p.line;
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
        .def("validate", [](const Seg& s, py::handle as_of) { return s.validate(glue::opt_date(as_of, "as_of")); },
             "as_of"_a = py::none(),
             "Rule problems (Metro2Problem list, empty when fine); no date may be after `as_of`.")
        .def("to_dict", &to_dict<Seg>, "Every field by name.")
        .def_static("layout", [] { return std::vector<Metro2Field>(Seg::fields().begin(), Seg::fields().end()); },
                    "The field table: name, reference name, 1-based start/end, length, type, "
                    "requirement.")
        .def("__repr__", &Seg::repr)
        .def("_repr_html_", [](const Seg& s) { return metro2_fields_html(Seg::fields(), s.image()); });
    glue::def_value(
        cls, [](const Seg& s) { return py::make_tuple(std::string(s.image())); },
        [](const py::tuple& state) { return Seg::decode(state[0].cast<std::string>()); });
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


}  // namespace

void bind_metro2_segments(py::module_& m) {
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

    py::class_<Metro2Problem> problem(m, "Metro2Problem", R"doc(
A validation or reading problem: ``field`` (a path such as ``"j2[0].ecoa_code"``), ``code`` (a
stable id such as ``"payment_rating_required"``), ``message`` (never shows an SSN or a date of
birth) and ``line`` (1-based file line, None outside a file).
)doc");
    problem
        .def(py::init([](std::string field, std::string code, std::string message, py::handle line) {
                 return Metro2Problem{std::move(field), std::move(code), std::move(message),
                                      line.is_none() ? 0 : line.cast<std::int64_t>()};
             }),
             "field"_a, "code"_a, "message"_a, "line"_a = py::none())
        .def_readonly("field", &Metro2Problem::field)
        .def_readonly("code", &Metro2Problem::code)
        .def_readonly("message", &Metro2Problem::message)
        .def_property_readonly("line", &line_of)
        .def("to_dict", [](const Metro2Problem& p) {
            return py::dict("field"_a = p.field, "code"_a = p.code, "message"_a = p.message, "line"_a = line_of(p));
        })
        .def("__repr__", &Metro2Problem::repr)
        .def("__str__", [](const Metro2Problem& p) { return p.message; });
    glue::def_value(
        problem, [](const Metro2Problem& p) { return py::make_tuple(p.field, p.code, p.message, p.line); },
        [](const py::tuple& s) {
            return Metro2Problem{s[0].cast<std::string>(), s[1].cast<std::string>(), s[2].cast<std::string>(),
                                 s[3].cast<std::int64_t>()};
        });

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

    py::class_<DataRecord> record(m, "DataRecord", R"doc(
One account's data record: a BaseSegment with its appended segments, encoded in the order J1*,
J2*, K1, K2, K3, K4, L1, N1 with the RDW set to the total length.
)doc");
    record.def(py::init(&make_record), "base"_a, "j1"_a = py::tuple(), "j2"_a = py::tuple(),
             "k1"_a = py::none(), "k2"_a = py::none(), "k3"_a = py::none(), "k4"_a = py::none(),
             "l1"_a = py::none(), "n1"_a = py::none())
        .def_property_readonly("base", glue::get<DataRecord>(&DataRecord::base))
        .def_property_readonly("j1", glue::get<DataRecord>(&DataRecord::j1))
        .def_property_readonly("j2", glue::get<DataRecord>(&DataRecord::j2))
        .def_property_readonly("k1", glue::get<DataRecord>(&DataRecord::k1))
        .def_property_readonly("k2", glue::get<DataRecord>(&DataRecord::k2))
        .def_property_readonly("k3", glue::get<DataRecord>(&DataRecord::k3))
        .def_property_readonly("k4", glue::get<DataRecord>(&DataRecord::k4))
        .def_property_readonly("l1", glue::get<DataRecord>(&DataRecord::l1))
        .def_property_readonly("n1", glue::get<DataRecord>(&DataRecord::n1))
        .def_property_readonly("length", &DataRecord::length, "Total length (the RDW).")
        .def("encode", &DataRecord::encode)
        .def_static("decode", [](std::string_view text) { return DataRecord::decode(text); }, "text"_a,
                    "Read a record (base + appended segments, trailing blanks allowed).")
        .def("validate",
             [](const DataRecord& r, py::handle as_of) { return r.validate(glue::opt_date(as_of, "as_of")); },
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
                                    pick("j2", py::cast(r.j2)), pick("k1", glue::from_opt(r.k1)),
                                    pick("k2", glue::from_opt(r.k2)), pick("k3", glue::from_opt(r.k3)),
                                    pick("k4", glue::from_opt(r.k4)), pick("l1", glue::from_opt(r.l1)),
                                    pick("n1", glue::from_opt(r.n1)));
             },
             "A copy with the given segments replaced.")
        .def("__repr__", &DataRecord::repr);
    glue::def_value(
        record, [](const DataRecord& r) { return py::make_tuple(r.encode()); },
        [](const py::tuple& s) { return DataRecord::decode(s[0].cast<std::string>()); });
}
