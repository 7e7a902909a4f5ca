// A fault event's value in words: whom it hit (its "nodes" when it records
// more than its targets) and what it recorded it did, as explanations and the
// report's fault bands print them.
#include "checker/fault_text.h"

#include <gtest/gtest.h>

namespace jepsen::checker {
namespace {

using history::Json;

TEST(FaultText, TargetsAreTheNodesOfAValueThatRecordsMore) {
  const Json power = Json::parse(R"({"seed":7,"nodes":["n1","n2"],"lost":{}})");
  EXPECT_EQ(FaultTargets(power), Json::parse(R"(["n1","n2"])"));
  EXPECT_EQ(FaultTargetText(power), "n1, n2");
  EXPECT_EQ(FaultTargetText(Json::parse(R"(["n3"])")), "n3");
  EXPECT_EQ(FaultTargetText("network"), "network");
  EXPECT_EQ(FaultTargetText(Json()), "");
  EXPECT_EQ(FaultTargetText(Json::parse(R"({"n1":["n2"]})")), R"({"n1":["n2"]})")
      << "a partition's grudge as it is";
}

TEST(FaultText, EffectIsWhatTheFaultRecordedPerNodeWithoutSeedOrEmptyFields) {
  EXPECT_EQ(FaultEffect(Json::parse(
                R"({"seed":7,"nodes":["n1","n2"],"lost":{"n1":{"files":["db-wal","db-shm"],)"
                R"("bytes":8192,"writes":5,"torn":[]},"n2":{}}})")),
            "lost n1: bytes 8192, files (db-wal, db-shm), writes 5; lost n2");
  EXPECT_EQ(
      FaultEffect(Json::parse(
          R"({"nodes":["n3"],"corrupted":{"n3":{"file":"db","offset":4096,"action":"flip"}}})")),
      "corrupted n3: action flip, file db, offset 4096");
  EXPECT_EQ(FaultEffect(Json::parse(R"({"nodes":["n1"],"count":3})")), "count 3");
}

TEST(FaultText, AValueThatIsOnlyTargetsHasNoEffect) {
  EXPECT_EQ(FaultEffect(Json::parse(R"(["n1"])")), "");
  EXPECT_EQ(FaultEffect(Json::parse(R"({"n1":["n2"],"n2":["n1"]})")), "");
  EXPECT_EQ(FaultEffect(Json::parse(R"({"nodes":["n1"]})")), "");
}

}  // namespace
}  // namespace jepsen::checker
