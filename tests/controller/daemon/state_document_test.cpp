// The state document is the contract with automation, Home Assistant and the panel: its
// field names and units are pinned here.
#include "state_document.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "session_snapshot.hpp"

namespace haven::daemon {
namespace {

config::RoomConfig small_room() {
    config::RoomConfig room;
    room.room = {.id = "cedar", .name = "Cedar Room"};
    config::SessionTemplate t{.id = "iv", .name = "IV"};
    t.phases.push_back({.id = "arrival", .until = config::AnchorPoint{}});
    t.phases.push_back({.id = "onset", .duration = Millis{600'000}});
    t.min_observation = Millis{7'200'000};
    room.templates.emplace("iv", t);
    return room;
}

TEST(StateDocument, IdleRoomHasNullSessionAndListsTemplates) {
    auto room = small_room();
    auto doc = state_document({.room = room, .version = "1.2.3"});
    EXPECT_TRUE(doc["session"].is_null());
    EXPECT_EQ(doc["room"]["id"], "cedar");
    EXPECT_EQ(doc["version"], "1.2.3");
    ASSERT_EQ(doc["templates"].size(), 1U);
    EXPECT_EQ(doc["templates"][0]["min_observation_s"], 7200);
}

TEST(StateDocument, AlarmsAreAnEmptyListUntilTheJournalCannotBeWritten) {
    auto room = small_room();
    EXPECT_EQ(state_document({.room = room})["alarms"], nlohmann::json::array());
    const std::optional<std::string> healthy;
    EXPECT_EQ(state_document({.room = room, .journal_problem = &healthy})["alarms"],
              nlohmann::json::array());
    const std::optional<std::string> full = "the session journal cannot be written (disk full)";
    auto alarms = state_document({.room = room, .journal_problem = &full})["alarms"];
    ASSERT_EQ(alarms.size(), 1U);
    EXPECT_EQ(alarms[0]["kind"], "journal");
    EXPECT_EQ(alarms[0]["text"], *full);
}

TEST(StateDocument, AResumeThatCouldNotCountTimeDownIsAnAlarmBesideTheJournals) {
    auto room = small_room();
    const std::optional<std::string> full = "the session journal cannot be written (disk full)";
    const std::optional<std::string> clock = "the time the room was off is not counted";
    auto alarms =
        state_document({.room = room, .journal_problem = &full, .clock_problem = &clock})["alarms"];
    ASSERT_EQ(alarms.size(), 2U);
    EXPECT_EQ(alarms[1]["kind"], "clock");
    EXPECT_EQ(alarms[1]["text"], *clock);
    const std::optional<std::string> none;
    EXPECT_EQ(state_document({.room = room, .clock_problem = &none})["alarms"],
              nlohmann::json::array());
}

TEST(StateDocument, SessionFieldsAreInWholeSecondsWithNullForUnknown) {
    auto room = small_room();
    engine::SessionSnapshot s;
    s.id = "abc";
    s.template_id = "iv";
    s.phase_id = "onset";
    s.phase_index = 1;
    s.phase_count = 2;
    s.elapsed = Millis{125'400};
    s.phase_remaining = Millis{59'999};
    s.infusion = engine::InfusionState::paused;
    s.infusion_elapsed = Millis{61'000};
    s.pending_reminders.push_back({.id = "bp", .text = "Blood pressure check", .seq = 2});
    auto doc = state_document({.room = room, .session = &s});
    const auto& j = doc["session"];
    EXPECT_EQ(j["phase"], "onset");
    EXPECT_EQ(j["elapsed_s"], 125);
    EXPECT_EQ(j["phase_remaining_s"], 59);
    EXPECT_EQ(j["infusion"], "paused");
    EXPECT_EQ(j["infusion_elapsed_s"], 61);
    EXPECT_TRUE(j["min_observation_remaining_s"].is_null());
    EXPECT_EQ(j["next_reminder"], "Blood pressure check");
    EXPECT_EQ(j["reminders_pending"][0]["seq"], 2);
    ASSERT_EQ(j["phases"].size(), 2U);
    EXPECT_TRUE(j["phases"][0]["planned_s"].is_null());
    EXPECT_EQ(j["phases"][0]["until"], "infusion_start");
    EXPECT_EQ(j["phases"][1]["planned_s"], 600);
}

TEST(StateDocument, InfusionElapsedIsNullBeforeT0) {
    auto room = small_room();
    engine::SessionSnapshot s;
    s.template_id = "iv";
    auto doc = state_document({.room = room, .session = &s});
    EXPECT_TRUE(doc["session"]["infusion_elapsed_s"].is_null());
    EXPECT_EQ(doc["session"]["infusion"], "none");
}

TEST(StateDocument, RemindersCarryWhenTheyFallOrFellDue) {
    auto room = small_room();
    engine::SessionSnapshot s;
    s.template_id = "iv";
    s.infusion = engine::InfusionState::running;
    s.at = Millis{1'800'000};
    // Fell due 90.5 s ago; the next two are 14 min 59.6 s and 29 min 59.6 s away.
    s.pending_reminders.push_back(
        {.id = "bp", .text = "Blood pressure", .seq = 1, .due_at = Millis{1'709'500}});
    s.upcoming_reminders.push_back(
        {.id = "bp", .text = "Blood pressure", .seq = 2, .due_in = Millis{899'600}});
    s.upcoming_reminders.push_back(
        {.id = "bp", .text = "Blood pressure", .seq = 3, .due_in = Millis{1'799'600}});
    auto doc = state_document({.room = room, .session = &s});
    const auto& j = doc["session"];
    ASSERT_EQ(j["reminders_pending"].size(), 1U);
    EXPECT_EQ(j["reminders_pending"][0]["due_in_s"], -90);
    EXPECT_EQ(j["reminders_upcoming"],
              (nlohmann::json{
                  {{"id", "bp"}, {"text", "Blood pressure"}, {"seq", 2}, {"due_in_s", 899}},
                  {{"id", "bp"}, {"text", "Blood pressure"}, {"seq", 3}, {"due_in_s", 1799}}}));
    // The pending one is still the one the therapist must answer.
    EXPECT_EQ(j["next_reminder"], "Blood pressure");
}

TEST(StateDocument, NoRemindersMeansEmptyListsNotNull) {
    auto room = small_room();
    engine::SessionSnapshot s;
    s.template_id = "iv";
    auto doc = state_document({.room = room, .session = &s});
    EXPECT_EQ(doc["session"]["reminders_pending"], nlohmann::json::array());
    EXPECT_EQ(doc["session"]["reminders_upcoming"], nlohmann::json::array());
    EXPECT_TRUE(doc["session"]["next_reminder"].is_null());
}

TEST(PublicEvent, TherapistNotesNeverLeaveTheRoom) {
    auto mark =
        public_event({{"type", "mark"}, {"text", "patient asked for water"}, {"source", "panel"}});
    EXPECT_FALSE(mark.contains("text"));
    EXPECT_EQ(mark["type"], "mark");
    auto rejected = public_event(
        {{"type", "command_rejected"}, {"command", "mark private words"}, {"reason", "x"}});
    EXPECT_EQ(rejected["command"], "mark");
    auto phase = public_event({{"type", "phase_entered"}, {"phase", "onset"}});
    EXPECT_EQ(phase["phase"], "onset");
}

}  // namespace
}  // namespace haven::daemon
