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
};

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
    void publish(const devices::DeviceMessage& message);
    bool connected() const;

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

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;  // shared: pending asio handlers hold weak references
};

}  // namespace haven::mqtt
