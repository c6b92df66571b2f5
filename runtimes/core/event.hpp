// Event: a one-shot, resettable signal that one task waits on (co_await io.wait(event)) and
// anyone sets, from any thread, inside the backend or not. The waiting side is the backend's
// (Io::suspend_wait): a blocking backend blocks the waiting thread; an async one suspends
// the coroutine and resumes it on its loop when the event is set.
#pragma once

#include <atomic>
#include <coroutine>
#include <cstdint>

namespace concbench {

class Event {
  public:
    /// How a suspended waiter is resumed: set() calls wake(this) once, on the setting
    /// thread. A backend fills it in Io::suspend_wait; it lives in the awaiting coroutine's
    /// frame, so it is valid until the coroutine resumes.
    struct Waiter {
        void (*wake)(Waiter* self) = nullptr;
        std::coroutine_handle<> h;
        void* ctx = nullptr;  // the backend's (e.g. its event loop)
    };

    Event() = default;
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;

    /// Sets the event and wakes its waiter, if there is one. Setting a set event does
    /// nothing. Callable from any thread; the event must outlive the call (as any object
    /// its member functions), so destroy it only once both sides are done with it.
    void set() noexcept {
        const std::uintptr_t old = state_.exchange(set_state, std::memory_order_acq_rel);
        if (old == set_state) return;
        if (old != empty_state) {
            auto* w = reinterpret_cast<Waiter*>(old);
            w->wake(w);
        } else {
            state_.notify_all();  // a thread may be blocked in wait_blocking()
        }
    }

    /// Whether set() was called since construction or the last reset().
    bool is_set() const noexcept { return state_.load(std::memory_order_acquire) == set_state; }

    /// Makes the event unset again, for the next round of a ping-pong. Precondition: no
    /// task is waiting on it (typically the waiter itself resets it once woken).
    void reset() noexcept { state_.store(empty_state, std::memory_order_release); }

    /// For backends: registers `w` to be woken by set(). Returns false, registering
    /// nothing, when the event is set already. Precondition: no other waiter is registered.
    bool arm(Waiter& w) noexcept {
        std::uintptr_t expected = empty_state;
        return state_.compare_exchange_strong(expected, reinterpret_cast<std::uintptr_t>(&w),
                                              std::memory_order_acq_rel,
                                              std::memory_order_acquire);
    }

    /// For blocking backends and plain threads: blocks the calling thread until the event is
    /// set (a futex wait in libstdc++, no spinning beyond its short initial one).
    void wait_blocking() const noexcept {
        for (std::uintptr_t s = state_.load(std::memory_order_acquire); s != set_state;
             s = state_.load(std::memory_order_acquire))
            state_.wait(s, std::memory_order_acquire);
    }

  private:
    // empty, set, or the address of the registered Waiter (aligned, so never 0 or 1).
    static constexpr std::uintptr_t empty_state = 0, set_state = 1;
    std::atomic<std::uintptr_t> state_{empty_state};
};

}  // namespace concbench
