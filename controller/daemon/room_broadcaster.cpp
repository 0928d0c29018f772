#include "room_broadcaster.hpp"

#include <boost/asio/post.hpp>

#include "json_text.hpp"
#include "record_type.hpp"
#include "report.hpp"

namespace haven::daemon {

RoomBroadcaster::RoomBroadcaster(boost::asio::io_context& io, config::RoomTopics topics,
                                 Ports ports)
    : io_(io), topics_(std::move(topics)), ports_(std::move(ports)), state_timer_(io) {}

// The first change in a window goes out after this turn; later ones fold into one document
// at the window's end.
void RoomBroadcaster::state_changed() {
    if (state_pending_) return;
    state_pending_ = true;
    const auto window_ends = last_state_built_ + state_window;
    if (std::chrono::steady_clock::now() >= window_ends) {
        boost::asio::post(io_, [this] { publish_state(); });
        return;
    }
    state_timer_.expires_at(window_ends);
    state_timer_.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) publish_state();
    });
}

void RoomBroadcaster::publish_state() {
    state_pending_ = false;
    last_state_built_ = std::chrono::steady_clock::now();
    auto document = ports_.build_state();
    auto text = json_text(document);
    if (text == last_state_published_) return;
    last_state_published_ = text;
    ports_.publish({topics_.state(), std::move(text), 1, true});
    if (ports_.panel_state) ports_.panel_state(document);
}

void RoomBroadcaster::publish_event(nlohmann::json event) {
    if (!event.contains("at")) event["at"] = journal::format_utc(std::chrono::system_clock::now());
    recent_.push_back(event);
    if (recent_.size() > recent_kept) recent_.pop_front();
    if (ports_.connected()) {
        const bool droppable = ports_.publish_droppable &&
                               event.value("type", "") == to_string(RecordType::command_rejected);
        (droppable ? ports_.publish_droppable
                   : ports_.publish)({topics_.events(), json_text(event), 1, false});
    } else if (unsent_.size() < unsent_kept) {
        unsent_.push_back(event);  // e.g. `resumed`, raised before the first connection
    }
    if (ports_.panel_event) ports_.panel_event(event);
}

void RoomBroadcaster::connected() {
    republish_discovery();
    for (const auto& event : unsent_)
        ports_.publish({topics_.events(), json_text(event), 1, false});
    unsent_.clear();
    last_state_published_.clear();
    state_timer_.cancel();
    publish_state();  // at once, whatever the window
}

void RoomBroadcaster::republish_discovery() {
    if (!ports_.discovery) return;
    for (auto& message : ports_.discovery())
        ports_.publish(std::move(message));
}

}  // namespace haven::daemon
