#pragma once
// A progress bar on stderr, drawn only when stderr is a terminal (never in pipes or logs).

#include <cstddef>
#include <string>

namespace azkv::cli {

class Progress {
public:
    Progress(std::string what, size_t total);
    ~Progress() { Done(); }
    Progress(const Progress&) = delete;
    Progress& operator=(const Progress&) = delete;

    void Step(size_t n = 1);
    void Done();

private:
    void Draw();

    std::string what_;
    size_t total_;
    size_t done_ = 0;
    bool active_;
};

}  // namespace azkv::cli
