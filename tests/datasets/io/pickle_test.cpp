// SPDX-License-Identifier: Apache-2.0
// Unpickler: the same nested object written with protocols 0-4, Python 2 pickles assembled opcode
// by opcode, unsupported opcodes, cycles, and corrupt input.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "datasets/io/pickle.h"
#include "tests/datasets/io/io_test_util.h"

namespace moegnn::datasets::io {
namespace {

using testing::fixture;
using testing::fixture_bytes;

void expect_scalars(const PyValue& v) {
  EXPECT_EQ(v.at("int").as_int(), 5);
  EXPECT_EQ(v.at("neg").as_int(), -7);
  EXPECT_EQ(v.at("big").as_int(), std::int64_t{1} << 40);
  EXPECT_EQ(v.at("min64").as_int(), INT64_MIN);
  EXPECT_EQ(v.at("max64").as_int(), INT64_MAX);
  const PyValue huge = v.at("huge");  // 2^70: little-endian two's complement bytes
  ASSERT_TRUE(huge.is(PyKind::BigInt));
  EXPECT_EQ(huge.as_bytes(), std::string("\0\0\0\0\0\0\0\0\x40", 9));
  EXPECT_THROW(huge.as_int(), IoError);
  EXPECT_EQ(v.at("float").as_float(), 1.5);
  EXPECT_EQ(v.at("negfloat").as_float(), -0.25);
  EXPECT_EQ(v.at("str").as_string(), "h\xc3\xa9llo \xe2\x9c\x93\n\\");
  EXPECT_EQ(v.at("empty_str").as_string(), "");
  EXPECT_EQ(v.at("bytes").as_bytes(), std::string("\0\xff"
                                                  "ab",
                                                  4));
  EXPECT_EQ(v.at("empty_bytes").as_bytes(), "");
  EXPECT_TRUE(v.at("none").is_none());
  EXPECT_TRUE(v.at("true").as_bool());
  EXPECT_FALSE(v.at("false").as_bool());
}

void expect_containers(const PyValue& v) {
  const PyValue list = v.at("list");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].as_int(), 1);
  EXPECT_EQ(list[1].as_string(), "two");
  EXPECT_EQ(list[2][0].as_float(), 3.0);
  EXPECT_TRUE(list[2][1].is_none());
  EXPECT_EQ(v.at("tuple0").size(), 0u);
  EXPECT_EQ(v.at("tuple1")[0].as_int(), 1);
  EXPECT_EQ(v.at("tuple4")[3].as_int(), 4);
  ASSERT_TRUE(v.at("set").is(PyKind::Set));
  EXPECT_EQ(v.at("set")[0].as_int(), 3);
  EXPECT_EQ(v.at("frozenset")[0].as_int(), 4);
  const PyValue dd = v.at("dd");
  ASSERT_TRUE(dd.is(PyKind::Dict));
  EXPECT_EQ(dd.find(std::int64_t{1})->size(), 2u);
  EXPECT_EQ((*dd.find(std::int64_t{1}))[1].as_int(), 3);
  EXPECT_EQ(v.at("ordered").at("a").as_int(), 1);
  EXPECT_EQ(v.at("shared1")[1].as_int(), 2);
  EXPECT_EQ(v.at("shared2").size(), 2u);
}

void expect_arrays(const PyValue& v) {
  const NpyArray f4 = v.at("f4").ndarray();
  EXPECT_EQ(f4.shape(), (std::vector<Index>{3, 4}));
  for (Index k = 0; k < 12; ++k)
    EXPECT_EQ(f4.to_tensor().data()[k], static_cast<float>(testing::float_at(k)));
  const std::vector<std::int64_t> be = v.at("i8_be").ndarray().to_int64();
  for (std::size_t k = 0; k < be.size(); ++k)
    EXPECT_EQ(be[k], testing::signed_at(static_cast<std::int64_t>(k)));
  const Tensor fortran = v.at("f8_fortran").ndarray().to_tensor();
  for (Index k = 0; k < 12; ++k)
    EXPECT_EQ(fortran.data()[k], static_cast<float>(testing::float_at(k)));
  EXPECT_EQ(v.at("zero_d").ndarray().to_int64(), (std::vector<std::int64_t>{-3}));
  EXPECT_EQ(v.at("empty").ndarray().shape(), (std::vector<Index>{0, 3}));
  EXPECT_EQ(v.at("mask").ndarray().to_bool(), (std::vector<bool>{true, false, false, true, false}));
  EXPECT_EQ(v.at("np_int").as_int(), 9);
  EXPECT_EQ(v.at("np_float").as_float(), 2.5);
  EXPECT_EQ(v.at("unicode").ndarray().to_strings(), (std::vector<std::string>{"ab", "\xc3\xa9"}));
}

TEST(Pickle, ReadsProtocolsZeroToFour) {
  for (int protocol = 0; protocol <= 4; ++protocol) {
    SCOPED_TRACE(protocol);
    const PyValue v = read_pickle(fixture("pickle_p" + std::to_string(protocol) + ".pkl"));
    ASSERT_TRUE(v.is(PyKind::Dict));
    expect_scalars(v);
    expect_containers(v);
    expect_arrays(v);
  }
}

