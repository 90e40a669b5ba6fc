// A U.S. Social Security number. Kept whole (Metro 2 reports it), shown masked everywhere else:
// repr, logs and error messages only ever carry "***-**-1234".
#pragma once

#include <string>
#include <string_view>

namespace arrears {

class Ssn {
public:
    // "123-45-6789" or "123456789". Rejects anything that is not 9 digits, and numbers the SSA
    // never issues: area 000, 666 or 900-999, group 00, serial 0000. Error messages never
    // contain the digits given.
    static Ssn parse(std::string_view text, std::string_view field = "ssn");

    // The 9 digits, for bureau reporting and storage only.
    const std::string& digits() const noexcept { return digits_; }
    std::string last4() const { return digits_.substr(5); }
    std::string masked() const { return "***-**-" + last4(); }

    friend bool operator==(const Ssn&, const Ssn&) = default;

private:
    explicit Ssn(std::string digits) : digits_(std::move(digits)) {}
    std::string digits_;
};

}  // namespace arrears
