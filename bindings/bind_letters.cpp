// Letters (_core.letters): templates, letter data, built-in letters and the campaign renderer.
#include "pybind11.hpp"

#include <datetime.h>
#include <pybind11/numpy.h>

#include <climits>
#include <set>

#include "arrears/builtin_letters.hpp"
#include "arrears/campaign.hpp"
#include "arrears/letter.hpp"
#include "arrears/letter_format.hpp"
#include "arrears/template.hpp"

using namespace arrears;

namespace {

void ensure_datetime_api() {
    if (!PyDateTimeAPI) {
        PyDateTime_IMPORT;
        if (!PyDateTimeAPI) throw py::error_already_set();
    }
}

std::string type_name(py::handle h) { return Py_TYPE(h.ptr())->tp_name; }

// ---- Python values -> TemplateData ----------------------------------------------------------

struct DataConverter {
    Language lang;
    py::object money_type;
    py::object decimal_type;

    void value(TemplateData& d, TemplateData::Node parent, std::string_view key, py::handle v,
               std::string& path) {
        PyObject* o = v.ptr();
        if (o == Py_None) {
            d.add_null(parent, key);
        } else if (PyBool_Check(o)) {
            d.add_bool(parent, key, o == Py_True);
        } else if (PyUnicode_Check(o)) {
            Py_ssize_t n = 0;
            const char* s = PyUnicode_AsUTF8AndSize(o, &n);
            if (s == nullptr) throw py::error_already_set();
            d.add_string(parent, key, std::string_view(s, static_cast<std::size_t>(n)));
        } else if (PyLong_Check(o)) {
            int overflow = 0;
            const long long x = PyLong_AsLongLongAndOverflow(o, &overflow);
            if (overflow != 0) throw OverflowError(path + ": " + glue::py_repr(v) + " does not fit in 64 bits");
            d.add_int(parent, key, x);
        } else if (PyFloat_Check(o)) {
            throw ValidationError(path + ": " + glue::py_repr(v) +
                                  " is a float; format numbers (money, rates) as text first");
        } else if (py::isinstance(v, money_type)) {
            d.add_string(parent, key, format_money(v.cast<Money>(), lang));
        } else if (PyDate_Check(o) && !PyDateTime_Check(o)) {
            d.add_string(parent, key, format_date(glue::to_date(v, path.c_str()), lang));
        } else if (PyDateTime_Check(o)) {
            throw ValidationError(path + ": " + glue::py_repr(v) +
                                  " is a datetime; pass a datetime.date or formatted text");
        } else if (py::isinstance(v, decimal_type)) {
            d.add_string(parent, key,
                         py::str(py::module_::import("builtins").attr("format")(v, "f")).cast<std::string>());
        } else if (PyDict_Check(o) || PyObject_HasAttrString(o, "keys")) {
            const auto node = d.add_object(parent, key);
            object(d, node, v, path);
        } else if (PyList_Check(o) || PyTuple_Check(o)) {
            const auto node = d.add_list(parent, key);
            py::sequence seq = py::reinterpret_borrow<py::sequence>(v);
            const std::size_t n = seq.size();
            for (std::size_t i = 0; i < n; ++i) {
                const std::size_t len = path.size();
                path += "[" + std::to_string(i) + "]";
                value(d, node, {}, seq[i], path);
                path.resize(len);
            }
        } else {
            throw ValidationError(path + ": " + glue::py_repr(v) + " (" + type_name(v) +
                                  ") cannot go into a letter; use str, int, bool, None, Money, date, "
                                  "Decimal, lists and dicts");
        }
    }

