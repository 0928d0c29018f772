#include "units.hpp"

#include <gtest/gtest.h>

namespace haven {
namespace {

using namespace std::chrono_literals;

struct DurationCase {
    const char* text;
    std::optional<Millis> expected;
};

class DurationParsing : public ::testing::TestWithParam<DurationCase> {};

TEST_P(DurationParsing, ReadsOrRefuses) {
    EXPECT_EQ(parse_duration(GetParam().text), GetParam().expected) << GetParam().text;
}

INSTANTIATE_TEST_SUITE_P(
    Units, DurationParsing,
    ::testing::Values(DurationCase{"90s", 90s}, DurationCase{"15m", 15min},
                      DurationCase{"1h30m", 90min}, DurationCase{"1h 30m", 90min},
                      DurationCase{"2h", 2h}, DurationCase{"500ms", 500ms},
                      DurationCase{"1.5m", 90s}, DurationCase{"0", 0ms}, DurationCase{"0s", 0ms},
                      DurationCase{" 10m ", 10min}, DurationCase{"15", std::nullopt},
                      DurationCase{"", std::nullopt}, DurationCase{"m", std::nullopt},
                      DurationCase{"5 minutes", std::nullopt}, DurationCase{"-5m", std::nullopt},
                      DurationCase{"10x", std::nullopt}, DurationCase{"1000h", std::nullopt}));

TEST(DurationFormatting, RoundTripsThroughTheParser) {
    for (Millis d : {Millis{0}, Millis{90min}, Millis{45s}, Millis{1h + 2min + 3s + 4ms}}) {
        EXPECT_EQ(parse_duration(format_duration(d)), d) << format_duration(d);
    }
    EXPECT_EQ(format_duration(90min), "1h30m");
    EXPECT_EQ(format_duration(0ms), "0s");
}

TEST(LevelParsing, AcceptsPercentWithOrWithoutSign) {
    EXPECT_EQ(parse_level("40"), 40.0);
    EXPECT_EQ(parse_level("40%"), 40.0);
    EXPECT_EQ(parse_level("12.5 %"), 12.5);
    EXPECT_EQ(parse_level("0"), 0.0);
    EXPECT_EQ(parse_level("100"), 100.0);
    EXPECT_EQ(parse_level("101"), std::nullopt);
    EXPECT_EQ(parse_level("-1"), std::nullopt);
    EXPECT_EQ(parse_level("bright"), std::nullopt);
    EXPECT_EQ(parse_level(""), std::nullopt);
}

TEST(KelvinParsing, AcceptsPlausibleWhitePoints) {
    EXPECT_EQ(parse_kelvin("2700K"), 2700);
    EXPECT_EQ(parse_kelvin("2700k"), 2700);
    EXPECT_EQ(parse_kelvin("3000"), 3000);
    EXPECT_EQ(parse_kelvin("999K"), std::nullopt);
    EXPECT_EQ(parse_kelvin("20000K"), std::nullopt);
    EXPECT_EQ(parse_kelvin("warm"), std::nullopt);
}

}  // namespace
}  // namespace haven
