// Session lifecycle: start, end, one session at a time, min_observation, config changes.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"

namespace haven::engine::testing {
namespace {

TEST(Lifecycle, StartEntersFirstPhaseWithSceneAndMusic) {
    Driver d;
    auto out = d.start();
    ASSERT_TRUE(out.accepted) << out.reason;
    ASSERT_EQ(out.records.size(), 2u);
    EXPECT_EQ(out.records[0].data["type"], "session_started");
    EXPECT_EQ(out.records[0].data["session"], "s-0001");
    EXPECT_EQ(out.records[0].data["template"], "iv-ketamine");
    EXPECT_EQ(out.records[0].data["template_name"], "IV ketamine");
    EXPECT_EQ(out.records[1].data["type"], "phase_entered");
    EXPECT_EQ(out.records[1].data["phase"], "arrival");
    EXPECT_EQ(out.records[1].data["index"], 0);
    EXPECT_EQ(out.records[1].data["count"], 6);
    ASSERT_EQ(out.effects.size(), 2u);
    const auto& scene = std::get<SceneEffect>(out.effects[0]);
    EXPECT_EQ(scene.scene, "welcome");
    EXPECT_EQ(scene.fade, 30s);
    EXPECT_EQ(scene.targets.at("ceiling"), (config::LightTarget{60, 2700}));
    EXPECT_EQ(std::get<MusicEffect>(out.effects[1]), (MusicEffect{"arrival", 25, 8s}));
    EXPECT_TRUE(d.engine.session_open());
    EXPECT_EQ(d.snap(0ms).phase_id, "arrival");
}

struct RejectedStart {
    std::string name;
    std::string template_id;
    std::string session_id;
    bool open_first;
    std::string reason;
};

class StartRejection : public ::testing::TestWithParam<RejectedStart> {};

TEST_P(StartRejection, IsRejectedWithReasonAndRecorded) {
    const auto& c = GetParam();
    Driver d;
    if (c.open_first) {
        ASSERT_TRUE(d.start().accepted);
    }
    auto out = d.engine.handle(cue("start " + c.template_id), bedside, 5s, c.session_id);
    EXPECT_FALSE(out.accepted);
    EXPECT_EQ(out.reason, c.reason);
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0].data["type"], "command_rejected");
    EXPECT_EQ(out.records[0].data["command"], "start");
    EXPECT_EQ(out.records[0].data["reason"], c.reason);
    EXPECT_EQ(out.records[0].data["source"], "button:bedside");
    EXPECT_TRUE(out.effects.empty());
    EXPECT_EQ(d.engine.session_open(), c.open_first);
}

INSTANTIATE_TEST_SUITE_P(Cases, StartRejection,
                         ::testing::Values(RejectedStart{"UnknownTemplate", "im-ketamine", "s-2",
                                                         false, "no template named 'im-ketamine'"},
                                           RejectedStart{"NoSessionId", "iv-ketamine", "", false,
                                                         "start needs a session id"},
                                           RejectedStart{"SecondSession", "esketamine", "s-2", true,
                                                         "a session is already open"}),
                         [](const auto& param_info) { return param_info.param.name; });

TEST(Lifecycle, TemplateWithoutPhasesIsRejected) {
    auto room = ketamine_room();
    room.templates["empty"] = config::SessionTemplate{.id = "empty", .name = "Empty"};
    Driver d{shared_room(room)};
    auto out = d.start("empty");
    EXPECT_FALSE(out.accepted);
    EXPECT_EQ(out.reason, "template 'empty' has no phases");
}

class WithoutSession : public ::testing::TestWithParam<std::string> {};

TEST_P(WithoutSession, CommandsAreRejected) {
    Driver d;
    auto out = d.at(1s, GetParam());
    EXPECT_FALSE(out.accepted);
    EXPECT_EQ(out.reason, "no session is open");
    EXPECT_FALSE(d.engine.snapshot(1s).has_value());
    EXPECT_FALSE(d.engine.next_wake().has_value());
    EXPECT_TRUE(d.engine.reassert(1s).empty());
}

