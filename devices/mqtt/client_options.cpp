#include "client_options.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace haven::mqtt {

namespace {

std::string read_password(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read MQTT password file " + file.string());
    std::ostringstream content;
    content << in.rdbuf();
    std::string password = content.str();
    if (!password.empty() && password.back() == '\n') password.pop_back();
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (password.empty())
        throw std::runtime_error("MQTT password file " + file.string() + " is empty");
    return password;
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
    options.will_topic = mqtt.topic_prefix + "/" + room.room.id + "/status";
    return options;
}

}  // namespace haven::mqtt
