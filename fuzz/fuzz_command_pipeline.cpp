// End to end, the way the daemon takes a command off MQTT: bytes -> the MQTT door's UTF-8
// repair -> parse_command -> the session engine through the CommandPipeline -> refusals,
// journal entries, events and the room's state, each serialised as it would be published or
// stored. The parsers' own fuzzer stops at the parser; the one-byte crash of issue 21 lived
// after it, in the serialisation of a refusal that quoted the byte.
//
// Input: up to 16 messages separated by NUL, each "NAME\nPAYLOAD" (NAME as the topic after
// cmd/). Byte 0 bit 0 set: skip the repair, as the panel's API hands bodies straight to
// parse_command. Invariants: nothing throws, and every serialised text is valid UTF-8.
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "command_pipeline.hpp"
#include "dialect_catalogue.hpp"
#include "fuzz_support.hpp"
#include "json_text.hpp"
#include "loader.hpp"
#include "session_snapshot.hpp"
#include "state_document.hpp"
#include "utf8.hpp"

namespace {

using haven::fuzz::require;
using namespace haven;

std::shared_ptr<const config::RoomConfig> demo_room() {
    static const auto room = [] {
        auto loaded = config::load_room_config(std::filesystem::path(HAVEN_SOURCE_DIR) /
                                               "config/rooms/demo.yaml");
        require(loaded.config.has_value(), "the shipped demo room loads");
        return std::make_shared<const config::RoomConfig>(std::move(*loaded.config));
    }();
    return room;
}

void require_text(const std::string& text, const char* what) {
    require(is_valid_utf8(text), what, text);
}

struct Room {
    boost::asio::io_context io;  // never run: the next wake's timer just waits
    daemon::ClockWatch clock{1.0};
    std::vector<daemon::OnDurable> pending;
    daemon::CommandPipeline pipeline{
        io, demo_room(), clock,
        daemon::CommandPipeline::Ports{
            .apply = [](const std::vector<engine::Effect>&) {},
            .append =
                [this](std::vector<journal::Entry> entries, daemon::OnDurable on_durable) {
                    for (const auto& entry : entries)
                        require_text(json_text(entry.data), "entry");
                    pending.push_back(std::move(on_durable));
                },
            .publish_event =
                [](nlohmann::json event) { require_text(json_text(event), "published event"); },
            .state_changed = [] {},
            .session_ended = [] {}}};

    void settle() {
        for (auto& on_durable : std::exchange(pending, {}))
            if (on_durable) on_durable(true);
    }

    void check_state() {
        auto snapshot = pipeline.engine().snapshot(clock.engine_now());
        const auto state = daemon::state_document(
            {.room = *demo_room(), .session = snapshot ? &*snapshot : nullptr});
        require_text(json_text(state), "state document");
    }
};

}  // namespace

// Refusals log a warning each: silenced, so the fuzzer spends its time in Haven, not stderr.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
    spdlog::set_level(spdlog::level::off);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const bool repair = (data[0] & 1) == 0;
    std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    Room room;
    for (int message = 0; message < 16 && !rest.empty(); ++message) {
        const auto end = rest.find('\0');
        const auto one = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
        auto [name, payload] = fuzz::split_line(one);
        const std::string name_text = repair ? to_valid_utf8(std::string{name}) : std::string{name};
        const std::string payload_text =
            repair ? to_valid_utf8(std::string{payload}) : std::string{payload};
        auto parsed = parse_command(name_text, payload_text);
        if (parsed.command)
            room.pipeline.submit(
                *parsed.command, CommandSource{CommandSource::Kind::mqtt, ""},
                [](bool, std::string reason) { require_text(reason, "a reply's reason"); });
        else
            room.pipeline.refuse(name_text, parsed.error, "mqtt");
        room.settle();
        room.check_state();
    }
    room.pipeline.stop();
    return 0;
}
