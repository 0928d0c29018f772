// The room's devices on the control loop: the MQTT connection (automation API, Home
// Assistant, light and button dialects), the light fades, the music, and the wall panel.
#include <boost/asio/post.hpp>
#include <filesystem>
#include <fstream>

#include "daemon_impl.hpp"
#include "ha_discovery.hpp"
#include "json_text.hpp"
#include "playlist.hpp"
#include "state_document.hpp"
#include "utf8.hpp"

namespace haven::daemon {
namespace {

std::optional<std::string> first_line(const std::filesystem::path& file) {
    std::ifstream in{file};
    std::string line;
    if (!std::getline(in, line)) return std::nullopt;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
        line.pop_back();
    return line;
}

std::filesystem::path www_root() {
    if (const char* over = std::getenv("HAVEN_WWW")) return over;
    std::error_code ec;
    if (std::filesystem::is_directory(HAVEN_WWW_SOURCE, ec)) return HAVEN_WWW_SOURCE;
    return HAVEN_WWW_INSTALLED;
}

// The tech page's button table. Asked for on demand (GET /api/tech), never pushed: last-seen
// times change with every battery report and would make every MQTT state publish a new one.
nlohmann::json buttons_json(const buttons::ButtonRouter& router) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& b : router.status())
        all.push_back({{"id", b.id},
                       {"driver", b.driver},
                       {"available", b.available ? nlohmann::json(*b.available) : nullptr},
                       {"last_seen", b.last_seen ? nlohmann::json(journal::format_utc(*b.last_seen))
                                                 : nullptr}});
    return all;
}

nlohmann::json audio_json(const audio::MusicPlayer* music) {
    if (!music) return nullptr;
    auto s = music->status();
    return {{"state", s.state},   {"playlist", s.playlist},   {"title", s.title},
            {"volume", s.volume}, {"device_ok", s.device_ok}, {"underruns", s.underruns}};
}

}  // namespace

void RoomDaemon::Impl::start_mqtt() {
    const auto& c = config->mqtt;
    mqtt::ClientOptions o{.host = c.host,
                          .port = c.port,
                          .client_id = c.client_id,
                          .username = c.username,
                          .tls = c.tls,
                          .keepalive_s = c.keepalive_s,
                          .will_topic = topics.status()};
    if (c.password_file) {
        o.password = first_line(*c.password_file);
        if (!o.password)
            spdlog::error("mqtt: password file {} is empty", c.password_file->string());
    }
    mqtt = std::make_unique<mqtt::MqttClient>(io, std::move(o));
    mqtt->subscribe(topics.commands_filter(), 1);
    for (const auto& topic : lights.subscriptions())
        mqtt->subscribe(topic, 0);
    for (const auto& topic : buttons.subscriptions())
        mqtt->subscribe(topic, 1);
    if (c.ha_discovery) mqtt->subscribe(c.ha_prefix + "/status", 0);
    mqtt->on_connected = [this] {
        spdlog::info("mqtt: connected to {}:{}", config->mqtt.host, config->mqtt.port);
        if (config->mqtt.ha_discovery)
            for (const auto& m : mqtt::home_assistant_discovery(*config, options.version))
                mqtt->publish(m);
        publish_lights(lights.reassert());  // devices may have missed commands while we were away
        for (const auto& event : unsent_events)
            mqtt->publish({topics.events(), json_text(event), 1, false});
        unsent_events.clear();
        last_state_published.clear();
        publish_state();  // at once, whatever the window: a retained state must follow `online`
    };
    mqtt->on_disconnected = [this](const std::string& reason) {
        if (!stopping) spdlog::warn("mqtt: connection lost ({}); reconnecting", reason);
    };
    mqtt->on_connect_failed = [](const std::string& reason) {
        spdlog::warn("mqtt: cannot connect ({}); retrying", reason);
    };
    // The door for text from the broker (the client itself passes bytes through untouched):
    // nothing past it meets bytes that would make a later serialisation throw.
    mqtt->on_message = [this](const std::string& topic, const std::string& payload) {
        on_mqtt_message(to_valid_utf8(topic), to_valid_utf8(payload));
    };
    mqtt->on_oversized = [this](const std::string& topic, std::size_t size) {
        spdlog::warn("mqtt: dropped a {}-byte message on {} (too large)", size, topic);
        // A command sender hears why nothing happened, as for any other refused command.
        if (auto name = topics.command_name(topic))
            publish_event({{"type", "command_rejected"},
                           {"command", name->starts_with("mark") ? "mark" : std::string{*name}},
                           {"reason", "payload too large (" + std::to_string(size) + " bytes)"},
                           {"source", "mqtt"}});
    };
    mqtt->start();
}

