#include "button_router.hpp"

#include <algorithm>

#include "availability.hpp"
#include "button_driver.hpp"
#include "text_case.hpp"

namespace haven::buttons {

struct ButtonRouter::Entry {
    config::ButtonConfig config;
    std::unique_ptr<ButtonDriver> driver;
    std::vector<std::string> topics;  // where presses come from
    std::optional<std::string> availability_topic;
    std::optional<bool> available;
    std::optional<std::chrono::system_clock::time_point> last_seen;

    bool listens_on(const std::string& topic) const {
        return std::find(topics.begin(), topics.end(), topic) != topics.end();
    }
};

ButtonRouter::ButtonRouter(const std::map<std::string, config::ButtonConfig>& buttons) {
    for (const auto& [id, button] : buttons) {
        auto driver = make_button_driver(button);
        auto topics = driver->subscriptions();
        auto availability = driver->availability_topic();
        // Action names match without case (Tasmota says SINGLE, Zigbee2MQTT single); the
        // loader folds them already, a config built in code may not.
        auto folded = button;
        folded.actions.clear();
        for (const auto& [action, command] : button.actions)
            folded.actions.emplace(ascii_lower(action), command);
        entries_.push_back(Entry{.config = std::move(folded),
                                 .driver = std::move(driver),
                                 .topics = std::move(topics),
                                 .availability_topic = std::move(availability)});
    }
}

ButtonRouter::~ButtonRouter() = default;
ButtonRouter::ButtonRouter(ButtonRouter&&) noexcept = default;
ButtonRouter& ButtonRouter::operator=(ButtonRouter&&) noexcept = default;

std::vector<std::string> ButtonRouter::subscriptions() const {
    std::vector<std::string> topics;
    const auto add = [&](const std::string& topic) {
        if (std::find(topics.begin(), topics.end(), topic) == topics.end()) topics.push_back(topic);
    };
    for (const auto& entry : entries_) {
        for (const auto& topic : entry.topics)
            add(topic);
        if (entry.availability_topic) add(*entry.availability_topic);
    }
    return topics;
}

RoutedPress ButtonRouter::route(const std::string& topic, const std::string& payload,
                                std::chrono::system_clock::time_point now) {
    for (auto& entry : entries_) {
        if (entry.listens_on(topic)) entry.last_seen = now;
        if (entry.availability_topic == topic) {
            if (auto online = devices::parse_availability(payload)) entry.available = online;
        }
    }
    return route(topic, payload);
}

std::vector<ButtonStatus> ButtonRouter::status() const {
    std::vector<ButtonStatus> all;
    for (const auto& entry : entries_)
        all.push_back({.id = entry.config.id,
                       .driver = entry.config.driver,
                       .available = entry.available,
                       .last_seen = entry.last_seen});
    return all;
}

RoutedPress ButtonRouter::route(const std::string& topic, const std::string& payload) const {
    RoutedPress result;
    for (const auto& entry : entries_) {
        if (!entry.listens_on(topic)) continue;
        const std::string who = "button '" + entry.config.id + "': ";
        ButtonParse parse = entry.driver->on_message(topic, payload);
        if (parse.actions.empty()) {
            if (!parse.ignored.empty()) result.ignored = who + parse.ignored;
            continue;
        }
        for (const auto& action : parse.actions) {
            // Config keys are lower case (the loader folds them); so is every lookup.
            auto mapped = entry.config.actions.find(ascii_lower(action));
            if (mapped == entry.config.actions.end()) continue;
            result.cue.emplace(mapped->second,
                               CommandSource{CommandSource::Kind::button, entry.config.id});
            result.ignored.clear();
            return result;
        }
        result.ignored = who + "action '" + parse.actions.front() + "' is not in its actions";
    }
    return result;
}

}  // namespace haven::buttons