INSTANTIATE_TEST_SUITE_P(Cues, WithoutSession,
                         ::testing::Values("end", "infusion_start", "next", "extend 5m", "hold",
                                           "assist", "volume 30", "ack", "mark hello"));

TEST(Lifecycle, EndFadesToEndSceneStopsMusicAndCloses) {
    Driver d;
    d.start();
    auto out = d.at(5min, "end");
    ASSERT_TRUE(out.accepted) << out.reason;
    ASSERT_EQ(out.effects.size(), 2u);
    EXPECT_EQ(std::get<SceneEffect>(out.effects[0]).scene, "discharge");
    EXPECT_EQ(std::get<SceneEffect>(out.effects[0]).fade, 2min);
    EXPECT_EQ(std::get<MusicStopEffect>(out.effects[1]).fade, 30s);
    ASSERT_EQ(out.records.size(), 1u);
    EXPECT_EQ(out.records[0].data["type"], "session_ended");
    EXPECT_EQ(out.records[0].data["forced"], false);
    EXPECT_FALSE(d.engine.session_open());
    EXPECT_FALSE(d.engine.snapshot(5min).has_value());
    // The room is free for the next session.
    EXPECT_TRUE(d.engine.handle(cue("start esketamine"), panel, 6min, "s-0002").accepted);
}

struct EndCase {
    std::string name;
    Millis end_at;  // infusion starts at 10m
    bool force;
    bool accepted;
    std::string reason;
};

class MinObservation : public ::testing::TestWithParam<EndCase> {};

TEST_P(MinObservation, EndIsRefusedUntilTwoHoursAfterFirstDoseUnlessForced) {
    const auto& c = GetParam();
    Driver d;
    d.start("esketamine");
    d.at(10min, "infusion_start");
    auto out = d.at(c.end_at, c.force ? "end force" : "end");
    EXPECT_EQ(out.accepted, c.accepted) << out.reason;
    EXPECT_EQ(out.reason, c.reason);
    EXPECT_EQ(d.engine.session_open(), !c.accepted);
    if (c.accepted) {
        auto ended = d.records_of("session_ended");
        ASSERT_EQ(ended.size(), 1u);
        EXPECT_EQ(ended[0].data["forced"], c.force);
        const bool overridden = c.end_at < 130min;
        EXPECT_EQ(ended[0].data.contains("observation_remaining_ms"), overridden);
        if (overridden) {
            EXPECT_EQ(ended[0].data["observation_remaining_ms"], (130min - c.end_at).count());
        }
    }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MinObservation,
    ::testing::Values(EndCase{"OneHourIn", 70min, false, false,
                              "minimum observation: 1h remaining (end force overrides)"},
                      EndCase{"SecondsShortRoundsUp", 130min - 1500ms, false, false,
                              "minimum observation: 2s remaining (end force overrides)"},
                      EndCase{"ForcedEarly", 70min, true, true, ""},
                      EndCase{"ExactlyTwoHours", 130min, false, true, ""},
                      EndCase{"Later", 200min, false, true, ""}),
    [](const auto& param_info) { return param_info.param.name; });

TEST(Lifecycle, EndBeforeAnyDoseIsAllowed) {
    Driver d;
    d.start("esketamine");
    EXPECT_TRUE(d.at(20min, "end").accepted);
}

TEST(Lifecycle, MinObservationRemainingIsInTheSnapshot) {
    Driver d;
    d.start("esketamine");
    EXPECT_FALSE(d.snap(1min).min_observation_remaining.has_value());
    d.at(10min, "infusion_start");
    d.advance(40min);
    EXPECT_EQ(d.snap(40min).min_observation_remaining, 90min);
    EXPECT_EQ(d.snap(5h).min_observation_remaining, 0ms);
}

TEST(Lifecycle, PendingRemindersAreMissedAtEnd) {
    Driver d;
    d.start();
    d.at(1min, "infusion_start");
    d.advance(17min);
    auto out = d.at(17min, "end");
    ASSERT_TRUE(out.accepted);
    ASSERT_EQ(d.records_of("reminder_missed").size(), 1u);
    EXPECT_EQ(out.records.front().data["type"], "reminder_missed");
    EXPECT_EQ(out.records.back().data["type"], "session_ended");
}

