#include "room_runner.hpp"

#include <mosquitto.h>

#include <mutex>
#include <stdexcept>

#include "secret_file.hpp"
#include "virtual_room.hpp"

namespace haven::simulator {
namespace {

std::string read_secret(const std::filesystem::path& file) {
    auto secret = config::read_secret_file(file);
    if (!secret) throw std::runtime_error("cannot read a password from " + file.string());
    return *secret;
}

void check(int rc, const char* what) {
    if (rc != MOSQ_ERR_SUCCESS)
        throw std::runtime_error(std::string(what) + ": " + mosquitto_strerror(rc));
}

}  // namespace

struct RoomRunner::Impl {
    mutable std::mutex mutex;
    VirtualRoom room;
    ChangeListener on_change;
    mosquitto* client = nullptr;

    Impl(const config::RoomConfig& config, ChangeListener listener)
        : room(config.lights, config.buttons), on_change(std::move(listener)) {}

    // Caller holds the mutex.
    void publish(const std::vector<devices::DeviceMessage>& messages) {
        for (const auto& m : messages) {
            mosquitto_publish(client, nullptr, m.topic.c_str(), static_cast<int>(m.payload.size()),
                              m.payload.data(), m.qos, m.retain);
        }
    }

    static void connected(mosquitto*, void* self, int rc) {
        if (rc != 0) return;
        auto* impl = static_cast<Impl*>(self);
        std::lock_guard lock(impl->mutex);
        for (const auto& topic : impl->room.subscriptions())
            mosquitto_subscribe(impl->client, nullptr, topic.c_str(), 1);
        impl->publish(impl->room.announce());  // also after a reconnect
    }

    static void received(mosquitto*, void* self, const mosquitto_message* message) {
        auto* impl = static_cast<Impl*>(self);
        const std::string topic = message->topic;
        const std::string payload(static_cast<const char*>(message->payload),
                                  static_cast<std::size_t>(message->payloadlen));
        std::lock_guard lock(impl->mutex);
        impl->publish(impl->room.on_message(topic, payload));
        if (impl->on_change) impl->on_change(impl->room.view());
    }
};

RoomRunner::RoomRunner(const config::RoomConfig& config, ChangeListener on_change)
    : impl_(std::make_unique<Impl>(config, std::move(on_change))) {
    mosquitto_lib_init();
    const std::string id = "haven-sim-" + config.room.id;
    impl_->client = mosquitto_new(id.c_str(), true, impl_.get());
    if (!impl_->client) throw std::runtime_error("cannot create an MQTT client");
    const auto& mqtt = config.mqtt;
    if (mqtt.username) {
        const std::string password = mqtt.password_file ? read_secret(*mqtt.password_file) : "";
        check(mosquitto_username_pw_set(impl_->client, mqtt.username->c_str(),
                                        mqtt.password_file ? password.c_str() : nullptr),
              "MQTT credentials");
    }
    if (mqtt.tls) {
        auto path_or_null = [](const std::filesystem::path& p) {
            return p.empty() ? nullptr : p.c_str();
        };
        check(mosquitto_tls_set(impl_->client, mqtt.tls->ca_file.c_str(), nullptr,
                                path_or_null(mqtt.tls->cert_file), path_or_null(mqtt.tls->key_file),
                                nullptr),
              "MQTT TLS");
    }
    mosquitto_connect_callback_set(impl_->client, &Impl::connected);
    mosquitto_message_callback_set(impl_->client, &Impl::received);
    check(mosquitto_connect(impl_->client, mqtt.host.c_str(), mqtt.port, mqtt.keepalive_s),
          ("cannot connect to MQTT broker " + mqtt.host + ":" + std::to_string(mqtt.port)).c_str());
    check(mosquitto_loop_start(impl_->client), "MQTT network thread");
}

RoomRunner::~RoomRunner() {
    {
        std::lock_guard lock(impl_->mutex);
        for (const auto& [id, light] : impl_->room.lights())
            impl_->publish(impl_->room.set_online(id, false));
    }
    mosquitto_disconnect(impl_->client);
    mosquitto_loop_stop(impl_->client, false);
    mosquitto_destroy(impl_->client);
    mosquitto_lib_cleanup();
}

bool RoomRunner::press(const std::string& button_id, const std::string& action) {
    std::lock_guard lock(impl_->mutex);
    auto message = impl_->room.press(button_id, action);
    if (!message) return false;
    impl_->publish({*message});
    return true;
}

bool RoomRunner::set_online(const std::string& light_id, bool online) {
    std::lock_guard lock(impl_->mutex);
    auto messages = impl_->room.set_online(light_id, online);
    if (messages.empty()) return false;
    impl_->publish(messages);
    if (impl_->on_change) impl_->on_change(impl_->room.view());
    return true;
}

std::string RoomRunner::view() const {
    std::lock_guard lock(impl_->mutex);
    return impl_->room.view();
}

double RoomRunner::level(const std::string& light_id) const {
    std::lock_guard lock(impl_->mutex);
    auto found = impl_->room.lights().find(light_id);
    return found == impl_->room.lights().end() ? -1 : found->second.level;
}

}  // namespace haven::simulator
