#include "repeat_folder.hpp"

#include <gtest/gtest.h>

namespace haven {
namespace {

using namespace std::chrono_literals;
using Summary = RepeatFolder::Summary;
const RepeatFolder::TimePoint t0{};

TEST(RepeatFolder, TheFirstIsWrittenAndRepeatsInTheMinuteAreCounted) {
    RepeatFolder folder;
    EXPECT_TRUE(folder.note("mqtt", "refused:ack", t0));
    for (int i = 1; i <= 1000; ++i)
        EXPECT_FALSE(folder.note("mqtt", "refused:ack", t0 + i * 10ms));
    EXPECT_TRUE(folder.close_due(t0 + 59s).empty());
    EXPECT_EQ(folder.next_close(), t0 + 60s);
    EXPECT_EQ(folder.close_due(t0 + 60s),
              (std::vector<Summary>{{"mqtt", "refused:ack", 1000, 60s}}));
}

TEST(RepeatFolder, EachSourceAndKindHasItsOwnWindow) {
    RepeatFolder folder;
    EXPECT_TRUE(folder.note("mqtt", "refused:ack", t0));
    // A therapist's refused command is seen at once, whatever a script floods.
    EXPECT_TRUE(folder.note("panel", "refused:ack", t0 + 1s));
    EXPECT_TRUE(folder.note("mqtt", "refused:extend", t0 + 2s));
    EXPECT_FALSE(folder.note("mqtt", "refused:ack", t0 + 3s));
    EXPECT_EQ(folder.close_due(t0 + 62s), (std::vector<Summary>{{"mqtt", "refused:ack", 1, 60s}}));
}

TEST(RepeatFolder, ASteadyFloodGivesOneSummaryAMinuteAndAQuietWindowEnds) {
    RepeatFolder folder;
    ASSERT_TRUE(folder.note("mqtt", "malformed:volume", t0));
    int written = 1;
    std::uint64_t counted = 0;
    for (auto t = t0 + 100ms; t < t0 + 180s; t += 100ms) {
        written += folder.note("mqtt", "malformed:volume", t) ? 1 : 0;
        for (const auto& s : folder.close_due(t))
            counted += s.repeats;
    }
    EXPECT_EQ(written, 1);
    const auto third = folder.close_due(t0 + 180s);  // the third minute's summary
    ASSERT_EQ(third.size(), 1u);
    counted += third[0].repeats;
    EXPECT_EQ(folder.open_windows(), 1u);
    EXPECT_TRUE(folder.close_due(t0 + 240s).empty());  // nothing in the fourth: it ends
    EXPECT_EQ(folder.open_windows(), 0u);
    EXPECT_FALSE(folder.next_close());
    EXPECT_TRUE(folder.note("mqtt", "malformed:volume", t0 + 241s));
    EXPECT_EQ(counted, 1799u) << "every occurrence but the first, each in one summary";
}

TEST(RepeatFolder, AQuietWindowNotYetClosedDoesNotHoldBackTheNextFirst) {
    RepeatFolder folder;
    EXPECT_TRUE(folder.note("button:therapist", "ignored", t0));
    EXPECT_TRUE(folder.note("button:therapist", "ignored", t0 + 61s));  // no close_due() ran
}

TEST(RepeatFolder, ARepeatAfterItsWindowWaitsForTheSummaryNotWrittenTwice) {
    RepeatFolder folder;
    EXPECT_TRUE(folder.note("mqtt", "k", t0));
    EXPECT_FALSE(folder.note("mqtt", "k", t0 + 30s));
    EXPECT_FALSE(folder.note("mqtt", "k", t0 + 61s));  // the timer is late: still counted
    EXPECT_EQ(folder.close_due(t0 + 61s), (std::vector<Summary>{{"mqtt", "k", 2, 60s}}));
}

TEST(RepeatFolder, SprayingSourcesIsCountedUnderOneOverflowKey) {
    RepeatFolder folder(60s, 4);
    for (int i = 0; i < 4; ++i)
        EXPECT_TRUE(folder.note("10.0.0." + std::to_string(i), "wrong pin", t0));
    EXPECT_TRUE(folder.note("10.0.0.99", "wrong pin", t0));  // the overflow's first
    for (int i = 100; i < 10000; ++i)
        EXPECT_FALSE(folder.note("10.0." + std::to_string(i), "wrong pin", t0 + 1s));
    EXPECT_EQ(folder.open_windows(), 5u);
    auto due = folder.close_due(t0 + 60s);
    ASSERT_EQ(due.size(), 1u);
    EXPECT_EQ(due[0].source, RepeatFolder::overflow_source);
    EXPECT_EQ(due[0].repeats, 9900u);
}

TEST(RepeatFolder, FlushAtShutdownSummarisesEveryOpenWindowAndForgetsThem) {
    RepeatFolder folder;
    folder.note("mqtt", "a", t0);
    folder.note("mqtt", "a", t0 + 1s);
    folder.note("mqtt", "a", t0 + 2s);
    folder.note("panel", "b", t0 + 5s);  // no repeats: nothing to say
    EXPECT_EQ(folder.flush(t0 + 10s), (std::vector<Summary>{{"mqtt", "a", 2, 10s}}));
    EXPECT_EQ(folder.open_windows(), 0u);
    EXPECT_TRUE(folder.flush(t0 + 11s).empty());
}

TEST(RepeatFolder, ALateTimerOwesOneSummaryNotOnePerMissedMinute) {
    RepeatFolder folder;
    folder.note("mqtt", "k", t0);
    folder.note("mqtt", "k", t0 + 1s);
    EXPECT_EQ(folder.close_due(t0 + 600s).size(), 1u);
    EXPECT_TRUE(folder.close_due(t0 + 600s).empty());
    EXPECT_EQ(folder.next_close(), t0 + 660s);
}

}  // namespace
}  // namespace haven
