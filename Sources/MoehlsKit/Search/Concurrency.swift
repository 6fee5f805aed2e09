import Dispatch

/// Runs `body(i)` for `i` in `0..<count` on all cores and returns the results in index order, so
/// the output never depends on scheduling. `body` must only read shared state.
func concurrentMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    var results = [T?](repeating: nil, count: count)
    results.withUnsafeMutableBufferPointer { buffer in
        let slots = SendableSlots(base: buffer.baseAddress!)
        withoutActuallyEscaping(body) { work in
            let shared = SendableWork(work: work)
            DispatchQueue.concurrentPerform(iterations: count) { i in
                // Each iteration writes only its own slot.
                slots.base[i] = shared.work(i)
            }
        }
    }
    return results.map { $0! }
}

/// A pointer to disjointly written result slots.
private struct SendableSlots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T?>
}

/// A read-only closure shared by the concurrent iterations.
private struct SendableWork<T>: @unchecked Sendable {
    let work: (Int) -> T
}
