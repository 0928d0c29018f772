#pragma once
// ClientOptions for a room from its validated config: the fixed client id, the status
// topic as last will, and the password read from its file (never logged).

#include "mqtt_client.hpp"
#include "room_config.hpp"

namespace haven::mqtt {

// Throws std::runtime_error naming the file (never its contents) when the password file
// cannot be read or is empty. One trailing newline is not part of the password.
ClientOptions client_options_for(const config::RoomConfig& room);

}  // namespace haven::mqtt
