#include "mqtt_flooder.hpp"

#include <mosquitto.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "mosquitto_broker.hpp"

namespace haven::test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto tick = std::chrono::milliseconds(10);

mosquitto* connect_publisher(const MosquittoBroker& broker, int index) {
    mosquitto_lib_init();
    const std::string id = "flooder-" + std::to_string(index) + "-" + std::to_string(::getpid());
    mosquitto* mosq = mosquitto_new(id.c_str(), true, nullptr);
    if (mosq == nullptr) throw std::runtime_error("flooder: mosquitto_new failed");
    mosquitto_max_inflight_messages_set(mosq, 0);  // never wait for PUBACKs
    if (mosquitto_connect(mosq, broker.host().c_str(), broker.port(), 60) != MOSQ_ERR_SUCCESS) {
        mosquitto_destroy(mosq);
        throw std::runtime_error("flooder cannot connect to port " + std::to_string(broker.port()));
    }
    return mosq;
}

}  // namespace

MqttFlooder::MqttFlooder(const MosquittoBroker& broker, FloodPlan plan) : plan_(std::move(plan)) {
    for (int c = 0; c < plan_.connections; ++c)
        clients_.push_back(connect_publisher(broker, c));
    running_ = plan_.connections;
    for (int c = 0; c < plan_.connections; ++c)
        threads_.emplace_back([this, c] { publish_loop(c, clients_[c]); });
}

MqttFlooder::~MqttFlooder() {
    stop();
    for (void* client : clients_) {
        auto* mosq = static_cast<mosquitto*>(client);
        mosquitto_disconnect(mosq);
        mosquitto_destroy(mosq);
    }
}

void MqttFlooder::wait() {
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
}

void MqttFlooder::stop() {
    stopping_ = true;
    wait();
}

// Paced by tick, not by the clock: a publisher that falls behind takes longer (and the
// test measures the rate it really reached) instead of quietly sending less.
void MqttFlooder::publish_loop(int connection, void* client) {
    auto* mosq = static_cast<mosquitto*>(client);
    const long per_tick =
        std::max(1L, static_cast<long>(plan_.messages_per_second) / plan_.connections /
                         static_cast<long>(std::chrono::seconds(1) / tick));
    const long ticks = plan_.duration / tick;
    const auto start = Clock::now();
    long i = 0;
    for (long t = 0; t < ticks && !stopping_; ++t) {
        for (long k = 0; k < per_tick; ++k, ++i) {
            auto m = plan_.message(connection, i);
            mosquitto_publish(mosq, nullptr, m.topic.c_str(), static_cast<int>(m.payload.size()),
                              m.payload.data(), m.qos, false);
        }
        sent_ += per_tick;
        // Writes what the socket did not take, reads PUBACKs and answers pings.
        mosquitto_loop(mosq, 0, 1);
        while (mosquitto_want_write(mosq) && Clock::now() < start + (t + 1) * tick)
            mosquitto_loop(mosq, 1, 1);
        std::this_thread::sleep_until(start + (t + 1) * tick);
    }
    // Whatever is still queued locally goes out before the flood counts as over.
    const auto drain_until = Clock::now() + std::chrono::seconds(10);
    while (mosquitto_want_write(mosq) && Clock::now() < drain_until)
        mosquitto_loop(mosq, 10, 1);
    --running_;
}

}  // namespace haven::test
