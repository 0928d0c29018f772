#include "button_router.hpp"

#include <algorithm>

#include "button_driver.hpp"

namespace haven::buttons {

struct ButtonRouter::Entry {
    config::ButtonConfig config;
    std::unique_ptr<ButtonDriver> driver;
    std::vector<std::string> topics;
};

ButtonRouter::ButtonRouter(const std::map<std::string, config::ButtonConfig>& buttons) {
    for (const auto& [id, button] : buttons) {
        auto driver = make_button_driver(button);
        auto topics = driver->subscriptions();
        entries_.push_back(Entry{button, std::move(driver), std::move(topics)});
    }
}

ButtonRouter::~ButtonRouter() = default;
ButtonRouter::ButtonRouter(ButtonRouter&&) noexcept = default;
ButtonRouter& ButtonRouter::operator=(ButtonRouter&&) noexcept = default;

std::vector<std::string> ButtonRouter::subscriptions() const {
    std::vector<std::string> topics;
    for (const auto& entry : entries_) {
        for (const auto& topic : entry.topics) {
            if (std::find(topics.begin(), topics.end(), topic) == topics.end())
                topics.push_back(topic);
        }
    }
    return topics;
}

RoutedPress ButtonRouter::route(const std::string& topic, const std::string& payload) const {
    RoutedPress result;
    for (const auto& entry : entries_) {
        if (std::find(entry.topics.begin(), entry.topics.end(), topic) == entry.topics.end())
            continue;
        const std::string who = "button '" + entry.config.id + "': ";
        ButtonParse parse = entry.driver->on_message(topic, payload);
        if (parse.actions.empty()) {
            if (!parse.ignored.empty()) result.ignored = who + parse.ignored;
            continue;
        }
        for (const auto& action : parse.actions) {
            auto mapped = entry.config.actions.find(action);
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
