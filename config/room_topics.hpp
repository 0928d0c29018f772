#pragma once
// The room's automation API topics, `<prefix>/<room>/...`, in one place so the publisher, the
// subscriber, the MQTT last will, Home Assistant discovery and the docs agree.

#include <optional>
#include <string>
#include <string_view>

namespace haven::config {

struct RoomConfig;

class RoomTopics {
  public:
    RoomTopics(std::string_view prefix, std::string_view room_id)
        : base_(std::string(prefix) + "/" + std::string(room_id)) {}
    static RoomTopics of(const RoomConfig& room);

    std::string status() const { return base_ + "/status"; }
    std::string state() const { return base_ + "/state"; }
    std::string events() const { return base_ + "/events"; }
    std::string commands_filter() const { return base_ + "/cmd/+"; }
    std::string command(std::string_view name) const { return base_ + "/cmd/" + std::string(name); }

    // The command name in `<base>/cmd/<name>`, or nothing for any other topic.
    std::optional<std::string_view> command_name(std::string_view topic) const {
        const std::string prefix = base_ + "/cmd/";
        if (topic.size() <= prefix.size() || topic.substr(0, prefix.size()) != prefix) {
            return std::nullopt;
        }
        auto name = topic.substr(prefix.size());
        if (name.find('/') != std::string_view::npos) return std::nullopt;
        return name;
    }

  private:
    std::string base_;
};

}  // namespace haven::config
