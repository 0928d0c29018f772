// Connecting, watching libmosquitto's socket on the io_context, retrying with backoff, and
// stopping with a clean goodbye.
#include <boost/asio/post.hpp>

#include "mqtt_client_impl.hpp"

namespace haven::mqtt {
namespace {

constexpr auto misc_interval = std::chrono::seconds(1);  // keepalive pings, retries, timeouts

}  // namespace

void MqttClient::Impl::start() {
    if (state != State::idle) return;
    state = State::connecting;
    arm_misc_timer();
    attempt_connect();
}

void MqttClient::Impl::attempt_connect() {
    pending_reason.clear();
    const int rc =
        mosquitto_connect_async(mosq, options.host.c_str(), options.port, options.keepalive_s);
    if (rc != MOSQ_ERR_SUCCESS) {
        const std::string reason = describe_error(rc);
        release_socket();
        notify_connect_failed(reason);
        schedule_retry();
        return;
    }
    adopt_socket();
}

void MqttClient::Impl::adopt_socket() {
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
void MqttClient::Impl::release_socket() {
    if (socket) {
        socket->release();
        socket.reset();
    }
    socket_fd = -1;
    read_armed = false;
    write_armed = false;
    ++socket_generation;
}

void MqttClient::Impl::schedule_retry() {
    if (state == State::stopped) return;
    state = State::waiting_to_retry;
    // A broker that stopped acknowledging is there and answering: no reason to wait for it.
    const Millis delay = reconnect_at_once
                             ? Millis{0}
                             : backoff.next(std::uniform_real_distribution<double>(0.0, 1.0)(rng));
    reconnect_at_once = false;
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
void MqttClient::Impl::sync_socket() {
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
void MqttClient::Impl::arm_waits() {
    if (!socket) return;
    if (!read_armed)
        arm(asio::posix::descriptor_base::wait_read, &Impl::read_armed, mosquitto_loop_read);
    if (!write_armed && mosquitto_want_write(mosq))
        arm(asio::posix::descriptor_base::wait_write, &Impl::write_armed, mosquitto_loop_write);
}

// One readiness wait on the socket; `armed` says a wait of that kind is pending.
void MqttClient::Impl::arm(asio::posix::descriptor_base::wait_type kind, bool Impl::*armed,
                           int (*loop)(struct mosquitto*, int)) {
    this->*armed = true;
    socket->async_wait(kind, [weak = weak_from_this(), gen = socket_generation, armed,
                              loop](const boost::system::error_code& ec) {
        auto self = weak.lock();
        if (!self || ec == asio::error::operation_aborted || gen != self->socket_generation) return;
        (*self).*armed = false;
        loop(self->mosq, 1);
        self->deliver_inbox();
        self->sync_socket();
    });
}

void MqttClient::Impl::arm_misc_timer() {
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

void MqttClient::Impl::stop() {
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

}  // namespace haven::mqtt
