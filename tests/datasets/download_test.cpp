// SPDX-License-Identifier: Apache-2.0
// Verified downloads against a tiny HTTP/1.1 server on 127.0.0.1 run by the test in a thread
// (POSIX sockets, every wait bounded): good files, a corrupted copy, a truncated transfer, a 404,
// a refused connection, the registry fetching a whole dataset from a mirror of ../shared/datasets,
// and ZIP extraction (digests, prefixes, names that try to escape). No test touches the internet.
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include "core/error.h"
#include "datasets/download.h"
#include "datasets/io/zip_archive.h"
#include "datasets/registry.h"
#include "datasets/sha256.h"
#include "tests/datasets/dataset_test_util.h"
#include "tests/support/data_dir.h"

namespace moegnn::datasets {
namespace {

using testing::TempDir;

class LocalHttpServer {
 public:
  struct Route {
    int status = 200;
    std::string body;
    std::size_t send_bytes = std::string::npos;  // fewer than body.size(): cut the transfer
    bool content_length = true;  // false: no Content-Length, the body ends when the server closes
  };

  LocalHttpServer() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (listen_fd_ < 0 ||
        ::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        ::listen(listen_fd_, 16) != 0 ||
        ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
      throw std::runtime_error("LocalHttpServer: cannot listen on 127.0.0.1");
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;
  ~LocalHttpServer() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
  }

  void serve(const std::string& path, Route route) {
    std::lock_guard lock(mutex_);
    routes_[path] = std::move(route);
  }
  // Every file below `dir` at "/<relative path>" (read when requested).
  void serve_tree(const std::filesystem::path& dir) { tree_ = dir; }
  std::string url(const std::string& path = "") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  int requests() const { return requests_; }

 private:
  void run() {
    while (!stop_) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) <= 0) continue;
      const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
      if (fd < 0) continue;
      handle(fd);
      ::shutdown(fd, SHUT_RDWR);
      ::close(fd);
    }
  }

  // Reads the request head (2 s at most), answers, and returns.
  void handle(int fd) {
    timeval timeout{2, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos && head.size() < 65536) {
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) return;
      head.append(buffer, static_cast<std::size_t>(n));
    }
    ++requests_;
    const std::size_t start = head.find(' ') + 1;
    const std::string path = head.substr(start, head.find(' ', start) - start);
    Route route = lookup(path);
    const char* reason = route.status == 200 ? "OK" : "Not Found";
    std::string header = "HTTP/1.1 ";
    header += std::to_string(route.status);
    header += ' ';
    header += reason;
    if (route.content_length) {
      header += "\r\nContent-Length: ";
      header += std::to_string(route.body.size());
    }
    header += "\r\nConnection: close\r\n\r\n";
    send_all(fd, header);
    send_all(fd, route.body.substr(0, std::min(route.send_bytes, route.body.size())));
  }

  Route lookup(const std::string& path) {
    {
      std::lock_guard lock(mutex_);
      if (const auto it = routes_.find(path); it != routes_.end()) return it->second;
    }
    if (!tree_.empty() && path.find("..") == std::string::npos &&
        std::filesystem::is_regular_file(tree_ / path.substr(1)))
      return {200, testing::read_text(tree_ / path.substr(1))};
    return {404, "not found"};
  }

  static void send_all(int fd, const std::string& bytes) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
      if (n <= 0) return;
      done += static_cast<std::size_t>(n);
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::map<std::string, Route> routes_;
  std::filesystem::path tree_;
  std::thread thread_;
};

DownloadOptions quick() {
  DownloadOptions o;
  o.connect_timeout_s = 5;
  o.low_speed_time_s = 5;
  o.timeout_s = 30;
  o.progress = false;
  return o;
}

const std::string kPayload = "node_id\tnode_id\n0\t1\n1\t2\n";

