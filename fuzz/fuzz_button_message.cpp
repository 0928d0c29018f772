// Button routing: a ButtonRouter over one button per dialect (as in a real room), fed the
// messages a vendor might send. Input: byte 0 picks a subscribed topic (or, past the last,
// a topic read from the input's first line); the rest is the payload. Invariant: a routed
// cue comes from the button whose topic it arrived on and carries no ignore reason.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "button_router.hpp"
#include "fuzz_support.hpp"

namespace {

haven::Command cue(std::string_view text) {
    return *haven::parse_cue(text).command;
}

std::map<std::string, haven::config::ButtonConfig> room_buttons() {
    std::map<std::string, haven::config::ButtonConfig> buttons;
    buttons["therapist"] = {.id = "therapist",
                            .driver = "zigbee2mqtt",
                            .topic = "zigbee2mqtt/therapist",
                            .actions = {{"single", cue("next")}, {"hold", cue("assist")}}};
    buttons["bedside"] = {
        .id = "bedside",
        .driver = "tasmota",
        .topic = "bedside",
        .actions = {{"single", cue("assist")}, {"button2_single", cue("extend 5m")}}};
    buttons["wall"] = {
        .id = "wall",
        .driver = "shelly-gen2",
        .topic = "wall-i4",
        .actions = {{"single_push", cue("lights_up")}, {"input1_single_push", cue("lights_down")}}};
    buttons["script"] = {.id = "script",
                         .driver = "generic",
                         .topic = "clinic/room-1/cue",
                         .actions = {{"ack", cue("ack")}, {"mark", cue("mark water")}}};
    return buttons;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static const auto buttons = room_buttons();
    static const haven::buttons::ButtonRouter router(buttons);
    static const auto topics = router.subscriptions();

    const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string topic;
    std::string payload;
    if (const std::size_t pick = data[0] % (topics.size() + 1); pick < topics.size()) {
        topic = topics[pick];
        payload = rest;
    } else {
        const auto [head, tail] = haven::fuzz::split_line(rest);
        topic = head;
        payload = tail;
    }
    const auto routed = router.route(topic, payload);
    if (routed.cue) {
        haven::fuzz::require(routed.ignored.empty(), "a cue comes without an ignore reason",
                             payload);
        const auto& button = buttons.at(routed.cue->second.id);
        const bool on_topic =
            topic == button.topic || topic.find(button.topic) != std::string::npos;
        haven::fuzz::require(on_topic, "a cue comes from the button on that topic", topic);
    }
    return 0;
}
