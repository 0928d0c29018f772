// `correct`: moving a mis-tapped infusion start, relative ("-3m") or absolute (ISO with zone).
#include <gtest/gtest.h>

#include "command.hpp"

namespace haven {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

Command correct_ago(Millis ago) {
    return Command{.kind = CommandKind::correct, .argument = "infusion_start", .duration = -ago};
}

Command correct_at(WallMillis at) {
    return Command{.kind = CommandKind::correct, .argument = "infusion_start", .wall_at = at};
}

WallMillis utc(int h, int m, int s, int ms = 0) {
    return sys_days{2026y / December / 7} + hours{h} + minutes{m} + seconds{s} + milliseconds{ms};
}

struct CorrectCase {
    const char* payload;
    std::optional<Command> expected;
};

class CorrectParsing : public ::testing::TestWithParam<CorrectCase> {};

TEST_P(CorrectParsing, TakesEventAndAtOnly) {
    const auto& c = GetParam();
    const auto parsed = parse_command("correct", c.payload);
    EXPECT_EQ(parsed.command, c.expected) << c.payload;
    if (!c.expected) {
        EXPECT_FALSE(parsed.error.empty()) << c.payload;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Payloads, CorrectParsing,
    ::testing::Values(
        CorrectCase{R"({"event":"infusion_start","at":"-3m"})", correct_ago(3min)},
        CorrectCase{R"({"event":"infusion_start","at":"-1m30s"})", correct_ago(90s)},
        CorrectCase{"infusion_start -3m", correct_ago(3min)},
        CorrectCase{R"({"event":"infusion_start","at":"2026-12-07T04:10:00Z"})",
                    correct_at(utc(4, 10, 0))},
        CorrectCase{R"({"event":"infusion_start","at":"2026-12-07T05:10:00.250+01:00"})",
                    correct_at(utc(4, 10, 0, 250))},
        // No zone: UTC or the clinic's local time cannot be guessed.
        CorrectCase{R"({"event":"infusion_start","at":"2026-12-07T04:10:00"})", std::nullopt},
        // Only the past: a correction says when it really happened.
        CorrectCase{R"({"event":"infusion_start","at":"3m"})", std::nullopt},
        CorrectCase{R"({"event":"infusion_start","at":"-0s"})", std::nullopt},
        CorrectCase{R"({"event":"infusion_start","at":"-13h"})", std::nullopt},
        CorrectCase{R"({"event":"infusion_start","at":"2026-02-30T04:10:00Z"})", std::nullopt},
        CorrectCase{R"({"event":"infusion_start","at":"2026-12-07T24:10:00Z"})", std::nullopt},
        CorrectCase{R"({"event":"infusion_stop","at":"-3m"})", std::nullopt},
        CorrectCase{R"({"event":"infusion_start"})", std::nullopt},
        CorrectCase{R"({"at":"-3m"})", std::nullopt},
        CorrectCase{R"({"event":"infusion_start","at":"-3m","by":"x"})", std::nullopt},
        CorrectCase{R"({"event":["infusion_start"],"at":"-3m"})", std::nullopt},
        CorrectCase{"", std::nullopt}));

TEST(CorrectParsing, RefusalSaysWhatATimeLooksLike) {
    const auto parsed = parse_command("correct", R"({"event":"infusion_start","at":"soon"})");
    EXPECT_NE(parsed.error.find("-3m"), std::string::npos) << parsed.error;
    EXPECT_NE(parsed.error.find("2026-12-07T04:10:00Z"), std::string::npos) << parsed.error;
}

TEST(CorrectParsing, FormatRoundTrips) {
    for (const char* text :
         {"correct infusion_start -3m",
          // what the daemon journals for an absolute time: a resume replays it exactly
          "correct infusion_start -3m12s345ms", "correct infusion_start 2026-12-07T04:10:00Z",
          "correct infusion_start 2026-12-07T04:10:00.250Z"}) {
        const auto parsed = parse_cue(text);
        ASSERT_TRUE(parsed.command) << text << ": " << parsed.error;
        EXPECT_EQ(format_cue(*parsed.command), text);
    }
}

}  // namespace
}  // namespace haven
