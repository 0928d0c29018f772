#include "utf8.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "command.hpp"
#include "json_text.hpp"

namespace haven {
namespace {

struct Utf8Case {
    const char* label;
    std::string bytes;
    bool valid;
    std::string repaired;  // what to_valid_utf8 makes of it
};

const std::string fffd = "\xEF\xBF\xBD";

class Utf8Validity : public ::testing::TestWithParam<Utf8Case> {};

TEST_P(Utf8Validity, ClassifiesAndRepairsLikeUnicodeSays) {
    const auto& c = GetParam();
    EXPECT_EQ(is_valid_utf8(c.bytes), c.valid) << c.label;
    const auto repaired = to_valid_utf8(c.bytes);
    EXPECT_EQ(repaired, c.repaired) << c.label;
    EXPECT_TRUE(is_valid_utf8(repaired)) << c.label;
}

INSTANTIATE_TEST_SUITE_P(
    Table, Utf8Validity,
    ::testing::Values(Utf8Case{"empty", "", true, ""},
                      Utf8Case{"ascii", "mark 12", true, "mark 12"},
                      Utf8Case{"two-byte", "caf\xC3\xA9", true, "caf\xC3\xA9"},
                      Utf8Case{"three-byte", "\xE2\x82\xAC", true, "\xE2\x82\xAC"},
                      Utf8Case{"four-byte", "\xF0\x9F\x8C\x99", true, "\xF0\x9F\x8C\x99"},
                      Utf8Case{"lone 0xFF", "\xFF", false, fffd},
                      Utf8Case{"0xFF inside text",
                               "a\xFF"
                               "b",
                               false, "a" + fffd + "b"},
                      Utf8Case{"lone continuation", "\x80", false, fffd},
                      Utf8Case{"truncated two-byte", "\xC3", false, fffd},
                      Utf8Case{"truncated three-byte", "\xE2\x82", false, fffd + fffd},
                      Utf8Case{"overlong slash", "\xC0\xAF", false, fffd + fffd},
                      Utf8Case{"overlong three-byte", "\xE0\x80\xAF", false, fffd + fffd + fffd},
                      Utf8Case{"surrogate", "\xED\xA0\x80", false, fffd + fffd + fffd},
                      Utf8Case{"above U+10FFFF", "\xF4\x90\x80\x80", false,
                               fffd + fffd + fffd + fffd},
                      Utf8Case{"valid after invalid", "\xFF\xC3\xA9", false, fffd + "\xC3\xA9"}),
    [](const auto& test_info) {
        std::string name;
        for (char c : std::string{test_info.param.label})
            name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
        return name;
    });

TEST(JsonText, SerialisesTextThatIsNotUtf8InsteadOfThrowing) {
    nlohmann::json event{{"type", "command_rejected"}, {"reason", "got '\xFF'"}};
    EXPECT_THROW((void)event.dump(), nlohmann::json::type_error);  // why json_text exists
    const auto text = json_text(event);
    EXPECT_NE(text.find("got '" + fffd + "'"), std::string::npos) << text;
    EXPECT_TRUE(is_valid_utf8(text));
}

// Every command refuses bytes that are not UTF-8, and its reason never quotes them back.
TEST(CommandParsing, RefusesPayloadsThatAreNotUtf8WithAReasonThatIsUtf8) {
    for (const char* name : {"start", "end", "mark", "volume", "extend", "ack", "assist",
                             "infusion_start", "lights_up", "nonsense"}) {
        for (const std::string& payload :
             {std::string{"\xFF"}, std::string{"40\xFF"}, std::string{"{\"text\":\"\xFF\"}"},
              std::string{"\xC0\xAF"}}) {
            auto parsed = parse_command(name, payload);
            EXPECT_FALSE(parsed.command) << name;
            EXPECT_FALSE(parsed.error.empty()) << name;
            EXPECT_TRUE(is_valid_utf8(parsed.error)) << name << ": " << parsed.error;
        }
    }
    EXPECT_FALSE(parse_cue("mark \xFF").command);
}

}  // namespace
}  // namespace haven
