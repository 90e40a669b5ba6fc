// SHA-256 (OpenSSL's implementation): the digest of every file arrears writes (campaign
// manifests, Metro 2 submissions, the output intents of arrears.outputs).
#pragma once

#include <string>
#include <string_view>

namespace arrears {

// Incremental: update() with each piece, hex() once at the end.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::string_view bytes);
    std::string hex();  // lower-case hex digest; ends the digest

private:
    void* ctx_;  // EVP_MD_CTX (openssl/evp.h stays out of this header)
};

// Hex SHA-256 of bytes.
std::string sha256_hex(std::string_view bytes);

}  // namespace arrears
