// Metro 2 files (_core.metro2): the writer, the tolerant reader, the trailer totals, and the
// collection agency / debt buyer profile that turns account facts into records.
#include "pybind11.hpp"

#include "arrears/metro2.hpp"
#include "arrears/metro2_file.hpp"
#include "arrears/metro2_profile.hpp"

using namespace arrears;

namespace {

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
    return py::make_tuple(p.identification_number, p.account_type, p.portfolio_type, p.terms_duration,
                          p.terms_frequency, p.cycle_identifier, std::string(to_string(p.rounding)),
                          py::tuple(py::cast(p.excluded_debt_types)));
}

}  // namespace

void bind_metro2(py::module_& m) {
    m.def("compute_trailer",
          [](py::handle records) {
              const py::object seq = as_sequence(records);
              RecordPointers ptrs;
              collect_records(seq, ptrs);
              py::gil_scoped_release release;
              if (ptrs.all_bases)
                  return compute_metro2_trailer(std::span<const BaseSegment* const>(ptrs.bases));
              return compute_metro2_trailer(std::span<const DataRecord* const>(ptrs.records));
          },
          "records"_a, "The trailer totals for DataRecord/BaseSegment objects (what write_file appends).");
    m.def("write_file",
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
          "header"_a, "records"_a, py::kw_only(), "check"_a = true, "newline"_a = "\n", "threads"_a = 0u,
          R"doc(The Metro 2 file: ``header``, one line per record, and the computed trailer.

With ``check`` (the default) the header and every record are validated as of the header's
activity date and nothing is written if any has a problem (ValidationError listing the first
ones). ``newline`` is ``"\n"``, ``"\r\n"`` or ``""``.)doc");
    m.def("parse",
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
              return py::make_tuple(glue::from_opt(file.header), records, py::cast(file.record_lines),
                                    glue::from_opt(file.trailer), py::cast(std::move(file.problems)));
          },
          "text"_a, "validate"_a = true, "threads"_a = 0u,
          "Tolerant reader: (header, records, record_lines, trailer, problems).");
    m.def("whole_dollars",
          [](py::handle amount, std::string_view rounding) {
              return metro2_whole_dollars(glue::to_money(amount, Currency{}, "amount"),
                                          parse_rounding_mode(rounding, "rounding"));
          },
          "amount"_a, "rounding"_a = "down",
          "Whole dollars for a Metro 2 amount: negative amounts report as zero, cents by "
          "``rounding`` (default ``\"down\"``: truncate).");

    py::class_<Metro2Profile> profile(m, "Metro2Profile", R"doc(
A collection agency's or debt buyer's Metro 2 settings: ``identification_number`` (the
furnisher id), ``account_type`` ("48" agency, "0C" debt buyer), ``portfolio_type`` ("O"),
``terms_duration`` ("001"), ``terms_frequency``, ``cycle_identifier``, ``rounding`` (cents to
whole dollars, default "down" = truncate) and ``excluded_debt_types`` (never reported).
)doc");
    profile.def(py::init(&make_profile), "identification_number"_a, "account_type"_a = "48",
             "portfolio_type"_a = "O", "terms_duration"_a = "001", "terms_frequency"_a = "",
             "cycle_identifier"_a = "", "rounding"_a = "down",
             "excluded_debt_types"_a = std::vector<std::string>{})
        .def_readonly("identification_number", &Metro2Profile::identification_number)
        .def_readonly("account_type", &Metro2Profile::account_type)
        .def_readonly("portfolio_type", &Metro2Profile::portfolio_type)
        .def_readonly("terms_duration", &Metro2Profile::terms_duration)
        .def_readonly("terms_frequency", &Metro2Profile::terms_frequency)
        .def_readonly("cycle_identifier", &Metro2Profile::cycle_identifier)
        .def_property_readonly("rounding", glue::name_of<Metro2Profile>(&Metro2Profile::rounding))
        .def_readonly("excluded_debt_types", &Metro2Profile::excluded_debt_types)
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
        ;
    glue::def_value(profile, &profile_state, [](const py::tuple& s) {
        return make_profile(s[0].cast<std::string>(), s[1].cast<std::string>(), s[2].cast<std::string>(),
                            s[3].cast<std::string>(), s[4].cast<std::string>(), s[5].cast<std::string>(),
                            s[6].cast<std::string>(), s[7].cast<std::vector<std::string>>());
    });

    py::class_<Metro2Exclusion> exclusion(m, "Metro2Exclusion",
                                          "An account left out of the file: account_number, code, message.");
    exclusion.def(py::init([](std::string a, std::string c, std::string msg) {
                 return Metro2Exclusion{std::move(a), std::move(c), std::move(msg)};
             }),
             "account_number"_a, "code"_a, "message"_a)
        .def_readonly("account_number", &Metro2Exclusion::account_number)
        .def_readonly("code", &Metro2Exclusion::code)
        .def_readonly("message", &Metro2Exclusion::message)
        .def("__repr__", &Metro2Exclusion::repr)
        ;
    glue::def_value(
        exclusion, [](const Metro2Exclusion& e) { return py::make_tuple(e.account_number, e.code, e.message); },
        [](const py::tuple& s) {
            return Metro2Exclusion{s[0].cast<std::string>(), s[1].cast<std::string>(), s[2].cast<std::string>()};
        });

    m.def("to_record",
          [](std::string_view facts_json, const Metro2Profile& profile, const Date& as_of) -> py::object {
              const Json j = parse_json(facts_json, "facts");
              const Metro2AccountFacts facts = metro2_facts_from_json(JsonView(j));
              Metro2Outcome o = metro2_account_record(facts, profile, as_of);
              if (auto* r = std::get_if<DataRecord>(&o)) return py::cast(std::move(*r));
              return py::cast(std::get<Metro2Exclusion>(std::move(o)));
          },
          "facts_json"_a, "profile"_a, "as_of"_a,
          "One account's facts (JSON text) -> DataRecord, or Metro2Exclusion saying why not.");
    m.def("build_records",
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
