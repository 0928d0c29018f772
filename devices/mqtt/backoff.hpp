#pragma once
// Reconnect delays: capped exponential backoff with jitter. Pure (the caller supplies the
// random number), so the schedule is unit-tested without a clock or a broker.

#include "units.hpp"

namespace haven::mqtt {

class Backoff {
  public:
    Backoff(Millis min, Millis max);

    // The delay before the next attempt. `random01` in [0, 1) picks a point in the upper
    // half of the current step ("equal jitter"): never shorter than half the step, so a
    // broker restart is not hammered, and rooms that lost the broker together spread out.
    Millis next(double random01);

    // After a successful connection the next outage starts again at `min`.
    void reset() { attempt_ = 0; }

  private:
    Millis min_;
    Millis max_;
    int attempt_ = 0;
};

}  // namespace haven::mqtt
