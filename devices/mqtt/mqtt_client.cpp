#include "mqtt_client.hpp"

#include <mosquitto.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <random>
#include <stdexcept>
#include <utility>
#include <vector>

#include "backoff.hpp"

namespace haven::mqtt {

namespace asio = boost::asio;

namespace {

constexpr auto misc_interval = std::chrono::seconds(1);  // keepalive pings, retries, timeouts

void init_library_once() {
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string describe(int rc) {
    // MOSQ_ERR_ERRNO means "look at errno": connection refused, unreachable, ...
    if (rc == MOSQ_ERR_ERRNO) return std::strerror(errno);
    return mosquitto_strerror(rc);
}

const char* c_str_or_null(const std::filesystem::path& path) {
    return path.empty() ? nullptr : path.c_str();
}

}  // namespace

struct MqttClient::Impl : std::enable_shared_from_this<Impl> {
    enum class State { idle, connecting, connected, waiting_to_retry, stopped };

    Impl(MqttClient& owner_in, asio::io_context& io_in, ClientOptions options_in)
        : owner(&owner_in),
          io(io_in),
          options(std::move(options_in)),
          misc_timer(io),
          retry_timer(io),
          backoff(options.backoff_min, options.backoff_max),
          rng(std::random_device{}()) {
        init_library_once();
        if (options.client_id.empty()) {
            throw std::invalid_argument(
                "MQTT client id must not be empty (the session is persistent)");
        }
        mosq = mosquitto_new(options.client_id.c_str(), /*clean_session=*/false, this);
        if (mosq == nullptr)
            throw std::runtime_error("mosquitto_new failed: " + describe(MOSQ_ERR_ERRNO));
        configure();
    }

    ~Impl() { destroy(); }

    void configure() {
        mosquitto_int_option(mosq, MOSQ_OPT_PROTOCOL_VERSION, MQTT_PROTOCOL_V311);
        // With Nagle on, every QoS 1 exchange waits ~40 ms for the broker's delayed ACK.
        mosquitto_int_option(mosq, MOSQ_OPT_TCP_NODELAY, 1);
        if (options.username) {
            const char* password = options.password ? options.password->c_str() : nullptr;
            check(mosquitto_username_pw_set(mosq, options.username->c_str(), password), "username");
        }
        if (options.tls) {
            const auto& tls = *options.tls;
            check(mosquitto_tls_set(mosq, c_str_or_null(tls.ca_file), nullptr,
                                    c_str_or_null(tls.cert_file), c_str_or_null(tls.key_file),
                                    nullptr),
                  "TLS files (" + tls.ca_file.string() + ")");
        }
        if (!options.will_topic.empty()) {
            check(mosquitto_will_set(mosq, options.will_topic.c_str(),
                                     static_cast<int>(options.will_payload.size()),
                                     options.will_payload.data(), 1, true),
                  "last will topic '" + options.will_topic + "'");
        }
        mosquitto_connect_callback_set(mosq, &Impl::handle_connect);
        mosquitto_disconnect_callback_set(mosq, &Impl::handle_disconnect);
        mosquitto_message_callback_set(mosq, &Impl::handle_message);
    }

    void check(int rc, const std::string& what) {
        if (rc != MOSQ_ERR_SUCCESS) {
            mosquitto_destroy(mosq);
            mosq = nullptr;
            throw std::invalid_argument("MQTT " + what + ": " + describe(rc));
        }
    }

    // ---- connection lifecycle -------------------------------------------------------

    void start() {
        if (state != State::idle) return;
        state = State::connecting;
        arm_misc_timer();
        attempt_connect();
    }

    void attempt_connect() {
        pending_reason.clear();
        const int rc =
            mosquitto_connect_async(mosq, options.host.c_str(), options.port, options.keepalive_s);
        if (rc != MOSQ_ERR_SUCCESS) {
            const std::string reason = describe(rc);
            release_socket();
            notify_connect_failed(reason);
            schedule_retry();
            return;
        }
        adopt_socket();
    }

    void adopt_socket() {
        const int fd = mosquitto_socket(mosq);
        if (fd < 0) {
            notify_connect_failed("no socket after connect");
            schedule_retry();
            return;
        }
        socket.emplace(io, fd);
        socket_fd = fd;
        arm_waits();
    }