TEST(Sha256, KnownVectors) {
  // FIPS 180-2 examples.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const std::string million(1000000, 'a');
  Sha256 pieces;
  for (std::size_t at = 0; at < million.size(); at += 9973)
    pieces.update(std::string_view(million).substr(at, 9973));
  EXPECT_EQ(pieces.hex_digest(),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_THROW(pieces.hex_digest(), InvalidArgument);
  EXPECT_TRUE(is_sha256_hex(sha256_hex("x")));
  EXPECT_FALSE(is_sha256_hex("abc"));
}

TEST(Sha256, FileDigestMatchesManifest) {
  MOEGNN_REQUIRE_DATASET(dir, "texas");
  // texas/MANIFEST.md
  EXPECT_EQ(sha256_file(dir / "out1_graph_edges.txt"),
            "0fe85183243a78cbee9b85a684f8240963d04d1020d10e9cd2b8cfb25e33b476");
  EXPECT_THROW(sha256_file(dir / "no-such-file"), IoError);
}

TEST(Download, WritesVerifiedFile) {
  LocalHttpServer server;
  server.serve("/edges.txt", {200, kPayload});
  TempDir tmp;
  const std::filesystem::path dest = tmp / "sub" / "edges.txt";
  download_file(server.url("/edges.txt"), dest, sha256_hex(kPayload), quick());
  EXPECT_EQ(testing::read_text(dest), kPayload);
  EXPECT_FALSE(std::filesystem::exists(dest.string() + ".part"));
  // Upper-case digests are accepted too.
  std::string upper = sha256_hex(kPayload);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_NO_THROW(download_file(server.url("/edges.txt"), dest, upper, quick()));
}

TEST(Download, RejectsCorruptedCopyAndKeepsNothing) {
  LocalHttpServer server;
  std::string corrupted = kPayload;
  corrupted[18] = '7';
  server.serve("/edges.txt", {200, corrupted});
  TempDir tmp;
  const std::filesystem::path dest = tmp / "edges.txt";
  EXPECT_THROW_WITH(download_file(server.url("/edges.txt"), dest, sha256_hex(kPayload), quick()),
                    IoError, "SHA-256 mismatch");
  EXPECT_FALSE(std::filesystem::exists(dest));
  EXPECT_FALSE(std::filesystem::exists(dest.string() + ".part"));
  // An existing file is only replaced by a verified download.
  testing::write_text(dest, "old");
  EXPECT_THROW(download_file(server.url("/edges.txt"), dest, sha256_hex(kPayload), quick()),
               IoError);
  EXPECT_EQ(testing::read_text(dest), "old");
}

// A registry-declared size caps the transfer: announced (Content-Length) or streamed.
TEST(Download, StopsAtTheDeclaredSize) {
  LocalHttpServer server;
  const std::string big(200000, 'x');
  server.serve("/announced.bin", {200, big});
  server.serve("/streamed.bin", {.status = 200, .body = big, .content_length = false});
  TempDir tmp;
  for (const char* name : {"announced.bin", "streamed.bin"}) {
    SCOPED_TRACE(name);
    const std::filesystem::path dest = tmp / name;
    EXPECT_THROW_WITH(download_file(server.url(std::string("/") + name), dest, sha256_hex(big),
                                    quick(), 1000),
                      IoError, "more than 1000 bytes vs the size the registry declares");
    EXPECT_FALSE(std::filesystem::exists(dest));
    EXPECT_FALSE(std::filesystem::exists(dest.string() + ".part"));
  }
}

TEST(Download, UndeclaredSizeIsCappedByMaxBytes) {
  LocalHttpServer server;
  const std::string big(100000, 'y');
  server.serve("/endless.bin", {.status = 200, .body = big, .content_length = false});
  TempDir tmp;
  DownloadOptions o = quick();
  o.max_bytes = 5000;
  EXPECT_THROW_WITH(download_file(server.url("/endless.bin"), tmp / "e.bin", sha256_hex(big), o),
                    IoError, "more than 5000 bytes vs DownloadOptions::max_bytes");
  o.max_bytes = big.size();  // exactly enough
  EXPECT_NO_THROW(download_file(server.url("/endless.bin"), tmp / "e.bin", sha256_hex(big), o));
}

TEST(Download, ShorterThanTheDeclaredSizeIsRejected) {
  LocalHttpServer server;
  server.serve("/edges.txt", {200, kPayload});
  TempDir tmp;
  EXPECT_THROW_WITH(download_file(server.url("/edges.txt"), tmp / "e.txt", sha256_hex(kPayload),
                                  quick(), kPayload.size() + 1),
                    IoError, "the registry declares");
  EXPECT_FALSE(std::filesystem::exists(tmp / "e.txt"));
  EXPECT_NO_THROW(download_file(server.url("/edges.txt"), tmp / "e.txt", sha256_hex(kPayload),
                                quick(), kPayload.size()));
}

TEST(Download, RejectsTruncatedTransfer) {
  LocalHttpServer server;
  const std::string big(200000, 'x');
  server.serve("/big.bin", {200, big, big.size() / 2});
  TempDir tmp;
  const std::filesystem::path dest = tmp / "big.bin";
  EXPECT_THROW_WITH(download_file(server.url("/big.bin"), dest, sha256_hex(big), quick()), IoError,
                    "transfer failed");
  EXPECT_FALSE(std::filesystem::exists(dest));
  EXPECT_FALSE(std::filesystem::exists(dest.string() + ".part"));
}

TEST(Download, RejectsHttpErrors) {
  LocalHttpServer server;
  TempDir tmp;
  EXPECT_THROW_WITH(
      download_file(server.url("/missing.txt"), tmp / "m.txt", sha256_hex("x"), quick()), IoError,
      "HTTP status 404");
  EXPECT_FALSE(std::filesystem::exists(tmp / "m.txt"));
  EXPECT_FALSE(std::filesystem::exists(tmp / "m.txt.part"));
}

TEST(Download, RejectsRefusedConnection) {
  int port = 0;
  {
    LocalHttpServer closed;  // a port that was just free and is closed again
    port = std::stoi(closed.url().substr(closed.url().rfind(':') + 1));
  }
  TempDir tmp;
  EXPECT_THROW_WITH(download_file("http://127.0.0.1:" + std::to_string(port) + "/x", tmp / "x",
                                  sha256_hex("x"), quick()),
                    IoError, "transfer failed");
  EXPECT_FALSE(std::filesystem::exists(tmp / "x.part"));
}

TEST(Download, RequiresDigestUnlessAllowed) {
  LocalHttpServer server;
  server.serve("/edges.txt", {200, kPayload});
  TempDir tmp;
  EXPECT_THROW_WITH(download_file(server.url("/edges.txt"), tmp / "e.txt", "", quick()), IoError,
                    "no SHA-256");
  EXPECT_THROW_WITH(download_file(server.url("/edges.txt"), tmp / "e.txt", "xyz", quick()), IoError,
                    "64 hex digits");
  EXPECT_EQ(server.requests(), 0);
  DownloadOptions o = quick();
  o.allow_unverified = true;
  download_file(server.url("/edges.txt"), tmp / "e.txt", "", o);
  EXPECT_EQ(testing::read_text(tmp / "e.txt"), kPayload);
}

TEST(Download, RegistryFetchesDatasetFromMirror) {
  MOEGNN_REQUIRE_DATASET(texas, "texas");
  LocalHttpServer server;
  server.serve_tree(support::shared_datasets_dir());
  TempDir tmp;
  RegistryOptions o;
  o.mirror = server.url();
  o.download_options = quick();
  const NodeDataset d = load_node_dataset("texas", tmp.path(), o);
  EXPECT_EQ(d.num_nodes(), 183);  // texas/MANIFEST.md
  EXPECT_EQ(d.splits.size(), 10u);
  EXPECT_EQ(server.requests(), 12);  // 2 text files + 10 split files
  EXPECT_EQ(sha256_file(tmp / "texas" / "out1_node_feature_label.txt"),
            sha256_file(texas / "out1_node_feature_label.txt"));
  load_node_dataset("texas", tmp.path(), o);
  EXPECT_EQ(server.requests(), 12);  // nothing fetched twice
}

TEST(Download, RegistryRejectsCorruptMirrorFile) {
  MOEGNN_REQUIRE_DATASET(texas, "texas");
  LocalHttpServer server;
  server.serve_tree(support::shared_datasets_dir());
  std::string edges = testing::read_text(texas / "out1_graph_edges.txt");
  edges[edges.size() - 2] = edges[edges.size() - 2] == '1' ? '2' : '1';
  server.serve("/texas/out1_graph_edges.txt", {200, edges});
  TempDir tmp;
  RegistryOptions o;
  o.mirror = server.url();
  o.download_options = quick();
  EXPECT_THROW_WITH(load_node_dataset("texas", tmp.path(), o), IoError, "SHA-256 mismatch");
  EXPECT_FALSE(std::filesystem::exists(tmp / "texas" / "out1_graph_edges.txt"));
}

// A ZIP of stored members, written by hand (local headers, central directory, end record).
std::string make_zip(const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out, central;
  const auto u16 = [](std::string& s, unsigned v) {
    s.push_back(char(v & 255));
    s.push_back(char(v >> 8));
  };
  const auto u32 = [&](std::string& s, std::uint32_t v) {
    u16(s, v & 0xffff);
    u16(s, v >> 16);
  };
  for (const auto& [name, data] : members) {
    const auto crc = static_cast<std::uint32_t>(
        ::crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    const auto offset = static_cast<std::uint32_t>(out.size());
    const auto size = static_cast<std::uint32_t>(data.size());
    u32(out, 0x04034b50);
    u16(out, 20);
    u16(out, 0);
    u16(out, 0);
    u16(out, 0);
    u16(out, 0);
    u32(out, crc);
    u32(out, size);
    u32(out, size);
    u16(out, static_cast<unsigned>(name.size()));
    u16(out, 0);
    out += name + data;
    u32(central, 0x02014b50);
    u16(central, 20);
    u16(central, 20);
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u32(central, crc);
    u32(central, size);
    u32(central, size);
    u16(central, static_cast<unsigned>(name.size()));
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u16(central, 0);
    u32(central, 0);
    u32(central, offset);
    central += name;
  }
  const auto cd_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  u32(out, 0x06054b50);
  u16(out, 0);
  u16(out, 0);
  u16(out, static_cast<unsigned>(members.size()));
  u16(out, static_cast<unsigned>(members.size()));
  u32(out, static_cast<std::uint32_t>(central.size()));
  u32(out, cd_offset);
  u16(out, 0);
  return out;
}

TEST(ExtractZip, StripsPrefixAndVerifiesMembers) {
  TempDir tmp;
  testing::write_text(tmp / "ddi.zip", make_zip({{"ddi/raw/edge.csv", "0,1\n"},
                                                 {"ddi/split/target/test.txt", "t"},
                                                 {"ddi/", ""},
                                                 {"other/readme", "r"}}));
  extract_zip(tmp / "ddi.zip", tmp / "out", "ddi/", {{"raw/edge.csv", sha256_hex("0,1\n")}});
  EXPECT_EQ(testing::read_text(tmp / "out" / "raw" / "edge.csv"), "0,1\n");
  EXPECT_EQ(testing::read_text(tmp / "out" / "split" / "target" / "test.txt"), "t");
  EXPECT_FALSE(std::filesystem::exists(tmp / "out" / "readme"));
  EXPECT_THROW_WITH(
      extract_zip(tmp / "ddi.zip", tmp / "bad", "ddi/", {{"raw/edge.csv", sha256_hex("x")}}),
      IoError, "SHA-256 mismatch");
  EXPECT_FALSE(std::filesystem::exists(tmp / "bad" / "raw" / "edge.csv"));
  EXPECT_THROW_WITH(
      extract_zip(tmp / "ddi.zip", tmp / "more", "ddi/", {{"raw/node-feat.csv", sha256_hex("x")}}),
      IoError, "no member for raw/node-feat.csv");
}

TEST(ExtractZip, RejectsNamesThatEscape) {
  TempDir tmp;
  testing::write_text(tmp / "evil.zip", make_zip({{"data/../../evil.txt", "x"}}));
  EXPECT_THROW_WITH(extract_zip(tmp / "evil.zip", tmp / "a" / "b", "data/", {}), IoError,
                    "escapes");
  EXPECT_FALSE(std::filesystem::exists(tmp / "evil.txt"));
  testing::write_text(tmp / "abs.zip", make_zip({{"/etc/evil.txt", "x"}}));
  EXPECT_THROW_WITH(extract_zip(tmp / "abs.zip", tmp / "a", "", {}), IoError, "escapes");
}

TEST(ExtractZip, ReadsNumpyArchives) {
  MOEGNN_REQUIRE_DATASET(dir, "texas");
  TempDir tmp;
  const std::filesystem::path npz = dir / "splits" / "texas_split_0.6_0.2_0.npz";
  const io::ZipArchive zip(testing::read_text(npz), npz.string());  // deflate members
  std::map<std::string, std::string> digests;
  for (const io::ZipEntry& e : zip.entries()) digests[e.name] = sha256_hex(zip.extract(e));
  extract_zip(npz, tmp.path(), "", digests);
  EXPECT_EQ(digests.size(), 3u);
  for (const auto& [name, digest] : digests) EXPECT_EQ(sha256_file(tmp / name), digest);
}

}  // namespace
}  // namespace moegnn::datasets
