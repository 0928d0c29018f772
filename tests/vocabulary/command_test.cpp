#include "command.hpp"

#include <gtest/gtest.h>

namespace haven {
namespace {

using namespace std::chrono_literals;

struct CommandCase {
    const char* name;
    const char* payload;
    std::optional<Command> expected;
};

void PrintTo(const CommandCase& c, std::ostream* os) {
    *os << c.name << " <- '" << c.payload << "'";
}

class MqttCommandParsing : public ::testing::TestWithParam<CommandCase> {};

TEST_P(MqttCommandParsing, AcceptsEveryPayloadShapeAndRefusesWithAReason) {
    const auto& c = GetParam();
    auto parsed = parse_command(c.name, c.payload);
    EXPECT_EQ(parsed.command, c.expected) << c.name << " <- '" << c.payload << "'";
    if (!c.expected) {
        EXPECT_FALSE(parsed.error.empty());
    }
}

Command cmd(CommandKind kind) {
    return Command{.kind = kind};
}
Command with_arg(CommandKind kind, std::string arg) {
    return Command{.kind = kind, .argument = arg};
}
Command extend(Millis d) {
    return Command{.kind = CommandKind::extend, .duration = d};
}
Command volume(double v) {
    return Command{.kind = CommandKind::volume, .number = v};
}

INSTANTIATE_TEST_SUITE_P(
    Vocabulary, MqttCommandParsing,
    ::testing::Values(
        CommandCase{"next", "", cmd(CommandKind::next)},
        CommandCase{"next", "PRESS", cmd(CommandKind::next)},
        CommandCase{"assist", " PRESS\n", cmd(CommandKind::assist)},
        CommandCase{"emergency", "PRESS", cmd(CommandKind::emergency)},
        CommandCase{"emergency", "{}", cmd(CommandKind::emergency)},
        CommandCase{"emergency", R"({"level":"calm"})", std::nullopt},  // takes no keys
        CommandCase{"start", "iv-ketamine", with_arg(CommandKind::start, "iv-ketamine")},
        CommandCase{"start", R"({"template":"iv-ketamine"})",
                    with_arg(CommandKind::start, "iv-ketamine")},
        CommandCase{"start", "", std::nullopt}, CommandCase{"extend", "5m", extend(5min)},
        CommandCase{"extend", R"({"minutes":10})", extend(10min)},
        CommandCase{"extend", R"({"duration":"90s"})", extend(90s)},
        CommandCase{"extend", "5", std::nullopt}, CommandCase{"extend", "3h", std::nullopt},
        CommandCase{"extend", R"({"minutes":"ten"})", std::nullopt},
        CommandCase{"volume", "40", volume(40)},
        CommandCase{"volume", R"({"volume":25})", volume(25)},
        CommandCase{"volume", "140", std::nullopt},
        CommandCase{"ack", "bp", with_arg(CommandKind::ack, "bp")},
        CommandCase{"ack", "", cmd(CommandKind::ack)}, CommandCase{"ack", "b p", std::nullopt},
        CommandCase{"mark", "patient asked for water",
                    with_arg(CommandKind::mark, "patient asked for water")},
        CommandCase{"mark", "", std::nullopt}, CommandCase{"mark", "bell\x07", std::nullopt},
        CommandCase{"end", R"({"force":true})", Command{.kind = CommandKind::end, .force = true}},
        CommandCase{"end", R"({"force":"yes"})", std::nullopt},
        CommandCase{"hold", "now", std::nullopt}, CommandCase{"start", "{not json", std::nullopt},
        // Each command takes only its own keys: garbage JSON is never a bare command.
        CommandCase{"end", R"({"volume":[1,2,3]})", std::nullopt},
        CommandCase{"next", R"({"force":true})", std::nullopt},
        CommandCase{"next", "{}", cmd(CommandKind::next)},
        CommandCase{"start", R"({"template":"iv-ketamine","extra":1})", std::nullopt},
        CommandCase{"volume", R"({"level":30})", volume(30)},
        CommandCase{"start", "[1,2]", std::nullopt}, CommandCase{"explode", "", std::nullopt},
        CommandCase{"", "", std::nullopt}));

TEST(CommandParsing, AMarkWithAnUnknownKeyIsRefusedWithoutQuotingIt) {
    auto parsed = parse_command("mark", R"({"patient asked for water":true})");
    EXPECT_FALSE(parsed.command);
    EXPECT_FALSE(parsed.error.empty());
    EXPECT_EQ(parsed.error.find("water"), std::string::npos) << parsed.error;
}

TEST(CueParsing, ReadsConfigActions) {
    EXPECT_EQ(parse_cue("extend 5m").command, extend(5min));
    EXPECT_EQ(parse_cue("  assist ").command, cmd(CommandKind::assist));
    EXPECT_EQ(parse_cue("end force").command, (Command{.kind = CommandKind::end, .force = true}));
    EXPECT_FALSE(parse_cue("extend").command);
    EXPECT_EQ(parse_cue("dance").error, "unknown command 'dance'");
}

TEST(CommandParsing, AnUnknownNameIsQuotedOnlyWhenItLooksLikeAName) {
    EXPECT_EQ(parse_command("dance", "").error, "unknown command 'dance'");
    // A misspelt mark on a topic of its own: the text after "mark" may be a note.
    EXPECT_EQ(parse_command("markpatient said water", "").error,
              "unknown command (name not shown)");
    EXPECT_EQ(parse_command("marks", "").error, "unknown command (name not shown)");
    EXPECT_EQ(parse_command("Free Text Here", "").error, "unknown command (name not shown)");
    EXPECT_EQ(parse_command(std::string(33, 'a'), "").error, "unknown command (name not shown)");
    EXPECT_EQ(parse_cue("mark_it something").error, "unknown command (name not shown)");
}

TEST(CueParsing, FormatRoundTrips) {
    for (const char* text : {"next", "extend 5m", "volume 40", "ack bp", "mark a note", "end force",
                             "start iv-ketamine", "lights_down"}) {
        auto parsed = parse_cue(text);
        ASSERT_TRUE(parsed.command) << text;
        EXPECT_EQ(format_cue(*parsed.command), text);
    }
}

TEST(CommandParsing, RefusesOversizedPayloads) {
    EXPECT_FALSE(parse_command("mark", std::string(5000, 'x')).command);
}

}  // namespace
}  // namespace haven
