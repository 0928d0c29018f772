#pragma once
// The room's one MQTT connection. libmosquitto runs in external-loop mode on the caller's
// io_context: its socket is watched with asio, so every callback below runs on the control
// thread and no MQTT thread exists. All member functions must be called on that thread; do not
// destroy the client from inside one of its own callbacks (post the destruction instead).
//
// The connection never gives up: after a failed connect or a lost connection it retries
// forever with capped exponential backoff and jitter. The session is persistent (fixed
// client id, clean session off) so QoS 1 commands sent while we were away are delivered.

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "device_message.hpp"
#include "room_config.hpp"
#include "units.hpp"

namespace boost::asio {
class io_context;
}

namespace haven::mqtt {

struct ClientOptions {
    std::string host;
    int port = 1883;
    std::string client_id;  // fixed, so the broker keeps our session and queued commands
    std::optional<std::string> username;
    std::optional<std::string> password;  // the caller reads the password file
    std::optional<config::TlsConfig> tls;
    int keepalive_s = 30;
    std::string will_topic;  // `<prefix>/<room>/status`; empty: no will, no online message
    std::string will_payload = "offline";
    std::string online_payload = "online";
    Millis backoff_min{500};
    Millis backoff_max{30000};
    // Inbound payloads larger than this are dropped (on_oversized) before any parsing.
    std::size_t max_inbound_payload = 64 * 1024;
    // A QoS 1 publish the broker has not acknowledged for this long means it dropped the
    // PUBACK: mosquitto drops every packet it owes a client that has more than
    // `max_queued_messages` waiting (a flood we read slower than it arrives), acknowledgements
    // included, and MQTT 3.1.1 resends only on a new connection. So we reconnect at once.
    Millis ack_timeout{500};
    // Publishes sent or queued but not yet acknowledged, past which — when the oldest has
    // also waited ack_timeout / 2 — a droppable one is dropped (and reported) rather than
    // queued: libmosquitto's own queue has no limit.
    std::size_t max_unacknowledged = 200;
};

// What may be given up when the broker falls behind: an essential message (state, a cue's
// event, a light command) is always queued; a droppable one (the echo of a refused command)
// is dropped, and reported through on_dropped, while too many are unacknowledged.
enum class Delivery { essential, droppable };

class MqttClient {
  public:
    MqttClient(boost::asio::io_context& io, ClientOptions options);
    // Drops the connection without a DISCONNECT packet: the broker then publishes the last
    // will, exactly as if the process had died. Call stop() first for a clean goodbye.
    ~MqttClient();
    MqttClient(const MqttClient&) = delete;
    MqttClient& operator=(const MqttClient&) = delete;

    // Begins connecting (non-blocking, apart from name resolution) and keeps reconnecting.
    void start();
    // Publishes `will_payload` to the will topic (so the status is right after a clean
    // shutdown too), sends DISCONNECT and stops reconnecting. Nothing is published after.
    void stop();

    // Remembered, and subscribed again after every reconnect.
    void subscribe(std::string filter, int qos = 1);
    // While disconnected the message is dropped, not queued: every publisher republishes
    // its current state on on_connected, and stale light commands replayed after an outage
    // would only fight the re-asserted levels.
    void publish(const devices::DeviceMessage& message, Delivery delivery = Delivery::essential);
    bool connected() const;
    // QoS 1 publishes not yet acknowledged by the broker (queued in libmosquitto or in flight).
    std::size_t unacknowledged() const;

    // After every (re)connect, once the online status is published and subscriptions are
    // renewed: the place to republish state, discovery and light levels.
    std::function<void()> on_connected;
    // When an established connection is lost or closed.
    std::function<void(std::string reason)> on_disconnected;
    // When a connection attempt fails (refused, unreachable, bad credentials, TLS error).
    std::function<void(std::string reason)> on_connect_failed;
    std::function<void(const std::string& topic, const std::string& payload)> on_message;
    // An inbound payload over max_inbound_payload was dropped unread.
    std::function<void(const std::string& topic, std::size_t size)> on_oversized;
    // A publish that did not go out: droppable while the broker is behind, or refused by
    // libmosquitto (too large, out of memory). Says why.
    std::function<void(const std::string& topic, const std::string& reason)> on_dropped;

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;  // shared: pending asio handlers hold weak references
};

}  // namespace haven::mqtt
