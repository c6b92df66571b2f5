#include "worker_pool.hpp"

#include "os_thread.hpp"

namespace concbench {

WorkerPool::WorkerPool(std::size_t threads) {
    if (threads == 0) threads = 1;
    workers_.reserve(threads);
    threads_.reserve(threads);
    for (std::size_t i = 0; i < threads; ++i) {
        auto w = std::make_unique<Worker>();
        pthread_t t;
        if (const int err = spawn_thread([this, &worker = *w] { work(worker); }, 0, t)) {
            error_ = thread_failure(err);
            break;
        }
        workers_.push_back(std::move(w));
        threads_.push_back(t);
    }
    wait_idle();  // every worker ready before the first job: none is still starting in a run
}

WorkerPool::~WorkerPool() {
    {
        std::lock_guard lock(m_);
        stopping_ = true;
        while (wake_idle() != nullptr) {
        }
    }
    for (pthread_t t : threads_) pthread_join(t, nullptr);
}

WorkerPool::Worker* WorkerPool::wake_idle() {
    if (idle_.empty()) return nullptr;
    Worker* w = idle_.back();
    idle_.pop_back();
    w->woken = true;
    w->wake.notify_one();
    return w;
}

void WorkerPool::submit(std::function<void()> job) {
    std::lock_guard lock(m_);
    queue_.push_back(std::move(job));
    // The woken worker may find the job taken by one that just finished: then it waits again.
    wake_idle();
}

bool WorkerPool::try_hand_off(std::function<void()>& job) {
    std::lock_guard lock(m_);
    if (idle_.empty()) return false;
    // Set before the worker can look: it is off the idle list, so no one else claims it.
    idle_.back()->handed = std::move(job);
    wake_idle();
    return true;
}

void WorkerPool::wait_idle() {
    std::unique_lock lock(m_);
    all_idle_.wait(lock, [&] { return idle_.size() == threads_.size() && queue_.empty(); });
}

void WorkerPool::work(Worker& w) {
    std::unique_lock lock(m_);
    for (;;) {
        std::function<void()> job;
        if (w.handed) {
            job = std::move(w.handed);
            w.handed = nullptr;
        } else if (!queue_.empty()) {
            job = std::move(queue_.front());
            queue_.pop_front();
        } else if (stopping_) {
            return;
        } else {
            w.woken = false;
            idle_.push_back(&w);
            all_idle_.notify_all();
            w.wake.wait(lock, [&] { return w.woken; });
            continue;
        }
        lock.unlock();
        job();
        job = nullptr;  // its captures go before the next wait
        lock.lock();
    }
}

}  // namespace concbench
