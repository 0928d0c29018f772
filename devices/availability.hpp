#pragma once
// Reads a device's "am I online" message. Lights and buttons use the same vendor
// conventions (Zigbee2MQTT, Tasmota's LWT, Shelly, WLED), so they share one reading.

#include <optional>
#include <string>

namespace haven::devices {

// "online"/"Online"/"true" -> true, "offline"/"Offline"/"false" -> false (surrounding
// whitespace ignored), also {"state":"online"} (Zigbee2MQTT's JSON availability); nullopt
// for anything else.
std::optional<bool> parse_availability(const std::string& payload);

}  // namespace haven::devices
