#pragma once
// Home Assistant MQTT discovery for one room: a single device-based discovery message
// (`<ha_prefix>/device/haven_<room>/config`, retained) that makes the room one HA device.
// Pure: the daemon publishes the result on every connect and when HA announces `online`.
//
// The sensors read these fields of the retained `<prefix>/<room>/state` JSON (the state
// publisher must keep them): session.phase, session.phase_remaining_s,
// session.infusion, session.next_reminder, audio.volume; `session` is null when idle.

#include <string_view>
#include <vector>

#include "device_message.hpp"
#include "room_config.hpp"

namespace haven::mqtt {

// The discovery message(s) for the room: retained, QoS 1.
std::vector<devices::DeviceMessage> home_assistant_discovery(const config::RoomConfig& room,
                                                             std::string_view version);

// Empty retained payloads on the same topics: HA forgets the device (`haven decommission`).
std::vector<devices::DeviceMessage> home_assistant_removal(const config::RoomConfig& room);

}  // namespace haven::mqtt