void RoomDaemon::Impl::on_mqtt_message(const std::string& topic, const std::string& payload) {
    if (auto name = topics.command_name(topic)) {
        on_mqtt_command(std::string{*name}, payload);
        return;
    }
    if (config->mqtt.ha_discovery && topic == config->mqtt.ha_prefix + "/status") {
        if (payload == "online")  // Home Assistant restarted: it forgot us
            for (const auto& m : mqtt::home_assistant_discovery(*config, options.version))
                mqtt->publish(m);
        return;
    }
    if (auto press = buttons.route(topic, payload, std::chrono::system_clock::now()); press.cue) {
        submit(press.cue->first, press.cue->second, {});
        return;
    } else if (!press.ignored.empty()) {
        spdlog::warn("buttons: ignored a message on {}: {}", topic, press.ignored);
    }
    if (auto ignored = lights.on_message(topic, payload, real_ms()); !ignored.empty())
        spdlog::debug("lights: ignored a message on {}: {}", topic, ignored);
    collect_device_faults();
    schedule_light_step();
}

void RoomDaemon::Impl::on_mqtt_command(const std::string& name, const std::string& payload) {
    auto parsed = parse_command(name, payload);
    if (!parsed.command) {
        spdlog::warn("mqtt: command '{}' refused: {}", name, parsed.error);
        publish_event({{"type", "command_rejected"},
                       {"command", name.starts_with("mark") ? "mark" : name},
                       {"reason", parsed.error},
                       {"source", "mqtt"}});
        return;
    }
    submit(*parsed.command, CommandSource{CommandSource::Kind::mqtt, ""}, {});
}

void RoomDaemon::Impl::apply_scene(const engine::SceneEffect& scene) {
    auto unknown = lights.apply_scene(scene.targets, real_fade(scene.fade), real_ms());
    for (const auto& id : unknown)
        spdlog::warn("lights: scene '{}' names unknown light {}", scene.scene, id);
    step_lights();
}

void RoomDaemon::Impl::step_lights() {
    publish_lights(lights.advance(real_ms()));
    schedule_light_step();
}

void RoomDaemon::Impl::schedule_light_step() {
    auto wake = lights.next_wake();
    light_timer.cancel();
    if (!wake) return;
    light_timer.expires_at(real_origin + *wake);
    light_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) step_lights();
    });
}

void RoomDaemon::Impl::publish_lights(const std::vector<devices::DeviceMessage>& messages) {
    if (!mqtt) return;
    for (const auto& m : messages)
        mqtt->publish(m);
}

void RoomDaemon::Impl::collect_device_faults() {
    for (const auto& change : lights.take_availability_changes()) {
        if (change.available)
            spdlog::info("lights: {} is back", change.light_id);
        else
            spdlog::warn("lights: {} is unavailable", change.light_id);
        journal_room_entry(change.available ? "device_recovered" : "device_fault",
                           {{"device", "light:" + change.light_id}});
        state_changed();
    }
}

void RoomDaemon::Impl::start_music() {
    std::map<std::string, playlists::Playlist> loaded;
    for (const auto& [id, playlist_config] : config->playlists) {
        auto playlist = playlists::load_playlist(playlist_config);
        for (const auto& problem : playlist.problems)
            spdlog::warn("playlist {}: {}", id, problem.to_string());
        loaded.emplace(id, std::move(playlist));
    }
    music = std::make_unique<audio::MusicPlayer>(config->audio, std::move(loaded));
    if (!music->open())
        spdlog::error("audio: output '{}' unavailable; the room runs on without music",
                      config->audio.output);
}

void RoomDaemon::Impl::start_panel() {
    panel::PanelOptions o{
        .address = config->panel.address,
        .port = config->panel.port,
        .therapist_pin = first_line(config->panel.therapist_pin_file).value_or(""),
        .tech_pin = first_line(config->panel.tech_pin_file).value_or(""),
        .www_root = www_root()};
    panel::PanelHooks hooks;
    hooks.state = [this] { return state(); };
    hooks.command = [this](const Command& c, const CommandSource& s, Reply reply) {
        submit(c, s, std::move(reply));
    };
    hooks.tech_status = [this] {
        nlohmann::json events = nlohmann::json::array();
        for (const auto& e : recent_events)
            events.push_back(e);
        return nlohmann::json{
            {"lights", lights.levels_json()},
            {"buttons", buttons_json(buttons)},
            {"audio", audio_json(music.get())},
            {"mqtt",
             {{"connected", mqtt && mqtt->connected()},
              {"broker", config->mqtt.host + ":" + std::to_string(config->mqtt.port)}}},
            {"config",
             {{"file", options.config_file.string()},
              {"room", config->room.id},
              {"lights", config->lights.size()},
              {"scenes", config->scenes.size()},
              {"templates", config->templates.size()},
              {"errors", last_config_errors}}},
            {"events", events},
            {"version", options.version},
        };
    };
    hooks.test_light = [this](const std::string& light,
                              double level) -> std::optional<std::string> {
        // Never while a patient is in the chair: a test flash would be abrupt.
        if (engine.session_open()) return "a session is running; lights follow the session";
        if (!config->lights.contains(light)) return "no light named " + light + " in the config";
        lights.apply_scene({{light, config::LightTarget{.level = level}}}, Millis{1000}, real_ms());
        step_lights();
        return std::nullopt;
    };
    hooks.test_tone = [this]() -> std::optional<std::string> {
        if (engine.session_open()) return "a session is running; the test tone would disturb it";
        if (!music) return "the room runs without an audio output";
        auto refused = music->play_test_tone();
        spdlog::info("audio: test tone from the tech page {}",
                     refused ? "refused: " + *refused : std::string{"playing"});
        return refused;
    };
    hooks.sessions = [this] {
        // Newest first, at most 200: a year of a busy room's sessions, one small table.
        constexpr std::size_t kMaxListed = 200;
        const auto all = journal->sessions();
        nlohmann::json list = nlohmann::json::array();
        for (auto it = all.rbegin(); it != all.rend() && list.size() < kMaxListed; ++it)
            list.push_back(journal::session_summary_json(*it));
        return list;
    };
    hooks.report = [this](const std::string& id,
                          const std::string& format) -> std::optional<std::string> {
        auto entries = journal->entries(id);
        if (entries.empty()) return std::nullopt;
        auto report = journal::build_report(entries);
        if (format == "csv") return journal::render_csv(report);
        if (format == "html") return journal::render_html(report);
        return journal::render_json(report);
    };
    panel = std::make_unique<panel::PanelServer>(io, std::move(o), std::move(hooks));
    panel->start();
}

