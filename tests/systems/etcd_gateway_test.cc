// etcd's JSON gateway as the clients read and write it: base64, int64s as
// strings, fields proto3 leaves out.
#include <gtest/gtest.h>

#include "systems/etcd/etcd_client.h"
#include "systems/etcd/gateway.h"

namespace jepsen::systems::etcd {
namespace {

TEST(Gateway, Base64RoundTrips) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "jepsen/register/0", "\x01\xff"}) {
    EXPECT_EQ(FromBase64(Base64(s)).value(), s);
  }
  EXPECT_EQ(Base64("foo"), "Zm9v");
  EXPECT_FALSE(FromBase64("not base64!").ok());
}

TEST(Gateway, Int64sArriveAsStringsAndZeroIsLeftOut) {
  Json reply = Json::parse(R"({"header":{"revision":"42"},"ID":"7494167944283329803"})");
  EXPECT_EQ(Revision(reply), 42);
  EXPECT_EQ(Int64(reply, "ID"), 7494167944283329803LL);
  EXPECT_EQ(Int64(reply, "TTL"), 0);
}

TEST(Gateway, AFailedTxnHasNoSucceeded) {
  EXPECT_FALSE(Succeeded(Json::parse(R"({"header":{"revision":"5"}})")));
  EXPECT_TRUE(Succeeded(Json::parse(R"({"header":{},"succeeded":true})")));
}

TEST(Gateway, ErrorsAndWhetherTheyAreDefinite) {
  auto e = ErrorOf(Json::parse(R"({"error":"etcdserver: requested lease not found","code":5})"));
  ASSERT_TRUE(e);
  EXPECT_TRUE(Definite(*e));
  auto timeout = ErrorOf(Json::parse(
      R"({"error":{"grpc_code":14,"code":14,"message":"etcdserver: request timed out"}})"));
  ASSERT_TRUE(timeout);
  EXPECT_EQ(timeout->message, "etcdserver: request timed out");
  EXPECT_FALSE(Definite(*timeout));
  EXPECT_FALSE(ErrorOf(Json::parse(R"({"header":{}})")));
}

TEST(Gateway, RangeValueDecodes) {
  Json reply = Json::parse(R"({"kvs":[{"key":"Zm9v","value":"Mw=="}],"count":"1"})");
  EXPECT_EQ(RangeValue(reply).value().value(), "3");
  EXPECT_FALSE(RangeValue(Json::parse(R"({"header":{}})"))->has_value());
}

TEST(Gateway, StreamsReadTheirFirstObject) {
  Result<Json> j = ParseReply("{\"result\":{\"TTL\":\"2\"}}\n{\"result\":{}}\n");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(Int64((*j)["result"], "TTL"), 2);
  EXPECT_FALSE(ParseReply("<html>").ok());
}

TEST(Gateway, CheckpointValuesSortAsNumbers) {
  EXPECT_LT(CheckpointValue(9, "x"), CheckpointValue(10, ""));
  EXPECT_GT(CheckpointValue(10, "x"), CheckpointValue(10, ""));  // equal seq: not below
  EXPECT_EQ(CheckpointValue(7, ""), "00000000000000000007");
}

TEST(Gateway, ComparesNameTheirTarget) {
  Json c = Compare("k", "CREATE", "EQUAL", 0);
  EXPECT_EQ(c["createRevision"], "0");
  EXPECT_EQ(Compare("k", "VALUE", "LESS", "5")["value"], Base64("5"));
}

}  // namespace
}  // namespace jepsen::systems::etcd
