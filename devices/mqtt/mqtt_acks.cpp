// Watching the broker's acknowledgements. mosquitto (2.0.11 as shipped, with the
// CVE-2023-28366 fix) silently drops every packet it owes a client once more than
// `max_queued_messages` (1,000 by default) are waiting for it: a flood to our topics that
// we read slower than it arrives fills that queue, and our PUBACKs are dropped with the
// rest. libmosquitto keeps at most 20 QoS 1 publishes in flight and, as MQTT 3.1.1 says,
// resends them only on a new connection: without this watch every later event and state
// waited behind 20 acknowledgements that would never come, for good, while light commands
// at QoS 0 still went out. A publish unacknowledged for ack_timeout renews the connection
// at once (a clean DISCONNECT, so no `offline` will), and libmosquitto resends what waited.
#include <algorithm>

#include "mqtt_client_impl.hpp"

namespace haven::mqtt {
namespace {

constexpr auto ack_check_interval = std::chrono::milliseconds(100);

}  // namespace

void MqttClient::Impl::await_ack(int mid) {
    unacked[mid] = std::chrono::steady_clock::now();
    arm_ack_timer();
}

void MqttClient::Impl::handle_published(mosquitto*, void* userdata, int mid) {
    self_of(userdata).unacked.erase(mid);
}

void MqttClient::Impl::arm_ack_timer() {
    if (ack_timer_armed || unacked.empty() || state != State::connected) return;
    ack_timer_armed = true;
    ack_timer.expires_after(ack_check_interval);
    ack_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (!self) return;
        self->ack_timer_armed = false;
        if (!ec) self->check_acks();
    });
}

Millis MqttClient::Impl::oldest_wait() const {
    const auto now = std::chrono::steady_clock::now();
    auto oldest = now;
    for (const auto& [mid, sent] : unacked)
        oldest = std::min(oldest, sent);
    return std::chrono::duration_cast<Millis>(now - oldest);
}

void MqttClient::Impl::check_acks() {
    if (state != State::connected || unacked.empty()) return;
    const auto waited = oldest_wait();
    if (waited < options.ack_timeout || socket_fd < 0) {
        arm_ack_timer();
        return;
    }
    pending_reason = "the broker acknowledged none of " + std::to_string(unacked.size()) +
                     " publishes for " + std::to_string(waited.count()) +
                     " ms; reconnecting so that they are sent again";
    reconnect_at_once = true;
    mosquitto_disconnect(mosq);  // written at once; libmosquitto then closes the socket
    sync_socket();               // reports the loss and retries without waiting
}

void MqttClient::Impl::restart_acks_clock() {
    const auto now = std::chrono::steady_clock::now();
    for (auto& [mid, sent] : unacked)
        sent = now;
    arm_ack_timer();
}

}  // namespace haven::mqtt