nlohmann::json RoomDaemon::Impl::state() {
    auto snapshot = engine.snapshot(engine_now());
    auto levels = lights.levels_json();
    auto audio = audio_json(music.get());
    return state_document(StateInputs{.room = *config,
                                      .session = snapshot ? &*snapshot : nullptr,
                                      .lights = &levels,
                                      .audio = &audio,
                                      .version = options.version,
                                      .time_scale = options.time_scale,
                                      .journal_problem = &journal_problem,
                                      .clock_problem = &clock_problem});
}

// Many changes in one loop turn (a phase change moves lights, music and reminders) are
// published once, after the turn; and a document is built at most once per state_window:
// the first change goes out at once, later ones in the window fold into one at its end. A
// flood of cues then costs the broker and the panels 20 documents a second, not one per cue.
void RoomDaemon::Impl::state_changed() {
    if (state_publish_pending) return;
    state_publish_pending = true;
    const auto window_ends = last_state_built + state_window;
    if (std::chrono::steady_clock::now() >= window_ends) {
        boost::asio::post(io, [this] { publish_state(); });
        return;
    }
    state_timer.expires_at(window_ends);
    state_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) publish_state();
    });
}

void RoomDaemon::Impl::publish_state() {
    state_publish_pending = false;
    last_state_built = std::chrono::steady_clock::now();
    auto document = state();
    auto text = json_text(document);
    if (text == last_state_published) return;
    last_state_published = text;
    if (mqtt) mqtt->publish({topics.state(), text, 1, true});
    if (panel) panel->publish_state(document);
}

void RoomDaemon::Impl::publish_event(nlohmann::json event) {
    if (!event.contains("at")) event["at"] = journal::format_utc(std::chrono::system_clock::now());
    recent_events.push_back(event);
    if (recent_events.size() > 50) recent_events.pop_front();
    if (mqtt && mqtt->connected()) {
        mqtt->publish({topics.events(), json_text(event), 1, false});
    } else if (unsent_events.size() < 100) {
        unsent_events.push_back(event);  // e.g. `resumed`, raised before the first connection
    }
    if (panel) panel->publish_event(event);
}

// Remaining times and fading levels change without an event: refresh once a second (only
// a changed document is actually sent).
void RoomDaemon::Impl::heartbeat() {
    watch_music();
    catch_up_with_a_set_clock();
    state_changed();
    heartbeat_timer.expires_after(std::chrono::seconds{1});
    heartbeat_timer.async_wait([this](const boost::system::error_code& ec) {
        if (!ec) heartbeat();
    });
}

}  // namespace haven::daemon

namespace haven::daemon {

// Once a second: the output device's health (it reopens itself on a backoff; we journal and
// announce the change) and, during a session, which track is playing, so a restart resumes
// the same track at the same place.
void RoomDaemon::Impl::watch_music() {
    if (!music) return;
    if (auto change = music->poll()) {
        if (change->device_ok)
            spdlog::info("audio: {}", change->detail);
        else
            spdlog::error("audio: {}; the session carries on without music until it returns",
                          change->detail);
        journal_room_entry(change->device_ok ? "device_recovered" : "device_fault",
                           {{"device", "audio"}, {"detail", change->detail}});
    }
    auto playing = music->now_playing();
    if (!playing || session_id.empty()) return;
    if (playing->playlist == last_track.first && playing->track_index == last_track.second) return;
    last_track = {playing->playlist, playing->track_index};
    journal->append(journal::Entry{.session_id = session_id,
                                   .type = "music_track",
                                   .data = {{"playlist", playing->playlist},
                                            {"track_index", playing->track_index},
                                            {"position_ms", playing->position.count()}},
                                   .wall = std::chrono::system_clock::now(),
                                   .monotonic_ms = engine_now().count()});
}

}  // namespace haven::daemon
