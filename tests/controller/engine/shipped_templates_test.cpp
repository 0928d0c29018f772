// The shipped templates (config/templates/ketamine.yaml via the demo room) run through the
// engine: every phase is reached in order, and the clinically important times are exact.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"
#include "loader.hpp"
#include "session_plan.hpp"

namespace haven::engine::testing {
namespace {

std::shared_ptr<const config::RoomConfig> demo_room() {
    auto loaded =
        config::load_room_config(std::string(HAVEN_SOURCE_DIR) + "/config/rooms/demo.yaml");
    for (const auto& d : loaded.diagnostics)
        ADD_FAILURE() << d.to_string();
    if (!loaded.config) return nullptr;
    return std::make_shared<const config::RoomConfig>(std::move(*loaded.config));
}

struct ShippedCase {
    std::string template_id;
    Millis infusion_length;
    std::map<std::string, Millis> phase_starts;                 // from T0
    std::map<std::string, std::vector<Millis>> reminder_times;  // from T0
    Millis min_observation;
};

class ShippedTemplate : public ::testing::TestWithParam<ShippedCase> {};

TEST_P(ShippedTemplate, PlansAsTheClinicExpects) {
    const auto& c = GetParam();
    auto room = demo_room();
    ASSERT_TRUE(room);
    auto result = plan_session(room, c.template_id, {.infusion_length = c.infusion_length});
    ASSERT_TRUE(result.plan) << result.error;
    const auto& plan = *result.plan;
    EXPECT_EQ(plan.min_observation, c.min_observation);
    for (std::size_t i = 0; i < plan.phases.size(); ++i) {
        const auto& phase = plan.phases[i];
        ASSERT_TRUE(phase.start) << phase.id << " is never reached";
        EXPECT_FALSE(phase.scene.empty()) << phase.id;
        if (i + 1 < plan.phases.size()) {
            EXPECT_EQ(phase.end, plan.phases[i + 1].start) << phase.id;
        }
    }
    for (const auto& [id, start] : c.phase_starts) {
        auto it = std::find_if(plan.phases.begin(), plan.phases.end(),
                               [&](const auto& p) { return p.id == id; });
        ASSERT_NE(it, plan.phases.end()) << id;
        EXPECT_EQ(it->start, start) << id;
    }
    for (const auto& [id, times] : c.reminder_times) {
        auto it = std::find_if(plan.reminders.begin(), plan.reminders.end(),
                               [&](const auto& r) { return r.id == id; });
        ASSERT_NE(it, plan.reminders.end()) << id;
        EXPECT_EQ(it->at, times) << id;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Templates, ShippedTemplate,
    ::testing::Values(
        ShippedCase{"iv-ketamine",
                    40min,
                    {{"arrival", -10min},
                     {"onset", 0min},
                     {"peak", 10min},
                     {"return", 40min},
                     {"recovery", 60min}},
                    {{"bp", {15min, 30min, 45min, 60min}}},
                    0min},
        ShippedCase{"im-ketamine",
                    1min,
                    {{"onset", 0min}, {"journey", 5min}, {"return", 60min}, {"recovery", 75min}},
                    {{"bp", {15min, 30min, 45min, 60min, 75min, 90min}}},
                    0min},
        ShippedCase{"sublingual-ketamine",
                    10min,
                    {{"hold", 0min},
                     {"onset", 10min},
                     {"peak", 20min},
                     {"return", 60min},
                     {"recovery", 100min}},
                    {{"spit", {10min}}, {"bp", {20min, 40min, 60min, 80min, 100min, 120min}}},
                    0min},
        // Two devices 5 min apart: stop at +5m, dosing ends a minute later.
        ShippedCase{"esketamine-nasal",
                    5min,
                    {{"dosing", 0min},
                     {"onset", 6min},
                     {"peak", 26min},
                     {"return", 56min},
                     {"recovery", 86min}},
                    {{"bp-40", {40min}}, {"bp-discharge", {115min}}},
                    2h}),
    [](const auto& param_info) {
        auto name = param_info.param.template_id;
        std::erase(name, '-');
        return name;
    });

TEST(ShippedTemplates, EsketamineRefusesEndBeforeTwoHoursOfObservation) {
    auto room = demo_room();
    ASSERT_TRUE(room);
    Driver d{room};
    ASSERT_TRUE(d.start("esketamine-nasal").accepted);
    d.at(10min, "infusion_start");
    d.at(15min, "infusion_stop");
    d.advance(2h);
    EXPECT_EQ(d.at(2h, "end").reason, "minimum observation: 10m remaining (end force overrides)");
    EXPECT_TRUE(d.at(2h + 10min, "end").accepted);
}

}  // namespace
}  // namespace haven::engine::testing
