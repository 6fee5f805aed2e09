/// A lower bound that combines coordinate by coordinate: the least of two bounds is their
/// elementwise minimum (timings and resources of a component, lower being better in each).
protocol ElementwiseMinimum {
    /// Each coordinate's least of `self` and `other`.
    func elementwiseMin(_ other: Self) -> Self
}

/// Component options sorted by DSP with running minima of their other coordinates, answering
/// "the best each coordinate can be among options using at most `dsp` DSPs". The search uses it
/// for bounds: a component can only use the DSPs the components already chosen leave, so its
/// minima within that budget bound its timings and resources from below. A bound that includes
/// the DSPs themselves gets the least DSPs of any option, since options are sorted by them.
struct BudgetMinima<Bound: ElementwiseMinimum> {
    /// DSPs of the options, ascending.
    private var dsp: [Int] = []
    /// Running minima over the options up to each index.
    private var minima: [Bound] = []

    /// `options` as (DSPs, what bounds the option).
    init(_ options: [(dsp: Int, bound: Bound)]) {
        let sorted = options.enumerated().sorted { a, b in
            a.element.dsp != b.element.dsp ? a.element.dsp < b.element.dsp : a.offset < b.offset
        }.map(\.element)
        var running: Bound? = nil
        for option in sorted {
            let next = running.map { $0.elementwiseMin(option.bound) } ?? option.bound
            running = next
            dsp.append(option.dsp)
            minima.append(next)
        }
    }

    /// The least DSPs of any option (nil when there are none).
    var leastDSP: Int? { dsp.first }

    /// Minima over the options with at most `budget` DSPs (nil when none fits).
    func query(_ budget: Int) -> Bound? {
        var low = 0, high = dsp.count
        while low < high {
            let mid = (low + high) / 2
            if dsp[mid] <= budget { low = mid + 1 } else { high = mid }
        }
        return low == 0 ? nil : minima[low - 1]
    }
}

/// Options in a fixed order (ascending by some key) with their DSPs, answering "the next option
/// at or after position i that uses at most `budget` DSPs" without visiting every larger one:
/// blocks of 64 keep their least DSP, and blocks whose least exceeds the budget are skipped.
struct DSPSkipList {
    private let dsp: [Int]
    private let blockLeast: [Int]
    private static let block = 64

    init(dsp: [Int]) {
        self.dsp = dsp
        blockLeast = stride(from: 0, to: dsp.count, by: Self.block).map { start in
            dsp[start..<min(start + Self.block, dsp.count)].min()!
        }
    }

    var count: Int { dsp.count }

    /// The first position `>= from` whose DSP is at most `budget`, or nil.
    func next(from: Int, budget: Int) -> Int? {
        var i = from
        while i < dsp.count {
            let b = i / Self.block
            if i % Self.block == 0 && blockLeast[b] > budget {
                i += Self.block
                continue
            }
            if dsp[i] <= budget { return i }
            i += 1
        }
        return nil
    }
}
