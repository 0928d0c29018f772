#pragma once
// What the room tells the world: the retained state document, events, and Home Assistant
// discovery, on MQTT and the wall panel alike. Coalesces state changes (a phase change moves
// lights, music and reminders in one turn: one document), never republishes an unchanged
// document, holds events raised while MQTT is down and sends them once it is up.
// Control thread only. Talks to MQTT and the panel through Ports, so it is tested without either.

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "device_message.hpp"
#include "room_topics.hpp"

namespace haven::daemon {

class RoomBroadcaster {
  public:
    struct Ports {
        std::function<nlohmann::json()> build_state;          // the document as it is now
        std::function<bool()> connected;                      // MQTT can take an event now
        std::function<void(devices::DeviceMessage)> publish;  // retained state goes out anyway
        // For an event the room can lose when the broker is behind (a refusal's echo, one of
        // thousands in a flood): MQTT drops it rather than queue it. Empty: `publish`.
        std::function<void(devices::DeviceMessage)> publish_droppable;
        std::function<void(const nlohmann::json&)> panel_state;  // may be empty
        std::function<void(const nlohmann::json&)> panel_event;  // may be empty
        // Retained discovery messages; empty when discovery is off.
        std::function<std::vector<devices::DeviceMessage>()> discovery;
    };

    // A flood of changes costs the broker and the panels at most one document per window.
    static constexpr std::chrono::milliseconds state_window{50};
    static constexpr std::size_t recent_kept = 50;   // for the tech page
    static constexpr std::size_t unsent_kept = 100;  // raised before MQTT first connected

    RoomBroadcaster(boost::asio::io_context& io, config::RoomTopics topics, Ports ports);

    // Something in the state changed: published after this turn of the loop, or at the end
    // of the current window.
    void state_changed();
    // An event, stamped with `at` if it has none.
    void publish_event(nlohmann::json event);
    // MQTT (re)connected: discovery, the events held meanwhile, and the state at once (a
    // retained state must follow `online`).
    void connected();
    // Home Assistant restarted and forgot us.
    void republish_discovery();
    void stop() { state_timer_.cancel(); }

    const std::deque<nlohmann::json>& recent_events() const { return recent_; }

  private:
    void publish_state();

    boost::asio::io_context& io_;
    config::RoomTopics topics_;
    Ports ports_;
    boost::asio::steady_timer state_timer_;
    std::chrono::steady_clock::time_point last_state_built_{};
    bool state_pending_ = false;
    std::string last_state_published_;
    std::deque<nlohmann::json> recent_;
    std::deque<nlohmann::json> unsent_;
};

}  // namespace haven::daemon
