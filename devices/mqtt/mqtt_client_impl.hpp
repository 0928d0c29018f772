#pragma once
// MqttClient's insides, shared by its four files: mqtt_client.cpp (setup, teardown and the
// public calls), mqtt_connection.cpp (connecting, the socket and its readiness waits,
// retries, stopping), mqtt_traffic.cpp (subscribing, publishing, libmosquitto's callbacks)
// and mqtt_acks.cpp (waiting for PUBACKs, renewing a connection that lost them). Private to
// haven_mqtt. Control thread only.

#include <mosquitto.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "backoff.hpp"
#include "mqtt_client.hpp"

namespace haven::mqtt {

namespace asio = boost::asio;

// A libmosquitto return code in words (errno's words for MOSQ_ERR_ERRNO: refused, unreachable).
std::string describe_error(int rc);

struct MqttClient::Impl : std::enable_shared_from_this<Impl> {
    enum class State { idle, connecting, connected, waiting_to_retry, stopped };

    Impl(MqttClient& owner_in, asio::io_context& io_in, ClientOptions options_in);

    ~Impl() { destroy(); }

    void configure();
    void check(int rc, const std::string& what);

    // ---- connection lifecycle -------------------------------------------------------

    void start();
    void attempt_connect();
    void adopt_socket();

    // The socket belongs to libmosquitto: asio only watches it, so it is released, never
    // closed, here. Releasing also cancels the waits still pending on it.
    void release_socket();
    void schedule_retry();

    // libmosquitto closes its socket itself (lost connection, refused CONNACK, keepalive
    // timeout, DISCONNECT sent). Checked right after every call into it, so asio stops
    // watching the descriptor before the number can be reused.
    void sync_socket();

    // A wait that fails for any reason but cancellation is treated as readiness: the
    // read/write then meets the fault, libmosquitto closes the socket and sync_socket()
    // reports it, so the connection can never stall with no wait armed.
    void arm_waits();

    // One readiness wait on the socket; `armed` says a wait of that kind is pending.
    void arm(asio::posix::descriptor_base::wait_type kind, bool Impl::*armed,
             int (*loop)(struct mosquitto*, int));
    void arm_misc_timer();
    void stop();
    void destroy();

    // ---- traffic --------------------------------------------------------------------

    void subscribe(std::string filter, int qos);
    void send_subscribe(const std::string& filter, int qos);
    void publish(const devices::DeviceMessage& message, Delivery delivery);
    void report_dropped(const std::string& topic, const std::string& reason);

    // ---- acknowledgements (mqtt_acks.cpp) ---------------------------------------------

    void await_ack(int mid);
    static void handle_published(mosquitto*, void* userdata, int mid);
    // While publishes wait for their PUBACK: if the oldest has waited ack_timeout, the broker
    // dropped it (see ClientOptions::ack_timeout), so the connection is renewed at once.
    void arm_ack_timer();
    void check_acks();
    Millis oldest_wait() const;  // of the publishes still unacknowledged
    void restart_acks_clock();   // a new connection: the resent publishes start waiting anew

    // Small packets on a writable socket: send them now rather than on the next readiness
    // wait. A failed write closes the socket, which sync_socket() reports.
    void write_now();

    // ---- libmosquitto callbacks (run inside loop_read/write/misc, on our thread) ------

    static Impl& self_of(void* userdata) { return *static_cast<Impl*>(userdata); }

    static void handle_connect(mosquitto*, void* userdata, int rc);
    void on_session_up();
    static void handle_disconnect(mosquitto*, void* userdata, int rc);

    // Messages are kept, not handled, inside libmosquitto's callback: there it only queues
    // what we publish (it writes when its read returns), so a cue's light command would wait
    // behind the rest of the cue's handling. deliver_inbox() hands them on after the read,
    // where a publish is written at once: the light command leaves before the cue is logged
    // or journaled.
    static void handle_message(mosquitto*, void* userdata, const mosquitto_message* message);
    void deliver_inbox();
    void notify_disconnected(const std::string& reason);
    void notify_connect_failed(const std::string& reason);

    MqttClient* owner;
    asio::io_context& io;
    ClientOptions options;
    mosquitto* mosq = nullptr;
    std::optional<asio::posix::stream_descriptor> socket;
    int socket_fd = -1;
    unsigned socket_generation = 0;
    bool read_armed = false;
    bool write_armed = false;
    bool in_callback = false;   // inside a libmosquitto callback: it flushes on return
    bool write_posted = false;  // a write_now() is queued for after the callback
    struct Inbound {
        std::string topic;
        std::string payload;  // empty when oversized: only its size is reported
        std::size_t size = 0;
    };
    std::vector<Inbound> inbox;  // read, not yet handed to the owner (see handle_message)
    asio::steady_timer misc_timer;
    asio::steady_timer retry_timer;
    asio::steady_timer ack_timer;
    bool ack_timer_armed = false;
    bool reconnect_at_once = false;  // the next retry skips the backoff (a stalled broker)
    std::unordered_map<int, std::chrono::steady_clock::time_point> unacked;  // mid -> sent
    Backoff backoff;
    std::mt19937 rng;
    State state = State::idle;
    std::string pending_reason;  // why libmosquitto is about to close the socket
    std::vector<std::pair<std::string, int>> subscriptions;
};

}  // namespace haven::mqtt
