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

/// `body` over `items` with at most `workers` running at once (worker `w` takes items `w`,
/// `w + workers`, ...); results in input order. For work that is itself parallel or heavy, such
/// as external programs: two at a time fill two cores.
func concurrentMap<Item, T>(_ items: [Item], workers: Int, _ body: (Item) -> T) -> [T] {
    let lanes = Swift.max(1, Swift.min(workers, items.count))
    var results = [T?](repeating: nil, count: items.count)
    results.withUnsafeMutableBufferPointer { buffer in
        guard let base = buffer.baseAddress else { return }
        let slots = SendableSlots(base: base)
        withoutActuallyEscaping(body) { work in
            let shared = UncheckedSendable(value: work)
            let sharedItems = UncheckedSendable(value: items)
            DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                var index = lane
                while index < sharedItems.value.count {
                    slots.base[index] = shared.value(sharedItems.value[index])
                    index += lanes
                }
            }
        }
    }
    return results.map { $0! }
}
