// SPDX-License-Identifier: Apache-2.0
// SHA-256 digests (FIPS 180-4) for verifying downloaded and cached dataset files, computed by
// OpenSSL's EVP interface (kept out of this header). Digests are written as 64 lower-case hex
// digits, the form the dataset manifests use.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace moegnn::datasets {

// Incremental digest: update() with consecutive pieces, then hex_digest() once.
class Sha256 {
 public:
  Sha256();  // throws IoError when OpenSSL cannot set up the digest
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t bytes);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // The digest of everything passed to update(); the object cannot be updated afterwards
  // (throws InvalidArgument on a second call or a later update).
  std::string hex_digest();

 private:
  struct State;
  std::unique_ptr<State> state_;
  bool finished_ = false;
};

// Digest of `bytes`.
std::string sha256_hex(std::string_view bytes);

// Digest of the file at `path`, streamed. Throws IoError when it cannot be read.
std::string sha256_file(const std::filesystem::path& path);

// True for 64 hex digits (either case).
bool is_sha256_hex(std::string_view text);

}  // namespace moegnn::datasets
