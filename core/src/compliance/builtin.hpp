// Built-in compliance data (JSON text compiled into the library).
#pragma once

namespace arrears::detail {

extern const char* const kRegulationF;
extern const char* const kOverlayMA;
extern const char* const kOverlayNYC;
extern const char* const kOverlayWA;
extern const char* const kStatuteOfLimitations;

} // namespace arrears::detail
