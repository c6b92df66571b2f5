#include <thread>

#include "backend.hpp"

namespace concbench {

BackendInfo sync_backend_info();
BackendInfo threads_backend_info();
BackendInfo async_backend_info();
BackendInfo async_mt_backend_info();

const std::vector<BackendInfo>& backends() {
    static const std::vector<BackendInfo> all = {sync_backend_info(), threads_backend_info(),
                                                 async_backend_info(), async_mt_backend_info()};
    return all;
}

const BackendInfo* find_backend(std::string_view name) {
    for (const auto& b : backends())
        if (b.name == name) return &b;
    return nullptr;
}

std::size_t hardware_threads() {
    return std::max(1u, std::thread::hardware_concurrency());
}

}  // namespace concbench
