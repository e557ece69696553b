#include "progress.h"

#include <cstdio>

#include "command.h"

namespace azkv::cli {

Progress::Progress(std::string what, size_t total)
    : what_(std::move(what)), total_(total), active_(StderrIsTty() && total > 20) {}

void Progress::Step(size_t n) {
    done_ += n;
    // Redraw at most every 1% so that thousands of keys do not flood the terminal.
    if (active_ && (total_ < 100 || done_ % (total_ / 100) == 0 || done_ == total_))
        Draw();
}

void Progress::Draw() {
    constexpr int kWidth = 30;
    int filled = total_ == 0 ? kWidth : static_cast<int>(done_ * kWidth / total_);
    std::fprintf(stderr, "\r%s [%.*s%*s] %zu/%zu", what_.c_str(), filled,
                 "##############################", kWidth - filled, "", done_, total_);
    std::fflush(stderr);
}

void Progress::Done() {
    if (active_) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
        active_ = false;
    }
}

}  // namespace azkv::cli
