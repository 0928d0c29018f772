#include "backoff.hpp"

#include <algorithm>

namespace haven::mqtt {

Backoff::Backoff(Millis min, Millis max)
    : min_(std::max(min, Millis{1})), max_(std::max(max, min_)) {}

Millis Backoff::next(double random01) {
    // Doubling stops once the cap is reached, so the step never overflows however long the
    // broker stays away.
    Millis step = min_;
    for (int i = 0; i < attempt_ && step < max_; ++i)
        step *= 2;
    step = std::min(step, max_);
    if (step < max_) ++attempt_;
    const double r = std::clamp(random01, 0.0, 1.0);
    const auto half = step / 2;
    return half + Millis{static_cast<Millis::rep>(static_cast<double>((step - half).count()) * r)};
}

}  // namespace haven::mqtt
