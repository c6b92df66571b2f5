// Statuses: one enum, spelled in results.jsonl exactly as the contract says.
#include "status.hpp"

#include <gtest/gtest.h>

#include "result.hpp"

namespace concbench {
namespace {

TEST(Status, EverySpellingRoundTrips) {
    for (Status s : {Status::ok, Status::failed, Status::timeout, Status::crashed, Status::invalid})
        EXPECT_EQ(status_from_string(to_string(s)), s);
    EXPECT_EQ(std::string(to_string(Status::ok)), "ok");
    EXPECT_EQ(std::string(to_string(Status::failed)), "failed");
    EXPECT_EQ(std::string(to_string(Status::timeout)), "timeout");
    EXPECT_EQ(std::string(to_string(Status::crashed)), "crashed");
    EXPECT_EQ(std::string(to_string(Status::invalid)), "invalid");
    EXPECT_EQ(status_from_string("OK"), std::nullopt);
    EXPECT_EQ(status_from_string(""), std::nullopt);
}

TEST(Status, IsWrittenAsItsStringAndAnUnknownOneIsRefused) {
    Measurement m;
    m.status = Status::invalid;
    nlohmann::json j = to_json(m);
    EXPECT_EQ(j.at("status"), "invalid");
    EXPECT_EQ(measurement_from_json(j).status, Status::invalid);
    RunRecord r;
    r.m.status = Status::timeout;
    EXPECT_EQ(to_json(r).at("status"), "timeout");
    j["status"] = "exploded";
    EXPECT_THROW(measurement_from_json(j), nlohmann::json::exception);
}

}  // namespace
}  // namespace concbench