    // The socket belongs to libmosquitto: asio only watches it, so it is released, never
    // closed, here. Releasing also cancels the waits still pending on it.
    void release_socket() {
        if (socket) {
            socket->release();
            socket.reset();
        }
        socket_fd = -1;
        read_armed = false;
        write_armed = false;
        ++socket_generation;
    }

    void schedule_retry() {
        if (state == State::stopped) return;
        state = State::waiting_to_retry;
        const Millis delay = backoff.next(std::uniform_real_distribution<double>(0.0, 1.0)(rng));
        retry_timer.expires_after(delay);
        retry_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
            auto self = weak.lock();
            if (ec || !self || self->state != State::waiting_to_retry) return;
            self->state = State::connecting;
            self->attempt_connect();
        });
    }

    // libmosquitto closes its socket itself (lost connection, refused CONNACK, keepalive
    // timeout, DISCONNECT sent). Checked right after every call into it, so asio stops
    // watching the descriptor before the number can be reused.
    void sync_socket() {
        if (socket_fd < 0 || mosquitto_socket(mosq) == socket_fd) {
            arm_waits();
            return;
        }
        release_socket();
        const bool was_connected = state == State::connected;
        std::string reason = pending_reason.empty() ? "connection lost" : pending_reason;
        if (state == State::stopped) return;
        state = State::waiting_to_retry;  // no publishes from here on
        // Reported from a fresh handler: the caller may be in the middle of publish().
        asio::post(io, [weak = weak_from_this(), was_connected, reason = std::move(reason)] {
            auto self = weak.lock();
            if (!self || self->state == State::stopped) return;
            if (was_connected) {
                self->notify_disconnected(reason);
            } else {
                self->notify_connect_failed(reason);
            }
            self->schedule_retry();
        });
    }

    // A wait that fails for any reason but cancellation is treated as readiness: the
    // read/write then meets the fault, libmosquitto closes the socket and sync_socket()
    // reports it, so the connection can never stall with no wait armed.
    void arm_waits() {
        if (!socket) return;
        if (!read_armed)
            arm(asio::posix::descriptor_base::wait_read, &Impl::read_armed, mosquitto_loop_read);
        if (!write_armed && mosquitto_want_write(mosq))
            arm(asio::posix::descriptor_base::wait_write, &Impl::write_armed, mosquitto_loop_write);
    }

    // One readiness wait on the socket; `armed` says a wait of that kind is pending.
    void arm(asio::posix::descriptor_base::wait_type kind, bool Impl::*armed,
             int (*loop)(struct mosquitto*, int)) {
        this->*armed = true;
        socket->async_wait(kind, [weak = weak_from_this(), gen = socket_generation, armed,
                                  loop](const boost::system::error_code& ec) {
            auto self = weak.lock();
            if (!self || ec == asio::error::operation_aborted || gen != self->socket_generation)
                return;
            (*self).*armed = false;
            loop(self->mosq, 1);
            self->deliver_inbox();
            self->sync_socket();
        });
    }

