// What the session engine asks of the room, done: scenes to the light loop, music to the
// player, alerts to the broadcaster. Engine fades are on the session clock; devices get real
// time (a 3 m fade at --time-scale 60 lasts 3 s).
#include "daemon_impl.hpp"

namespace haven::daemon {

void RoomDaemon::Impl::apply(const std::vector<engine::Effect>& effects) {
    for (const auto& effect : effects) {
        std::visit(
            [this](const auto& e) {
                using T = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<T, engine::SceneEffect>) {
                    lights.fade_to(e.scene, e.targets, clock.real_duration(e.fade));
                } else if constexpr (std::is_same_v<T, engine::MusicEffect>) {
                    if (music) music->play(e, clock.real_duration(e.fade));
                } else if constexpr (std::is_same_v<T, engine::MusicNextEffect>) {
                    if (music) music->next_track(config->audio.crossfade);  // a reload applies
                } else if constexpr (std::is_same_v<T, engine::MusicStopEffect>) {
                    if (music) music->fade_out(clock.real_duration(e.fade));
                } else if constexpr (std::is_same_v<T, engine::AlertEffect>) {
                    spdlog::warn("alert: {} {}", e.kind, e.text);
                    nlohmann::json alert{{"type", "alert"}, {"kind", e.kind}, {"text", e.text}};
                    if (e.chime) alert["chime"] = true;  // the panel rings its own soft tone
                    broadcaster.publish_event(std::move(alert));
                }
            },
            effect);
    }
}

}  // namespace haven::daemon
