#include "glue/numpy.hpp"

#include "glue/casters.hpp"

namespace arrears::glue {

using namespace pybind11::literals;

py::array_t<std::int64_t> to_numpy(std::shared_ptr<std::int64_t[]> data,
                                   const std::vector<py::ssize_t>& shape) {
    std::vector<py::ssize_t> strides(shape.size());
    py::ssize_t stride = sizeof(std::int64_t);
    for (std::size_t i = shape.size(); i-- > 0;) {
        strides[i] = stride;
        stride *= shape[i];
    }
    std::int64_t* ptr = data.get();
    auto* keep = new std::shared_ptr<std::int64_t[]>(std::move(data));
    py::capsule owner(keep, [](void* p) { delete static_cast<std::shared_ptr<std::int64_t[]>*>(p); });
    return py::array_t<std::int64_t>(shape, strides, ptr, owner);
}

py::array contiguous(py::handle h, const char* field) {
    if (!py::isinstance<py::array>(h))
        throw ValidationError(std::string(field) + ": expected a numpy array, got " + py_repr(h));
    return py::module_::import("numpy").attr("ascontiguousarray")(h).cast<py::array>();
}

IntColumn int_column(const py::array& a, const char* field, bool dates) {
    if (a.ndim() != 1)
        throw ValidationError(std::string(field) + ": expected a 1-dimensional array, got " +
                              std::to_string(a.ndim()) + " dimensions");
    const py::dtype dt = a.dtype();
    const char kind = dt.kind();
    IntColumn c;
    c.data = a.data();
    c.size = static_cast<std::size_t>(a.shape(0));
    if (dates && kind == 'M') {
        const std::string unit =
            py::str(py::module_::import("numpy").attr("datetime_data")(dt)[py::int_(0)])
                .cast<std::string>();
        c.width = 8;
        if (unit == "D") c.divisor = 1;
        else if (unit == "s") c.divisor = 86400;
        else if (unit == "ms") c.divisor = 86400LL * 1000;
        else if (unit == "us") c.divisor = 86400LL * 1000 * 1000;
        else if (unit == "ns") c.divisor = 86400LL * 1000 * 1000 * 1000;
        else
            throw ValidationError(std::string(field) + ": datetime64[" + unit +
                                  "] is not supported (use D, s, ms, us or ns)");
        return c;
    }
    if (kind != 'i' || (dt.itemsize() != 4 && dt.itemsize() != 8))
        throw ValidationError(std::string(field) + ": expected int32 or int64" +
                              (dates ? " days since 1970-01-01 or datetime64" : "") + ", got " +
                              py::str(dt).cast<std::string>());
    c.width = static_cast<int>(dt.itemsize());
    return c;
}

py::array_t<std::int64_t> int64_column(py::handle h, const char* field, std::size_t n,
                                       bool writeable) {
    py::array a = contiguous(h, field);
    if (a.ndim() != 1 || a.dtype().kind() != 'i' || a.dtype().itemsize() != 8)
        throw ValidationError(std::string(field) + ": expected a 1-dimensional int64 array (minor "
                              "units), got " + py::str(a.dtype()).cast<std::string>() +
                              (a.dtype().kind() == 'f' ? " (money is never a float)" : ""));
    if (static_cast<std::size_t>(a.shape(0)) != n)
        throw ValidationError(std::string(field) + ": " + std::to_string(a.shape(0)) +
                              " elements, expected " + std::to_string(n));
    if (writeable && !a.writeable())
        throw ValidationError(std::string(field) + ": the array is read-only (in_place=True)");
    return a.cast<py::array_t<std::int64_t>>();
}

}  // namespace arrears::glue