    void object(TemplateData& d, TemplateData::Node node, py::handle mapping, std::string& path) {
        py::dict items = PyDict_Check(mapping.ptr()) ? py::reinterpret_borrow<py::dict>(mapping)
                                                       : py::dict(py::reinterpret_borrow<py::object>(mapping));
        for (auto [k, v] : items) {
            if (!PyUnicode_Check(k.ptr()))
                throw ValidationError(path + ": key " + glue::py_repr(k) + " is not a str");
            const std::string key = k.cast<std::string>();
            const std::size_t len = path.size();
            path += "." + key;
            value(d, node, key, v, path);
            path.resize(len);
        }
    }
};

TemplateData to_data(py::handle data, Language lang) {
    ensure_datetime_api();
    DataConverter c{lang, py::type::of<Money>(), glue::decimal_class()};
    if (!(PyDict_Check(data.ptr()) || PyObject_HasAttrString(data.ptr(), "keys")))
        throw ValidationError("data: expected a dict (a mapping of names to values), got " + glue::py_repr(data));
    TemplateData d;
    std::string path = "data";
    c.object(d, d.root(), data, path);
    return d;
}

py::object from_data(const TemplateData& d, TemplateData::Node n) {
    switch (d.kind(n)) {
        case TemplateData::Kind::null: return py::none();
        case TemplateData::Kind::boolean: return py::bool_(d.boolean(n));
        case TemplateData::Kind::integer: return py::int_(d.integer(n));
        case TemplateData::Kind::string: return py::str(d.text(n).data(), d.text(n).size());
        case TemplateData::Kind::list: {
            py::list out;
            for (auto c = d.first(n); c != TemplateData::npos; c = d.next(c)) out.append(from_data(d, c));
            return out;
        }
        case TemplateData::Kind::object: {
            py::dict out;
            for (auto c = d.first(n); c != TemplateData::npos; c = d.next(c))
                out[py::str(d.key(c).data(), d.key(c).size())] = from_data(d, c);
            return out;
        }
    }
    return py::none();
}

std::map<std::string, std::string> to_partials(py::handle partials) {
    std::map<std::string, std::string> out;
    if (partials.is_none()) return out;
    py::dict items = PyDict_Check(partials.ptr()) ? py::reinterpret_borrow<py::dict>(partials)
                                                    : py::dict(py::reinterpret_borrow<py::object>(partials));
    for (auto [k, v] : items) {
        if (!PyUnicode_Check(k.ptr()) || !PyUnicode_Check(v.ptr()))
            throw ValidationError("partials: expected names and sources as str, got " + glue::py_repr(k) +
                                  ": " + glue::py_repr(v));
        out.emplace(k.cast<std::string>(), v.cast<std::string>());
    }
    return out;
}

CollectorProfile to_collector(py::handle obj) {
    if (!PyDict_Check(obj.ptr()))
        throw ValidationError("collector: expected a dict (CollectorProfile.to_dict()), got " + glue::py_repr(obj));
    const Json j = glue::from_python(obj, "collector");
    return CollectorProfile::from_json(JsonView(j, "collector"));
}

LetterAddress to_address(py::handle obj) {
    py::dict d = py::reinterpret_borrow<py::dict>(obj);
    LetterAddress a;
    auto get = [&](const char* k) -> std::string {
        if (!d.contains(k) || d[k].is_none()) return {};
        if (!PyUnicode_Check(d[k].ptr()))
            throw ValidationError(std::string("address.") + k + ": expected text, got " + glue::py_repr(d[k]));
        return d[k].cast<std::string>();
    };
    for (auto [k, v] : d) {
        (void)v;
        const std::string key = py::str(k).cast<std::string>();
        if (key != "line1" && key != "line2" && key != "city" && key != "state" && key != "postal_code" &&
            key != "country")
            throw ValidationError("address: unknown field " + quote(key));
    }
    a.line1 = get("line1");
    a.line2 = get("line2");
    a.city = get("city");
    a.state = get("state");
    a.postal_code = get("postal_code");
    const std::string country = get("country");
    if (!country.empty()) a.country = country;
    return a;
}

// ---- columns -> LetterColumns ----------------------------------------------------------------

class ColumnReader {
public:
    ColumnReader(py::dict columns, LetterColumns& out) : columns_(std::move(columns)), out_(out) {
        ensure_datetime_api();
        np_ = py::module_::import("numpy");
        bool first = true;
        for (auto [k, v] : columns_) {
            const std::string name = py::str(k).cast<std::string>();
            const std::size_t n = static_cast<std::size_t>(py::len(v));
            if (first) {
                out_.rows = n;
                first = false;
            } else if (n != out_.rows) {
                throw ValidationError(name + ": " + std::to_string(n) + " values, but other columns have " +
                                      std::to_string(out_.rows));
            }
        }
    }

    bool has(const char* name) const { return columns_.contains(name) && !columns_[name].is_none(); }

    void text(const char* name, LetterColumns::Text& dst) {
        if (!has(name)) return;
        py::object seq = fast(name);
        const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
        PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
        dst.resize(static_cast<std::size_t>(n));
        const bool zip = std::string_view(name) == "postal_code";
        for (Py_ssize_t i = 0; i < n; ++i) {
            PyObject* o = items[i];
            if (PyUnicode_Check(o)) {
                Py_ssize_t len = 0;
                const char* s = PyUnicode_AsUTF8AndSize(o, &len);
                if (s == nullptr) throw py::error_already_set();
                dst[static_cast<std::size_t>(i)] = std::string_view(s, static_cast<std::size_t>(len));
            } else if (o == Py_None || is_nan(o)) {
                dst[static_cast<std::size_t>(i)] = {};
            } else {
                const std::string where = std::string(name) + "[" + std::to_string(i) + "]";
                if (zip && (PyLong_Check(o) || PyFloat_Check(o)))
                    throw ValidationError(where + ": " + glue::py_repr(py::handle(o)) +
                                          " is a number; ZIP codes must be text (a leading zero would be lost)");
                throw ValidationError(where + ": expected text, got " + glue::py_repr(py::handle(o)));
            }
        }
    }

    void cents(const char* name, LetterColumns::Cents& dst) {
        if (!has(name)) return;
        py::object col = columns_[name];
        py::object arr = np_.attr("asarray")(col);
        const std::string kind = arr.attr("dtype").attr("kind").cast<std::string>();
        if (kind == "i" || kind == "u") {
            py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> a(arr);
            dst.assign(a.data(), a.data() + a.size());
            return;
        }
        if (kind == "f")
            throw ValidationError(std::string(name) + ": a float column; money columns hold integer minor units "
                                  "(cents), e.g. Money.minor");
        py::object seq = fast(name);
        const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
        PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
        dst.resize(static_cast<std::size_t>(n));
        for (Py_ssize_t i = 0; i < n; ++i) {
            PyObject* o = items[i];
            if (!PyLong_Check(o) || PyBool_Check(o))
                throw ValidationError(std::string(name) + "[" + std::to_string(i) + "]: expected an int of minor units, got " +
                                      glue::py_repr(py::handle(o)));
            int overflow = 0;
            const long long v = PyLong_AsLongLongAndOverflow(o, &overflow);
            if (overflow != 0)
                throw OverflowError(std::string(name) + "[" + std::to_string(i) + "]: does not fit in 64 bits");
            dst[static_cast<std::size_t>(i)] = v;
        }
    }

