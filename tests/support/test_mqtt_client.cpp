#include "test_mqtt_client.hpp"

#include <mosquitto.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <stdexcept>

#include "mosquitto_broker.hpp"

namespace haven::test {

namespace {

void init_library_once() {
    static std::once_flag once;
    std::call_once(once, [] { mosquitto_lib_init(); });
}

std::string random_client_id() {
    static std::atomic<int> counter{0};
    return "haven-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

}  // namespace

TestMqttClient::TestMqttClient(const MosquittoBroker& broker, std::string client_id,
                               bool clean_session) {
    init_library_once();
    if (client_id.empty()) client_id = random_client_id();
    mosq_ = mosquitto_new(client_id.c_str(), clean_session, this);
    if (mosq_ == nullptr) throw std::runtime_error("mosquitto_new failed");
    if (broker.mode() == MosquittoBroker::Mode::password) {
        mosquitto_username_pw_set(mosq_, broker.username().c_str(), broker.password().c_str());
    }
    if (broker.mode() == MosquittoBroker::Mode::tls) {
        mosquitto_tls_set(mosq_, broker.ca_file().c_str(), nullptr,
                          broker.client_cert_file().c_str(), broker.client_key_file().c_str(),
                          nullptr);
    }
    mosquitto_connect_callback_set(mosq_, &TestMqttClient::handle_connect);
    mosquitto_message_callback_set(mosq_, &TestMqttClient::handle_message);
    mosquitto_publish_callback_set(mosq_, &TestMqttClient::handle_ack);
    mosquitto_subscribe_callback_set(mosq_, &TestMqttClient::handle_suback);
    if (mosquitto_connect(mosq_, broker.host().c_str(), broker.port(), 30) != MOSQ_ERR_SUCCESS ||
        mosquitto_loop_start(mosq_) != MOSQ_ERR_SUCCESS) {
        mosquitto_destroy(mosq_);
        throw std::runtime_error("test client cannot connect to port " +
                                 std::to_string(broker.port()));
    }
    std::unique_lock lock(mutex_);
    if (!changed_.wait_for(lock, default_timeout, [this] { return connack_ >= 0; }) ||
        !connected_) {
        lock.unlock();
        mosquitto_disconnect(mosq_);
        mosquitto_loop_stop(mosq_, true);
        mosquitto_destroy(mosq_);
        throw std::runtime_error("test client: broker refused or did not answer CONNECT");
    }
}

TestMqttClient::~TestMqttClient() {
    mosquitto_disconnect(mosq_);
    mosquitto_loop_stop(mosq_, false);
    mosquitto_destroy(mosq_);
}

void TestMqttClient::handle_connect(mosquitto*, void* self, int rc) {
    auto& client = *static_cast<TestMqttClient*>(self);
    std::lock_guard lock(client.mutex_);
    client.connack_ = rc;
    client.connected_ = rc == 0;
    client.changed_.notify_all();
}

void TestMqttClient::handle_message(mosquitto*, void* self, const mosquitto_message* message) {
    auto& client = *static_cast<TestMqttClient*>(self);
    ReceivedMessage received{
        message->topic,
        std::string(static_cast<const char*>(message->payload),
                    static_cast<std::size_t>(std::max(message->payloadlen, 0))),
        message->retain};
    std::lock_guard lock(client.mutex_);
    client.history_.push_back(received);
    client.inbox_.push_back(std::move(received));
    client.changed_.notify_all();
}

void TestMqttClient::handle_ack(mosquitto*, void* self, int mid) {
    auto& client = *static_cast<TestMqttClient*>(self);
    std::lock_guard lock(client.mutex_);
    client.acked_.push_back(mid);
    client.changed_.notify_all();
}

void TestMqttClient::handle_suback(mosquitto* mosq, void* self, int mid, int, const int*) {
    handle_ack(mosq, self, mid);
}

void TestMqttClient::wait_ack(int mid, const std::string& what) {
    std::unique_lock lock(mutex_);
    // Newest first, and taken out once seen: a 60,000-message flood would otherwise scan an
    // ever longer list per publish, and message ids wrap at 65,535 onto stale acks.
    auto found = acked_.rend();
    const bool acked = changed_.wait_for(lock, default_timeout, [&] {
        found = std::find(acked_.rbegin(), acked_.rend(), mid);
        return found != acked_.rend();
    });
    if (!acked) throw std::runtime_error("test client: no acknowledgement for " + what);
    acked_.erase(std::next(found).base());
}

void TestMqttClient::subscribe(const std::string& filter, int qos) {
    int mid = 0;
    if (mosquitto_subscribe(mosq_, &mid, filter.c_str(), qos) != MOSQ_ERR_SUCCESS) {
        throw std::runtime_error("test client: subscribe refused for " + filter);
    }
    wait_ack(mid, "SUBSCRIBE " + filter);
}

void TestMqttClient::publish(const std::string& topic, const std::string& payload, int qos,
                             bool retain) {
    int mid = 0;
    const int rc = mosquitto_publish(mosq_, &mid, topic.c_str(), static_cast<int>(payload.size()),
                                     payload.data(), qos, retain);
    if (rc != MOSQ_ERR_SUCCESS)
        throw std::runtime_error("test client: publish failed: " +
                                 std::string(mosquitto_strerror(rc)));
    wait_ack(mid, "PUBLISH " + topic);
}

std::optional<ReceivedMessage> TestMqttClient::wait_for(
    const std::string& topic, const std::function<bool(const std::string&)>& accept,
    Timeout timeout) {
    std::unique_lock lock(mutex_);
    std::optional<ReceivedMessage> found;
    changed_.wait_for(lock, timeout, [&] {
        const auto match =
            std::find_if(inbox_.begin(), inbox_.end(), [&](const ReceivedMessage& m) {
                return m.topic == topic && (!accept || accept(m.payload));
            });
        if (match == inbox_.end()) return false;
        found = *match;
        inbox_.erase(match);
        return true;
    });
    return found;
}

std::vector<ReceivedMessage> TestMqttClient::received(const std::string& topic) const {
    std::lock_guard lock(mutex_);
    std::vector<ReceivedMessage> out;
    std::copy_if(history_.begin(), history_.end(), std::back_inserter(out),
                 [&](const ReceivedMessage& m) { return m.topic == topic; });
    return out;
}

}  // namespace haven::test
