// Reminders: due once, pending until acknowledged, missed when the next falls due. They run on
// real elapsed time from their anchor: pauses and holds never delay a clinical check.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"

namespace haven::engine::testing {
namespace {

struct DueCase {
    std::string name;
    std::vector<std::pair<Millis, std::string>> events;  // after start at 0
    std::vector<Millis> expected_due;
};

class ReminderTimes : public ::testing::TestWithParam<DueCase> {};

TEST_P(ReminderTimes, FallDueEveryIntervalOfRealTimeFromTheAnchor) {
    const auto& c = GetParam();
    Driver d;
    d.start();
    for (const auto& [when, text] : c.events)
        ASSERT_TRUE(d.at(when, text).accepted) << text;
    d.advance(6h);
    EXPECT_EQ(d.times_of("reminder_due", "reminder", "bp"), c.expected_due);
}

INSTANTIATE_TEST_SUITE_P(
    IvKetamine, ReminderTimes,
    ::testing::Values(
        // every 15m from T0 until infusion_stop + 30m (80m): 25, 40, 55, 70 (T0 + 60m)
        DueCase{"Typical",
                {{10min, "infusion_start"}, {50min, "infusion_stop"}},
                {25min, 40min, 55min, 70min}},
        DueCase{"NoInfusionNoReminders", {}, {}},
        // Paused 10m at 30m: nothing slides (a pause is when checks matter most); the until
        // is the real stop at 60m + 30m = 90m.
        DueCase{"AcrossPause",
                {{10min, "infusion_start"},
                 {30min, "infusion_pause"},
                 {40min, "infusion_resume"},
                 {60min, "infusion_stop"}},
                {25min, 40min, 55min, 70min, 85min}},
        // Stopped while paused: the until counts from the real stop.
        DueCase{"StopWhilePaused",
                {{10min, "infusion_start"}, {30min, "infusion_pause"}, {50min, "infusion_stop"}},
                {25min, 40min, 55min, 70min}},
        // Until exactly on a due time includes it: stop at 40m -> until 100m (T0 + 60m).
        DueCase{"UntilIsInclusive",
                {{10min, "infusion_start"}, {40min, "infusion_stop"}},
                {25min, 40min, 55min, 70min}},
        // Hold freezes the phase, not the clinical checks.
        DueCase{"HoldDoesNotDelay",
                {{10min, "infusion_start"}, {12min, "hold"}, {50min, "infusion_stop"}},
                {25min, 40min, 55min, 70min}}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Reminders, DueRecordAndAlertCarryTheText) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    auto out = d.advance(25min);
    auto due = d.records_of("reminder_due");
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].data, (nlohmann::json{{"type", "reminder_due"},
                                           {"reminder", "bp"},
                                           {"text", "Check blood pressure"},
                                           {"seq", 1}}));
    EXPECT_EQ(std::get<AlertEffect>(out.effects.back()),
              (AlertEffect{"reminder_due", "Check blood pressure"}));
    auto pending = d.snap(26min).pending_reminders;
    ASSERT_EQ(pending.size(), 1u);
    EXPECT_EQ(pending[0], (PendingReminder{"bp", "Check blood pressure", 1, 25min}));
}

TEST(Reminders, UnacknowledgedIsMissedWhenTheNextFallsDue) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    auto out = d.advance(40min);
    auto missed = d.records_of("reminder_missed");
    ASSERT_EQ(missed.size(), 1u);
    EXPECT_EQ(missed[0].at, 40min);
    EXPECT_EQ(missed[0].data["seq"], 1);
    // missed is recorded before the new one falls due
    EXPECT_EQ(out.records.at(out.records.size() - 2).data["type"], "reminder_missed");
    EXPECT_EQ(out.records.back().data["seq"], 2);
    auto s = d.snap(40min);
    EXPECT_EQ(s.missed_reminders, 1);
    ASSERT_EQ(s.pending_reminders.size(), 1u);
    EXPECT_EQ(s.pending_reminders[0].seq, 2);
}

TEST(Reminders, AcknowledgedIsNeverMissed) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.advance(25min);
    auto out = d.at(27min, "ack bp", bedside);
    ASSERT_TRUE(out.accepted) << out.reason;
    EXPECT_EQ(out.records.at(0).data, (nlohmann::json{{"type", "reminder_acknowledged"},
                                                      {"reminder", "bp"},
                                                      {"seq", 1},
                                                      {"source", "button:bedside"}}));
    d.advance(40min);
    EXPECT_TRUE(d.records_of("reminder_missed").empty());
    EXPECT_EQ(d.snap(40min).missed_reminders, 0);
}

TEST(Reminders, AckWithoutIdTakesTheOldestPending) {
    auto room = ketamine_room();
    auto& t = room.templates["iv-ketamine"];
    t.reminders.push_back(config::Reminder{.id = "breath",
                                           .text = "Check breathing",
                                           .every = 10min,
                                           .from = {config::Anchor::infusion_start, 0ms}});
    Driver d{shared_room(room)};
    d.start();
    d.at(0ms, "infusion_start");
    d.advance(15min);  // breath at 10m, bp at 15m
    ASSERT_EQ(d.snap(15min).pending_reminders.size(), 2u);
    auto out = d.at(16min, "ack");
    EXPECT_EQ(out.records.at(0).data["reminder"], "breath");
    EXPECT_EQ(d.snap(16min).pending_reminders.at(0).id, "bp");
    EXPECT_EQ(d.at(17min, "ack breath").reason, "reminder breath is not pending");
    EXPECT_EQ(d.at(18min, "ack nosuch").reason, "reminder nosuch is not pending");
}

// The rule changed (issue 16): a pause used to freeze the checks with the phases. Now only
// the phases stand still; the checks keep falling due every 15 m of real time.
TEST(Reminders, PausedInfusionKeepsTheChecksOnRealTime) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(20min, "infusion_pause");
    d.advance(2h);
    EXPECT_EQ(d.times_of("reminder_due", "reminder", "bp"),
              (std::vector<Millis>{25min, 40min, 55min, 70min, 85min, 100min, 115min}));
    EXPECT_EQ(d.snap(2h).phase_id, "onset");  // the phase stood still: 5 m of it are left
    d.at(2h, "infusion_resume");
    EXPECT_EQ(d.engine.next_wake(), 2h + 5min);
    d.advance(2h + 5min);
    EXPECT_EQ(d.phase_start("deep"), 2h + 5min);
}

TEST(Reminders, WithoutUntilRunUntilTheSessionEnds) {
    auto room = ketamine_room();
    room.templates["iv-ketamine"].reminders[0].until.reset();
    Driver d{shared_room(room)};
    d.start();
    d.at(0ms, "infusion_start");
    d.at(40min, "infusion_stop");
    d.advance(5h);
    EXPECT_EQ(d.times_of("reminder_due").size(), 20u);
    d.at(5h, "end");
    EXPECT_FALSE(d.engine.next_wake().has_value());
}

}  // namespace
}  // namespace haven::engine::testing
