#include "probe_client.hpp"

#include <mosquitto.h>

#include <stdexcept>

namespace haven::bench {

namespace {

struct LibraryInit {
    LibraryInit() { mosquitto_lib_init(); }
};

void check(int rc, const char* what) {
    if (rc != MOSQ_ERR_SUCCESS)
        throw std::runtime_error(std::string(what) + ": " + mosquitto_strerror(rc));
}

}  // namespace

ProbeClient::ProbeClient(const std::string& id, int port) {
    static LibraryInit init;
    mosq_ = mosquitto_new(id.c_str(), true, this);
    if (!mosq_) throw std::runtime_error("mosquitto_new failed");
    mosquitto_message_callback_set(mosq_, &ProbeClient::on_message);
    mosquitto_subscribe_callback_set(mosq_, &ProbeClient::on_subscribe);
    // Like Haven's own client: without it a second small packet waits for a delayed ACK (40 ms).
    mosquitto_int_option(mosq_, MOSQ_OPT_TCP_NODELAY, 1);
    check(mosquitto_connect(mosq_, "127.0.0.1", port, 30), "connect");
}

ProbeClient::~ProbeClient() {
    mosquitto_disconnect(mosq_);
    mosquitto_destroy(mosq_);
}

void ProbeClient::on_message(mosquitto*, void* self, const mosquitto_message* message) {
    const auto at = Clock::now();
    auto* probe = static_cast<ProbeClient*>(self);
    if (!probe->handler_ || probe->matched_) return;
    Arrival arrival{message->topic,
                    std::string(static_cast<const char*>(message->payload),
                                static_cast<std::size_t>(message->payloadlen)),
                    at};
    if (probe->handler_(arrival)) probe->matched_ = true;
}

void ProbeClient::on_subscribe(mosquitto*, void* self, int, int, const int*) {
    ++static_cast<ProbeClient*>(self)->subacks_;
}

void ProbeClient::loop_once(int timeout_ms) {
    const int rc = mosquitto_loop(mosq_, timeout_ms, 1);
    if (rc == MOSQ_ERR_CONN_LOST || rc == MOSQ_ERR_NO_CONN)
        check(mosquitto_reconnect(mosq_), "reconnect");
}

void ProbeClient::subscribe(const std::string& filter, int qos) {
    const int before = subacks_;
    check(mosquitto_subscribe(mosq_, nullptr, filter.c_str(), qos), "subscribe");
    const auto deadline = Clock::now() + std::chrono::seconds(5);
    while (subacks_ == before) {
        if (Clock::now() > deadline) throw std::runtime_error("no SUBACK for " + filter);
        loop_once(50);
    }
}

void ProbeClient::publish(const std::string& topic, const std::string& payload, int qos,
                          bool retain) {
    check(mosquitto_publish(mosq_, nullptr, topic.c_str(), static_cast<int>(payload.size()),
                            payload.data(), qos, retain),
          "publish");
}

bool ProbeClient::wait_for(const std::function<bool(const Arrival&)>& done,
                           std::chrono::milliseconds timeout) {
    handler_ = done;
    matched_ = false;
    const auto deadline = Clock::now() + timeout;
    while (!matched_ && Clock::now() < deadline)
        loop_once(10);
    handler_ = nullptr;
    return matched_;
}

void ProbeClient::drain(std::chrono::milliseconds how_long) {
    wait_for([](const Arrival&) { return false; }, how_long);
}

int ProbeClient::poll() {
    int seen = 0;
    handler_ = [&seen](const Arrival&) {
        ++seen;
        return false;
    };
    matched_ = false;
    loop_once(0);
    handler_ = nullptr;
    return seen;
}

}  // namespace haven::bench
