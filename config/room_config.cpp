#include "room_config.hpp"

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
