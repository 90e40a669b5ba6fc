#include "arrears/ssn.hpp"

#include "arrears/error.hpp"

namespace arrears {

Ssn Ssn::parse(std::string_view text, std::string_view field) {
    std::string digits;
    std::size_t others = 0;
    for (char c : text) {
        if (c >= '0' && c <= '9') digits += c;
        else if (c != '-' && c != ' ') ++others;
    }
    const std::string f(field);
    if (others > 0 || digits.size() != 9)
        throw ValidationError(f + ": expected 9 digits (NNN-NN-NNNN), got " +
                              std::to_string(digits.size()) + " digits" +
                              (others > 0 ? " and " + std::to_string(others) + " other characters"
                                          : std::string()));
    const std::string_view area = std::string_view(digits).substr(0, 3);
    if (area == "000" || area == "666" || area[0] == '9')
        throw ValidationError(f + ": the area number (first 3 digits) is never issued (000, 666 "
                                  "and 900-999 are invalid)");
    if (digits.compare(3, 2, "00") == 0)
        throw ValidationError(f + ": the group number (digits 4-5) is never 00");
    if (digits.compare(5, 4, "0000") == 0)
        throw ValidationError(f + ": the serial number (last 4 digits) is never 0000");
    return Ssn(std::move(digits));
}

}  // namespace arrears
