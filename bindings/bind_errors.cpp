// The one place where C++ errors become Python exceptions. The Python classes live in
// arrears/errors.py (pure Python, so Python code raises the same classes).
#include "pybind11.hpp"

#include <cstring>

#include "arrears/error.hpp"

namespace {

void raise(const char* name, const char* message, py::dict attributes = {}) {
    py::object errors = py::module_::import("arrears.errors");
    py::object cls = errors.attr(name);
    // Messages quote values with arrears::quote (always UTF-8); backslashreplace keeps any other
    // stray byte from turning the documented error into a UnicodeDecodeError.
    py::object text = py::reinterpret_steal<py::object>(
        PyUnicode_DecodeUTF8(message, static_cast<Py_ssize_t>(std::strlen(message)), "backslashreplace"));
    if (!text) throw py::error_already_set();
    py::object instance = cls(text, **attributes);
    PyErr_SetObject(cls.ptr(), instance.ptr());
}

}  // namespace

void bind_errors() {
    py::register_exception_translator([](std::exception_ptr p) {
        if (!p) return;
        try {
            std::rethrow_exception(p);
        } catch (const arrears::OverflowError& e) {
            raise("OverflowError", e.what());
        } catch (const arrears::ValidationError& e) {
            raise("ValidationError", e.what());
        } catch (const arrears::NotFoundError& e) {
            raise("NotFoundError", e.what());
        } catch (const arrears::ConflictError& e) {
            raise("ConflictError", e.what());
        } catch (const arrears::ComplianceError& e) {
            raise("ComplianceError", e.what(), py::dict("rule"_a = e.rule(), "citation"_a = e.citation()));
        } catch (const arrears::StorageError& e) {
            raise("StorageError", e.what(), py::dict("code"_a = e.code(), "retryable"_a = e.retryable()));
        } catch (const arrears::Cancelled&) {
            PyErr_SetNone(PyExc_KeyboardInterrupt);
        } catch (const arrears::Error& e) {
            raise("Error", e.what());
        }
    });
}
