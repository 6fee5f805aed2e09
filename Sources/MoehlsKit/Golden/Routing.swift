/// The MoE gate's decision for every token: its top-k experts (in rank order) and their scores.
/// Scores are looked up by token id and rank, never by a position in an expert's queue.
public struct Routing<Score: Hashable & Codable & Sendable>: Hashable, Codable, Sendable {
    /// `experts[token]`: the chosen expert indices, best first.
    public var experts: [[Int]]
    /// `scores[token][rank]`: the score of `experts[token][rank]`.
    public var scores: [[Score]]

    /// The score of `expert` for `token`, if the token chose it.
    public func score(token: Int, expert: Int) -> Score? {
        experts[token].firstIndex(of: expert).map { scores[token][$0] }
    }

    /// Each expert's queue: the tokens that chose it, in ascending token order.
    public func queues(experts count: Int) -> [[Int]] {
        var queues = [[Int]](repeating: [], count: count)
        for (token, chosen) in experts.enumerated() {
            for expert in chosen { queues[expert].append(token) }
        }
        return queues
    }

    /// Indices of the `k` largest values, largest first; equal values go to the lower index.
    public static func topK<T: Comparable>(_ values: [T], k: Int) -> [Int] {
        var chosen: [Int] = []
        chosen.reserveCapacity(k)
        for _ in 0..<Swift.min(k, values.count) {
            var best = -1
            for (index, value) in values.enumerated() where !chosen.contains(index) {
                if best < 0 || value > values[best] { best = index }
            }
            chosen.append(best)
        }
        return chosen
    }
}
