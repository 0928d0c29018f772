// The snapshot's upcoming reminders: what the panel's timeline draws before they fall due.
#include <gtest/gtest.h>

#include "ketamine_room.hpp"

namespace haven::engine::testing {
namespace {

std::vector<std::pair<int, Millis>> upcoming(const Driver& d, EngineTime now) {
    std::vector<std::pair<int, Millis>> seen;
    auto snap = d.engine.snapshot(now);
    if (!snap) return seen;
    for (const auto& r : snap->upcoming_reminders) {
        EXPECT_EQ(r.id, "bp");
        EXPECT_FALSE(r.text.empty());
        seen.emplace_back(r.seq, r.due_in);
    }
    return seen;
}

using Upcoming = std::vector<std::pair<int, Millis>>;

TEST(SnapshotReminders, NoneBeforeTheInfusionStarts) {
    Driver d;
    d.start();
    d.advance(5min);
    EXPECT_EQ(upcoming(d, 5min), Upcoming{});
}

// iv-ketamine: bp every 15m from T0 until infusion_stop + 30m.
TEST(SnapshotReminders, ListsTheNextOnesSoonestFirstWithTimeToGo) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.advance(12min);
    // The stop is not known yet: the list runs to the horizon, capped.
    const auto open_ended = upcoming(d, 12min);
    ASSERT_EQ(open_ended.size(), upcoming_reminder_limit);
    EXPECT_EQ(open_ended[0], (std::pair<int, Millis>{1, 13min}));
    EXPECT_EQ(open_ended[1], (std::pair<int, Millis>{2, 28min}));
    // Once stopped at 50m, the last is at T0 + 60m (70m): 25m, 40m due; 55m, 70m to come.
    d.at(50min, "infusion_stop");
    EXPECT_EQ(upcoming(d, 50min), (Upcoming{{3, 5min}, {4, 20min}}));
}

TEST(SnapshotReminders, ADueReminderLeavesTheListAndIsPendingWithItsDueTime) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.advance(26min);
    auto snap = d.engine.snapshot(26min);
    ASSERT_TRUE(snap);
    ASSERT_EQ(snap->pending_reminders.size(), 1u);
    EXPECT_EQ(snap->pending_reminders[0].due_at, 25min);
    EXPECT_EQ(snap->at, 26min);
    ASSERT_FALSE(snap->upcoming_reminders.empty());
    EXPECT_EQ(snap->upcoming_reminders[0].seq, 2);
    EXPECT_EQ(snap->upcoming_reminders[0].due_in, 14min);
}

// Checks run on real time (issue 16): a pause no longer stops their countdown.
TEST(SnapshotReminders, TimeToGoKeepsCountingWhileTheInfusionIsPaused) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(20min, "infusion_pause");
    EXPECT_EQ(upcoming(d, 20min).front(), (std::pair<int, Millis>{1, 5min}));
    EXPECT_EQ(upcoming(d, 24min).front(), (std::pair<int, Millis>{1, 1min}));
    d.advance(45min);  // 25 m and 40 m fell due while paused
    EXPECT_EQ(upcoming(d, 45min).front(), (std::pair<int, Millis>{3, 10min}));
    d.at(45min, "infusion_resume");
    d.advance(47min);
    EXPECT_EQ(upcoming(d, 47min).front(), (std::pair<int, Millis>{3, 8min}));
}

TEST(SnapshotReminders, EngineJsonCarriesThemInMilliseconds) {
    Driver d;
    d.start();
    d.at(10min, "infusion_start");
    d.at(50min, "infusion_stop");
    auto json = to_json(*d.engine.snapshot(50min));
    ASSERT_EQ(json["reminders"]["upcoming"].size(), 2u);
    EXPECT_EQ(json["reminders"]["upcoming"][0]["due_in_ms"], Millis{5min}.count());
    EXPECT_EQ(json["reminders"]["upcoming"][0]["seq"], 3);
}

}  // namespace
}  // namespace haven::engine::testing