    void arm_misc_timer() {
        misc_timer.expires_after(misc_interval);
        misc_timer.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
            auto self = weak.lock();
            if (!self || ec) return;
            if (self->socket) {
                mosquitto_loop_misc(self->mosq);
                self->sync_socket();
            }
            if (self->state != State::stopped || self->socket) self->arm_misc_timer();
        });
    }

    void stop() {
        if (state == State::stopped) return;
        const bool was_connected = state == State::connected;
        if (was_connected && !options.will_topic.empty()) {
            // A clean DISCONNECT suppresses the will, so say "offline" ourselves.
            mosquitto_publish(mosq, nullptr, options.will_topic.c_str(),
                              static_cast<int>(options.will_payload.size()),
                              options.will_payload.data(), 1, true);
        }
        state = State::stopped;
        retry_timer.cancel();
        if (socket) {
            mosquitto_disconnect(mosq);
            // Flush now if the kernel took nothing yet; the DISCONNECT closes the socket.
            // Not from inside a libmosquitto callback: it flushes when the callback returns.
            if (!in_callback && mosquitto_socket(mosq) == socket_fd && mosquitto_want_write(mosq))
                mosquitto_loop_write(mosq, 1);
            if (mosquitto_socket(mosq) != socket_fd) release_socket();
            arm_waits();  // still open: the write handler finishes the goodbye
        }
        if (was_connected) notify_disconnected("stopped");
    }

    void destroy() {
        owner = nullptr;
        state = State::stopped;
        release_socket();
        misc_timer.cancel();
        retry_timer.cancel();
        if (mosq == nullptr) return;
        // Closes the socket without DISCONNECT, so the broker publishes the will. Inside one
        // of our own callbacks libmosquitto is still using the handle: free it afterwards.
        if (in_callback) {
            asio::post(io, [doomed = mosq] { mosquitto_destroy(doomed); });
        } else {
            mosquitto_destroy(mosq);
        }
        mosq = nullptr;
    }

    // ---- traffic --------------------------------------------------------------------

    void subscribe(std::string filter, int qos) {
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

    void send_subscribe(const std::string& filter, int qos) {
        mosquitto_subscribe(mosq, nullptr, filter.c_str(), qos);
        if (!in_callback) sync_socket();
    }

    void publish(const devices::DeviceMessage& message) {
        if (state != State::connected) return;  // dropped: see the header
        mosquitto_publish(mosq, nullptr, message.topic.c_str(),
                          static_cast<int>(message.payload.size()), message.payload.data(),
                          message.qos, message.retain);
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
    void write_now() {
        if (state == State::connected && socket_fd >= 0 && mosquitto_socket(mosq) == socket_fd &&
            mosquitto_want_write(mosq))
            mosquitto_loop_write(mosq, 1);
        sync_socket();
    }

    // ---- libmosquitto callbacks (run inside loop_read/write/misc, on our thread) ------

    static Impl& self_of(void* userdata) { return *static_cast<Impl*>(userdata); }

    static void handle_connect(mosquitto*, void* userdata, int rc) {
        auto& self = self_of(userdata);
        if (rc != 0) {
            self.pending_reason =
                std::string("broker refused the connection: ") + mosquitto_connack_string(rc);
            return;  // libmosquitto closes the socket; sync_socket() reports and retries
        }
        self.on_session_up();
    }

    void on_session_up() {
        if (state == State::stopped) return;
        state = State::connected;
        backoff.reset();
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

    static void handle_disconnect(mosquitto*, void* userdata, int rc) {
        auto& self = self_of(userdata);
        if (self.pending_reason.empty()) {
            self.pending_reason = rc == 0 ? "disconnected" : describe(rc);
        }
    }

    // Messages are kept, not handled, inside libmosquitto's callback: there it only queues
    // what we publish (it writes when its read returns), so a cue's light command would wait
    // behind the rest of the cue's handling. deliver_inbox() hands them on after the read,
    // where a publish is written at once: the light command leaves before the cue is logged
    // or journaled.
    static void handle_message(mosquitto*, void* userdata, const mosquitto_message* message) {
        auto& self = self_of(userdata);
        if (self.owner == nullptr || message == nullptr || message->topic == nullptr) return;
        const auto size = static_cast<std::size_t>(message->payloadlen);
        Inbound inbound{.topic = message->topic, .payload = {}, .size = size};
        if (size <= self.options.max_inbound_payload && size > 0)
            inbound.payload.assign(static_cast<const char*>(message->payload), size);
        self.inbox.push_back(std::move(inbound));
    }

    void deliver_inbox() {
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

    void notify_disconnected(const std::string& reason) {
        if (owner != nullptr && owner->on_disconnected) owner->on_disconnected(reason);
    }
    void notify_connect_failed(const std::string& reason) {
        if (owner != nullptr && owner->on_connect_failed) owner->on_connect_failed(reason);
    }

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
    Backoff backoff;
    std::mt19937 rng;
    State state = State::idle;
    std::string pending_reason;  // why libmosquitto is about to close the socket
    std::vector<std::pair<std::string, int>> subscriptions;
};

MqttClient::MqttClient(asio::io_context& io, ClientOptions options)
    : impl_(std::make_shared<Impl>(*this, io, std::move(options))) {}

MqttClient::~MqttClient() {
    impl_->destroy();
}

void MqttClient::start() {
    impl_->start();
}
void MqttClient::stop() {
    impl_->stop();
}
void MqttClient::subscribe(std::string filter, int qos) {
    impl_->subscribe(std::move(filter), qos);
}
void MqttClient::publish(const devices::DeviceMessage& message) {
    impl_->publish(message);
}
bool MqttClient::connected() const {
    return impl_->state == Impl::State::connected;
}

}  // namespace haven::mqtt
