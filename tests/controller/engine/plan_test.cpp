// `haven plan`: the planned timeline of a template, from the engine on simulated time.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ketamine_room.hpp"
#include "session_plan.hpp"

namespace haven::engine::testing {
namespace {

struct PlannedStart {
    std::string phase;
    std::optional<Millis> start;
    std::optional<Millis> end;
    std::string scene;
    std::optional<Millis> fade;
    std::optional<std::string> playlist;
    double volume;
};

TEST(Plan, IvKetamineTimelineFromT0) {
    auto result = plan_session(shared_room(), "iv-ketamine");  // T0 after 10m, 40m infusion
    ASSERT_TRUE(result.plan) << result.error;
    const auto& plan = *result.plan;
    const std::vector<PlannedStart> expected{
        {"arrival", -10min, 0min, "welcome", 30s, "arrival", 25},
        {"onset", 0min, 15min, "onset", 3min, "onset", 35},
        {"deep", 15min, 40min, "deep", 5min, "deep", 30},
        {"return", 40min, 60min, "return", 5min, "return", 30},
        {"recovery", 60min, 90min, "recovery", 2min, "return", 20},
        {"discharge", 90min, std::nullopt, "discharge", 2min, "return", 20},
    };
    ASSERT_EQ(plan.phases.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const auto& p = plan.phases[i];
        const auto& e = expected[i];
        EXPECT_EQ(p.id, e.phase);
        EXPECT_EQ(p.start, e.start) << e.phase;
        EXPECT_EQ(p.end, e.end) << e.phase;
        EXPECT_EQ(p.scene, e.scene) << e.phase;
        EXPECT_EQ(p.fade, e.fade) << e.phase;
        EXPECT_EQ(p.playlist, e.playlist) << e.phase;
        EXPECT_EQ(p.volume, e.volume) << e.phase;
    }
    ASSERT_EQ(plan.reminders.size(), 1u);
    EXPECT_EQ(plan.reminders[0].at, (std::vector<Millis>{15min, 30min, 45min, 60min}));
}

struct LengthCase {
    Millis infusion;
    Millis return_starts;
    std::size_t reminders;
};

TEST(Plan, FollowsTheInfusionLength) {
    for (const auto& c :
         {LengthCase{20min, 20min, 3}, LengthCase{40min, 40min, 4}, LengthCase{60min, 60min, 6}}) {
        auto result = plan_session(shared_room(), "iv-ketamine", {.infusion_length = c.infusion});
        ASSERT_TRUE(result.plan);
        EXPECT_EQ(result.plan->phases[3].start, c.return_starts);
        EXPECT_EQ(result.plan->reminders[0].at.size(), c.reminders) << c.infusion.count();
    }
}

TEST(Plan, EsketamineShowsMinObservationAndEndsAtTwoHours) {
    auto result = plan_session(shared_room(), "esketamine");
    ASSERT_TRUE(result.plan);
    EXPECT_EQ(result.plan->min_observation, 2h);
    EXPECT_EQ(result.plan->phases[3].start, 2h);
    EXPECT_EQ(result.plan->reminders[0].at, (std::vector<Millis>{40min, 80min, 120min}));
    EXPECT_NE(format_plan(*result.plan).find("end allowed from +2h (minimum observation)"),
              std::string::npos);
}

TEST(Plan, UnknownTemplateIsAnError) {
    auto result = plan_session(shared_room(), "nope");
    EXPECT_FALSE(result.plan);
    EXPECT_EQ(result.error, "no template named 'nope'");
}

TEST(Plan, JsonHasTheDocumentedShape) {
    auto result = plan_session(shared_room(), "iv-ketamine");
    ASSERT_TRUE(result.plan);
    auto json = to_json(*result.plan);
    EXPECT_EQ(json["template"], "iv-ketamine");
    ASSERT_EQ(json["phases"].size(), 6u);
    EXPECT_EQ(json["phases"][0]["id"], "arrival");
    EXPECT_EQ(json["phases"][0]["start_s"], -600.0);
    EXPECT_EQ(json["phases"][0]["end_s"], 0.0);
    EXPECT_EQ(json["phases"][0]["fade_s"], 30.0);
    EXPECT_EQ(json["phases"][0]["playlist"], "arrival");
    EXPECT_EQ(json["phases"][0]["volume"], 25.0);
    EXPECT_TRUE(json["phases"][5]["end_s"].is_null());
    EXPECT_EQ(json["reminders"][0]["id"], "bp");
    EXPECT_EQ(json["reminders"][0]["at_s"], (nlohmann::json{900.0, 1800.0, 2700.0, 3600.0}));
}

TEST(Plan, TextTableListsEveryPhaseAndReminder) {
    auto result = plan_session(shared_room(), "iv-ketamine");
    ASSERT_TRUE(result.plan);
    const auto text = format_plan(*result.plan);
    for (const auto* expected :
         {"IV ketamine (iv-ketamine)", "arrival", "welcome (30s)", "-10m", "recovery (2m)",
          "+1h30m", "bp \"Check blood pressure\": +15m +30m +45m +1h"})
        EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
}

TEST(Plan, OffsetsReadAsTimesFromT0) {
    EXPECT_EQ(format_offset(std::nullopt), "—");
    EXPECT_EQ(format_offset(0ms), "T0");
    EXPECT_EQ(format_offset(15min), "+15m");
    EXPECT_EQ(format_offset(-10min), "-10m");
    EXPECT_EQ(format_offset(90min), "+1h30m");
}

}  // namespace
}  // namespace haven::engine::testing