TEST(Lifecycle, OpenSessionKeepsItsTemplateAfterSetConfig) {
    Driver d;
    d.start();
    auto changed = ketamine_room();
    changed.templates["iv-ketamine"].phases[1].duration = 5min;
    changed.scenes["deep"].lights["lamp"].level = 99;
    d.engine.set_config(shared_room(changed));
    d.at(10min, "infusion_start");
    d.advance(2h);
    EXPECT_EQ(d.phase_start("deep"), 25min);  // still 15 min of onset
    ASSERT_TRUE(d.at(2h, "end").accepted);

    // The next session takes the new config.
    ASSERT_TRUE(d.engine.handle(cue("start iv-ketamine"), panel, 3h, "s-0002").accepted);
    d.at(3h + 10min, "infusion_start");
    auto out = d.advance(3h + 15min);
    ASSERT_EQ(out.records.size(), 1u);  // onset is 5 minutes now
    EXPECT_EQ(out.records[0].data["phase"], "deep");
    EXPECT_EQ(out.records[0].at, 3h + 15min);
    EXPECT_EQ(std::get<SceneEffect>(out.effects[0]).targets.at("lamp").level, 99);
}

}  // namespace
}  // namespace haven::engine::testing

namespace haven::engine::testing {
namespace {

TEST(Lifecycle, TimeNeverRunsBackwards) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.advance(20min);
    auto out = d.at(5min, "mark late clock");  // an earlier time is taken as the last one seen
    ASSERT_TRUE(out.accepted);
    EXPECT_EQ(out.records.at(0).at, 20min);
    EXPECT_TRUE(d.advance(1min).records.empty());
    EXPECT_EQ(d.snap(20min).phase_remaining, 5min);
    EXPECT_EQ(d.engine.next_wake(), 25min);
}

TEST(Lifecycle, SnapshotJsonCarriesTheState) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(12min, "hold");
    d.advance(26min);
    auto json = to_json(d.snap(26min));
    EXPECT_EQ(json["session"], "s-0001");
    EXPECT_EQ(json["template"]["id"], "iv-ketamine");
    EXPECT_EQ(json["phase"]["id"], "onset");
    EXPECT_EQ(json["phase"]["index"], 1);
    EXPECT_EQ(json["phase"]["count"], 6);
    EXPECT_EQ(json["phase"]["remaining_ms"], Millis{13min}.count());  // held since 12m
    EXPECT_EQ(json["held"], true);
    EXPECT_EQ(json["assist"], false);
    EXPECT_EQ(json["elapsed_ms"], Millis{26min}.count());
    EXPECT_EQ(json["infusion"]["state"], "running");
    EXPECT_EQ(json["infusion"]["elapsed_ms"], Millis{16min}.count());
    EXPECT_EQ(json["reminders"]["pending"].size(), 1u);
    EXPECT_EQ(json["reminders"]["pending"][0]["due_at_ms"], Millis{25min}.count());
    EXPECT_EQ(json["reminders"]["missed"], 0);
    EXPECT_TRUE(json["min_observation_remaining_ms"].is_null());
    EXPECT_EQ(json["scene"], "onset");
    EXPECT_EQ(json["music"]["playlist"], "onset");
    EXPECT_EQ(json["music"]["volume"], 35.0);
}

TEST(Lifecycle, ChimeReachesTheReminderAlert) {
    auto room = ketamine_room();
    room.templates["iv-ketamine"].reminders[0].chime = true;
    Driver d{shared_room(room)};
    d.start();
    d.at(0ms, "infusion_start");
    auto out = d.advance(15min);
    EXPECT_EQ(std::get<AlertEffect>(out.effects.back()),
              (AlertEffect{"reminder_due", "Check blood pressure", true}));
}

}  // namespace
}  // namespace haven::engine::testing
