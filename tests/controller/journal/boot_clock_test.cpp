// How long ago a journal entry was written, the measure of a resumed session's time down:
// the boot clock within one boot whatever the wall clock did, the wall clock across a reboot.
#include "boot_clock.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "journal_test_support.hpp"

namespace haven::journal {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

constexpr const char* kThisBoot = "7c1d3a52-5f0e-4b8e-9a51-0d6f2c9e4b11";
constexpr const char* kEarlierBoot = "0b9f6e2a-8d47-4c1f-b3a2-6e5d4c3b2a19";

Entry written_at(std::optional<BootStamp> boot) {
    auto entry = testing::make_entry("s1", "phase_entered", {{"phase", "onset"}}, 0);
    entry.boot = std::move(boot);
    return entry;
}

TEST(ElapsedSince, WithinOneBootTheBootClockAnswersWhateverTheWallClockDid) {
    const auto entry = written_at(BootStamp{kThisBoot, 1'000'000});
    const BootStamp now{kThisBoot, 1'004'000};  // 4 s later by the boot clock
    for (auto wall_step : {0h, 2h, -1h, -72h}) {
        const auto elapsed = elapsed_since(entry, now, entry.wall + 4s + wall_step);
        EXPECT_EQ(elapsed.length, 4s) << "wall clock stepped by " << wall_step.count() << " h";
        EXPECT_TRUE(elapsed.by_boot_clock);
        EXPECT_FALSE(elapsed.wall_clock_behind);
    }
}

TEST(ElapsedSince, AcrossARebootOnlyTheWallClockSpansTheGap) {
    const auto entry = written_at(BootStamp{kEarlierBoot, 9'000'000});
    const auto elapsed = elapsed_since(entry, BootStamp{kThisBoot, 40'000}, entry.wall + 10min);
    EXPECT_EQ(elapsed.length, 10min);
    EXPECT_FALSE(elapsed.by_boot_clock);
    EXPECT_FALSE(elapsed.wall_clock_behind);
}

TEST(ElapsedSince, AWallClockBehindTheEntryAfterARebootCountsNoTimeAndSaysSo) {
    const auto entry = written_at(BootStamp{kEarlierBoot, 9'000'000});
    const auto elapsed = elapsed_since(entry, BootStamp{kThisBoot, 40'000}, entry.wall - 3h);
    EXPECT_EQ(elapsed.length, 0ms);
    EXPECT_FALSE(elapsed.by_boot_clock);
    EXPECT_TRUE(elapsed.wall_clock_behind);
}

TEST(ElapsedSince, AnEntryFromAnOlderJournalWithoutAStampGoesByTheWallClock) {
    const auto entry = written_at(std::nullopt);
    const auto elapsed = elapsed_since(entry, BootStamp{kThisBoot, 40'000}, entry.wall + 90s);
    EXPECT_EQ(elapsed.length, 90s);
    EXPECT_FALSE(elapsed.by_boot_clock);
}

TEST(ElapsedSince, AnUnknownBootNeverMatchesAnother) {
    // /proc unreadable when written and now: two empty ids say nothing about one boot.
    const auto entry = written_at(BootStamp{"", 1'000'000});
    const auto elapsed = elapsed_since(entry, BootStamp{"", 1'000'500}, entry.wall + 2h);
    EXPECT_EQ(elapsed.length, 2h);
    EXPECT_FALSE(elapsed.by_boot_clock);
}

TEST(BootStampNow, NamesThisBootAndAdvancesWithRealTime) {
    const auto first = boot_stamp_now();
    std::this_thread::sleep_for(20ms);
    const auto second = boot_stamp_now();
    EXPECT_EQ(first.boot_id.size(), 36u) << "a UUID from /proc: '" << first.boot_id << "'";
    EXPECT_EQ(second.boot_id, first.boot_id);
    EXPECT_GE(second.ms - first.ms, 20);
}

}  // namespace
}  // namespace haven::journal
