#include "client_options.hpp"

#include <stdexcept>

#include "room_topics.hpp"
#include "secret_file.hpp"

namespace haven::mqtt {

namespace {

std::string read_password(const std::filesystem::path& file) {
    auto password = config::read_secret_file(file);
    if (!password)
        throw std::runtime_error("cannot read a password from MQTT password file " + file.string() +
                                 " (missing, unreadable or empty)");
    return *password;
}

}  // namespace

ClientOptions client_options_for(const config::RoomConfig& room) {
    const auto& mqtt = room.mqtt;
    ClientOptions options;
    options.host = mqtt.host;
    options.port = mqtt.port;
    options.client_id = mqtt.client_id.empty() ? "haven-" + room.room.id : mqtt.client_id;
    options.username = mqtt.username;
    if (mqtt.password_file) options.password = read_password(*mqtt.password_file);
    options.tls = mqtt.tls;
    options.keepalive_s = mqtt.keepalive_s;
    options.will_topic = config::RoomTopics::of(room).status();
    return options;
}

}  // namespace haven::mqtt