    void flags(const char* name, LetterColumns::Flags& dst, bool fallback) {
        if (!has(name)) return;
        py::object arr = np_.attr("asarray")(columns_[name]);
        if (arr.attr("dtype").attr("kind").cast<std::string>() == "b") {
            py::array_t<bool, py::array::c_style | py::array::forcecast> a(arr);
            dst.resize(static_cast<std::size_t>(a.size()));
            for (py::ssize_t i = 0; i < a.size(); ++i) dst[static_cast<std::size_t>(i)] = a.data()[i] ? 1 : 0;
            return;
        }
        py::object seq = fast(name);
        const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
        PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
        dst.resize(static_cast<std::size_t>(n));
        for (Py_ssize_t i = 0; i < n; ++i) {
            PyObject* o = items[i];
            if (o == Py_None || is_nan(o))
                dst[static_cast<std::size_t>(i)] = fallback ? 1 : 0;
            else if (PyBool_Check(o))
                dst[static_cast<std::size_t>(i)] = o == Py_True ? 1 : 0;
            else
                throw ValidationError(std::string(name) + "[" + std::to_string(i) + "]: expected True or False, got " +
                                      glue::py_repr(py::handle(o)));
        }
    }

    void dates(const char* name, std::vector<Date>& dst) {
        if (!has(name)) return;
        py::object arr = np_.attr("asarray")(columns_[name]);
        if (arr.attr("dtype").attr("kind").cast<std::string>() == "M") {
            py::object days = arr.attr("astype")("datetime64[D]").attr("view")("int64");
            py::array_t<std::int64_t, py::array::c_style | py::array::forcecast> a(days);
            dst.resize(static_cast<std::size_t>(a.size()));
            for (py::ssize_t i = 0; i < a.size(); ++i) {
                const std::int64_t v = a.data()[i];
                dst[static_cast<std::size_t>(i)] =
                    v == LLONG_MIN ? Date{} : Date{std::chrono::sys_days{std::chrono::days{v}}};
            }
            return;
        }
        py::object seq = fast(name);
        const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
        PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
        dst.resize(static_cast<std::size_t>(n));
        for (Py_ssize_t i = 0; i < n; ++i) {
            PyObject* o = items[i];
            const std::string where = std::string(name) + "[" + std::to_string(i) + "]";
            dst[static_cast<std::size_t>(i)] = (o == Py_None || is_nan(o)) ? Date{} : glue::to_date(o, where.c_str());
        }
    }

    // Columns of per-row Python values converted by `fn(row_value, path)`; None stays default.
    template <typename T, typename Fn>
    void objects(const char* name, std::vector<T>& dst, Fn fn) {
        if (!has(name)) return;
        py::object seq = fast(name);
        const Py_ssize_t n = PySequence_Fast_GET_SIZE(seq.ptr());
        PyObject** items = PySequence_Fast_ITEMS(seq.ptr());
        dst.resize(static_cast<std::size_t>(n));
        for (Py_ssize_t i = 0; i < n; ++i) {
            PyObject* o = items[i];
            if (o == Py_None || is_nan(o)) continue;
            const std::string where = std::string(name) + "[" + std::to_string(i) + "]";
            dst[static_cast<std::size_t>(i)] = fn(py::handle(o), where);
        }
    }

private:
    // A tuple copy of the column: the text views point into its str objects, which stay alive
    // and unchanged however the caller's list is changed later.
    py::object fast(const char* name) {
        PyObject* seq = PySequence_Tuple(columns_[name].ptr());
        if (seq == nullptr) throw py::error_already_set();
        keep_.push_back(py::reinterpret_steal<py::object>(seq));
        return keep_.back();
    }
    static bool is_nan(PyObject* o) { return PyFloat_Check(o) && PyFloat_AS_DOUBLE(o) != PyFloat_AS_DOUBLE(o); }

