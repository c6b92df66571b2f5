#include "tbb_offloader.hpp"

namespace concbench {

TbbOffloader::~TbbOffloader() noexcept {
    arena_.arena().execute([this] { group_.wait(); });
}

void TbbOffloader::submit(std::function<void()> work) {
    // enqueue, not execute: the loop thread hands the work over and goes on at once.
    arena_.arena().enqueue(group_.defer(std::move(work)));
}

}  // namespace concbench
