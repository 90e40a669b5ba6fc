#include "glue/progress.hpp"

namespace arrears::glue {

ProgressBridge::ProgressBridge(py::object callback, std::uint64_t total)
    : callback_(std::move(callback)),
      progress_(
          [this](std::uint64_t done, std::uint64_t all) {
              py::gil_scoped_acquire gil;
              if (PyErr_CheckSignals() != 0) {  // Ctrl-C: stop the batch, raise after it unwinds
                  PyErr_Clear();
                  return false;
              }
              if (!callback_.is_none()) {
                  try {
                      callback_(done, all);
                  } catch (py::error_already_set&) {
                      return false;  // a failing callback stops the work as an interrupt would
                  }
              }
              return true;
          },
          total) {}

}  // namespace arrears::glue