    py::dict columns_;
    LetterColumns& out_;
    py::object np_;
    std::vector<py::object> keep_;  // the sequences the text views point into

public:
    std::vector<py::object>& keep() { return keep_; }
};

py::dict as_dict(py::handle h, const std::string& where) {
    if (!PyDict_Check(h.ptr())) throw ValidationError(where + ": expected a dict, got " + glue::py_repr(h));
    return py::reinterpret_borrow<py::dict>(h);
}

void check_fields(const py::dict& d, const std::string& where, std::initializer_list<std::string_view> allowed) {
    for (auto [k, v] : d) {
        (void)v;
        const std::string key = py::str(k).cast<std::string>();
        bool ok = false;
        for (auto a : allowed) ok = ok || key == a;
        if (!ok) throw ValidationError(where + ": unknown field " + quote(key));
    }
}

std::int64_t cents_of(const py::dict& d, const char* key, const std::string& where, bool required = true) {
    if (!d.contains(key) || d[key].is_none()) {
        if (required) throw ValidationError(where + "." + key + ": required");
        return 0;
    }
    py::object v = d[key];
    if (!PyLong_Check(v.ptr()) || PyBool_Check(v.ptr()))
        throw ValidationError(where + "." + key + ": expected an int of minor units, got " + glue::py_repr(v));
    return v.cast<std::int64_t>();
}

Date date_of(const py::dict& d, const char* key, const std::string& where) {
    if (!d.contains(key) || d[key].is_none()) throw ValidationError(where + "." + key + ": required");
    const std::string f = where + "." + key;
    return glue::to_date(d[key], f.c_str());
}

std::vector<LetterInstallment> installments_of(py::handle h, const std::string& where, Currency cur) {
    std::vector<LetterInstallment> out;
    py::sequence seq = py::reinterpret_borrow<py::sequence>(h);
    for (std::size_t i = 0; i < seq.size(); ++i) {
        const std::string w = where + "[" + std::to_string(i) + "]";
        py::dict d = as_dict(seq[i], w);
        check_fields(d, w, {"due", "amount_cents"});
        out.push_back({date_of(d, "due", w), Money(cents_of(d, "amount_cents", w), cur)});
    }
    return out;
}

std::vector<std::string> strings_of(py::handle h, const std::string& where) {
    std::vector<std::string> out;
    py::sequence seq = py::reinterpret_borrow<py::sequence>(h);
    for (std::size_t i = 0; i < seq.size(); ++i) {
        if (!PyUnicode_Check(py::object(seq[i]).ptr()))
            throw ValidationError(where + "[" + std::to_string(i) + "]: expected text, got " + glue::py_repr(seq[i]));
        out.push_back(py::object(seq[i]).cast<std::string>());
    }
    return out;
}

// Reads a selection given as columns (dict of lists or arrays). The returned keep-alive list
// must outlive `out` (its text views point into the Python strings).
std::vector<py::object> read_columns(py::handle columns, LetterColumns& out) {
    static const std::set<std::string> known = {
        "account_id", "reference", "account_number", "creditor", "original_creditor", "product", "currency",
        "itemization_reference", "itemization_date", "itemization_amount_cents", "interest_cents", "fees_cents",
        "payments_credits_cents", "current_cents", "time_barred", "initial_communication", "english_notice_sent",
        "notices", "plan", "settlement", "promise", "resolution", "dispute", "extra", "recipient_name",
        "address_line1", "address_line2", "city", "state", "postal_code", "country", "address_ok", "email",
        "email_opt_out", "language", "time_zone", "deceased", "bankruptcy", "attorney", "cease", "dispute_pause"};
    py::dict cols = as_dict(columns, "selection");
    for (auto [k, v] : cols) {
        (void)v;
        const std::string key = py::str(k).cast<std::string>();
        if (!known.contains(key)) throw ValidationError("selection: unknown column " + quote(key));
    }
    ColumnReader r(cols, out);
    r.text("account_id", out.account_id);
    r.text("reference", out.reference);
    r.text("account_number", out.account_number);
    r.text("creditor", out.creditor);
    r.text("original_creditor", out.original_creditor);
    r.text("product", out.product);
    r.text("currency", out.currency);
    r.text("itemization_reference", out.itemization_reference);
    r.dates("itemization_date", out.itemization_date);
    r.cents("itemization_amount_cents", out.itemization_amount_cents);
    r.cents("interest_cents", out.interest_cents);
    r.cents("fees_cents", out.fees_cents);
    r.cents("payments_credits_cents", out.payments_credits_cents);
    r.cents("current_cents", out.current_cents);
    r.flags("time_barred", out.time_barred, false);
    r.flags("initial_communication", out.initial_communication, false);
    r.flags("english_notice_sent", out.english_notice_sent, false);
    auto currency_of = [&](std::size_t row) {
        return out.currency.empty() || out.currency[row].empty() ? Currency{} : Currency::of(out.currency[row]);
    };
    auto row_of = [](const std::string& where) {
        return static_cast<std::size_t>(std::stoul(where.substr(where.find('[') + 1)));
    };
    r.objects("notices", out.notices, [](py::handle h, const std::string& w) { return strings_of(h, w); });
    r.objects("plan", out.plan, [&](py::handle h, const std::string& w) {
        return installments_of(h, w, currency_of(row_of(w)));
    });
    r.objects("settlement", out.settlement, [&](py::handle h, const std::string& w) {
        py::dict d = as_dict(h, w);
        check_fields(d, w, {"amount_cents", "expires", "installments"});
        const Currency cur = currency_of(row_of(w));
        SettlementTerms s{Money(cents_of(d, "amount_cents", w), cur), date_of(d, "expires", w), {}};
        if (d.contains("installments") && !d["installments"].is_none())
            s.installments = installments_of(d["installments"], w + ".installments", cur);
        return std::optional<SettlementTerms>(s);
    });
    r.objects("promise", out.promise, [&](py::handle h, const std::string& w) {
        py::dict d = as_dict(h, w);
        check_fields(d, w, {"amount_cents", "due", "received_cents"});
        const Currency cur = currency_of(row_of(w));
        return std::optional<PromiseTerms>(PromiseTerms{Money(cents_of(d, "amount_cents", w), cur),
                                                        date_of(d, "due", w),
                                                        Money(cents_of(d, "received_cents", w, false), cur)});
    });
    r.objects("resolution", out.resolution, [&](py::handle h, const std::string& w) {
        py::dict d = as_dict(h, w);
        check_fields(d, w, {"date", "paid_cents", "settled"});
        Resolution res{date_of(d, "date", w), Money(cents_of(d, "paid_cents", w), currency_of(row_of(w))), false};
        if (d.contains("settled")) res.settled = d["settled"].cast<bool>();
        return std::optional<Resolution>(res);
    });
    r.objects("dispute", out.dispute, [&](py::handle h, const std::string& w) {
        py::dict d = as_dict(h, w);
        check_fields(d, w, {"received", "duplicative", "previous_response", "reason", "documents"});
        DisputeResponse res;
        res.received = date_of(d, "received", w);
        if (d.contains("duplicative")) res.duplicative = d["duplicative"].cast<bool>();
        if (d.contains("previous_response") && !d["previous_response"].is_none())
            res.previous_response = date_of(d, "previous_response", w);
        if (d.contains("reason") && !d["reason"].is_none()) res.reason = d["reason"].cast<std::string>();
        if (d.contains("documents") && !d["documents"].is_none())
            res.documents = strings_of(d["documents"], w + ".documents");
        return std::optional<DisputeResponse>(res);
    });
    r.objects("extra", out.extra, [](py::handle h, const std::string& w) {
        std::vector<std::pair<std::string, std::string>> kv;
        for (auto [k, v] : as_dict(h, w)) {
            if (!PyUnicode_Check(k.ptr()) || !PyUnicode_Check(v.ptr()))
                throw ValidationError(w + ": extra fields are text, got " + glue::py_repr(k) + ": " + glue::py_repr(v));
            kv.emplace_back(k.cast<std::string>(), v.cast<std::string>());
        }
        return kv;
    });
    r.text("recipient_name", out.recipient_name);
    r.text("address_line1", out.address_line1);
    r.text("address_line2", out.address_line2);
    r.text("city", out.city);
    r.text("state", out.state);
    r.text("postal_code", out.postal_code);
    r.text("country", out.country);
    r.flags("address_ok", out.address_ok, true);
    r.text("email", out.email);
    r.flags("email_opt_out", out.email_opt_out, false);
    r.text("language", out.language);
    r.text("time_zone", out.time_zone);
    r.flags("deceased", out.deceased, false);
    r.flags("bankruptcy", out.bankruptcy, false);
    r.flags("attorney", out.attorney, false);
    r.flags("cease", out.cease, false);
    r.flags("dispute_pause", out.dispute_pause, false);
    out.check();
    return std::move(r.keep());
}

// A selection read once: the columns and the Python objects their text views point into.
struct LetterSelection {
    LetterColumns columns;
    std::vector<py::object> keep;
};

std::shared_ptr<const LetterSelection> to_selection(py::handle h) {
    if (py::isinstance<LetterSelection>(h)) return h.cast<std::shared_ptr<LetterSelection>>();
    auto sel = std::make_shared<LetterSelection>();
    sel->keep = read_columns(h, sel->columns);
    return sel;
}

std::vector<std::string> to_strings(py::handle h, const char* field) {
    std::vector<std::string> out;
    if (h.is_none()) return out;
    if (PyUnicode_Check(h.ptr()))
        throw ValidationError(std::string(field) + ": expected a list of str, got the str " + glue::py_repr(h));
    for (auto item : h) {
        if (!PyUnicode_Check(item.ptr()))
            throw ValidationError(std::string(field) + ": expected str items, got " + glue::py_repr(item));
        out.push_back(item.cast<std::string>());
    }
    return out;
}

std::string template_repr(const Template& t) {
    std::string src = t.source();
    if (src.size() > 40) src = src.substr(0, 37) + "...";
    return "Template(" + py::repr(py::str(src)).cast<std::string>() + ", partials=" +
           std::to_string(t.partials().size()) + ", strict=" + (t.options().strict ? "True" : "False") +
           ", escape='" + std::string(to_string(t.options().escape)) + "', language='" +
           std::string(to_string(t.options().language)) + "')";
}

}  // namespace

