#pragma once
// Routes incoming MQTT messages from a room's cue buttons to the cues their `actions:` map
// names. Debounce is the engine's job. Single-threaded: the control loop's thread.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "command.hpp"
#include "room_config.hpp"

namespace haven::buttons {

class ButtonDriver;

struct RoutedPress {
    std::optional<std::pair<Command, CommandSource>> cue;
    std::string ignored;  // why a message for one of our buttons gave no cue (log it)
};

// One button as the tech page shows it.
struct ButtonStatus {
    std::string id;
    std::string driver;
    std::optional<bool> available;  // empty: the dialect does not say, or has not said yet
    // When the button last sent anything on its own topics (presses, battery reports...);
    // availability messages do not count: the broker sends those, often retained.
    std::optional<std::chrono::system_clock::time_point> last_seen;
};

class ButtonRouter {
  public:
    // Throws std::invalid_argument for a button with an unknown driver.
    explicit ButtonRouter(const std::map<std::string, config::ButtonConfig>& buttons);
    ~ButtonRouter();
    ButtonRouter(ButtonRouter&&) noexcept;
    ButtonRouter& operator=(ButtonRouter&&) noexcept;

    // Each button's topics, and its availability topic where its dialect has one.
    std::vector<std::string> subscriptions() const;

    // The cue for a press (source: button, id = button id), with the reason when a message
    // on a button's topic is malformed or names an action the config does not map.
    RoutedPress route(const std::string& topic, const std::string& payload) const;
    // The same, noting what the message says about its button: seen at `now`, or (on an
    // availability topic) online or offline.
    RoutedPress route(const std::string& topic, const std::string& payload,
                      std::chrono::system_clock::time_point now);

    // Every configured button, in id order.
    std::vector<ButtonStatus> status() const;

  private:
    struct Entry;
    std::vector<Entry> entries_;
};

}  // namespace haven::buttons
