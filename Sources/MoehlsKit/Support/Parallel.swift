import Dispatch

/// Runs `body` over `0..<count` split into contiguous chunks on all cores. Each chunk must write
/// disjoint memory. Chunks are fixed by `count` alone, so results never depend on scheduling.
func parallelChunks(_ count: Int, minimumChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    let chunks = Swift.max(1, Swift.min(count / Swift.max(minimumChunk, 1), 16))
    if chunks <= 1 {
        body(0..<count)
        return
    }
    withoutActuallyEscaping(body) { escapable in
        // The chunks write disjoint memory (the callers' contract), so sharing is safe.
        let shared = UncheckedSendable(value: escapable)
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let start = count * chunk / chunks, end = count * (chunk + 1) / chunks
            if start < end { shared.value(start..<end) }
        }
    }
}

/// A value handed to concurrent code whose safety the caller guarantees.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
}
