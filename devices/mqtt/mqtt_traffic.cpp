// Subscribing and publishing, and libmosquitto's callbacks (they run inside
// loop_read/write/misc, on the control thread).
#include <boost/asio/post.hpp>

#include "mqtt_client_impl.hpp"

namespace haven::mqtt {

void MqttClient::Impl::subscribe(std::string filter, int qos) {
    for (auto& [known, known_qos] : subscriptions) {
        if (known == filter) {
            known_qos = qos;
            if (state == State::connected) send_subscribe(known, qos);
            return;
        }
    }
    subscriptions.emplace_back(std::move(filter), qos);
    if (state == State::connected) send_subscribe(subscriptions.back().first, qos);
}

void MqttClient::Impl::send_subscribe(const std::string& filter, int qos) {
    mosquitto_subscribe(mosq, nullptr, filter.c_str(), qos);
    if (!in_callback) sync_socket();
}

void MqttClient::Impl::publish(const devices::DeviceMessage& message, Delivery delivery) {
    if (state != State::connected) return;  // dropped: see the header
    // Behind means many waiting and the oldest waiting long: a burst that the broker is
    // acknowledging as it comes (a thousand refusals in one read) keeps every echo.
    if (delivery == Delivery::droppable && message.qos > 0 &&
        unacked.size() >= options.max_unacknowledged && oldest_wait() >= options.ack_timeout / 2) {
        report_dropped(message.topic, "the broker is behind (" + std::to_string(unacked.size()) +
                                          " publishes unacknowledged)");
        return;
    }
    int mid = 0;
    const int rc = mosquitto_publish(mosq, &mid, message.topic.c_str(),
                                     static_cast<int>(message.payload.size()),
                                     message.payload.data(), message.qos, message.retain);
    if (rc != MOSQ_ERR_SUCCESS) {
        // Too large for the broker, out of memory, or the connection just went: said, not
        // swallowed. A lost connection is reported by sync_socket() as well.
        report_dropped(message.topic, describe_error(rc));
        return;
    }
    if (message.qos > 0) await_ack(mid);
    if (!in_callback) {
        write_now();
    } else if (!write_posted) {
        // A light command made while handling a button press should not wait for the
        // next reactor turn, behind whatever else the press posts (state, events): write
        // from the first handler after the callback returns.
        write_posted = true;
        asio::post(io, [weak = weak_from_this()] {
            if (auto self = weak.lock()) {
                self->write_posted = false;
                self->write_now();
            }
        });
    }
}

// Small packets on a writable socket: send them now rather than on the next readiness
// wait. A failed write closes the socket, which sync_socket() reports.
void MqttClient::Impl::write_now() {
    if (state == State::connected && socket_fd >= 0 && mosquitto_socket(mosq) == socket_fd &&
        mosquitto_want_write(mosq))
        mosquitto_loop_write(mosq, 1);
    sync_socket();
}

void MqttClient::Impl::handle_connect(mosquitto*, void* userdata, int rc) {
    auto& self = self_of(userdata);
    if (rc != 0) {
        self.pending_reason =
            std::string("broker refused the connection: ") + mosquitto_connack_string(rc);
        return;  // libmosquitto closes the socket; sync_socket() reports and retries
    }
    self.on_session_up();
}

void MqttClient::Impl::on_session_up() {
    if (state == State::stopped) return;
    state = State::connected;
    backoff.reset();
    restart_acks_clock();
    in_callback = true;
    if (!options.will_topic.empty()) {
        mosquitto_publish(mosq, nullptr, options.will_topic.c_str(),
                          static_cast<int>(options.online_payload.size()),
                          options.online_payload.data(), 1, true);
    }
    for (const auto& [filter, qos] : subscriptions)
        mosquitto_subscribe(mosq, nullptr, filter.c_str(), qos);
    if (owner != nullptr && owner->on_connected) owner->on_connected();
    in_callback = false;
}

void MqttClient::Impl::handle_disconnect(mosquitto*, void* userdata, int rc) {
    auto& self = self_of(userdata);
    if (self.pending_reason.empty()) {
        self.pending_reason = rc == 0 ? "disconnected" : describe_error(rc);
    }
}

// Messages are kept, not handled, inside libmosquitto's callback: there it only queues
// what we publish (it writes when its read returns), so a cue's light command would wait
// behind the rest of the cue's handling. deliver_inbox() hands them on after the read,
// where a publish is written at once: the light command leaves before the cue is logged
// or journaled.
void MqttClient::Impl::handle_message(mosquitto*, void* userdata,
                                      const mosquitto_message* message) {
    auto& self = self_of(userdata);
    if (self.owner == nullptr || message == nullptr || message->topic == nullptr) return;
    const auto size = static_cast<std::size_t>(message->payloadlen);
    Inbound inbound{.topic = message->topic, .payload = {}, .size = size};
    if (size <= self.options.max_inbound_payload && size > 0)
        inbound.payload.assign(static_cast<const char*>(message->payload), size);
    self.inbox.push_back(std::move(inbound));
}

void MqttClient::Impl::deliver_inbox() {
    if (inbox.empty()) return;
    auto messages = std::move(inbox);
    inbox.clear();
    for (auto& m : messages) {
        if (owner == nullptr || state == State::stopped) return;
        if (m.size > options.max_inbound_payload) {
            if (owner->on_oversized) owner->on_oversized(m.topic, m.size);
        } else if (owner->on_message) {
            owner->on_message(m.topic, std::move(m.payload));
        }
    }
}

void MqttClient::Impl::report_dropped(const std::string& topic, const std::string& reason) {
    if (owner != nullptr && owner->on_dropped) owner->on_dropped(topic, reason);
}

void MqttClient::Impl::notify_disconnected(const std::string& reason) {
    if (owner != nullptr && owner->on_disconnected) owner->on_disconnected(reason);
}

void MqttClient::Impl::notify_connect_failed(const std::string& reason) {
    if (owner != nullptr && owner->on_connect_failed) owner->on_connect_failed(reason);
}

}  // namespace haven::mqtt
