// SPDX-License-Identifier: Apache-2.0
// PyTorch legacy serialization: the four pickles through the Unpickler, then the raw storages. The
// layout follows torch/serialization.py (_legacy_save / _legacy_load).
#include "datasets/io/torch_legacy.h"

#include <cstring>
#include <optional>
#include <vector>

#include "datasets/io/detail/byte_reader.h"
#include "datasets/io/file.h"
#include "datasets/io/pickle.h"

namespace moegnn::datasets::io {
namespace {

// 0x1950a86a20f9469cfc6c as the little-endian bytes of its LONG1 opcode.
constexpr std::string_view kMagic = "\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19";
constexpr std::int64_t kProtocolVersion = 1001;

struct StorageInfo {
  NpyDType dtype = NpyDType::Float32;
  std::uint64_t numel = 0;
  std::string_view bytes;  // filled when the data section is read
  bool loaded = false;
};

struct TensorRef {
  std::string name;
  std::string key;  // storage key; empty for an ndarray value
  std::int64_t offset = 0;
  std::vector<Index> size;
  std::vector<std::int64_t> stride;
  std::optional<NpyArray> array;  // set for an ndarray value
};

template <typename Error = IoError, typename... Parts>
[[noreturn]] void fail(const std::string& source, std::size_t pos, const Parts&... parts) {
  detail::fail_at<Error>("read_torch_legacy", source, pos, parts...);
}

NpyDType storage_dtype(const PyValue& type, const std::string& source, std::size_t pos) {
  const std::string& name = type.is(PyKind::Global) ? type.name() : std::string();
  constexpr std::pair<std::string_view, NpyDType> kTypes[] = {
      {"LongStorage", NpyDType::Int64},    {"IntStorage", NpyDType::Int32},
      {"ShortStorage", NpyDType::Int16},   {"CharStorage", NpyDType::Int8},
      {"ByteStorage", NpyDType::UInt8},    {"BoolStorage", NpyDType::Bool},
      {"FloatStorage", NpyDType::Float32}, {"DoubleStorage", NpyDType::Float64}};
  for (const auto& [n, dtype] : kTypes)
    if (name == n && type.module() == "torch") return dtype;
  fail<Unsupported>(source, pos, "storage type '", type.describe(), "' is not supported");
}

std::vector<std::int64_t> ints(const PyValue& tuple) {
  std::vector<std::int64_t> out;
  for (std::size_t k = 0; k < tuple.size(); ++k) out.push_back(tuple[k].as_int());
  return out;
}

// One dict value: _rebuild_tensor(_v2)(storage pid, offset, size, stride, ...) or an ndarray.
TensorRef tensor_ref(std::string name, const PyValue& v,
                     std::map<std::string, StorageInfo>& storages, std::size_t pos) {
  TensorRef t;
  t.name = std::move(name);
  if (v.is(PyKind::NdArray)) {
    t.array = v.ndarray();
    return t;
  }
  const std::string& source = v.source();
  if (!v.is(PyKind::Object) || v.module() != "torch._utils" ||
      (v.name() != "_rebuild_tensor_v2" && v.name() != "_rebuild_tensor"))
    fail(source, pos, "entry '", t.name, "' is ", v.describe(), " vs a tensor or ndarray");
  const PyValue args = v.args();
  if (args.size() < 4 || !args[0].is(PyKind::PersistentId))
    fail(source, pos, "tensor '", t.name, "' has no (storage, offset, size, stride) arguments");
  const PyValue pid = args[0].pid();
  if (!pid.is(PyKind::Tuple) || pid.size() < 5 || pid[0].as_string() != "storage")
    fail(source, pos, "tensor '", t.name, "' has a persistent id that is not a storage");
  if (pid.size() > 5 && !pid[5].is_none())
    fail<Unsupported>(source, pos, "tensor '", t.name, "' uses a storage view (old torch format)");
  t.key = std::string(pid[2].as_string());
  StorageInfo info;
  info.dtype = storage_dtype(pid[1], source, pos);
  const std::int64_t numel = pid[4].as_int();
  if (numel < 0) fail(source, pos, "storage '", t.key, "' declares ", numel, " elements");
  info.numel = static_cast<std::uint64_t>(numel);
  const auto [it, inserted] = storages.emplace(t.key, info);
  if (!inserted && (it->second.dtype != info.dtype || it->second.numel != info.numel))
    fail(source, pos, "storage '", t.key, "' is declared twice with different types or sizes");
  t.offset = args[1].as_int();
  for (const std::int64_t d : ints(args[2])) t.size.push_back(d);
  t.stride = ints(args[3]);
  return t;
}

// The data section: per key, an 8-byte element count and the raw elements.
void read_storages(detail::ByteReader& r, const PyValue& keys,
                   std::map<std::string, StorageInfo>& storages) {
  for (std::size_t k = 0; k < keys.size(); ++k) {
    const std::string key(keys[k].as_string());
    const auto it = storages.find(key);
    if (it == storages.end())
      r.fail("storage '", key, "' is listed but no tensor uses it; its element size is unknown");
    StorageInfo& s = it->second;
    const auto count = r.le<std::uint64_t>("storage element count");
    if (count != s.numel)
      r.fail("storage '", key, "' holds ", count, " elements vs ", s.numel, " declared");
    std::uint64_t bytes = 0;
    if (!detail::checked_mul(count, element_size(s.dtype), bytes))
      r.fail("storage '", key, "' size overflows");
    s.bytes = r.take(bytes, "storage data");
    s.loaded = true;
  }
}

NpyArray materialize(const TensorRef& t, const StorageInfo& s, const std::string& source,
                     std::size_t pos) {
  // 1. Shape and C-contiguity (strides of size-1 dimensions do not matter).
  std::uint64_t numel = 1;
  for (const Index d : t.size)
    if (d < 0 || !detail::checked_mul(numel, static_cast<std::uint64_t>(d), numel))
      fail(source, pos, "tensor '", t.name, "' has a bad size");
  if (t.stride.size() != t.size.size())
    fail(source, pos, "tensor '", t.name, "' has ", t.stride.size(), " strides vs ", t.size.size(),
         " dimensions");
  std::int64_t expected = 1;
  for (std::size_t k = t.size.size(); k-- > 0;) {
    if (numel > 0 && t.size[k] > 1 && t.stride[k] != expected)
      fail<Unsupported>(source, pos, "tensor '", t.name, "' is not C-contiguous (stride ",
                        t.stride[k], " vs ", expected, " in dimension ", k,
                        "); call .contiguous() before saving");
    expected *= t.size[k];
  }
  // 2. The element range within its storage.
  if (t.offset < 0 || static_cast<std::uint64_t>(t.offset) > s.numel ||
      numel > s.numel - static_cast<std::uint64_t>(t.offset))
    fail(source, pos, "tensor '", t.name, "' spans elements [", t.offset, ", +", numel,
         ") vs a storage of ", s.numel);
  const std::size_t item = element_size(s.dtype);
  auto data = Storage::allocate(std::max<std::size_t>(numel * item, 1), Device::Cpu);
  if (numel > 0)
    std::memcpy(data->data(), s.bytes.data() + static_cast<std::size_t>(t.offset) * item,
                numel * item);
  return NpyArray(s.dtype, t.size, std::move(data), source + ":" + t.name);
}

}  // namespace

std::map<std::string, NpyArray> parse_torch_legacy(std::string_view bytes,
                                                   const std::string& source) {
  // 1. Magic, protocol version and sys info.
  Unpickler u(bytes, source);
  const PyValue magic = u.load();
  if (!magic.is(PyKind::BigInt) || magic.as_bytes() != kMagic)
    fail(source, 0, "bad magic: not a PyTorch legacy file (a zip-based .pt needs another reader)");
  const std::size_t version_pos = u.position();
  if (const PyValue version = u.load();
      !version.is(PyKind::Int) || version.as_int() != kProtocolVersion)
    fail(source, version_pos, "protocol version is ", version.describe(), " vs ", kProtocolVersion);
  const std::size_t info_pos = u.position();
  const PyValue info = u.load();
  if (!info.is(PyKind::Dict) || !info.find("little_endian") || !info.at("little_endian").as_bool())
    fail<Unsupported>(
        source, info_pos,
        "sys info does not say little_endian=True; big-endian files are not supported");
  // 2. The main object and the storages its tensors name.
  const std::size_t main_pos = u.position();
  const PyValue main = u.load();
  std::map<std::string, StorageInfo> storages;
  std::vector<TensorRef> refs;
  if (main.is(PyKind::Dict)) {
    for (std::size_t e = 0; e < main.size(); ++e)
      refs.push_back(
          tensor_ref(std::string(main.key(e).as_string()), main.value(e), storages, main_pos));
  } else {
    refs.push_back(tensor_ref("", main, storages, main_pos));
  }
  const std::size_t keys_pos = u.position();
  const PyValue keys = u.load();
  if (!keys.is(PyKind::List))
    fail(source, keys_pos, "storage key list is ", keys.describe(), " vs a list");
  detail::ByteReader r(bytes, source, "read_torch_legacy");
  r.seek(u.position(), "storage data");
  read_storages(r, keys, storages);
  // 3. Tensors as arrays.
  std::map<std::string, NpyArray> out;
  for (const TensorRef& t : refs) {
    if (out.count(t.name) != 0) fail(source, main_pos, "entry '", t.name, "' appears twice");
    if (t.array) {
      out.emplace(t.name, *t.array);
      continue;
    }
    const StorageInfo& s = storages.at(t.key);
    if (!s.loaded)
      fail(source, r.pos(), "storage '", t.key, "' of tensor '", t.name,
           "' is missing from the data section");
    out.emplace(t.name, materialize(t, s, source, main_pos));
  }
  return out;
}

std::map<std::string, NpyArray> read_torch_legacy(const std::filesystem::path& path) {
  const std::string bytes = read_file(path);
  return parse_torch_legacy(bytes, path.string());
}

}  // namespace moegnn::datasets::io
