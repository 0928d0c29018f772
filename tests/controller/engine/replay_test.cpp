// Determinism: the journal resumes a session by replaying its inputs into a fresh engine.
// And no drift: a 4-hour session with thousands of events lands where `plan` said.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"
#include "session_plan.hpp"

namespace haven::engine::testing {
namespace {

struct Input {
    Millis at;
    std::string cue;
    CommandSource source;
    std::string session_id;
};

// A busy IV session: pauses, holds, extends, assist, acks, double presses and mistakes.
std::vector<Input> busy_session() {
    std::vector<Input> inputs{
        {0ms, "start iv-ketamine", panel, "s-42"},
        {3min, "volume 30", panel, {}},
        {9min, "infusion_stop", panel, {}},  // rejected: not started
        {10min, "infusion_start", bedside, {}},
        {10min + 200ms, "infusion_start", bedside, {}},  // debounced
        {14min, "hold", panel, {}},
        {17min, "release", panel, {}},
        {22min, "infusion_pause", panel, {}},
        {29min, "infusion_resume", panel, {}},
        {33min, "ack", panel, {}},
        {36min, "extend 4m", panel, {}},
        {41min, "assist", bedside, {}},
        {41min + 500ms, "assist", bedside, {}},  // debounced
        {42min, "emergency", bedside, {}},
        {44min, "assist_clear", panel, {}},
        {47min, "lights_down", panel, {}},
        {58min, "mark patient comfortable", panel, {}},
        {62min, "infusion_stop", panel, {}},
        {75min, "next", panel, {}},
        {80min, "ack bp", panel, {}},
        {95min, "music_next", panel, {}},
        {100min, "end", panel, {}},
    };
    return inputs;
}

struct RunLog {
    std::vector<std::string> records;  // JSON text with times, in order
    std::vector<Effect> effects;
    std::vector<bool> accepted;
};

void keep(RunLog& run, const Outcome& outcome) {
    for (const auto& r : outcome.records)
        run.records.push_back(std::to_string(r.at.count()) + " " + r.data.dump());
    run.effects.insert(run.effects.end(), outcome.effects.begin(), outcome.effects.end());
}

// Feeds the inputs; with `ticks`, also advances at odd moments between them, as a live
// daemon's timer would (a replay after a crash has no ticks).
RunLog feed(SessionEngine& engine, const std::vector<Input>& inputs, Millis until, bool ticks,
            std::optional<SessionSnapshot>* snapshot_before_end = nullptr) {
    RunLog run;
    Millis now = 0ms;
    for (const auto& input : inputs) {
        if (ticks) {
            for (now += 37s; now < input.at; now += 37s)
                keep(run, engine.advance(now));
        }
        if (input.cue == "end" && snapshot_before_end)
            *snapshot_before_end = engine.snapshot(input.at);
        auto out = engine.handle(cue(input.cue), input.source, input.at, input.session_id);
        run.accepted.push_back(out.accepted);
        keep(run, out);
        now = input.at;
    }
    keep(run, engine.advance(until));
    return run;
}

TEST(Replay, ReplayingInputsIntoAFreshEngineGivesTheSameSessionRecordAndState) {
    auto inputs = busy_session();
    inputs.pop_back();  // leave the session open, as at a crash
    SessionEngine live{shared_room()};
    SessionEngine replayed{shared_room()};
    const RunLog a = feed(live, inputs, 90min, true);
    const RunLog b = feed(replayed, inputs, 90min, false);
    EXPECT_EQ(a.records, b.records);
    EXPECT_EQ(a.effects, b.effects);
    EXPECT_EQ(a.accepted, b.accepted);
    EXPECT_EQ(live.snapshot(90min), replayed.snapshot(90min));
    EXPECT_EQ(live.next_wake(), replayed.next_wake());
    EXPECT_EQ(live.reassert(90min), replayed.reassert(90min));
    ASSERT_TRUE(live.snapshot(90min).has_value());
    EXPECT_EQ(to_json(*live.snapshot(90min)), to_json(*replayed.snapshot(90min)));
}

TEST(Replay, BusySessionIsRecordedAsExpected) {
    SessionEngine engine{shared_room()};
    std::optional<SessionSnapshot> before_end;
    const RunLog run = feed(engine, busy_session(), 2h, true, &before_end);
    const std::vector<bool> expected{true, true, false, true, false, true, true, true,
                                     true, true, true,  true, false, true, true, true,
                                     true, true, true,  true, true,  true};
    EXPECT_EQ(run.accepted, expected);
    ASSERT_TRUE(before_end.has_value());
    EXPECT_EQ(before_end->phase_id, "recovery");
    EXPECT_EQ(before_end->infusion_elapsed, 45min);  // 10m..62m less the 7m pause
    EXPECT_FALSE(engine.session_open());
}

TEST(Replay, FourHourSessionWithThousandsOfEventsLandsWherePlanSaid) {
    auto room = ketamine_room();
    room.templates["iv-ketamine"].phases.back().duration = 2h;  // discharge runs out too
    const auto shared = shared_room(room);
    const PlanOptions options{.infusion_start_after = 12min, .infusion_length = 47min};
    auto planned = plan_session(shared, "iv-ketamine", options);
    ASSERT_TRUE(planned.plan) << planned.error;

    Driver d{shared};
    d.start();
    const std::vector<std::string> harmless{"volume 30",    "lights_up",  "mark note",
                                            "lights_down",  "music_next", "assist",
                                            "assist_clear", "ack"};
    std::size_t events = 0;
    std::size_t n = 0;
    for (Millis t = 1s; t <= 4h; t += 4s + Millis{(n * 7919) % 3000}) {
        if (t >= options.infusion_start_after && d.snap(t).infusion == InfusionState::none)
            d.at(options.infusion_start_after, "infusion_start");
        if (t >= 12min + 47min && d.snap(t).infusion == InfusionState::running)
            d.at(12min + 47min, "infusion_stop");
        d.at(t, harmless[n++ % harmless.size()]);  // some rejected (nothing to ack): fine
        if (n % 3 == 0) d.advance(t + 1s);
        ++events;
    }
    d.advance(4h);
    EXPECT_GT(events, 2000u);
    for (const auto& phase : planned.plan->phases) {
        ASSERT_TRUE(phase.start.has_value()) << phase.id;
        EXPECT_EQ(d.phase_start(phase.id), *phase.start + options.infusion_start_after) << phase.id;
    }
    EXPECT_TRUE(d.snap(4h).phase_finished);
    std::vector<Millis> due;
    for (auto at : planned.plan->reminders.at(0).at)
        due.push_back(at + options.infusion_start_after);
    EXPECT_EQ(d.times_of("reminder_due"), due);
}

}  // namespace
}  // namespace haven::engine::testing