TEST(Pickle, ReadsPython2Pickles) {
  const PyValue labels = read_pickle(fixture("py2_labels.pkl"));
  const NpyArray y = labels.ndarray();
  EXPECT_EQ(y.shape(), (std::vector<Index>{20, 7}));
  const std::vector<std::int64_t> onehot = y.to_int64();
  for (Index r = 0; r < 20; ++r)
    for (Index c = 0; c < 7; ++c)
      EXPECT_EQ(onehot[static_cast<std::size_t>(r * 7 + c)], c == r % 7 ? 1 : 0);
  const PyValue text = read_pickle(fixture("py2_proto0.pkl"));
  ASSERT_EQ(text.size(), 7u);
  EXPECT_EQ(text[0].as_bytes(), std::string("a\0b'c\n", 6));
  EXPECT_TRUE(text[1].as_bool());
  EXPECT_FALSE(text[2].as_bool());
  // 12345678901234567890123 = 0x029D42B64E76714244CB as little-endian bytes.
  EXPECT_EQ(text[3].as_bytes(), std::string("\xCB\x44\x42\x71\x76\x4E\xB6\x42\x9D\x02", 10));
  EXPECT_EQ(text[4].as_float(), -1.5);
  EXPECT_EQ(text[5].as_int(), -42);
  EXPECT_EQ(text[6].as_string(), "q\\");
}

TEST(Pickle, ReportsUnsupportedOpcodeAndPosition) {
  testing::expect_io_error([] { read_pickle(fixture("pickle_p5_bytearray.pkl")); },
                           "BYTEARRAY8 (0x96)");
  testing::expect_io_error([] { unpickle(std::string("\x80\x02\x82\x01.", 5), "ext.pkl"); },
                           "ext.pkl: byte 2: opcode EXT1");
  testing::expect_io_error([] { unpickle("\x80\x02Z.", "z.pkl"); },
                           "z.pkl: byte 2: unknown opcode 0x5a");
}

TEST(Pickle, RejectsHugeLengthsWithoutAllocating) {
  // BINUNICODE8 / BINBYTES8 claiming 2^60 bytes, LONG4 claiming 2^31 - 1, BINSTRING negative.
  const std::string cases[] = {std::string("\x80\x04\x8d\0\0\0\0\0\0\0\x10", 11),
                               std::string("\x80\x04\x8e\0\0\0\0\0\0\0\x10", 11),
                               std::string("\x80\x02\x8b\xff\xff\xff\x7f", 7),
                               std::string("T\xff\xff\xff\xff", 5),
                               std::string("\x80\x04\x95\0\0\0\0\0\0\0\x10", 11)};
  for (const std::string& bytes : cases) {
    try {
      unpickle(bytes, "len.pkl");
      ADD_FAILURE() << "no IoError";
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find("len.pkl: byte"), std::string::npos) << e.what();
    }
  }
}

TEST(Pickle, HandlesSelfReferencingLists) {
  // l = []; l.append(l): the heap owns every node, so the cycle neither hangs nor leaks.
  const PyValue v = unpickle(std::string("\x80\x02]q\x00h\x00"
                                         "a.",
                                         9),
                             "cycle.pkl");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0][0][0].size(), 1u);
}

TEST(Pickle, RejectsStackAndMemoMisuse) {
  testing::expect_io_error([] { unpickle("\x80\x02.", "a.pkl"); }, "stack underflow");
  testing::expect_io_error([] { unpickle("\x80\x02h\x05.", "b.pkl"); }, "memo has no entry 5");
  testing::expect_io_error(
      [] {
        unpickle("\x80\x02K\x01K\x02"
                 "a.",
                 "c.pkl");
      },
      "APPEND needs a list");
  testing::expect_io_error(
      [] {
        unpickle("\x80\x02K\x01"
                 "e.",
                 "d.pkl");
      },
      "no MARK");
  testing::expect_io_error([] { unpickle("\x80\x02K\x01K\x02R.", "e.pkl"); },
                           "REDUCE/NEWOBJ needs a class");
  testing::expect_io_error(
      [] { unpickle(std::string("\x80\x02X\x02\0\0\0\xc3\x28.", 10), "f.pkl"); },
      "not valid UTF-8");
}

TEST(Pickle, AccessorsNameTheSourceOnKindMismatch) {
  const PyValue v = read_pickle(fixture("pickle_p2.pkl"));
  testing::expect_io_error([&] { v.at("list").as_int(); },
                           "pickle_p2.pkl: value is list of 3 vs int");
  testing::expect_io_error([&] { v.at("missing"); }, "no key 'missing'");
  testing::expect_io_error([&] { v.at("list")[7]; }, "index 7 vs size 3");
}

TEST(Pickle, LoadsConsecutivePickles) {
  const std::string two = std::string("\x80\x02K\x07.", 5) + std::string("\x80\x02K\x08.", 5);
  Unpickler u(two, "two.pkl");
  EXPECT_EQ(u.load().as_int(), 7);
  EXPECT_EQ(u.position(), 5u);
  EXPECT_EQ(u.load().as_int(), 8);
  EXPECT_TRUE(u.at_end());
  testing::expect_io_error([&] { u.load(); }, "two.pkl: byte 10");
}

TEST(Pickle, EveryTruncationThrowsIoError) {
  for (const char* file : {"pickle_p0.pkl", "pickle_p4.pkl", "py2_csr.pkl"}) {
    SCOPED_TRACE(file);
    testing::expect_prefixes_fail(fixture_bytes(file), "cut.pkl",
                                  [](const std::string& b) { unpickle(b, "cut.pkl"); });
  }
}

TEST(Pickle, FlippedBytesNeverCrash) {
  for (const char* file : {"pickle_p1.pkl", "sparse_lil_p4.pkl"}) {
    SCOPED_TRACE(file);
    testing::expect_flips_safe(fixture_bytes(file), "flip.pkl",
                               [](const std::string& b) { unpickle(b, "flip.pkl"); });
  }
}

}  // namespace
}  // namespace moegnn::datasets::io
