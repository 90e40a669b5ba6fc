// numpy column access, shared by the batch bindings: zero-copy views of core memory (kept alive
// by a capsule owning a handle to it), core vectors and buffers handed to numpy without a copy,
// and numpy input columns checked (dimensions, dtype, length) with errors naming the column.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arrears/error.hpp"
#include "arrears/payment_batch.hpp"

namespace arrears::glue {

namespace py = pybind11;
using namespace pybind11::literals;

// A 1-dimensional numpy array over `n` values at `data`, kept alive by a copy of `owner` (a
// shared_ptr to whatever owns the memory). Read-only unless `writeable`.
template <class T, class Owner>
py::array_t<T> numpy_view(const T* data, std::size_t n, Owner owner, bool writeable = false) {
    auto* keep = new Owner(std::move(owner));
    py::capsule base(keep, [](void* p) { delete static_cast<Owner*>(p); });
    py::array_t<T> arr({static_cast<py::ssize_t>(n)}, {static_cast<py::ssize_t>(sizeof(T))}, data,
                       base);
    if (!writeable) arr.attr("setflags")("write"_a = false);
    return arr;
}

// A vector moved into a numpy array (no copy).
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
    auto owner = std::make_shared<std::vector<T>>(std::move(v));
    return numpy_view(owner->data(), owner->size(), owner, true);
}

// A batch output buffer (allocate_batch_output) as a writable C-order array of `shape`.
py::array_t<std::int64_t> to_numpy(std::shared_ptr<std::int64_t[]> data,
                                   const std::vector<py::ssize_t>& shape);
inline py::array_t<std::int64_t> new_int64_array(const std::vector<py::ssize_t>& shape) {
    std::size_t count = 1;
    for (auto d : shape) count *= static_cast<std::size_t>(d);
    return to_numpy(allocate_batch_output(count), shape);
}

// A numpy array (C-contiguous: copied only when it is not). Anything else is a ValidationError.
py::array contiguous(py::handle h, const char* field);
// A 1-dimensional int32/int64 column (with `dates`: also datetime64 of D, s, ms, us or ns).
IntColumn int_column(const py::array& a, const char* field, bool dates);
// A 1-dimensional int64 column of `n` minor-unit amounts (`writeable` for in-place updates).
py::array_t<std::int64_t> int64_column(py::handle h, const char* field, std::size_t n,
                                       bool writeable);

template <class T>
using NpColumn = py::array_t<T, py::array::c_style>;

// The data of an optional column of `n` values (nullptr when absent).
template <class T>
const T* column_data(const std::optional<NpColumn<T>>& c, std::size_t n, const char* name) {
    if (!c) return nullptr;
    if (c->ndim() != 1 || static_cast<std::size_t>(c->shape(0)) != n)
        throw ValidationError(std::string(name) + ": expected " + std::to_string(n) +
                              " values in one dimension, got shape (" +
                              std::to_string(c->shape(0)) + ")");
    return c->data();
}

}  // namespace arrears::glue
