// The arrears error tree. Every failure the core reports is one of these; the bindings translate
// them once (bindings/bind_errors.cpp) into the Python classes in arrears.errors.
//
//   Error                      root; never thrown directly
//   ├── ValidationError        bad input: names the field and the bad value (Python: also ValueError)
//   │   └── OverflowError      an amount or count does not fit (Python: also OverflowError)
//   ├── NotFoundError          an id that does not exist (Python: also LookupError)
//   ├── ConflictError          the request contradicts stored state (reversing twice, stale write)
//   ├── ComplianceError        a rule forbids the action; carries rule id and legal citation
//   ├── StorageError           the store failed; carries the SQLite result code
//   └── Cancelled              a progress callback asked a batch call to stop (Ctrl-C); Python
//                              sees KeyboardInterrupt
#pragma once

#include <stdexcept>
#include <string>

namespace arrears {

class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class ValidationError : public Error {
public:
    using Error::Error;
};

class OverflowError : public ValidationError {
public:
    using ValidationError::ValidationError;
};

class NotFoundError : public Error {
public:
    using Error::Error;
};

class ConflictError : public Error {
public:
    using Error::Error;
};

class ComplianceError : public Error {
public:
    ComplianceError(std::string rule, std::string citation, const std::string& message)
        : Error(message), rule_(std::move(rule)), citation_(std::move(citation)) {}
    const std::string& rule() const noexcept { return rule_; }
    const std::string& citation() const noexcept { return citation_; }

private:
    std::string rule_;
    std::string citation_;
};

class StorageError : public Error {
public:
    // code: the SQLite (extended) result code, 0 when the failure is not SQLite's.
    // retryable: true for SQLITE_BUSY / SQLITE_LOCKED, where trying again later can succeed.
    StorageError(int code, const std::string& message, bool retryable = false)
        : Error(message), code_(code), retryable_(retryable) {}
    int code() const noexcept { return code_; }
    bool retryable() const noexcept { return retryable_; }

private:
    int code_;
    bool retryable_;
};

class Cancelled : public Error {
public:
    using Error::Error;
};

// Quote a user-supplied value for an error message: 'text' with control characters and bytes that
// are not UTF-8 escaped as \xNN, quotes and backslashes escaped, and values longer than 60
// characters cut (on a character boundary) with "...", so a message always names the value,
// never floods a log, and is always valid UTF-8 (Python can show it).
std::string quote(std::string_view value);

}  // namespace arrears
