#include "room_config.hpp"

#include "room_topics.hpp"

namespace haven::config {

const SessionTemplate* RoomConfig::find_template(const std::string& id) const {
    auto it = templates.find(id);
    return it == templates.end() ? nullptr : &it->second;
}

const Scene* RoomConfig::find_scene(const std::string& id) const {
    auto it = scenes.find(id);
    return it == scenes.end() ? nullptr : &it->second;
}

}  // namespace haven::config

namespace haven::config {

RoomTopics RoomTopics::of(const RoomConfig& room) {
    return RoomTopics(room.mqtt.topic_prefix, room.room.id);
}

}  // namespace haven::config
