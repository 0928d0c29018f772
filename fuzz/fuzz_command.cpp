// parse_cue and parse_command: every payload that MQTT, the panel, a cue button's actions or
// the CLI hands the room. Input: "NAME\nPAYLOAD" for parse_command; the whole input for
// parse_cue. Invariants: refused <=> error set, and a parsed cue survives format_cue.
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>

#include "command.hpp"
#include "fuzz_support.hpp"

namespace {

using haven::fuzz::require;

void check(const haven::CommandParse& parse, std::string_view input) {
    require(parse.command.has_value() == parse.error.empty(),
            "a parse sets exactly one of command and error", input);
    if (!parse.command) return;
    // The documented round trip: parse_cue(format_cue(c)) == c. The journal and the CLI
    // rely on it to replay commands.
    const auto text = haven::format_cue(*parse.command);
    const auto again = haven::parse_cue(text);
    require(again.command.has_value(), "format_cue output parses", text);
    require(*again.command == *parse.command, "format_cue round-trips", text);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    check(haven::parse_cue(input), input);
    const auto [name, payload] = haven::fuzz::split_line(input);
    check(haven::parse_command(name, payload), input);
    return 0;
}
