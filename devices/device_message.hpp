#pragma once
// One MQTT publication a device driver wants sent. Drivers are pure: they turn intentions
// ("brightness 30% over 0.5 s") into these, and the daemon hands them to the MQTT client.

#include <string>

namespace haven::devices {

struct DeviceMessage {
    std::string topic;
    std::string payload;
    int qos = 0;
    bool retain = false;

    bool operator==(const DeviceMessage&) const = default;
};

}  // namespace haven::devices
