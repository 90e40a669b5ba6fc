// Bridges an optional Python callable fn(done, total) (e.g. a tqdm update) and Ctrl-C to the
// core's Progress. Build it with the GIL held, pass progress() into the core call made with the
// GIL released; Ctrl-C makes the core stop and raise Cancelled (Python: KeyboardInterrupt).
#pragma once

#include <pybind11/pybind11.h>

#include <cstdint>

#include "arrears/parallel.hpp"

namespace arrears::glue {

namespace py = pybind11;

class ProgressBridge {
public:
    explicit ProgressBridge(py::object callback, std::uint64_t total = 0);
    Progress& progress() noexcept { return progress_; }

private:
    py::object callback_;
    Progress progress_;
};

}  // namespace arrears::glue
