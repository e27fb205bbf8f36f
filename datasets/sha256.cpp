// SPDX-License-Identifier: Apache-2.0
// SHA-256 through OpenSSL's EVP digest interface (libcrypto), streaming files in 1 MiB blocks.
#include "datasets/sha256.h"

#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <vector>

#include <openssl/evp.h>

#include "core/error.h"
#include "datasets/io/file.h"

namespace moegnn::datasets {

struct Sha256::State {
  EVP_MD_CTX* ctx = nullptr;
  ~State() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  MOEGNN_CHECK_AS(IoError, "Sha256",
                  state_->ctx != nullptr &&
                      EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) == 1,
                  "OpenSSL could not initialise SHA-256 vs a working libcrypto");
}

Sha256::~Sha256() = default;

void Sha256::update(const void* data, std::size_t bytes) {
  MOEGNN_CHECK_AS(InvalidArgument, "Sha256::update", !finished_,
                  "digest already finished vs an open digest");
  if (bytes == 0) return;
  MOEGNN_CHECK_AS(IoError, "Sha256::update", EVP_DigestUpdate(state_->ctx, data, bytes) == 1,
                  "OpenSSL digest update failed vs success");
}

std::string Sha256::hex_digest() {
  MOEGNN_CHECK_AS(InvalidArgument, "Sha256::hex_digest", !finished_,
                  "digest already finished vs an open digest");
  finished_ = true;
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  MOEGNN_CHECK_AS(IoError, "Sha256::hex_digest",
                  EVP_DigestFinal_ex(state_->ctx, digest.data(), &length) == 1 && length == 32,
                  "OpenSSL digest final failed vs a 32-byte digest");
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (unsigned int i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 15]);
  }
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 sha;
  sha.update(bytes);
  return sha.hex_digest();
}

std::string sha256_file(const std::filesystem::path& path) {
  io::require_regular_file(path, "sha256_file");  // a directory would "open" and fail to read
  std::FILE* f = std::fopen(path.c_str(), "rb");
  MOEGNN_CHECK_AS(IoError, "sha256_file", f != nullptr, path.string(),
                  ": cannot open: ", std::strerror(errno));
  struct Closer {
    std::FILE* f;
    ~Closer() { std::fclose(f); }
  } closer{f};
  Sha256 sha;
  std::vector<char> block(std::size_t{1} << 20);
  while (true) {
    const std::size_t n = std::fread(block.data(), 1, block.size(), f);
    sha.update(block.data(), n);
    if (n < block.size()) break;
  }
  MOEGNN_CHECK_AS(IoError, "sha256_file", std::ferror(f) == 0, path.string(),
                  ": read failed vs the whole file");
  return sha.hex_digest();
}

bool is_sha256_hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (const char c : text)
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
  return true;
}

}  // namespace moegnn::datasets
