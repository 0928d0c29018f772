// Turning the session's state into device effects: resolved scenes and music volume.
#include <algorithm>

#include "session_state.hpp"

namespace haven::engine {

Millis gentle(Millis fade) {
    return std::max(fade, minimum_fade);
}

double clamp_volume(const Session& s, double volume) {
    return std::clamp(volume, 0.0, std::clamp(s.config->audio.max_volume, 0.0, 100.0));
}

double playing_volume(const Session& s) {
    if (!s.assist) return s.volume;
    return std::min(s.volume, s.config->assist.duck_music_to);
}

SceneEffect scene_effect(const Session& s, const std::string& scene_id, double offset,
                         Millis fade) {
    SceneEffect effect{scene_id, {}, gentle(fade)};
    if (const auto* scene = s.config->find_scene(scene_id)) {
        for (const auto& [light, target] : scene->lights) {
            auto resolved = target;
            resolved.level = std::clamp(target.level + offset, 0.0, 100.0);
            effect.targets.emplace(light, resolved);
        }
    }
    return effect;
}

SceneEffect phase_scene_effect(const Session& s, Millis fade) {
    return scene_effect(s, s.scene, s.lights_offset, fade);
}

SceneEffect assist_scene_effect(const Session& s) {
    return scene_effect(s, s.config->assist.scene, 0, s.config->assist.fade);
}

}  // namespace haven::engine