void bind_letters(py::module_& m) {
    // TemplateSyntaxError -> arrears.letters.TemplateSyntaxError (a ValidationError) with the
    // position as attributes.
    py::register_exception_translator([](std::exception_ptr p) {
        if (!p) return;
        try {
            std::rethrow_exception(p);
        } catch (const TemplateSyntaxError& e) {
            py::object cls = py::module_::import("arrears.letters").attr("TemplateSyntaxError");
            py::object instance = cls(e.what(), "source"_a = e.source(), "line"_a = e.line(),
                                      "column"_a = e.column(), "problem"_a = e.problem());
            PyErr_SetObject(cls.ptr(), instance.ptr());
        }
    });

    py::class_<TemplateLint>(m, "TemplateLint", "What Template.lint found.")
        .def_property_readonly("variables", [](const TemplateLint& l) { return l.variables; },
                               "Names interpolated ({{x}}, {{{x}}}, {{&x}}), sorted.")
        .def_property_readonly("sections", [](const TemplateLint& l) { return l.sections; })
        .def_property_readonly("partials", [](const TemplateLint& l) { return l.partials; })
        .def_property_readonly("missing", [](const TemplateLint& l) { return l.missing; },
                               "With data: every tag a strict render would miss, with its position.")
        .def_property_readonly("unused", [](const TemplateLint& l) { return l.unused; },
                               "With data: top-level keys no tag can reach.")
        .def_property_readonly("missing_required", [](const TemplateLint& l) { return l.missing_required; },
                               "Required names (disclosures) the template never interpolates.")
        .def_property_readonly("ok", &TemplateLint::ok, "Nothing missing and nothing required absent.")
        .def("__repr__", [](const TemplateLint& l) {
            return "TemplateLint(ok=" + std::string(l.ok() ? "True" : "False") + ", missing=" +
                   py::repr(py::cast(l.missing)).cast<std::string>() + ", missing_required=" +
                   py::repr(py::cast(l.missing_required)).cast<std::string>() + ", unused=" +
                   py::repr(py::cast(l.unused)).cast<std::string>() + ")";
        });

    py::class_<Template> templ(m, "Template", R"doc(
A Mustache letter template, compiled once and rendered many times (thread safe).

``Template(source, partials=None, strict=True, escape="html", language="en")``. ``{{x}}``
escapes HTML (``escape="none"`` for plain-text letters), ``{{{x}}}`` and ``{{&x}}`` do not;
sections, inverted sections, partials, comments, set delimiters, dotted names and ``{{.}}``
follow the Mustache spec. ``strict`` makes every missing name an error naming the tag, its line
and column. Syntax errors, unknown partials and endless partial recursion raise
``TemplateSyntaxError`` (a ValidationError) with ``.line`` and ``.column``.
)doc");
    templ
        .def(py::init([](std::string source, py::object partials, bool strict, std::string_view escape,
                         std::string_view language) {
                 TemplateOptions o;
                 o.strict = strict;
                 o.escape = parse_template_escape(escape);
                 o.language = parse_language(language);
                 return Template(std::move(source), to_partials(partials), o);
             }),
             "source"_a, "partials"_a = py::none(), "strict"_a = true, "escape"_a = "html", "language"_a = "en")
        .def("render",
             [](const Template& t, py::handle data) {
                 TemplateData d = to_data(data, t.options().language);
                 py::gil_scoped_release release;
                 return t.render(d);
             },
             "data"_a,
             "Render with a dict of str, int, bool, None, lists and dicts; Money and dates are formatted in "
             "the template's language; floats are refused.")
        .def("lint",
             [](const Template& t, py::handle data, py::handle required) {
                 std::vector<std::string> req = to_strings(required, "required");
                 if (data.is_none()) return t.lint(nullptr, req);
                 TemplateData d = to_data(data, t.options().language);
                 return t.lint(&d, req);
             },
             "data"_a = py::none(), "required"_a = py::tuple(),
             "Names used; with data the names a strict render would miss and the unused keys; `required` "
             "names (disclosures) that must be interpolated.")
        .def("tags",
             [](const Template& t) {
                 py::list out;
                 for (const auto& tag : t.tags())
                     out.append(py::dict("name"_a = tag.name, "kind"_a = tag.kind, "source"_a = tag.source,
                                         "line"_a = tag.line, "column"_a = tag.column));
                 return out;
             },
             "Every tag of the template and its partials: dicts with name, kind, source, line, column.")
        .def_property_readonly("source", &Template::source)
        .def_property_readonly("partials", [](const Template& t) { return t.partials(); })
        .def_property_readonly("strict", [](const Template& t) { return t.options().strict; })
        .def_property_readonly("escape", [](const Template& t) { return std::string(to_string(t.options().escape)); })
        .def_property_readonly("language", [](const Template& t) { return std::string(to_string(t.options().language)); })
        .def_property_readonly("cached_shapes", &Template::cached_shapes,
                               "Data shapes compiled so far (the render cache).")
        .def("__repr__", &template_repr);
    glue::def_value(
        templ,
        [](const Template& t) {
            return py::make_tuple(t.source(), py::tuple(py::cast(t.partials()).attr("items")()), t.options().strict,
                                  std::string(to_string(t.options().escape)),
                                  std::string(to_string(t.options().language)));
        },
        [](const py::tuple& s) {
            TemplateOptions o;
            o.strict = s[2].cast<bool>();
            o.escape = parse_template_escape(s[3].cast<std::string>());
            o.language = parse_language(s[4].cast<std::string>());
            std::map<std::string, std::string> partials;
            for (py::handle item : s[1]) {
                py::tuple kv = py::reinterpret_borrow<py::tuple>(item);
                partials.emplace(kv[0].cast<std::string>(), kv[1].cast<std::string>());
            }
            return Template(s[0].cast<std::string>(), std::move(partials), o);
        });

    m.def("html_escape", [](std::string_view s) { return html_escape(s); }, "text"_a,
          "Escape & < > \" ' for HTML, as {{x}} does.");
    m.def("format_date",
          [](const Date& d, std::string_view language) { return format_date(d, parse_language(language)); },
          "day"_a, "language"_a = "en", "'August 28, 2020' (en) or '28 de agosto de 2020' (es).");
    m.def("format_money",
          [](const Money& x, std::string_view language) { return format_money(x, parse_language(language)); },
          "amount"_a, "language"_a = "en", "'$2,284.56' in both languages.");
    m.def("address_lines", [](py::handle a) { return address_lines(to_address(a)); }, "address"_a,
          "Lines of an address dict (line1, line2, city, state, postal_code, country) under the name.");
    m.def("address_problem",
          [](py::handle a) -> py::object {
              std::string why;
              if (is_mailable(to_address(a), &why)) return py::none();
              return py::str(why);
          },
          "address"_a, "Why the address cannot be mailed, or None when it can.");
    m.def("truncate_account_number", &truncate_account_number, "number"_a, "visible"_a = 4,
          "'****1234': the last `visible` letters and digits behind asterisks.");
    m.def("reference_number", &reference_number, "account_id"_a,
          "A reference number with a Luhn mod 36 check character: '584345-X'.");
    m.def("reference_number_valid", &reference_number_valid, "reference"_a);
    m.def("debt_collector_disclosure",
          [](std::string_view letter, bool initial, std::string_view collector, std::string_view creditor,
             std::string_view language) {
              return debt_collector_disclosure(parse_letter_kind(letter), initial, collector, creditor,
                                               parse_language(language));
          },
          "letter"_a, "initial"_a, "collector"_a, "creditor"_a, "language"_a = "en",
          "The 12 CFR 1006.18(e) statement for a letter.");
    m.def("email_opt_out_text",
          [](py::handle collector, std::string_view language) {
              return email_opt_out_text(to_collector(collector), parse_language(language));
          },
          "collector"_a, "language"_a = "en", "The 12 CFR 1006.6(e) opt-out text of e-mail letters.");
    m.def("check_collector",
          [](py::handle collector) {
              const CollectorProfile c = to_collector(collector);
              c.check("collector");
              return c.to_json().dump();
          },
          "collector"_a,
          "Validate a collector profile dict; returns it as canonical JSON.");
    m.def("letter_kinds", [] {
        std::vector<std::string> out;
        for (auto k : all_letter_kinds()) out.emplace_back(to_string(k));
        return out;
    });
    m.def("suppression_reasons", [] {
        std::vector<std::string> out;
        for (auto r : all_suppression_reasons()) out.emplace_back(to_string(r));
        return out;
    });
    py::class_<LetterSelection, std::shared_ptr<LetterSelection>>(m, "LetterSelection", R"doc(
A campaign selection read once into the core (columns; see arrears.letters.LETTER_COLUMNS).

``LetterSelection(columns)`` checks every column now (names, lengths, types) and keeps the
Python values it points into alive; campaigns pass it to suppression and rendering.
)doc")
        .def(py::init([](py::handle columns) {
                 auto sel = std::make_shared<LetterSelection>();
                 sel->keep = read_columns(columns, sel->columns);
                 return sel;
             }),
             "columns"_a)
        .def("__len__", [](const LetterSelection& s) { return s.columns.rows; })
        .def("__repr__", [](const LetterSelection& s) {
            return "LetterSelection(rows=" + std::to_string(s.columns.rows) + ")";
        });

    m.def("letter_data",
          [](std::string_view letter, py::handle columns, std::size_t row, py::handle collector, const Date& sent,
             std::string_view language, std::string_view channel) {
              const auto sel = to_selection(columns);
              const LetterColumns& cols = sel->columns;
              if (row >= cols.rows)
                  throw ValidationError("row: " + std::to_string(row) + " is outside the selection of " +
                                        std::to_string(cols.rows));
              const CollectorProfile c = to_collector(collector);
              const LetterAccount acc = cols.account(row);
              const LetterRecipient rec = cols.recipient(row);
              const Language lang = language.empty() ? rec.language : parse_language(language);
              const TemplateData d = letter_data(parse_letter_kind(letter), acc, rec, c, sent, lang, {},
                                                 parse_letter_channel(channel));
              return from_data(d, d.root());
          },
          "letter"_a, "columns"_a, "row"_a, "collector"_a, "sent"_a, "language"_a = "", "channel"_a = "mail",
          "The data of one letter (row of a columns selection) as a dict.");
    m.def("builtin_template",
          [](std::string_view name, std::string_view language, std::string_view format, py::handle partials) {
              return builtin_template(parse_letter_kind(name), parse_language(language), parse_letter_format(format),
                                      to_partials(partials));
          },
          "name"_a, "language"_a = "en", "format"_a = "html", "partials"_a = py::none());
    m.def("builtin_source",
          [](std::string_view name, std::string_view language, std::string_view format) {
              return builtin_source(parse_letter_kind(name), parse_language(language), parse_letter_format(format));
          },
          "name"_a, "language"_a = "en", "format"_a = "html");
    m.def("builtin_partials",
          [](std::string_view language, std::string_view format) {
              return builtin_partials(parse_language(language), parse_letter_format(format));
          },
          "language"_a = "en", "format"_a = "html");
    m.def("builtin_stylesheet", [] { return std::string(builtin_stylesheet()); });
    m.def("builtin_tags", [](std::string_view name) { return builtin_tags(parse_letter_kind(name)); }, "name"_a);
    m.def("builtin_subject",
          [](std::string_view name, std::string_view language) {
              return builtin_subject(parse_letter_kind(name), parse_language(language));
          },
          "name"_a, "language"_a = "en");
    m.def("html_document",
          [](std::string_view body, std::string_view title, std::string_view stylesheet) {
              return html_document_head(title, stylesheet) + std::string(body) + std::string(html_document_tail());
          },
          "body"_a, "title"_a = "letter", "stylesheet"_a = "");

    m.def("letter_suppressions",
          [](py::handle columns, std::string_view channel, py::handle tags, py::object send_at) {
              const auto sel = to_selection(columns);
              const LetterColumns& cols = sel->columns;
              const LetterChannel ch = parse_letter_channel(channel);
              const LetterTags t = LetterTags::parse(to_strings(tags, "tags"));
              std::optional<Instant> at;
              if (!send_at.is_none()) at = glue::to_instant(send_at, "send_at");
              std::vector<std::optional<SuppressionReason>> reasons;
              {
                  py::gil_scoped_release release;
                  reasons = suppression_reasons(cols, ch, t, at);
              }
              py::list out(reasons.size());
              std::vector<py::object> names;
              for (auto r : all_suppression_reasons()) names.push_back(py::str(std::string(to_string(r))));
              for (std::size_t i = 0; i < reasons.size(); ++i)
                  out[i] = reasons[i] ? names[static_cast<std::size_t>(*reasons[i])] : py::none();
              return out;
          },
          "columns"_a, "channel"_a, "tags"_a, "send_at"_a = py::none(),
          "Per row: the suppression reason (str) or None when the letter may go.");

    m.def("render_campaign",
          [](py::handle columns, const std::vector<std::size_t>& rows, py::dict spec, std::string out_dir,
             py::object progress) {
              const auto sel = to_selection(columns);
              const LetterColumns& cols = sel->columns;
              CampaignSpec s;
              check_fields(spec, "spec",
                           {"name", "letter", "channel", "templates", "language", "english_with_translation",
                            "collector", "sent", "batch_size", "formats", "combined", "one_file_each", "stylesheet",
                            "csv_columns", "collect", "threads", "return_letters"});
              s.name = spec["name"].cast<std::string>();
              s.kind = parse_letter_kind(spec["letter"].cast<std::string>());
              s.channel = parse_letter_channel(spec["channel"].cast<std::string>());
              for (auto item : spec["templates"]) {
                  py::tuple t = py::reinterpret_borrow<py::tuple>(item);
                  s.templates.emplace(std::make_pair(parse_language(t[0].cast<std::string>()),
                                                     parse_letter_format(t[1].cast<std::string>())),
                                      t[2].cast<Template>());
              }
              if (spec.contains("language") && !spec["language"].is_none())
                  s.language = parse_language(spec["language"].cast<std::string>());
              if (spec.contains("english_with_translation"))
                  s.english_with_translation = spec["english_with_translation"].cast<bool>();
              s.collector = to_collector(spec["collector"]);
              s.sent = glue::to_date(spec["sent"], "sent");
              s.batch_size = spec["batch_size"].cast<std::size_t>();
              s.formats.clear();
              for (auto f : spec["formats"]) s.formats.push_back(parse_letter_format(f.cast<std::string>()));
              if (spec.contains("combined")) s.combined = spec["combined"].cast<bool>();
              if (spec.contains("one_file_each")) s.one_file_each = spec["one_file_each"].cast<bool>();
              if (spec.contains("stylesheet")) s.stylesheet = spec["stylesheet"].cast<std::string>();
              if (spec.contains("csv_columns"))
                  for (auto c : spec["csv_columns"]) {
                      py::tuple t = py::reinterpret_borrow<py::tuple>(c);
                      s.csv_columns.emplace_back(t[0].cast<std::string>(), t[1].cast<std::string>());
                  }
              if (spec.contains("collect")) s.collect = spec["collect"].cast<bool>();
              if (spec.contains("threads")) s.threads = spec["threads"].cast<unsigned>();
              CampaignProgress cb = [&progress](std::size_t done, std::size_t total) {
                  py::gil_scoped_acquire acquire;
                  if (PyErr_CheckSignals() != 0) throw py::error_already_set();
                  if (progress.is_none()) return true;
                  py::object r = progress(done, total);
                  return r.is_none() || r.cast<bool>();
              };
              CampaignOutput out;
              {
                  py::gil_scoped_release release;
                  std::optional<FolderSink> sink;
                  if (!out_dir.empty()) sink.emplace(out_dir);
                  out = render_campaign(cols, rows, s, sink ? &*sink : nullptr, cb);
              }
              const bool want = !spec.contains("return_letters") || spec["return_letters"].cast<bool>();
              const std::size_t n = want ? out.letters.size() : 0;
              py::list ids(n), row_list(n), batch(n), language(n), html(n), text(n);
              std::map<std::string, std::pair<py::list, py::list>> spans;
              for (LetterFormat f : s.formats) {
                  const std::string ext = f == LetterFormat::html ? "html" : "txt";
                  spans.emplace(ext, std::make_pair(py::list(n), py::list(n)));
              }
              for (std::size_t i = 0; i < n; ++i) {
                  const auto& l = out.letters[i];
                  ids[i] = py::str(l.letter_id);
                  row_list[i] = py::int_(l.row);
                  batch[i] = py::int_(l.batch);
                  language[i] = py::str(std::string(to_string(l.language)));
                  html[i] = s.collect ? py::object(py::str(l.html)) : py::object(py::none());
                  text[i] = s.collect ? py::object(py::str(l.text)) : py::object(py::none());
                  for (std::size_t f = 0; f < l.offsets.size(); ++f) {
                      auto& [offs, lens] = spans.at(l.offsets[f].first);
                      offs[i] = py::int_(l.offsets[f].second);
                      lens[i] = py::int_(l.lengths[f]);
                  }
              }
              py::dict letters("letter_id"_a = ids, "row"_a = row_list, "batch"_a = batch, "language"_a = language,
                               "html"_a = html, "text"_a = text);
              for (auto& [ext, ol] : spans) {
                  letters[py::str("offset_" + ext)] = ol.first;
                  letters[py::str("length_" + ext)] = ol.second;
              }
              py::list files;
              for (const auto& f : out.files)
                  files.append(py::dict("path"_a = f.path, "kind"_a = f.kind, "bytes"_a = f.bytes,
                                        "sha256"_a = f.sha256));
              return py::dict("letters"_a = letters, "files"_a = files);
          },
          "columns"_a, "rows"_a, "spec"_a, "out_dir"_a, "progress"_a = py::none(),
          "Render and write a campaign (use arrears.letters.Campaign).");
}
